// Differential test of the join kernel against DuckDB on random data: every join type on an
// int + string key (nullable, with duplicates), on a float key (NaN, -0.0), with and without
// a residual condition, and a cross join with a filter. Results compare as (left id, right id)
// pairs. For these joins DuckDB agrees with Spark (null keys never match; NaN = NaN and
// -0.0 = 0.0 in equality; semi/anti by existence), so no query needs translating.
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JoinType } from "../../engine/exec/join/hash-join.js";
import { T } from "../../engine/types/data-type.js";
import { type IdRow, type JoinCase, rng, runKernel, type Side, side, sortIdRows } from "./helpers.js";

interface Table {
  k1: (number | null)[];
  k2: (string | null)[];
  f: (number | null)[];
  v: (number | null)[];
}

function table(n: number, seed: number): Table {
  const r = rng(seed);
  const nullOr = <X>(p: number, x: () => X) => (r() < p ? null : x());
  const floats = [0, -0, Number.NaN, 1.5, -2.25, 1e300];
  return {
    k1: Array.from({ length: n }, () => nullOr(0.05, () => Math.floor(r() * 40))),
    k2: Array.from({ length: n }, () =>
      nullOr(0.05, () => ["a", "b", "é", "", "long key value"][Math.floor(r() * 5)]!),
    ),
    f: Array.from({ length: n }, () =>
      nullOr(0.1, () => (r() < 0.2 ? floats[Math.floor(r() * floats.length)]! : Math.floor(r() * 500) / 4)),
    ),
    v: Array.from({ length: n }, () => nullOr(0.05, () => Math.floor(r() * 1000))),
  };
}

const NL = 3000;
const NR = 2000;
const lt = table(NL, 1);
const rt = table(NR, 2);
const sideOf = (t: Table, keys: string[]): Side =>
  side(
    {
      k1: { type: T.int32, values: t.k1 },
      k2: { type: T.string, values: t.k2 },
      f: { type: T.float64, values: t.f },
      v: { type: T.int32, values: t.v },
    },
    keys,
  );

let db: DuckDBInstance;
let conn: Awaited<ReturnType<DuckDBInstance["connect"]>>;

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:", { threads: "1" });
  conn = await db.connect();
  for (const [name, t] of [
    ["l", lt],
    ["r", rt],
  ] as const) {
    await conn.run(`CREATE TABLE ${name} (id INTEGER, k1 INTEGER, k2 VARCHAR, f DOUBLE, v INTEGER)`);
    const app = await conn.createAppender(name);
    for (let i = 0; i < t.k1.length; i++) {
      app.appendInteger(i);
      t.k1[i] === null ? app.appendNull() : app.appendInteger(t.k1[i]!);
      t.k2[i] === null ? app.appendNull() : app.appendVarchar(t.k2[i]!);
      t.f[i] === null ? app.appendNull() : app.appendDouble(t.f[i]!);
      t.v[i] === null ? app.appendNull() : app.appendInteger(t.v[i]!);
      app.endRow();
    }
    app.closeSync();
  }
});

afterAll(() => {
  conn?.closeSync();
});

async function duck(sql: string): Promise<IdRow[]> {
  const reader = await conn.runAndReadAll(sql);
  return sortIdRows(reader.getRows().map((row) => row.map((x) => (x === null ? null : Number(x)))));
}

const SQL_JOIN: Record<Exclude<JoinType, "cross">, string> = {
  inner: "JOIN",
  left: "LEFT JOIN",
  right: "RIGHT JOIN",
  full: "FULL JOIN",
  left_semi: "SEMI JOIN",
  left_anti: "ANTI JOIN",
};

/** The residual `l.v < r.v` over row ids (null when either v is null). */
const lessV = (a: number, b: number) => (lt.v[a] === null || rt.v[b] === null ? null : lt.v[a]! < rt.v[b]!);

describe("joins agree with DuckDB", () => {
  const cases: [string, string[], string, JoinCase["residual"]][] = [
    ["int + string key", ["k1", "k2"], "l.k1 = r.k1 AND l.k2 = r.k2", undefined],
    [
      "int + string key, residual l.v < r.v",
      ["k1", "k2"],
      "l.k1 = r.k1 AND l.k2 = r.k2 AND l.v < r.v",
      lessV,
    ],
    ["float key (NaN, -0.0)", ["f"], "l.f = r.f", undefined],
    ["float key, residual", ["f"], "l.f = r.f AND l.v < r.v", lessV],
  ];
  for (const [name, keys, on, residual] of cases)
    for (const joinType of Object.keys(SQL_JOIN) as (keyof typeof SQL_JOIN)[])
      it(`${joinType} on ${name}`, async () => {
        const semi = joinType === "left_semi" || joinType === "left_anti";
        const sel = semi ? "l.id" : "l.id, r.id";
        const expected = await duck(`SELECT ${sel} FROM l ${SQL_JOIN[joinType]} r ON ${on}`);
        if (joinType === "inner") expect(expected.length).toBeGreaterThan(1000);
        for (const buildSide of ["left", "right"] as const) {
          const got = runKernel({
            left: sideOf(lt, keys),
            right: sideOf(rt, keys),
            joinType,
            buildSide,
            residual,
            batchSize: 700,
            maxPairs: 4096,
          });
          expect(got.rows.length, buildSide).toBe(expected.length);
          expect(got.rows, buildSide).toEqual(expected);
        }
      });

  it("cross join with a filter", async () => {
    const expected = await duck("SELECT l.id, r.id FROM l, r WHERE l.v + r.v = 1000");
    expect(expected.length).toBeGreaterThan(100);
    for (const buildSide of ["left", "right"] as const) {
      const got = runKernel({
        left: sideOf(lt, []),
        right: sideOf(rt, []),
        joinType: "cross",
        buildSide,
        residual: (a, b) => (lt.v[a] === null || rt.v[b] === null ? null : lt.v[a]! + rt.v[b]! === 1000),
        batchSize: 1000,
        maxPairs: 65536,
      });
      expect(got.rows).toEqual(expected);
    }
  });
});
