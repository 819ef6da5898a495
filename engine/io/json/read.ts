// Reading one JSON split into batches: JSON lines (one record per line, byte-range splits
// with the same line-alignment rule as CSV), or with multiLine one document per file (an
// object, or an array of objects). A line holding an array of objects gives one row each.
//
// Malformed records (invalid JSON, a non-object, or a value that does not fit its column's
// type) follow the parse mode as for CSV: PERMISSIVE keeps the row with the bad fields null
// and the record text in the corrupt-record column, DROPMALFORMED drops it, FAILFAST throws
// `Malformed JSON record in <file> at line <n>: <reason>`.
import type { Batch } from "../../columnar/column.js";
import { DataError } from "../../errors.js";
import { type Field, schemaOf, typeName } from "../../types/data-type.js";
import { ByteWindow, isGzipPath, lineNumberAt, skipPartialLine } from "../csv/byte-source.js";
import { ColumnSink } from "../csv/sink.js";
import type { ReadRequest } from "../source.js";
import { JsonConverter } from "./convert.js";
import { jsonReadOptions } from "./options.js";
import { JsonNumber, parseJson } from "./parse.js";

/** Builds rows from parsed records into the sinks of the requested columns. */
class RowWriter {
  row = 0;
  /** Full batches waiting to be yielded. */
  readonly ready: Batch[] = [];
  private readonly sinks: ColumnSink[];
  private readonly checkSinks: ColumnSink[];
  private readonly checkFields: Field[];
  private readonly names: string[];
  private readonly corruptOut: number;
  private readonly conv: JsonConverter;
  private readonly outSchema;

  constructor(
    private readonly req: ReadRequest,
    private readonly o: ReturnType<typeof jsonReadOptions>,
    private readonly path: string,
  ) {
    const fields = req.source.dataSchema.fields;
    const batchSize = Math.max(1, req.batchSize);
    this.outSchema = schemaOf(req.columns.map((c) => fields[c]!));
    // Small splits start with small buffers; sinks grow up to batchSize.
    const len = req.split.length;
    const firstCap = len < 0 || o.multiLine ? batchSize : Math.min(batchSize, Math.max(256, len >> 4));
    this.sinks = req.columns.map((c) => new ColumnSink(fields[c]!.type, firstCap));
    this.names = req.columns.map((c) => fields[c]!.name);
    const corrupt = fields.findIndex((f) => f.name === o.corruptColumn && f.type.kind === "string");
    this.corruptOut = corrupt >= 0 ? req.columns.indexOf(corrupt) : -1;
    // With the corrupt column requested, every field is checked.
    this.checkFields =
      this.corruptOut >= 0 ? fields.filter((_, i) => i !== corrupt && !req.columns.includes(i)) : [];
    this.checkSinks = this.checkFields.map((f) => new ColumnSink(f.type, 1));
    this.conv = new JsonConverter(o);
  }

  /** Adds the rows of one record text (`line` for messages); may throw in FAILFAST mode. */
  add(text: string, line: () => number): void {
    let v: unknown;
    try {
      v = parseJson(text);
    } catch (e) {
      this.bad(null, text, line, `invalid JSON: ${(e as Error).message}`);
      return;
    }
    const records = Array.isArray(v) ? v : [v];
    for (const r of records) {
      if (r === null) continue; // a null document gives no row, as in Spark
      if (r === null || typeof r !== "object" || Array.isArray(r) || r instanceof JsonNumber) {
        this.bad(null, text, line, "a record must be a JSON object");
        continue;
      }
      const obj = r as Record<string, unknown>;
      this.room();
      let reason: string | null = null;
      for (let k = 0; k < this.sinks.length; k++) {
        if (k === this.corruptOut) continue;
        const name = this.names[k]!;
        const x = Object.hasOwn(obj, name) ? obj[name] : null;
        if (!this.conv.put(this.sinks[k]!, this.row, x) && reason === null)
          reason = this.mismatch(name, k, x);
      }
      for (let k = 0; k < this.checkFields.length; k++) {
        const f = this.checkFields[k]!;
        const x = Object.hasOwn(obj, f.name) ? obj[f.name] : null;
        if (!this.conv.put(this.checkSinks[k]!, 0, x) && reason === null) reason = "mismatch";
      }
      if (reason !== null) {
        this.bad(reason, text, line, reason);
        continue;
      }
      if (this.corruptOut >= 0) this.sinks[this.corruptOut]!.setNull(this.row);
      this.endRow();
    }
  }

