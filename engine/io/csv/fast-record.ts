// The fast path for plain CSV records: one pass over a record that has no quotes, splitting
// fields and converting them as it goes (ints and short decimals parsed while scanning;
// other types handed to the FieldConverter), straight into the column sinks. Anything
// unusual (a quote, a comment or empty line, the wrong field count, a value that does not
// parse, the buffer ending mid-record) returns -1 and the caller reads the record with the
// general tokenizer, which then decides (and overwrites whatever the fast path wrote).
import type { FieldConverter } from "./convert.js";
import { canonicalLocalSeconds } from "./datetime.js";
import type { CsvReadOptions } from "./options.js";
import { type ColumnSink, K_F64, K_I32, K_STR, K_TS } from "./sink.js";
import { localToUtc, type Zone } from "./timezone.js";

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** True when these options let plain records take the fast path. */
export function fastRecordsApply(o: CsvReadOptions, outField: Int32Array, checkedFields: number): boolean {
  if (o.delimiter.length !== 1 || o.nullValue.length !== 0) return false;
  if (o.ignoreLeadingWhiteSpace || o.ignoreTrailingWhiteSpace || checkedFields > 0) return false;
  const seen = new Set<number>();
  for (const f of outField) {
    if (f < 0 || seen.has(f)) return false; // corrupt-record column, or a field requested twice
    seen.add(f);
  }
  return true;
}

/** Looks like a number to the inline float parser: then it must go through parseFloat64. */
function numericLooking(t: Uint8Array): boolean {
  return t.length > 0 && t.every((c) => (c >= 48 && c <= 57) || c === 45 || c === 46);
}

/** Parses plain records of one split into sinks; see the file comment. */
export class FastRecordParser {
  private readonly delim: number;
  private readonly quote: number;
  private readonly comment: number;
  private readonly maxStop: number;
  /** Per CSV field: its sink or null (not requested). */
  private readonly sinkOf: (ColumnSink | null)[];
  private readonly kindOf: Int32Array;
  private readonly inlineFloats: boolean;
  /** Per CSV field: the zone of a timestamp column read without a pattern (null: ntz), undefined otherwise. */
  private readonly tsZone: (Zone | null | undefined)[];
  /** Whether the last record ended with a line terminator. */
  terminated = true;

  constructor(
    o: CsvReadOptions,
    private readonly nFields: number,
    outField: Int32Array,
    sinks: readonly ColumnSink[],
    private readonly conv: FieldConverter,
  ) {
    this.delim = o.delimiter[0]!;
    this.quote = o.quote;
    this.comment = o.comment;
    this.maxStop = Math.max(this.delim, 13);
    this.sinkOf = Array.from({ length: nFields }, () => null);
    this.kindOf = new Int32Array(nFields).fill(-1);
    this.tsZone = Array.from({ length: nFields }, () => undefined);
    outField.forEach((f, k) => {
      const sink = sinks[k]!;
      this.sinkOf[f] = sink;
      this.kindOf[f] = sink.kind;
      const t = sink.type;
      if (t.kind === "timestamp") {
        const ntz = t.tz === null;
        const pattern = ntz ? o.timestampNTZFormat : o.timestampFormat;
        if (pattern === null) this.tsZone[f] = ntz ? null : o.zone;
      }
    });
    const s = o.special;
    this.inlineFloats = !numericLooking(s.nan) && !numericLooking(s.posInf) && !numericLooking(s.negInf);
  }

