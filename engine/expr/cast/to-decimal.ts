// Casts to decimal(p, s) from booleans, integers, doubles (through their shortest decimal
// form, as Spark's Decimal(d)), timestamps (seconds) and other decimals: half-up rounding,
// null when the value needs more than p digits.
import { type Column, i64Halves, readI64 } from "../../columnar/column.js";
import {
  decHalves,
  decNum,
  divPow10HalfUp,
  divRound,
  doubleToUnscaled,
  fitsBig,
  POW10,
  POW10_BIG,
  readDecimal,
  writeDecimal,
  writeDecNum,
} from "../kernels/decimal.js";
import { writableValid } from "../kernels/util.js";

const TWO53 = 9007199254740992;

type Dec = { kind: "decimal"; precision: number; scale: number };

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

/** Casts a boolean, int, bigint, double, decimal or timestamp column to decimal(p, s). */
export function castToDecimal(c: Column, to: Dec, n: number): Column {
  const from = c.type;
  const { precision: p, scale: s } = to;
  const o = new BigInt64Array(2 * n);
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
