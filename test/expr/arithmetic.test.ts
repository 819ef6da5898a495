import { describe, expect, it } from "vitest";
import { T } from "../../engine/types/data-type.js";
import { batch, call, evaluate, lit, one, ref, typeOf } from "./helpers.js";

const MAX32 = 2147483647;
const MIN32 = -2147483648;
const MAX64 = 9223372036854775807n;
const MIN64 = -9223372036854775808n;

describe("arithmetic result types", () => {
  it("follows Spark's numeric widening", () => {
    expect(typeOf("add", lit(1), lit(2))).toEqual(T.int32);
    expect(typeOf("add", lit(1), lit(2n))).toEqual(T.int64);
    expect(typeOf("add", lit(1), lit(2.5))).toEqual(T.float64);
    expect(typeOf("multiply", lit(1n), lit(2.5))).toEqual(T.float64);
    expect(typeOf("divide", lit(1), lit(2))).toEqual(T.float64);
    expect(typeOf("divide", lit(1n), lit(2n))).toEqual(T.float64);
    expect(typeOf("mod", lit(7), lit(2n))).toEqual(T.int64);
    expect(typeOf("div", lit(7), lit(2))).toEqual(T.int64);
    expect(typeOf("add", lit("1"), lit(2))).toEqual(T.float64);
    expect(typeOf("add", lit(null), lit(2))).toEqual(T.int32);
    expect(typeOf("add", lit(null), lit(null))).toEqual(T.float64);
    expect(typeOf("negate", lit(1n))).toEqual(T.int64);
  });

  it("follows Spark's decimal precision and scale rules", () => {
    const d102 = lit(100n, T.decimal(10, 2));
    const d52 = lit(100n, T.decimal(5, 2));
    expect(typeOf("add", d102, d52)).toEqual(T.decimal(11, 2));
    expect(typeOf("subtract", lit(1n, T.decimal(10, 3)), d52)).toEqual(T.decimal(11, 3));
    expect(typeOf("multiply", d102, d52)).toEqual(T.decimal(16, 4));
    expect(typeOf("divide", d102, d52)).toEqual(T.decimal(18, 8));
    expect(typeOf("mod", d102, d52)).toEqual(T.decimal(5, 2));
    // integer literals take only their own digits; columns take (10,0) / (20,0)
    expect(typeOf("add", d102, lit(1))).toEqual(T.decimal(11, 2));
    const b = batch({ i: [T.int32, [1]], l: [T.int64, [1n]] });
    expect(typeOf("add", d102, ref(b, "i"))).toEqual(T.decimal(13, 2));
    expect(typeOf("add", d102, ref(b, "l"))).toEqual(T.decimal(23, 2));
    expect(typeOf("multiply", d102, lit(1.5))).toEqual(T.float64);
    // precision capped at 38 keeping integral digits, scale at least 6
    expect(typeOf("multiply", lit(1n, T.decimal(38, 10)), lit(1n, T.decimal(38, 10)))).toEqual(
      T.decimal(38, 6),
    );
    expect(typeOf("divide", lit(1n, T.decimal(38, 2)), lit(1n, T.decimal(38, 2)))).toEqual(T.decimal(38, 6));
  });

  it("rejects non-numeric operands", () => {
    expect(() => call("add", lit(true), lit(1))).toThrow(/numeric/);
    expect(() => call("add", lit(1, T.date), lit(1))).toThrow(/numeric/);
  });
});

