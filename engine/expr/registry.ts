// The scalar function registry: each function is defined once, with its type rule (used by
// the analyzer) and its kernel factory (used by the compiler). Families live in
// `functions/*.ts` and register themselves through `defineFunction`.
import type { Column } from "../columnar/column.js";
import type { DataType } from "../types/data-type.js";
import type { Expr, LiteralValue } from "./expr.js";

/** Per-plan settings a kernel may depend on. */
export interface CompileContext {
  /** Session time zone (IANA name), `kindling.sql.session.timeZone`. */
  readonly timeZone: string;
  /** Wall-clock "now" fixed once per query (µs since epoch), for current_date/current_timestamp. */
  readonly nowMicros: number;
}

/**
 * A kernel computes one output column from its argument columns for a whole batch.
 * It is built once per plan, so it may precompile regexes and formats; it must not allocate
 * per row. Argument columns have exactly the types `resolve` asked for.
 */
export type Kernel = (args: readonly Column[], numRows: number) => Column;

/** What the analyzer learns from a function's type rule. */
export interface Resolution {
  /** The type each argument must be cast to before the call (the same as given when no cast is needed). */
  readonly argTypes: readonly DataType[];
  readonly result: DataType;
}

export interface ScalarFunction {
  /** Canonical name (Spark's snake_case), as it appears in plans and protobuf. */
  readonly name: string;
  /**
   * Checks argument types and applies Spark's coercion. `args` are the resolved argument
   * expressions (for literal-only options such as a date format). Throws AnalysisError
   * naming the function and the offending argument.
   */
  resolve(argTypes: readonly DataType[], args: readonly Expr[]): Resolution;
  /**
   * Builds the kernel. `literals[i]` is the value of argument i when it is a literal
   * (so patterns and formats compile once), undefined otherwise.
   */
  compile(
    argTypes: readonly DataType[],
    result: DataType,
    literals: readonly (LiteralValue | undefined)[],
    ctx: CompileContext,
  ): Kernel;
}

const registry = new Map<string, ScalarFunction>();

/** Registers a scalar function (called at module load by each family). */
export function defineFunction(f: ScalarFunction): void {
  if (registry.has(f.name)) throw new Error(`function ${f.name} registered twice`);
  registry.set(f.name, f);
}

export function lookupFunction(name: string): ScalarFunction | undefined {
  return registry.get(name);
}

export function functionNames(): string[] {
  return [...registry.keys()].sort();
}
