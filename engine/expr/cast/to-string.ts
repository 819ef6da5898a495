// Casts to string with Spark's (Java's) text forms: doubles as Double.toString ("1.0",
// "1.0E21", "NaN"), decimals as BigDecimal.toString, dates as yyyy-MM-dd, timestamps as
// yyyy-MM-dd HH:mm:ss[.ffffff] in the session zone (wall-clock ones as they are), arrays as
// "[a, b, null]".
import { StringColumnBuilder } from "../../columnar/builders.js";
import { type Column, i64Halves, i64IsSafe, readI64 } from "../../columnar/column.js";
import { zoneRules } from "../datetime/timezone.js";
import { formatDate, formatTimestamp } from "../kernels/datetime.js";
import { decimalToString, decNum, readDecimal } from "../kernels/decimal.js";
import type { CompileContext } from "../registry.js";
import { utcToLocalMicros } from "./datetime.js";

/** Java's Double.toString. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Number.POSITIVE_INFINITY) return "Infinity";
  if (d === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const a = Math.abs(d);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split("e") as [string, string];
  const m = mant.includes(".") ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith("+") ? exp.slice(1) : exp}`;
}

/** Casts any column to string. */
export function castToString(c: Column, n: number, ctx: CompileContext): Column {
  const from = c.type;
  const valid = c.valid;
  const b = new StringColumnBuilder(n, n * 12);
  const isNull = (i: number) => valid !== null && valid[i] === 0;
  switch (from.kind) {
    case "boolean": {
      const v = c.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else b.appendString(v[i] ? "true" : "false");
      }
      break;
    }
    case "int32": {
      const v = c.values as Int32Array;
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else b.appendString(String(v[i]));
      }
      break;
    }
    case "int64": {
      const v = c.values as BigInt64Array;
      const h = i64Halves(v);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else b.appendString(i64IsSafe(h, i) ? String(readI64(h, i)) : String(v[i]));
      }
      break;
    }
    case "float64": {
      const v = c.values as Float64Array;
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else b.appendString(javaDoubleToString(v[i]!));
      }
      break;
    }
    case "decimal": {
      const vals = c.values as BigInt64Array;
      const h = i64Halves(vals);
      const s = from.scale;
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else {
          const x = decNum(h, i);
          b.appendString(decimalToString(!Number.isNaN(x) ? BigInt(x) : readDecimal(vals, i), s));
        }
      }
      break;
    }
    case "date": {
      const v = c.values as Int32Array;
      const buf = new Uint8Array(32);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else b.appendBytes(buf, 0, formatDate(v[i]!, buf, 0));
      }
      break;
    }
    case "timestamp": {
      const vals = c.values as BigInt64Array;
      const h = i64Halves(vals);
      const zone = from.tz === null ? null : zoneRules(ctx.timeZone);
      const buf = new Uint8Array(48);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else {
          const us = i64IsSafe(h, i) ? readI64(h, i) : Number(vals[i]);
          const local = zone === null ? us : utcToLocalMicros(zone, us);
          b.appendBytes(buf, 0, formatTimestamp(local, buf, 0));
        }
      }
      break;
    }
    case "string":
      return c;
    case "null":
      for (let i = 0; i < n; i++) b.appendNull();
      break;
    case "list": {
      const child = castToString(c.child!, c.child!.length, ctx);
      const o = c.offsets!;
      const co = child.offsets!;
      const cd = child.data!;
      const cv = child.valid;
      const dec = new TextDecoder();
      for (let i = 0; i < n; i++) {
        if (isNull(i)) {
          b.appendNull();
          continue;
        }
        const parts: string[] = [];
        for (let k = o[i]!; k < o[i + 1]!; k++)
          parts.push(cv !== null && cv[k] === 0 ? "null" : dec.decode(cd.subarray(co[k]!, co[k + 1]!)));
        b.appendString(`[${parts.join(", ")}]`);
      }
      break;
    }
  }
  return b.finish();
}
