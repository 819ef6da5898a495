// Casts among boolean, int, bigint, double, decimal, and between timestamps and numbers, with
// Spark's non-ANSI rules: integral narrowing wraps, double→integral truncates and saturates
// (NaN → 0), decimal results round half-up and become null on overflow.
import { type Column, i64Halves, readI64 } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import {
  POW10,
  POW10_BIG,
  decHalves,
  decNum,
  decimalToDouble,
  divPow10HalfUp,
  divRound,
  doubleToUnscaled,
  fitsBig,
  readDecimal,
  rescaleBig,
  writeDecNum,
  writeDecimal,
} from "../kernels/decimal.js";
import { writableValid } from "../kernels/util.js";

const TWO53 = 9007199254740992;
const TWO63 = 2 ** 63;

type Dec = { kind: "decimal"; precision: number; scale: number };

/** Writes a double as a saturated, truncated int64 (Java's `(long) d`, NaN → 0). */
export function writeI64Saturating(h: Int32Array, i: number, d: number): void {
  if (Number.isNaN(d)) {
    h[2 * i] = 0;
    h[2 * i + 1] = 0;
  } else if (d >= TWO63) {
    h[2 * i] = -1;
    h[2 * i + 1] = 0x7fffffff;
  } else if (d <= -TWO63) {
    h[2 * i] = 0;
    h[2 * i + 1] = -0x80000000;
  } else {
    const t = Math.trunc(d);
    const hi = Math.floor(t / 4294967296);
    h[2 * i] = (t - hi * 4294967296) | 0;
    h[2 * i + 1] = hi | 0;
  }
}

/** Java's `(int) d`: truncates, saturates, NaN → 0. */
export const doubleToInt32 = (d: number): number =>
  Number.isNaN(d) ? 0 : d >= 2147483647 ? 2147483647 : d <= -2147483648 ? -2147483648 : Math.trunc(d) | 0;

/** Truncating division of a safe integer by 10^k (exact). */
export function truncDivPow10(v: number, k: number): number {
  if (k === 0) return v;
  if (k > 15) return 0;
  const d = POW10[k]!;
  let q = Math.trunc(v / d);
  const r = v - q * d;
  if (v >= 0 ? r < 0 : r > 0) q += v >= 0 ? -1 : 1;
  else if (v >= 0 ? r >= d : r <= -d) q += v >= 0 ? 1 : -1;
  return q;
}

/** A double's value at `scale` rounded half-up through its shortest decimal form; null when not finite. */
export function doubleToScaled(d: number, scale: number): number | bigint | null {
  if (!Number.isFinite(d)) return null;
  if (scale <= 22) {
    const y = d * POW10[scale]!;
    const a = Math.abs(y);
    if (a < 4503599627370496) {
      const fl = Math.floor(a);
      const fr = a - fl;
      if (Math.abs(fr - 0.5) > a * 1e-15 + 1e-9) {
        const k = fr > 0.5 ? fl + 1 : fl;
        return y < 0 ? -k : k;
      }
    }
  }
  return doubleToUnscaled(d, scale);
}

function out(type: DataType, n: number): BigInt64Array {
  return new BigInt64Array(type.kind === "decimal" ? 2 * n : n);
}

