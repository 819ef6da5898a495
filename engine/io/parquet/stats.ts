// Row-group statistics → pruning bounds in Kindling's value domain.
//
// Every bound is conservative: `min` is ≤ every non-null value of the chunk as Kindling reads
// it and `max` is ≥ every one, or the bound is unknown (null). Domains per type:
//   boolean → boolean; int32, date, float64 → number; int64, timestamp (µs), decimal
//   (unscaled) → bigint; string → UTF-8 bytes (compared unsigned, as Spark compares strings).
// Distrusted: the deprecated min/max fields for strings, unsigned ints and byte-array decimals
// (written in signed byte order by old writers), INT96, NaN bounds, uint64 beyond 2^63.
import type { FileMetaData } from "hyparquet";
import type { DataType } from "../../types/data-type.js";
import type { RawTimestamp } from "./metadata.js";
import type { ParquetColumn } from "./schema.js";

/** A bound in the value domain of its column's Kindling type. */
export type Bound = number | bigint | boolean | Uint8Array;

/** What the statistics of one column chunk prove. */
export interface ChunkStats {
  readonly rows: number;
  /** Null values in the chunk, or null when unknown. */
  readonly nullCount: number | null;
  readonly min: Bound | null;
  readonly max: Bound | null;
}

const UNKNOWN_BOUNDS = { min: null, max: null } as const;

/** Bounds of column `col` in row group `rg`, in the domain of the dataset type `target`. */
export function chunkStats(meta: FileMetaData, rg: number, col: ParquetColumn, target: DataType): ChunkStats {
  const group = meta.row_groups[rg]!;
  const rows = Number(group.num_rows);
  if (col.leaf < 0 || !col.element) return { rows, nullCount: null, ...UNKNOWN_BOUNDS };
  const s = group.columns[col.leaf]?.meta_data?.statistics;
  if (!s) return { rows, nullCount: null, ...UNKNOWN_BOUNDS };
  const nullCount = s.null_count !== undefined ? Number(s.null_count) : null;
  const el = col.element;
  const unsigned =
    el.converted_type?.startsWith("UINT_") === true ||
    (el.logical_type?.type === "INTEGER" && !el.logical_type.isSigned);
  const legacyOk =
    !unsigned &&
    (el.type === "BOOLEAN" ||
      el.type === "INT32" ||
      el.type === "INT64" ||
      el.type === "FLOAT" ||
      el.type === "DOUBLE");
  const rawMin = s.min_value ?? (legacyOk ? s.min : undefined);
  const rawMax = s.max_value ?? (legacyOk ? s.max : undefined);
  const decimalIsScaledFloat = el.converted_type === "DECIMAL";
  const fileType = col.field.type;
  const min = widen(toBound(rawMin, fileType, false, decimalIsScaledFloat), fileType, target);
  const max = widen(toBound(rawMax, fileType, true, decimalIsScaledFloat), fileType, target);
  if (min === null || max === null) return { rows, nullCount, ...UNKNOWN_BOUNDS };
  return { rows, nullCount, min, max };
}

/** Converts one raw statistic to a bound of the file column's type; `upper` picks the rounding side. */
function toBound(v: unknown, t: DataType, upper: boolean, scaledFloat: boolean): Bound | null {
  if (v === undefined || v === null) return null;
  switch (t.kind) {
    case "boolean":
      return typeof v === "boolean" ? v : null;
    case "int32":
    case "date":
      return typeof v === "number" && Number.isInteger(v) ? v : null;
    case "int64":
      if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
      // uint64 past 2^63 wraps on read, which breaks the order.
      if (typeof v === "bigint") return v >= -(1n << 63n) && v < 1n << 63n ? v : null;
      return null;
    case "float64":
      return typeof v === "number" && !Number.isNaN(v) ? v : null;
    case "string":
      return v instanceof Uint8Array ? v : null;
    case "timestamp":
      return timestampBound(v);
    case "decimal":
      if (v instanceof Uint8Array) return bigEndianSigned(v);
      if (typeof v === "bigint") return v;
      if (typeof v === "number") return scaledFloat ? decimalBound(v, t.scale, upper) : BigInt(Math.trunc(v));
      return null;
    default:
      return null;
  }
}

/** Widens a bound from the file's type to the dataset's (int32 → int64); null when not possible. */
function widen(b: Bound | null, from: DataType, to: DataType): Bound | null {
  if (b === null || from.kind === to.kind) return b;
  if (from.kind === "int32" && to.kind === "int64" && typeof b === "number") return BigInt(b);
  return null;
}

function timestampBound(v: unknown): bigint | null {
  if (typeof v !== "object" || v === null || !("unit" in v)) return null; // INT96: no defined order
  const { unit, value } = v as RawTimestamp;
  if (unit === "us") return value;
  if (unit === "ms") return value * 1000n;
  // ns → µs floors, exactly as the read path does (columnar/arrow.ts): floor is monotone, so
  // floor(min) ≤ floor(v) ≤ floor(max) for every value v the scan will see.
  const q = value / 1000n;
  return value % 1000n < 0n ? q - 1n : q;
}

/**
 * hyparquet hands INT32/INT64/FIXED_LEN decimal statistics over as `unscaled / 10^scale` in a
 * double; widen by a relative slack far above the few ulps of error so the bound stays safe.
 */
function decimalBound(f: number, scale: number, upper: boolean): bigint | null {
  const x = f * 10 ** scale;
  if (!Number.isFinite(x)) return null;
  const slack = Math.abs(x) * 1e-14 + 1; // ≥ 18x the worst rounding error (≈ 2.5 ulp)
  return BigInt(upper ? Math.ceil(x + slack) : Math.floor(x - slack));
}

/** A big-endian two's complement integer (byte-array decimals). */
function bigEndianSigned(bytes: Uint8Array): bigint | null {
  if (bytes.length === 0 || bytes.length > 32) return null;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes[0]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}
