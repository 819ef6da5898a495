// Pieces of the JS Parquet column encoder: a growable byte buffer, typed-array views, PLAIN
// booleans, and the dictionary page (PLAIN values of the chunk's dictionary, compressed).
import type { Column } from "../../columnar/column.js";
import type { ColumnStats } from "./column-stats.js";
import type { FixedDictionary, StringDictionary } from "./dictionary.js";
import { compressPage, type PageCodec } from "./page-codec.js";
import type { ThriftWriter } from "./thrift.js";

/** Parquet Encoding enum values used by the writer. */
export const ENC = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const;

/** A growable byte buffer. */
export class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(cap = 1 << 16) {
    this.buf = new Uint8Array(cap);
  }
  /** Makes room for `n` more bytes; returns the write offset. */
  reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.len + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    return this.len;
  }
  append(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    this.len += b.length;
  }
}

/** A fixed-width column's values as 32-bit words (int32/date: one per row; others: two). */
export function wordsOf(c: Column): Int32Array {
  const v = c.values!;
  return new Int32Array(v.buffer, v.byteOffset, v.byteLength >> 2);
}

/** Packs 0/1 bytes into LSB-first bits (PLAIN booleans); returns the byte length. */
export function packBytes(src: Uint8Array, n: number, out: Uint8Array): number {
  const bytes = Math.ceil(n / 8);
  for (let b = 0; b < bytes; b++) {
    let v = 0;
    const base = b * 8;
    const lim = Math.min(8, n - base);
    for (let k = 0; k < lim; k++) v |= (src[base + k]! & 1) << k;
    out[b] = v;
  }
  return bytes;
}

/**
 * The dictionary page of a chunk (header + compressed PLAIN values), folding the dictionary's
 * values into `stats`; `rawSize` is its size before compression.
 */
export function dictionaryPage(
  fixed: FixedDictionary | null,
  strings: StringDictionary | null,
  stats: ColumnStats,
  codec: PageCodec,
  h: ThriftWriter,
): { page: Uint8Array; rawSize: number } {
  let plain: Uint8Array;
  let n: number;
  if (fixed) {
    n = fixed.size;
    const words = fixed.values.subarray(0, n * fixed.words);
    stats.updateWords(words, n);
    plain = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  } else {
    const d = strings!;
    n = d.size;
    plain = new Uint8Array(d.byteSize);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const a = d.offsets[i]!;
      const len = d.offsets[i + 1]! - a;
      plain[p] = len;
      plain[p + 1] = len >>> 8;
      plain[p + 2] = len >>> 16;
      plain[p + 3] = len >>> 24;
      plain.set(d.data.subarray(a, a + len), p + 4);
      p += 4 + len;
    }
    stats.updatePlainStrings(plain, plain.length);
  }
  const comp = compressPage(codec, plain, plain.length);
  h.reset();
  h.i32(1, 2); // DICTIONARY_PAGE
  h.i32(2, plain.length);
  h.i32(3, comp.len);
  h.begin(7);
  h.i32(1, n);
  h.i32(2, ENC.PLAIN);
  h.end();
  h.byte(0);
  const head = h.bytes();
  const page = new Uint8Array(head.length + comp.len);
  page.set(head);
  page.set(comp.buf.subarray(0, comp.len), head.length);
  return { page, rawSize: head.length + plain.length };
}
