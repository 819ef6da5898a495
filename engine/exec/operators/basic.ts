// The row-wise operators: filter, project, limit, sample, union and in-memory scan.

import { batchesFromIPC } from "../../columnar/arrow.js";
import type { Batch } from "../../columnar/column.js";
import { concatBatches, filterBatch, sliceBatch, takeBatch } from "../../columnar/ops.js";
import { compileExpr, compilePredicate } from "../../expr/compile.js";
import type {
  FilterExec,
  LimitExec,
  LocalScanExec,
  PhysicalPlan,
  ProjectExec,
  SampleExec,
  UnionExec,
} from "../../plan/physical.js";
import { numPartitions } from "../../plan/physical.js";
import { checkCancelled, type ExecContext } from "../context.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

export async function* executeFilter(p: FilterExec, partition: number, ctx: ExecContext, run: Run) {
  const pred = compilePredicate(p.condition, ctx.compile);
  for await (const b of run(p.input, partition, ctx)) {
    const mask = pred(b);
    const out = mask === null ? b : filterBatch(b, mask);
    if (out.numRows > 0) yield { ...out, schema: p.schema };
  }
}

export async function* executeProject(p: ProjectExec, partition: number, ctx: ExecContext, run: Run) {
  const kernels = p.exprs.map((e) => compileExpr(e, ctx.compile));
  for await (const b of run(p.input, partition, ctx)) {
    yield { schema: p.schema, columns: kernels.map((k) => k(b)), numRows: b.numRows };
  }
}

export async function* executeLimit(p: LimitExec, partition: number, ctx: ExecContext, run: Run) {
  let left = p.n;
  if (left === 0) return;
  for await (const b of run(p.input, partition, ctx)) {
    if (b.numRows >= left) {
      yield left === b.numRows ? b : sliceBatch(b, 0, left);
      return; // stops the upstream generators, which close their files
    }
    left -= b.numRows;
    yield b;
  }
}

export async function* executeUnion(p: UnionExec, partition: number, ctx: ExecContext, run: Run) {
  let i = partition;
  for (const child of p.inputs) {
    const n = numPartitions(child);
    if (i < n) {
      for await (const b of run(child, i, ctx)) yield { ...b, schema: p.schema };
      return;
    }
    i -= n;
  }
}

export async function* executeLocalScan(p: LocalScanExec, partition: number, ctx: ExecContext) {
  const { batches } = batchesFromIPC(p.ipc);
  const all = concatBatches(p.schema, batches);
  const per = Math.ceil(all.numRows / p.numPartitions);
  const start = Math.min(all.numRows, partition * per);
  const end = Math.min(all.numRows, start + per);
  for (let s = start; s < end; s += ctx.task.batchSize) {
    yield sliceBatch(all, s, Math.min(end, s + ctx.task.batchSize));
  }
}

/**
 * Bernoulli sampling (Poisson with replacement), seeded by (seed, partition) so a sample is
 * reproducible for a given input partitioning.
 */
export async function* executeSample(p: SampleExec, partition: number, ctx: ExecContext, run: Run) {
  const rand = mulberry32((p.seed ^ Math.imul(partition + 1, 0x9e3779b1)) >>> 0);
  for await (const b of run(p.input, partition, ctx)) {
    checkCancelled(ctx);
    const mask = new Uint8Array(b.numRows);
    if (!p.withReplacement) {
      for (let i = 0; i < b.numRows; i++) mask[i] = rand() < p.fraction ? 1 : 0;
      const out = filterBatch(b, mask);
      if (out.numRows) yield out;
    } else {
      // Poisson(fraction) copies of each row, by inversion.
      const idx: number[] = [];
      const l = Math.exp(-p.fraction);
      for (let i = 0; i < b.numRows; i++) {
        let k = 0;
        let prod = rand();
        while (prod > l) {
          k++;
          prod *= rand();
        }
        for (let j = 0; j < k; j++) idx.push(i);
      }
      if (idx.length) yield takeBatch(b, Int32Array.from(idx));
    }
  }
}

/** A small, fast, seedable PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
