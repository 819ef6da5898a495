// Converting parsed JSON values into column sinks, following Spark's JacksonParser:
// booleans only from true/false; integers only from integral numbers in range; doubles from
// numbers and the strings NaN/Infinity/-Infinity/+INF/-INF; decimals from numbers or numeric
// strings (rounded half-up); dates and timestamps from strings (dateFormat/timestampFormat or
// Spark's lenient ISO forms), timestamps also from integral seconds since the epoch; strings
// from text, and from any other value as its JSON text; arrays element by element.
import { writeI64 } from "../../columnar/column.js";
import { DT, parseDateLenient, parseTimestampLenient, writeDtMicros } from "../csv/datetime.js";
import { parseWithPattern } from "../csv/datetime-parse.js";
import { parseDecimalText, writeDecimal } from "../csv/decimal.js";
import {
  type ColumnSink,
  K_BOOL,
  K_DATE,
  K_DEC,
  K_F64,
  K_I32,
  K_I64,
  K_LIST,
  K_NULL,
  K_STR,
  K_TS,
} from "../csv/sink.js";
import type { JsonReadOptions } from "./options.js";
import { JsonNumber } from "./parse.js";

const encoder = new TextEncoder();
const SPECIAL: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  "+NaN": Number.NaN,
  "-NaN": Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "+Infinity": Number.POSITIVE_INFINITY,
  "+INF": Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
  "-INF": Number.NEGATIVE_INFINITY,
};

/** A value as JSON text (JsonNumber as its source text, non-finite numbers as Jackson writes them). */
export function toJsonText(v: unknown): string {
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Converts JSON values into sinks; one per reader (holds scratch space). */
export class JsonConverter {
  private scratch = new Uint8Array(256);

  constructor(private readonly o: JsonReadOptions) {}

  private bytes(s: string): number {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3);
    return encoder.encodeInto(s, this.scratch).written;
  }

  /** Writes `v` as row i of `sink`; returns false (row left null) when it does not fit the type. */
  put(sink: ColumnSink, i: number, v: unknown): boolean {
    if (v === null || v === undefined || sink.kind === K_NULL) {
      sink.setNull(i);
      return true;
    }
    if (this.putValue(sink, i, v)) return true;
    sink.setNull(i);
    return false;
  }

  private putValue(sink: ColumnSink, i: number, v: unknown): boolean {
    const o = this.o;
    switch (sink.kind) {
      case K_STR:
        sink.putString(i, typeof v === "string" ? v : toJsonText(v));
        return true;
      case K_BOOL:
        if (typeof v !== "boolean") return false;
        sink.u8[i] = v ? 1 : 0;
        break;
      case K_I32:
        if (typeof v !== "number" || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return false;
        sink.i32[i] = v;
        break;
      case K_I64:
        if (typeof v === "number" && Number.isSafeInteger(v)) {
          writeI64(sink.h, i, v);
        } else {
          const big =
            typeof v === "number" && Number.isInteger(v)
              ? BigInt(v)
              : v instanceof JsonNumber && v.isInteger
                ? BigInt(v.text)
                : null;
          if (big === null || big > 9223372036854775807n || big < -9223372036854775808n) return false;
          sink.i64[i] = big;
        }
        break;
      case K_F64: {
        let x: number | undefined;
        if (typeof v === "number") x = v;
        else if (v instanceof JsonNumber) x = SPECIAL[v.text] ?? Number(v.text);
        else if (typeof v === "string") x = SPECIAL[v];
        if (x === undefined) return false;
        sink.f64[i] = x;
        break;
      }
      case K_DEC: {
        const t = sink.type;
        if (t.kind !== "decimal") return false;
        const text =
          typeof v === "number"
            ? String(v)
            : v instanceof JsonNumber
              ? v.text
              : typeof v === "string"
                ? v
                : null;
        if (text === null) return false;
        const n = this.bytes(text);
        const d = parseDecimalText(this.scratch, 0, n);
        if (d === null || !writeDecimal(d, t.precision, t.scale, sink.h, sink.i64, i)) return false;
        break;
      }
      case K_DATE: {
        if (typeof v !== "string") return false;
        const n = this.bytes(v);
        const ok =
          o.dateFormat !== null
            ? parseWithPattern(o.dateFormat, this.scratch, 0, n, "date", o.zone)
            : parseDateLenient(this.scratch, 0, n);
        if (!ok) return false;
        sink.i32[i] = DT.days;
        break;
      }
      case K_TS:
        if (!this.timestamp(sink, v)) return false;
        writeDtMicros(sink.h, sink.i64, i);
        break;
      case K_LIST: {
        if (!Array.isArray(v)) return false;
        const child = sink.child!;
        const start = sink.offsets[i]!;
        child.ensureRows(start + v.length);
        for (let k = 0; k < v.length; k++) if (!this.put(child, start + k, v[k])) return false;
        sink.offsets[i + 1] = start + v.length;
        break;
      }
      default:
        return false;
    }
    sink.valid[i] = 1;
    return true;
  }

  /** Parses a timestamp value into DT (seconds + micros). */
  private timestamp(sink: ColumnSink, v: unknown): boolean {
    const o = this.o;
    if (typeof v === "number" || v instanceof JsonNumber) {
      // Integral seconds since the epoch, as Spark reads a JSON number into a timestamp.
      const x = typeof v === "number" ? v : v.isInteger ? Number(v.text) : Number.NaN;
      if (!Number.isSafeInteger(x)) return false;
      DT.sec = x;
      DT.micros = 0;
      return true;
    }
    if (typeof v !== "string") return false;
    const n = this.bytes(v);
    const ntz = sink.type.kind === "timestamp" && sink.type.tz === null;
    const p = ntz ? o.timestampNTZFormat : o.timestampFormat;
    if (p !== null) return parseWithPattern(p, this.scratch, 0, n, ntz ? "ntz" : "timestamp", o.zone);
    return parseTimestampLenient(this.scratch, 0, n, ntz ? null : o.zone);
  }
}