describe("integer arithmetic", () => {
  it("wraps int32 on overflow", () => {
    expect(one("add", lit(MAX32), lit(1))).toBe(MIN32);
    expect(one("subtract", lit(MIN32), lit(1))).toBe(MAX32);
    expect(one("multiply", lit(65536), lit(65536))).toBe(0);
    expect(one("multiply", lit(MAX32), lit(2))).toBe(-2);
    expect(one("negate", lit(MIN32))).toBe(MIN32);
  });

  it("wraps int64 on overflow without losing precision", () => {
    expect(one("add", lit(MAX64), lit(1n))).toBe(MIN64);
    expect(one("subtract", lit(MIN64), lit(1n))).toBe(MAX64);
    expect(one("multiply", lit(MAX64), lit(2n))).toBe(-2n);
    expect(one("multiply", lit(4294967296n), lit(4294967296n))).toBe(0n);
    expect(one("multiply", lit(3037000500n), lit(3037000500n))).toBe(
      BigInt.asIntN(64, 3037000500n * 3037000500n),
    );
    expect(one("negate", lit(MIN64))).toBe(MIN64);
    expect(one("add", lit(2n ** 53n), lit(1n))).toBe(2n ** 53n + 1n);
    expect(one("multiply", lit(-123456789012n), lit(98765n))).toBe(-123456789012n * 98765n);
  });

  it("adds and multiplies int64 columns beyond 2^53 exactly", () => {
    const big = [2n ** 60n + 7n, -(2n ** 62n) - 3n, 9007199254740993n, -1n, null];
    const b = batch({ a: [T.int64, big], c: [T.int64, [5n, 3n, 9007199254740993n, MIN64, 1n]] });
    const exp = (f: (x: bigint, y: bigint) => bigint) =>
      big.map((x, i) =>
        x === null ? null : BigInt.asIntN(64, f(x, [5n, 3n, 9007199254740993n, MIN64, 1n][i]!)),
      );
    expect(evaluate(call("add", ref(b, "a"), ref(b, "c")), b)).toEqual(exp((x, y) => x + y));
    expect(evaluate(call("subtract", ref(b, "a"), ref(b, "c")), b)).toEqual(exp((x, y) => x - y));
    expect(evaluate(call("multiply", ref(b, "a"), ref(b, "c")), b)).toEqual(exp((x, y) => x * y));
    expect(evaluate(call("mod", ref(b, "a"), ref(b, "c")), b)).toEqual(exp((x, y) => x % y));
    expect(evaluate(call("add", ref(b, "a"), lit(1n)), b)).toEqual(
      big.map((x) => (x === null ? null : x + 1n)),
    );
  });

  it("mod keeps the dividend's sign and pmod is non-negative for positive divisors", () => {
    expect(one("mod", lit(-7), lit(3))).toBe(-1);
    expect(one("mod", lit(7), lit(-3))).toBe(1);
    expect(one("pmod", lit(-7), lit(3))).toBe(2);
    expect(one("pmod", lit(7), lit(-3))).toBe(1);
    expect(one("pmod", lit(-7), lit(-3))).toBe(-1);
    expect(one("mod", lit(MIN32), lit(-1))).toBe(0);
    expect(one("mod", lit(-7n), lit(3n))).toBe(-1n);
    expect(one("pmod", lit(-7n), lit(3n))).toBe(2n);
    expect(one("mod", lit(MIN64), lit(-1n))).toBe(0n);
    expect(one("mod", lit(-7.5), lit(2))).toBe(-1.5);
    expect(one("pmod", lit(-7.5), lit(2))).toBe(0.5);
  });

  it("div truncates to bigint", () => {
    expect(one("div", lit(7), lit(2))).toBe(3n);
    expect(one("div", lit(-7), lit(2))).toBe(-3n);
    expect(one("div", lit(MIN64), lit(-1n))).toBe(MIN64);
    expect(one("div", lit(7), lit(0))).toBe(null);
    expect(one("div", lit(2n ** 60n), lit(3n))).toBe(2n ** 60n / 3n);
  });

  it("gives null for division and modulo by zero", () => {
    expect(one("divide", lit(1), lit(0))).toBe(null);
    expect(one("divide", lit(1.5), lit(0.0))).toBe(null);
    expect(one("divide", lit(1.5), lit(-0.0))).toBe(null);
    expect(one("mod", lit(1), lit(0))).toBe(null);
    expect(one("mod", lit(1n), lit(0n))).toBe(null);
    expect(one("mod", lit(1.5), lit(0.0))).toBe(null);
    expect(one("pmod", lit(1), lit(0))).toBe(null);
    const b = batch({ x: [T.int32, [6, 5, null, 0]], y: [T.int32, [3, 0, 1, 0]] });
    expect(evaluate(call("divide", ref(b, "x"), ref(b, "y")), b)).toEqual([2, null, null, null]);
    expect(evaluate(call("mod", ref(b, "x"), ref(b, "y")), b)).toEqual([0, null, null, null]);
  });

  it("propagates nulls and keeps doubles' IEEE behaviour", () => {
    expect(one("add", lit(1), lit(null))).toBe(null);
    expect(one("multiply", lit(null), lit(2.5))).toBe(null);
    expect(one("add", lit(Number.NaN), lit(1))).toBeNaN();
    expect(one("multiply", lit(1e308), lit(10))).toBe(Number.POSITIVE_INFINITY);
    expect(one("divide", lit(1), lit(3))).toBe(1 / 3);
    expect(one("add", lit("1.5"), lit(1))).toBe(2.5);
    expect(one("add", lit("x"), lit(1))).toBe(null);
  });

  it("specialises literal sides on either argument", () => {
    const b = batch({ x: [T.float64, [1, 2, null]], i: [T.int32, [10, 20, 30]] });
    expect(evaluate(call("subtract", lit(10), ref(b, "x")), b)).toEqual([9, 8, null]);
    expect(evaluate(call("subtract", ref(b, "x"), lit(10)), b)).toEqual([-9, -8, null]);
    expect(evaluate(call("divide", lit(100), ref(b, "i")), b)).toEqual([10, 5, 100 / 30]);
    expect(evaluate(call("add", ref(b, "i"), lit(null)), b)).toEqual([null, null, null]);
  });
});

