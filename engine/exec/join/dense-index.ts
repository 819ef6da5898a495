// A direct-address index for integer join keys whose distinct values span a small range
// (zone ids, small dimension keys): key id = table[value - min], with no hashing at all.
// Used for int32/date/boolean keys, and for int64/timestamp keys whose values all fit in 32
// bits; a probe value outside the range (or an int64 beyond 32 bits) simply has no match.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "../hash/column-appender.js";

/** The largest range a dense index covers, and its allowed sparsity (slots per distinct key). */
const MAX_RANGE = 1 << 22;
const SLOTS_PER_KEY = 4;

/** Key id by value: ids[value - min] (-1 = absent). */
export interface DenseIndex {
  readonly min: number;
  readonly ids: Int32Array;
}

/**
 * A dense index over the distinct keys (key id k held by build row rep[k], k < size) of a
 * single int-like build key column, or null when the values are too spread out.
 */
export function buildDenseIndex(
  col: Column,
  wide: boolean,
  rep: Int32Array,
  size: number,
): DenseIndex | null {
  if (size === 0) return null;
  const v32 = wide ? wordsOf(col.values!) : (col.values as Int32Array | Uint8Array);
  const at = (r: number): number | null => {
    if (!wide) return v32[r]!;
    const lo = v32[2 * r]!;
    return v32[2 * r + 1] === lo >> 31 ? lo : null;
  };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < size; k++) {
    const x = at(rep[k]!);
    if (x === null) return null;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const range = max - min + 1;
  if (range > MAX_RANGE || range > Math.max(1024, SLOTS_PER_KEY * size)) return null;
  const ids = new Int32Array(range).fill(-1);
  for (let k = 0; k < size; k++) ids[at(rep[k]!)! - min] = k;
  return { min, ids };
}

/** Looks up the first n rows of a probe key column: out[i] = key id or -1 (null, absent). */
export function denseLookup(index: DenseIndex, col: Column, wide: boolean, n: number, out: Int32Array): void {
  const { min, ids } = index;
  const range = ids.length;
  const v = col.valid;
  if (!wide) {
    const a = col.values as Int32Array | Uint8Array;
    for (let i = 0; i < n; i++) {
      const d = a[i]! - min;
      out[i] = d >= 0 && d < range && (v === null || v[i] === 1) ? ids[d]! : -1;
    }
    return;
  }
  const w = wordsOf(col.values!);
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i]!;
    const d = lo - min;
    out[i] = w[2 * i + 1] === lo >> 31 && d >= 0 && d < range && (v === null || v[i] === 1) ? ids[d]! : -1;
  }
}