/** Casts a boolean, int, bigint, double, decimal or timestamp column to a numeric or boolean type. */
export function castNumeric(c: Column, to: DataType, n: number): Column {
  const from = c.type;
  const valid = c.valid;
  switch (to.kind) {
    case "boolean": {
      const o = new Uint8Array(n);
      if (from.kind === "int32" || from.kind === "float64") {
        const v = c.values as Int32Array | Float64Array;
        for (let i = 0; i < n; i++) o[i] = v[i] !== 0 ? 1 : 0;
      } else {
        const h = i64Halves(c.values as BigInt64Array);
        const w = from.kind === "decimal" ? 4 : 2;
        for (let i = 0; i < n; i++) {
          let nz = 0;
          for (let k = 0; k < w; k++) nz |= h[w * i + k]!;
          o[i] = nz !== 0 ? 1 : 0;
        }
      }
      return { type: to, length: n, valid, values: o };
    }
    case "int32": {
      const o = new Int32Array(n);
      if (from.kind === "boolean") o.set(c.values as Uint8Array);
      else if (from.kind === "float64") {
        const v = c.values as Float64Array;
        for (let i = 0; i < n; i++) o[i] = doubleToInt32(v[i]!);
      } else if (from.kind === "int64") {
        const h = i64Halves(c.values as BigInt64Array);
        for (let i = 0; i < n; i++) o[i] = h[2 * i]!;
      } else if (from.kind === "timestamp") {
        const v = c.values as BigInt64Array;
        const h = i64Halves(v);
        for (let i = 0; i < n; i++) {
          const hi = h[2 * i + 1]!;
          o[i] =
            hi >= -2097152 && hi < 2097152
              ? floorDivSafe(readI64(h, i), 1e6) | 0
              : Number(BigInt.asIntN(32, floorDivBig(v[i]!, 1000000n)));
        }
      } else if (from.kind === "decimal") {
        const h = decHalves(c);
        const s = from.scale;
        for (let i = 0; i < n; i++) {
          const x = decNum(h, i);
          o[i] = !Number.isNaN(x)
            ? truncDivPow10(x, s) | 0
            : Number(BigInt.asIntN(32, readDecimal(c.values as BigInt64Array, i) / POW10_BIG[s]!));
        }
      } else o.set(c.values as Int32Array);
      return { type: to, length: n, valid, values: o };
    }
    case "int64": {
      const o = out(to, n);
      const oh = i64Halves(o);
      if (from.kind === "boolean" || from.kind === "int32") {
        const v = c.values as Int32Array | Uint8Array;
        for (let i = 0; i < n; i++) {
          const x = v[i]!;
          oh[2 * i] = x;
          oh[2 * i + 1] = x >> 31;
        }
      } else if (from.kind === "float64") {
        const v = c.values as Float64Array;
        for (let i = 0; i < n; i++) writeI64Saturating(oh, i, v[i]!);
      } else if (from.kind === "timestamp") {
        const v = c.values as BigInt64Array;
        const h = i64Halves(v);
        for (let i = 0; i < n; i++) {
          const hi = h[2 * i + 1]!;
          if (hi >= -2097152 && hi < 2097152) writeI64Saturating(oh, i, floorDivSafe(readI64(h, i), 1e6));
          else o[i] = floorDivBig(v[i]!, 1000000n);
        }
      } else if (from.kind === "decimal") {
        const h = decHalves(c);
        const s = from.scale;
        for (let i = 0; i < n; i++) {
          const x = decNum(h, i);
          if (!Number.isNaN(x)) writeI64Saturating(oh, i, truncDivPow10(x, s));
          else o[i] = BigInt.asIntN(64, readDecimal(c.values as BigInt64Array, i) / POW10_BIG[s]!);
        }
      } else o.set(c.values as BigInt64Array);
      return { type: to, length: n, valid, values: o };
    }
    case "float64": {
      const o = new Float64Array(n);
      if (from.kind === "boolean" || from.kind === "int32") o.set(c.values as Int32Array);
      else if (from.kind === "int64" || from.kind === "timestamp") {
        const h = i64Halves(c.values as BigInt64Array);
        if (from.kind === "int64") for (let i = 0; i < n; i++) o[i] = readI64(h, i);
        else for (let i = 0; i < n; i++) o[i] = readI64(h, i) / 1e6;
      } else if (from.kind === "decimal") {
        const h = decHalves(c);
        const s = from.scale;
        const p = POW10[s]!;
        for (let i = 0; i < n; i++) {
          const x = decNum(h, i);
          o[i] =
            !Number.isNaN(x) && s <= 22
              ? x / p
              : decimalToDouble(readDecimal(c.values as BigInt64Array, i), s);
        }
      } else o.set(c.values as Float64Array);
      return { type: to, length: n, valid, values: o };
    }
    case "decimal":
      return castToDecimal(c, to, n);
    default:
      throw new Error(`castNumeric: unsupported target ${to.kind}`);
  }
}

