import { describe, expect, it } from "vitest";
import { T } from "../../engine/types/data-type.js";
import { batch, call, evaluate, lit, one, ref, typeOf } from "./helpers.js";

describe("round and bround", () => {
  it("round doubles half-up on their decimal form (Spark's BigDecimal.valueOf)", () => {
    expect(one("round", lit(2.5))).toBe(3);
    expect(one("round", lit(-2.5))).toBe(-3);
    expect(one("round", lit(0.5))).toBe(1);
    expect(one("round", lit(1.005), lit(2))).toBe(1.01);
    expect(one("round", lit(2.675), lit(2))).toBe(2.68);
    expect(one("round", lit(0.125), lit(2))).toBe(0.13);
    expect(one("round", lit(-0.125), lit(2))).toBe(-0.13);
    expect(one("round", lit(0.1 + 0.2), lit(1))).toBe(0.3);
    expect(one("round", lit(1234.5678), lit(-2))).toBe(1200);
    expect(one("round", lit(1250.0), lit(-2))).toBe(1300);
    expect(one("round", lit(123.456), lit(5))).toBe(123.456);
    expect(Object.is(one("round", lit(-0.4)), 0)).toBe(true);
    expect(one("round", lit(Number.NaN))).toBeNaN();
    expect(one("round", lit(Number.POSITIVE_INFINITY), lit(2))).toBe(Number.POSITIVE_INFINITY);
    expect(one("round", lit(1e300), lit(2))).toBe(1e300);
    expect(one("round", lit(4503599627370497.0))).toBe(4503599627370497);
    expect(one("round", lit(0.285), lit(2))).toBe(0.29);
    expect(one("round", lit(1.4999999999999998))).toBe(1);
  });

  it("bround doubles half-even", () => {
    expect(one("bround", lit(2.5))).toBe(2);
    expect(one("bround", lit(3.5))).toBe(4);
    expect(one("bround", lit(-2.5))).toBe(-2);
    expect(one("bround", lit(0.125), lit(2))).toBe(0.12);
    expect(one("bround", lit(0.135), lit(2))).toBe(0.14);
    expect(one("bround", lit(2.675), lit(2))).toBe(2.68);
    expect(one("bround", lit(1250.0), lit(-2))).toBe(1200);
  });

  it("round integers at negative scales, wrapping like Java", () => {
    expect(typeOf("round", lit(15), lit(-1))).toEqual(T.int32);
    expect(one("round", lit(15), lit(-1))).toBe(20);
    expect(one("round", lit(-15), lit(-1))).toBe(-20);
    expect(one("bround", lit(25), lit(-1))).toBe(20);
    expect(one("round", lit(15), lit(1))).toBe(15);
    expect(one("round", lit(2147483647), lit(-1))).toBe(-2147483646);
    expect(one("round", lit(15n), lit(-1))).toBe(20n);
    expect(one("round", lit(2n ** 62n + 5n), lit(-1))).toBe(4611686018427387910n);
  });

  it("round decimals with Spark 3.4+ result types", () => {
    expect(typeOf("round", lit(1235n, T.decimal(5, 3)), lit(2))).toEqual(T.decimal(5, 2));
    expect(one("round", lit(1235n, T.decimal(5, 3)), lit(2))).toBe(124n);
    expect(one("bround", lit(1235n, T.decimal(5, 3)), lit(2))).toBe(124n);
    expect(one("bround", lit(1225n, T.decimal(5, 3)), lit(2))).toBe(122n);
    expect(typeOf("round", lit(25n, T.decimal(2, 1)))).toEqual(T.decimal(2, 0));
    expect(one("round", lit(25n, T.decimal(2, 1)))).toBe(3n);
    expect(one("round", lit(-25n, T.decimal(2, 1)))).toBe(-3n);
    expect(typeOf("round", lit(12345n, T.decimal(5, 2)), lit(-1))).toEqual(T.decimal(4, 0));
    expect(one("round", lit(12345n, T.decimal(5, 2)), lit(-1))).toBe(120n);
    expect(typeOf("round", lit(12345n, T.decimal(5, 2)), lit(4))).toEqual(T.decimal(6, 2));
    expect(one("round", lit(12345n, T.decimal(5, 2)), lit(4))).toBe(12345n);
    const big = 123456789012345678901250n;
    expect(one("round", lit(big, T.decimal(30, 4)), lit(2))).toBe(1234567890123456789012n + 1n);
  });

  it("requires a literal scale", () => {
    const b = batch({ d: [T.int32, [1]] });
    expect(() => call("round", lit(1.5), ref(b, "d"))).toThrow(/literal/);
  });
});

