// Differential test: window functions over random rows (nulls in partition, order and value
// columns; many ties) in Kindling's kernels and in DuckDB, for every function and many frames.
// Functions sensitive to the order of peers run over a unique order (o, id) only, as the two
// engines may order ties differently. Differences between Spark and DuckDB are asserted at
// the end with Spark's expected values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsValue } from "../../engine/columnar/builders.js";
import type { FrameSpec, WindowFunctionCall } from "../../engine/exec/window/types.js";
import { T } from "../../engine/types/data-type.js";
import { diffRows, Oracle, type Row } from "../differential/duckdb.js";
import { rng } from "../sort/helpers.js";
import { makeBatch, type RunSpec, runWindow } from "./helpers.js";

const N = 1200;
const r = rng(2024);
const maybe = <X>(f: () => X, nullRate = 0.1): X | null => (r() < nullRate ? null : f());
const data = {
  id: Array.from({ length: N }, (_, i) => i),
  p: Array.from({ length: N }, () => maybe(() => Math.floor(r() * 6), 0.05)),
  o: Array.from({ length: N }, () => maybe(() => Math.floor(r() * 25))),
  x: Array.from({ length: N }, () => maybe(() => Math.floor((r() - 0.5) * 200))),
  d: Array.from({ length: N }, () => maybe(() => Math.round((r() - 0.5) * 2000) / 4)),
  s: Array.from({ length: N }, () =>
    maybe(() => ["a", "b", "é", "😀", "", "zz", "ab"][Math.floor(r() * 7)]!),
  ),
};
const B = makeBatch({
  id: [T.int32, data.id],
  p: [T.int32, data.p],
  o: [T.int32, data.o],
  x: [T.int32, data.x],
  d: [T.float64, data.d],
  s: [T.string, data.s as JsValue[]],
});

const sqlOf = (v: unknown): string => (v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v));

let db: Oracle;
beforeAll(async () => {
  db = await Oracle.open();
  await db.run("CREATE TABLE t (id INTEGER, p INTEGER, o INTEGER, x INTEGER, d DOUBLE, s VARCHAR)");
  const rows = data.id.map(
    (_, i) =>
      `(${[data.id[i], data.p[i], data.o[i], data.x[i], data.d[i], data.s[i]].map(sqlOf).join(", ")})`,
  );
  await db.run(`INSERT INTO t VALUES ${rows.join(", ")}`);
});
afterAll(() => db?.close());

interface Order {
  readonly spec: RunSpec["orderBy"];
  readonly sql: string;
}
const TIES_ASC: Order = { spec: [{ name: "o" }], sql: "ORDER BY o ASC NULLS FIRST" };
const TIES_DESC: Order = { spec: [{ name: "o", ascending: false }], sql: "ORDER BY o DESC NULLS LAST" };
const UNIQUE_ASC: Order = {
  spec: [{ name: "o" }, { name: "id" }],
  sql: "ORDER BY o ASC NULLS FIRST, id ASC",
};
const UNIQUE_DESC: Order = {
  spec: [
    { name: "o", ascending: false, nullsFirst: true },
    { name: "id", ascending: false },
  ],
  sql: "ORDER BY o DESC NULLS FIRST, id DESC",
};
const NO_ORDER: Order = { spec: [], sql: "" };

interface Frame {
  readonly spec: FrameSpec | null;
  readonly sql: string;
}
const bound = (b: number | null, start: boolean) =>
  b === null
    ? `UNBOUNDED ${start ? "PRECEDING" : "FOLLOWING"}`
    : b === 0
      ? "CURRENT ROW"
      : `${Math.abs(b)} ${b < 0 ? "PRECEDING" : "FOLLOWING"}`;
const frame = (type: "rows" | "range", start: number | null, end: number | null): Frame => ({
  spec: { type, start, end },
  sql: `${type.toUpperCase()} BETWEEN ${bound(start, true)} AND ${bound(end, false)}`,
});
const DEFAULT: Frame = { spec: null, sql: "" };
const ROW_FRAMES: Frame[] = [
  DEFAULT,
  frame("rows", -2, 1),
  frame("rows", null, 0),
  frame("rows", 0, null),
  frame("rows", 3, 5),
  frame("rows", -4, -2),
  frame("rows", null, null),
  frame("rows", -40, 40),
];
const RANGE_FRAMES: Frame[] = [
  DEFAULT,
  frame("range", -2, 1),
  frame("range", 0, null),
  frame("range", null, -3),
  frame("range", 1, 4),
  frame("range", 0, 0),
];

type Call = Omit<WindowFunctionCall, "args"> & { args?: string[]; defaultName?: string };