  /** Makes room for one more row. */
  private room(): void {
    const cap = this.sinks[0]?.cap ?? Number.POSITIVE_INFINITY;
    if (this.row >= cap) for (const s of this.sinks) s.ensureRows(Math.min(this.req.batchSize, 2 * cap));
  }

  private endRow(): void {
    if (++this.row >= this.req.batchSize) this.ready.push(this.take()!);
  }

  private mismatch(name: string, k: number, x: unknown): string {
    const shown =
      typeof x === "string"
        ? JSON.stringify(x)
        : String(x instanceof JsonNumber ? x.text : JSON.stringify(x));
    return `cannot read ${shown.slice(0, 100)} as ${typeName(this.sinks[k]!.type)} for column "${name}"`;
  }

  /** A malformed record: `partial` non-null when the row's other fields were already written. */
  private bad(partial: string | null, text: string, line: () => number, reason: string): void {
    if (this.o.mode === "FAILFAST") {
      throw new DataError(`Malformed JSON record in ${this.path} at line ${line()}: ${reason}`);
    }
    if (this.o.mode === "DROPMALFORMED") return;
    this.room();
    if (partial === null) for (const s of this.sinks) s.setNull(this.row);
    if (this.corruptOut >= 0) this.sinks[this.corruptOut]!.putString(this.row, text);
    this.endRow();
  }

  /** Hands over the rows built so far as a batch (null when there are none). */
  take(): Batch | null {
    const n = this.row;
    if (n === 0) return null;
    this.row = 0;
    return { schema: this.outSchema, columns: this.sinks.map((s) => s.finish(n)), numRows: n };
  }
}

/** Streams the batches of one JSON split with exactly the requested columns. */
export async function* readJsonSplit(req: ReadRequest): AsyncGenerator<Batch> {
  const o = jsonReadOptions(req.source.options);
  const file = req.source.files[req.split.file]!;
  const rows = new RowWriter({ ...req, batchSize: Math.max(1, req.batchSize) }, o, file.path);
  const gz = isGzipPath(file.path);
  const start = gz || o.multiLine ? 0 : req.split.start;
  const end = gz || o.multiLine || req.split.length < 0 ? Number.POSITIVE_INFINITY : start + req.split.length;
  const w = await ByteWindow.open(file.path, start, gz || o.multiLine ? -1 : req.split.length);
  try {
    await w.fill(0);
    if (o.multiLine) {
      while (!w.eof) await w.fill(0);
      const bom = w.end >= 3 && w.buf[0] === 0xef && w.buf[1] === 0xbb && w.buf[2] === 0xbf ? 3 : 0;
      const text = w.buf.toString("utf8", bom, w.end);
      if (text.trim() !== "") rows.add(text, () => 1);
      yield* rows.ready.splice(0);
      const last = rows.take();
      if (last !== null) yield last;
      return;
    }
    let p = 0;
    if (start === 0) {
      while (w.end < 3 && !w.eof) await w.fill(0);
      if (w.end >= 3 && w.buf[0] === 0xef && w.buf[1] === 0xbb && w.buf[2] === 0xbf) p = 3;
    } else {
      p = await skipPartialLine(w);
    }
    let line = 1;
    for (;;) {
      if (w.base + p > end) break;
      const b = w.buf;
      let e = p;
      while (e < w.end && b[e] !== 10 && b[e] !== 13) e++;
      if ((e >= w.end || (b[e] === 13 && e + 1 >= w.end)) && !w.eof) {
        p -= await w.fill(p);
        continue;
      }
      if (p >= w.end) break;
      const next = e >= w.end ? e : b[e] === 13 && b[e + 1] === 10 ? e + 2 : e + 1;
      let blank = true;
      for (let k = p; k < e && blank; k++) blank = b[k]! <= 32;
      if (!blank) {
        const recLine = line;
        const recStart = w.base + p;
        rows.add(b.toString("utf8", p, e), () => (start === 0 ? recLine : lineNumberAt(file.path, recStart)));
        if (rows.ready.length > 0) yield* rows.ready.splice(0);
      }
      line++;
      p = next;
    }
    const last = rows.take();
    if (last !== null) yield last;
  } finally {
    await w.close();
  }
}