/** Exact floor division of a safe integer by a positive integer. */
export function floorDivSafe(x: number, d: number): number {
  let q = Math.floor(x / d);
  const r = x - q * d;
  if (r < 0) q -= 1;
  else if (r >= d) q += 1;
  return q;
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Casts a boolean, int, bigint, double, decimal or timestamp column to decimal(p, s). */
function castToDecimal(c: Column, to: Dec, n: number): Column {
  const from = c.type;
  const { precision: p, scale: s } = to;
  const o = out(to, n);
  const oh = i64Halves(o);
  const ov = writableValid(c.valid, n);
  const limit = p <= 15 ? POW10[p]! : TWO53;
  // Writes a safe integer if it fits, else marks the row null.
  const put = (i: number, x: number): void => {
    if (x < limit && x > -limit) writeDecNum(oh, i, x);
    else ov[i] = 0;
  };
  const putBig = (i: number, x: bigint): void => {
    if (fitsBig(x, p)) writeDecimal(o, i, x);
    else ov[i] = 0;
  };
  const mul = s <= 22 ? POW10[s]! : Number.POSITIVE_INFINITY;
  switch (from.kind) {
    case "boolean":
    case "int32": {
      const v = c.values as Int32Array;
      for (let i = 0; i < n; i++) {
        const x = v[i]! * mul;
        if (Math.abs(x) < TWO53) put(i, x);
        else putBig(i, BigInt(v[i]!) * POW10_BIG[s]!);
      }
      break;
    }
    case "int64": {
      const v = c.values as BigInt64Array;
      const h = i64Halves(v);
      for (let i = 0; i < n; i++) {
        const x = readI64(h, i) * mul;
        if (Math.abs(x) < TWO53) put(i, x);
        else putBig(i, v[i]! * POW10_BIG[s]!);
      }
      break;
    }
    case "float64":
    case "timestamp": {
      const isTs = from.kind === "timestamp";
      const v = c.values as Float64Array | BigInt64Array;
      const h = isTs ? i64Halves(v as BigInt64Array) : null;
      for (let i = 0; i < n; i++) {
        const d = h !== null ? readI64(h, i) / 1e6 : (v as Float64Array)[i]!;
        const x = doubleToScaled(d, s);
        if (x === null) ov[i] = 0;
        else if (typeof x === "number") put(i, x);
        else putBig(i, x);
      }
      break;
    }
    case "decimal": {
      const h = decHalves(c);
      const fs = from.scale;
      const vals = c.values as BigInt64Array;
      if (fs <= s) {
        const k = s - fs;
        const m = k <= 22 ? POW10[k]! : Number.POSITIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          const x = decNum(h, i) * m;
          if (Math.abs(x) < TWO53) put(i, x);
          else putBig(i, readDecimal(vals, i) * POW10_BIG[k]!);
        }
      } else {
        const k = fs - s;
        for (let i = 0; i < n; i++) {
          const x = decNum(h, i);
          if (!Number.isNaN(x) && k <= 15) put(i, divPow10HalfUp(x, k));
          else putBig(i, divRound(readDecimal(vals, i), POW10_BIG[k]!, "half_up"));
        }
      }
      break;
    }
    default:
      throw new Error(`castToDecimal: unsupported source ${from.kind}`);
  }
  if (c.valid !== null) for (let i = 0; i < n; i++) ov[i] = ov[i]! & c.valid[i]!;
  return { type: to, length: n, valid: ov, values: o };
}

/** Casts a boolean, int, bigint, double or decimal column to a zoned timestamp (seconds → µs). */
export function castNumericToTimestamp(c: Column, to: DataType, n: number): Column {
  const from = c.type;
  const o = new BigInt64Array(n);
  const oh = i64Halves(o);
  let valid = c.valid;
  switch (from.kind) {
    case "boolean":
    case "int32": {
      const v = c.values as Int32Array;
      const mul = from.kind === "boolean" ? 1 : 1e6;
      for (let i = 0; i < n; i++) writeI64Saturating(oh, i, v[i]! * mul);
      break;
    }
    case "int64": {
      const v = c.values as BigInt64Array;
      const h = i64Halves(v);
      for (let i = 0; i < n; i++) {
        const x = readI64(h, i) * 1e6;
        if (Math.abs(x) < TWO53) writeI64Saturating(oh, i, x);
        else {
          const b = v[i]! * 1000000n;
          o[i] =
            b > 9223372036854775807n
              ? 9223372036854775807n
              : b < -9223372036854775808n
                ? -9223372036854775808n
                : b;
        }
      }
      break;
    }
    case "float64": {
      const v = c.values as Float64Array;
      const ov = writableValid(valid, n);
      for (let i = 0; i < n; i++) {
        const d = v[i]!;
        if (Number.isFinite(d)) writeI64Saturating(oh, i, d * 1e6);
        else ov[i] = 0;
      }
      valid = ov;
      break;
    }
    case "decimal": {
      const vals = c.values as BigInt64Array;
      const s = from.scale;
      for (let i = 0; i < n; i++) o[i] = BigInt.asIntN(64, rescaleBig(readDecimal(vals, i), s, 6, "down"));
      break;
    }
    default:
      throw new Error(`castNumericToTimestamp: unsupported source ${from.kind}`);
  }
  return { type: to, length: n, valid, values: o };
}
