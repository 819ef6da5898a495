// A sort that spills: batches accumulate in memory until their estimated bytes pass the
// budget, then they are sorted into a run and written to a spill file (spill-file.ts); at the
// end the runs (and the last in-memory run) are merged with the k-way merger. Runs are numbered
// in input order and the merge breaks ties by run, so the output is a stable sort of the input.
//
// States: accumulating --finish()--> merging --end/return--> closed (spill files removed).
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Batch } from "../../columnar/column.js";
import { concatBatches, takeBatch } from "../../columnar/ops.js";
import type { Schema } from "../../types/data-type.js";
import { batchBytes } from "./batch-bytes.js";
import type { KeyOrder } from "./compare.js";
import { mergeAsync } from "./merge.js";
import { sortIndices, sortKeysOf } from "./sort.js";
import { readSpillFile, SpillWriter } from "./spill-file.js";

/** Options of an ExternalSorter. */
export interface ExternalSorterOptions {
  /** Rows per output batch (default 65536). */
  readonly batchSize?: number;
}

/** Sorts a stream of batches within a memory budget, spilling sorted runs to `spillDir`. */
export class ExternalSorter {
  private buffered: Batch[] = [];
  private bufferedBytes = 0;
  private readonly runs: string[] = [];
  private readonly prefix = `kindling-sort-${process.pid}-${randomUUID()}`;
  private readonly batchSize: number;
  private finished = false;
  private spilled = 0;
  private runCount = 0;

  constructor(
    private readonly schema: Schema,
    private readonly orders: readonly KeyOrder[],
    private readonly memoryBudgetBytes: number,
    private readonly spillDir: string,
    options: ExternalSorterOptions = {},
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? 65536);
  }

  /** Adds a batch; spills the buffered rows as a sorted run when they pass the budget. */
  async add(batch: Batch): Promise<void> {
    if (this.finished) throw new Error("ExternalSorter.add after finish");
    if (batch.numRows === 0) return;
    this.buffered.push(batch);
    this.bufferedBytes += batchBytes(batch);
    if (this.bufferedBytes > this.memoryBudgetBytes) await this.spill();
  }

  /** Number of runs written to disk so far. */
  get spillCount(): number {
    return this.runCount;
  }

  /** Bytes written to spill files so far. */
  get spilledBytes(): number {
    return this.spilled;
  }

  /** Estimated bytes held in memory (the buffered batches). */
  estimatedBytes(): number {
    return this.bufferedBytes;
  }

  /** The buffered rows and their stable sort permutation; clears the buffer. */
  private takeBuffered(): { all: Batch; perm: Int32Array } {
    const all = concatBatches(this.schema, this.buffered);
    this.buffered = [];
    this.bufferedBytes = 0;
    return { all, perm: sortIndices(sortKeysOf(all, this.orders), all.numRows) };
  }

  private async spill(): Promise<void> {
    const { all, perm } = this.takeBuffered();
    if (all.numRows === 0) return;
    if (this.runs.length === 0) await mkdir(this.spillDir, { recursive: true });
    const path = join(this.spillDir, `${this.prefix}-${this.runCount}.spill`);
    this.runs.push(path);
    this.runCount++;
    // Frames small enough that one per run fits the budget many times over during the merge.
    const bytesPerRow = batchBytes(all) / all.numRows;
    const rows = Math.max(
      256,
      Math.min(this.batchSize, Math.floor(this.memoryBudgetBytes / 16 / bytesPerRow)),
    );
    const w = await SpillWriter.create(path, this.schema);
    try {
      for (let s = 0; s < all.numRows; s += rows) await w.write(takeBatch(all, perm.subarray(s, s + rows)));
    } finally {
      await w.close();
    }
    this.spilled += w.size;
  }

  /**
   * The sorted rows of everything added, in batches of `batchSize` rows. Consume it once; the
   * spill files are removed when it ends (or is returned early).
   */
  async *finish(): AsyncGenerator<Batch> {
    if (this.finished) throw new Error("ExternalSorter.finish called twice");
    this.finished = true;
    try {
      const { all, perm } = this.takeBuffered();
      const memRun = async function* (batchSize: number): AsyncGenerator<Batch> {
        for (let s = 0; s < all.numRows; s += batchSize)
          yield takeBatch(all, perm.subarray(s, s + batchSize));
      };
      if (this.runs.length === 0) {
        yield* memRun(this.batchSize);
        return;
      }
      const sources = this.runs.map((p) => readSpillFile(p));
      if (all.numRows > 0) sources.push(memRun(Math.min(this.batchSize, 4096)));
      try {
        yield* mergeAsync(this.schema, sources, this.orders, this.batchSize);
      } finally {
        for (const s of sources) await s.return(undefined);
      }
    } finally {
      await this.close();
    }
  }

  /** Removes the spill files (idempotent). */
  async close(): Promise<void> {
    const runs = this.runs.splice(0);
    await Promise.all(runs.map((p) => rm(p, { force: true })));
  }
}
