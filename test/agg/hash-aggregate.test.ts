// HashAggregator: partial -> final merging equals complete for every aggregate over random
// keyed data with nulls; several calls at once; drain() for spilling; global aggregation.
import { describe, expect, it } from "vitest";
import { columnFromValues, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { concatColumns, sliceColumn } from "../../engine/columnar/ops.js";
import { aggregateFunctions } from "../../engine/exec/agg/accumulators.js";
import { type AggCall, HashAggregator } from "../../engine/exec/agg/hash-aggregate.js";
import type { AggParams } from "../../engine/exec/agg/types.js";
import { T } from "../../engine/types/data-type.js";
import { js, rng, runAgg } from "./helpers.js";

const N = 20_000;
const r = rng(11);
const keyA = stringColumnFromArray(
  Array.from({ length: N }, () => (r() < 0.05 ? null : `k${Math.floor(r() * 40)}`)),
);
const keyB = columnFromValues(
  T.int32,
  Array.from({ length: N }, () => Math.floor(r() * 5)),
);
const x = columnFromValues(
  T.float64,
  Array.from({ length: N }, () => (r() < 0.1 ? null : Math.round((r() * 200 - 100) * 8) / 8)),
);
const y = columnFromValues(
  T.int32,
  Array.from({ length: N }, () => (r() < 0.1 ? null : Math.floor(r() * 1000))),
);
const d = columnFromValues(
  T.decimal(12, 3),
  Array.from({ length: N }, () => (r() < 0.1 ? null : (Math.floor(r() * 2e9) - 1e9) / 1000)),
);
const s = stringColumnFromArray(
  Array.from({ length: N }, () => (r() < 0.1 ? null : `v${Math.floor(r() * 300)}`)),
);

const cases: [string, Column[], AggParams?][] = [
  ["count", []],
  ["count", [y]],
  ["sum", [y]],
  ["sum", [x]],
  ["sum", [d]],
  ["avg", [y]],
  ["avg", [d]],
  ["min", [s]],
  ["max", [x]],
  ["max", [d]],
  ["first", [s], { ignoreNulls: true }],
  ["last", [y]],
  ["stddev", [x]],
  ["var_pop", [y]],
  ["corr", [x, y]],
  ["collect_list", [s]],
  ["collect_set", [y]],
  ["count_distinct", [s, y]],
  ["approx_count_distinct", [s]],
  ["percentile_approx", [x], { percentage: [0.1, 0.5, 0.9] }],
  ["median", [y]],
];

/** Doubles may differ in the last bits between merge orders; everything else must be equal. */
function expectSame(
  a: Map<string, unknown>,
  b: Map<string, unknown>,
  fuzzy: boolean,
  sortLists = false,
): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, v] of a) {
    const w = b.get(k);
    if (fuzzy && typeof v === "number" && typeof w === "number") expect(v).toBeCloseTo(w, 9);
    else if (sortLists && Array.isArray(v)) expect([...v].sort()).toEqual([...(w as unknown[])].sort());
    else expect(v).toEqual(w);
  }
}

