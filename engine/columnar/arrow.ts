// Conversion between Kindling Columns/Batches and Apache Arrow at the edges (IPC, Parquet,
// toArrow). Reading normalises every Arrow type that `fromArrowType` accepts into Kindling's
// layout (no offsets, byte validity, µs timestamps, decoded dictionaries...); writing builds
// Arrow Data with `makeData` over the same buffers (bitmaps packed from bytes).
import * as arrow from "apache-arrow";
import { DataError } from "../errors.js";
import {
  type DataType,
  fromArrowType,
  type Schema,
  toArrowSchema,
  toArrowType,
  typeName,
} from "../types/data-type.js";
import {
  type Batch,
  batchOf,
  type Column,
  i64Halves,
  i64IsSafe,
  nullColumn,
  readI64,
  writeI64,
} from "./column.js";
import { concatColumns, sliceBatch, sliceColumn, takeColumn } from "./ops.js";

/** Byte validity from an Arrow data's null bitmap (null when every row is valid). */
function validFrom(d: arrow.Data): Uint8Array | null {
  const bm = d.nullBitmap;
  if (d.typeId === arrow.Type.Null) return new Uint8Array(d.length);
  if (bm === undefined || bm.length === 0 || d.nullCount === 0) return null;
  return unpackBits(bm, d.offset, d.length);
}

/** Unpacks `length` bits starting at bit `offset` into one byte per bit. */
export function unpackBits(bm: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const p = offset + i;
    out[i] = (bm[p >> 3]! >> (p & 7)) & 1;
  }
  return out;
}

/** Packs one byte per row into an LSB-first bitmap. */
export function packBits(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(((length + 63) & ~63) >> 3);
  for (let i = 0; i < length; i++) if (bytes[i] !== 0) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** Converts an IEEE half-precision bit pattern to a double. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Writes into `out` the int64 values of `src` multiplied by `factor` (exact; wraps like Java beyond int64). */
function scaleI64(src: Int32Array, out: BigInt64Array, n: number, factor: number): void {
  const oh = i64Halves(out);
  const big = BigInt(factor);
  for (let i = 0; i < n; i++) {
    const v = readI64(src, i) * factor;
    if (i64IsSafe(src, i) && Number.isSafeInteger(v)) writeI64(oh, i, v);
    else out[i] = BigInt.asIntN(64, ((BigInt(src[2 * i + 1]!) << 32n) | BigInt(src[2 * i]! >>> 0)) * big);
  }
}

/** Writes floor(src / 1000) for each int64 (ns → µs rounds toward negative infinity, as Spark). */
function divI64By1000(src: Int32Array, out: BigInt64Array, n: number): void {
  const oh = i64Halves(out);
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1]!;
    const lo = src[2 * i]! >>> 0;
    const q1 = Math.floor(hi / 1000);
    const r1 = hi - q1 * 1000; // 0..999
    const rest = r1 * 4294967296 + lo; // < 1000 * 2^32, exact
    writeI64(oh, i, q1 * 4294967296 + Math.floor(rest / 1000));
  }
}

/** An Int32Array over the 64-bit words of an Arrow buffer (copied when unaligned). */
function halvesOf(values: ArrayBufferView, n: number): Int32Array {
  if (values.byteOffset % 4 === 0) return new Int32Array(values.buffer, values.byteOffset, 2 * n);
  return new Int32Array(new Uint8Array(values.buffer, values.byteOffset, 8 * n).slice().buffer);
}