describe("decimal arithmetic", () => {
  const d = (v: bigint, p: number, s: number) => lit(v, T.decimal(p, s));
  it("adds and subtracts with different scales", () => {
    expect(one("add", d(123n, 5, 2), d(1n, 5, 3))).toBe(1231n); // 1.23 + 0.001 = 1.231
    expect(one("subtract", d(123n, 5, 2), d(1n, 5, 3))).toBe(1229n);
    expect(one("add", d(-5n, 3, 1), lit(1))).toBe(5n); // -0.5 + 1 = 0.5
  });
  it("multiplies and divides with rounding half-up", () => {
    expect(one("multiply", d(150n, 5, 2), d(25n, 5, 1))).toBe(3750n); // 1.50 * 2.5 = 3.750
    // 1 / 3 at scale max(6, 0+5+1)=6: 0.333333
    expect(one("divide", d(1n, 3, 0), d(3n, 4, 0))).toBe(333333n);
    // 2 / 3 = 0.666667 (half-up)
    expect(one("divide", d(2n, 3, 0), d(3n, 4, 0))).toBe(666667n);
    expect(one("divide", d(-2n, 3, 0), d(3n, 4, 0))).toBe(-666667n);
    expect(one("divide", d(2n, 3, 0), d(0n, 4, 0))).toBe(null);
    expect(one("mod", d(75n, 3, 1), d(2n, 3, 0))).toBe(15n); // 7.5 % 2 = 1.5
    expect(one("pmod", d(-75n, 3, 1), d(2n, 3, 0))).toBe(5n); // pmod(-7.5, 2) = 0.5
  });
  it("gives null on overflow of the result precision", () => {
    const big = d(10n ** 37n * 9n, 38, 0);
    expect(one("add", big, big)).toBe(null);
    expect(one("multiply", big, d(10n, 3, 0))).toBe(null);
  });
  it("works beyond 2^53 unscaled", () => {
    const x = 12345678901234567890123n;
    expect(one("add", d(x, 30, 4), d(1n, 30, 4))).toBe(x + 1n);
    expect(one("multiply", d(x, 25, 2), d(-3n, 2, 0))).toBe(-3n * x);
    expect(one("negate", d(x, 30, 4))).toBe(-x);
    expect(one("abs", d(-x, 30, 4))).toBe(x);
  });
  it("mixes decimal with double as double", () => {
    expect(one("add", d(150n, 5, 2), lit(0.25))).toBe(1.75);
  });
  it("computes a column expression like TPC-H's price * (1 - discount)", () => {
    const b = batch({
      price: [T.decimal(15, 2), ["1000.00", "1234.56", null, "99999999.99"]],
      disc: [T.decimal(15, 2), ["0.05", "0.10", "0.00", "0.07"]],
    });
    const e = call("multiply", ref(b, "price"), call("subtract", lit(1), ref(b, "disc")));
    expect(typeOf("multiply", ref(b, "price"), call("subtract", lit(1), ref(b, "disc")))).toEqual(
      T.decimal(32, 4),
    );
    expect(evaluate(e, b)).toEqual([9500000n, 11111040n, null, 929999999907n]);
  });
});
