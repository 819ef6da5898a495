// The values of one data page, made dense (non-null values only, in Kindling's layout) when
// the page is opened, then handed out row run by row run with the page's definition levels:
// `take` copies (no nulls) or scatters (nulls) into the batch's column buffers. Holds the
// chunk's dictionary too. All scratch buffers grow and are reused.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";

/** Parquet physical types the JS reader decodes. */
export type Physical = "BOOLEAN" | "INT32" | "INT64" | "FLOAT" | "DOUBLE" | "BYTE_ARRAY";

/** A batch column being filled. */
export interface OutColumn {
  /** Fixed-width values as 32-bit words (int32: 1 per row, int64/double: 2), or bytes for booleans. */
  words: Int32Array | null;
  bytes: Uint8Array | null;
  values: Int32Array | Float64Array | BigInt64Array | Uint8Array | null;
  offsets: Int32Array | null;
  data: Uint8Array | null;
  dataLen: number;
}

export class PageValues {
  /** 32-bit words per value for fixed-width types (0: booleans and strings). */
  private readonly w: number;
  // Dense values of the current page: words (fixed), bytes (booleans), or string ranges.
  private dense = new Int32Array(1 << 14);
  private denseBytes = new Uint8Array(1 << 14);
  private strStart = new Int32Array(1 << 12);
  private strLen = new Int32Array(1 << 12);
  private strSrc: Uint8Array = new Uint8Array(0);
  private vp = 0;
  /** The current page's fixed-width values are dictionary indices (gathered in `take`). */
  private dictMode = false;
  // Dictionary.
  private dictWords = new Int32Array(0);
  private dictBytes = new Uint8Array(0);
  private dictStart = new Int32Array(0);
  private dictLen = new Int32Array(0);
  private dictData = new Uint8Array(0);
  private dictSize = -1;
  // Scratch for decoders.
  private idx = new Int32Array(1 << 14);

  constructor(
    private readonly physical: Physical,
    private readonly type: DataType,
  ) {
    this.w =
      physical === "INT32"
        ? 1
        : physical === "INT64" || physical === "DOUBLE" || physical === "FLOAT"
          ? 2
          : 0;
  }

  clearDictionary(): void {
    this.dictSize = -1;
  }

  private growDense(words: number): void {
    if (this.dense.length < words) this.dense = new Int32Array(Math.max(words, this.dense.length * 2));
  }

  /** Scratch for `n` dictionary indices (or RLE booleans). */
  indexScratch(n: number): Int32Array {
    if (this.idx.length < n) this.idx = new Int32Array(Math.max(n, this.idx.length * 2));
    return this.idx;
  }

  /** Scratch for `words` decoded 32-bit words (DELTA_BINARY_PACKED). */
  wordScratch(words: number): Int32Array {
    this.growDense(words);
    return this.dense;
  }

  /** Decodes a PLAIN dictionary page of `n` values. */
  setDictionary(p: Uint8Array, at: number, end: number, n: number): void {
    if (this.w > 0) {
      this.plain(p, at, end, n);
      this.dictWords = this.dense.slice(0, n * this.w);
    } else if (this.physical === "BOOLEAN") {
      this.plain(p, at, end, n);
      this.dictBytes = this.denseBytes.slice(0, n);
    } else {
      this.plain(p, at, end, n);
      this.dictStart = this.strStart.slice(0, n);
      this.dictLen = this.strLen.slice(0, n);
      this.dictData = p.slice(0, end);
    }
    this.dictSize = n;
    this.vp = 0;
  }

