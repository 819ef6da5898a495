// The shapes of window evaluation: the specification (partition and order keys by column
// index, and the frame) and one window function call, plus Spark's result types. Frames follow
// Spark: ROWS offsets count physical rows, RANGE offsets are order-key values (days for dates,
// microseconds for timestamps), 0 is the current row (its peers, for RANGE), null unbounded.
import { type DataType, T } from "../../types/data-type.js";
import { lookupAggregate } from "../agg/accumulators.js";
import type { AggParams } from "../agg/types.js";
import type { KeyOrder } from "../sort/compare.js";

/** A frame bound: an offset (negative = preceding), or unbounded (null or the names), or the current row. */
export type FrameBound = number | null | "unboundedPreceding" | "unboundedFollowing" | "currentRow";

/** A window frame; physical plans' `WindowFrame` ({type, start, end} with null = unbounded) fits it. */
export interface FrameSpec {
  readonly type: "rows" | "range";
  readonly start: FrameBound;
  readonly end: FrameBound;
}

/** PARTITION BY and ORDER BY (column indices of the batch) and the frame. */
export interface WindowSpec {
  readonly partitionBy: readonly number[];
  readonly orderBy: readonly KeyOrder[];
  /**
   * The frame of aggregates and first/last/nth_value; when absent, Spark's default: RANGE
   * BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW with an ORDER BY, else the whole partition.
   * Ranking functions and lag/lead ignore it.
   */
  readonly frame?: FrameSpec | null;
}

/**
 * One window function call. `fn` is a ranking or offset function (row_number, rank,
 * dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value, last_value, nth_value)
 * or any aggregate of the registry (count, sum, avg, min, max, first, last, stddev...,
 * collect_list...). `args` are column indices of the batch: the value of lag/lead/*_value, or
 * the aggregate's arguments already cast to the types its `resolve` asked for (none for
 * count(*)).
 */
export interface WindowFunctionCall {
  readonly fn: string;
  readonly args?: readonly number[];
  /** lag/lead: rows back/forward (default 1; negative swaps lag and lead). */
  readonly offset?: number;
  /** lag/lead: column index of the default value (same type as the input), used outside the partition; absent = null. */
  readonly defaultColumn?: number;
  /** ntile: number of buckets (positive). */
  readonly buckets?: number;
  /** nth_value: 1-based position in the frame (positive). */
  readonly nth?: number;
  /** first_value/last_value/nth_value/lag/lead/first/last: skip nulls. */
  readonly ignoreNulls?: boolean;
  /** Literal options of an aggregate (percentile, accuracy, ignoreNulls of first/last...). */
  readonly params?: AggParams;
}

/** Window-only functions (not aggregates). */
export const WINDOW_ONLY = new Set([
  "row_number",
  "rank",
  "dense_rank",
  "percent_rank",
  "cume_dist",
  "ntile",
  "lag",
  "lead",
  "first_value",
  "last_value",
  "nth_value",
]);

/**
 * Spark's result type of a window function call given its argument types: int32 for
 * row_number/rank/dense_rank/ntile, double for percent_rank/cume_dist, the input type for
 * lag/lead/*_value, and the aggregate's own result type otherwise.
 */
export function windowResultType(fn: string, argTypes: readonly DataType[], params?: AggParams): DataType {
  switch (fn) {
    case "row_number":
    case "rank":
    case "dense_rank":
    case "ntile":
      return T.int32;
    case "percent_rank":
    case "cume_dist":
      return T.float64;
    case "lag":
    case "lead":
    case "first_value":
    case "last_value":
    case "nth_value":
      return argTypes[0] ?? T.null;
    default:
      return lookupAggregate(fn).resolve(argTypes, params).result;
  }
}