describe("HashAggregator", () => {
  for (const [name, args, params] of cases) {
    it(`merges partial states of ${name}(${args.map((a) => a.type.kind)}) into the complete result`, () => {
      const keys = [keyA, keyB];
      const whole = runAgg(name, args, keys, { params });
      const fuzzy = ["stddev", "var_pop", "corr", "avg", "sum"].includes(name);
      expectSame(runAgg(name, args, keys, { params, batch: 999 }), whole, fuzzy);
      expectSame(
        runAgg(name, args, keys, { params, parts: 4, batch: 3000 }),
        whole,
        fuzzy,
        name === "collect_set",
      );
    });
  }

  it("runs several calls at once and outputs flattened states in partial mode", () => {
    const calls: AggCall[] = [
      { def: aggregateFunctions.count!, argTypes: [] },
      { def: aggregateFunctions.sum!, argTypes: [d.type] },
      { def: aggregateFunctions.first!, argTypes: [T.string], params: { ignoreNulls: true } },
    ];
    const part = new HashAggregator([T.string], calls, "partial");
    expect(part.stateTypes()).toEqual([T.int64, T.decimal(22, 3), T.boolean, T.string, T.boolean]);
    part.addBatch([keyA], [[], [d], [s]], N);
    const out = part.finish();
    expect(out.values.length).toBe(5);
    expect(out.values.every((c) => c.length === out.numGroups)).toBe(true);
    expect(out.keys[0]!.length).toBe(out.numGroups);
  });

  it("drains its states for spilling and merges them back to the same result", () => {
    const calls: AggCall[] = [
      { def: aggregateFunctions.sum!, argTypes: [T.float64] },
      { def: aggregateFunctions.collect_list!, argTypes: [T.string] },
      { def: aggregateFunctions.max!, argTypes: [T.string] },
    ];
    const complete = new HashAggregator([T.string, T.int32], calls, "complete");
    complete.addBatch([keyA, keyB], [[x], [s], [s]], N);
    const want = complete.finish();

    const spilled: { keys: Column[]; values: Column[]; numGroups: number }[] = [];
    const agg = new HashAggregator([T.string, T.int32], calls, "partial");
    for (let p = 0; p < N; p += 2500) {
      const q = Math.min(N, p + 2500);
      const sl = (c: Column) => sliceColumn(c, p, q);
      agg.addBatch([sl(keyA), sl(keyB)], [[sl(x)], [sl(s)], [sl(s)]], q - p);
      if (agg.estimatedBytes() > 20_000) spilled.push(agg.drain());
    }
    expect(spilled.length).toBeGreaterThan(1);
    expect(agg.numGroups).toBeLessThan(want.numGroups);
    spilled.push(agg.drain());
    expect(agg.numGroups).toBe(0);
    const fin = new HashAggregator([T.string, T.int32], calls, "final");
    for (const sp of spilled) fin.addStateBatch(sp.keys, sp.values, sp.numGroups);
    const got = fin.finish();
    const rows = (o: typeof want) => {
      const k = o.keys.map(js);
      const v = o.values.map(js);
      return new Map(
        Array.from({ length: o.numGroups }, (_, g) => [
          JSON.stringify(k.map((c) => c[g])),
          v.map((c) => c[g]),
        ]),
      );
    };
    const a = rows(got);
    const b = rows(want);
    expect(a.size).toBe(b.size);
    for (const [k, v] of b) {
      const w = a.get(k) as unknown[];
      expect(w[0] as number).toBeCloseTo(v[0] as number, 9);
      expect(w.slice(1)).toEqual(v.slice(1));
    }
  });

  it("gives one row for a global aggregation over no input, in every mode", () => {
    const calls: AggCall[] = [
      { def: aggregateFunctions.count!, argTypes: [] },
      { def: aggregateFunctions.sum!, argTypes: [T.int32] },
      { def: aggregateFunctions.collect_list!, argTypes: [T.int32] },
    ];
    const c = new HashAggregator([], calls, "complete").finish();
    expect(c.numGroups).toBe(1);
    expect(c.values.map(js)).toEqual([[0n], [null], [[]]]);
    const p = new HashAggregator([], calls, "partial").finish();
    const f = new HashAggregator([], calls, "final");
    f.addStateBatch(p.keys, p.values, p.numGroups);
    expect(f.finish().values.map(js)).toEqual([[0n], [null], [[]]]);
    const keyed = new HashAggregator([T.int32], calls, "complete").finish();
    expect(keyed.numGroups).toBe(0);
  });

  it("accounts its memory as groups grow", () => {
    const agg = new HashAggregator(
      [T.string],
      [{ def: aggregateFunctions.sum!, argTypes: [T.float64] }],
      "partial",
    );
    const before = agg.estimatedBytes();
    const many = stringColumnFromArray(Array.from({ length: 50_000 }, (_, i) => `group-${i}`));
    const vals = concatColumns([x, x, x]);
    agg.addBatch([many], [[sliceColumn(vals, 0, 50_000)]], 50_000);
    expect(agg.estimatedBytes()).toBeGreaterThan(before + 50_000 * 16);
  });
});
