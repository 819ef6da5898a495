// Raw Snappy (the block format Parquet uses, no framing), compression and decompression in
// plain JS over caller-owned buffers, so the hot paths allocate nothing. The compressor is
// the reference algorithm (64 KiB fragments, a hash table of 4-byte sequences, the
// skip-ahead heuristic on incompressible data); its output is valid Snappy that any reader
// decodes, though not byte-identical to Google's.

const FRAGMENT = 1 << 16;
const MAX_TABLE_BITS = 14;
const INPUT_MARGIN = 15;

/** The largest compressed size of `n` bytes (the reference bound). */
export function snappyMaxLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

const table = new Uint16Array(1 << MAX_TABLE_BITS);

const load32 = (a: Uint8Array, i: number): number =>
  a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16) | (a[i + 3]! << 24);

/**
 * Compresses `input[start, end)` into `out` from offset 0 (which must hold
 * `snappyMaxLength(end - start)` bytes); returns the compressed length.
 */
export function snappyCompress(input: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let op = 0;
  // Preamble: the uncompressed length as a varint.
  let n = end - start;
  while (n >= 128) {
    out[op++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[op++] = n;
  for (let pos = start; pos < end; pos += FRAGMENT) {
    const fragEnd = Math.min(end, pos + FRAGMENT);
    op = compressFragment(input, pos, fragEnd, out, op);
  }
  return op;
}

function compressFragment(input: Uint8Array, base: number, end: number, out: Uint8Array, op: number): number {
  const size = end - base;
  let nextEmit = base;
  if (size >= INPUT_MARGIN) {
    let bits = 8;
    while (bits < MAX_TABLE_BITS && 1 << bits < size) bits++;
    const shift = 32 - bits;
    table.fill(0, 0, 1 << bits);
    const ipLimit = end - INPUT_MARGIN;
    let ip = base + 1;
    let nextHash = Math.imul(load32(input, ip), 0x1e35a7bd) >>> shift;
    outer: for (;;) {
      let skip = 32;
      let nextIp = ip;
      let candidate = 0;
      do {
        ip = nextIp;
        const h = nextHash;
        nextIp = ip + (skip++ >>> 5);
        if (nextIp > ipLimit) break outer;
        nextHash = Math.imul(load32(input, nextIp), 0x1e35a7bd) >>> shift;
        candidate = base + table[h]!;
        table[h] = ip - base;
      } while (load32(input, ip) !== load32(input, candidate));
      op = emitLiteral(input, nextEmit, ip - nextEmit, out, op);
      for (;;) {
        const matchStart = ip;
        let matched = 4;
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = emitCopy(out, op, matchStart - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[Math.imul(load32(input, ip - 1), 0x1e35a7bd) >>> shift] = ip - 1 - base;
        const h = Math.imul(load32(input, ip), 0x1e35a7bd) >>> shift;
        candidate = base + table[h]!;
        table[h] = ip - base;
        if (load32(input, ip) !== load32(input, candidate)) break;
      }
      ip++;
      nextHash = Math.imul(load32(input, ip), 0x1e35a7bd) >>> shift;
    }
  }
  if (nextEmit < end) op = emitLiteral(input, nextEmit, end - nextEmit, out, op);
  return op;
}

function emitLiteral(input: Uint8Array, from: number, len: number, out: Uint8Array, op: number): number {
  const n = len - 1;
  if (n < 60) out[op++] = n << 2;
  else if (n < 256) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else {
    out[op++] = 61 << 2;
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  }
  if (len < 16) for (let i = 0; i < len; i++) out[op + i] = input[from + i]!;
  else out.set(input.subarray(from, from + len), op);
  return op + len;
}

function emitCopy(out: Uint8Array, op: number, offset: number, len: number): number {
  while (len >= 68) {
    op = emitCopyUpTo64(out, op, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    op = emitCopyUpTo64(out, op, offset, 60);
    len -= 60;
  }
  return emitCopyUpTo64(out, op, offset, len);
}

function emitCopyUpTo64(out: Uint8Array, op: number, offset: number, len: number): number {
  if (len < 12 && offset < 2048) {
    out[op++] = 1 + ((len - 4) << 2) + ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 + ((len - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

/** The uncompressed length recorded in a Snappy block's preamble. */
export function snappyLength(input: Uint8Array, start: number, end: number): number {
  let result = 0;
  let shift = 0;
  for (let ip = start; ip < end && shift < 35; shift += 7) {
    const b = input[ip++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
  }
  throw new Error("corrupt Snappy data (bad length)");
}

/**
 * Decompresses the block `input[start, end)` into `out` from offset 0 (which must hold its
 * uncompressed length); returns that length. Malformed data throws.
 */
export function snappyDecompress(input: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let ip = start;
  let length = 0;
  let shift = 0;
  for (;;) {
    if (ip >= end || shift > 28) throw new Error("corrupt Snappy data (bad length)");
    const b = input[ip++]!;
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  if (length > out.length) throw new Error("corrupt Snappy data (length exceeds the page size)");
  let op = 0;
  while (ip < end) {
    const tag = input[ip++]!;
    let len: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        len = (tag >>> 2) + 1;
        if (len > 60) {
          const nb = len - 60;
          if (ip + nb > end) throw new Error("corrupt Snappy data (truncated literal)");
          len = 0;
          for (let k = 0; k < nb; k++) len |= input[ip + k]! << (8 * k);
          len = (len >>> 0) + 1;
          ip += nb;
        }
        if (ip + len > end || op + len > length) throw new Error("corrupt Snappy data (literal overruns)");
        if (len < 16) for (let k = 0; k < len; k++) out[op + k] = input[ip + k]!;
        else out.set(input.subarray(ip, ip + len), op);
        ip += len;
        op += len;
        continue;
      }
      case 1:
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | input[ip++]!;
        break;
      case 2:
        len = (tag >>> 2) + 1;
        offset = input[ip]! | (input[ip + 1]! << 8);
        ip += 2;
        break;
      default:
        len = (tag >>> 2) + 1;
        offset = (input[ip]! | (input[ip + 1]! << 8) | (input[ip + 2]! << 16) | (input[ip + 3]! << 24)) >>> 0;
        ip += 4;
    }
    if (ip > end || offset === 0 || offset > op || op + len > length) {
      throw new Error("corrupt Snappy data (bad copy)");
    }
    if (offset >= len && len >= 16) out.copyWithin(op, op - offset, op - offset + len);
    else for (let k = 0; k < len; k++) out[op + k] = out[op - offset + k]!;
    op += len;
  }
  if (op !== length) throw new Error("corrupt Snappy data (length mismatch)");
  return length;
}
