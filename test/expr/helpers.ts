// Test helpers for expressions: build batches from JS values, resolve calls, evaluate and
// read results back as JS values (int64/timestamp/decimal as bigint, dates as day numbers).
import { columnFromValues, type JsValue } from "../../engine/columnar/builders.js";
import { type Batch, batchOf, type Column } from "../../engine/columnar/column.js";
import { literalAt } from "../../engine/expr/cast.js";
import { compileExpr, compilePredicate, exprType, resolveCall } from "../../engine/expr/compile.js";
import { E, type Expr, type LiteralValue } from "../../engine/expr/expr.js";
import type { CompileContext } from "../../engine/expr/registry.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";

export const ctx: CompileContext = { timeZone: "UTC", nowMicros: Date.UTC(2024, 0, 15, 12) * 1000 };

/** A batch of named, typed columns. */
export function batch(cols: Record<string, [DataType, readonly JsValue[]]>): Batch {
  const entries = Object.entries(cols);
  const columns = entries.map(([, [t, v]]) => columnFromValues(t, v));
  return batchOf(schemaOf(entries.map(([name, [t]]) => field(name, t))), columns, columns[0]?.length ?? 0);
}

/** A resolved reference to column `name` of `b`. */
export function ref(b: Batch, name: string): Expr {
  const i = b.schema.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`no column ${name}`);
  const f = b.schema.fields[i]!;
  return E.ref(i, f.name, f.type, true);
}

/** A typed literal; plain numbers are int32 when integral, double otherwise. */
export function lit(v: LiteralValue, t?: DataType): Expr {
  if (t !== undefined) return E.lit(v, t);
  if (v === null) return E.lit(null, T.null);
  if (typeof v === "boolean") return E.lit(v, T.boolean);
  if (typeof v === "string") return E.lit(v, T.string);
  if (typeof v === "bigint") return E.lit(v, T.int64);
  if (typeof v === "number")
    return E.lit(
      v,
      Number.isInteger(v) && !Object.is(v, -0) && v >= -(2 ** 31) && v < 2 ** 31 ? T.int32 : T.float64,
    );
  throw new Error("unsupported literal");
}

/** A resolved call. */
export const call = (fn: string, ...args: Expr[]): Expr => resolveCall(fn, args).expr;

/** Every row of a column as JS values. */
export const values = (c: Column): LiteralValue[] =>
  Array.from({ length: c.length }, (_, i) => literalAt(c, i));

/** Evaluates a resolved expression over a batch (default: a one-row batch with no columns). */
export function evaluate(e: Expr, b: Batch = batchOf(schemaOf([]), [], 1), fuse = true): LiteralValue[] {
  return values(compileExpr(e, ctx, { fuse })(b));
}

/** Evaluates a call over literals only, returning the single value. */
export function one(fn: string, ...args: Expr[]): LiteralValue {
  return evaluate(call(fn, ...args))[0]!;
}

/** The type of a resolved call. */
export const typeOf = (fn: string, ...args: Expr[]): DataType => exprType(call(fn, ...args));

/** The kept row indices of a predicate over a batch. */
export function kept(e: Expr, b: Batch, fuse = true): number[] {
  const m = compilePredicate(e, ctx, { fuse })(b);
  return Array.from({ length: b.numRows }, (_, i) => i).filter((i) => m === null || m[i] === 1);
}
