// Decimal128 helpers: Spark's decimal type rules (precision/scale of results) and value
// arithmetic on unscaled 128-bit integers. Kernels read a row as a safe double when its
// unscaled value is within ±2^53 (the common case, no allocation) and fall back to BigInt
// for that row otherwise.
import { readDecimal, writeDecimal } from "../../columnar/builders.js";
import { type Column, i64Halves, writeI64 } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";

export { readDecimal, writeDecimal };

/** Spark's maximum decimal precision. */
export const MAX_PRECISION = 38;
/** Spark's minimum scale kept when a result's precision is capped (allowPrecisionLoss). */
export const MINIMUM_ADJUSTED_SCALE = 6;

/** 10^k as numbers (exact up to 10^22). */
export const POW10: readonly number[] = Array.from({ length: 39 }, (_, k) => 10 ** k);
/** 10^k as bigints, k = 0..76. */
export const POW10_BIG: readonly bigint[] = Array.from({ length: 77 }, (_, k) => 10n ** BigInt(k));

type Dec = { readonly kind: "decimal"; readonly precision: number; readonly scale: number };

/** A decimal type. */
export const decimal = (precision: number, scale: number): Dec => ({ kind: "decimal", precision, scale });

/** DecimalType.bounded: both capped at 38. */
export const boundedDecimal = (p: number, s: number): Dec =>
  decimal(Math.min(p, MAX_PRECISION), Math.min(s, MAX_PRECISION));

/** Spark's adjustPrecisionScale (allowPrecisionLoss = true): keeps integral digits, trims scale. */
export function adjustPrecisionScale(p: number, s: number): Dec {
  if (p <= MAX_PRECISION) return decimal(p, s);
  const intDigits = p - s;
  const minScale = Math.min(s, MINIMUM_ADJUSTED_SCALE);
  const adjustedScale = Math.max(MAX_PRECISION - intDigits, minScale);
  return decimal(MAX_PRECISION, adjustedScale);
}

/** The decimal type an integral type converts to without loss (int → (10,0), bigint → (20,0)). */
export function decimalForType(t: DataType): Dec | null {
  switch (t.kind) {
    case "decimal":
      return t;
    case "int32":
      return decimal(10, 0);
    case "int64":
      return decimal(20, 0);
    default:
      return null;
  }
}

/** The tight decimal type of an integral literal value (Spark's DecimalType.fromLiteral). */
export function decimalForLiteral(v: number | bigint): Dec {
  const s = (v < 0 ? -BigInt(v) : BigInt(v)).toString();
  return decimal(Math.max(1, s.length), 0);
}

/** The wider of two decimal types (keeps every integral and fractional digit, bounded). */
export function widerDecimal(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  const range = Math.max(a.precision - a.scale, b.precision - b.scale);
  return boundedDecimal(range + scale, scale);
}

/** The Int32 view of a decimal column (4 words per row: low lo, low hi, high lo, high hi). */
export const decHalves = (c: Column): Int32Array => i64Halves(c.values as BigInt64Array);

/** Row i's unscaled value as a number when within ±2^53, else NaN. */
export function decNum(h: Int32Array, i: number): number {
  const mid = h[4 * i + 1]!;
  const s = mid >> 31;
  if (h[4 * i + 2] !== s || h[4 * i + 3] !== s || mid < -2097152 || mid >= 2097152) return Number.NaN;
  return mid * 4294967296 + (h[4 * i]! >>> 0);
}

/** Writes a safe integer as row i's unscaled value. */
export function writeDecNum(h: Int32Array, i: number, v: number): void {
  writeI64(h, 2 * i, v);
  const s = v < 0 ? -1 : 0;
  h[4 * i + 2] = s;
  h[4 * i + 3] = s;
}

/** Does |v| fit in `p` decimal digits? */
export const fitsBig = (v: bigint, p: number): boolean => {
  const m = POW10_BIG[p]!;
  return v < m && v > -m;
};

