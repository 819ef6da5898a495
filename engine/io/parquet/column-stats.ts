// Chunk statistics for the JS Parquet writer: min, max and null count of one column chunk,
// accumulated page by page over the PLAIN-layout values (or the dictionary), and encoded as
// Parquet's `min_value`/`max_value` (PLAIN bytes; strings compared as unsigned bytes).
import type { DataType } from "../../types/data-type.js";

/** Running statistics of one column chunk. */
export class ColumnStats {
  nulls = 0;
  private any = false;
  private minA = 0; // number, or high word for int64
  private maxA = 0;
  private minB = 0; // low word for int64
  private maxB = 0;
  private minS: Uint8Array | null = null;
  private maxS: Uint8Array | null = null;

  constructor(readonly type: DataType) {}

  reset(): void {
    this.nulls = 0;
    this.any = false;
    this.minS = null;
    this.maxS = null;
  }

  /** Folds in `n` fixed-width values given as 32-bit words (1 per int32/date, 2 per double/int64). */
  updateWords(w: Int32Array, n: number): void {
    if (n === 0) return;
    const k = this.type.kind;
    if (k === "int32" || k === "date") {
      let lo = this.any ? this.minA : w[0]!;
      let hi = this.any ? this.maxA : w[0]!;
      for (let i = 0; i < n; i++) {
        const v = w[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.minA = lo;
      this.maxA = hi;
      this.any = true;
    } else if (k === "float64") {
      const f = new Float64Array(w.buffer, w.byteOffset, n);
      let lo = this.any ? this.minA : Number.POSITIVE_INFINITY;
      let hi = this.any ? this.maxA : Number.NEGATIVE_INFINITY;
      let seen = false;
      for (let i = 0; i < n; i++) {
        const v = f[i]!;
        if (Number.isNaN(v)) continue; // NaN takes no part in the bounds
        seen = true;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!seen) return;
      this.minA = lo;
      this.maxA = hi;
      this.any = true;
    } else {
      // int64 / timestamp: signed compare of (high, unsigned low).
      let minH = this.any ? this.minA : w[1]!;
      let minL = this.any ? this.minB : w[0]! >>> 0;
      let maxH = this.any ? this.maxA : w[1]!;
      let maxL = this.any ? this.maxB : w[0]! >>> 0;
      for (let i = 0; i < n; i++) {
        const h = w[2 * i + 1]!;
        if (h < minH || (h === minH && w[2 * i]! >>> 0 < minL)) {
          minH = h;
          minL = w[2 * i]! >>> 0;
        }
        if (h > maxH || (h === maxH && w[2 * i]! >>> 0 > maxL)) {
          maxH = h;
          maxL = w[2 * i]! >>> 0;
        }
      }
      this.minA = minH;
      this.minB = minL;
      this.maxA = maxH;
      this.maxB = maxL;
      this.any = true;
    }
  }

  /** Folds in booleans (0/1 bytes). */
  updateBooleans(b: Uint8Array, n: number): void {
    if (n === 0) return;
    let lo = this.any ? this.minA : 1;
    let hi = this.any ? this.maxA : 0;
    for (let i = 0; i < n && (lo === 1 || hi === 0); i++) {
      if (b[i]) hi = 1;
      else lo = 0;
    }
    this.minA = lo;
    this.maxA = hi;
    this.any = true;
  }

  /** Folds in PLAIN-encoded strings (4-byte length prefix + bytes each) from `buf[0, len)`. */
  updatePlainStrings(buf: Uint8Array, len: number): void {
    let minAt = -1;
    let minLen = 0;
    let maxAt = -1;
    let maxLen = 0;
    let p = 0;
    while (p < len) {
      const l = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
      const a = p + 4;
      if (minAt < 0 || compare(buf, a, l, buf, minAt, minLen) < 0) {
        minAt = a;
        minLen = l;
      }
      if (maxAt < 0 || compare(buf, a, l, buf, maxAt, maxLen) > 0) {
        maxAt = a;
        maxLen = l;
      }
      p = a + l;
    }
    if (minAt < 0) return;
    if (!this.minS || compare(buf, minAt, minLen, this.minS, 0, this.minS.length) < 0)
      this.minS = buf.slice(minAt, minAt + minLen);
    if (!this.maxS || compare(buf, maxAt, maxLen, this.maxS, 0, this.maxS.length) > 0)
      this.maxS = buf.slice(maxAt, maxAt + maxLen);
    this.any = true;
  }

  /** PLAIN bytes of the bounds, or null when the chunk has no (non-NaN) value. */
  bounds(): { min: Uint8Array; max: Uint8Array } | null {
    if (!this.any) return null;
    const k = this.type.kind;
    if (k === "string") return { min: this.minS!, max: this.maxS! };
    if (k === "boolean") return { min: Uint8Array.of(this.minA), max: Uint8Array.of(this.maxA) };
    if (k === "int32" || k === "date") {
      return {
        min: new Uint8Array(Int32Array.of(this.minA).buffer),
        max: new Uint8Array(Int32Array.of(this.maxA).buffer),
      };
    }
    if (k === "float64") {
      // Parquet's rule for zeros: a min of 0 is written -0, a max of 0 is written +0.
      const lo = this.minA === 0 ? -0 : this.minA;
      const hi = this.maxA === 0 ? 0 : this.maxA;
      return {
        min: new Uint8Array(Float64Array.of(lo).buffer),
        max: new Uint8Array(Float64Array.of(hi).buffer),
      };
    }
    return {
      min: new Uint8Array(Int32Array.of(this.minB | 0, this.minA).buffer),
      max: new Uint8Array(Int32Array.of(this.maxB | 0, this.maxA).buffer),
    };
  }
}

function compare(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number): number {
  const n = Math.min(al, bl);
  for (let i = 0; i < n; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return al - bl;
}