async function compare(
  call: Call,
  sqlFn: string,
  order: Order,
  fr: Frame,
  partitioned = true,
): Promise<void> {
  const spec: RunSpec = { partitionBy: partitioned ? ["p"] : [], orderBy: order.spec, frame: fr.spec };
  const got = runWindow(B, spec, call);
  const over = [partitioned ? "PARTITION BY p" : "", order.sql, fr.sql].join(" ");
  const expr = sqlFn.includes("{over}")
    ? sqlFn.replace("{over}", `OVER (${over})`)
    : `${sqlFn} OVER (${over})`;
  const want = await db.rows(`SELECT id, ${expr} AS r FROM t ORDER BY id`);
  // Lists compare as their JSON text.
  const flat = (v: unknown) => (Array.isArray(v) ? JSON.stringify(v) : v);
  const actual: Row[] = got.map((v, i) => ({ id: i, r: flat(v) }));
  const d = diffRows(
    actual,
    want.map((w) => ({ id: w.id, r: flat(w.r) })),
  );
  expect(d, expr).toBeNull();
}

describe("window functions against DuckDB", () => {
  it("ranking functions", async () => {
    for (const part of [true, false]) {
      for (const o of [TIES_ASC, TIES_DESC, UNIQUE_DESC]) {
        await compare({ fn: "rank" }, "rank()", o, DEFAULT, part);
        await compare({ fn: "dense_rank" }, "dense_rank()", o, DEFAULT, part);
        await compare({ fn: "percent_rank" }, "percent_rank()", o, DEFAULT, part);
        await compare({ fn: "cume_dist" }, "cume_dist()", o, DEFAULT, part);
      }
      for (const o of [UNIQUE_ASC, UNIQUE_DESC]) {
        await compare({ fn: "row_number" }, "row_number()", o, DEFAULT, part);
        for (const k of [1, 3, 7, 100, 1000])
          await compare({ fn: "ntile", buckets: k }, `ntile(${k})`, o, DEFAULT, part);
      }
    }
  });

  it("lag and lead", async () => {
    for (const o of [UNIQUE_ASC, UNIQUE_DESC]) {
      for (const off of [1, 2, 5]) {
        await compare({ fn: "lag", args: ["x"], offset: off }, `lag(x, ${off})`, o, DEFAULT);
        await compare({ fn: "lead", args: ["s"], offset: off }, `lead(s, ${off})`, o, DEFAULT);
        await compare(
          { fn: "lag", args: ["d"], offset: off, defaultName: "d" },
          `lag(d, ${off}, d)`,
          o,
          DEFAULT,
        );
        await compare(
          { fn: "lead", args: ["x"], offset: off, defaultName: "o" },
          `lead(x, ${off}, o)`,
          o,
          DEFAULT,
        );
        await compare(
          { fn: "lag", args: ["x"], offset: off, ignoreNulls: true },
          `lag(x, ${off} IGNORE NULLS)`,
          o,
          DEFAULT,
        );
        await compare(
          { fn: "lead", args: ["s"], offset: off, ignoreNulls: true },
          `lead(s, ${off} IGNORE NULLS)`,
          o,
          DEFAULT,
        );
      }
    }
  });

  it("first_value, last_value, nth_value and order-sensitive aggregates over ROWS frames", async () => {
    for (const o of [UNIQUE_ASC, UNIQUE_DESC]) {
      for (const fr of ROW_FRAMES) {
        await compare({ fn: "first_value", args: ["x"] }, "first_value(x)", o, fr);
        await compare({ fn: "last_value", args: ["s"] }, "last_value(s)", o, fr);
        await compare(
          { fn: "first_value", args: ["x"], ignoreNulls: true },
          "first_value(x IGNORE NULLS)",
          o,
          fr,
        );
        await compare(
          { fn: "last_value", args: ["d"], ignoreNulls: true },
          "last_value(d IGNORE NULLS)",
          o,
          fr,
        );
        await compare({ fn: "nth_value", args: ["x"], nth: 3 }, "nth_value(x, 3)", o, fr);
        await compare(
          { fn: "collect_list", args: ["x"] },
          "coalesce(list(x) FILTER (WHERE x IS NOT NULL) {over}, [])",
          o,
          fr,
        );
        await compare({ fn: "first", args: ["s"] }, "first(s)", o, fr);
        await compare(
          { fn: "last", args: ["x"], params: { ignoreNulls: true } },
          "last_value(x IGNORE NULLS)",
          o,
          fr,
        );
      }
    }
  });

  it("aggregates over ROWS frames", async () => {
    for (const o of [UNIQUE_ASC, UNIQUE_DESC, TIES_ASC, NO_ORDER]) {
      for (const fr of o === NO_ORDER ? [DEFAULT] : ROW_FRAMES) {
        // Over tied order keys, ROWS frames depend on the order of peers: only whole/unbounded ones agree.
        if (o === TIES_ASC && fr.spec !== null && (fr.spec.start !== null || fr.spec.end !== null)) continue;
        for (const [call, sql] of AGGREGATES) await compare(call, sql, o, fr);
      }
    }
  });

  it("aggregates over RANGE frames (value offsets and peers)", async () => {
    for (const o of [
      TIES_ASC,
      TIES_DESC,
      {
        ...TIES_DESC,
        spec: [{ name: "o", ascending: false, nullsFirst: true }],
        sql: "ORDER BY o DESC NULLS FIRST",
      },
    ]) {
      for (const fr of RANGE_FRAMES) {
        for (const [call, sql] of AGGREGATES) await compare(call, sql, o, fr);
      }
    }
    // A double order key with fractional offsets, both directions.
    for (const o of [
      { spec: [{ name: "d" }], sql: "ORDER BY d ASC NULLS FIRST" },
      { spec: [{ name: "d", ascending: false }], sql: "ORDER BY d DESC NULLS LAST" },
    ]) {
      for (const fr of [frame("range", -30.5, 10), frame("range", 0, 12.25), frame("range", null, -0.25)]) {
        for (const [call, sql] of AGGREGATES) await compare(call, sql, o, fr);
      }
    }
  });
});

