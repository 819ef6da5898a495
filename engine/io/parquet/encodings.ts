// Parquet's integer encodings over typed arrays: LSB-first bit packing, the RLE/bit-packed
// hybrid (definition levels, dictionary indices, booleans) and DELTA_BINARY_PACKED (int32,
// and int64 as pairs of 32-bit words: exact wrap-around arithmetic, no BigInt per value).

/** Bits needed to store values up to `max` (0 for 0). */
export function bitWidth(max: number): number {
  return max <= 0 ? 0 : 32 - Math.clz32(max);
}

/**
 * Bit-packs `n` unsigned values of `width` (≤ 32) bits LSB-first into `out` at `op`; returns
 * the end offset (the last byte padded with zeros).
 */
export function packBits(
  values: Int32Array,
  from: number,
  n: number,
  width: number,
  out: Uint8Array,
  op: number,
): number {
  if (width === 0) return op;
  let acc = 0;
  let nbits = 0;
  for (let i = from; i < from + n; i++) {
    const v = values[i]!;
    acc |= v << nbits;
    nbits += width;
    if (nbits >= 32) {
      out[op] = acc;
      out[op + 1] = acc >>> 8;
      out[op + 2] = acc >>> 16;
      out[op + 3] = acc >>> 24;
      op += 4;
      nbits -= 32;
      acc = nbits === 0 ? 0 : v >>> (width - nbits);
    }
  }
  while (nbits > 0) {
    out[op++] = acc;
    acc >>>= 8;
    nbits -= 8;
  }
  return op;
}

let alignedWords = new Int32Array(1 << 12);
let alignedBytes = new Uint8Array(alignedWords.buffer);

/** Unpacks `n` values of `width` (≤ 32) bits from `buf` at bit 0 of byte `pos` into `out[at..]`. */
export function unpackBits(
  buf: Uint8Array,
  pos: number,
  end: number,
  width: number,
  out: Int32Array,
  at: number,
  n: number,
): void {
  if (width === 0) {
    out.fill(0, at, at + n);
    return;
  }
  if (pos + Math.ceil((n * width) / 8) > end) throw new Error("bit-packed run overruns its page");
  if (width <= 24) {
    // Copy the run into aligned 32-bit words, then take each value from one or two words.
    const bytes = Math.ceil((n * width) / 8);
    const nw = (bytes >> 2) + 2;
    if (alignedWords.length < nw) {
      alignedWords = new Int32Array(Math.max(nw, alignedWords.length * 2));
      alignedBytes = new Uint8Array(alignedWords.buffer);
    }
    alignedBytes.set(buf.subarray(pos, pos + bytes));
    alignedBytes.fill(0, bytes, nw * 4);
    const words = alignedWords;
    const mask = (1 << width) - 1;
    let bit = 0;
    for (let i = 0; i < n; i++) {
      const w = bit >>> 5;
      const sh = bit & 31;
      let v = words[w]! >>> sh;
      if (sh + width > 32) v |= words[w + 1]! << (32 - sh);
      out[at + i] = v & mask;
      bit += width;
    }
    return;
  }
  const mask = width === 32 ? -1 : (1 << width) - 1;
  for (let i = 0; i < n; i++) {
    const bit = i * width;
    const b = pos + (bit >>> 3);
    const shift = bit & 7;
    const lo = (buf[b]! | (buf[b + 1]! << 8) | (buf[b + 2]! << 16) | (buf[b + 3]! << 24)) >>> 0;
    const v = shift === 0 ? lo : (lo >>> shift) | ((buf[b + 4] ?? 0) << (32 - shift));
    out[at + i] = v & mask;
  }
}

/** Reads an unsigned LEB128 varint (up to 32 bits): returns value and sets `cursor.pos`. */
export function readUleb(buf: Uint8Array, cursor: { pos: number }, end: number): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 5; i++) {
    if (cursor.pos >= end) throw new Error("truncated varint");
    const b = buf[cursor.pos++]!;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return result;
    mul *= 128;
  }
  throw new Error("malformed varint");
}

