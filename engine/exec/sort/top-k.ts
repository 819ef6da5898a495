// Top-k (sort + limit without a full sort): keeps the k first rows by the key orders seen so
// far. Each incoming batch is first filtered against the current k-th row (only rows strictly
// before it can enter: an equal row arrived later and loses the tie), and the survivors are
// compacted with the kept rows by a stable sort once they add up to k (at least 4096) rows.
// Ties keep input order, so the result equals a stable sort followed by a limit.
import type { Batch } from "../../columnar/column.js";
import { concatBatches, emptyBatch, filterBatch, sliceBatch } from "../../columnar/ops.js";
import type { Schema } from "../../types/data-type.js";
import { batchBytes } from "./batch-bytes.js";
import { type KeyOrder, keyColumns, makeCrossComparator } from "./compare.js";
import { sortBatch } from "./sort.js";

const MIN_COMPACT = 4096;

/** Accumulates batches and keeps the first k rows in key order; `result()` returns them sorted. */
export class TopK {
  private best: Batch;
  private pending: Batch[] = [];
  private pendingRows = 0;

  constructor(
    private readonly schema: Schema,
    private readonly orders: readonly KeyOrder[],
    private readonly k: number,
  ) {
    this.best = emptyBatch(schema);
  }

  /** Offers a batch's rows. */
  add(batch: Batch): void {
    if (this.k <= 0 || batch.numRows === 0) return;
    let b = batch;
    if (this.best.numRows === this.k) {
      // Keep only rows strictly before the current k-th row.
      const cmp = makeCrossComparator(
        keyColumns(b.columns, this.orders),
        keyColumns(this.best.columns, this.orders),
        this.orders,
      );
      const last = this.k - 1;
      const mask = new Uint8Array(b.numRows);
      let any = false;
      for (let i = 0; i < b.numRows; i++) {
        if (cmp(i, last) < 0) {
          mask[i] = 1;
          any = true;
        }
      }
      if (!any) return;
      b = filterBatch(b, mask);
    }
    this.pending.push(b);
    this.pendingRows += b.numRows;
    if (this.pendingRows >= Math.max(this.k, MIN_COMPACT)) this.compact();
  }

  private compact(): void {
    if (this.pending.length === 0) return;
    const all = concatBatches(this.schema, [this.best, ...this.pending]);
    const sorted = sortBatch(all, this.orders);
    this.best = sorted.numRows > this.k ? sliceBatch(sorted, 0, this.k) : sorted;
    this.pending = [];
    this.pendingRows = 0;
  }

  /** The first min(k, rows seen) rows in key order (ties in input order). */
  result(): Batch {
    this.compact();
    return this.best;
  }

  /** Bytes of the batches held (for the memory budget). */
  estimatedBytes(): number {
    let n = batchBytes(this.best);
    for (const b of this.pending) n += batchBytes(b);
    return n;
  }
}

/** The first k rows of the batches by `orders` (equal to a stable sort + limit k). */
export function topK(
  batches: Iterable<Batch>,
  orders: readonly KeyOrder[],
  k: number,
  schema?: Schema,
): Batch {
  let t: TopK | null = null;
  for (const b of batches) {
    t ??= new TopK(schema ?? b.schema, orders, k);
    t.add(b);
  }
  if (t === null) {
    if (schema === undefined) throw new Error("topK of no batches needs a schema");
    return emptyBatch(schema);
  }
  return t.result();
}

/** `topK` over an async stream of batches. */
export async function topKAsync(
  batches: AsyncIterable<Batch>,
  orders: readonly KeyOrder[],
  k: number,
  schema: Schema,
): Promise<Batch> {
  const t = new TopK(schema, orders, k);
  for await (const b of batches) t.add(b);
  return t.result();
}
