// DELTA_BINARY_PACKED for 64-bit (and 32-bit) integers, over pairs of 32-bit words so that
// the arithmetic wraps exactly as int64 does, without a BigInt per value (only the few
// header varints per block go through BigInt).
import { packBits, readUleb, unpackBits } from "./encodings.js";

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINI = BLOCK / MINIBLOCKS;
const TWO32 = 4294967296;

/** Worst-case encoded size of `n` int64 values. */
export function deltaMaxLength(n: number): number {
  return 64 + Math.ceil(n / BLOCK) * (20 + MINIBLOCKS + BLOCK * 8);
}

function writeZigzag64(out: Uint8Array, op: number, lo: number, hi: number): number {
  // zigzag: (v << 1) ^ (v >> 63), on words
  const sign = hi >> 31;
  let zLo = ((lo << 1) ^ sign) >>> 0;
  let zHi = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
  while (zHi !== 0 || zLo >= 128) {
    out[op++] = (zLo & 0x7f) | 0x80;
    zLo = ((zLo >>> 7) | (zHi << 25)) >>> 0;
    zHi >>>= 7;
  }
  out[op++] = zLo;
  return op;
}

function writeUleb(out: Uint8Array, op: number, v: number): number {
  while (v >= 128) {
    out[op++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[op++] = v;
  return op;
}

// Scratch for one block: deltas minus the block's minimum, as low and high words.
const rLo = new Int32Array(BLOCK);
const rHi = new Int32Array(BLOCK);

/**
 * Encodes `n` int64 values given as (low, high) word pairs `h[2i], h[2i+1]` (from index
 * `from`) into `out` at `op`; returns the end offset.
 */
export function encodeDeltaInt64(
  h: Int32Array,
  from: number,
  n: number,
  out: Uint8Array,
  op: number,
): number {
  op = writeUleb(out, op, BLOCK);
  op = writeUleb(out, op, MINIBLOCKS);
  op = writeUleb(out, op, n);
  if (n === 0) return writeZigzag64(out, op, 0, 0);
  op = writeZigzag64(out, op, h[2 * from]!, h[2 * from + 1]!);
  let prevLo = h[2 * from]! >>> 0;
  let prevHi = h[2 * from + 1]! | 0;
  for (let start = 1; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    // Deltas (wrapping) and their signed minimum.
    let minLo = 0;
    let minHi = 0;
    for (let k = 0; k < m; k++) {
      const i = from + start + k;
      const lo = h[2 * i]! >>> 0;
      const hi = h[2 * i + 1]! | 0;
      const borrow = lo < prevLo ? 1 : 0;
      const dLo = (lo - prevLo + (borrow ? TWO32 : 0)) >>> 0;
      const dHi = (hi - prevHi - borrow) | 0;
      rLo[k] = dLo;
      rHi[k] = dHi;
      if (k === 0 || dHi < minHi || (dHi === minHi && dLo < minLo)) {
        minLo = dLo;
        minHi = dHi;
      }
      prevLo = lo;
      prevHi = hi;
    }
    // Subtract the minimum: every difference is now an unsigned 64-bit value.
    for (let k = 0; k < m; k++) {
      const lo = rLo[k]! >>> 0;
      const borrow = lo < minLo ? 1 : 0;
      rLo[k] = lo - minLo + (borrow ? TWO32 : 0);
      rHi[k] = (rHi[k]! - minHi - borrow) | 0;
    }
    op = writeZigzag64(out, op, minLo, minHi);
    const widthsAt = op;
    op += MINIBLOCKS;
    const used = Math.ceil(m / MINI);
    for (let b = 0; b < MINIBLOCKS; b++) {
      if (b >= used) {
        out[widthsAt + b] = 0;
        continue;
      }
      const s = b * MINI;
      const e = Math.min(m, s + MINI);
      for (let k = e; k < s + MINI; k++) {
        rLo[k] = 0;
        rHi[k] = 0;
      }
      let orLo = 0;
      let orHi = 0;
      for (let k = s; k < s + MINI; k++) {
        orLo |= rLo[k]!;
        orHi |= rHi[k]!;
      }
      const width = orHi !== 0 ? 64 - Math.clz32(orHi) : orLo === 0 ? 0 : 32 - Math.clz32(orLo);
      out[widthsAt + b] = width;
      if (width <= 32) op = packBits(rLo, s, MINI, width, out, op);
      else op = pack64(s, width, out, op);
    }
  }
  return op;
}

// Bit-packs one miniblock wider than 32 bits, LSB-first, from the rLo/rHi scratch: each
// value is its 32 low bits then its `width - 32` high bits.
function pack64(s: number, width: number, out: Uint8Array, op: number): number {
  const hw = width - 32;
  let acc = 0;
  let nbits = 0;
  for (let k = s; k < s + MINI; k++) {
    for (let part = 0; part < 2; part++) {
      const v = part === 0 ? rLo[k]! : rHi[k]!;
      const bits = part === 0 ? 32 : hw;
      acc |= v << nbits;
      if (nbits + bits >= 32) {
        out[op] = acc;
        out[op + 1] = acc >>> 8;
        out[op + 2] = acc >>> 16;
        out[op + 3] = acc >>> 24;
        op += 4;
        const left = nbits + bits - 32;
        acc = left === 0 ? 0 : v >>> (bits - left);
        nbits = left;
      } else nbits += bits;
    }
  }
  // 32 values of `width` bits end on a 32-bit boundary: nothing is left in `acc`.
  return op;
}

function readZigzag64(buf: Uint8Array, cursor: { pos: number }, end: number): [number, number] {
  let zLo = 0;
  let zHi = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (cursor.pos >= end) throw new Error("truncated varint");
    const b = buf[cursor.pos++]!;
    const v = b & 0x7f;
    if (shift < 32) {
      zLo |= v << shift;
      if (shift > 25) zHi |= v >>> (32 - shift);
    } else zHi |= v << (shift - 32);
    if ((b & 0x80) === 0) {
      // un-zigzag: (z >>> 1) ^ -(z & 1)
      const neg = -(zLo & 1);
      const lo = ((zLo >>> 1) | (zHi << 31)) ^ neg;
      const hi = (zHi >>> 1) ^ neg;
      return [lo >>> 0, hi | 0];
    }
  }
  throw new Error("malformed varint");
}

let uLo = new Int32Array(BLOCK);
let uHi = new Int32Array(BLOCK);

/**
 * Decodes a DELTA_BINARY_PACKED run of `n` values into `out` at value index `at`: int64 as
 * word pairs (`wide`) or int32 (low words only). Returns the position after the run.
 */
export function decodeDelta(
  buf: Uint8Array,
  pos: number,
  end: number,
  out: Int32Array,
  at: number,
  n: number,
  wide: boolean,
): number {
  const cursor = { pos };
  const blockSize = readUleb(buf, cursor, end);
  const miniblocks = readUleb(buf, cursor, end);
  const total = readUleb(buf, cursor, end);
  if (blockSize === 0 || blockSize % 128 !== 0 || miniblocks === 0 || (blockSize / miniblocks) % 32 !== 0) {
    throw new Error("malformed DELTA_BINARY_PACKED header");
  }
  if (total < n) throw new Error(`DELTA_BINARY_PACKED run holds ${total} values, expected ${n}`);
  const mini = blockSize / miniblocks;
  if (mini > uLo.length) {
    uLo = new Int32Array(mini);
    uHi = new Int32Array(mini);
  }
  let [lo, hi] = readZigzag64(buf, cursor, end);
  if (n === 0) return cursor.pos;
  const put = (i: number, l: number, h: number): void => {
    if (wide) {
      out[2 * (at + i)] = l;
      out[2 * (at + i) + 1] = h;
    } else out[at + i] = l;
  };
  put(0, lo, hi);
  let i = 1;
  while (i < total) {
    const [minLo, minHi] = readZigzag64(buf, cursor, end);
    if (cursor.pos + miniblocks > end) throw new Error("truncated DELTA_BINARY_PACKED block");
    const widthsAt = cursor.pos;
    cursor.pos += miniblocks;
    for (let b = 0; b < miniblocks && i < total; b++) {
      const width = buf[widthsAt + b]!;
      if (width > 64) throw new Error("malformed DELTA_BINARY_PACKED bit width");
      if (width <= 32) {
        unpackBits(buf, cursor.pos, end, width, uLo, 0, mini);
        uHi.fill(0, 0, mini);
      } else unpack64(buf, cursor.pos, end, width, mini);
      cursor.pos += (mini * width) >> 3;
      const m = Math.min(mini, total - i);
      for (let k = 0; k < m; k++) {
        const s = (lo >>> 0) + (minLo >>> 0) + (uLo[k]! >>> 0);
        const carry = s >= 2 * TWO32 ? 2 : s >= TWO32 ? 1 : 0;
        lo = (s - carry * TWO32) >>> 0;
        hi = (hi + minHi + uHi[k]! + carry) | 0;
        if (i + k < n) put(i + k, lo, hi);
      }
      i += m;
    }
  }
  return cursor.pos;
}

function unpack64(buf: Uint8Array, pos: number, end: number, width: number, n: number): void {
  if (pos + ((n * width) >> 3) > end) throw new Error("bit-packed run overruns its page");
  const hw = width - 32;
  const hmask = hw === 32 ? -1 : (1 << hw) - 1;
  for (let k = 0; k < n; k++) {
    const bit = k * width;
    uLo[k] = read32(buf, pos, bit);
    uHi[k] = read32(buf, pos, bit + 32) & hmask;
  }
}

// 32 bits starting at bit `bit` of `buf[pos..]` (bytes past the end read as zero).
function read32(buf: Uint8Array, pos: number, bit: number): number {
  const b = pos + (bit >>> 3);
  const shift = bit & 7;
  const lo = (buf[b]! | (buf[b + 1]! << 8) | (buf[b + 2]! << 16) | (buf[b + 3]! << 24)) >>> 0;
  return shift === 0 ? lo | 0 : (lo >>> shift) | ((buf[b + 4] ?? 0) << (32 - shift));
}
