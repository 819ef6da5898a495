// SortExec: sorts one partition by its order expressions (after a range exchange, partitions
// in order are globally sorted). With a limit it keeps only the top k rows, pruning as it goes,
// so `orderBy(...).limit(k)` never holds more than a few batches.
import type { Batch } from "../../columnar/column.js";
import { concatBatches, sliceBatch } from "../../columnar/ops.js";
import { compileExpr, exprType } from "../../expr/compile.js";
import type { PhysicalPlan, SortExec } from "../../plan/physical.js";
import type { Schema } from "../../types/data-type.js";
import type { KeyOrder } from "../sort/compare.js";
import { sortBatch } from "../sort/sort.js";
import { type ExecContext, checkCancelled } from "../context.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

export async function* executeSort(p: SortExec, partition: number, ctx: ExecContext, run: Run) {
  const width = p.input.schema.fields.length;
  const keyKernels = p.orders.map((o) => compileExpr(o.child, ctx.compile));
  // Rows carry their evaluated keys as extra trailing columns while they are sorted.
  const keyed: Schema = {
    fields: [
      ...p.input.schema.fields,
      ...p.orders.map((o, i) => ({ name: `_k${i}`, type: exprType(o.child), nullable: true })),
    ],
  };
  const orders: KeyOrder[] = p.orders.map((o, i) => ({ index: width + i, ascending: o.ascending, nullsFirst: o.nullsFirst }));
  const limit = p.limit;
  const pruneAt = limit === null ? Number.POSITIVE_INFINITY : Math.max(4 * limit, 65536);
  let held: Batch[] = [];
  let heldRows = 0;
  const compact = (): Batch => {
    let all = sortBatch(concatBatches(keyed, held), orders);
    if (limit !== null && all.numRows > limit) all = sliceBatch(all, 0, limit);
    held = [all];
    heldRows = all.numRows;
    return all;
  };
  for await (const b of run(p.input, partition, ctx)) {
    checkCancelled(ctx);
    held.push({ schema: keyed, columns: [...b.columns, ...keyKernels.map((k) => k(b))], numRows: b.numRows });
    heldRows += b.numRows;
    if (heldRows > pruneAt) compact();
  }
  if (heldRows === 0) return;
  const sorted = compact();
  const out = (b: Batch): Batch => ({ schema: p.schema, columns: b.columns.slice(0, width), numRows: b.numRows });
  for (let s = 0; s < sorted.numRows; s += ctx.task.batchSize) {
    yield out(sliceBatch(sorted, s, Math.min(sorted.numRows, s + ctx.task.batchSize)));
  }
}
