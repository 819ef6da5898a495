// CSV schema resolution: the `schema` option, or column names from the header and types
// inferred from a bounded sample of the first files, as Spark 3.5's CSVInferSchema does.
//
// Per field, inference continues from the column's type so far along Spark's chain
// int → bigint → decimal(p,0) (integers beyond bigint) → double → date (strict yyyy-MM-dd, or
// dateFormat; prefersDate defaults to true) → timestamp (lenient ISO, or timestampFormat) →
// boolean → string, and merges with the column's type (int+double → double, date+timestamp →
// timestamp, anything else mixed → string). Nulls are skipped; an all-null column is string.
// Spark reads every row to infer; Kindling samples `kindling.sql.csv.inferSchema.sampleRows`
// rows (default 10000) from the first files.
import { AnalysisError } from "../../errors.js";
import { type DataType, field, type Schema, schemaOf, T } from "../../types/data-type.js";
import { parseDDL } from "../../types/ddl.js";
import type { SourceFile } from "../source.js";
import { readSample } from "./byte-source.js";
import { bytesEqual, FieldConverter } from "./convert.js";
import { parseDateStrict, parseTimestampLenient } from "./datetime.js";
import { parseWithPattern } from "./datetime-parse.js";
import { parseDecimalText } from "./decimal.js";
import { classifyInteger, parseBool, parseFloat64, parseOk } from "./numbers.js";
import type { CsvReadOptions } from "./options.js";
import { checkCsvSchema, safeHeader } from "./schema.js";
import { CsvTokenizer, F_ESCAPED, F_QUOTED, unescapeField } from "./tokenizer.js";

const NUL = 0;
const INT = 1;
const LONG = 2;
const DEC = 3;
const DBL = 4;
const DATE = 5;
const TS = 6;
const BOOL = 7;
const STR = 8;
const MAX_SAMPLE_BYTES = 256 * 1024 * 1024;

interface ColType {
  code: number;
  p: number;
  s: number;
}

/** Infers or parses the schema of CSV files. */
export function inferCsvSchema(files: readonly SourceFile[], o: CsvReadOptions): Schema {
  if (o.schema !== undefined) {
    const schema = parseDDL(o.schema);
    checkCsvSchema(schema, o);
    return schema;
  }
  if (files.length === 0)
    throw new AnalysisError("Unable to infer schema for CSV. It must be specified manually.");
  const inf = new Inference(o);
  let budget = 1 << 20;
  for (const f of files) {
    for (;;) {
      const { bytes, complete } = readSample(f.path, budget);
      const final = budget >= MAX_SAMPLE_BYTES;
      const done = inf.scanFile(bytes, complete, final);
      if (complete || done || final) break;
      budget *= 4;
    }
    if (inf.rows >= o.sampleRows || (!o.inferSchema && inf.names !== null)) break;
  }
  return inf.schema();
}

class Inference {
  names: string[] | null = null;
  rows = 0;
  private types: ColType[] = [];
  private readonly tok: CsvTokenizer;
  private readonly conv: FieldConverter;
  private scratch = new Uint8Array(256);
  private readonly nullDefault: string;
  private readonly lenientDateAsTs: boolean;

  constructor(private readonly o: CsvReadOptions) {
    this.tok = new CsvTokenizer(o);
    this.conv = new FieldConverter(o);
    this.nullDefault = new TextDecoder().decode(o.nullValue);
    const df = o.dateFormat?.source ?? "yyyy-MM-dd";
    this.lenientDateAsTs =
      o.timestampFormat === null &&
      ["yyyy-MM-dd", "yyyy-M-d", "yyyy-M-dd", "yyyy-MM-d", "yyyy-MM", "yyyy-M", "yyyy"].includes(df);
  }

  /**
   * Scans one file's sample. Returns true when enough rows were seen; false means the sample
   * ended before `sampleRows` rows and a bigger sample of an incomplete file may help (the
   * caller then scans again from scratch, so the state is rolled back here).
   */
  scanFile(b: Uint8Array, complete: boolean, final: boolean): boolean {
    const saved = { names: this.names, rows: this.rows, types: this.types.map((t) => ({ ...t })) };
    const o = this.o;
    const tok = this.tok;
    let p = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    let headerPending = o.header;
    while (p < b.length) {
      const next = tok.next(b, p, b.length, complete);
      if (next < 0) break;
      const start = p;
      p = next;
      if (tok.contentEnd === start) continue;
      if (o.comment >= 0 && b[start] === o.comment) continue;
      if (this.names === null) {
        const n = tok.n;
        const raw: string[] = [];
        for (let j = 0; j < n; j++)
          raw.push(o.header ? this.conv.text(b, tok.fs[j]!, tok.fe[j]!, tok.ff[j]!) : "");
        this.names = o.header ? safeHeader(raw, this.nullDefault) : raw.map((_, i) => `_c${i}`);
        this.types = raw.map(() => ({ code: NUL, p: 0, s: 0 }));
        if (o.header) {
          headerPending = false;
          continue;
        }
      }
      if (headerPending) {
        headerPending = false;
        continue;
      }
      if (!o.inferSchema) return true;
      this.inferRow(b);
      if (++this.rows >= o.sampleRows) return true;
    }
    if (!complete && !final && this.rows < o.sampleRows) {
      this.names = saved.names;
      this.rows = saved.rows;
      this.types = saved.types;
      return false;
    }
    return true;
  }

