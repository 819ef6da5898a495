// Spark 3.5 semantics of count, sum, avg, min, max, first and last (non-ANSI): nulls, empty
// groups, NaN, int64 wrap-around, exact decimals and their overflow to null.
import { describe, expect, it } from "vitest";
import { columnFromValues, type JsValue, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { AnalysisError } from "../../engine/errors.js";
import { aggregateFunctions } from "../../engine/exec/agg/accumulators.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import { rng, runAgg, runGlobal } from "./helpers.js";

const col = (t: DataType, v: readonly JsValue[]): Column => columnFromValues(t, v);
const ints = (v: readonly (number | null)[]) => col(T.int32, v);
const longs = (v: readonly (bigint | null)[]) => col(T.int64, v);
const dbls = (v: readonly (number | null)[]) => col(T.float64, v);
const dec = (p: number, s: number, v: readonly (string | null)[]) => col(T.decimal(p, s), v);
const empty = (t: DataType) => col(t, []);

/** Every way of running: complete, in several batches, and split into partial aggregations merged by a final one. */
function allWays(name: string, args: Column[], params?: object): unknown {
  const p = params as never;
  const whole = runGlobal(name, args, { params: p });
  expect(runGlobal(name, args, { params: p, batch: 2 })).toEqual(whole);
  expect(runGlobal(name, args, { params: p, parts: 3 })).toEqual(whole);
  return whole;
}

describe("count", () => {
  it("counts rows for count(*), non-null rows for count(col) and all-non-null rows for count(a, b)", () => {
    const a = ints([1, null, 3, 4]);
    const b = ints([1, 2, null, 4]);
    expect(allWays("count", [])).toBe(0n);
    expect(runAgg("count", [], [a]).size).toBe(4);
    expect(allWays("count", [a])).toBe(3n);
    expect(allWays("count", [a, b])).toBe(2n);
    expect(allWays("count", [{ type: T.null, length: 2, valid: new Uint8Array(2) }])).toBe(0n);
  });
  it("gives 0 (not null) for a global count over no rows", () => {
    expect(runGlobal("count", [empty(T.int32)])).toBe(0n);
  });
});

describe("sum", () => {
  it("sums int32 into int64 without overflow, skipping nulls; null when nothing to sum", () => {
    expect(allWays("sum", [ints([2147483647, 2147483647, null])])).toBe(4294967294n);
    expect(allWays("sum", [ints([null, null])])).toBe(null);
    expect(runGlobal("sum", [empty(T.int32)])).toBe(null);
    const g = runAgg("sum", [ints([1, null, 3, null])], [ints([1, 2, 1, 2])]);
    expect([...g]).toEqual([
      ["[1]", 4n],
      ["[2]", null],
    ]);
  });

  it("wraps int64 sums like Java's long", () => {
    const max = 2n ** 63n - 1n;
    expect(allWays("sum", [longs([max, 1n])])).toBe(-(2n ** 63n));
    expect(allWays("sum", [longs([-(2n ** 63n), -1n])])).toBe(max);
    expect(allWays("sum", [longs([2n ** 62n, 2n ** 62n, 2n ** 62n])])).toBe(-(2n ** 62n));
    // Many full-range values: the limbs carry correctly.
    const r = rng(7);
    const vals = Array.from({ length: 50_000 }, () =>
      BigInt.asIntN(64, BigInt(Math.floor(r() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(r() * 2 ** 32))),
    );
    const want = BigInt.asIntN(
      64,
      vals.reduce((x, y) => x + y, 0n),
    );
    expect(runGlobal("sum", [longs(vals)], { batch: 4096 })).toBe(want);
    expect(runGlobal("sum", [longs(vals)], { parts: 4 })).toBe(want);
  });

  it("sums doubles, with NaN and infinities as IEEE says", () => {
    expect(allWays("sum", [dbls([1.5, null, 2.25])])).toBe(3.75);
    expect(Number.isNaN(allWays("sum", [dbls([1, Number.NaN])]))).toBe(true);
    expect(Number.isNaN(runGlobal("sum", [dbls([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])]))).toBe(
      true,
    );
  });

  it("sums decimals exactly into decimal(p+10, s) and returns null on overflow", () => {
    const def = aggregateFunctions.sum!;
    expect(def.resolve([T.decimal(10, 2)]).result).toEqual(T.decimal(20, 2));
    expect(def.resolve([T.decimal(30, 5)]).result).toEqual(T.decimal(38, 5));
    expect(allWays("sum", [dec(10, 2, ["1.10", null, "-5.55", "99999999.99"])])).toBe("99999995.54");
    const big = "12345678901234567890123456.789012345678";
    expect(allWays("sum", [dec(38, 12, [big, big, `-${big}`])])).toBe(big);
    expect(allWays("sum", [dec(38, 0, [null, null])])).toBe(null);
    // 2 x 9.9e37 > 10^38 - 1: overflow gives null, in every mode (including merged partials).
    const near = `99${"0".repeat(36)}`;
    expect(allWays("sum", [dec(38, 0, [near, near])])).toBe(null);
    expect(allWays("sum", [dec(38, 0, [near, "1", near, null])])).toBe(null);
    expect(allWays("sum", [dec(38, 0, [near, `-${near}`, near])])).toBe(near);
    // Exact across many rows: 200000 x 0.01 = 2000.00
    expect(runGlobal("sum", [dec(5, 2, Array(200_000).fill("0.01"))], { batch: 7000 })).toBe("2000.00");
  });

  it("casts strings to double and rejects booleans and dates", () => {
    expect(aggregateFunctions.sum!.resolve([T.string]).argTypes).toEqual([T.float64]);
    expect(() => aggregateFunctions.sum!.resolve([T.boolean])).toThrow(AnalysisError);
    expect(() => aggregateFunctions.avg!.resolve([T.date])).toThrow(AnalysisError);
    expect(() => aggregateFunctions.sum!.resolve([T.int32, T.int32])).toThrow(/takes 1/);
  });
});

describe("avg", () => {
  it("averages numbers as double, skipping nulls; null when empty", () => {
    expect(allWays("avg", [ints([1, 2, null])])).toBe(1.5);
    expect(allWays("avg", [longs([2n ** 53n, 2n ** 53n])])).toBe(2 ** 53);
    expect(allWays("avg", [dbls([null])])).toBe(null);
    expect(runGlobal("avg", [empty(T.float64)])).toBe(null);
  });

  it("averages decimals into decimal(p+4, s+4), rounding half up", () => {
    expect(aggregateFunctions.avg!.resolve([T.decimal(10, 2)]).result).toEqual(T.decimal(14, 6));
    expect(aggregateFunctions.avg!.resolve([T.decimal(38, 36)]).result).toEqual(T.decimal(38, 38));
    expect(allWays("avg", [dec(10, 2, ["1.00", "2.00", "2.00", null])])).toBe("1.666667");
    expect(allWays("avg", [dec(10, 2, ["-1.00", "-2.00", "-2.00"])])).toBe("-1.666667");
    // 1 / 32 = 0.03125 -> 0.0313 at scale 4 (half up, away from zero)
    expect(allWays("avg", [dec(1, 0, ["1", ...Array(31).fill("0")])])).toBe("0.0313");
    expect(allWays("avg", [dec(1, 0, ["-1", ...Array(31).fill("0")])])).toBe("-0.0313");
    expect(allWays("avg", [dec(5, 0, [null])])).toBe(null);
  });
});

describe("min and max", () => {
  it("order numbers, dates, timestamps and booleans, skipping nulls", () => {
    expect(allWays("min", [ints([3, null, -7, 5])])).toBe(-7);
    expect(allWays("max", [ints([3, null, -7, 5])])).toBe(5);
    expect(allWays("max", [longs([-1n, 2n ** 32n, 5n, null])])).toBe(2n ** 32n);
    expect(allWays("min", [longs([-(2n ** 40n), 1n, -1n])])).toBe(-(2n ** 40n));
    expect(allWays("min", [col(T.boolean, [true, null, false])])).toBe(false);
    expect(allWays("max", [col(T.boolean, [false, true, null])])).toBe(true);
    expect(allWays("max", [col(T.date, ["2021-03-01", "1969-12-31", null])])).toEqual(new Date("2021-03-01"));
    expect(allWays("min", [col(T.timestamp, [-5n, 2n ** 45n, 3n])])).toBe(-5n);
    expect(allWays("max", [ints([null, null])])).toBe(null);
  });

  it("treat NaN as larger than every double", () => {
    expect(Number.isNaN(allWays("max", [dbls([1, Number.NaN, Number.POSITIVE_INFINITY])]))).toBe(true);
    expect(allWays("min", [dbls([Number.NaN, 1, Number.NEGATIVE_INFINITY])])).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(allWays("min", [dbls([Number.NaN, null])]))).toBe(true);
  });

  it("compare strings by UTF-8 bytes and decimals as integers", () => {
    // UTF-16 puts U+FFFD above an astral character; UTF-8 (Spark) puts it below.
    expect(allWays("max", [stringColumnFromArray(["\uFFFD", "😀", null, "z"])])).toBe("😀");
    expect(allWays("min", [stringColumnFromArray(["b", "", "a", null])])).toBe("");
    expect(allWays("min", [dec(38, 2, ["1.00", "-99999999999999999999.99", "5"])])).toBe(
      "-99999999999999999999.99",
    );
    expect(allWays("max", [dec(38, 2, ["1.00", "-99999999999999999999.99", "5"])])).toBe("5.00");
    expect(allWays("min", [col(T.list(T.int32), [[1, 2], [1], null, [0, 9]])])).toEqual([0, 9]);
  });

  it("keep string extremes right over many small batches (store compaction)", () => {
    const r = rng(9);
    const n = 60_000;
    const vals = Array.from({ length: n }, () => (r() < 0.1 ? null : `v${Math.floor(r() * 1e6)}`));
    const keys = ints(Array.from({ length: n }, (_, i) => i % 13));
    const got = runAgg("max", [stringColumnFromArray(vals)], [keys], { batch: 50 });
    const gotMin = runAgg("min", [stringColumnFromArray(vals)], [keys], { batch: 50 });
    for (let g = 0; g < 13; g++) {
      const mine = vals.filter((v, i) => v !== null && i % 13 === g) as string[];
      const bytes = (s: string) => Buffer.from(s);
      mine.sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
      expect(got.get(`[${g}]`)).toBe(mine[mine.length - 1]);
      expect(gotMin.get(`[${g}]`)).toBe(mine[0]);
    }
  });
});

describe("first and last", () => {
  const v = ints([null, 1, 2, null]);
  it("take the first/last row in input order, nulls included unless ignoreNulls", () => {
    expect(allWays("first", [v])).toBe(null);
    expect(allWays("first", [v], { ignoreNulls: true })).toBe(1);
    expect(allWays("last", [v])).toBe(null);
    expect(allWays("last", [v], { ignoreNulls: true })).toBe(2);
    expect(runGlobal("first", [empty(T.string)])).toBe(null);
  });

  it("keep input order across partial states merged in order", () => {
    const s = stringColumnFromArray([null, null, "a", "b", null, "c", null, null, null]);
    for (const parts of [1, 2, 3, 9]) {
      expect(runGlobal("first", [s], { parts, params: { ignoreNulls: true } })).toBe("a");
      expect(runGlobal("last", [s], { parts, params: { ignoreNulls: true } })).toBe("c");
      expect(runGlobal("last", [s], { parts })).toBe(null);
    }
    const r = rng(3);
    const n = 40_000;
    const vals = Array.from({ length: n }, (_, i) => (r() < 0.3 ? null : `s${i}`));
    const keys = ints(Array.from({ length: n }, (_, i) => i % 7));
    const last = runAgg("last", [stringColumnFromArray(vals)], [keys], {
      batch: 64,
      params: { ignoreNulls: true },
    });
    const first = runAgg("first", [stringColumnFromArray(vals)], [keys], {
      parts: 5,
      params: { ignoreNulls: true },
    });
    for (let g = 0; g < 7; g++) {
      const mine = vals.filter((x, i) => x !== null && i % 7 === g);
      expect(last.get(`[${g}]`)).toBe(mine[mine.length - 1]);
      expect(first.get(`[${g}]`)).toBe(mine[0]);
    }
  });
});
