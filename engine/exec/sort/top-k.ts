// Top-k (sort + limit without a full sort): keeps the k first rows by the key orders seen so
// far. Each incoming batch is first filtered against the current k-th row (only rows strictly
// before it can enter: an equal row arrived later and loses the tie; see top-k-filter.ts);
// when more than k rows survive, only their keys are sorted to pick the first k, and just
// those rows are gathered (every column) into the pending rows. Pending rows are compacted
// with the kept rows by a stable sort once they fill the first k, or add up to at least 4096.
// Ties keep input order, so the result equals a stable sort followed by a limit.
import type { Batch } from "../../columnar/column.js";
import { concatBatches, emptyBatch, sliceBatch, takeBatch, takeColumn } from "../../columnar/ops.js";
import type { Schema } from "../../types/data-type.js";
import { batchBytes } from "./batch-bytes.js";
import type { KeyOrder } from "./compare.js";
import { sortBatch, sortIndices } from "./sort.js";
import { rowsBefore } from "./top-k-filter.js";

const MIN_COMPACT = 4096;

/** Accumulates batches and keeps the first k rows in key order; `result()` returns them sorted. */
export class TopK {
  private best: Batch;
  private pending: Batch[] = [];
  private pendingRows = 0;
  private scratch = new Int32Array(0);

  constructor(
    private readonly schema: Schema,
    private readonly orders: readonly KeyOrder[],
    private readonly k: number,
  ) {
    this.best = emptyBatch(schema);
  }

  /** Offers a batch's rows. */
  add(batch: Batch): void {
    const n = batch.numRows;
    if (this.k <= 0 || n === 0) return;
    // Candidates: every row, or (k rows kept) those strictly before the k-th.
    let cand: Int32Array | null = null;
    let m = n;
    if (this.best.numRows === this.k) {
      if (this.scratch.length < n) this.scratch = new Int32Array(Math.max(n, 1024));
      m = rowsBefore(batch.columns, n, this.best.columns, this.k - 1, this.orders, this.scratch);
      if (m === 0) return;
      cand = this.scratch.subarray(0, m);
    }
    let rows = cand;
    if (m > this.k) {
      // Only the first k candidates by key can be kept: sort their keys, gather just those rows.
      const keys = this.orders.map((o) => {
        const c = batch.columns[o.index]!;
        return {
          col: cand === null ? c : takeColumn(c, cand, m),
          ascending: o.ascending,
          nullsFirst: o.nullsFirst,
        };
      });
      const order = sortIndices(keys, m);
      rows = new Int32Array(this.k);
      for (let j = 0; j < this.k; j++) rows[j] = cand === null ? order[j]! : cand[order[j]!]!;
    }
    const part = rows === null ? batch : takeBatch(batch, rows);
    this.pending.push(part);
    this.pendingRows += part.numRows;
    const filling = this.best.numRows < this.k && this.best.numRows + this.pendingRows >= this.k;
    if (filling || this.pendingRows >= Math.max(this.k, MIN_COMPACT)) this.compact();
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
