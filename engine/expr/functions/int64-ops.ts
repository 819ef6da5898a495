// Per-row int64 helpers for the compiled arithmetic loops, working on (high, low) 32-bit
// halves: a double fast path when both operands are below 2^53, an exact 16-bit-limb multiply
// and a BigInt fallback otherwise. Results wrap to 64 bits as Java's long arithmetic does.
import { writeI64 } from "../../columnar/column.js";

const TWO32 = 4294967296;
const SAFE = 9007199254740992;
const safe = (h: number): boolean => h >= -2097152 && h < 2097152;
const big = (h: number, l: number): bigint => (BigInt(h) << 32n) | BigInt(l >>> 0);

function writeBig(out: Int32Array, i: number, v: bigint): void {
  const x = BigInt.asIntN(64, v);
  out[2 * i] = Number(BigInt.asIntN(32, x));
  out[2 * i + 1] = Number(x >> 32n);
}

/** out[i] = a * b (wrapping). Halves: h signed, l unsigned. */
export function mul64(out: Int32Array, i: number, ah: number, al: number, bh: number, bl: number): void {
  if (safe(ah) && safe(bh)) {
    const p = (ah * TWO32 + al) * (bh * TWO32 + bl);
    if (p < SAFE && p > -SAFE) {
      writeI64(out, i, p === 0 ? 0 : p);
      return;
    }
  }
  const a48 = ah >>> 16;
  const a32 = ah & 0xffff;
  const a16 = al >>> 16;
  const a00 = al & 0xffff;
  const b48 = bh >>> 16;
  const b32 = bh & 0xffff;
  const b16 = bl >>> 16;
  const b00 = bl & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * b00 + a32 * b16 + a16 * b32 + a00 * b48;
  c48 &= 0xffff;
  out[2 * i] = (c16 << 16) | c00;
  out[2 * i + 1] = (c48 << 16) | c32;
}

/** out[i] = a % b (sign of the dividend), or the positive modulus when `positive`; b ≠ 0. */
export function mod64(
  out: Int32Array,
  i: number,
  ah: number,
  al: number,
  bh: number,
  bl: number,
  positive: boolean,
): void {
  if (safe(ah) && safe(bh)) {
    const a = ah * TWO32 + al;
    const b = bh * TWO32 + bl;
    let r = a % b;
    if (positive && r < 0) r = (r + b) % b;
    if (r < SAFE && r > -SAFE) {
      writeI64(out, i, r === 0 ? 0 : r);
      return;
    }
  }
  const a = big(ah, al);
  const b = big(bh, bl);
  let r = a % b;
  if (positive && r < 0n) r = BigInt.asIntN(64, r + b) % b;
  writeBig(out, i, r);
}

/** out[i] = a / b truncated (Spark's `div`), wrapping Long.MIN_VALUE / -1; b ≠ 0. */
export function div64(out: Int32Array, i: number, ah: number, al: number, bh: number, bl: number): void {
  if (safe(ah) && safe(bh)) {
    const a = ah * TWO32 + al;
    const b = bh * TWO32 + bl;
    const q = Math.trunc(a / b);
    const r = a - q * b;
    if (Math.abs(r) < Math.abs(b) && (r === 0 || r < 0 === a < 0)) {
      writeI64(out, i, q === 0 ? 0 : q);
      return;
    }
  }
  writeBig(out, i, big(ah, al) / big(bh, bl));
}

/** The helper kit passed to int64 loops as `K`. */
export const I64_KIT = { mul64, mod64, div64 };
