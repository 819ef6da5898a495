// The top-k prefilter: which rows of a batch come strictly before a threshold row (the current
// k-th row) in key order. The first key is compared in a loop specialised to its type
// (int32/date/boolean, int64/timestamp, float64 with Spark's total order) against the
// threshold's value; only rows that tie on it are compared on the remaining keys, through the
// row comparator. Other first-key types (strings, decimals, lists) use the comparator for all.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "../hash/column-appender.js";
import { compareDoubles, type KeyOrder, keyColumns, makeCrossComparator } from "./compare.js";

/**
 * Rows i < n of `cols` whose keys come strictly before row `t` of `tCols` (both laid out as
 * the batch, keys at `orders[k].index`), in row order, written to `out`; returns their count.
 */
export function rowsBefore(
  cols: readonly Column[],
  n: number,
  tCols: readonly Column[],
  t: number,
  orders: readonly KeyOrder[],
  out: Int32Array,
): number {
  const first = orders[0]!;
  const c = cols[first.index]!;
  const tc = tCols[first.index]!;
  const rel = firstKeyRelation(c, n, tc, t, first);
  let cmp: ((i: number, j: number) => number) | null = null;
  const full = () => makeCrossComparator(keyColumns(cols, orders), keyColumns(tCols, orders), orders);
  let m = 0;
  if (rel === null) {
    cmp = full();
    for (let i = 0; i < n; i++) if (cmp(i, t) < 0) out[m++] = i;
    return m;
  }
  for (let i = 0; i < n; i++) {
    const r = rel[i]!;
    if (r === 0) out[m++] = i;
    else if (r === 1 && orders.length > 1) {
      cmp ??= full();
      if (cmp(i, t) < 0) out[m++] = i;
    }
  }
  return m;
}

let relBuf = new Uint8Array(0);

/**
 * Per row, how its first key compares with the threshold's: 0 before, 1 equal, 2 after (a
 * shared buffer, valid until the next call); null when the type has no specialised loop.
 */
function firstKeyRelation(c: Column, n: number, tc: Column, t: number, o: KeyOrder): Uint8Array | null {
  const kind = c.type.kind;
  if (
    kind !== "int32" &&
    kind !== "date" &&
    kind !== "boolean" &&
    kind !== "float64" &&
    kind !== "int64" &&
    kind !== "timestamp"
  )
    return null;
  if (relBuf.length < n) relBuf = new Uint8Array(Math.max(n, 65536));
  const rel = relBuf;
  const v = c.valid;
  // A null row against a non-null threshold (and the reverse) is decided by null placement.
  const nullRow = o.nullsFirst ? 0 : 2;
  if (tc.valid !== null && tc.valid[t] === 0) {
    // Threshold null: null rows tie, others are on the other side.
    const other = o.nullsFirst ? 2 : 0;
    for (let i = 0; i < n; i++) rel[i] = v !== null && v[i] === 0 ? 1 : other;
    return rel;
  }
  const before = o.ascending ? 0 : 2;
  const after = 2 - before;
  if (kind === "float64") {
    const a = c.values as Float64Array;
    const x = (tc.values as Float64Array)[t]!;
    const xNaN = Number.isNaN(x);
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) rel[i] = nullRow;
      else {
        const y = a[i]!;
        // Spark's total order: NaN above everything, -0.0 == 0.0.
        const d = y < x ? -1 : y > x ? 1 : y === x ? 0 : xNaN ? compareDoubles(y, x) : 1;
        rel[i] = d < 0 ? before : d > 0 ? after : 1;
      }
    }
    return rel;
  }
  if (kind === "int64" || kind === "timestamp") {
    const w = wordsOf(c.values!);
    const tw = wordsOf(tc.values!);
    const th = tw[2 * t + 1]!;
    const tl = tw[2 * t]! >>> 0;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) rel[i] = nullRow;
      else {
        const h = w[2 * i + 1]!;
        const l = w[2 * i]! >>> 0;
        rel[i] = h < th || (h === th && l < tl) ? before : h === th && l === tl ? 1 : after;
      }
    }
    return rel;
  }
  const a = c.values as Int32Array | Uint8Array;
  const x = (tc.values as Int32Array | Uint8Array)[t]!;
  for (let i = 0; i < n; i++) {
    if (v !== null && v[i] === 0) rel[i] = nullRow;
    else {
      const y = a[i]!;
      rel[i] = y < x ? before : y > x ? after : 1;
    }
  }
  return rel;
}
