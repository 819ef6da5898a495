// Reading one CSV split into batches: bytes → records → typed column buffers.
//
// A split of a plain file is a byte range [start, start + length): unless it starts at 0 it
// skips to the first line start after `start`, and it reads every record that starts at or
// before `start + length` (Hadoop's LineRecordReader rule), so the splits of a file together
// read each line once. A quoted field spanning lines is read whole inside a split; a file
// with such fields needs multiLine=true (one split per file), as in Spark. A gzip file is one
// split. Only the requested columns are converted; the others are only delimited (their
// values are checked too when the corrupt-record column is requested, as Spark does).
//
// Malformed records (wrong field count, or a value that does not parse as its column's type):
// PERMISSIVE keeps the row with the bad fields null (Spark 3's partial results) and the raw
// record in the corrupt-record column when the schema has it; DROPMALFORMED drops the row;
// FAILFAST throws `Malformed CSV record in <file> at line <n>: <reason>`, where n is the
// 1-based physical line where the record starts (counted from the file start even in later
// splits: the error path counts the line breaks before the record).
import type { Batch } from "../../columnar/column.js";
import { DataError } from "../../errors.js";
import { schemaOf, typeName } from "../../types/data-type.js";
import type { ReadRequest } from "../source.js";
import { ByteWindow, isGzipPath, lineNumberAt, skipPartialLine } from "./byte-source.js";
import { FieldConverter } from "./convert.js";
import { FastRecordParser, fastRecordsApply } from "./fast-record.js";
import { csvReadOptions } from "./options.js";
import { checkCsvSchema } from "./schema.js";
import { ColumnSink } from "./sink.js";
import { CsvTokenizer } from "./tokenizer.js";

