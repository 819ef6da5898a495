// K-way merge of sorted runs with a binary heap of cursors, stable by run index (a tie goes to
// the lower run). The merger is a small pull-driven state machine so that the same code merges
// in-memory runs (`mergeSortedRuns`) and runs streamed back from spill files (`mergeAsync`).
// Comparators between two cursors' current batches are built once per pair of batches.
import type { Batch } from "../../columnar/column.js";
import type { Schema } from "../../types/data-type.js";
import { type KeyOrder, keyColumns, makeCrossComparator, type RowComparator } from "./compare.js";
import { interleaveBatches } from "./interleave.js";

interface Cursor {
  readonly run: number;
  batch: Batch | null;
  row: number;
  /** Bumped whenever the batch changes (invalidates cached comparators). */
  gen: number;
  /** The cursor's batch's index in the pending output's sources, or -1. */
  src: number;
}

/** One step of the merger: an output batch, a run that must be supplied, or the end. */
export type MergeStep = { kind: "batch"; batch: Batch } | { kind: "need"; run: number } | { kind: "done" };

/**
 * Merges sorted runs. Protocol: `supply(r, batch)` the first batch of every run (null when the
 * run is empty), then call `next()` repeatedly; a `need` step asks for the next batch of that
 * run (`supply(r, null)` when it has no more). Output batches hold `batchSize` rows (the last
 * fewer).
 */
export class KWayMerger {
  private readonly cursors: Cursor[];
  private heap: number[] = [];
  private started = false;
  private pendingRun = -1;
  private readonly dirs: KeyOrder[];
  private readonly cache = new Map<number, { ga: number; gb: number; cmp: RowComparator }>();
  private sources: Batch[] = [];
  private srcs: Int32Array;
  private rows: Int32Array;
  private n = 0;

  constructor(
    private readonly schema: Schema,
    private readonly orders: readonly KeyOrder[],
    numRuns: number,
    private readonly batchSize: number,
  ) {
    this.cursors = Array.from({ length: numRuns }, (_, run) => ({
      run,
      batch: null,
      row: 0,
      gen: 0,
      src: -1,
    }));
    this.dirs = [...orders];
    this.srcs = new Int32Array(batchSize);
    this.rows = new Int32Array(batchSize);
  }

  /** Gives run r its next batch, or null when the run has ended. */
  supply(run: number, batch: Batch | null): void {
    const c = this.cursors[run]!;
    c.batch = batch !== null && batch.numRows > 0 ? batch : batch === null ? null : c.batch;
    if (batch !== null && batch.numRows === 0) return; // still needs a batch
    c.row = 0;
    c.gen++;
    c.src = -1;
    if (!this.started) return;
    if (run !== this.pendingRun) throw new Error(`merge: run ${run} supplied, run ${this.pendingRun} needed`);
    this.pendingRun = -1;
    if (c.batch === null) {
      const last = this.heap.pop()!;
      if (this.heap.length > 0 && last !== run) {
        this.heap[0] = last;
        this.siftDown(0);
      }
    } else this.siftDown(0);
  }

  /** Merges until an output batch is full, a run needs a batch, or every run has ended. */
  next(): MergeStep {
    if (!this.started) {
      for (const c of this.cursors) {
        if (c.batch === null && c.gen === 0) return { kind: "need", run: c.run };
      }
      this.started = true;
      this.heap = this.cursors.filter((c) => c.batch !== null).map((c) => c.run);
      for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    }
    if (this.pendingRun >= 0) return { kind: "need", run: this.pendingRun };
    const heap = this.heap;
    while (heap.length > 0) {
      const c = this.cursors[heap[0]!]!;
      if (c.src < 0) {
        c.src = this.sources.length;
        this.sources.push(c.batch!);
      }
      this.srcs[this.n] = c.src;
      this.rows[this.n] = c.row;
      this.n++;
      c.row++;
      const full = this.n === this.batchSize;
      if (c.row >= c.batch!.numRows) {
        this.pendingRun = c.run;
        if (full) return { kind: "batch", batch: this.flush() };
        return { kind: "need", run: c.run };
      }
      this.siftDown(0);
      if (full) return { kind: "batch", batch: this.flush() };
    }
    if (this.n > 0) return { kind: "batch", batch: this.flush() };
    return { kind: "done" };
  }

  private flush(): Batch {
    const out = interleaveBatches(this.schema, this.sources, this.srcs, this.rows, this.n);
    this.n = 0;
    this.sources = [];
    for (const c of this.cursors) c.src = -1;
    return out;
  }

  /** Is cursor a's current row before cursor b's (ties by run index)? */
  private less(a: number, b: number): boolean {
    const ca = this.cursors[a]!;
    const cb = this.cursors[b]!;
    const key = a * this.cursors.length + b;
    let e = this.cache.get(key);
    if (e === undefined || e.ga !== ca.gen || e.gb !== cb.gen) {
      const cmp = makeCrossComparator(
        keyColumns(ca.batch!.columns, this.orders),
        keyColumns(cb.batch!.columns, this.orders),
        this.dirs,
      );
      e = { ga: ca.gen, gb: cb.gen, cmp };
      this.cache.set(key, e);
    }
    const c = e.cmp(ca.row, cb.row);
    return c < 0 || (c === 0 && a < b);
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const x = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(heap[r]!, heap[l]!) ? r : l;
      if (!this.less(heap[m]!, x)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = x;
  }
}

/** Merges sorted in-memory runs (each sorted by `orders`) into sorted batches of `batchSize` rows. */
export function* mergeSortedRuns(
  runs: readonly Batch[],
  orders: readonly KeyOrder[],
  batchSize: number,
): Generator<Batch> {
  if (runs.length === 0) return;
  const m = new KWayMerger(runs[0]!.schema, orders, runs.length, batchSize);
  const given = new Uint8Array(runs.length);
  for (;;) {
    const s = m.next();
    if (s.kind === "done") return;
    if (s.kind === "batch") yield s.batch;
    else {
      m.supply(s.run, given[s.run] === 0 ? runs[s.run]! : null);
      given[s.run] = 1;
    }
  }
}

/** Merges sorted runs, each an async stream of sorted batches, into sorted batches of `batchSize` rows. */
export async function* mergeAsync(
  schema: Schema,
  runs: readonly AsyncIterator<Batch>[],
  orders: readonly KeyOrder[],
  batchSize: number,
): AsyncGenerator<Batch> {
  const m = new KWayMerger(schema, orders, runs.length, batchSize);
  for (;;) {
    const s = m.next();
    if (s.kind === "done") return;
    if (s.kind === "batch") yield s.batch;
    else {
      const r = await runs[s.run]!.next();
      m.supply(s.run, r.done === true ? null : r.value);
    }
  }
}
