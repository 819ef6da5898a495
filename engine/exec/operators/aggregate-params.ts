// Splits an aggregate call's arguments into the columns it aggregates and its literal options
// (Spark passes both as arguments: `first(col, true)`, `percentile_approx(col, 0.5, 100)`).

import { AnalysisError } from "../../errors.js";
import { exprType } from "../../expr/compile.js";
import type { Expr, LiteralValue } from "../../expr/expr.js";
import type { DataType } from "../../types/data-type.js";
import { lookupAggregate } from "../agg/accumulators.js";
import type { AggParams, AggResolution } from "../agg/types.js";

/** How many leading arguments of each function are columns; the rest are literal options. */
const COLUMN_ARGS: Readonly<Record<string, number>> = {
  count: -1, // count(*) has none, count(a, b) counts rows where all are non-null
  count_distinct: -1,
  first: 1,
  last: 1,
  percentile_approx: 1,
  approx_count_distinct: 1,
  corr: 2,
};

export interface SplitCall {
  readonly columns: readonly Expr[];
  readonly params: AggParams;
}

function literal(e: Expr | undefined, fn: string, what: string): LiteralValue | undefined {
  if (e === undefined) return undefined;
  if (e.kind === "Literal") return e.value;
  if (e.kind === "Cast" && e.child.kind === "Literal") return e.child.value;
  throw new AnalysisError(`${fn}: the ${what} must be a literal`);
}

/** The column arguments and literal options of an aggregate call. */
export function splitAggregateArgs(fn: string, args: readonly Expr[]): SplitCall {
  const n = COLUMN_ARGS[fn] ?? 1;
  const columns = n < 0 ? args : args.slice(0, n);
  const rest = n < 0 ? [] : args.slice(n);
  const params: { -readonly [K in keyof AggParams]: AggParams[K] } = {};
  switch (fn) {
    case "first":
    case "last": {
      const v = literal(rest[0], fn, "ignoreNulls flag");
      if (v !== undefined) params.ignoreNulls = v === true;
      break;
    }
    case "percentile_approx": {
      const p = literal(rest[0], fn, "percentage");
      if (p !== undefined) params.percentage = Array.isArray(p) ? (p as number[]).map(Number) : Number(p);
      const acc = literal(rest[1], fn, "accuracy");
      if (acc !== undefined) params.accuracy = Number(acc);
      break;
    }
    case "approx_count_distinct": {
      const rsd = literal(rest[0], fn, "relative standard deviation");
      if (rsd !== undefined) params.relativeSD = Number(rsd);
      break;
    }
  }
  return { columns, params };
}

/** Resolves an aggregate call over resolved arguments: its type rule, with the split arguments. */
export function resolveAggregate(
  fn: string,
  args: readonly Expr[],
): { split: SplitCall; argTypes: DataType[]; resolution: AggResolution } {
  const def = lookupAggregate(fn);
  const split = splitAggregateArgs(fn, args);
  const argTypes = split.columns.map(exprType);
  return { split, argTypes, resolution: def.resolve(argTypes, split.params) };
}
