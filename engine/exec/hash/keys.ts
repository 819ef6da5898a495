// Hashing and comparison of group and join keys, straight from the typed arrays and UTF-8
// buffers of the key columns. The hash is a pure function of the key values and their types
// (murmur3's mixing over 32-bit words), so it is the same in every batch, thread and worker:
// shuffle partitions are assigned with it (`partitionIds`, Spark's Pmod). Floats are
// normalised first, as Spark's NormalizeFloatingNumbers does: -0.0 hashes and compares as 0.0,
// and every NaN as one NaN.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "./column-appender.js";

/** The default seed of `hashColumns` (Spark's hash partitioning uses 42 too). */
export const HASH_SEED = 42;
/** The word mixed in for a null value. */
const NULL_WORD = 0x5bd1e995;
const NAN_HI = 0x7ff80000;

/** Murmur3's per-word scramble and combine step: h' = round(h, k). */
export function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Murmur3's finalizer (full avalanche of a 32-bit value). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Murmur3 (x86, 32-bit) of the bytes d[s, e) with a seed. */
export function hashBytes(d: Uint8Array, s: number, e: number, seed: number): number {
  let h = seed;
  let p = s;
  const end4 = s + ((e - s) & ~3);
  for (; p < end4; p += 4) h = mixWord(h, d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24));
  const rest = e - p;
  if (rest > 0) {
    let k = d[p]!;
    if (rest > 1) k ^= d[p + 1]! << 8;
    if (rest > 2) k ^= d[p + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  return fmix32(h ^ (e - s));
}

/**
 * Folds one column into running row hashes: out[i] = round(out[i], value words of row i).
 * A null mixes in a fixed word; strings mix in the murmur3 of their UTF-8 bytes; lists mix in
 * a hash of their elements' hashes.
 */
function foldColumn(c: Column, n: number, out: Int32Array): void {
  const v = c.valid;
  switch (c.type.kind) {
    case "null":
      for (let i = 0; i < n; i++) out[i] = mixWord(out[i]!, NULL_WORD);
      return;
    case "boolean":
    case "int32":
    case "date": {
      const a = c.values as Uint8Array | Int32Array;
      if (v === null) for (let i = 0; i < n; i++) out[i] = mixWord(out[i]!, a[i]!);
      else for (let i = 0; i < n; i++) out[i] = mixWord(out[i]!, v[i] === 0 ? NULL_WORD : a[i]!);
      return;
    }
    case "int64":
    case "timestamp": {
      const w = wordsOf(c.values!);
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) out[i] = mixWord(out[i]!, NULL_WORD);
        else out[i] = mixWord(mixWord(out[i]!, w[2 * i]!), w[2 * i + 1]!);
      }
      return;
    }
    case "decimal": {
      const w = wordsOf(c.values!);
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) out[i] = mixWord(out[i]!, NULL_WORD);
        else {
          const j = 4 * i;
          out[i] = mixWord(mixWord(mixWord(mixWord(out[i]!, w[j]!), w[j + 1]!), w[j + 2]!), w[j + 3]!);
        }
      }
      return;
    }
    case "float64": {
      const a = c.values as Float64Array;
      const w = wordsOf(a);
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) {
          out[i] = mixWord(out[i]!, NULL_WORD);
          continue;
        }
        const x = a[i]!;
        let lo = 0;
        let hi = 0;
        if (Number.isNaN(x)) hi = NAN_HI;
        else if (x !== 0) {
          lo = w[2 * i]!;
          hi = w[2 * i + 1]!;
        }
        out[i] = mixWord(mixWord(out[i]!, lo), hi);
      }
      return;
    }
    case "string": {
      const o = c.offsets!;
      const d = c.data!;
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) out[i] = mixWord(out[i]!, NULL_WORD);
        else out[i] = mixWord(out[i]!, hashBytes(d, o[i]!, o[i + 1]!, 0));
      }
      return;
    }
    case "list": {
      const o = c.offsets!;
      const total = o[n]! - o[0]!;
      const el = new Int32Array(o[n]!);
      if (total > 0) hashColumns([c.child!], o[n]!, el, 0);
      for (let i = 0; i < n; i++) {
        if (v !== null && v[i] === 0) {
          out[i] = mixWord(out[i]!, NULL_WORD);
          continue;
        }
        let lh = 0x2c1b3c6d;
        for (let k = o[i]!; k < o[i + 1]!; k++) lh = mixWord(lh, el[k]!);
        out[i] = mixWord(out[i]!, fmix32(lh ^ (o[i + 1]! - o[i]!)));
      }
      return;
    }
  }
}

/**
 * A 32-bit hash of each of the first `numRows` rows over the key columns `cols`, written to
 * `out` (allocated when absent or too short) and returned. Equal keys of the same types give
 * equal hashes everywhere (batches, threads, processes).
 */