/** One Arrow Data (a single chunk) as a Column of its normalised Kindling type. */
function columnFromData(d: arrow.Data, type: DataType): Column {
  const n = d.length;
  const valid = validFrom(d);
  const at = d.type as arrow.DataType;
  switch (at.typeId) {
    case arrow.Type.Null:
      return { type, length: n, valid: new Uint8Array(n) };
    case arrow.Type.Bool:
      return { type, length: n, valid, values: unpackBits(d.values as Uint8Array, d.offset, n) };
    case arrow.Type.Int: {
      const it = at as arrow.Int;
      const src = d.values as ArrayLike<number> & ArrayBufferView;
      if (type.kind === "int32") {
        if (src instanceof Int32Array) return { type, length: n, valid, values: src.slice(0, n) };
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = src[i]!;
        return { type, length: n, valid, values: out };
      }
      if (it.bitWidth === 32) {
        const out = new BigInt64Array(n);
        const oh = i64Halves(out);
        for (let i = 0; i < n; i++) oh[2 * i] = src[i]! | 0; // uint32: high word stays 0
        return { type, length: n, valid, values: out };
      }
      // int64 and uint64 share the bits (uint64 beyond 2^63 wraps, as Spark reads it)
      return { type, length: n, valid, values: new BigInt64Array(halvesOf(src, n).slice().buffer) };
    }
    case arrow.Type.Float: {
      const fp = (at as arrow.Float).precision;
      const src = d.values as Float64Array | Float32Array | Uint16Array;
      if (fp === arrow.Precision.DOUBLE)
        return { type, length: n, valid, values: (src as Float64Array).slice(0, n) };
      const out = new Float64Array(n);
      if (fp === arrow.Precision.SINGLE) for (let i = 0; i < n; i++) out[i] = src[i]!;
      else for (let i = 0; i < n; i++) out[i] = halfToFloat(src[i]!);
      return { type, length: n, valid, values: out };
    }
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8: {
      const vo = d.valueOffsets as Int32Array | BigInt64Array;
      const offsets = new Int32Array(n + 1);
      let base: number;
      let end: number;
      if (vo instanceof BigInt64Array) {
        const h = halvesOf(vo, n + 1);
        base = readI64(h, 0);
        end = readI64(h, n);
        if (end - base > 0x7fffffff) throw new DataError("a large_utf8 chunk holds more than 2 GiB of text");
        for (let i = 0; i <= n; i++) offsets[i] = readI64(h, i) - base;
      } else {
        base = vo[0]!;
        end = vo[n]!;
        for (let i = 0; i <= n; i++) offsets[i] = vo[i]! - base;
      }
      return { type, length: n, valid, offsets, data: (d.values as Uint8Array).slice(base, end) };
    }
    case arrow.Type.Date: {
      if ((at as arrow.Date_).unit === arrow.DateUnit.DAY) {
        return { type, length: n, valid, values: (d.values as Int32Array).slice(0, n) };
      }
      const h = halvesOf(d.values as BigInt64Array, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(readI64(h, i) / 86_400_000);
      return { type, length: n, valid, values: out };
    }
    case arrow.Type.Timestamp: {
      const unit = (at as arrow.Timestamp).unit;
      const h = halvesOf(d.values as BigInt64Array, n);
      const out = new BigInt64Array(n);
      if (unit === arrow.TimeUnit.MICROSECOND) i64Halves(out).set(h);
      else if (unit === arrow.TimeUnit.NANOSECOND) divI64By1000(h, out, n);
      else scaleI64(h, out, n, unit === arrow.TimeUnit.MILLISECOND ? 1000 : 1_000_000);
      return { type, length: n, valid, values: out };
    }
    case arrow.Type.Decimal: {
      const bw = (at as arrow.Decimal).bitWidth;
      const src = d.values as Uint32Array;
      const wordsIn = bw / 32;
      const out = new BigInt64Array(2 * n);
      const ow = new Int32Array(out.buffer);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 4; k++) {
          // sign-extend 32/64-bit decimals; a 256-bit one keeps its low 128 bits
          ow[4 * i + k] =
            k < wordsIn ? src[i * wordsIn + k]! | 0 : (src[i * wordsIn + wordsIn - 1]! | 0) < 0 ? -1 : 0;
        }
      }
      return { type, length: n, valid, values: out };
    }
    case arrow.Type.Dictionary: {
      const dict = columnFromArrow(d.dictionary!);
      const idx = d.values as ArrayLike<number | bigint>;
      const indices = new Int32Array(n);
      for (let i = 0; i < n; i++) indices[i] = valid !== null && valid[i] === 0 ? -1 : Number(idx[i]!);
      return { ...takeColumn(dict, indices, n), type };
    }
    case arrow.Type.List: {
      if (type.kind !== "list") break;
      const vo = d.valueOffsets as Int32Array;
      const base = vo[0]!;
      const end = vo[n]!;
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = vo[i]! - base;
      const childData = d.children[0]!;
      const child = sliceColumn(columnFromData(childData, type.element), base, end);
      return { type, length: n, valid, offsets, child };
    }
  }
  throw new DataError(`cannot read Arrow type ${String(at)} as ${typeName(type)}`);
}

/** A Column from Arrow Data or a Vector (chunks are concatenated), normalised per `fromArrowType`. */
export function columnFromArrow(data: arrow.Data | arrow.Vector, name = "column"): Column {
  const t = fromArrowType(data.type as arrow.DataType);
  if (t === null)
    throw new DataError(`column "${name}" has Arrow type ${String(data.type)}, which Kindling cannot read`);
  if (data instanceof arrow.Vector) {
    const chunks = data.data.map((d) => columnFromData(d as arrow.Data, t));
    return chunks.length === 0 ? nullColumn(t, 0) : concatColumns(chunks);
  }
  return columnFromData(data, t);
}

