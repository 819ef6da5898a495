// The structure of a partition-sorted batch that every window function reads: where each
// partition starts and ends (consecutive rows with equal PARTITION BY keys, nulls equal, -0.0
// equal to 0.0 and NaN to NaN, as Spark's normalised grouping), and the peer groups inside
// them (consecutive rows with equal ORDER BY keys). Computed once per batch and spec.
import type { Batch } from "../../columnar/column.js";
import { type KeyOrder, makeRowComparator, type RowComparator } from "../sort/compare.js";

/** Partitions and peer groups of a sorted batch (boundaries as start offsets, with an end sentinel). */
export interface WindowLayout {
  readonly numRows: number;
  /** Partition p covers rows [partStart[p], partStart[p+1]); length numParts + 1. */
  readonly partStart: Int32Array;
  readonly numParts: number;
  /** The partition of each row. */
  readonly partOf: Int32Array;
  /** Peer group g covers rows [peerStart[g], peerStart[g+1]); groups never cross partitions. */
  readonly peerStart: Int32Array;
  readonly numPeers: number;
  /** The peer group of each row. */
  readonly peerOf: Int32Array;
}

/** Boundaries of runs of rows equal under `cmp` (plus forced boundaries in `forced`). */
function runs(
  n: number,
  cmp: RowComparator | null,
  forced: Uint8Array | null,
): { start: Int32Array; of: Int32Array; count: number } {
  const of = new Int32Array(n);
  const starts: number[] = n > 0 ? [0] : [];
  for (let i = 1; i < n; i++) {
    if ((forced !== null && forced[i] === 1) || (cmp !== null && cmp(i - 1, i) !== 0)) starts.push(i);
    of[i] = starts.length - 1;
  }
  const start = new Int32Array(starts.length + 1);
  start.set(starts);
  start[starts.length] = n;
  return { start, of, count: starts.length };
}

/** The partitions and peer groups of `batch`, which must be sorted by (partitionBy, orderBy). */
export function windowLayout(
  batch: Batch,
  partitionBy: readonly number[],
  orderBy: readonly KeyOrder[],
): WindowLayout {
  const n = batch.numRows;
  const pcmp =
    partitionBy.length === 0
      ? null
      : makeRowComparator(
          partitionBy.map((i) => ({ col: batch.columns[i]!, ascending: true, nullsFirst: true })),
        );
  const parts = runs(n, pcmp, null);
  const forced = new Uint8Array(n);
  for (let p = 1; p < parts.count; p++) forced[parts.start[p]!] = 1;
  const ocmp =
    orderBy.length === 0
      ? null
      : makeRowComparator(
          orderBy.map((o) => ({
            col: batch.columns[o.index]!,
            ascending: o.ascending,
            nullsFirst: o.nullsFirst,
          })),
        );
  const peers = runs(n, ocmp, forced);
  return {
    numRows: n,
    partStart: parts.start,
    numParts: parts.count,
    partOf: parts.of,
    peerStart: peers.start,
    numPeers: peers.count,
    peerOf: peers.of,
  };
}