  private inferRow(b: Uint8Array): void {
    const tok = this.tok;
    const n = Math.min(tok.n, this.types.length);
    const o = this.o;
    for (let j = 0; j < n; j++) {
      let s = tok.fs[j]!;
      let e = tok.fe[j]!;
      const flags = tok.ff[j]!;
      let buf = b;
      if (flags & F_ESCAPED) {
        if (this.scratch.length < e - s) this.scratch = new Uint8Array(2 * (e - s));
        e = unescapeField(b, s, e, this.scratch, o.quote, o.escape);
        s = 0;
        buf = this.scratch;
      }
      if (s === e) {
        if ((flags & F_QUOTED) === 0 || bytesEqual(o.emptyValue, 0, o.emptyValue.length, o.nullValue))
          continue;
        buf = o.emptyValue;
        s = 0;
        e = buf.length;
      }
      if (o.nullValue.length > 0 && bytesEqual(buf, s, e, o.nullValue)) continue;
      const t = this.types[j]!;
      const code = this.inferField(t.code, buf, s, e);
      this.merge(t, code);
    }
  }

  // Filled by fromDecimal for DEC results.
  private decP = 0;
  private decS = 0;

  private inferField(cur: number, b: Uint8Array, s: number, e: number): number {
    switch (cur) {
      case NUL:
      case INT: {
        const k = classifyInteger(b, s, e);
        if (k === 32) return INT;
        if (k === 64) return LONG;
        return this.fromDecimal(b, s, e);
      }
      case LONG: {
        const k = classifyInteger(b, s, e);
        if (k === 32 || k === 64) return LONG;
        return this.fromDecimal(b, s, e);
      }
      case DEC:
        return this.fromDecimal(b, s, e);
      case DBL:
        return this.fromDouble(b, s, e);
      case DATE:
        return this.fromDate(b, s, e);
      case TS:
        return this.fromTimestamp(b, s, e);
      case BOOL:
        return parseBool(b, s, e) >= 0 ? BOOL : STR;
      default:
        return STR;
    }
  }

  private fromDecimal(b: Uint8Array, s: number, e: number): number {
    // java.math.BigDecimal after removing ","; only scale-0 values within 38 digits are decimals.
    const d = parseDecimalText(b, s, e);
    if (d !== null && d.scale === 0 && d.digits.length <= 38) {
      this.decP = Math.max(1, d.digits.length);
      this.decS = 0;
      return DEC;
    }
    return this.fromDouble(b, s, e);
  }

  private fromDouble(b: Uint8Array, s: number, e: number): number {
    parseFloat64(b, s, e, this.o.special);
    return parseOk ? DBL : this.fromDate(b, s, e);
  }

  private fromDate(b: Uint8Array, s: number, e: number): number {
    const o = this.o;
    if (o.prefersDate) {
      const ok =
        o.dateFormat !== null
          ? parseWithPattern(o.dateFormat, b, s, e, "date", o.zone)
          : parseDateStrict(b, s, e);
      if (ok) return DATE;
    }
    return this.fromTimestamp(b, s, e);
  }

  private fromTimestamp(b: Uint8Array, s: number, e: number): number {
    const o = this.o;
    const ok =
      o.timestampFormat !== null
        ? parseWithPattern(o.timestampFormat, b, s, e, "timestamp", o.zone)
        : parseTimestampLenient(b, s, e, o.zone);
    if (ok) return TS;
    return parseBool(b, s, e) >= 0 ? BOOL : STR;
  }

  private merge(t: ColType, code: number): void {
    const a = t.code;
    if (a === NUL) {
      t.code = code;
      t.p = this.decP;
      t.s = this.decS;
      return;
    }
    if (a === code) {
      if (code === DEC) this.mergeDec(t, this.decP, this.decS);
      return;
    }
    const lo = Math.min(a, code);
    const hi = Math.max(a, code);
    if (hi <= DBL) {
      if (hi === DBL) {
        t.code = DBL;
      } else if (hi === DEC) {
        // int/bigint with decimal: the decimal that holds both.
        const [p, s] = a === DEC ? [t.p, t.s] : [this.decP, this.decS];
        t.code = DEC;
        t.p = p;
        t.s = s;
        this.mergeDec(t, lo === INT ? 10 : 20, 0);
      } else {
        t.code = LONG;
      }
      return;
    }
    if (lo === DATE && hi === TS) {
      t.code = this.lenientDateAsTs ? TS : STR;
      return;
    }
    t.code = STR;
  }

  private mergeDec(t: ColType, p2: number, s2: number): void {
    const scale = Math.max(t.s, s2);
    const range = Math.max(t.p - t.s, p2 - s2);
    if (range + scale > 38) {
      t.code = DBL;
    } else {
      t.p = range + scale;
      t.s = scale;
    }
  }

  schema(): Schema {
    const names = this.names ?? [];
    return schemaOf(names.map((n, i) => field(n, this.o.inferSchema ? toType(this.types[i]!) : T.string)));
  }
}

function toType(t: ColType): DataType {
  switch (t.code) {
    case INT:
      return T.int32;
    case LONG:
      return T.int64;
    case DEC:
      return T.decimal(t.p, t.s);
    case DBL:
      return T.float64;
    case DATE:
      return T.date;
    case TS:
      return T.timestamp;
    case BOOL:
      return T.boolean;
    default:
      return T.string;
  }
}
