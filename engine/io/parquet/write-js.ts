// The JS Parquet writer: flat columns of boolean, int32, int64, double, string, date and
// timestamp, uncompressed or snappy, written without parquet-wasm or Arrow. Batches are
// encoded into pages as they arrive (see encode.ts); a row group's column chunks are written
// when it fills, then the footer (thrift) at close. Columns are OPTIONAL, as Spark writes
// them; timestamps are TIMESTAMP(MICROS), adjusted to UTC exactly when they carry a zone.
import { writeSync } from "node:fs";
import type { Batch } from "../../columnar/column.js";
import type { DataType, Schema } from "../../types/data-type.js";
import { ColumnChunkEncoder, type EncodedChunk } from "./encode.js";
import { CODEC_ID, type PageCodec } from "./page-codec.js";
import { ThriftWriter, TT } from "./thrift.js";

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/** Can the JS writer write this schema with this codec? */
export function jsWritable(schema: Schema, codec: string): codec is PageCodec {
  if (codec !== "none" && codec !== "snappy") return false;
  return schema.fields.every((f) => JS_KINDS.has(f.type.kind));
}

const JS_KINDS = new Set(["boolean", "int32", "int64", "float64", "string", "date", "timestamp"]);

interface ChunkMeta {
  readonly offset: number;
  readonly dictOffset: number | null;
  readonly dataOffset: number;
  readonly chunk: EncodedChunk;
  readonly bounds: { min: Uint8Array; max: Uint8Array } | null;
  readonly nulls: number;
}

interface RowGroupMeta {
  readonly rows: number;
  readonly offset: number;
  readonly columns: ChunkMeta[];
}

/** Streams batches into one Parquet file on an open descriptor. */
export class JsParquetWriter {
  private readonly encoders: ColumnChunkEncoder[];
  private readonly groups: RowGroupMeta[] = [];
  private groupRows = 0;
  private pos = 0;
  /** Bytes written so far. */
  bytes = 0;

  constructor(
    private readonly fd: number,
    private readonly schema: Schema,
    private readonly codec: PageCodec,
    private readonly rowGroupRows: number,
  ) {
    this.encoders = schema.fields.map((f) => new ColumnChunkEncoder(f.type, codec));
    this.put(MAGIC);
  }

  /** Encodes a batch (columns in the schema's order), cutting row groups of `rowGroupRows`. */
  write(batch: Batch): void {
    let from = 0;
    while (from < batch.numRows) {
      const m = Math.min(batch.numRows - from, this.rowGroupRows - this.groupRows);
      for (let k = 0; k < this.encoders.length; k++)
        this.encoders[k]!.append(batch.columns[k]!, from, from + m);
      this.groupRows += m;
      from += m;
      if (this.groupRows === this.rowGroupRows) this.flushGroup();
    }
  }

