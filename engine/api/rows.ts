// Turns a Batch into the plain row objects that `collect()`, `take()` and `first()` return.
//
// Values, column by column: int32/float64 as number; int64 as number (a value beyond ±2^53
// throws, pointing to `collect({ bigint: true })` or `toArrow()`), or bigint with
// `{ bigint: true }`; boolean; string; date as a Date at UTC midnight; timestamp as a Date
// (millisecond precision: `toArrow()` keeps µs); decimal as a number when the double prints
// back as the same decimal value (always so up to 15 significant digits), otherwise as its
// exact plain string (e.g. "12345678901234567890.12"); list as an array; null as null.
// Each column is converted into an array first, then rows are assembled from those arrays.
import { getString, readDecimal } from "../columnar/builders.js";
import { type Batch, type Column, i64Halves, i64IsSafe, readI64 } from "../columnar/column.js";
import type { DataType } from "../types/data-type.js";

/** Options of `batchToRows`: `bigint` returns int64 values as bigint instead of number. */
export interface RowOptions {
  readonly bigint?: boolean;
}

const MS_PER_DAY = 86_400_000;

/** The plain decimal string of an unscaled value with `scale` digits after the point. */
export function decimalToPlainString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = "0".repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** A decimal as a number when that number prints back as the same value, else its exact string. */
export function decimalToJs(unscaled: bigint, scale: number): number | string {
  const s = decimalToPlainString(unscaled, scale);
  const n = Number(s);
  // Compare as decimal values: strip trailing fractional zeros from the plain string.
  const canon = s.includes(".") ? s.replace(/\.?0+$/, "") : s;
  return numberToPlain(n) === canon ? n : s;
}

/** A finite number written without exponent (for comparing with a decimal string). */
function numberToPlain(n: number): string {
  if (Object.is(n, -0)) return "0";
  const s = String(n);
  if (!s.includes("e")) return s;
  const [mant, expS] = s.split("e") as [string, string];
  const exp = Number(expS);
  const neg = mant.startsWith("-");
  const m = neg ? mant.slice(1) : mant;
  const [ip, fp = ""] = m.split(".") as [string, string?];
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/** The JS values of every row of a column (nulls as null). */
export function columnToJs(c: Column, name: string, opts: RowOptions = {}): unknown[] {
  const n = c.length;
  const out = new Array<unknown>(n);
  const v = c.valid;
  const t: DataType = c.type;
  switch (t.kind) {
    case "null":
      out.fill(null);
      return out;
    case "boolean": {
      const vals = c.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = vals[i] === 1;
      break;
    }
    case "int32":
    case "float64": {
      const vals = c.values as Int32Array | Float64Array;
      for (let i = 0; i < n; i++) out[i] = vals[i];
      break;
    }
    case "int64": {
      const vals = c.values as BigInt64Array;
      if (opts.bigint) {
        for (let i = 0; i < n; i++) out[i] = vals[i];
        break;
      }
      const h = i64Halves(vals);
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) continue;
        if (!i64IsSafe(h, i)) {
          throw new RangeError(
            `column "${name}" holds ${vals[i]}, beyond ±2^53 where a JS number is exact; ` +
              "use collect({ bigint: true }) or toArrow() to read it",
          );
        }
        out[i] = readI64(h, i);
      }
      break;
    }
    case "string":
      for (let i = 0; i < n; i++) if (v === null || v[i] === 1) out[i] = getString(c, i);
      break;
    case "date": {
      const vals = c.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = new Date(vals[i]! * MS_PER_DAY);
      break;
    }
    case "timestamp": {
      const vals = c.values as BigInt64Array;
      const h = i64Halves(vals);
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) continue;
        const ms = i64IsSafe(h, i) ? Math.floor(readI64(h, i) / 1000) : Number(floorDiv(vals[i]!, 1000n));
        out[i] = new Date(ms);
      }
      break;
    }
    case "decimal": {
      const vals = c.values as BigInt64Array;
      for (let i = 0; i < n; i++)
        if (v === null || v[i] === 1) out[i] = decimalToJs(readDecimal(vals, i), t.scale);
      break;
    }
    case "list": {
      const child = columnToJs(c.child!, name, opts);
      const o = c.offsets!;
      for (let i = 0; i < n; i++) out[i] = child.slice(o[i], o[i + 1]);
      break;
    }
  }
  if (v !== null) for (let i = 0; i < n; i++) if (v[i] === 0) out[i] = null;
  return out;
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
};

/** The rows of a batch as plain objects keyed by column name (a repeated name keeps the last column's value). */
export function batchToRows(batch: Batch, opts: RowOptions = {}): Record<string, unknown>[] {
  const fields = batch.schema.fields;
  const cols = batch.columns.map((c, k) => columnToJs(c, fields[k]!.name, opts));
  const names = fields.map((f) => f.name);
  const rows = new Array<Record<string, unknown>>(batch.numRows);
  const k = names.length;
  const special = names.includes("__proto__");
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < k; j++) {
      // "__proto__" as a column name must become an own property, not the prototype.
      if (special && names[j] === "__proto__") {
        Object.defineProperty(row, "__proto__", {
          value: cols[j]![i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else row[names[j]!] = cols[j]![i];
    }
    rows[i] = row;
  }
  return rows;
}
