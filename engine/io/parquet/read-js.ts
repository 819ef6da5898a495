// The JS Parquet read path: for row groups whose requested columns are flat primitives of
// the common types, with uncompressed, snappy or gzip pages in PLAIN, dictionary or
// DELTA_BINARY_PACKED encodings, column chunks are read with plain file reads and decoded
// in JS straight into Kindling columns (no wasm, no Arrow IPC). Anything else is left to
// parquet-wasm (read.ts decides per row group with `jsReadableGroup`).
import { closeSync, openSync, readSync } from "node:fs";
import type { FileMetaData } from "hyparquet";
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { ChunkDecoder } from "./decode.js";
import { READ_CODECS } from "./page-codec.js";
import type { Physical } from "./page-values.js";
import type { ParquetColumn } from "./schema.js";

const JS_ENCODINGS = new Set(["PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE", "DELTA_BINARY_PACKED"]);

/** The physical type to decode a column as, or null when the JS path does not handle it. */
function physicalFor(c: ParquetColumn): Physical | null {
  const el = c.element;
  if (!el || c.leaf < 0 || el.repetition_type === "REPEATED") return null;
  const t: DataType = c.field.type;
  const lt = el.logical_type;
  const ct = el.converted_type;
  switch (el.type) {
    case "BOOLEAN":
      return t.kind === "boolean" ? "BOOLEAN" : null;
    case "INT32":
      return t.kind === "int32" || t.kind === "date" ? "INT32" : null;
    case "INT64":
      if (t.kind === "int64") return "INT64";
      if (t.kind !== "timestamp") return null;
      if (lt?.type === "TIMESTAMP") return lt.unit === "MICROS" ? "INT64" : null;
      return ct === "TIMESTAMP_MICROS" ? "INT64" : null;
    case "FLOAT":
      return t.kind === "float64" && lt?.type !== "FLOAT16" ? "FLOAT" : null;
    case "DOUBLE":
      return t.kind === "float64" ? "DOUBLE" : null;
    case "BYTE_ARRAY":
      return t.kind === "string" ? "BYTE_ARRAY" : null;
    default:
      return null;
  }
}

/** May the JS path read these columns of row group `rg`? */
export function jsReadableGroup(
  meta: FileMetaData,
  rg: number,
  cols: readonly ParquetColumn[],
  hinted: boolean,
): boolean {
  // An embedded Arrow schema may ask arrow-rs for another decoding (units, zones): leave
  // such files to it.
  if (hinted) return false;
  const group = meta.row_groups[rg]!;
  for (const c of cols) {
    if (physicalFor(c) === null) return false;
    const m = group.columns[c.leaf]?.meta_data;
    if (!m || group.columns[c.leaf]!.file_path) return false;
    if (!READ_CODECS.has(m.codec)) return false;
    if (!m.encodings.every((e) => JS_ENCODINGS.has(e))) return false;
  }
  return true;
}

/** Reads one file's column chunks with reused buffers. */
export class JsChunkReader {
  private fd: number;
  private readonly buffers: Uint8Array[];
  private readonly decoders: ChunkDecoder[];

  constructor(
    private readonly path: string,
    private readonly cols: readonly ParquetColumn[],
  ) {
    this.fd = openSync(path, "r");
    this.buffers = cols.map(() => new Uint8Array(1 << 16));
    this.decoders = cols.map(
      (c) =>
        new ChunkDecoder({
          physical: physicalFor(c)!,
          type: c.field.type,
          maxDef: c.element!.repetition_type === "OPTIONAL" ? 1 : 0,
        }),
    );
  }

  /** Loads row group `rg`'s chunks; then `read` hands out its rows. */
  open(meta: FileMetaData, rg: number): void {
    const group = meta.row_groups[rg]!;
    this.cols.forEach((c, k) => {
      const m = group.columns[c.leaf]!.meta_data!;
      const dict = m.dictionary_page_offset;
      const start = Number(
        dict !== undefined && dict > 0n && dict < m.data_page_offset ? dict : m.data_page_offset,
      );
      const len = Number(m.total_compressed_size);
      if (this.buffers[k]!.length < len)
        this.buffers[k] = new Uint8Array(Math.max(len, this.buffers[k]!.length * 2));
      const buf = this.buffers[k]!;
      let got = 0;
      while (got < len) {
        const r = readSync(this.fd, buf, got, len - got, start + got);
        if (r === 0) throw new Error(`column chunk of "${c.field.name}" runs past the end of the file`);
        got += r;
      }
      this.decoders[k]!.reset(buf, len, m.codec);
    });
  }

  /** The next `n` rows of each column of the open row group. */
  read(n: number): Column[] {
    return this.decoders.map((d) => d.read(n));
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  get file(): string {
    return this.path;
  }
}
