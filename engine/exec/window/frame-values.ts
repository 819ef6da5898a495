// Frame functions whose result is one row of the input: first_value/first, last_value/last,
// nth_value, min and max. Each computes, per row, the index of the chosen input row in its
// frame (-1 for none) and gathers the values with one take, so they work on every type.
// min/max keep the earliest of equal values (as Spark, which recomputes a sliding frame from
// its first row) with a monotonic deque over the sliding frame.
import type { Column } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import { AnalysisError } from "../../errors.js";
import { keyComparator } from "../sort/compare.js";
import type { FrameBounds } from "./frames.js";

/** Gathers input rows by index (-1 gives null). */
const gather = (input: Column, idx: Int32Array): Column => takeColumn(input, idx);

/** For each row r: the first valid row at or after r (n if none). */
function nextValid(valid: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n + 1);
  out[n] = n;
  for (let r = n - 1; r >= 0; r--) out[r] = valid[r] === 1 ? r : out[r + 1]!;
  return out;
}

/** For each row r: the last valid row at or before r (-1 if none); out[0] is for r = -1. */
function prevValid(valid: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n + 1);
  out[0] = -1;
  for (let r = 0; r < n; r++) out[r + 1] = valid[r] === 1 ? r : out[r]!;
  return out;
}

/** first_value(input) over the frames: the frame's first row (first non-null one with ignoreNulls). */
export function firstValue(input: Column, f: FrameBounds, ignoreNulls: boolean): Column {
  const n = f.lo.length;
  const idx = new Int32Array(n);
  const v = input.valid;
  if (!ignoreNulls || v === null) {
    for (let r = 0; r < n; r++) idx[r] = f.lo[r]! < f.hi[r]! ? f.lo[r]! : -1;
  } else {
    const nv = nextValid(v, n);
    for (let r = 0; r < n; r++) {
      const j = nv[f.lo[r]!]!;
      idx[r] = j < f.hi[r]! ? j : -1;
    }
  }
  return gather(input, idx);
}

/** last_value(input) over the frames: the frame's last row (last non-null one with ignoreNulls). */
export function lastValue(input: Column, f: FrameBounds, ignoreNulls: boolean): Column {
  const n = f.lo.length;
  const idx = new Int32Array(n);
  const v = input.valid;
  if (!ignoreNulls || v === null) {
    for (let r = 0; r < n; r++) idx[r] = f.lo[r]! < f.hi[r]! ? f.hi[r]! - 1 : -1;
  } else {
    const pv = prevValid(v, n);
    for (let r = 0; r < n; r++) {
      const j = pv[f.hi[r]!]!;
      idx[r] = j >= f.lo[r]! ? j : -1;
    }
  }
  return gather(input, idx);
}

/** nth_value(input, nth): the frame's nth row (1-based; counting non-null rows with ignoreNulls), or null. */
export function nthValue(input: Column, f: FrameBounds, nth: number, ignoreNulls: boolean): Column {
  if (!Number.isInteger(nth) || nth <= 0)
    throw new AnalysisError(`nth_value: the position must be a positive integer, got ${nth}`);
  const n = f.lo.length;
  const idx = new Int32Array(n);
  const v = input.valid;
  if (!ignoreNulls || v === null) {
    for (let r = 0; r < n; r++) {
      const j = f.lo[r]! + nth - 1;
      idx[r] = j < f.hi[r]! ? j : -1;
    }
  } else {
    const pos = new Int32Array(n);
    const before = new Int32Array(n + 1);
    let k = 0;
    for (let r = 0; r < n; r++) {
      before[r] = k;
      if (v[r] === 1) pos[k++] = r;
    }
    before[n] = k;
    for (let r = 0; r < n; r++) {
      const t = before[f.lo[r]!]! + nth - 1;
      idx[r] = t < before[f.hi[r]!]! ? pos[t]! : -1;
    }
  }
  return gather(input, idx);
}

/** min (isMax false) or max of the non-null values in each frame; null for a frame without any. */
export function minMax(input: Column, f: FrameBounds, isMax: boolean): Column {
  const n = f.lo.length;
  const idx = new Int32Array(n).fill(-1);
  if (input.type.kind === "null") return gather(input, idx);
  // better(a, b): is row a's value strictly better than row b's?
  const cmp = keyComparator(input, input, { ascending: !isMax, nullsFirst: false });
  const v = input.valid;
  const { lo, hi } = f;
  // A deque of candidate rows in row order whose values never get better from front to back
  // (an equal value stays behind the earlier one, so the front is the earliest best). It works
  // for every frame shape because lo and hi never decrease: rows leave at the front when lo
  // passes them and enter at the back as hi passes them.
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let added = 0; // rows [.., added) have been pushed
  let prevLo = -1;
  for (let r = 0; r < n; r++) {
    const a = lo[r]!;
    const b = hi[r]!;
    if (a < prevLo || added > b) {
      // A new partition (bounds moved back): start over.
      head = tail = 0;
      added = a;
    }
    if (added < a) added = a;
    prevLo = a;
    for (; added < b; added++) {
      if (v !== null && v[added] === 0) continue;
      while (tail > head && cmp(added, dq[tail - 1]!) < 0) tail--;
      dq[tail++] = added;
    }
    while (head < tail && dq[head]! < a) head++;
    if (head < tail) idx[r] = dq[head]!;
  }
  return gather(input, idx);
}