/** Arrow Data holding a Column (bitmaps packed from the byte validity). */
export function columnToArrow(col: Column): arrow.Data {
  const n = col.length;
  const type = toArrowType(col.type);
  const t = col.type;
  let nullCount = 0;
  let nullBitmap: Uint8Array | undefined;
  if (col.valid !== null && t.kind !== "null") {
    for (let i = 0; i < n; i++) nullCount += col.valid[i]! ^ 1;
    if (nullCount > 0) nullBitmap = packBits(col.valid, n);
  }
  switch (t.kind) {
    case "null":
      return arrow.makeData({ type: type as arrow.Null, length: n });
    case "boolean":
      return arrow.makeData({
        type: type as arrow.Bool,
        length: n,
        nullCount,
        nullBitmap,
        data: packBits(col.values as Uint8Array, n),
      });
    case "string":
      return arrow.makeData({
        type: type as arrow.Utf8,
        length: n,
        nullCount,
        nullBitmap,
        valueOffsets: col.offsets!,
        data: col.data!,
      });
    case "list":
      return arrow.makeData({
        type: type as arrow.List,
        length: n,
        nullCount,
        nullBitmap,
        valueOffsets: col.offsets!,
        child: columnToArrow(col.child!),
      });
    case "decimal": {
      const v = col.values as BigInt64Array;
      const data = new Uint32Array(v.buffer, v.byteOffset, 4 * n);
      return arrow.makeData({ type: type as arrow.Decimal, length: n, nullCount, nullBitmap, data });
    }
    default:
      return arrow.makeData({
        type: type as arrow.Int,
        length: n,
        nullCount,
        nullBitmap,
        data: col.values as never,
      });
  }
}

/** The Kindling schema of an Arrow schema; an unreadable column is a DataError naming it. */
export function schemaFromArrow(s: arrow.Schema): Schema {
  return {
    fields: s.fields.map((f) => {
      const type = fromArrowType(f.type);
      if (type === null)
        throw new DataError(
          `column "${f.name}" has Arrow type ${String(f.type)}, which Kindling cannot read`,
        );
      return { name: f.name, type, nullable: f.nullable };
    }),
  };
}

/** A Batch from an Arrow RecordBatch. */
export function batchFromArrow(rb: arrow.RecordBatch): Batch {
  const schema = schemaFromArrow(rb.schema);
  const cols = rb.data.children.map((d, i) => columnFromData(d, schema.fields[i]!.type));
  return batchOf(schema, cols, rb.numRows);
}

/**
 * An Arrow RecordBatch from a Batch (zero-column batches keep their row count). `schema`
 * overrides the batch's own schema (same types expected), so every batch of a stream shares one.
 */
export function batchToArrow(b: Batch, schema: arrow.Schema = toArrowSchema(b.schema)): arrow.RecordBatch {
  const children = b.columns.map(columnToArrow);
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: b.numRows,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, data);
}

/** An Arrow Table of batches with the given schema. */
export function batchesToTable(schema: Schema, batches: readonly Batch[]): arrow.Table {
  const as = toArrowSchema(schema);
  return new arrow.Table(
    as,
    batches.map((b) => batchToArrow(b, as)),
  );
}

/** The batches of an Arrow Table, each split to at most `batchSize` rows when given. */
export function tableToBatches(table: arrow.Table, batchSize?: number): Batch[] {
  const out: Batch[] = [];
  for (const rb of table.batches) {
    const b = batchFromArrow(rb);
    if (batchSize === undefined || b.numRows <= batchSize) out.push(b);
    else for (let s = 0; s < b.numRows; s += batchSize) out.push(sliceBatch(b, s, s + batchSize));
  }
  return out;
}

/**
 * Arrow IPC stream bytes of batches with the given schema (the schema message is written
 * even when there are no batches). Zero-column batches keep their row count: the IPC
 * RecordBatch message carries `length` itself.
 */
export function batchesToIPC(schema: Schema, batches: readonly Batch[]): Uint8Array {
  const as = toArrowSchema(schema);
  const writer = new arrow.RecordBatchStreamWriter();
  writer.reset(undefined, as);
  // Every batch carries the same Arrow schema object: a differing one would start a new stream.
  for (const b of batches) writer.write(batchToArrow(b, as));
  writer.close();
  return writer.toUint8Array(true);
}

/** The schema and batches of Arrow IPC stream (or file) bytes. */
export function batchesFromIPC(bytes: Uint8Array): { schema: Schema; batches: Batch[] } {
  const reader = arrow.RecordBatchReader.from(bytes);
  reader.open();
  if (reader.schema === undefined || reader.schema === null)
    throw new DataError("Arrow IPC bytes hold no schema");
  // Read the schema before iterating: the reader drops it when the stream ends.
  const schema = schemaFromArrow(reader.schema);
  const batches: Batch[] = [];
  for (const rb of reader) {
    // A stream without batches yields one synthetic empty batch; drop it (harmless if missed).
    if (rb.numRows === 0 && rb.constructor.name === "_InternalEmptyPlaceholderRecordBatch") continue;
    batches.push(batchFromArrow(rb));
  }
  return { schema, batches };
}