describe("floor, ceil, abs, signum", () => {
  it("floor/ceil return bigint for doubles and narrow decimals", () => {
    expect(typeOf("floor", lit(1.5))).toEqual(T.int64);
    expect(typeOf("ceil", lit(1))).toEqual(T.int64);
    expect(one("floor", lit(-0.5))).toBe(-1n);
    expect(one("ceil", lit(-0.5))).toBe(0n);
    expect(one("floor", lit(Number.NaN))).toBe(0n);
    expect(one("ceil", lit(1e20))).toBe(2n ** 63n - 1n);
    expect(one("floor", lit(7))).toBe(7n);
    expect(typeOf("floor", lit(-125n, T.decimal(5, 2)))).toEqual(T.decimal(4, 0));
    expect(one("floor", lit(-125n, T.decimal(5, 2)))).toBe(-2n);
    expect(one("ceil", lit(-125n, T.decimal(5, 2)))).toBe(-1n);
    expect(one("ceil", lit(125n, T.decimal(5, 2)))).toBe(2n);
    expect(one("ceil", lit(300n, T.decimal(5, 2)))).toBe(3n);
    expect(one("floor", lit(10n ** 30n + 1n, T.decimal(32, 2)))).toBe(10n ** 28n);
  });

  it("abs keeps the type and wraps at the minimum", () => {
    expect(one("abs", lit(-2147483648))).toBe(-2147483648);
    expect(one("abs", lit(-5n))).toBe(5n);
    expect(one("abs", lit(-(2n ** 63n)))).toBe(-(2n ** 63n));
    expect(one("abs", lit(-2.5))).toBe(2.5);
    expect(one("abs", lit(-125n, T.decimal(5, 2)))).toBe(125n);
  });

  it("signum is a double", () => {
    expect(one("signum", lit(-3))).toBe(-1);
    expect(one("signum", lit(0))).toBe(0);
    expect(one("signum", lit(Number.NaN))).toBeNaN();
  });
});

describe("double functions", () => {
  it("logarithms are null at or below their asymptote", () => {
    expect(one("ln", lit(0))).toBe(null);
    expect(one("ln", lit(-1))).toBe(null);
    expect(one("log", lit(Math.E))).toBe(1);
    expect(one("log", lit(2), lit(8))).toBe(3);
    expect(one("log", lit(0), lit(8))).toBe(null);
    expect(one("log10", lit(100))).toBe(2);
    expect(one("log2", lit(8))).toBe(3);
    expect(one("log1p", lit(-1))).toBe(null);
  });

  it("computes the rest through Math", () => {
    expect(one("sqrt", lit(4))).toBe(2);
    expect(one("sqrt", lit(-1))).toBeNaN();
    expect(one("pow", lit(2), lit(10))).toBe(1024);
    expect(one("power", lit(2), lit(-1))).toBe(0.5);
    expect(one("exp", lit(0))).toBe(1);
    expect(one("cbrt", lit(27))).toBe(3);
    expect(one("degrees", lit(Math.PI))).toBe(180);
    expect(one("radians", lit(180))).toBe(Math.PI);
    expect(one("rint", lit(2.5))).toBe(2);
    expect(one("rint", lit(3.5))).toBe(4);
    expect(one("atan2", lit(1), lit(1))).toBe(Math.PI / 4);
    expect(one("pi")).toBe(Math.PI);
    expect(one("sqrt", lit("16"))).toBe(4);
    expect(one("sqrt", lit(null))).toBe(null);
  });

  it("runs over columns with nulls", () => {
    const b = batch({ x: [T.float64, [4, null, 0, -4]] });
    expect(evaluate(call("sqrt", ref(b, "x")), b)).toEqual([2, null, 0, Number.NaN]);
    expect(evaluate(call("ln", ref(b, "x")), b)).toEqual([Math.log(4), null, null, null]);
  });
});
