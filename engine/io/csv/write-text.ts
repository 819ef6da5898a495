// The text side of the CSV writer: values to bytes in a reusable buffer, with Spark's
// quoting, escaping, trimming and datetime patterns (see `write.ts` for the options).
import { type Batch, type Column, i64Halves } from "../../columnar/column.js";
import type { Schema } from "../../types/data-type.js";
import { compilePattern } from "./datetime-pattern.js";
import { boolOpt, charOpt, checkEncoding, delimiterText, lowerKeys, zoneOpt } from "./options.js";
import { DateText, decimalText, int64Text, javaDouble, TimestampText } from "./write-format.js";

const CAP = 1 << 20;

/** Formats rows into CSV bytes and hands full chunks to a flush function. */
export class CsvTextWriter {
  readonly header: boolean;
  private buf = Buffer.allocUnsafe(CAP);
  private pos = 0;
  private readonly delim: Buffer;
  private readonly quote: number;
  private readonly escape: number;
  private readonly escapeQuotes: boolean;
  private readonly quoteAll: boolean;
  private readonly nullValue: Buffer;
  private readonly emptyValue: Buffer;
  private readonly lineSep: Buffer;
  private readonly trimL: boolean;
  private readonly trimR: boolean;
  private readonly dates: DateText;
  private readonly ts: TimestampText;
  private readonly tsNtz: TimestampText;

