// Converting one CSV field (a byte range) into a column sink, with Spark's null handling.
//
// Null rules (Spark 3.5 with univocity): an empty unquoted field is the nullValue; a quoted
// empty field is the emptyValue; a value equal to nullValue is null. With the defaults
// (nullValue = emptyValue = "") both `,,` and `,"",` are null, for every type.
import { DT, parseDateLenient, parseTimestampLenient, writeDtMicros } from "./datetime.js";
import { parseWithPattern } from "./datetime-parse.js";
import { parseDecimalText, writeDecimal } from "./decimal.js";
import { parseBool, parseFloat64, parseInt32, parseInt64Into, parseOk } from "./numbers.js";
import type { CsvReadOptions } from "./options.js";
import { type ColumnSink, K_BOOL, K_DATE, K_DEC, K_F64, K_I32, K_I64, K_NULL, K_STR, K_TS } from "./sink.js";
import { F_ESCAPED, F_QUOTED, unescapeField } from "./tokenizer.js";

const decoder = new TextDecoder();

/** Converts fields into sinks; one per reader (holds scratch space). */
export class FieldConverter {
  private scratch = new Uint8Array(1024);
  private readonly nullValue: Uint8Array;
  private readonly emptyValue: Uint8Array;
  private readonly emptyIsNull: boolean;

  constructor(private readonly o: CsvReadOptions) {
    this.nullValue = o.nullValue;
    this.emptyValue = o.emptyValue;
    this.emptyIsNull = bytesEqual(o.emptyValue, 0, o.emptyValue.length, o.nullValue);
  }

  /** The text of a field after unescaping (for messages and header names). */
  text(b: Uint8Array, s: number, e: number, flags: number): string {
    if (flags & F_ESCAPED) {
      const n = this.unescaped(b, s, e);
      return decoder.decode(this.scratch.subarray(0, n));
    }
    return decoder.decode(b.subarray(s, e));
  }

  private unescaped(b: Uint8Array, s: number, e: number): number {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
    return unescapeField(b, s, e, this.scratch, this.o.quote, this.o.escape);
  }

  /**
   * Writes field b[s, e) into row i of `sink`. Returns false (and leaves the row null) when the
   * value does not parse as the sink's type.
   */
  put(sink: ColumnSink, i: number, b: Uint8Array, s: number, e: number, flags: number): boolean {
    if (flags & F_ESCAPED) {
      e = this.unescaped(b, s, e);
      b = this.scratch;
      s = 0;
    }
    if (s === e) {
      if ((flags & F_QUOTED) === 0 || this.emptyIsNull) {
        sink.setNull(i);
        return true;
      }
      b = this.emptyValue;
      s = 0;
      e = b.length;
    }
    const nv = this.nullValue;
    if (nv.length > 0 && e - s === nv.length && bytesEqual(b, s, e, nv)) {
      sink.setNull(i);
      return true;
    }
    return this.putValue(sink, i, b, s, e);
  }

  private putValue(sink: ColumnSink, i: number, b: Uint8Array, s: number, e: number): boolean {
    const o = this.o;
    switch (sink.kind) {
      case K_STR:
        sink.putBytes(i, b, s, e);
        return true;
      case K_I32: {
        const v = parseInt32(b, s, e);
        if (!parseOk) break;
        sink.i32[i] = v;
        sink.valid[i] = 1;
        return true;
      }
      case K_I64:
        if (!parseInt64Into(b, s, e, sink.h, sink.i64, i)) break;
        sink.valid[i] = 1;
        return true;
      case K_F64: {
        const v = parseFloat64(b, s, e, o.special);
        if (!parseOk) break;
        sink.f64[i] = v;
        sink.valid[i] = 1;
        return true;
      }
      case K_BOOL: {
        const v = parseBool(b, s, e);
        if (v < 0) break;
        sink.u8[i] = v;
        sink.valid[i] = 1;
        return true;
      }
      case K_DATE: {
        const ok =
          o.dateFormat !== null
            ? parseWithPattern(o.dateFormat, b, s, e, "date", o.zone)
            : parseDateLenient(b, s, e);
        if (!ok) break;
        sink.i32[i] = DT.days;
        sink.valid[i] = 1;
        return true;
      }
      case K_TS: {
        let ok: boolean;
        if (sink.type.kind === "timestamp" && sink.type.tz === null) {
          const p = o.timestampNTZFormat;
          ok =
            p !== null ? parseWithPattern(p, b, s, e, "ntz", o.zone) : parseTimestampLenient(b, s, e, null);
        } else {
          const p = o.timestampFormat;
          ok =
            p !== null
              ? parseWithPattern(p, b, s, e, "timestamp", o.zone)
              : parseTimestampLenient(b, s, e, o.zone);
        }
        if (!ok) break;
        writeDtMicros(sink.h, sink.i64, i);
        sink.valid[i] = 1;
        return true;
      }
      case K_DEC: {
        const t = sink.type;
        if (t.kind !== "decimal") break;
        const d = parseDecimalText(b, s, e);
        if (d === null || !writeDecimal(d, t.precision, t.scale, sink.h, sink.i64, i)) break;
        sink.valid[i] = 1;
        return true;
      }
      case K_NULL:
        sink.setNull(i);
        return true;
    }
    sink.setNull(i);
    return false;
  }
}

/** Whether b[s, e) equals `t`. */
export function bytesEqual(b: Uint8Array, s: number, e: number, t: Uint8Array): boolean {
  if (e - s !== t.length) return false;
  for (let k = 0; k < t.length; k++) if (b[s + k] !== t[k]) return false;
  return true;
}
