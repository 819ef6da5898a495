// Exact per-group integer sums without a BigInt per row: int64 sums that wrap like Java's
// long (Spark's non-ANSI sum), and 128-bit decimal sums that detect overflow past the result
// precision (Spark then returns null). Values are split into 32-bit limbs that accumulate in
// doubles, which stay exact below 2^53; a limb is carried into the next one before it gets there.
//
// Overflow of a decimal sum is checked when a state or result is produced (and is sticky once
// the running sum passes 2^127). Spark checks after every row, so a running sum that passes
// 10^precision and comes back within one batch is null in Spark and exact here; with the
// result precision p+10 that needs 10^10 maximal values, so only decimal(29..38) inputs can
// meet it.
import { readDecimal } from "../../columnar/builders.js";
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "../hash/column-appender.js";
import { growF64, growI32, growU8 } from "./types.js";

const TWO32 = 4294967296;
const LIMIT = 4503599627370496; // 2^52: carry before a limb could lose precision

/** Wrapping int64 sums per group: a low limb (double) and a high word (int32, wraps). */
export class Int64Sums {
  lo = new Float64Array(0);
  hi = new Int32Array(0);
  /** 1 once the group saw a value. */
  set = new Uint8Array(0);

  resize(n: number): void {
    this.lo = growF64(this.lo, n);
    this.hi = growI32(this.hi, n);
    this.set = growU8(this.set, n);
  }

  /** Adds the valid rows of an int32 or int64 column. */
  add(gids: Int32Array, n: number, col: Column): void {
    const v = col.valid;
    const lo = this.lo;
    const hi = this.hi;
    const set = this.set;
    if (col.type.kind === "int32") {
      const a = col.values as Int32Array;
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) continue;
        const g = gids[i]!;
        const x = lo[g]! + a[i]!;
        set[g] = 1;
        if (x > LIMIT || x < -LIMIT) {
          const c = Math.floor(x / TWO32);
          lo[g] = x - c * TWO32;
          hi[g] = (hi[g]! + c) | 0;
        } else lo[g] = x;
      }
      return;
    }
    const w = wordsOf(col.values!);
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) continue;
      const g = gids[i]!;
      const x = lo[g]! + (w[2 * i]! >>> 0);
      hi[g] = (hi[g]! + w[2 * i + 1]!) | 0;
      set[g] = 1;
      if (x > LIMIT) {
        const c = Math.floor(x / TWO32);
        lo[g] = x - c * TWO32;
        hi[g] = (hi[g]! + c) | 0;
      } else lo[g] = x;
    }
  }

  /** The sums of groups 0..n-1 as an int64 column (null where no value was seen). */
  toColumn(n: number): Column {
    const values = new BigInt64Array(n);
    const w = wordsOf(values);
    let valid: Uint8Array | null = null;
    for (let g = 0; g < n; g++) {
      if (this.set[g] === 0) {
        valid ??= new Uint8Array(n).fill(1);
        valid[g] = 0;
        continue;
      }
      const x = this.lo[g]!;
      const c = Math.floor(x / TWO32);
      w[2 * g] = (x - c * TWO32) | 0;
      w[2 * g + 1] = (this.hi[g]! + c) | 0;
    }
    return { type: { kind: "int64" }, length: n, valid, values };
  }

  estimatedBytes(): number {
    return this.lo.byteLength + this.hi.byteLength + this.set.byteLength;
  }
}

/** Exact 128-bit decimal sums per group (four limbs), with a sticky overflow flag. */
export class DecimalSums {
  /** Four limbs per group: three unsigned 32-bit words and a signed top word, each summed as a double. */
  limbs = new Float64Array(0);
  /** 1 once the group saw a value (Spark's `isEmpty` is its negation). */
  set = new Uint8Array(0);
  /** 1 once the running sum left the 128-bit range (so it certainly overflowed the result type). */
  overflow = new Uint8Array(0);

  resize(n: number): void {
    this.limbs = growF64(this.limbs, 4 * n);
    this.set = growU8(this.set, n);
    this.overflow = growU8(this.overflow, n);
  }

  /** Adds the valid rows of a decimal column (any precision; the scale must be the sum's). */
  add(gids: Int32Array, n: number, col: Column): void {
    const v = col.valid;
    const w = wordsOf(col.values!);
    const L = this.limbs;
    const set = this.set;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) continue;
      const g = gids[i]!;
      const b = 4 * g;
      const p = 4 * i;
      const l0 = L[b]! + (w[p]! >>> 0);
      const l1 = L[b + 1]! + (w[p + 1]! >>> 0);
      const l2 = L[b + 2]! + (w[p + 2]! >>> 0);
      const l3 = L[b + 3]! + w[p + 3]!;
      L[b] = l0;
      L[b + 1] = l1;
      L[b + 2] = l2;
      L[b + 3] = l3;
      set[g] = 1;
      if (l0 > LIMIT || l1 > LIMIT || l2 > LIMIT || l3 > LIMIT || l3 < -LIMIT) this.carry(g);
    }
  }

  /** Marks groups whose incoming partial sum overflowed. */
  markOverflow(g: number): void {
    this.overflow[g] = 1;
    this.set[g] = 1;
  }

  /** Propagates carries so that limbs 0-2 are in [0, 2^32); flags overflow past 2^127. */
  private carry(g: number): void {
    const L = this.limbs;
    const b = 4 * g;
    for (let k = 0; k < 3; k++) {
      const c = Math.floor(L[b + k]! / TWO32);
      L[b + k] = L[b + k]! - c * TWO32;
      L[b + k + 1] = L[b + k + 1]! + c;
    }
    const top = L[b + 3]!;
    if (top >= 2147483648 || top < -2147483648) {
      this.overflow[g] = 1;
      L[b + 3] = 0;
    }
  }

  /** The exact unscaled sum of group g (one BigInt per group). */
  sumOf(g: number): bigint {
    this.carry(g);
    const L = this.limbs;
    const b = 4 * g;
    return (
      (BigInt(L[b + 3]!) << 96n) | (BigInt(L[b + 2]!) << 64n) | (BigInt(L[b + 1]!) << 32n) | BigInt(L[b]!)
    );
  }

  /**
   * Writes the sum of group g into row g of a decimal values array, or returns false when it
   * overflowed or is not below `bound` (10^precision) in magnitude.
   */
  write(g: number, out: BigInt64Array, bound: bigint, boundApprox = Number(bound)): boolean {
    if (this.overflow[g] === 1) return false;
    this.carry(g);
    if (this.overflow[g] === 1) return false;
    const L = this.limbs;
    const b = 4 * g;
    const approx = Math.abs(
      L[b + 3]! * 7.922816251426434e28 + L[b + 2]! * 18446744073709552000 + L[b + 1]! * TWO32 + L[b]!,
    );
    // Doubles decide the clear cases; near the bound, compare exactly.
    if (approx >= boundApprox * 0.999) {
      const s = this.sumOf(g);
      if (s >= bound || -s >= bound) return false;
    }
    const w = wordsOf(out);
    w[4 * g] = L[b]! | 0;
    w[4 * g + 1] = L[b + 1]! | 0;
    w[4 * g + 2] = L[b + 2]! | 0;
    w[4 * g + 3] = L[b + 3]! | 0;
    return true;
  }

  estimatedBytes(): number {
    return this.limbs.byteLength + this.set.byteLength + this.overflow.byteLength;
  }
}

/** Reads the unscaled value of row i of a decimal column as a BigInt (per group use only). */
export const decimalAt = (c: Column, i: number): bigint => readDecimal(c.values as BigInt64Array, i);