/** Rounding modes Spark uses for decimals. */
export type Rounding = "half_up" | "half_even" | "floor" | "ceil" | "down";

/** v / d (d > 0) rounded by `mode`. */
export function divRound(v: bigint, d: bigint, mode: Rounding): bigint {
  const q = v / d;
  const r = v % d;
  if (r === 0n) return q;
  const neg = v < 0n;
  switch (mode) {
    case "down":
      return q;
    case "floor":
      return neg ? q - 1n : q;
    case "ceil":
      return neg ? q : q + 1n;
    case "half_up": {
      const twice = (neg ? -r : r) * 2n;
      return twice >= d ? (neg ? q - 1n : q + 1n) : q;
    }
    case "half_even": {
      const twice = (neg ? -r : r) * 2n;
      if (twice > d || (twice === d && (q & 1n) !== 0n)) return neg ? q - 1n : q + 1n;
      return q;
    }
  }
}

/** Changes the scale of an unscaled value, rounding when it shrinks. */
export function rescaleBig(v: bigint, from: number, to: number, mode: Rounding = "half_up"): bigint {
  if (to === from) return v;
  if (to > from) return v * POW10_BIG[to - from]!;
  return divRound(v, POW10_BIG[from - to]!, mode);
}

/** Number-domain half-up division of a safe integer by 10^k (k ≤ 15); exact. */
export function divPow10HalfUp(v: number, k: number): number {
  const d = POW10[k]!;
  let q = Math.trunc(v / d);
  let r = v - q * d;
  // Guard against the division rounding across an integer.
  if (v >= 0) {
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
    return 2 * r >= d ? q + 1 : q;
  }
  if (r > 0) {
    q += 1;
    r -= d;
  } else if (r <= -d) {
    q -= 1;
    r += d;
  }
  return -2 * r >= d ? q - 1 : q;
}

/** Java BigDecimal.toString of unscaled·10^-scale (scientific when the exponent is below -6). */
export function decimalToString(v: bigint, scale: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString();
  const adjusted = digits.length - 1 - scale;
  let body: string;
  if (scale >= 0 && adjusted >= -6) body = plainDigits(digits, scale);
  else {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${mant}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
  }
  return neg ? `-${body}` : body;
}

/** Java BigDecimal.toPlainString of unscaled·10^-scale. */
export function decimalToPlainString(v: bigint, scale: number): string {
  const neg = v < 0n;
  const body = plainDigits((neg ? -v : v).toString(), scale);
  return neg ? `-${body}` : body;
}

function plainDigits(digits: string, scale: number): string {
  if (scale <= 0) return digits + "0".repeat(-scale);
  if (digits.length > scale)
    return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${"0".repeat(scale - digits.length)}${digits}`;
}

/** The double nearest to unscaled·10^-scale (correctly rounded). */
export function decimalToDouble(v: bigint, scale: number): number {
  const n = Number(v);
  if (Number.isSafeInteger(n) && scale <= 22) return n / POW10[scale]!;
  return Number(`${v.toString()}e-${scale}`);
}

/**
 * The unscaled value at `scale` of a double (via its shortest decimal representation, as
 * Spark's `Decimal(d)` does), rounded half-up; null when not finite.
 */
export function doubleToUnscaled(d: number, scale: number): bigint | null {
  if (!Number.isFinite(d)) return null;
  const [mant, expS] = d.toExponential().split("e") as [string, string];
  const neg = mant.startsWith("-");
  const m = neg ? mant.slice(1) : mant;
  const digits = m.replace(".", "");
  // value = digits × 10^(exp - (digits.length - 1))
  const shift = Number(expS) - (digits.length - 1) + scale;
  const u = BigInt(digits);
  const r = shift >= 0 ? u * 10n ** BigInt(shift) : divRound(u, 10n ** BigInt(-shift), "half_up");
  return neg ? -r : r;
}
