// The in-memory columnar form that every kernel and operator works on.
//
// A Column is Arrow's layout with two simplifications that make JS kernels short and fast:
// it never has an offset (slices are copied or re-based at the Arrow boundary), and validity
// and booleans are one byte per row instead of bit-packed. Conversion to and from Arrow
// happens only at the edges (IPC, Parquet, toArrow) in `arrow.ts`.
import type { DataType, Schema } from "../types/data-type.js";

/**
 * One column of a batch. Which buffers are set depends on `type.kind`:
 * - boolean: `values` Uint8Array (0/1 per row)
 * - int32, date: `values` Int32Array (dates are days since the epoch)
 * - int64, timestamp: `values` BigInt64Array (timestamps are µs since the epoch); read it
 *   through `i64Halves` in hot loops, never one BigInt per row
 * - float64: `values` Float64Array
 * - decimal: `values` BigInt64Array, two words (low, high) per row: a 128-bit unscaled integer
 * - string: `offsets` Int32Array (length + 1) and `data` Uint8Array of UTF-8 bytes
 * - list: `offsets` Int32Array (length + 1) and `child` Column
 * - null: no buffers
 */
export interface Column {
  readonly type: DataType;
  readonly length: number;
  /** One byte per row, 1 = valid; null when every row is valid (for "null" type: every row is null). */
  readonly valid: Uint8Array | null;
  readonly values?: Uint8Array | Int32Array | Float64Array | BigInt64Array;
  readonly offsets?: Int32Array;
  readonly data?: Uint8Array;
  readonly child?: Column;
}

/** A set of equal-length columns with their schema: the unit that flows between operators. */
export interface Batch {
  readonly schema: Schema;
  readonly columns: readonly Column[];
  readonly numRows: number;
}

export const batchOf = (schema: Schema, columns: readonly Column[], numRows: number): Batch => ({
  schema,
  columns,
  numRows,
});

/** A view of an int64-like column's values as (low, high) 32-bit pairs. */
export function i64Halves(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

const TWO32 = 4294967296;
/** Reads the i-th int64 from its halves as a number (exact when |value| < 2^53). */
export function readI64(h: Int32Array, i: number): number {
  return h[2 * i + 1]! * TWO32 + (h[2 * i]! >>> 0);
}
/** True when the i-th int64 is exactly representable as a double. */
export function i64IsSafe(h: Int32Array, i: number): boolean {
  const hi = h[2 * i + 1]!;
  return hi >= -2097152 && hi < 2097152;
}
/** Writes a (safe) integer-valued number as the i-th int64. */
export function writeI64(h: Int32Array, i: number, v: number): void {
  const lo = v % TWO32;
  const loU = lo < 0 ? lo + TWO32 : lo;
  h[2 * i] = loU | 0;
  h[2 * i + 1] = Math.floor(v / TWO32);
}

/** Is row i valid (non-null)? */
export const isValid = (c: Column, i: number): boolean => c.valid === null || c.valid[i] === 1;

/** The number of null rows in a column. */
export function nullCount(c: Column): number {
  if (c.type.kind === "null") return c.length;
  if (c.valid === null) return 0;
  let n = 0;
  for (let i = 0; i < c.length; i++) n += c.valid[i]! ^ 1;
  return n;
}

/** A column of `length` nulls of the given type. */
export function nullColumn(type: DataType, length: number): Column {
  const valid = new Uint8Array(length);
  switch (type.kind) {
    case "null":
      return { type, length, valid };
    case "boolean":
      return { type, length, valid, values: new Uint8Array(length) };
    case "int32":
    case "date":
      return { type, length, valid, values: new Int32Array(length) };
    case "int64":
    case "timestamp":
      return { type, length, valid, values: new BigInt64Array(length) };
    case "decimal":
      return { type, length, valid, values: new BigInt64Array(length * 2) };
    case "float64":
      return { type, length, valid, values: new Float64Array(length) };
    case "string":
      return { type, length, valid, offsets: new Int32Array(length + 1), data: new Uint8Array(0) };
    case "list":
      return { type, length, valid, offsets: new Int32Array(length + 1), child: nullColumn(type.element, 0) };
  }
}
