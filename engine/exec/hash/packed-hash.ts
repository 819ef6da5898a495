// The hash mode of the packed group table: each batch's key rows are packed into W words
// (see packed-layout.ts) and hashed column by column, then probed with open addressing and
// linear probing over (group id + 1, hash) pairs (load factor <= 1/2), the whole key compared
// word by word inside the probe loop. The hash is internal: it never leaves the table.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "./column-appender.js";
import { finalMix, type GroupWords, hashStep, type KeyLayout, SEED } from "./packed-layout.js";

const NAN_HI = 0x7ff80000;

/** Hash index over a table's group words; see the file header. */
export class PackedHashIndex {
  private table: Int32Array;
  private mask: number;
  private groupHash: Int32Array;
  private kw = new Int32Array(0);
  private hb = new Int32Array(0);

  /** Indexes the groups already in `groups` (when a table leaves its direct mode). */
  constructor(
    private readonly layout: KeyLayout,
    private readonly groups: GroupWords,
  ) {
    const n = groups.n;
    let cap = 1024;
    while (cap < 2 * n + 2) cap *= 2;
    this.table = new Int32Array(2 * cap);
    this.mask = cap - 1;
    this.groupHash = new Int32Array(Math.max(1024, n));
    const W = layout.width;
    const gw = groups.words;
    for (let g = 0; g < n; g++) {
      let h = SEED;
      for (let j = 0; j < W; j++) h = hashStep(h, gw[g * W + j]!);
      h = finalMix(h);
      this.groupHash[g] = h;
      let s = h & this.mask;
      while (this.table[2 * s] !== 0) s = (s + 1) & this.mask;
      this.table[2 * s] = g + 1;
      this.table[2 * s + 1] = h;
    }
  }

  /**
   * Maps each of the first n rows to its group id in `out`, adding new groups. `codes[k]` are
   * the StringDict codes of string column k.
   */
  insert(cols: readonly Column[], codes: readonly Int32Array[], n: number, out: Int32Array): void {
    this.pack(cols, codes, n);
    const W = this.layout.width;
    const kw = this.kw;
    const hb = this.hb;
    for (let i = 0; i < n; i++) {
      const h = hb[i]!;
      const base = i * W;
      const t = this.table;
      const gw = this.groups.words;
      let s = h & this.mask;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = this.newGroup(base, h, s);
          break;
        }
        if (t[2 * s + 1] === h) {
          const gb = (e - 1) * W;
          let j = 0;
          while (j < W && kw[base + j] === gw[gb + j]) j++;
          if (j === W) {
            out[i] = e - 1;
            break;
          }
        }
        s = (s + 1) & this.mask;
      }
    }
  }

  /** Packs the rows into `kw` and hashes them into `hb`, column by column (null word last). */
  private pack(cols: readonly Column[], codes: readonly Int32Array[], n: number): void {
    const { kinds, offs, nullWord: nw, width: W } = this.layout;
    if (this.kw.length < n * W) this.kw = new Int32Array(Math.max(n, 1024) * W);
    if (this.hb.length < n) this.hb = new Int32Array(Math.max(n, 1024));
    const kw = this.kw;
    const hb = this.hb;
    hb.fill(SEED, 0, n);
    if (nw >= 0) for (let i = 0; i < n; i++) kw[i * W + nw] = 0;
    for (let k = 0; k < cols.length; k++) {
      const kind = kinds[k]!;
      const off = offs[k]!;
      const c = cols[k]!;
      const v = kind === "str" ? null : c.valid;
      const bit = 1 << k;
      if (kind === "i32" || kind === "u8" || kind === "str") {
        const a = kind === "str" ? codes[k]! : (c.values as Int32Array | Uint8Array);
        if (v === null) {
          for (let i = 0; i < n; i++) {
            const x = a[i]!;
            kw[i * W + off] = x;
            hb[i] = hashStep(hb[i]!, x);
          }
        } else {
          for (let i = 0; i < n; i++) {
            let x = a[i]!;
            if (v[i] === 0) {
              x = 0;
              kw[i * W + nw] |= bit;
            }
            kw[i * W + off] = x;
            hb[i] = hashStep(hb[i]!, x);
          }
        }
        continue;
      }
      const a = wordsOf(c.values!);
      const f = kind === "f64" ? (c.values as Float64Array) : null;
      for (let i = 0; i < n; i++) {
        let lo = a[2 * i]!;
        let hi = a[2 * i + 1]!;
        if (v !== null && v[i] === 0) {
          lo = 0;
          hi = 0;
          kw[i * W + nw] |= bit;
        } else if (f !== null && !(f[i]! !== 0 && !Number.isNaN(f[i]))) {
          // 0.0 and -0.0 as 0.0; every NaN as one NaN.
          lo = 0;
          hi = f[i] === 0 ? 0 : NAN_HI;
        }
        const p = i * W + off;
        kw[p] = lo;
        kw[p + 1] = hi;
        hb[i] = hashStep(hashStep(hb[i]!, lo), hi);
      }
    }
    if (nw >= 0) for (let i = 0; i < n; i++) hb[i] = finalMix(hashStep(hb[i]!, kw[i * W + nw]!));
    else for (let i = 0; i < n; i++) hb[i] = finalMix(hb[i]!);
  }

  /** Appends a group whose key is the packed row at kw[base..base+W), into table slot s. */
  private newGroup(base: number, h: number, s: number): number {
    const g = this.groups.add();
    const W = this.layout.width;
    this.groups.words.set(this.kw.subarray(base, base + W), g * W);
    if (g >= this.groupHash.length) {
      const a = new Int32Array(2 * this.groupHash.length);
      a.set(this.groupHash);
      this.groupHash = a;
    }
    this.groupHash[g] = h;
    this.table[2 * s] = g + 1;
    this.table[2 * s + 1] = h;
    if (2 * this.groups.n > this.mask) this.rehash();
    return g;
  }

  private rehash(): void {
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    for (let g = 0; g < this.groups.n; g++) {
      const h = this.groupHash[g]!;
      let s = h & mask;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = g + 1;
      t[2 * s + 1] = h;
    }
    this.table = t;
    this.mask = mask;
  }

  /** Bytes held by the table, the hashes and the scratch buffers. */
  estimatedBytes(): number {
    return this.table.byteLength + this.groupHash.byteLength + this.kw.byteLength + this.hb.byteLength;
  }
}