  constructor(options: Readonly<Record<string, string>>) {
    const o = lowerKeys(options);
    checkEncoding(o);
    this.header = boolOpt(o, "header", false);
    this.delim = Buffer.from(delimiterText(o.get("sep") ?? o.get("delimiter") ?? ","));
    this.quote = charOpt(o, "quote", '"');
    this.escape = charOpt(o, "escape", "\\");
    this.escapeQuotes = boolOpt(o, "escapeQuotes", true);
    this.quoteAll = boolOpt(o, "quoteAll", false);
    this.nullValue = Buffer.from(o.get("nullvalue") ?? "");
    this.emptyValue = Buffer.from(o.get("emptyvalue") ?? '""');
    this.lineSep = Buffer.from(o.get("linesep") ?? "\n");
    this.trimL = boolOpt(o, "ignoreLeadingWhiteSpace", true);
    this.trimR = boolOpt(o, "ignoreTrailingWhiteSpace", true);
    const zone = zoneOpt(o);
    this.dates = new DateText(compilePattern(o.get("dateformat") ?? "yyyy-MM-dd", "dateFormat"));
    this.ts = new TimestampText(
      compilePattern(o.get("timestampformat") ?? "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "timestampFormat"),
      zone,
    );
    this.tsNtz = new TimestampText(
      compilePattern(o.get("timestampntzformat") ?? "yyyy-MM-dd'T'HH:mm:ss.SSS", "timestampNTZFormat"),
      null,
    );
  }

  private async room(n: number, flush: (b: Buffer) => Promise<void>): Promise<void> {
    if (this.pos + n <= this.buf.length) return;
    await this.flushAll(flush);
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  async flushAll(flush: (b: Buffer) => Promise<void>): Promise<void> {
    if (this.pos === 0) return;
    // The stream may hold the chunk: hand over a copy and keep reusing our buffer.
    await flush(Buffer.from(this.buf.subarray(0, this.pos)));
    this.pos = 0;
  }

  private raw(src: Uint8Array): void {
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  private ascii(s: string, quoted: boolean): void {
    const b = this.buf;
    let p = this.pos;
    if (quoted) b[p++] = this.quote;
    for (let k = 0; k < s.length; k++) b[p++] = s.charCodeAt(k);
    if (quoted) b[p++] = this.quote;
    this.pos = p;
  }

  /** Writes UTF-8 bytes d[s, e) as one field, trimmed, quoted and escaped as needed. */
  private text(d: Uint8Array, s: number, e: number): void {
    if (s === e) {
      this.raw(this.emptyValue);
      return;
    }
    if (this.trimL) while (s < e && d[s]! <= 32) s++;
    if (this.trimR) while (e > s && d[e - 1]! <= 32) e--;
    const q = this.quote;
    const esc = this.escape;
    const d0 = this.delim[0]!;
    let needs = this.quoteAll;
    for (let k = s; k < e && !needs; k++) {
      const c = d[k]!;
      if (c === 10 || c === 13 || (c === q && this.escapeQuotes) || (c === d0 && this.delimAt(d, k, e)))
        needs = true;
    }
    const b = this.buf;
    let p = this.pos;
    if (!needs || q < 0) {
      b.set(d.subarray(s, e), p);
      this.pos = p + (e - s);
      return;
    }
    b[p++] = q;
    for (let k = s; k < e; k++) {
      const c = d[k]!;
      if (c === q) {
        b[p++] = esc >= 0 ? esc : q;
      } else if (c === esc && esc !== q && (k + 1 === e || d[k + 1] === q || d[k + 1] === esc)) {
        b[p++] = esc;
      }
      b[p++] = c;
    }
    b[p++] = q;
    this.pos = p;
  }

  private delimAt(d: Uint8Array, k: number, e: number): boolean {
    const dl = this.delim;
    if (k + dl.length > e) return false;
    for (let j = 1; j < dl.length; j++) if (d[k + j] !== dl[j]) return false;
    return true;
  }

  async writeHeader(schema: Schema, flush: (b: Buffer) => Promise<void>): Promise<void> {
    const names = schema.fields.map((f) => Buffer.from(f.name));
    await this.room(
      names.reduce((a, n) => a + 2 * n.length + 2 + this.delim.length, this.lineSep.length),
      flush,
    );
    names.forEach((n, i) => {
      if (i > 0) this.raw(this.delim);
      this.text(n, 0, n.length);
    });
    this.raw(this.lineSep);
  }

  async writeBatch(batch: Batch, flush: (b: Buffer) => Promise<void>): Promise<void> {
    const cols = batch.columns;
    const halves = cols.map((c) =>
      c.values instanceof BigInt64Array && c.type.kind !== "decimal" ? i64Halves(c.values) : null,
    );
    const fixed = 256 + this.nullValue.length + this.emptyValue.length;
    for (let r = 0; r < batch.numRows; r++) {
      let need = this.lineSep.length;
      for (const c of cols) {
        need += this.delim.length + fixed;
        if (c.offsets !== undefined && c.data !== undefined)
          need += 2 * (c.offsets[r + 1]! - c.offsets[r]!) + 2;
      }
      await this.room(need, flush);
      for (let k = 0; k < cols.length; k++) {
        if (k > 0) this.raw(this.delim);
        this.value(cols[k]!, halves[k]!, r);
      }
      this.raw(this.lineSep);
    }
  }

  private value(c: Column, h: Int32Array | null, r: number): void {
    if (c.type.kind === "null" || (c.valid !== null && c.valid[r] === 0)) {
      this.raw(this.nullValue);
      return;
    }
    const qa = this.quoteAll;
    switch (c.type.kind) {
      case "string":
        this.text(c.data!, c.offsets![r]!, c.offsets![r + 1]!);
        return;
      case "boolean":
        this.ascii((c.values as Uint8Array)[r] ? "true" : "false", qa);
        return;
      case "int32":
        this.ascii(String((c.values as Int32Array)[r]), qa);
        return;
      case "int64":
        this.ascii(int64Text(h!, c.values as BigInt64Array, r), qa);
        return;
      case "float64":
        this.ascii(javaDouble((c.values as Float64Array)[r]!), qa);
        return;
      case "decimal":
        this.ascii(decimalText(c.values as BigInt64Array, r, c.type.scale), qa);
        return;
      case "date":
        this.patterned(this.dates.format((c.values as Int32Array)[r]!));
        return;
      case "timestamp": {
        const f = c.type.tz === null ? this.tsNtz : this.ts;
        this.patterned(f.format(h!, c.values as BigInt64Array, r));
        return;
      }
    }
  }

  /** A formatted date/time: may hold the delimiter or non-ASCII text with a custom pattern. */
  private patterned(s: string): void {
    let plain = !this.quoteAll;
    for (let k = 0; k < s.length && plain; k++) {
      const c = s.charCodeAt(k);
      plain = c < 0x80 && c > 32 && c !== this.quote && c !== this.delim[0];
    }
    if (plain) {
      this.ascii(s, false);
      return;
    }
    const bytes = Buffer.from(s);
    this.text(bytes, 0, bytes.length);
  }
}
