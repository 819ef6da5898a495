// Randomised joins against the nested-loop reference: random key types (single and
// multi-column, with nulls, NaN and -0.0), duplicates, residuals that are true, false or
// null, both build sides, random batch sizes and chunk bounds.
import { describe, expect, it } from "vitest";
import type { DataType } from "../../engine/types/data-type.js";
import { T } from "../../engine/types/data-type.js";
import { JOIN_TYPES, type JoinCase, rng, runKernel, runReference, side } from "./helpers.js";

type Gen = (r: () => number) => unknown;
const pick = <X>(r: () => number, xs: readonly X[]): X => xs[Math.floor(r() * xs.length)]!;
const nullOr = (r: () => number, p: number, v: () => unknown) => (r() < p ? null : v());

const KEY_GENS: [DataType, Gen][] = [
  [T.int32, (r) => nullOr(r, 0.1, () => Math.floor(r() * 6) - 2)],
  [T.int64, (r) => nullOr(r, 0.1, () => pick(r, [0n, -1n, 2n ** 40n, 2n ** 62n, 7n]))],
  [T.float64, (r) => nullOr(r, 0.1, () => pick(r, [0, -0, Number.NaN, 1.5, -2, Number.POSITIVE_INFINITY]))],
  [T.string, (r) => nullOr(r, 0.1, () => pick(r, ["", "a", "é", "a".repeat(30), "b"]))],
  [T.date, (r) => nullOr(r, 0.1, () => pick(r, [0, 1, -1, 19000]))],
  [T.decimal(12, 2), (r) => nullOr(r, 0.1, () => pick(r, ["0", "1.5", "-3.25"]))],
];

describe("random joins against the reference", () => {
  it("agree on 600 random cases", () => {
    const r = rng(42);
    let rows = 0;
    for (let t = 0; t < 600; t++) {
      const nKeys = pick(r, [0, 1, 1, 1, 2, 3]);
      const gens = Array.from({ length: nKeys }, () => pick(r, KEY_GENS));
      const nl = pick(r, [0, 1, 5, 20, 40]);
      const nr = pick(r, [0, 1, 5, 20, 40]);
      const mk = (n: number) => {
        const cols: Record<string, { type: DataType; values: unknown[] }> = {};
        gens.forEach(([type, g], k) => {
          cols[`k${k}`] = { type, values: Array.from({ length: n }, () => g(r)) };
        });
        cols.v = { type: T.int32, values: Array.from({ length: n }, () => Math.floor(r() * 10)) };
        return side(
          cols,
          gens.map((_, k) => `k${k}`),
        );
      };
      const left = mk(nl);
      const right = mk(nr);
      const lv = left.batch.columns[nKeys + 1]!.values as Int32Array;
      const rv = right.batch.columns[nKeys + 1]!.values as Int32Array;
      const residual = pick(r, [
        undefined,
        undefined,
        (a: number, b: number) => lv[a]! < rv[b]!,
        (a: number, b: number) => (lv[a]! === 3 ? null : lv[a]! + rv[b]! > 8),
      ]);
      const joinType = pick(r, JOIN_TYPES);
      const base = { left, right, joinType, residual };
      const expected = runReference({ ...base, buildSide: "right" });
      rows += expected.length;
      for (const buildSide of ["left", "right"] as const) {
        const c: JoinCase = {
          ...base,
          buildSide,
          batchSize: pick(r, [undefined, 1, 3, 16]),
          maxPairs: pick(r, [undefined, 1, 4, 50]),
          copyKeys: r() < 0.3,
        };
        expect(runKernel(c).rows, `case ${t}: ${joinType} build ${buildSide}`).toEqual(expected);
      }
    }
    expect(rows).toBeGreaterThan(10_000);
  });
});
