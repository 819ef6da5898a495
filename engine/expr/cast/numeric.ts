// Casts among boolean, int, bigint, double, decimal, and between timestamps and numbers, with
// Spark's non-ANSI rules: integral narrowing wraps, double→integral truncates and saturates
// (NaN → 0), decimal results round half-up and become null on overflow.
import { type Column, i64Halves, readI64 } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import {
  decHalves,
  decimalToDouble,
  decNum,
  POW10,
  POW10_BIG,
  readDecimal,
  rescaleBig,
} from "../kernels/decimal.js";
import { writableValid } from "../kernels/util.js";
import { castToDecimal } from "./to-decimal.js";

const TWO53 = 9007199254740992;
const TWO63 = 2 ** 63;

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
