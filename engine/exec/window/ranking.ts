// Ranking and offset window functions, which ignore the frame: row_number, rank, dense_rank,
// percent_rank, cume_dist, ntile (Spark's NTile: the first n % buckets buckets hold one extra
// row) and lag/lead (with a per-row default column and ignoreNulls). Each is one loop over the
// partition and peer boundaries of the layout.
import type { Column } from "../../columnar/column.js";
import { concatColumns, takeColumn } from "../../columnar/ops.js";
import { AnalysisError } from "../../errors.js";
import { T } from "../../types/data-type.js";
import type { WindowLayout } from "./layout.js";

const int32Col = (values: Int32Array): Column => ({
  type: T.int32,
  length: values.length,
  valid: null,
  values,
});
const float64Col = (values: Float64Array): Column => ({
  type: T.float64,
  length: values.length,
  valid: null,
  values,
});

/** row_number(): 1, 2, 3... within each partition. */
export function rowNumber(l: WindowLayout): Column {
  const out = new Int32Array(l.numRows);
  for (let r = 0; r < l.numRows; r++) out[r] = r - l.partStart[l.partOf[r]!]! + 1;
  return int32Col(out);
}

/** rank(): 1 + the number of rows before the row's peer group in its partition. */
export function rank(l: WindowLayout): Column {
  const out = new Int32Array(l.numRows);
  for (let r = 0; r < l.numRows; r++) out[r] = l.peerStart[l.peerOf[r]!]! - l.partStart[l.partOf[r]!]! + 1;
  return int32Col(out);
}

/** dense_rank(): 1 + the number of peer groups before the row's in its partition. */
export function denseRank(l: WindowLayout): Column {
  const out = new Int32Array(l.numRows);
  const firstPeer = new Int32Array(l.numParts);
  for (let p = 0; p < l.numParts; p++) firstPeer[p] = l.peerOf[l.partStart[p]!]!;
  for (let r = 0; r < l.numRows; r++) out[r] = l.peerOf[r]! - firstPeer[l.partOf[r]!]! + 1;
  return int32Col(out);
}

/** percent_rank(): (rank - 1) / (partition rows - 1), 0 for a single-row partition. */
export function percentRank(l: WindowLayout): Column {
  const out = new Float64Array(l.numRows);
  for (let r = 0; r < l.numRows; r++) {
    const p = l.partOf[r]!;
    const ps = l.partStart[p]!;
    const size = l.partStart[p + 1]! - ps;
    out[r] = size <= 1 ? 0 : (l.peerStart[l.peerOf[r]!]! - ps) / (size - 1);
  }
  return float64Col(out);
}

/** cume_dist(): rows up to and including the row's last peer, over partition rows. */
export function cumeDist(l: WindowLayout): Column {
  const out = new Float64Array(l.numRows);
  for (let r = 0; r < l.numRows; r++) {
    const p = l.partOf[r]!;
    const ps = l.partStart[p]!;
    out[r] = (l.peerStart[l.peerOf[r]! + 1]! - ps) / (l.partStart[p + 1]! - ps);
  }
  return float64Col(out);
}

/** ntile(buckets): bucket 1..buckets; the first (rows % buckets) buckets hold one row more. */
export function ntile(l: WindowLayout, buckets: number): Column {
  if (!Number.isInteger(buckets) || buckets <= 0)
    throw new AnalysisError(`ntile: the number of buckets must be a positive integer, got ${buckets}`);
  const out = new Int32Array(l.numRows);
  for (let p = 0; p < l.numParts; p++) {
    const ps = l.partStart[p]!;
    const size = l.partStart[p + 1]! - ps;
    const base = Math.floor(size / buckets);
    const extra = size % buckets;
    const bigRows = extra * (base + 1);
    for (let i = 0; i < size; i++)
      out[ps + i] =
        i < bigRows ? Math.floor(i / (base + 1)) + 1 : extra + Math.floor((i - bigRows) / base) + 1;
  }
  return int32Col(out);
}

/**
 * lag(input, offset, default) (lead is lag with -offset): the value `offset` rows before the
 * row in its partition, or the row's default (null without a default column) when that row is
 * outside the partition. With ignoreNulls, `offset` counts non-null values (offset 0 is the
 * row itself either way).
 */
export function lag(
  l: WindowLayout,
  input: Column,
  offset: number,
  dflt: Column | null,
  ignoreNulls: boolean,
): Column {
  if (!Number.isInteger(offset))
    throw new AnalysisError(`lag/lead: the offset must be an integer, got ${offset}`);
  const n = l.numRows;
  const idx = new Int32Array(n);
  const v = input.valid;
  // Index n + r means "row r of the default column".
  const outside = dflt === null ? -1 : n;
  if (!ignoreNulls || v === null || offset === 0) {
    for (let r = 0; r < n; r++) {
      const p = l.partOf[r]!;
      const t = r - offset;
      idx[r] = t >= l.partStart[p]! && t < l.partStart[p + 1]! ? t : outside < 0 ? -1 : outside + r;
    }
  } else {
    // pos[k] = the k-th valid row; before[r] = valid rows before row r.
    const pos = new Int32Array(n);
    const before = new Int32Array(n + 1);
    let k = 0;
    for (let r = 0; r < n; r++) {
      before[r] = k;
      if (v[r] === 1) pos[k++] = r;
    }
    before[n] = k;
    for (let r = 0; r < n; r++) {
      const p = l.partOf[r]!;
      const lowK = before[l.partStart[p]!]!;
      const highK = before[l.partStart[p + 1]!]!;
      // lag: the offset-th valid row before r; lead: the |offset|-th valid row after r.
      const t = offset > 0 ? before[r]! - offset : before[r + 1]! - offset - 1;
      idx[r] = t >= lowK && t < highK ? pos[t]! : outside < 0 ? -1 : outside + r;
    }
  }
  const source = dflt === null ? input : concatColumns([input, dflt]);
  return takeColumn(source, idx);
}