export function hashColumns(
  cols: readonly Column[],
  numRows: number,
  out?: Int32Array,
  seed = HASH_SEED,
): Int32Array {
  const h = out !== undefined && out.length >= numRows ? out : new Int32Array(numRows);
  h.fill(seed, 0, numRows);
  for (const c of cols) foldColumn(c, numRows, h);
  const k = cols.length;
  for (let i = 0; i < numRows; i++) h[i] = fmix32(h[i]! ^ k);
  return h;
}

/** The shuffle partition of each hash: Spark's Pmod, a non-negative `hash mod numPartitions`. */
export function partitionIds(hashes: Int32Array, numPartitions: number, numRows = hashes.length): Int32Array {
  const out = new Int32Array(numRows);
  for (let i = 0; i < numRows; i++) {
    const m = hashes[i]! % numPartitions;
    out[i] = m < 0 ? m + numPartitions : m;
  }
  return out;
}

/**
 * Do row i of `a` and row j of `b` (columns of the same type) hold equal keys? Grouping
 * semantics: null equals null, -0.0 equals 0.0, NaN equals NaN; strings compare bytes.
 */
export function valuesEqual(a: Column, i: number, b: Column, j: number): boolean {
  const na = a.valid !== null && a.valid[i] === 0;
  const nb = b.valid !== null && b.valid[j] === 0;
  if (na || nb) return na === nb;
  switch (a.type.kind) {
    case "null":
      return true;
    case "boolean":
    case "int32":
    case "date":
      return (a.values as Int32Array)[i] === (b.values as Int32Array)[j];
    case "float64": {
      const x = (a.values as Float64Array)[i]!;
      const y = (b.values as Float64Array)[j]!;
      return x === y || (Number.isNaN(x) && Number.isNaN(y));
    }
    case "int64":
    case "timestamp": {
      const x = cachedWords(a.values!);
      const y = cachedWords(b.values!);
      return x[2 * i] === y[2 * j] && x[2 * i + 1] === y[2 * j + 1];
    }
    case "decimal": {
      const x = cachedWords(a.values!);
      const y = cachedWords(b.values!);
      const p = 4 * i;
      const q = 4 * j;
      return x[p] === y[q] && x[p + 1] === y[q + 1] && x[p + 2] === y[q + 2] && x[p + 3] === y[q + 3];
    }
    case "string":
      return bytesEqual(
        a.data!,
        a.offsets![i]!,
        a.offsets![i + 1]!,
        b.data!,
        b.offsets![j]!,
        b.offsets![j + 1]!,
      );
    case "list": {
      const ao = a.offsets!;
      const bo = b.offsets!;
      const len = ao[i + 1]! - ao[i]!;
      if (len !== bo[j + 1]! - bo[j]!) return false;
      for (let k = 0; k < len; k++)
        if (!valuesEqual(a.child!, ao[i]! + k, b.child!, bo[j]! + k)) return false;
      return true;
    }
  }
}

// A few recently used word views, so that row-at-a-time comparisons of int64 and decimal
// values neither read BigInts nor allocate a view per call. (It keeps up to four arrays alive.)
const viewKeys: (ArrayBufferView | null)[] = [null, null, null, null];
const viewVals: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)];
let viewNext = 0;
/** The 32-bit words of a typed array, from a small cache of recent views (no allocation when hit). */
export function cachedWords(a: ArrayBufferView): Int32Array {
  for (let k = 0; k < 4; k++) if (viewKeys[k] === a) return viewVals[k]!;
  const w = wordsOf(a);
  viewKeys[viewNext] = a;
  viewVals[viewNext] = w;
  viewNext = (viewNext + 1) & 3;
  return w;
}

/** Are the byte ranges x[xs, xe) and y[ys, ye) equal? */
export function bytesEqual(
  x: Uint8Array,
  xs: number,
  xe: number,
  y: Uint8Array,
  ys: number,
  ye: number,
): boolean {
  const len = xe - xs;
  if (len !== ye - ys) return false;
  for (let k = 0; k < len; k++) if (x[xs + k] !== y[ys + k]) return false;
  return true;
}

/** Do row i of the key columns `colsA` and row j of `colsB` hold equal keys (grouping semantics, see `valuesEqual`)? */
export function keysEqual(colsA: readonly Column[], i: number, colsB: readonly Column[], j: number): boolean {
  for (let k = 0; k < colsA.length; k++) if (!valuesEqual(colsA[k]!, i, colsB[k]!, j)) return false;
  return true;
}

/** Is any key of row i null? (Join keys with a null never match.) */
export function anyNullAt(cols: readonly Column[], i: number): boolean {
  for (const c of cols) if (c.type.kind === "null" || (c.valid !== null && c.valid[i] === 0)) return true;
  return false;
}

/** One byte per row: 1 when every key column is valid (the rows that can match in a join). */
export function allValidMask(cols: readonly Column[], numRows: number): Uint8Array {
  const m = new Uint8Array(numRows).fill(1);
  for (const c of cols) {
    if (c.type.kind === "null") m.fill(0);
    else if (c.valid !== null) for (let i = 0; i < numRows; i++) m[i] &= c.valid[i]!;
  }
  return m;
}