  /** Opens a page of `n` PLAIN values in `p[at, end)`. */
  plain(p: Uint8Array, at: number, end: number, n: number): void {
    this.vp = 0;
    this.dictMode = false;
    switch (this.physical) {
      case "INT32":
      case "INT64":
      case "DOUBLE": {
        const bytes = n * this.w * 4;
        if (at + bytes > end) throw new Error("PLAIN values overrun the page");
        this.growDense(n * this.w);
        new Uint8Array(this.dense.buffer, 0, bytes).set(p.subarray(at, at + bytes));
        return;
      }
      case "FLOAT": {
        if (at + 4 * n > end) throw new Error("PLAIN values overrun the page");
        this.growDense(2 * n);
        const f = new Float32Array(n);
        new Uint8Array(f.buffer).set(p.subarray(at, at + 4 * n));
        const d = new Float64Array(this.dense.buffer, 0, n);
        for (let i = 0; i < n; i++) d[i] = f[i]!;
        return;
      }
      case "BOOLEAN": {
        if (at + Math.ceil(n / 8) > end) throw new Error("PLAIN values overrun the page");
        if (this.denseBytes.length < n)
          this.denseBytes = new Uint8Array(Math.max(n, this.denseBytes.length * 2));
        const d = this.denseBytes;
        for (let i = 0; i < n; i++) d[i] = (p[at + (i >> 3)]! >> (i & 7)) & 1;
        return;
      }
      default: {
        if (this.strStart.length < n) {
          this.strStart = new Int32Array(Math.max(n, this.strStart.length * 2));
          this.strLen = new Int32Array(this.strStart.length);
        }
        let q = at;
        for (let i = 0; i < n; i++) {
          if (q + 4 > end) throw new Error("PLAIN strings overrun the page");
          const len = (p[q]! | (p[q + 1]! << 8) | (p[q + 2]! << 16) | (p[q + 3]! << 24)) >>> 0;
          q += 4;
          if (q + len > end) throw new Error("PLAIN strings overrun the page");
          this.strStart[i] = q;
          this.strLen[i] = len;
          q += len;
        }
        this.strSrc = p;
      }
    }
  }

