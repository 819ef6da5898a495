// Test helpers for function families: resolve + compile + run a registered function on
// columns built from JS values, the way the expression compiler will (literal arguments
// are also passed to `compile` so patterns precompile), and read results back as JS values.
import { columnFromValues, getString, type JsValue } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { i64Halves, readI64 } from "../../engine/columnar/column.js";
import { E, type Expr, type LiteralValue } from "../../engine/expr/expr.js";
import { type CompileContext, lookupFunction } from "../../engine/expr/registry.js";
import type { DataType } from "../../engine/types/data-type.js";
import { typeEquals, typeName } from "../../engine/types/data-type.js";

/** An argument: a column of values, or a literal (the compiler still passes a constant column). */
export type Arg = { type: DataType; values: JsValue[] } | { type: DataType; literal: LiteralValue };

/** Column argument. */
export const colArg = (type: DataType, values: JsValue[]): Arg => ({ type, values });
/** Literal argument. */
export const litArg = (type: DataType, literal: LiteralValue): Arg => ({ type, literal });

export const UTC_CTX: CompileContext = { timeZone: "UTC", nowMicros: Date.UTC(2024, 0, 15, 12, 0, 0) * 1000 };

/** What the function's type rule says for these argument types. */
export function resolveFn(name: string, args: readonly Arg[]) {
  const f = lookupFunction(name);
  if (!f) throw new Error(`no function ${name}`);
  const exprs: Expr[] = args.map((a, i) =>
    "literal" in a ? E.lit(a.literal, a.type) : E.ref(i, `c${i}`, a.type, true),
  );
  return f.resolve(
    args.map((a) => a.type),
    exprs,
  );
}

/** Runs `name` over `rows` rows; every argument must already have the type `resolve` asks for. */
export function runFn(
  name: string,
  args: readonly Arg[],
  ctx: CompileContext = UTC_CTX,
  rows?: number,
): Column {
  const f = lookupFunction(name)!;
  const res = resolveFn(name, args);
  res.argTypes.forEach((t, i) => {
    if (!typeEquals(t, args[i]!.type))
      throw new Error(
        `${name}: argument ${i + 1} would be cast to ${typeName(t)} (given ${typeName(args[i]!.type)})`,
      );
  });
  const n = rows ?? Math.max(1, ...args.map((a) => ("values" in a ? a.values.length : 1)));
  const literals = args.map((a) => ("literal" in a ? a.literal : undefined));
  const kernel = f.compile(res.argTypes, res.result, literals, ctx);
  const cols = args.map((a) =>
    "values" in a
      ? columnFromValues(a.type, a.values)
      : columnFromValues(a.type, new Array(n).fill(a.literal)),
  );
  const out = kernel(cols, n);
  if (!typeEquals(out.type, res.result))
    throw new Error(`${name}: kernel type ${typeName(out.type)} != ${typeName(res.result)}`);
  if (out.length !== n) throw new Error(`${name}: kernel returned ${out.length} rows, expected ${n}`);
  return out;
}

/** A column's values as JS: strings, numbers, booleans, dates/timestamps as ISO text, lists as arrays. */
export function toJs(c: Column): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < c.length; i++) out.push(valueAt(c, i));
  return out;
}

function valueAt(c: Column, i: number): unknown {
  if (c.type.kind === "null" || (c.valid !== null && c.valid[i] === 0)) return null;
  switch (c.type.kind) {
    case "string":
      return getString(c, i);
    case "boolean":
      return c.values![i] === 1;
    case "int32":
    case "float64":
      return c.values![i];
    case "int64":
      return readI64(i64Halves(c.values as BigInt64Array), i);
    case "date":
      return new Date((c.values as Int32Array)[i]! * 86400000).toISOString().slice(0, 10);
    case "timestamp": {
      const us = (c.values as BigInt64Array)[i]!;
      const ms = Number(us / 1000n) - (us % 1000n < 0n ? 1 : 0);
      const frac = ((us % 1000000n) + 1000000n) % 1000000n;
      return `${new Date(ms).toISOString().slice(0, 19)}.${String(frac).padStart(6, "0")}Z`;
    }
    case "list": {
      const o = c.offsets!;
      const arr: unknown[] = [];
      for (let k = o[i]!; k < o[i + 1]!; k++) arr.push(valueAt(c.child!, k));
      return arr;
    }
    default:
      return c.values![i];
  }
}

/** Runs and converts in one go. */
export function evalFn(name: string, args: readonly Arg[], ctx: CompileContext = UTC_CTX): unknown[] {
  return toJs(runFn(name, args, ctx));
}
