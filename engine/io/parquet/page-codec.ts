// Page compression for the JS Parquet writer and decompression for the JS reader: the
// codecs done in-process (none, snappy; gzip through node:zlib for reading), into buffers
// reused from page to page.
import { gunzipSync } from "node:zlib";
import { snappyCompress, snappyDecompress, snappyMaxLength } from "./snappy.js";

/** Codecs the JS writer produces. */
export type PageCodec = "none" | "snappy";

/** Parquet CompressionCodec enum values. */
export const CODEC_ID: Record<PageCodec, number> = { none: 0, snappy: 1 };

let out = new Uint8Array(1 << 16);

/**
 * Compresses `src[0, len)`; returns a view valid until the next call (the input itself for
 * "none").
 */
export function compressPage(
  codec: PageCodec,
  src: Uint8Array,
  len: number,
): { buf: Uint8Array; len: number } {
  if (codec === "none") return { buf: src, len };
  const need = snappyMaxLength(len);
  if (out.length < need) out = new Uint8Array(Math.max(need, out.length * 2));
  return { buf: out, len: snappyCompress(src, 0, len, out) };
}

/** Codecs the JS reader decodes (names as hyparquet reports them). */
export const READ_CODECS = new Set(["UNCOMPRESSED", "SNAPPY", "GZIP"]);

/**
 * Decompresses `src[start, end)` into `dst` (which holds at least `size` bytes); returns the
 * bytes written, which must equal `size`.
 */
export function decompressPage(
  codec: string,
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  size: number,
): number {
  switch (codec) {
    case "UNCOMPRESSED":
      if (end - start !== size) throw new Error("uncompressed page size mismatch");
      dst.set(src.subarray(start, end));
      return size;
    case "SNAPPY":
      return snappyDecompress(src, start, end, dst.length === size ? dst : dst.subarray(0, size));
    case "GZIP": {
      const b = gunzipSync(src.subarray(start, end));
      if (b.length !== size) throw new Error("gzip page size mismatch");
      dst.set(b);
      return size;
    }
    default:
      throw new Error(`codec ${codec} is not decoded in JS`);
  }
}