/** A record may span lines inside quotes, but not without bound: beyond this it is an error. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Streams the batches of one CSV split with exactly the requested columns. */
export async function* readCsvSplit(req: ReadRequest): AsyncGenerator<Batch> {
  const { source, split, columns } = req;
  const batchSize = Math.max(1, req.batchSize);
  const o = csvReadOptions(source.options);
  const file = source.files[split.file]!;
  checkCsvSchema(source.dataSchema, o);
  const fields = source.dataSchema.fields;
  const corrupt = fields.findIndex((f) => f.name === o.corruptColumn && f.type.kind === "string");
  // Position of each schema column among the CSV fields (the corrupt column is not one).
  const fieldOf = fields.map((_, i) => (corrupt >= 0 && i > corrupt ? i - 1 : i === corrupt ? -1 : i));
  const nFields = fields.length - (corrupt >= 0 ? 1 : 0);
  const outSchema = schemaOf(columns.map((c) => fields[c]!));
  const gz = isGzipPath(file.path);
  // Small splits start with small buffers; sinks grow up to batchSize.
  const firstCap = gz || split.length < 0 ? batchSize : Math.min(batchSize, Math.max(256, split.length >> 3));
  const sinks = columns.map((c) => new ColumnSink(fields[c]!.type, firstCap));
  const outField = Int32Array.from(columns, (c) => fieldOf[c]!);
  const corruptOut = corrupt >= 0 ? columns.indexOf(corrupt) : -1;
  // With the corrupt column requested every field is checked (into one-row scratch sinks).
  const checkCols: number[] = [];
  if (corruptOut >= 0) {
    for (let i = 0; i < fields.length; i++) if (i !== corrupt && !columns.includes(i)) checkCols.push(i);
  }
  const checkSinks = checkCols.map((c) => new ColumnSink(fields[c]!.type, 1));
  const tok = new CsvTokenizer(o);
  const conv = new FieldConverter(o);
  // Plain records (no quotes) are split and converted in one pass; the rest go through `tok`.
  const fast =
    sinks.length > 0 && fastRecordsApply(o, outField, checkCols.length)
      ? new FastRecordParser(o, nFields, outField, sinks, conv)
      : null;
  const start = gz ? 0 : split.start;
  const end = gz || split.length < 0 ? Number.POSITIVE_INFINITY : split.start + split.length;

  const w = await ByteWindow.open(file.path, start, gz ? -1 : split.length);
  try {
    await w.fill(0);
    let p = 0;
    if (start === 0) {
      while (w.end < 3 && !w.eof) await w.fill(0);
      if (w.end >= 3 && w.buf[0] === 0xef && w.buf[1] === 0xbb && w.buf[2] === 0xbf) p = 3;
    } else {
      p = await skipPartialLine(w);
    }
    let line = 1;
    let headerPending = o.header && start === 0;
    let row = 0;
    for (;;) {
      if (w.base + p > end) break;
      if (p >= w.end) {
        if (w.eof) break;
        p -= await w.fill(p);
        continue;
      }
      const b = w.buf;
      if (fast !== null && !headerPending) {
        if (row === sinks[0]?.cap) for (const s of sinks) s.ensureRows(Math.min(batchSize, 2 * row));
        const after = fast.parse(b, p, w.end, w.eof, row);
        if (after >= 0) {
          p = after;
          if (fast.terminated) line++;
          if (++row === batchSize) {
            yield { schema: outSchema, columns: sinks.map((s) => s.finish(row)), numRows: row };
            row = 0;
          }
          continue;
        }
      }
      const next = tok.next(b, p, w.end, w.eof);
      if (next < 0) {
        if (p === 0 && w.end >= MAX_RECORD_BYTES) {
          const at = start === 0 ? line : lineNumberAt(file.path, w.base);
          throw new DataError(
            `CSV record in ${file.path} at line ${at} is longer than ${MAX_RECORD_BYTES >> 20} MiB (an unterminated quote?)`,
          );
        }
        p -= await w.fill(p);
        continue;
      }
      const recStart = p;
      const recLine = line;
      p = next;
      line += tok.innerLines + (tok.terminated ? 1 : 0);
      if (tok.contentEnd === recStart) continue;
      if (o.comment >= 0 && b[recStart] === o.comment) continue;
      if (headerPending) {
        headerPending = false;
        continue;
      }
      if (row === sinks[0]?.cap) for (const s of sinks) s.ensureRows(Math.min(batchSize, 2 * row));
      const nf = tok.n;
      let badCol = nf !== nFields ? -2 : -1;
      for (let k = 0; k < outField.length; k++) {
        const fi = outField[k]!;
        if (fi < 0) continue;
        const sink = sinks[k]!;
        if (fi >= nf) {
          sink.setNull(row);
          continue;
        }
        if (!conv.put(sink, row, b, tok.fs[fi]!, tok.fe[fi]!, tok.ff[fi]!) && badCol === -1)
          badCol = columns[k]!;
      }
      for (let k = 0; k < checkCols.length; k++) {
        const fi = fieldOf[checkCols[k]!]!;
        if (
          fi < nf &&
          !conv.put(checkSinks[k]!, 0, b, tok.fs[fi]!, tok.fe[fi]!, tok.ff[fi]!) &&
          badCol === -1
        ) {
          badCol = checkCols[k]!;
        }
      }
      if (badCol !== -1) {
        if (o.mode === "FAILFAST") {
          let reason: string;
          if (badCol === -2) {
            reason = `expected ${nFields} fields, found ${nf}`;
          } else {
            const fi = fieldOf[badCol]!;
            const f = fields[badCol]!;
            const text = conv.text(b, tok.fs[fi]!, tok.fe[fi]!, tok.ff[fi]!);
            reason = `cannot parse ${JSON.stringify(text)} as ${typeName(f.type)} for column "${f.name}"`;
          }
          const at = start === 0 ? recLine : lineNumberAt(file.path, w.base + recStart);
          throw new DataError(`Malformed CSV record in ${file.path} at line ${at}: ${reason}`);
        }
        if (o.mode === "DROPMALFORMED") continue;
        if (corruptOut >= 0) sinks[corruptOut]!.putBytes(row, b, recStart, tok.contentEnd);
      } else if (corruptOut >= 0) {
        sinks[corruptOut]!.setNull(row);
      }
      if (++row === batchSize) {
        yield { schema: outSchema, columns: sinks.map((s) => s.finish(row)), numRows: row };
        row = 0;
      }
    }
    if (row > 0) yield { schema: outSchema, columns: sinks.map((s) => s.finish(row)), numRows: row };
  } finally {
    await w.close();
  }
}