  /** Opens a page of `n` dictionary indices (already in the index scratch). */
  indices(n: number): void {
    this.vp = 0;
    if (n === 0) return;
    const size = this.dictSize;
    if (size < 0) throw new Error("dictionary-encoded page without a dictionary page");
    const idx = this.idx;
    let max = 0;
    for (let i = 0; i < n; i++) max |= idx[i]!;
    if (max >= size || max < 0) {
      for (let i = 0; i < n; i++)
        if (idx[i]! >= size || idx[i]! < 0) throw new Error("dictionary index out of range");
    }
    const w = this.w;
    if (w > 0) {
      // Fixed-width values are gathered from the dictionary straight into the batch.
      this.dictMode = true;
      return;
    }
    if (this.physical === "BOOLEAN") {
      if (this.denseBytes.length < n)
        this.denseBytes = new Uint8Array(Math.max(n, this.denseBytes.length * 2));
      for (let i = 0; i < n; i++) this.denseBytes[i] = this.dictBytes[idx[i]!]!;
    } else {
      if (this.strStart.length < n) {
        this.strStart = new Int32Array(Math.max(n, this.strStart.length * 2));
        this.strLen = new Int32Array(this.strStart.length);
      }
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        this.strStart[i] = this.dictStart[j]!;
        this.strLen[i] = this.dictLen[j]!;
      }
      this.strSrc = this.dictData;
    }
  }

  /** Opens a page of `n` RLE booleans (in the index scratch). */
  rleBooleans(n: number): void {
    this.vp = 0;
    this.dictMode = false;
    if (this.denseBytes.length < n) this.denseBytes = new Uint8Array(Math.max(n, this.denseBytes.length * 2));
    for (let i = 0; i < n; i++) this.denseBytes[i] = this.idx[i]! & 1;
  }

  /** Opens a page of `n` DELTA_BINARY_PACKED values (already decoded into the dense words). */
  deltaWords(_n: number): void {
    this.vp = 0;
    this.dictMode = false;
  }

  /** Buffers for a batch column of `n` rows. */
  allocate(n: number): OutColumn {
    const out: OutColumn = { words: null, bytes: null, values: null, offsets: null, data: null, dataLen: 0 };
    switch (this.physical) {
      case "INT32": {
        const v = new Int32Array(n);
        out.values = v;
        out.words = v;
        break;
      }
      case "INT64": {
        const v = new BigInt64Array(n);
        out.values = v;
        out.words = new Int32Array(v.buffer);
        break;
      }
      case "DOUBLE":
      case "FLOAT": {
        const v = new Float64Array(n);
        out.values = v;
        out.words = new Int32Array(v.buffer);
        break;
      }
      case "BOOLEAN": {
        const v = new Uint8Array(n);
        out.values = v;
        out.bytes = v;
        break;
      }
      default:
        out.offsets = new Int32Array(n + 1);
        out.data = new Uint8Array(Math.max(64, n * 8));
    }
    return out;
  }

  /**
   * Fills rows [at, at + m) of `out` from the page's next values; `levels` (from `lv0`) marks
   * the non-null rows, or is null when all m rows are non-null.
   */
  take(out: OutColumn, at: number, m: number, levels: Uint8Array | null, lv0: number): void {
    const w = this.w;
    if (w > 0 && this.dictMode) {
      this.gather(out.words!, at, m, levels, lv0);
      return;
    }
    if (w > 0) {
      const src = this.dense;
      const dst = out.words!;
      if (levels === null) {
        dst.set(src.subarray(this.vp * w, (this.vp + m) * w), at * w);
        this.vp += m;
        return;
      }
      let vp = this.vp;
      if (w === 1) {
        for (let i = 0; i < m; i++) if (levels[lv0 + i] !== 0) dst[at + i] = src[vp++]!;
      } else {
        for (let i = 0; i < m; i++) {
          if (levels[lv0 + i] !== 0) {
            dst[2 * (at + i)] = src[2 * vp]!;
            dst[2 * (at + i) + 1] = src[2 * vp + 1]!;
            vp++;
          }
        }
      }
      this.vp = vp;
      return;
    }
    if (this.physical === "BOOLEAN") {
      const src = this.denseBytes;
      const dst = out.bytes!;
      let vp = this.vp;
      for (let i = 0; i < m; i++) if (levels === null || levels[lv0 + i] !== 0) dst[at + i] = src[vp++]!;
      this.vp = vp;
      return;
    }
    // Strings: count the bytes, grow, copy.
    let vp = this.vp;
    let bytes = 0;
    for (let i = 0; i < m; i++) if (levels === null || levels[lv0 + i] !== 0) bytes += this.strLen[vp++]!;
    if (out.dataLen + bytes > out.data!.length) {
      let cap = out.data!.length * 2;
      while (cap < out.dataLen + bytes) cap *= 2;
      const d = new Uint8Array(cap);
      d.set(out.data!.subarray(0, out.dataLen));
      out.data = d;
    }
    const o = out.offsets!;
    const d = out.data!;
    const srcBytes = this.strSrc;
    let p = out.dataLen;
    vp = this.vp;
    for (let i = 0; i < m; i++) {
      if (levels === null || levels[lv0 + i] !== 0) {
        const s = this.strStart[vp]!;
        const len = this.strLen[vp++]!;
        if (len < 16) for (let k = 0; k < len; k++) d[p + k] = srcBytes[s + k]!;
        else d.set(srcBytes.subarray(s, s + len), p);
        p += len;
      }
      o[at + i + 1] = p;
    }
    out.dataLen = p;
    this.vp = vp;
  }

  /** `take` for dictionary indices: values gathered from the dictionary into `dst`. */
  private gather(dst: Int32Array, at: number, m: number, levels: Uint8Array | null, lv0: number): void {
    const idx = this.idx;
    const dict = this.dictWords;
    let vp = this.vp;
    if (this.w === 1) {
      if (levels === null) for (let i = 0; i < m; i++) dst[at + i] = dict[idx[vp++]!]!;
      else for (let i = 0; i < m; i++) if (levels[lv0 + i] !== 0) dst[at + i] = dict[idx[vp++]!]!;
    } else if (levels === null) {
      for (let i = 0; i < m; i++) {
        const j = 2 * idx[vp++]!;
        dst[2 * (at + i)] = dict[j]!;
        dst[2 * (at + i) + 1] = dict[j + 1]!;
      }
    } else {
      for (let i = 0; i < m; i++) {
        if (levels[lv0 + i] !== 0) {
          const j = 2 * idx[vp++]!;
          dst[2 * (at + i)] = dict[j]!;
          dst[2 * (at + i) + 1] = dict[j + 1]!;
        }
      }
    }
    this.vp = vp;
  }

  /** The finished column. */
  finish(out: OutColumn, n: number, valid: Uint8Array | null): Column {
    const type = this.type;
    if (out.offsets) {
      const data = out.data!.length === out.dataLen ? out.data! : out.data!.slice(0, out.dataLen);
      return { type, length: n, valid, offsets: out.offsets, data };
    }
    return { type, length: n, valid, values: out.values! };
  }
}
