import { describe, expect, it } from "vitest";
import { T } from "../../engine/types/data-type.js";
import { batch, call, evaluate, kept, lit, one, ref, typeOf } from "./helpers.js";

const V = [true, false, null] as const;

describe("three-valued logic", () => {
  const b = batch({
    a: [T.boolean, V.flatMap((x) => V.map(() => x))],
    c: [T.boolean, V.flatMap(() => [...V])],
  });
  const pairs = V.flatMap((x) => V.map((y) => [x, y] as const));

  it("and: false wins, then null", () => {
    const and = (x: boolean | null, y: boolean | null) =>
      x === false || y === false ? false : x === null || y === null ? null : true;
    expect(evaluate(call("and", ref(b, "a"), ref(b, "c")), b)).toEqual(pairs.map(([x, y]) => and(x, y)));
  });

  it("or: true wins, then null", () => {
    const or = (x: boolean | null, y: boolean | null) =>
      x === true || y === true ? true : x === null || y === null ? null : false;
    expect(evaluate(call("or", ref(b, "a"), ref(b, "c")), b)).toEqual(pairs.map(([x, y]) => or(x, y)));
  });

  it("not keeps null", () => {
    expect(evaluate(call("not", ref(b, "a")), b)).toEqual(pairs.map(([x]) => (x === null ? null : !x)));
  });

  it("works with literals and null literals", () => {
    expect(one("and", lit(null), lit(false))).toBe(false);
    expect(one("and", lit(null), lit(true))).toBe(null);
    expect(one("or", lit(null), lit(true))).toBe(true);
    expect(one("or", lit(false), lit(null))).toBe(null);
    expect(one("not", lit(null))).toBe(null);
    expect(() => call("and", lit(1), lit(true))).toThrow(/boolean/);
  });

  it("masks: null counts as false, or/and combine masks", () => {
    const x = ref(b, "a");
    const y = ref(b, "c");
    const rows = pairs.map((_, i) => i);
    expect(kept(call("and", x, y), b)).toEqual(
      rows.filter((i) => pairs[i]![0] === true && pairs[i]![1] === true),
    );
    expect(kept(call("or", x, y), b)).toEqual(
      rows.filter((i) => pairs[i]![0] === true || pairs[i]![1] === true),
    );
    expect(kept(call("not", call("or", x, y)), b)).toEqual(
      rows.filter((i) => pairs[i]![0] === false && pairs[i]![1] === false),
    );
    expect(kept(lit(true), b)).toEqual(rows);
    expect(kept(lit(null, T.boolean), b)).toEqual([]);
  });
});

describe("null tests and NaN", () => {
  it("is_null / is_not_null are never null", () => {
    const b = batch({ s: [T.string, ["a", null]] });
    expect(evaluate(call("is_null", ref(b, "s")), b)).toEqual([false, true]);
    expect(evaluate(call("is_not_null", ref(b, "s")), b)).toEqual([true, false]);
    expect(one("is_null", lit(null))).toBe(true);
  });

  it("isnan is false for null; nanvl replaces NaN", () => {
    const b = batch({ x: [T.float64, [1, Number.NaN, null]], y: [T.float64, [9, 9, 9]] });
    expect(evaluate(call("isnan", ref(b, "x")), b)).toEqual([false, true, false]);
    expect(evaluate(call("nanvl", ref(b, "x"), ref(b, "y")), b)).toEqual([1, 9, null]);
    expect(one("nanvl", lit(Number.NaN), lit(null))).toBe(null);
    expect(one("isnan", lit(1))).toBe(false);
  });
});

describe("IN", () => {
  it("is true on a match, null when unmatched with a null around, false otherwise", () => {
    expect(one("in", lit(1), lit(1), lit(2))).toBe(true);
    expect(one("in", lit(3), lit(1), lit(2))).toBe(false);
    expect(one("in", lit(3), lit(1), lit(null))).toBe(null);
    expect(one("in", lit(1), lit(1), lit(null))).toBe(true);
    expect(one("in", lit(null), lit(1))).toBe(null);
  });

  it("widens numbers and promotes to string like Spark", () => {
    expect(typeOf("in", lit(1), lit(1.5))).toEqual(T.boolean);
    expect(one("in", lit(1), lit(1.0), lit(2.5))).toBe(true);
    expect(one("in", lit(1n), lit(1))).toBe(true);
    // int vs string compares as strings in Spark's IN
    expect(one("in", lit(1), lit("1.0"))).toBe(false);
    expect(one("in", lit(1), lit("1"))).toBe(true);
    expect(one("in", lit(Number.NaN), lit(Number.NaN))).toBe(true);
    expect(one("in", lit(0.0), lit(-0.0))).toBe(true);
  });

  it("works over columns of every type, with literal and non-literal lists", () => {
    const b = batch({
      i: [T.int32, [1, 2, null, 4]],
      l: [T.int64, [2n ** 60n, 5n, null, -1n]],
      s: [T.string, ["x", "y", null, "é"]],
      d: [T.decimal(10, 2), ["1.50", "2.00", null, "3.25"]],
      t: [T.date, [0, 1, null, 2]],
      o: [T.int32, [9, 2, 1, 9]],
    });
    expect(evaluate(call("in", ref(b, "i"), lit(2), lit(4)), b)).toEqual([false, true, null, true]);
    expect(evaluate(call("in", ref(b, "l"), lit(2n ** 60n), lit(-1n)), b)).toEqual([true, false, null, true]);
    expect(evaluate(call("in", ref(b, "s"), lit("y"), lit("é")), b)).toEqual([false, true, null, true]);
    expect(evaluate(call("in", ref(b, "d"), lit(1.5), lit(3.25)), b)).toEqual([true, false, null, true]);
    expect(evaluate(call("in", ref(b, "d"), lit(2)), b)).toEqual([false, true, null, false]);
    expect(evaluate(call("in", ref(b, "t"), lit(1, T.date)), b)).toEqual([false, true, null, false]);
    expect(evaluate(call("in", ref(b, "i"), ref(b, "o"), lit(4)), b)).toEqual([false, true, null, true]);
    expect(evaluate(call("in", ref(b, "i"), ref(b, "o"), lit(null)), b)).toEqual([null, true, null, null]);
    const many = Array.from({ length: 40 }, (_, k) => lit(`v${k}`));
    expect(evaluate(call("in", ref(b, "s"), ...many, lit("x")), b)).toEqual([true, false, null, false]);
  });
});
