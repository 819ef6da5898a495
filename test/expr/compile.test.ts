import { describe, expect, it } from "vitest";
import {
  commonType,
  comparisonType,
  needsCast,
  tightestCommonType,
  widen,
} from "../../engine/expr/coercion.js";
import {
  compileExpr,
  compilePredicate,
  exprNullable,
  exprType,
  literalValueOf,
  resolveCall,
} from "../../engine/expr/compile.js";
import { E } from "../../engine/expr/expr.js";
import { T } from "../../engine/types/data-type.js";
import { batch, call, ctx, evaluate, kept, lit, ref, values } from "./helpers.js";

describe("coercion", () => {
  it("tightest common type widens numbers and datetimes", () => {
    expect(tightestCommonType(T.int32, T.int64)).toEqual(T.int64);
    expect(tightestCommonType(T.int64, T.float64)).toEqual(T.float64);
    expect(tightestCommonType(T.null, T.string)).toEqual(T.string);
    expect(tightestCommonType(T.date, T.timestamp)).toEqual(T.timestamp);
    expect(tightestCommonType(T.timestampNtz, T.timestamp)).toEqual(T.timestamp);
    expect(tightestCommonType(T.date, T.timestampNtz)).toEqual(T.timestampNtz);
    expect(tightestCommonType(T.int32, T.decimal(5, 2))).toBe(null);
    expect(tightestCommonType(T.boolean, T.int32)).toBe(null);
  });

  it("commonType adds decimal widening and string promotion", () => {
    expect(commonType(T.int32, T.decimal(5, 2))).toEqual(T.decimal(12, 2));
    expect(commonType(T.int64, T.decimal(5, 2))).toEqual(T.decimal(22, 2));
    expect(commonType(T.decimal(5, 2), T.decimal(10, 0))).toEqual(T.decimal(12, 2));
    expect(commonType(T.decimal(38, 10), T.decimal(38, 0))).toEqual(T.decimal(38, 10));
    expect(commonType(T.decimal(5, 2), T.float64)).toEqual(T.float64);
    expect(commonType(T.int32, T.string)).toEqual(T.string);
    expect(commonType(T.date, T.string)).toEqual(T.string);
    expect(commonType(T.boolean, T.string)).toBe(null);
    expect(commonType(T.list(T.int32), T.list(T.int64))).toEqual(T.list(T.int64));
  });

  it("widen folds string types first (order independent)", () => {
    expect(widen([T.timestamp, T.int32, T.string])).toEqual(T.string);
    expect(widen([T.int32, T.string, T.timestamp])).toEqual(T.string);
    expect(widen([])).toEqual(T.null);
    expect(widen([T.int32, T.string], false)).toBe(null);
  });

  it("comparison casts strings to the other side", () => {
    expect(comparisonType(T.string, T.int32)).toEqual(T.int32);
    expect(comparisonType(T.date, T.string)).toEqual(T.date);
    expect(comparisonType(T.string, T.decimal(5, 2))).toEqual(T.float64);
    expect(comparisonType(T.string, T.boolean)).toEqual(T.boolean);
    expect(comparisonType(T.date, T.timestamp)).toEqual(T.timestamp);
    expect(comparisonType(T.int32, T.decimal(5, 2))).toEqual(T.decimal(12, 2));
    expect(comparisonType(T.boolean, T.int32)).toBe(null);
    expect(needsCast(T.int32, T.int32)).toBe(false);
    expect(needsCast(T.timestamp, T.timestampNtz)).toBe(true);
  });
});

describe("resolveCall", () => {
  it("inserts casts and folds casts of literals", () => {
    const b = batch({ x: [T.float64, [1]], i: [T.int32, [1]], s: [T.string, ["1"]] });
    const r = resolveCall("gt", [ref(b, "x"), lit(0)]);
    expect(r.type).toEqual(T.boolean);
    expect(r.expr).toEqual(E.call("gt", ref(b, "x"), E.lit(0, T.float64)));
    const r2 = resolveCall("add", [ref(b, "i"), ref(b, "x")]);
    expect(r2.expr).toEqual(E.call("add", E.cast(ref(b, "i"), T.float64), ref(b, "x")));
    expect(resolveCall("eq", [ref(b, "i"), lit("7")]).expr).toEqual(
      E.call("eq", ref(b, "i"), E.lit(7, T.int32)),
    );
    // time-zone dependent casts of literals stay casts (folded at compile time)
    const r3 = resolveCall("eq", [lit(0n, T.timestamp), lit("2024-01-01")]);
    expect(r3.expr).toEqual(E.call("eq", lit(0n, T.timestamp), E.cast(lit("2024-01-01"), T.timestamp)));
  });

  it("throws AnalysisError for unknown functions with a suggestion", () => {
    expect(() => resolveCall("sqrtt", [lit(1)])).toThrow(/Undefined function: sqrtt. Did you mean "sqrt"/);
    expect(() => resolveCall("abs", [lit(1), lit(2)])).toThrow(/abs takes 1 argument/);
  });

  it("is idempotent: resolving a resolved call changes nothing", () => {
    const b = batch({ d: [T.decimal(10, 2), ["1.00"]], i: [T.int32, [1]] });
    const once = resolveCall("multiply", [ref(b, "d"), lit(3)]).expr;
    expect(once.kind === "Call" && resolveCall("multiply", [...once.args]).expr).toEqual(once);
    const twice = resolveCall("add", [ref(b, "i"), ref(b, "d")]).expr;
    expect(twice.kind === "Call" && resolveCall("add", [...twice.args]).expr).toEqual(twice);
  });
});

