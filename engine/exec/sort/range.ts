// Range partitioning for a global sort: bounds chosen from a sample (Spark's
// RangePartitioner.determineBounds with equal weights: walk the sorted sample and take a bound
// each time another 1/numPartitions of it has passed, skipping keys equal to the previous
// bound), and each row's partition by binary search over the bounds. Partition p holds the rows
// after bound p-1 and up to bound p, so a row equal to a bound goes to the lower partition;
// sorting each partition and concatenating partitions 0..n-1 gives the global order.
import { type Batch, batchOf } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import { schemaOf } from "../../types/data-type.js";
import { type KeyOrder, keyColumns, makeCrossComparator, makeRowComparator } from "./compare.js";
import { sortIndices, sortKeysOf } from "./sort.js";

/**
 * At most numPartitions-1 strictly increasing bounds from a sample of rows, as a batch whose
 * columns are the key columns in `orders` order (column k is the sample's column
 * `orders[k].index`). Fewer bounds when the sample has fewer distinct keys; none for an empty
 * sample or one partition.
 */
export function computeRangeBounds(sample: Batch, orders: readonly KeyOrder[], numPartitions: number): Batch {
  const fields = orders.map((o) => sample.schema.fields[o.index]!);
  const keys = sortKeysOf(sample, orders);
  const n = sample.numRows;
  const picked: number[] = [];
  if (n > 0 && numPartitions > 1) {
    const perm = sortIndices(keys, n);
    const cmp = makeRowComparator(keys);
    const step = n / numPartitions;
    let target = step;
    for (let p = 0; p < n && picked.length < numPartitions - 1; p++) {
      if (p + 1 < target) continue;
      const row = perm[p]!;
      if (picked.length === 0 || cmp(row, picked[picked.length - 1]!) > 0) {
        picked.push(row);
        target += step;
      }
    }
  }
  const idx = Int32Array.from(picked);
  return batchOf(
    schemaOf(fields),
    keys.map((k) => takeColumn(k.col, idx)),
    idx.length,
  );
}

/**
 * The range partition of every row of `batch`: the number of bounds strictly before the row's
 * key (so 0..bounds.numRows). `bounds` comes from `computeRangeBounds` with the same orders.
 */
export function rangePartitionIds(batch: Batch, bounds: Batch, orders: readonly KeyOrder[]): Int32Array {
  const n = batch.numRows;
  const out = new Int32Array(n);
  const nb = bounds.numRows;
  if (nb === 0) return out;
  const cmp = makeCrossComparator(keyColumns(batch.columns, orders), bounds.columns, orders);
  for (let i = 0; i < n; i++) {
    // Lower bound: the first bound that is not before row i.
    let lo = 0;
    let hi = nb;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(i, mid) > 0) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}