  /**
   * Parses the record at b[p, end) into row `row` of the sinks; returns the position after
   * its line terminator, or -1 when the general path must read it.
   */
  parse(b: Uint8Array, p: number, end: number, eof: boolean, row: number): number {
    const c0 = b[p];
    if (c0 === 10 || c0 === 13 || c0 === this.comment) return -1;
    const delim = this.delim;
    const quote = this.quote;
    const maxStop = this.maxStop;
    const nFields = this.nFields;
    let i = p;
    for (let f = 0; f < nFields; f++) {
      const start = i;
      if (i < end && b[i] === quote) return -1;
      const kind = this.kindOf[f]!;
      if (kind === K_I32 || (kind === K_F64 && this.inlineFloats)) {
        // Digits are accumulated while scanning; anything else falls back to the converter.
        let neg = false;
        if (i < end && b[i] === 45) {
          neg = true;
          i++;
        }
        let v = 0;
        let digits = 0;
        let frac = -1;
        let c = -1;
        while (i < end) {
          c = b[i]!;
          const d = c - 48;
          if (d >= 0 && d <= 9) {
            v = v * 10 + d;
            digits++;
            i++;
          } else if (c === 46 && frac < 0 && kind === K_F64) {
            frac = digits;
            i++;
          } else break;
        }
        if (i >= end) {
          if (!eof) return -1;
          c = -1;
        }
        const sink = this.sinkOf[f]!;
        if (c === delim || c === 10 || c === 13 || c === -1) {
          if (i === start) {
            sink.setNull(row);
          } else if (kind === K_I32 && digits > 0 && digits <= 9 && frac < 0) {
            sink.i32[row] = neg ? -v : v;
            sink.valid[row] = 1;
          } else if (kind === K_F64 && digits > 0 && digits <= 15 && frac !== digits) {
            const x = frac < 0 ? v : v / POW10[digits - frac]!;
            sink.f64[row] = neg ? -x : x;
            sink.valid[row] = 1;
          } else if (!this.conv.put(sink, row, b, start, i, 0)) return -1;
        } else {
          i = this.skip(b, i, end, maxStop, delim);
          if (i < 0 || (i >= end && !eof)) return -1;
          if (!this.conv.put(sink, row, b, start, i, 0)) return -1;
        }
      } else {
        i = this.skip(b, i, end, maxStop, delim);
        if (i < 0 || (i >= end && !eof)) return -1;
        if (kind === K_STR) {
          const sink = this.sinkOf[f]!;
          if (i === start) sink.setNull(row);
          else sink.putBytes(row, b, start, i);
        } else if (kind === K_TS && i - start === 19 && this.tsZone[f] !== undefined) {
          // yyyy-MM-dd HH:mm:ss without a pattern: the lenient parser's own fast path, inline.
          const local = canonicalLocalSeconds(b, start);
          if (Number.isNaN(local)) {
            if (!this.conv.put(this.sinkOf[f]!, row, b, start, i, 0)) return -1;
          } else {
            const zone = this.tsZone[f]!;
            const v = (zone === null ? local : localToUtc(zone, local)) * 1e6;
            const sink = this.sinkOf[f]!;
            const lo = v % 4294967296;
            sink.h[2 * row] = (lo < 0 ? lo + 4294967296 : lo) | 0;
            sink.h[2 * row + 1] = Math.floor(v / 4294967296);
            sink.valid[row] = 1;
          }
        } else if (kind >= 0 && !this.conv.put(this.sinkOf[f]!, row, b, start, i, 0)) return -1;
      }
      // At a stop byte (or the end of input): the next field, or the record's end.
      if (i >= end) {
        if (f !== nFields - 1) return -1;
        this.terminated = false;
        return end;
      }
      const c = b[i]!;
      if (c === delim) {
        if (f === nFields - 1) return -1; // more fields than the schema has
        i++;
        continue;
      }
      if (f !== nFields - 1) return -1; // fewer fields
      this.terminated = true;
      if (c === 10) return i + 1;
      // CR or CRLF
      if (i + 1 < end) return b[i + 1] === 10 ? i + 2 : i + 1;
      return eof ? i + 1 : -1;
    }
    return -1;
  }

  /** The end of an unquoted field starting at i (a stop byte or `end`); -1 when a quote is seen at its start. */
  private skip(b: Uint8Array, i: number, end: number, maxStop: number, delim: number): number {
    while (i < end) {
      const c = b[i]!;
      if (c > maxStop || (c !== delim && c !== 10 && c !== 13)) i++;
      else break;
    }
    return i;
  }
}
