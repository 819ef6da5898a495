// A dictionary of the distinct values of an int64, timestamp or float64 key column: maps each
// row to a dense code (0, 1, ... in order of first appearance; null gets a code of its own),
// so that the group table's direct mode can index such columns by code. Floats are
// normalised first (-0.0 as 0.0, every NaN as one NaN). The last value seen is remembered,
// so a column in runs (timestamps truncated to a month or day, in file order) mostly costs
// one comparison per row. Open addressing over (code + 1, hash) pairs, load factor <= 1/2.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "./column-appender.js";

const NAN_HI = 0x7ff80000;

/** Hash of a value's two words (internal to the dictionary). */
function wordsHash(lo: number, hi: number): number {
  let h = Math.imul(lo ^ 0x2c1b3c6d, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ hi, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Dense codes for the distinct two-word values (and null) of a column; see the file header. */
export class WordDict {
  /** The code of null (-1 until a null is seen). */
  nullCode = -1;
  private n = 0;
  /** Two words per code (zero for the null code). */
  private vals = new Int32Array(2 * 256);
  private table = new Int32Array(2 * 256);
  private mask = 255;
  private hashes = new Int32Array(256);
  private lastLo = 0;
  private lastHi = 0;
  private lastCode = -1;

  constructor(private readonly isFloat: boolean) {}

  /** The number of codes given out. */
  get size(): number {
    return this.n;
  }

  /** Writes the code of each of the first n rows of the column to out, adding new values. */
  encode(col: Column, n: number, out: Int32Array): void {
    const w = wordsOf(col.values!);
    const v = col.valid;
    const f = this.isFloat ? (col.values as Float64Array) : null;
    let pl = this.lastLo;
    let ph = this.lastHi;
    let pc = this.lastCode;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = this.nullCodeOf();
        continue;
      }
      let lo = w[2 * i]!;
      let hi = w[2 * i + 1]!;
      if (f !== null && !(f[i]! !== 0 && !Number.isNaN(f[i]))) {
        lo = 0;
        hi = f[i] === 0 ? 0 : NAN_HI;
      }
      if (lo === pl && hi === ph && pc >= 0) {
        out[i] = pc;
        continue;
      }
      pc = this.codeOf(lo, hi, true);
      pl = lo;
      ph = hi;
      out[i] = pc;
    }
    this.lastLo = pl;
    this.lastHi = ph;
    this.lastCode = pc;
  }

  /** The code of null, given out on first use. */
  nullCodeOf(): number {
    if (this.nullCode < 0) {
      this.nullCode = this.n;
      this.push(0, 0, 0);
    }
    return this.nullCode;
  }

  /** The code of a (normalised) value; with `add`, a new value gets the next code, else -1. */
  codeOf(lo: number, hi: number, add: boolean): number {
    const h = wordsHash(lo, hi);
    const vals = this.vals;
    let s = h & this.mask;
    for (;;) {
      const c = this.table[2 * s]!;
      if (c === 0) break;
      if (
        this.table[2 * s + 1] === h &&
        vals[2 * c - 2] === lo &&
        vals[2 * c - 1] === hi &&
        c - 1 !== this.nullCode
      )
        return c - 1;
      s = (s + 1) & this.mask;
    }
    if (!add) return -1;
    const code = this.n;
    this.push(lo, hi, h);
    this.table[2 * s] = code + 1;
    this.table[2 * s + 1] = h;
    if (2 * this.n > this.mask) this.rehash();
    return code;
  }

  private push(lo: number, hi: number, h: number): void {
    const code = this.n++;
    if (code >= this.hashes.length) {
      const a = new Int32Array(2 * this.hashes.length);
      a.set(this.hashes);
      this.hashes = a;
      const b = new Int32Array(2 * this.hashes.length);
      b.set(this.vals);
      this.vals = b;
    }
    this.hashes[code] = h;
    this.vals[2 * code] = lo;
    this.vals[2 * code + 1] = hi;
  }

  private rehash(): void {
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    for (let c = 0; c < this.n; c++) {
      if (c === this.nullCode) continue;
      let s = this.hashes[c]! & mask;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = c + 1;
      t[2 * s + 1] = this.hashes[c]!;
    }
    this.table = t;
    this.mask = mask;
  }

  /** Bytes held by the table, the values and the hashes. */
  estimatedBytes(): number {
    return this.table.byteLength + this.vals.byteLength + this.hashes.byteLength;
  }
}
