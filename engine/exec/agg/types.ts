// The one shape every aggregate function has: a definition that checks argument types
// (Spark's implicit casts included) and creates columnar accumulators, which keep one state
// per group in typed arrays, update it from argument columns, merge partial states coming
// from other tasks, and emit the partial state (for the shuffle) or the final value as columns.

import type { Column } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, T, typeName } from "../../types/data-type.js";

/**
 * Per-group state of one aggregate call. Group ids are dense (0..numGroups-1) and come from
 * a `GroupTable`; the caller calls `resize(numGroups)` before an update or merge that uses a
 * new group id. A group that saw no rows has the function's empty value (count 0, sum null...).
 */
export interface Accumulator {
  /** Updates the states of groups groupIds[0..numRows) from the argument columns (raw input). */
  update(groupIds: Int32Array, numRows: number, args: readonly Column[]): void;
  /** Merges partial states (columns of `stateTypes()`, e.g. from another task) into groups groupIds[i]. */
  merge(groupIds: Int32Array, numRows: number, states: readonly Column[]): void;
  /** The partial states of groups 0..numGroups-1 as columns of `stateTypes()`. */
  state(numGroups: number): Column[];
  /** The types of the partial state columns. */
  stateTypes(): DataType[];
  /** The final value of groups 0..numGroups-1. */
  finish(numGroups: number): Column;
  /** Makes room for group ids below numGroups (new groups start empty). */
  resize(numGroups: number): void;
  /** Bytes held by the states (for the memory budget). */
  estimatedBytes(): number;
}

/** Literal options of an aggregate call (Spark passes them as literal arguments). */
export interface AggParams {
  /** first/last: skip nulls (`first(col, ignoreNulls = true)`). Default false. */
  readonly ignoreNulls?: boolean;
  /** percentile_approx: one percentage in [0, 1], or an array of them (the result is then a list). */
  readonly percentage?: number | readonly number[];
  /** percentile_approx: accuracy (default 10000); accepted and validated, the answer is exact. */
  readonly accuracy?: number;
  /** approx_count_distinct: maximum relative standard deviation (default 0.05). */
  readonly relativeSD?: number;
}

/** What the analyzer learns from an aggregate's type rule. */
export interface AggResolution {
  /** The type each argument must be cast to before the call (Spark's implicit casts). */
  readonly argTypes: readonly DataType[];
  readonly result: DataType;
  /** False for functions that never return null (count, collect_list...). */
  readonly resultNullable: boolean;
  readonly stateTypes: readonly DataType[];
}

/** An aggregate function: its type rule and its accumulator factory. */
export interface AggregateDef {
  /** Canonical name, as in plans and protobuf. */
  readonly name: string;
  /** Checks the argument types; throws AnalysisError naming the function and the bad argument. */
  resolve(argTypes: readonly DataType[], params?: AggParams): AggResolution;
  /** A new accumulator for arguments of the resolved `argTypes` (after the casts `resolve` asked for). */
  create(argTypes: readonly DataType[], params?: AggParams): Accumulator;
}

/** Throws unless `args` has between min and max entries. */
export function checkArity(name: string, args: readonly DataType[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new AnalysisError(`function ${name} takes ${want} argument(s), got ${args.length}`);
  }
}

/**
 * Spark's implicit cast of an argument to a numeric type: numbers stay, strings and nulls
 * become double; anything else (boolean, date, timestamp, list) is an AnalysisError.
 */
export function numericArg(name: string, t: DataType, position = 1): DataType {
  switch (t.kind) {
    case "int32":
    case "int64":
    case "float64":
    case "decimal":
      return t;
    case "string":
    case "null":
      return T.float64;
    default:
      throw new AnalysisError(
        `cannot resolve ${name}: argument ${position} requires a numeric type, got ${typeName(t)}`,
      );
  }
}

/** Spark's implicit cast to double (for the statistical functions): any numeric, string or null. */
export function doubleArg(name: string, t: DataType, position = 1): DataType {
  numericArg(name, t, position);
  return T.float64;
}

/** The decimal type with precision and scale capped at 38 (Spark's DecimalType.bounded). */
export const boundedDecimal = (precision: number, scale: number): DataType =>
  T.decimal(Math.min(precision, 38), Math.min(scale, 38));

/** Grows a Float64Array to at least n entries (doubling), keeping its contents; new entries are `fill`. */
export function growF64(a: Float64Array<ArrayBuffer>, n: number, fill = 0): Float64Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, 2 * a.length, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Grows an Int32Array to at least n entries (doubling); new entries are `fill`. */
export function growI32(a: Int32Array<ArrayBuffer>, n: number, fill = 0): Int32Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, 2 * a.length, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Grows a Uint8Array to at least n entries (doubling); new entries are 0. */
export function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, 2 * a.length, 16));
  b.set(a);
  return b;
}

const TWO32 = 4294967296;

/** An int64 column of `counts[0..n)` (non-negative integer doubles), no BigInt per row. */
export function int64Column(counts: Float64Array, n: number, valid: Uint8Array | null = null): Column {
  const values = new BigInt64Array(n);
  const w = new Int32Array(values.buffer);
  for (let g = 0; g < n; g++) {
    const x = counts[g]!;
    w[2 * g] = (x % TWO32) | 0;
    w[2 * g + 1] = Math.floor(x / TWO32);
  }
  return { type: T.int64, length: n, valid, values };
}

/** The values of an int64 column as doubles (exact below 2^53), read through the halves. */
export function int64AsDoubles(c: Column, n: number): Float64Array {
  const w = new Int32Array(c.values!.buffer, c.values!.byteOffset, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0);
  return out;
}

/** A float64 column of `values[0..n)` (copied) with optional validity (copied). */
export function float64Column(values: Float64Array, n: number, valid: Uint8Array | null): Column {
  return {
    type: T.float64,
    length: n,
    valid: valid === null ? null : valid.slice(0, n),
    values: values.slice(0, n),
  };
}

/** A validity array for n groups where `set[g]` says valid, or null when all are. */
export function validityOf(set: Uint8Array, n: number): Uint8Array | null {
  for (let g = 0; g < n; g++) if (set[g] === 0) return set.slice(0, n);
  return null;
}