describe("special doubles against DuckDB", () => {
  const vals = [
    Number.NaN,
    1,
    Number.NaN,
    Number.NEGATIVE_INFINITY,
    null,
    -0,
    0,
    Number.POSITIVE_INFINITY,
    2.5,
    1,
  ];
  const D = makeBatch({ id: [T.int32, vals.map((_, i) => i)], v: [T.float64, vals] });
  const sqlD = (v: number | null) =>
    v === null ? "NULL" : Number.isNaN(v) ? "'NaN'::DOUBLE" : `'${v}'::DOUBLE`;

  it("orders NaN above +Infinity and -0.0 with 0.0 in ranks, min/max and running sums", async () => {
    await db.run("CREATE OR REPLACE TABLE sd (id INTEGER, v DOUBLE)");
    await db.run(`INSERT INTO sd VALUES ${vals.map((v, i) => `(${i}, ${sqlD(v)})`).join(", ")}`);
    const cases: [Call, string][] = [
      [{ fn: "rank" }, "rank()"],
      [{ fn: "dense_rank" }, "dense_rank()"],
      [{ fn: "max", args: ["v"] }, "max(v)"],
      [{ fn: "min", args: ["v"] }, "min(v)"],
      [{ fn: "count", args: ["v"] }, "count(v)"],
    ];
    for (const asc of [true, false]) {
      for (const [call, sql] of cases) {
        const got = runWindow(D, { partitionBy: [], orderBy: [{ name: "v", ascending: asc }] }, call);
        const want = await db.rows(
          `SELECT id, ${sql} OVER (ORDER BY v ${asc ? "ASC NULLS FIRST" : "DESC NULLS LAST"}) AS r FROM sd ORDER BY id`,
        );
        // diffRows compares numbers by difference, which is NaN for equal infinities: compare their text.
        const txt = (v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v);
        const mine = got.map((v, i) => ({ id: i, r: txt(v) }));
        expect(
          diffRows(
            mine,
            want.map((w) => ({ id: w.id, r: txt(w.r) })),
          ),
          `${sql} ${asc}`,
        ).toBeNull();
      }
    }
  });
});

describe("where Spark and DuckDB differ (Spark's values asserted)", () => {
  it("integer sums wrap like Spark's long addition (DuckDB widens to HUGEINT)", () => {
    const w = makeBatch({ x: [T.int64, [2n ** 63n - 1n, 1n, 5n]] });
    const got = runWindow(
      w,
      { partitionBy: [], orderBy: [], frame: { type: "rows", start: null, end: 0 } },
      { fn: "sum", args: ["x"] },
    );
    expect(got).toEqual([2n ** 63n - 1n, -(2n ** 63n), -(2n ** 63n) + 5n]);
  });

  it("collect_list skips nulls and gives [] for an empty frame (DuckDB's list keeps nulls, gives NULL)", () => {
    const w = makeBatch({ x: [T.int32, [1, null, 3]] });
    const got = runWindow(
      w,
      { partitionBy: [], orderBy: [], frame: { type: "rows", start: 1, end: 5 } },
      { fn: "collect_list", args: ["x"] },
    );
    expect(got).toEqual([[3], [3], []]);
  });
});

const AGGREGATES: [Call, string][] = [
  [{ fn: "count" }, "count(*)"],
  [{ fn: "count", args: ["x"] }, "count(x)"],
  [{ fn: "count", args: ["x", "s"] }, "count(x) FILTER (WHERE s IS NOT NULL) {over}"],
  [{ fn: "sum", args: ["x"] }, "sum(x)"],
  [{ fn: "sum", args: ["d"] }, "sum(d)"],
  [{ fn: "avg", args: ["x"] }, "avg(x)"],
  [{ fn: "avg", args: ["d"] }, "avg(d)"],
  [{ fn: "min", args: ["x"] }, "min(x)"],
  [{ fn: "max", args: ["s"] }, "max(s)"],
  [{ fn: "min", args: ["d"] }, "min(d)"],
  [{ fn: "stddev_samp", args: ["d"] }, "stddev_samp(d)"],
  [{ fn: "var_pop", args: ["x"] }, "var_pop(x)"],
  [{ fn: "count_distinct", args: ["s"] }, "count(DISTINCT s)"],
];
