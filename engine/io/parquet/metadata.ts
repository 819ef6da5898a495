// Parquet footers: read synchronously (schema inference during eager analysis) or
// asynchronously (split planning), parsed with hyparquet, cached per path + mtime + size.
//
// Statistics are parsed with raw parsers: strings and byte-array decimals stay bytes (Spark
// compares strings by UTF-8 bytes), timestamps keep their unit and exact integer value, dates
// stay days. See `stats.ts` for how they become pruning bounds.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { type AsyncBuffer, type FileMetaData, parquetMetadata, parquetMetadataAsync } from "hyparquet";
import { DataError } from "../../errors.js";

/** A timestamp statistic as hyparquet hands it to our parsers: exact integer in its file unit. */
export interface RawTimestamp {
  readonly unit: "ms" | "us" | "ns";
  readonly value: bigint;
}

const RAW_PARSERS = {
  timestampFromMilliseconds: (v: bigint): RawTimestamp => ({ unit: "ms", value: v }),
  timestampFromMicroseconds: (v: bigint): RawTimestamp => ({ unit: "us", value: v }),
  timestampFromNanoseconds: (v: bigint): RawTimestamp => ({ unit: "ns", value: v }),
  dateFromDays: (d: number): number => d,
  // Copy: the footer buffer must not stay alive through the cache for a few stat bytes.
  stringFromBytes: (b: Uint8Array | undefined): Uint8Array | undefined => (b ? b.slice() : b),
};

/** Parses a footer buffer (ending in the `<len> PAR1` trailer); errors become DataErrors naming `path`. */
export function parseFooter(path: string, footer: Uint8Array): FileMetaData {
  try {
    return parquetMetadata(footer, { parsers: RAW_PARSERS, geoparquet: false });
  } catch (e) {
    throw corrupt(path, e);
  }
}

/** A DataError for an unreadable Parquet file, keeping the cause's message. */
export function corrupt(path: string, cause: unknown): DataError {
  if (cause instanceof DataError) return cause;
  const why = cause instanceof Error ? cause.message : String(cause);
  const err = new DataError(`cannot read Parquet file ${path}: ${why} (corrupt or truncated file?)`);
  (err as { cause?: unknown }).cause = cause;
  return err;
}

const MAGIC = 0x31524150; // "PAR1" little-endian

/** Checks the 8-byte trailer and returns the footer length. */
function footerLength(path: string, size: number, tail: Uint8Array): number {
  if (size < 12) throw new DataError(`cannot read Parquet file ${path}: file is too short (${size} bytes)`);
  const view = new DataView(tail.buffer, tail.byteOffset, 8);
  if (view.getUint32(4, true) !== MAGIC) {
    throw new DataError(
      `cannot read Parquet file ${path}: no PAR1 magic at the end (corrupt or truncated file?)`,
    );
  }
  const len = view.getUint32(0, true);
  if (len + 12 > size) {
    throw new DataError(
      `cannot read Parquet file ${path}: footer length ${len} exceeds the file size ${size}`,
    );
  }
  return len;
}

interface CacheEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly meta: FileMetaData;
}

const CACHE_LIMIT = 512;
const cache = new Map<string, CacheEntry>();

function cached(path: string, mtimeMs: number, size: number): FileMetaData | undefined {
  const e = cache.get(path);
  if (!e || e.mtimeMs !== mtimeMs || e.size !== size) return undefined;
  // Refresh LRU position.
  cache.delete(path);
  cache.set(path, e);
  return e.meta;
}

function remember(path: string, mtimeMs: number, size: number, meta: FileMetaData): void {
  cache.delete(path);
  cache.set(path, { mtimeMs, size, meta });
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
}

/** Drops every cached footer (tests; after rewriting files in place within one mtime tick). */
export function clearMetadataCache(): void {
  cache.clear();
}

/** Reads and parses a file's footer synchronously (schema inference). */
export function readMetadataSync(path: string): FileMetaData {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new DataError(`cannot open Parquet file ${path}: ${(e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    const hit = cached(path, st.mtimeMs, st.size);
    if (hit) return hit;
    const tail = new Uint8Array(8);
    if (st.size >= 8) readSync(fd, tail, 0, 8, st.size - 8);
    const len = footerLength(path, st.size, tail);
    const footer = new Uint8Array(len + 8);
    readSync(fd, footer, 0, len + 8, st.size - len - 8);
    const meta = parseFooter(path, footer);
    remember(path, st.mtimeMs, st.size, meta);
    return meta;
  } finally {
    closeSync(fd);
  }
}

/** Reads and parses a file's footer asynchronously with hyparquet's `parquetMetadataAsync`. */
export async function readMetadata(path: string): Promise<FileMetaData> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (e) {
    throw new DataError(`cannot open Parquet file ${path}: ${(e as Error).message}`);
  }
  const hit = cached(path, st.mtimeMs, st.size);
  if (hit) return hit;
  const fh = await open(path, "r").catch((e: Error) => {
    throw new DataError(`cannot open Parquet file ${path}: ${e.message}`);
  });
  try {
    const tail = new Uint8Array(8);
    if (st.size >= 8) await fh.read(tail, 0, 8, st.size - 8);
    footerLength(path, st.size, tail);
    const buffer: AsyncBuffer = {
      byteLength: st.size,
      async slice(start: number, end = st.size): Promise<ArrayBuffer> {
        const out = new Uint8Array(end - start);
        await fh.read(out, 0, out.length, start);
        return out.buffer;
      },
    };
    let meta: FileMetaData;
    try {
      meta = await parquetMetadataAsync(buffer, {
        parsers: RAW_PARSERS,
        geoparquet: false,
        initialFetchSize: 64 * 1024,
      });
    } catch (e) {
      throw corrupt(path, e);
    }
    remember(path, st.mtimeMs, st.size, meta);
    return meta;
  } finally {
    await fh.close();
  }
}

/** Rows of a row group as a number. */
export const rowGroupRows = (meta: FileMetaData, rg: number): number => Number(meta.row_groups[rg]!.num_rows);

/** Compressed bytes of a row group (sum of its column chunks when the writer left the total out). */
export function rowGroupBytes(meta: FileMetaData, rg: number): number {
  const g = meta.row_groups[rg]!;
  if (g.total_compressed_size !== undefined && g.total_compressed_size > 0n)
    return Number(g.total_compressed_size);
  let n = 0;
  for (const c of g.columns) n += Number(c.meta_data?.total_compressed_size ?? 0n);
  return n > 0 ? n : Number(g.total_byte_size);
}

/** Byte offset where a row group's data starts (its first column chunk's first page). */
export function rowGroupStart(meta: FileMetaData, rg: number): number {
  const g = meta.row_groups[rg]!;
  let start = Number.POSITIVE_INFINITY;
  for (const c of g.columns) {
    const m = c.meta_data;
    if (!m) continue;
    const off =
      m.dictionary_page_offset !== undefined && m.dictionary_page_offset > 0n
        ? m.dictionary_page_offset
        : m.data_page_offset;
    start = Math.min(start, Number(off));
  }
  if (Number.isFinite(start)) return start;
  return g.file_offset !== undefined ? Number(g.file_offset) : 4;
}
