// Sorting one batch: the stable permutation of its rows by sort keys, and the sorted batch.
// Keys of every type but lists become order-preserving 32-bit words (see sort-words.ts) and
// are ordered by one stable LSD radix sort; list keys use a stable merge sort with the row
// comparator. Small inputs go straight to the merge sort.
import type { Batch } from "../../columnar/column.js";
import { takeBatch } from "../../columnar/ops.js";
import { type KeyOrder, makeRowComparator, type SortKey } from "./compare.js";
import { mergeSortSegment, radixSortPositions } from "./radix.js";
import { appendSortWords, hasSortWords } from "./sort-words.js";

const COMPARATOR_BELOW = 64;

/**
 * The stable ascending permutation of rows [0, numRows) by `keys` (the first key most
 * significant): `out[k]` is the row that goes to position k. Rows with equal keys keep their
 * order. Nulls go first or last per key; NaN sorts above +Infinity; strings by UTF-8 bytes.
 */
export function sortIndices(keys: readonly SortKey[], numRows: number): Int32Array {
  if (numRows < COMPARATOR_BELOW || !keys.every((k) => hasSortWords(k.col))) {
    const idx = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) idx[i] = i;
    if (keys.length > 0) mergeSortSegment(idx, 0, numRows, makeRowComparator(keys));
    return idx;
  }
  const words: Uint32Array[] = [];
  for (const k of keys) appendSortWords(k, numRows, words);
  return radixSortPositions(words, numRows);
}

/** The sort keys of a batch for key orders given by column index. */
export const sortKeysOf = (batch: Batch, orders: readonly KeyOrder[]): SortKey[] =>
  orders.map((o) => ({ col: batch.columns[o.index]!, ascending: o.ascending, nullsFirst: o.nullsFirst }));

/** The batch with its rows sorted (stably) by `orders`. */
export function sortBatch(batch: Batch, orders: readonly KeyOrder[]): Batch {
  if (orders.length === 0 || batch.numRows < 2) return batch;
  return takeBatch(batch, sortIndices(sortKeysOf(batch, orders), batch.numRows));
}

/** Is the batch already sorted by `orders` (each row not after the next)? */
export function isSorted(batch: Batch, orders: readonly KeyOrder[]): boolean {
  const cmp = makeRowComparator(sortKeysOf(batch, orders));
  for (let i = 1; i < batch.numRows; i++) if (cmp(i - 1, i) > 0) return false;
  return true;
}

// Range partitioning lives in range.ts; re-exported here for callers that import the sort API.
export { computeRangeBounds, rangePartitionIds } from "./range.js";
