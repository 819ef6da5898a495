// A dictionary of the distinct strings of a key column: maps each row to a dense code (0, 1,
// ... in order of first appearance; a null row gets a code of its own). The group table uses
// it for a single string key (the code is the group id) and for string columns inside a
// multi-column key (the code stands in for the string, one 32-bit word).
//
// The hash is internal to this table (it never leaves the process), so it can be cheaper than
// the shuffle hash: one multiply-xorshift step per 4 bytes. Strings of up to 8 bytes (codes,
// names, flags: most string keys) are read as two little-endian words without a branch per
// byte, hashed from the words, and compared as (length, word, word) against a copy of every
// short dictionary string's words. Open addressing with linear probing over (code + 1, hash)
// pairs, load factor <= 1/2.
//
// A column gathered from another (a hash join's build-side output, see gathered-column.ts) is
// coded through its source: each source row is coded once, on first use, and the rows take
// their source row's code, so its bytes are never copied or hashed per row.
import type { Column } from "../../columnar/column.js";
import { T } from "../../types/data-type.js";
import { gatherOf } from "../join/gathered-column.js";
import { ColumnAppender } from "./column-appender.js";

/** Hash of the UTF-8 bytes d[s, e): internal to the dictionary (not the shuffle hash). */
export function strHash(d: Uint8Array, s: number, e: number): number {
  let h = Math.imul(e - s, 0x9e3779b1) ^ 0x2c1b3c6d;
  let p = s;
  for (; p + 4 <= e; p += 4) {
    h = Math.imul(h ^ (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)), 0x85ebca6b);
    h ^= h >>> 15;
  }
  if (p < e) {
    let k = d[p]!;
    if (p + 1 < e) k |= d[p + 1]! << 8;
    if (p + 2 < e) k |= d[p + 2]! << 16;
    h = Math.imul(h ^ k, 0xc2b2ae35);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Masks of the first `len` bytes of a little-endian word pair (len 0..8). */
const MASK0 = new Int32Array(9);
const MASK1 = new Int32Array(9);
for (let l = 0; l <= 8; l++) {
  MASK0[l] = l >= 4 ? -1 : (1 << (8 * l)) - 1;
  MASK1[l] = l >= 8 ? -1 : l <= 4 ? 0 : (1 << (8 * (l - 4))) - 1;
}

/** Hash of a short string from its length and two words (internal to the dictionary). */
function shortHash(len: number, w0: number, w1: number): number {
  let h = Math.imul(w0 ^ Math.imul(len, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ w1, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Dense codes for the distinct strings (and null) of a column; see the file header. */
export class StringDict {
  /** The distinct strings by code (the null code holds a null row). */
  readonly store = new ColumnAppender(T.string, 256);
  /** The code of null (-1 until a null is seen). */
  nullCode = -1;
  private table = new Int32Array(2 * 256);
  private mask = 255;
  private hashes = new Int32Array(256);
  /** Per code: length (-1 for a long string or null), then the two words of a short string. */
  private short = new Int32Array(3 * 256);
  /** Codes of the rows of source columns of gathered columns (-1: not coded yet). */
  private sourceCodes = new WeakMap<Column, Int32Array>();

  /** The number of codes given out (distinct strings, plus null once seen). */
  get size(): number {
    return this.store.length;
  }

  /** Writes the code of each of the first n rows of a string column to out, adding new strings. */
  encode(col: Column, n: number, out: Int32Array): void {
    const gathered = gatherOf(col);
    if (gathered !== undefined) {
      this.encodeGathered(gathered.source, gathered.indices, n, out);
      return;
    }
    const o = col.offsets!;
    const d = col.data!;
    const v = col.valid;
    // Rows whose 8 bytes from their start lie inside `data` are read as two words unchecked.
    const safeEnd = d.length - 8;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = this.nullCodeOf();
        continue;
      }
      const a = o[i]!;
      const len = o[i + 1]! - a;
      if (len <= 8 && a <= safeEnd) {
        const w0 = (d[a]! | (d[a + 1]! << 8) | (d[a + 2]! << 16) | (d[a + 3]! << 24)) & MASK0[len]!;
        const w1 = (d[a + 4]! | (d[a + 5]! << 8) | (d[a + 6]! << 16) | (d[a + 7]! << 24)) & MASK1[len]!;
        const h = shortHash(len, w0, w1);
        const t = this.table;
        const sw = this.short;
        let s = h & this.mask;
        for (;;) {
          const c = t[2 * s]!;
          if (c === 0) {
            out[i] = this.add(col, i, h, s);
            break;
          }
          const q = 3 * (c - 1);
          if (t[2 * s + 1] === h && sw[q] === len && sw[q + 1] === w0 && sw[q + 2] === w1) {
            out[i] = c - 1;
            break;
          }
          s = (s + 1) & this.mask;
        }
      } else out[i] = this.lookupLong(col, i);
    }
  }

  /** Codes of rows `indices[0..n)` of `source` (-1 = null), each source row coded once. */
  private encodeGathered(source: Column, indices: Int32Array, n: number, out: Int32Array): void {
    let codes = this.sourceCodes.get(source);
    if (codes === undefined) {
      codes = new Int32Array(source.length).fill(-1);
      this.sourceCodes.set(source, codes);
    }
    const v = source.valid;
    for (let i = 0; i < n; i++) {
      const r = indices[i]!;
      if (r < 0 || (v !== null && v[r] === 0)) {
        out[i] = this.nullCodeOf();
        continue;
      }
      let c = codes[r]!;
      if (c < 0) {
        c = this.lookupLong(source, r);
        codes[r] = c;
      }
      out[i] = c;
    }
  }

  /** The code of null, given out on first use. */
  private nullCodeOf(): number {
    if (this.nullCode < 0) {
      this.nullCode = this.store.length;
      this.store.appendNull();
      this.noteCode(this.nullCode, 0, -1, 0, 0);
    }
    return this.nullCode;
  }

  /** The code of row i of a string column (any length), by its bytes. */
  private lookupLong(col: Column, i: number): number {
    const o = col.offsets!;
    const d = col.data!;
    const a = o[i]!;
    const e = o[i + 1]!;
    const len = e - a;
    if (len <= 8) {
      // A short string at the very end of `data`: read its bytes one by one.
      let w0 = 0;
      let w1 = 0;
      for (let k = 0; k < len; k++) {
        if (k < 4) w0 |= d[a + k]! << (8 * k);
        else w1 |= d[a + k]! << (8 * (k - 4));
      }
      const h = shortHash(len, w0, w1);
      let s = h & this.mask;
      for (;;) {
        const c = this.table[2 * s]!;
        if (c === 0) return this.add(col, i, h, s);
        const q = 3 * (c - 1);
        const sw = this.short;
        if (this.table[2 * s + 1] === h && sw[q] === len && sw[q + 1] === w0 && sw[q + 2] === w1)
          return c - 1;
        s = (s + 1) & this.mask;
      }
    }
    const h = strHash(d, a, e);
    const so = this.store.offsets!;
    const sd = this.store.data!;
    let s = h & this.mask;
    for (;;) {
      const c = this.table[2 * s]!;
      if (c === 0) return this.add(col, i, h, s);
      if (this.table[2 * s + 1] === h) {
        const b = so[c - 1]!;
        if (so[c]! - b === len) {
          let k = 0;
          while (k < len && d[a + k] === sd[b + k]) k++;
          if (k === len) return c - 1;
        }
      }
      s = (s + 1) & this.mask;
    }
  }

  private add(col: Column, i: number, h: number, slot: number): number {
    const code = this.store.length;
    this.store.append(col, i);
    const o = col.offsets!;
    const a = o[i]!;
    const len = o[i + 1]! - a;
    let w0 = 0;
    let w1 = 0;
    if (len <= 8) {
      const d = col.data!;
      for (let k = 0; k < len; k++) {
        if (k < 4) w0 |= d[a + k]! << (8 * k);
        else w1 |= d[a + k]! << (8 * (k - 4));
      }
    }
    this.noteCode(code, h, len <= 8 ? len : -1, w0, w1);
    this.table[2 * slot] = code + 1;
    this.table[2 * slot + 1] = h;
    if (2 * (code + 1) > this.mask) this.rehash();
    return code;
  }

  private noteCode(code: number, h: number, len: number, w0: number, w1: number): void {
    if (code >= this.hashes.length) {
      const a = new Int32Array(2 * this.hashes.length);
      a.set(this.hashes);
      this.hashes = a;
      const b = new Int32Array(3 * a.length);
      b.set(this.short);
      this.short = b;
    }
    this.hashes[code] = h;
    this.short[3 * code] = len;
    this.short[3 * code + 1] = w0;
    this.short[3 * code + 2] = w1;
  }

  private rehash(): void {
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    for (let c = 0; c < this.store.length; c++) {
      if (c === this.nullCode) continue;
      const h = this.hashes[c]!;
      let s = h & mask;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = c + 1;
      t[2 * s + 1] = h;
    }
    this.table = t;
    this.mask = mask;
  }

  /** Bytes held by the table, the hashes and the stored strings. */
  estimatedBytes(): number {
    return this.table.byteLength + this.hashes.byteLength + this.short.byteLength + this.store.byteSize();
  }
}
