import { describe, expect, it } from "vitest";
import { compileExpr, exprNullable, exprType, resolveCaseWhen } from "../../engine/expr/compile.js";
import type { CaseWhenExpr } from "../../engine/expr/expr.js";
import { T } from "../../engine/types/data-type.js";
import { batch, call, ctx, evaluate, lit, one, ref, typeOf, values } from "./helpers.js";

describe("coalesce, nvl, nvl2, if, nullif", () => {
  const b = batch({
    a: [T.int32, [null, 2, null, null]],
    c: [T.int64, [1n, 5n, null, null]],
    s: [T.string, [null, "x", "y", null]],
  });

  it("coalesce picks the first non-null and widens", () => {
    expect(typeOf("coalesce", ref(b, "a"), ref(b, "c"))).toEqual(T.int64);
    expect(evaluate(call("coalesce", ref(b, "a"), ref(b, "c")), b)).toEqual([1n, 2n, null, null]);
    expect(evaluate(call("coalesce", ref(b, "a"), ref(b, "c"), lit(0)), b)).toEqual([1n, 2n, 0n, 0n]);
    expect(evaluate(call("coalesce", ref(b, "s"), lit("-")), b)).toEqual(["-", "x", "y", "-"]);
    // int with string promotes to string (Spark's findWiderTypeForTwo)
    expect(typeOf("coalesce", ref(b, "a"), lit("z"))).toEqual(T.string);
    expect(evaluate(call("coalesce", ref(b, "a"), lit("z")), b)).toEqual(["z", "2", "z", "z"]);
    expect(one("coalesce", lit(null), lit(null))).toBe(null);
    expect(() => call("coalesce", lit(true), lit(1))).toThrow(/common type/);
  });

  it("nvl and nvl2", () => {
    expect(evaluate(call("nvl", ref(b, "a"), lit(7)), b)).toEqual([7, 2, 7, 7]);
    expect(evaluate(call("nvl2", ref(b, "s"), lit(1), lit(0)), b)).toEqual([0, 1, 1, 0]);
  });

  it("if takes the else branch for a null condition", () => {
    const e = call("if", call("gt", ref(b, "c"), lit(2n)), lit("big"), lit("small"));
    expect(evaluate(e, b)).toEqual(["small", "big", "small", "small"]);
    expect(typeOf("if", lit(true), lit(1), lit(2.5))).toEqual(T.float64);
  });

  it("nullif returns the first argument's type and null when equal", () => {
    expect(typeOf("nullif", lit(1), lit(1.5))).toEqual(T.int32);
    expect(one("nullif", lit(1), lit(1.0))).toBe(null);
    expect(one("nullif", lit(1), lit(1.5))).toBe(1);
    expect(one("nullif", lit("a"), lit("b"))).toBe("a");
    expect(one("nullif", lit(null), lit(1))).toBe(null);
    expect(evaluate(call("nullif", ref(b, "c"), lit(5)), b)).toEqual([1n, null, null, null]);
  });
});

describe("greatest and least", () => {
  it("skip nulls and are null only when every argument is", () => {
    const b = batch({ x: [T.float64, [1, null, Number.NaN, null]], y: [T.int32, [3, 2, 7, null]] });
    expect(typeOf("greatest", ref(b, "x"), ref(b, "y"))).toEqual(T.float64);
    expect(evaluate(call("greatest", ref(b, "x"), ref(b, "y")), b)).toEqual([3, 2, Number.NaN, null]);
    expect(evaluate(call("least", ref(b, "x"), ref(b, "y")), b)).toEqual([1, 2, 7, null]);
    expect(one("greatest", lit("b"), lit("ab"), lit(null))).toBe("b");
    expect(one("least", lit(2n ** 60n), lit(2n ** 60n + 1n))).toBe(2n ** 60n);
    expect(one("greatest", lit(150n, T.decimal(5, 2)), lit(2))).toBe(200n);
  });
  it("do not promote to string", () => {
    expect(() => call("greatest", lit(1), lit("2"))).toThrow(/common type/);
  });
});

describe("CASE WHEN", () => {
  const b = batch({ x: [T.int32, [1, 5, null, 10]], s: [T.string, ["a", "b", "c", "d"]] });
  const cw = (e: CaseWhenExpr) => resolveCaseWhen(e);

  it("takes the first true branch; null conditions fall through", () => {
    const e = cw({
      kind: "CaseWhen",
      branches: [
        [call("lt", ref(b, "x"), lit(3)), lit("small")],
        [call("lt", ref(b, "x"), lit(8)), ref(b, "s")],
      ],
      otherwise: lit("big"),
    });
    expect(exprType(e)).toEqual(T.string);
    expect(evaluate(e, b)).toEqual(["small", "b", "big", "big"]);
  });

  it("is null without an ELSE and widens branch types", () => {
    const e = cw({
      kind: "CaseWhen",
      branches: [
        [call("eq", ref(b, "x"), lit(1)), lit(1)],
        [call("eq", ref(b, "x"), lit(5)), lit(2.5)],
      ],
    });
    expect(exprType(e)).toEqual(T.float64);
    expect(exprNullable(e)).toBe(true);
    expect(evaluate(e, b)).toEqual([1, 2.5, null, null]);
  });

  it("compiles without prior coercion (casts branch values itself)", () => {
    const e: CaseWhenExpr = {
      kind: "CaseWhen",
      branches: [[call("gt", ref(b, "x"), lit(4)), lit(1n)]],
      otherwise: ref(b, "x"),
    };
    expect(values(compileExpr(e, ctx)(b))).toEqual([1n, 1n, null, 1n]);
  });
});