describe("types and nullability", () => {
  const b = batch({ x: [T.int32, [1]] });
  const notNull = E.ref(0, "x", T.int32, false);
  it("exprType reads calls, casts and aliases", () => {
    expect(exprType(E.alias(call("add", notNull, lit(1n)), "y"))).toEqual(T.int64);
    expect(exprType(E.cast(notNull, T.string))).toEqual(T.string);
    expect(() => exprType(E.column("x"))).toThrow(/not resolved/);
  });
  it("exprNullable follows each function's rule", () => {
    expect(exprNullable(call("add", notNull, lit(1)))).toBe(false);
    expect(exprNullable(call("add", notNull, lit(null)))).toBe(true);
    expect(exprNullable(call("divide", notNull, lit(1)))).toBe(true);
    expect(exprNullable(call("is_null", ref(b, "x")))).toBe(false);
    expect(exprNullable(call("coalesce", ref(b, "x"), lit(0)))).toBe(false);
    expect(exprNullable(call("coalesce", ref(b, "x"), lit(null)))).toBe(true);
    expect(exprNullable(call("eq_null_safe", ref(b, "x"), lit(null)))).toBe(false);
    expect(exprNullable(E.cast(notNull, T.string))).toBe(false);
    expect(exprNullable(E.cast(E.ref(0, "s", T.string, false), T.int32))).toBe(true);
    expect(exprNullable(call("add", E.ref(0, "d", T.decimal(5, 2), false), lit(1)))).toBe(true);
  });
});

describe("compileExpr", () => {
  it("evaluates literal-only expressions and nested calls", () => {
    expect(evaluate(call("add", call("multiply", lit(2), lit(3)), lit(4)))).toEqual([10]);
    expect(literalValueOf(E.cast(lit("2024-01-15"), T.date), ctx)).toBe(19737);
    expect(
      literalValueOf(E.cast(lit("2024-01-15 00:00:00"), T.timestamp), { ...ctx, timeZone: "Asia/Tokyo" }),
    ).toBe(BigInt(Date.UTC(2024, 0, 14, 15)) * 1000n);
  });

  it("never hands out cached literal buffers", () => {
    const b = batch({ x: [T.int32, [1, 2, 3]] });
    const f = compileExpr(lit(5), ctx);
    const c1 = f(b);
    const c2 = f(b);
    expect(values(c1)).toEqual([5, 5, 5]);
    expect(c1.values).not.toBe(c2.values);
    const g = compileExpr(call("coalesce", lit(7), ref(b, "x")), ctx);
    expect(g(b).values).not.toBe(g(b).values);
  });

  it("compiles once and runs per batch of any size", () => {
    const f = compileExpr(call("gt", E.ref(0, "x", T.float64, true), lit(0.1)), ctx);
    for (const n of [0, 1, 5, 70000]) {
      const xs = Array.from({ length: n }, (_, i) => (i % 7) / 10);
      const b = batch({ x: [T.float64, xs] });
      expect(values(f(b))).toEqual(xs.map((x) => x > 0.1));
    }
  });

  it("compilePredicate returns null for always-true and masks otherwise", () => {
    const b = batch({ x: [T.int32, [1, null, 3]], ok: [T.boolean, [true, null, false]] });
    expect(compilePredicate(lit(true), ctx)(b)).toBe(null);
    expect(Array.from(compilePredicate(lit(null, T.boolean), ctx)(b)!)).toEqual([0, 0, 0]);
    expect(Array.from(compilePredicate(ref(b, "ok"), ctx)(b)!)).toEqual([1, 0, 0]);
    expect(
      Array.from(compilePredicate(call("and", lit(true), call("ge", ref(b, "x"), lit(2))), ctx)(b)!),
    ).toEqual([0, 0, 1]);
    expect(() => compilePredicate(ref(b, "x"), ctx)).toThrow(/boolean/);
  });

  it("accepts int64 literals given as numbers, fused or not", () => {
    const b = batch({ l: [T.int64, [1n, 5n, null]], x: [T.float64, [1, 2, 3]] });
    const e = E.call(
      "and",
      E.call("gt", ref(b, "l"), E.lit(2, T.int64)),
      call("gt", ref(b, "x"), E.lit(0, T.float64)),
    );
    expect(kept(e, b)).toEqual([1]);
    expect(kept(e, b, false)).toEqual([1]);
  });
});

describe("generated code", () => {
  it("never embeds literal values or names", async () => {
    const { compileLoop } = await import("../../engine/expr/kernels/codegen.js");
    const b = batch({ 'x"); process.exit(1); ("': [T.float64, [1, 2]] });
    const e = call("gt", E.ref(0, b.schema.fields[0]!.name, T.float64, true), lit(1.5));
    expect(evaluate(e, b)).toEqual([false, true]);
    const src = compileLoop("out[i] = +($0 > $1);", "as").toString();
    expect(src).not.toContain("1.5");
    expect(src).not.toContain("process");
  });
});

describe("int64 beyond 2^53 through add and compare", () => {
  it("chooses exact paths per batch", () => {
    const big = 2n ** 60n;
    const b = batch({ a: [T.int64, [big, big + 1n, 1n]], c: [T.int64, [1n, 0n, big]] });
    expect(evaluate(call("eq", call("add", ref(b, "a"), ref(b, "c")), lit(big + 1n)), b)).toEqual([
      true,
      true,
      true,
    ]);
    expect(evaluate(call("gt", ref(b, "a"), lit(big)), b)).toEqual([false, true, false]);
    expect(evaluate(call("multiply", ref(b, "a"), lit(2n)), b)).toEqual([2n * big, 2n * big + 2n, 2n]);
  });
});
