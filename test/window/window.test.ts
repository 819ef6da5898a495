// Window functions on a small hand-checked table: ties, null order keys (first ascending,
// last descending), a null partition key, frames at partition edges, empty frames, NaN and
// -0.0 order keys, a single row and an empty batch.
import { describe, expect, it } from "vitest";
import { sliceBatch } from "../../engine/columnar/ops.js";
import { evaluateWindow, WindowEvaluator } from "../../engine/exec/window/evaluate.js";
import { windowResultType } from "../../engine/exec/window/types.js";
import { T } from "../../engine/types/data-type.js";
import { jsValues } from "../sort/helpers.js";
import { makeBatch, runWindow } from "./helpers.js";

// Sorted within partitions by o (nulls first): null: 8, 9 | a: 3, 0, 1, 2, 4 | b: 7, 5, 6.
const b = makeBatch({
  id: [T.int32, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  p: [T.string, ["a", "a", "a", "a", "a", "b", "b", "b", null, null]],
  o: [T.int32, [1, 2, 2, null, 3, 5, 5, null, 1, 1]],
  x: [T.int32, [10, null, 30, 40, 50, 1, 2, 3, 7, null]],
  dflt: [T.int32, [0, -1, -2, -3, -4, -5, -6, -7, -8, -9]],
});
const byO = { partitionBy: ["p"], orderBy: [{ name: "o" }] };
const byOdesc = { partitionBy: ["p"], orderBy: [{ name: "o", ascending: false }] };

describe("ranking functions", () => {
  it("row_number, rank, dense_rank, percent_rank, cume_dist, ntile with ties and null keys", () => {
    expect(runWindow(b, byO, { fn: "row_number" })).toEqual([2, 3, 4, 1, 5, 2, 3, 1, 1, 2]);
    expect(runWindow(b, byO, { fn: "rank" })).toEqual([2, 3, 3, 1, 5, 2, 2, 1, 1, 1]);
    expect(runWindow(b, byO, { fn: "dense_rank" })).toEqual([2, 3, 3, 1, 4, 2, 2, 1, 1, 1]);
    expect(runWindow(b, byO, { fn: "percent_rank" })).toEqual([0.25, 0.5, 0.5, 0, 1, 0.5, 0.5, 0, 0, 0]);
    expect(runWindow(b, byO, { fn: "cume_dist" })).toEqual([0.4, 0.8, 0.8, 0.2, 1, 1, 1, 1 / 3, 1, 1]);
    expect(runWindow(b, byO, { fn: "ntile", buckets: 2 })).toEqual([1, 1, 2, 1, 2, 1, 2, 1, 1, 2]);
    expect(runWindow(b, byO, { fn: "ntile", buckets: 10 })).toEqual([2, 3, 4, 1, 5, 2, 3, 1, 1, 2]);
    // Descending: nulls last.
    expect(runWindow(b, byOdesc, { fn: "rank" })).toEqual([4, 2, 2, 5, 1, 1, 1, 3, 1, 1]);
    expect(() => runWindow(b, byO, { fn: "ntile", buckets: 0 })).toThrow(/positive/);
  });

  it("orders NaN above every number and -0.0 with 0.0", () => {
    const d = makeBatch({
      d: [
        T.float64,
        [Number.NaN, 1, Number.NaN, Number.NEGATIVE_INFINITY, null, -0, 0, Number.POSITIVE_INFINITY],
      ],
    });
    expect(runWindow(d, { partitionBy: [], orderBy: [{ name: "d" }] }, { fn: "rank" })).toEqual([
      7, 5, 7, 2, 1, 3, 3, 6,
    ]);
    expect(runWindow(d, { partitionBy: ["d"], orderBy: [{ name: "d" }] }, { fn: "row_number" })).toEqual([
      1, 1, 2, 1, 1, 1, 2, 1,
    ]);
  });
});

describe("offset functions", () => {
  it("lag and lead with offsets, defaults and ignoreNulls", () => {
    expect(runWindow(b, byO, { fn: "lag", args: ["x"] })).toEqual([
      40,
      10,
      null,
      null,
      30,
      3,
      1,
      null,
      null,
      7,
    ]);
    expect(runWindow(b, byO, { fn: "lag", args: ["x"], defaultName: "dflt" })).toEqual([
      40,
      10,
      null,
      -3,
      30,
      3,
      1,
      -7,
      -8,
      7,
    ]);
    expect(runWindow(b, byO, { fn: "lead", args: ["x"], offset: 2 })).toEqual([
      30,
      50,
      null,
      null,
      null,
      null,
      null,
      2,
      null,
      null,
    ]);
    expect(runWindow(b, byO, { fn: "lag", args: ["x"], offset: -2 })).toEqual(
      runWindow(b, byO, { fn: "lead", args: ["x"], offset: 2 }),
    );
    expect(runWindow(b, byO, { fn: "lag", args: ["x"], offset: 0 })).toEqual([
      10,
      null,
      30,
      40,
      50,
      1,
      2,
      3,
      7,
      null,
    ]);
    expect(runWindow(b, byO, { fn: "lag", args: ["x"], ignoreNulls: true })).toEqual([
      40,
      10,
      10,
      null,
      30,
      3,
      1,
      null,
      null,
      7,
    ]);
    expect(runWindow(b, byO, { fn: "lead", args: ["x"], ignoreNulls: true })).toEqual([
      30,
      30,
      50,
      10,
      null,
      2,
      null,
      1,
      null,
      null,
    ]);
    expect(runWindow(b, byO, { fn: "lead", args: ["x"], ignoreNulls: true, defaultName: "dflt" })).toEqual([
      30, 30, 50, 10, -4, 2, -6, 1, -8, -9,
    ]);
  });

  it("first_value, last_value and nth_value over the default frame (peers share)", () => {
    expect(runWindow(b, byO, { fn: "first_value", args: ["x"] })).toEqual([
      40, 40, 40, 40, 40, 3, 3, 3, 7, 7,
    ]);
    expect(runWindow(b, byO, { fn: "last_value", args: ["x"] })).toEqual([
      10,
      30,
      30,
      40,
      50,
      2,
      2,
      3,
      null,
      null,
    ]);
    expect(runWindow(b, byO, { fn: "last_value", args: ["x"], ignoreNulls: true })).toEqual([
      10, 30, 30, 40, 50, 2, 2, 3, 7, 7,
    ]);
    expect(runWindow(b, byO, { fn: "nth_value", args: ["x"], nth: 2 })).toEqual([
      10,
      10,
      10,
      null,
      10,
      1,
      1,
      null,
      null,
      null,
    ]);
    expect(runWindow(b, byO, { fn: "nth_value", args: ["x"], nth: 2, ignoreNulls: true })).toEqual([
      10,
      10,
      10,
      null,
      10,
      1,
      1,
      null,
      null,
      null,
    ]);
    const rows = { ...byO, frame: { type: "rows" as const, start: 1, end: 2 } };
    expect(runWindow(b, rows, { fn: "first_value", args: ["x"], ignoreNulls: true })).toEqual([
      30,
      30,
      50,
      10,
      null,
      2,
      null,
      1,
      null,
      null,
    ]);
    expect(runWindow(b, rows, { fn: "first", args: ["x"] })).toEqual([
      null,
      30,
      50,
      10,
      null,
      2,
      null,
      1,
      null,
      null,
    ]);
    expect(runWindow(b, rows, { fn: "last", args: ["x"], params: { ignoreNulls: true } })).toEqual([
      30,
      50,
      50,
      10,
      null,
      2,
      null,
      2,
      null,
      null,
    ]);
  });
});

describe("aggregates over frames", () => {
  it("running RANGE frame by default: peers share the value", () => {
    expect(runWindow(b, byO, { fn: "sum", args: ["x"] })).toEqual([50, 80, 80, 40, 130, 6, 6, 3, 7, 7]);
    expect(runWindow(b, byO, { fn: "count", args: ["x"] })).toEqual([2, 3, 3, 1, 4, 3, 3, 1, 1, 1]);
    expect(runWindow(b, byO, { fn: "count" })).toEqual([2, 4, 4, 1, 5, 3, 3, 1, 2, 2]);
    expect(runWindow(b, byO, { fn: "collect_list", args: ["x"] })).toEqual([
      [40, 10],
      [40, 10, 30],
      [40, 10, 30],
      [40],
      [40, 10, 30, 50],
      [3, 1, 2],
      [3, 1, 2],
      [3],
      [7],
      [7],
    ]);
  });

  it("whole partition without ORDER BY", () => {
    const whole = { partitionBy: ["p"], orderBy: [] };
    expect(runWindow(b, whole, { fn: "sum", args: ["x"] })).toEqual([130, 130, 130, 130, 130, 6, 6, 6, 7, 7]);
    expect(runWindow(b, whole, { fn: "max", args: ["x"] })).toEqual([50, 50, 50, 50, 50, 3, 3, 3, 7, 7]);
    expect(runWindow(b, whole, { fn: "stddev_pop", args: ["x"] }).slice(5, 8)).toEqual(
      Array(3).fill(Math.sqrt(2 / 3)),
    );
  });

  it("sliding ROWS frames at partition edges, including empty frames", () => {
    const around = { ...byO, frame: { type: "rows" as const, start: -1, end: 1 } };
    expect(runWindow(b, around, { fn: "sum", args: ["x"] })).toEqual([50, 40, 80, 50, 80, 6, 3, 4, 7, 7]);
    expect(runWindow(b, around, { fn: "min", args: ["x"] })).toEqual([10, 10, 30, 10, 30, 1, 1, 1, 7, 7]);
    expect(runWindow(b, around, { fn: "max", args: ["x"] })).toEqual([40, 30, 50, 40, 50, 3, 2, 3, 7, 7]);
    expect(runWindow(b, around, { fn: "avg", args: ["x"] })).toEqual([25, 20, 40, 25, 40, 2, 1.5, 2, 7, 7]);
    const ahead = { ...byO, frame: { type: "rows" as const, start: 1, end: 2 } };
    expect(runWindow(b, ahead, { fn: "count" })).toEqual([2, 2, 1, 2, 0, 1, 0, 2, 1, 0]);
    expect(runWindow(b, ahead, { fn: "sum", args: ["x"] })).toEqual([
      30,
      80,
      50,
      10,
      null,
      2,
      null,
      3,
      null,
      null,
    ]);
    expect(runWindow(b, ahead, { fn: "collect_list", args: ["x"] })).toEqual([
      [30],
      [30, 50],
      [50],
      [10],
      [],
      [2],
      [],
      [1, 2],
      [],
      [],
    ]);
    const behind = { ...byO, frame: { type: "rows" as const, start: null, end: -1 } };
    expect(runWindow(b, behind, { fn: "sum", args: ["x"] })).toEqual([
      40,
      50,
      50,
      null,
      80,
      3,
      4,
      null,
      null,
      7,
    ]);
    expect(runWindow(b, behind, { fn: "variance", args: ["x"] }).map((v) => v ?? "n")).toEqual([
      "n",
      450,
      450,
      "n",
      233.33333333333334,
      "n",
      2,
      "n",
      "n",
      "n",
    ]);
  });

  it("RANGE frames with value offsets, both directions, null keys framed with each other", () => {
    const back1 = { ...byO, frame: { type: "range" as const, start: -1, end: 0 } };
    expect(runWindow(b, back1, { fn: "sum", args: ["x"] })).toEqual([10, 40, 40, 40, 80, 3, 3, 3, 7, 7]);
    const desc = { ...byOdesc, frame: { type: "range" as const, start: -1, end: 1 } };
    expect(runWindow(b, desc, { fn: "sum", args: ["x"] })).toEqual([40, 90, 90, 40, 80, 3, 3, 3, 7, 7]);
    const toEnd = { ...byO, frame: { type: "range" as const, start: 1, end: null } };
    // A null key's frame starts at the null rows (first) and runs to the end.
    expect(runWindow(b, toEnd, { fn: "count" })).toEqual([3, 1, 1, 5, 0, 0, 0, 3, 0, 0]);
    expect(() =>
      runWindow(
        b,
        {
          partitionBy: ["p"],
          orderBy: [{ name: "o" }, { name: "x" }],
          frame: { type: "range", start: -1, end: 0 },
        },
        { fn: "count" },
      ),
    ).toThrow(/exactly one ORDER BY/);
  });

  it("returns Spark's result types", () => {
    expect(windowResultType("rank", [])).toEqual(T.int32);
    expect(windowResultType("cume_dist", [])).toEqual(T.float64);
    expect(windowResultType("lag", [T.string])).toEqual(T.string);
    expect(windowResultType("sum", [T.int32])).toEqual(T.int64);
    expect(windowResultType("avg", [T.int64])).toEqual(T.float64);
    expect(windowResultType("count", [])).toEqual(T.int64);
    const sorted = makeBatch({ x: [T.int32, [1, 2]] });
    const ev = new WindowEvaluator(sorted, {
      partitionBy: [],
      orderBy: [{ index: 0, ascending: true, nullsFirst: true }],
    });
    expect(ev.evaluate({ fn: "sum", args: [0] }).type).toEqual(T.int64);
    expect(ev.evaluate({ fn: "avg", args: [0] }).type).toEqual(T.float64);
    expect(ev.evaluate({ fn: "count", args: [0] }).type).toEqual(T.int64);
    expect(ev.evaluate({ fn: "row_number" }).type).toEqual(T.int32);
  });
});

describe("edge batches", () => {
  const FNS = [
    { fn: "row_number" },
    { fn: "rank" },
    { fn: "dense_rank" },
    { fn: "percent_rank" },
    { fn: "cume_dist" },
    { fn: "ntile", buckets: 3 },
    { fn: "lag", args: ["x"] },
    { fn: "lead", args: ["x"] },
    { fn: "first_value", args: ["x"] },
    { fn: "last_value", args: ["x"] },
    { fn: "nth_value", args: ["x"], nth: 1 },
    { fn: "sum", args: ["x"] },
    { fn: "avg", args: ["x"] },
    { fn: "min", args: ["x"] },
    { fn: "count" },
    { fn: "collect_list", args: ["x"] },
    { fn: "stddev_samp", args: ["x"] },
  ];

  it("a single row", () => {
    const one = makeBatch({ p: [T.int32, [1]], x: [T.float64, [2.5]] });
    const got = FNS.map(
      (f) => runWindow(one, { partitionBy: ["p"], orderBy: [{ name: "x" }] }, { ...f, fn: f.fn })[0],
    );
    expect(got).toEqual([1, 1, 1, 0, 1, 1, null, null, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 1, [2.5], null]);
  });

  it("an empty batch", () => {
    const empty = sliceBatch(makeBatch({ p: [T.int32, [1]], x: [T.float64, [2.5]] }), 0, 0);
    for (const f of FNS) {
      const col = evaluateWindow(
        empty,
        { partitionBy: [0], orderBy: [{ index: 1, ascending: true, nullsFirst: true }] },
        { ...f, args: f.args ? [1] : [] },
      );
      expect(col.length).toBe(0);
      expect(jsValues(col)).toEqual([]);
    }
  });
});