/** Writes an unsigned varint; returns the end offset. */
export function writeUleb(out: Uint8Array, op: number, v: number): number {
  while (v >= 128) {
    out[op++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[op++] = v;
  return op;
}

/**
 * Decodes `n` values of the RLE/bit-packed hybrid (no length prefix) from `buf[pos, end)`
 * into `out[at..]`; returns the position after the last run read.
 */
export function decodeHybrid(
  buf: Uint8Array,
  pos: number,
  end: number,
  width: number,
  out: Int32Array,
  at: number,
  n: number,
): number {
  const cursor = { pos };
  const byteWidth = (width + 7) >> 3;
  let i = 0;
  while (i < n) {
    const header = readUleb(buf, cursor, end);
    if ((header & 1) === 0) {
      const run = header >>> 1;
      if (cursor.pos + byteWidth > end) throw new Error("RLE run overruns its page");
      let v = 0;
      for (let k = 0; k < byteWidth; k++) v |= buf[cursor.pos + k]! << (8 * k);
      cursor.pos += byteWidth;
      const m = Math.min(run, n - i);
      out.fill(v, at + i, at + i + m);
      i += m;
    } else {
      const values = (header >>> 1) * 8;
      const m = Math.min(values, n - i);
      unpackBits(buf, cursor.pos, end, width, out, at + i, m);
      cursor.pos += (values * width) >> 3;
      i += m;
    }
  }
  return cursor.pos;
}

/**
 * Decodes a hybrid run of levels with width 1 into bytes (0/1): `out[at..at+n)`; returns the
 * number of ones (non-null rows for definition levels).
 */
export function decodeBitLevels(
  buf: Uint8Array,
  pos: number,
  end: number,
  out: Uint8Array,
  at: number,
  n: number,
): number {
  const cursor = { pos };
  let i = 0;
  let ones = 0;
  while (i < n) {
    const header = readUleb(buf, cursor, end);
    if ((header & 1) === 0) {
      const run = header >>> 1;
      if (cursor.pos >= end) throw new Error("RLE run overruns its page");
      const v = buf[cursor.pos++]! & 1;
      const m = Math.min(run, n - i);
      out.fill(v, at + i, at + i + m);
      if (v) ones += m;
      i += m;
    } else {
      const values = (header >>> 1) * 8;
      const m = Math.min(values, n - i);
      const p0 = cursor.pos;
      if (p0 + Math.ceil(m / 8) > end) throw new Error("bit-packed run overruns its page");
      for (let k = 0; k < m; k++) {
        const v = (buf[p0 + (k >> 3)]! >> (k & 7)) & 1;
        out[at + i + k] = v;
        ones += v;
      }
      cursor.pos += values >> 3;
      i += m;
    }
  }
  return ones;
}

/**
 * Encodes 0/1 bytes as the hybrid with width 1 (one RLE run when constant); returns the end
 * offset. `knownOnes`, when given, is the number of ones (saves a pass).
 */
export function encodeBitLevels(
  levels: Uint8Array,
  n: number,
  out: Uint8Array,
  op: number,
  knownOnes = -1,
): number {
  let ones = knownOnes;
  if (ones < 0) {
    ones = 0;
    for (let i = 0; i < n; i++) ones += levels[i]!;
  }
  if (ones === n || ones === 0) {
    op = writeUleb(out, op, n * 2);
    out[op++] = ones === 0 ? 0 : 1;
    return op;
  }
  const groups = Math.ceil(n / 8);
  op = writeUleb(out, op, groups * 2 + 1);
  for (let g = 0; g < groups; g++) {
    let b = 0;
    const base = g * 8;
    const lim = Math.min(8, n - base);
    for (let k = 0; k < lim; k++) b |= levels[base + k]! << k;
    out[op++] = b;
  }
  return op;
}

/** Encodes `n` indices as one bit-packed hybrid run of `width` bits (padded to 8 values); returns the end. */
export function encodeHybridPacked(
  values: Int32Array,
  n: number,
  width: number,
  out: Uint8Array,
  op: number,
): number {
  if (n === 0) return op;
  const groups = Math.ceil(n / 8);
  op = writeUleb(out, op, groups * 2 + 1);
  // Pad to a whole group with zeros.
  for (let i = n; i < groups * 8; i++) values[i] = 0;
  if (width === 0) return op;
  // Pack into aligned 32-bit words (one store per word), then copy the bytes out.
  const count = groups * 8;
  const bytes = (count * width) >> 3;
  const nw = (bytes >> 2) + 2;
  if (packWords.length < nw) {
    packWords = new Int32Array(Math.max(nw, packWords.length * 2));
    packBytes = new Uint8Array(packWords.buffer);
  }
  const words = packWords;
  let acc = 0;
  let nbits = 0;
  let w = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    acc |= v << nbits;
    nbits += width;
    if (nbits >= 32) {
      words[w++] = acc;
      nbits -= 32;
      acc = nbits === 0 ? 0 : v >>> (width - nbits);
    }
  }
  if (nbits > 0) words[w] = acc;
  out.set(packBytes.subarray(0, bytes), op);
  return op + bytes;
}

let packWords = new Int32Array(1 << 12);
let packBytes = new Uint8Array(packWords.buffer);
