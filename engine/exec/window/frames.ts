// Frame bounds per row: every frame becomes two arrays, lo[r] and hi[r], so that row r's frame
// is rows [lo[r], hi[r]) of its partition (empty when lo == hi). Both never decrease along a
// partition, which lets aggregates slide instead of recomputing. ROWS offsets move by rows;
// RANGE CURRENT ROW means the peer group; RANGE offsets search the single order key's values
// (as doubles, in the key's direction, NaN above everything as in the sort). A row whose order
// key is null has the null rows as its frame for offset bounds, and rows with a non-null key
// never reach null rows through an offset (Spark's RangeBoundOrdering with nulls ordered).
import type { Batch, Column } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { wordsOf } from "../hash/column-appender.js";
import { compareDoubles, type KeyOrder } from "../sort/compare.js";
import type { WindowLayout } from "./layout.js";
import type { FrameBound, FrameSpec } from "./types.js";

/** whole: every row's frame is its partition; running: frames start at the partition start. */
export type FrameShape = "whole" | "running" | "sliding";

/** Per-row frame bounds; rows [lo[r], hi[r]). */
export interface FrameBounds {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly shape: FrameShape;
}

/** Spark's default frame for a window with or without ORDER BY. */
export const defaultFrame = (ordered: boolean): FrameSpec =>
  ordered ? { type: "range", start: null, end: 0 } : { type: "rows", start: null, end: null };

/** A bound as an offset, or null for unbounded; checks the direction of the unbounded names. */
function offsetOf(b: FrameBound, isStart: boolean): number | null {
  if (b === null) return null;
  if (b === "currentRow") return 0;
  if (b === "unboundedPreceding" || b === "unboundedFollowing") {
    if ((b === "unboundedPreceding") !== isStart)
      throw new AnalysisError(`a window frame cannot ${isStart ? "start" : "end"} at ${b}`);
    return null;
  }
  if (Number.isNaN(b)) throw new AnalysisError("a window frame bound cannot be NaN");
  if (!Number.isFinite(b)) {
    if (b < 0 !== isStart)
      throw new AnalysisError(`a window frame cannot ${isStart ? "start" : "end"} at ${b}`);
    return null;
  }
  return b;
}

/** The frame bounds of every row of a batch laid out by `layout`. */
export function frameBounds(
  batch: Batch,
  layout: WindowLayout,
  orderBy: readonly KeyOrder[],
  frame: FrameSpec,
): FrameBounds {
  const s = offsetOf(frame.start, true);
  const e = offsetOf(frame.end, false);
  if (s !== null && e !== null && s > e)
    throw new AnalysisError(`${frame.type} frame between ${s} and ${e}: the start must not be after the end`);
  const n = layout.numRows;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const { partStart, partOf, peerStart, peerOf } = layout;
  const shape: FrameShape = s === null ? (e === null ? "whole" : "running") : "sliding";
  if (frame.type === "rows") {
    if ((s !== null && !Number.isInteger(s)) || (e !== null && !Number.isInteger(e)))
      throw new AnalysisError(`rows frame offsets must be integers, got ${s} and ${e}`);
    for (let r = 0; r < n; r++) {
      const p = partOf[r]!;
      const ps = partStart[p]!;
      const pe = partStart[p + 1]!;
      lo[r] = s === null ? ps : Math.min(pe, Math.max(ps, r + s));
      hi[r] = e === null ? pe : Math.min(pe, Math.max(ps, r + e + 1));
    }
    return { lo, hi, shape };
  }
  const needValues = (s !== null && s !== 0) || (e !== null && e !== 0);
  if (!needValues) {
    for (let r = 0; r < n; r++) {
      const p = partOf[r]!;
      const g = peerOf[r]!;
      lo[r] = s === null ? partStart[p]! : peerStart[g]!;
      hi[r] = e === null ? partStart[p + 1]! : peerStart[g + 1]!;
    }
    return { lo, hi, shape };
  }
  if (orderBy.length !== 1)
    throw new AnalysisError(
      `a range frame with offsets needs exactly one ORDER BY key, got ${orderBy.length}`,
    );
  const order = orderBy[0]!;
  const keyCol = batch.columns[order.index]!;
  const key = keyAsDoubles(keyCol);
  const valid = keyCol.valid;
  const dir = order.ascending ? 1 : -1;
  for (let p = 0; p < layout.numParts; p++) {
    const ps = partStart[p]!;
    const pe = partStart[p + 1]!;
    // The non-null rows are one run: after the nulls or before them.
    let a = ps;
    let b = pe;
    if (valid !== null) {
      if (order.nullsFirst) while (a < b && valid[a] === 0) a++;
      else while (b > a && valid[b - 1] === 0) b--;
    }
    for (let r = ps; r < pe; r++) {
      if (r < a || r >= b) {
        // A null key: offsets reach exactly the null rows.
        lo[r] = s === null ? ps : r < a ? ps : b;
        hi[r] = e === null ? pe : r < a ? a : pe;
      }
    }
    // Two pointers over the non-null run: targets grow with the row in the key's direction.
    let l = a;
    let h = a;
    for (let r = a; r < b; r++) {
      const v = key[r]!;
      if (s === null) lo[r] = ps;
      else {
        const t = v + dir * s;
        while (l < b && dir * compareDoubles(key[l]!, t) < 0) l++;
        lo[r] = l;
      }
      if (e === null) hi[r] = pe;
      else {
        const t = v + dir * e;
        while (h < b && dir * compareDoubles(key[h]!, t) <= 0) h++;
        hi[r] = Math.max(h, lo[r]!);
      }
    }
  }
  return { lo, hi, shape };
}

/** The values of a numeric, date, timestamp or decimal order key as doubles. */
function keyAsDoubles(c: Column): Float64Array {
  const n = c.length;
  const out = new Float64Array(n);
  switch (c.type.kind) {
    case "int32":
    case "date":
    case "float64": {
      const v = c.values as Int32Array | Float64Array;
      for (let i = 0; i < n; i++) out[i] = v[i]!;
      return out;
    }
    case "int64":
    case "timestamp": {
      const w = wordsOf(c.values!);
      for (let i = 0; i < n; i++) out[i] = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0);
      return out;
    }
    case "decimal": {
      const w = wordsOf(c.values!);
      const scale = 10 ** c.type.scale;
      for (let i = 0; i < n; i++) {
        const hi = w[4 * i + 3]! * 4294967296 + (w[4 * i + 2]! >>> 0);
        const lo = (w[4 * i + 1]! >>> 0) * 4294967296 + (w[4 * i]! >>> 0);
        out[i] = (hi * 2 ** 64 + lo) / scale;
      }
      return out;
    }
    default:
      throw new AnalysisError(
        `a range frame with offsets needs a numeric, date or timestamp ORDER BY key, got ${c.type.kind}`,
      );
  }
}
