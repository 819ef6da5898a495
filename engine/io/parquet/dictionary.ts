// Hash dictionaries for Parquet's dictionary encoding: a value → index table (open
// addressing over raw bits, so -0/0 and NaN payloads stay distinct, as Parquet's PLAIN
// dictionary stores bits) for int32, 64-bit words (float64) and strings (bytes).

const EMPTY = -1;
const DIRECT = 4096;

/** A dictionary of 32-bit or 64-bit fixed-width values (`words` per value: 1 or 2). */
export class FixedDictionary {
  /** The distinct values, as 32-bit words, in first-seen order. */
  values: Int32Array;
  size = 0;
  /** Open addressing, 4 words per slot: index (EMPTY when free), low word, high word, unused. */
  private table: Int32Array;
  private mask: number;
  /** int32 values in [0, DIRECT): index + 1 by value, no hashing (codes, ids, small counts). */
  private readonly direct: Int32Array | null;

  constructor(readonly words: 1 | 2) {
    this.direct = words === 1 ? new Int32Array(DIRECT) : null;
    this.values = new Int32Array(1024 * words);
    this.table = new Int32Array(4 * 2048).fill(EMPTY);
    this.mask = 2047;
  }

  /** Bytes of the PLAIN dictionary page. */
  get byteSize(): number {
    return this.size * 4 * this.words;
  }

  reset(): void {
    this.size = 0;
    this.table.fill(EMPTY);
    this.direct?.fill(0);
  }

  /**
   * Appends the indices of `src` words for the rows `rows[0..n)` (value `i` is at words
   * `src[words*i..]`) into `out[at..]`, adding unseen values.
   */
  encode(
    src: Int32Array,
    rows: Int32Array | null,
    from: number,
    n: number,
    out: Int32Array,
    at: number,
  ): void {
    const w = this.words;
    const direct = this.direct;
    let table = this.table;
    let mask = this.mask;
    for (let k = 0; k < n; k++) {
      const i = rows === null ? from + k : rows[k]!;
      const lo = src[w * i]!;
      if (direct !== null && lo >= 0 && lo < DIRECT) {
        let d = direct[lo]!;
        if (d === 0) {
          d = this.push(lo, 0) + 1;
          direct[lo] = d;
        }
        out[at + k] = d - 1;
        continue;
      }
      const hi = w === 2 ? src[w * i + 1]! : 0;
      let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
      h ^= h >>> 15;
      let slot = h & mask;
      for (;;) {
        const s4 = slot << 2;
        const idx = table[s4]!;
        if (idx === EMPTY) {
          out[at + k] = this.add(lo, hi, slot);
          table = this.table;
          mask = this.mask;
          break;
        }
        if (table[s4 + 1] === lo && table[s4 + 2] === hi) {
          out[at + k] = idx;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }

  /** Appends a value to the list of distinct values; returns its index. */
  private push(lo: number, hi: number): number {
    const w = this.words;
    const idx = this.size++;
    if (w * this.size > this.values.length) {
      const next = new Int32Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[w * idx] = lo;
    if (w === 2) this.values[w * idx + 1] = hi;
    return idx;
  }

  private add(lo: number, hi: number, slot: number): number {
    const idx = this.push(lo, hi);
    this.put(this.table, slot, idx, lo, hi);
    if (this.size * 2 > this.mask + 1) this.rehash();
    return idx;
  }

  private put(table: Int32Array, slot: number, idx: number, lo: number, hi: number): void {
    table[slot << 2] = idx;
    table[(slot << 2) + 1] = lo;
    table[(slot << 2) + 2] = hi;
  }

  private rehash(): void {
    const w = this.words;
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(4 * cap).fill(EMPTY);
    const mask = cap - 1;
    for (let idx = 0; idx < this.size; idx++) {
      const lo = this.values[w * idx]!;
      if (this.direct !== null && lo >= 0 && lo < DIRECT) continue; // not in the hash table
      const hi = w === 2 ? this.values[w * idx + 1]! : 0;
      let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
      h ^= h >>> 15;
      let slot = h & mask;
      while (table[slot << 2] !== EMPTY) slot = (slot + 1) & mask;
      this.put(table, slot, idx, lo, hi);
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A dictionary of byte strings (offsets + data, as a string column). */
export class StringDictionary {
  offsets = new Int32Array(1025);
  data = new Uint8Array(16384);
  size = 0;
  private hashes = new Int32Array(1024);
  private slots: Int32Array;
  private mask: number;

  constructor() {
    this.slots = new Int32Array(2048).fill(EMPTY);
    this.mask = 2047;
  }

  /** Bytes of the PLAIN dictionary page (4-byte length prefixes plus the bytes). */
  get byteSize(): number {
    return this.size * 4 + this.offsets[this.size]!;
  }

  reset(): void {
    this.size = 0;
    this.slots.fill(EMPTY);
  }

  /** As FixedDictionary.encode, over a string column's offsets and data. */
  encode(
    offsets: Int32Array,
    data: Uint8Array,
    rows: Int32Array | null,
    from: number,
    n: number,
    out: Int32Array,
    at: number,
  ): void {
    for (let k = 0; k < n; k++) {
      const i = rows === null ? from + k : rows[k]!;
      const s = offsets[i]!;
      const e = offsets[i + 1]!;
      let h = 0x811c9dc5 ^ (e - s);
      for (let p = s; p < e; p++) h = Math.imul(h ^ data[p]!, 0x01000193);
      h ^= h >>> 15;
      h = Math.imul(h, 0x85ebca6b);
      let slot = h & this.mask;
      let idx: number;
      for (;;) {
        idx = this.slots[slot]!;
        if (idx === EMPTY) {
          idx = this.add(data, s, e, h, slot);
          break;
        }
        if (this.hashes[idx] === h && this.same(idx, data, s, e)) break;
        slot = (slot + 1) & this.mask;
      }
      out[at + k] = idx;
    }
  }

  private same(idx: number, data: Uint8Array, s: number, e: number): boolean {
    const a = this.offsets[idx]!;
    if (this.offsets[idx + 1]! - a !== e - s) return false;
    for (let p = 0; p < e - s; p++) if (this.data[a + p] !== data[s + p]) return false;
    return true;
  }

  private add(data: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const idx = this.size++;
    if (this.size + 1 > this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const hs = new Int32Array(this.hashes.length * 2);
      hs.set(this.hashes);
      this.hashes = hs;
    }
    const start = this.offsets[idx]!;
    const len = e - s;
    if (start + len > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < start + len) cap *= 2;
      const d = new Uint8Array(cap);
      d.set(this.data.subarray(0, start));
      this.data = d;
    }
    this.data.set(data.subarray(s, e), start);
    this.offsets[idx + 1] = start + len;
    this.hashes[idx] = h;
    this.slots[slot] = idx;
    if (this.size * 2 > this.slots.length) this.rehash();
    return idx;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    this.slots = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    for (let idx = 0; idx < this.size; idx++) {
      let slot = this.hashes[idx]! & this.mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = idx;
    }
  }
}
