// Shared pieces of the function families: argument checks that throw AnalysisError, the
// nullability table that `exprNullable` consults, and binary/unary kernel plumbing around
// the loop compiler (scalar specialisation for literal arguments, validity handling).
import { type Column, i64Halves, nullColumn } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, typeName } from "../../types/data-type.js";
import type { LiteralValue } from "../expr.js";
import { compileLoop, type LoopArg, runLoop, scalarArg, scalarArgBig, shapesOf } from "../kernels/codegen.js";
import { andValid, writableValid } from "../kernels/util.js";

/** How a function's result nullability follows from its arguments'. */
export type NullRule =
  /** Null exactly when some argument is null (the default). */
  | "intolerant"
  /** Never null. */
  | "never"
  /** May be null even for non-null arguments (division by zero, invalid input). */
  | "always"
  /** Null only when every argument is null (coalesce). */
  | "all";

/** A rule computed from the arguments' nullability and types. */
export type NullRuleFn = (argNullable: readonly boolean[], argTypes: readonly DataType[]) => boolean;

const nullRules = new Map<string, NullRule | NullRuleFn>();

/** Declares a function's nullability rule (families call this next to `defineFunction`). */
export function setNullRule(fn: string, rule: NullRule | NullRuleFn): void {
  nullRules.set(fn, rule);
}

/** Is a call's result nullable, given its arguments' nullability and types? Unknown functions are nullable. */
export function callNullable(
  fn: string,
  argNullable: readonly boolean[],
  argTypes: readonly DataType[],
): boolean {
  const rule = nullRules.get(fn);
  if (typeof rule === "function") return rule(argNullable, argTypes);
  switch (rule) {
    case "intolerant":
      return argNullable.some((x) => x);
    case "never":
      return false;
    case "all":
      return argNullable.length === 0 || argNullable.every((x) => x);
    default:
      return true;
  }
}

/** Throws unless the call has between `min` and `max` arguments. */
export function checkArity(fn: string, types: readonly DataType[], min: number, max = min): void {
  if (types.length < min || types.length > max) {
    const want =
      min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
    throw new AnalysisError(`${fn} takes ${want} argument${want === "1" ? "" : "s"}, got ${types.length}`);
  }
}

/** An AnalysisError for an argument of the wrong type. */
export function argTypeError(fn: string, i: number, t: DataType, expected: string): AnalysisError {
  return new AnalysisError(`${fn}: argument ${i + 1} must be ${expected}, got ${typeName(t)}`);
}

/** The loop argument for column `c` or, when `lit` is defined, for that scalar. */
export function loopArg(c: Column, lit: LiteralValue | undefined): LoopArg {
  if (lit !== undefined && lit !== null) {
    if (typeof lit === "bigint") return scalarArgBig(lit);
    if (typeof lit === "boolean") return scalarArg(lit ? 1 : 0);
    return scalarArg(lit as number);
  }
  const t = c.type.kind;
  if (t === "int64" || t === "timestamp") return { array: i64Halves(c.values as BigInt64Array) };
  return { array: c.values as ArrayLike<number> };
}

/** Options of a loop-backed kernel. */
export interface LoopKernel {
  readonly result: DataType;
  /** The statement template (see kernels/codegen.ts); writes `out[i]` (int64: halves) and may clear `ov[i]`. */
  readonly stmt: string;
  /** Does the statement clear validity (so it needs a writable `ov`)? */
  readonly mayNull?: boolean;
  /** Helpers the statement calls as `K.name(...)`. */
  readonly K?: unknown;
}

/** Allocates the values array of a fixed-width result column. */
export function allocValues(t: DataType, n: number): Uint8Array | Int32Array | Float64Array | BigInt64Array {
  switch (t.kind) {
    case "boolean":
      return new Uint8Array(n);
    case "int32":
    case "date":
      return new Int32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int64":
    case "timestamp":
      return new BigInt64Array(n);
    case "decimal":
      return new BigInt64Array(2 * n);
    default:
      throw new Error(`no fixed-width values for ${t.kind}`);
  }
}

/**
 * A null-intolerant kernel over 1-3 fixed-width arguments, compiled once from a statement
 * template; literal arguments become scalars in the loop. A null literal argument makes the
 * result all null.
 */
export function loopKernel(spec: LoopKernel, literals: readonly (LiteralValue | undefined)[]) {
  const shapes = literals.map((l) => (l === undefined ? "a" : "s")).join("");
  const fn = compileLoop(spec.stmt, shapes);
  const nullLiteral = literals.some((l) => l === null);
  return (args: readonly Column[], n: number): Column => {
    if (nullLiteral || args.some((a) => a.type.kind === "null")) return nullColumn(spec.result, n);
    const la = args.map((a, k) => loopArg(a, literals[k]));
    if (shapesOf(la) !== shapes) throw new Error("loop argument shapes changed");
    // Validity is shared with an input when only one input has nulls (columns are immutable).
    let valid: Uint8Array | null = null;
    for (const a of args)
      valid = valid === null ? a.valid : a.valid === null ? valid : andValid(valid, a.valid, n);
    const ov = spec.mayNull ? writableValid(valid, n) : valid;
    const values = allocValues(spec.result, n);
    const out = values instanceof BigInt64Array ? i64Halves(values) : values;
    runLoop(fn, n, out, ov, spec.K, la);
    return { type: spec.result, length: n, valid: ov, values };
  };
}
