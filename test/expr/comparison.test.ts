import { describe, expect, it } from "vitest";
import { E } from "../../engine/expr/expr.js";
import { T } from "../../engine/types/data-type.js";
import { batch, call, evaluate, kept, lit, one, ref } from "./helpers.js";

const OPS = ["eq", "neq", "lt", "le", "gt", "ge"] as const;
const js: Record<(typeof OPS)[number], (c: number) => boolean> = {
  eq: (c) => c === 0,
  neq: (c) => c !== 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
};

describe("comparisons", () => {
  it("compares numbers across int, bigint, double and decimal", () => {
    expect(one("lt", lit(1), lit(2n))).toBe(true);
    expect(one("eq", lit(1), lit(1.0))).toBe(true);
    expect(one("gt", lit(3n), lit(2.5))).toBe(true);
    expect(one("eq", lit(150n, T.decimal(5, 2)), lit(1.5))).toBe(true);
    expect(one("eq", lit(150n, T.decimal(5, 2)), lit(15n, T.decimal(3, 1)))).toBe(true);
    expect(one("lt", lit(150n, T.decimal(5, 2)), lit(2))).toBe(true);
    expect(one("ge", lit(-150n, T.decimal(5, 2)), lit(-1))).toBe(false);
  });

  it("treats NaN as equal to itself and larger than everything", () => {
    const nan = lit(Number.NaN);
    expect(one("eq", nan, nan)).toBe(true);
    expect(one("neq", nan, nan)).toBe(false);
    expect(one("gt", nan, lit(Number.POSITIVE_INFINITY))).toBe(true);
    expect(one("lt", lit(Number.POSITIVE_INFINITY), nan)).toBe(true);
    expect(one("le", nan, nan)).toBe(true);
    expect(one("ge", nan, nan)).toBe(true);
    expect(one("lt", nan, lit(1.0))).toBe(false);
    expect(one("eq", lit(0.0), lit(-0.0))).toBe(true);
  });

  it("agrees with a reference ordering on every operator and literal side", () => {
    const xs = [Number.NaN, Number.NEGATIVE_INFINITY, -1.5, -0, 0, 0.1, 2, Number.POSITIVE_INFINITY];
    const cmp = (a: number, b: number) => {
      const an = Number.isNaN(a);
      const bn = Number.isNaN(b);
      if (an || bn) return an && bn ? 0 : an ? 1 : -1;
      return a < b ? -1 : a > b ? 1 : 0;
    };
    const b = batch({ x: [T.float64, xs] });
    for (const op of OPS) {
      for (const y of xs) {
        expect(evaluate(call(op, ref(b, "x"), lit(y, T.float64)), b)).toEqual(
          xs.map((x) => js[op](cmp(x, y))),
        );
        expect(evaluate(call(op, lit(y, T.float64), ref(b, "x")), b)).toEqual(
          xs.map((x) => js[op](cmp(y, x))),
        );
      }
    }
  });

  it("compares int64 exactly beyond 2^53, on columns and literals", () => {
    const vs = [-(2n ** 63n), -(2n ** 53n) - 1n, -1n, 0n, 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n];
    const b = batch({ a: [T.int64, vs], c: [T.int64, [...vs].reverse()] });
    const sign = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
    for (const op of OPS) {
      expect(evaluate(call(op, ref(b, "a"), ref(b, "c")), b)).toEqual(
        vs.map((x, i) => js[op](sign(x, [...vs].reverse()[i]!))),
      );
      expect(evaluate(call(op, ref(b, "a"), lit(2n ** 53n + 1n)), b)).toEqual(
        vs.map((x) => js[op](sign(x, 2n ** 53n + 1n))),
      );
    }
  });

  it("compares decimals beyond 2^53 exactly", () => {
    const vs = ["-99999999999999999999.99", "-1.00", "0.00", "0.01", "12345678901234567890.12"];
    const b = batch({ d: [T.decimal(22, 2), vs] });
    expect(evaluate(call("gt", ref(b, "d"), lit(0n, T.decimal(22, 2))), b)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(evaluate(call("lt", ref(b, "d"), lit(-1)), b)).toEqual([true, false, false, false, false]);
    expect(evaluate(call("eq", ref(b, "d"), lit(-100n, T.decimal(22, 2))), b)).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it("compares strings by UTF-8 bytes", () => {
    const vs = ["", "a", "ab", "b", "Z", "é", "😀", "\uffff"];
    const b = batch({ s: [T.string, vs] });
    const bytes = (s: string) => Buffer.from(s, "utf8");
    for (const op of OPS) {
      for (const y of ["a", "é", "😀", "\uffff", ""]) {
        expect(evaluate(call(op, ref(b, "s"), lit(y)), b)).toEqual(
          vs.map((x) => js[op](Buffer.compare(bytes(x), bytes(y)))),
        );
      }
    }
    // "\uffff" (EF BF BF) sorts below "😀" (F0 ...) in UTF-8, unlike UTF-16 code units
    expect(one("lt", lit("\uffff"), lit("😀"))).toBe(true);
  });

  it("compares string columns with each other", () => {
    const b = batch({ a: [T.string, ["a", "b", null, "x"]], c: [T.string, ["a", "a", "a", "xy"]] });
    expect(evaluate(call("eq", ref(b, "a"), ref(b, "c")), b)).toEqual([true, false, null, false]);
    expect(evaluate(call("lt", ref(b, "a"), ref(b, "c")), b)).toEqual([false, false, null, true]);
  });

  it("casts the string side to the other type", () => {
    expect(one("eq", lit("1"), lit(1))).toBe(true);
    expect(one("eq", lit(" 1 "), lit(1))).toBe(true);
    expect(one("eq", lit("1.9"), lit(1))).toBe(true); // '1.9' as int is 1, as Spark does
    expect(one("eq", lit("abc"), lit(1))).toBe(null);
    expect(one("gt", lit("1.5"), lit(1.2))).toBe(true);
    expect(one("eq", lit("1.50"), lit(150n, T.decimal(5, 2)))).toBe(true); // via double
    expect(one("eq", lit("2024-01-15"), lit(19737, T.date))).toBe(true);
    expect(one("lt", lit("2024-01-15 10:00:00"), lit(1705316400000001n, T.timestamp))).toBe(true);
    expect(one("eq", lit("true"), lit(true))).toBe(true);
  });

  it("promotes a date to a timestamp", () => {
    const day = 19737; // 2024-01-15
    const midnight = BigInt(day) * 86400000000n;
    expect(one("eq", lit(day, T.date), lit(midnight, T.timestamp))).toBe(true);
    expect(one("lt", lit(day, T.date), lit(midnight + 1n, T.timestamp))).toBe(true);
    expect(one("eq", lit(day, T.date), lit(midnight, T.timestampNtz))).toBe(true);
  });

  it("compares booleans with false < true, and with numbers by equality only", () => {
    expect(one("lt", lit(false), lit(true))).toBe(true);
    expect(one("eq", lit(true), lit(1))).toBe(true);
    expect(one("eq", lit(false), lit(2))).toBe(false);
    expect(() => call("lt", lit(true), lit(1))).toThrow(/cannot compare/);
  });

  it("rejects incomparable types", () => {
    expect(() => call("eq", lit(1, T.date), lit(1))).toThrow(/cannot compare/);
    expect(() => call("eq", lit(true), lit(1, T.date))).toThrow(/cannot compare/);
  });

  it("propagates nulls except in <=>", () => {
    const b = batch({ a: [T.int32, [1, null, null, 2]], c: [T.int32, [1, 1, null, null]] });
    expect(evaluate(call("eq", ref(b, "a"), ref(b, "c")), b)).toEqual([true, null, null, null]);
    expect(evaluate(call("eq_null_safe", ref(b, "a"), ref(b, "c")), b)).toEqual([true, false, true, false]);
    expect(evaluate(call("eq_null_safe", ref(b, "a"), lit(null)), b)).toEqual([false, true, true, false]);
    expect(evaluate(call("eq_null_safe", ref(b, "a"), lit(2)), b)).toEqual([false, false, false, true]);
    expect(one("eq_null_safe", lit(Number.NaN), lit(Number.NaN))).toBe(true);
    expect(one("lt", lit(null), lit(null))).toBe(null);
  });

  it("filters with null as false", () => {
    const b = batch({ x: [T.float64, [0.05, 0.2, null, 1, Number.NaN]] });
    expect(kept(call("gt", ref(b, "x"), lit(0.1)), b)).toEqual([1, 3, 4]);
    expect(kept(E.call("not", call("gt", ref(b, "x"), lit(0.1))), b)).toEqual([0]);
  });
});