  /** Writes the last row group and the footer. */
  finish(): void {
    if (this.groupRows > 0) this.flushGroup();
    const footer = this.footer();
    this.put(footer);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, footer.length, true);
    tail.set(MAGIC, 4);
    this.put(tail);
  }

  private put(b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.pos += b.length;
    this.bytes += b.length;
  }

  private flushGroup(): void {
    const offset = this.pos;
    const columns: ChunkMeta[] = [];
    for (const enc of this.encoders) {
      const chunk = enc.finish();
      const start = this.pos;
      let dictOffset: number | null = null;
      if (chunk.dictPage) {
        dictOffset = this.pos;
        this.put(chunk.dictPage);
      }
      const dataOffset = this.pos;
      this.put(chunk.pages);
      columns.push({
        offset: start,
        dictOffset,
        dataOffset,
        chunk: { ...chunk, pages: new Uint8Array(0), dictPage: null },
        bounds: chunk.stats.bounds(),
        nulls: chunk.stats.nulls,
      });
      enc.reset();
    }
    this.groups.push({ rows: this.groupRows, offset, columns });
    this.groupRows = 0;
  }

  private footer(): Uint8Array {
    const w = new ThriftWriter();
    const fields = this.schema.fields;
    w.i32(1, 2); // version
    w.listHeader(2, TT.STRUCT, fields.length + 1);
    w.begin(null);
    w.string(4, "schema");
    w.i32(5, fields.length);
    w.end();
    for (const f of fields) schemaElement(w, f.name, f.type);
    const rows = this.groups.reduce((n, g) => n + g.rows, 0);
    w.i64(3, rows);
    w.listHeader(4, TT.STRUCT, this.groups.length);
    this.groups.forEach((g, ordinal) => {
      w.begin(null);
      w.listHeader(1, TT.STRUCT, g.columns.length);
      let uncompressed = 0;
      let compressed = 0;
      g.columns.forEach((c, k) => {
        uncompressed += c.chunk.uncompressedBytes;
        compressed += c.chunk.compressedBytes;
        columnChunk(w, fields[k]!.name, fields[k]!.type, c, this.codec);
      });
      w.i64(2, uncompressed);
      w.i64(3, g.rows);
      w.i64(5, g.offset);
      w.i64(6, compressed);
      w.field(7, TT.I16);
      w.zigzag(ordinal);
      w.end();
    });
    w.string(6, "kindling (parquet writer in JS)");
    // Column orders: type-defined order for every column, so readers trust min_value/max_value.
    w.listHeader(7, TT.STRUCT, fields.length);
    for (let k = 0; k < fields.length; k++) {
      w.begin(null);
      w.begin(1);
      w.end();
      w.end();
    }
    w.byte(0);
    return w.bytes().slice();
  }
}

/** Physical type ids: BOOLEAN 0, INT32 1, INT64 2, DOUBLE 5, BYTE_ARRAY 6. */
function physical(t: DataType): number {
  switch (t.kind) {
    case "boolean":
      return 0;
    case "int32":
    case "date":
      return 1;
    case "int64":
    case "timestamp":
      return 2;
    case "float64":
      return 5;
    default:
      return 6;
  }
}

function schemaElement(w: ThriftWriter, name: string, t: DataType): void {
  w.begin(null);
  w.i32(1, physical(t));
  w.i32(3, 1); // OPTIONAL
  w.string(4, name);
  if (t.kind === "string") {
    w.i32(6, 0); // UTF8
    w.begin(10);
    w.begin(1); // StringType
    w.end();
    w.end();
  } else if (t.kind === "date") {
    w.i32(6, 6); // DATE
    w.begin(10);
    w.begin(6); // DateType
    w.end();
    w.end();
  } else if (t.kind === "timestamp") {
    const utc = t.tz !== null;
    if (utc) w.i32(6, 10); // TIMESTAMP_MICROS (implies UTC-adjusted)
    w.begin(10);
    w.begin(8); // TimestampType
    w.bool(1, utc);
    w.begin(2); // TimeUnit
    w.begin(2); // MICROS
    w.end();
    w.end();
    w.end();
    w.end();
  }
  w.end();
}

function columnChunk(w: ThriftWriter, name: string, t: DataType, c: ChunkMeta, codec: PageCodec): void {
  w.begin(null);
  w.i64(2, c.offset);
  w.begin(3);
  w.i32(1, physical(t));
  w.listHeader(2, TT.I32, c.chunk.encodings.length);
  for (const e of c.chunk.encodings) w.zigzag(e);
  w.listHeader(3, TT.BINARY, 1);
  const nb = new TextEncoder().encode(name);
  w.varint(nb.length);
  w.raw(nb);
  w.i32(4, CODEC_ID[codec]);
  w.i64(5, c.chunk.numValues);
  w.i64(6, c.chunk.uncompressedBytes);
  w.i64(7, c.chunk.compressedBytes);
  w.i64(9, c.dataOffset);
  if (c.dictOffset !== null) w.i64(11, c.dictOffset);
  w.begin(12);
  w.i64(3, c.nulls);
  if (c.bounds) {
    w.binary(5, c.bounds.max);
    w.binary(6, c.bounds.min);
  }
  w.end();
  w.end();
  w.end();
}
