// SortExec: sorts one partition by its order expressions (after a range exchange, partitions
// in order are globally sorted). Without a limit it sorts within the task's memory budget and
// spills sorted runs to disk beyond it (then merges them); with a limit it keeps only the top k.
import { tmpdir } from "node:os";
import type { Batch } from "../../columnar/column.js";
import { sliceBatch } from "../../columnar/ops.js";
import { compileExpr, exprType } from "../../expr/compile.js";
import type { PhysicalPlan, SortExec } from "../../plan/physical.js";
import type { Schema } from "../../types/data-type.js";
import { checkCancelled, type ExecContext } from "../context.js";
import type { KeyOrder } from "../sort/compare.js";
import { ExternalSorter } from "../sort/external-sorter.js";
import { TopK } from "../sort/top-k.js";

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
  const orders: KeyOrder[] = p.orders.map((o, i) => ({
    index: width + i,
    ascending: o.ascending,
    nullsFirst: o.nullsFirst,
  }));
  const withKeys = (b: Batch): Batch => ({
    schema: keyed,
    columns: [...b.columns, ...keyKernels.map((k) => k(b))],
    numRows: b.numRows,
  });
  const out = (b: Batch): Batch => ({
    schema: p.schema,
    columns: b.columns.slice(0, width),
    numRows: b.numRows,
  });

  if (p.limit !== null) {
    const top = new TopK(keyed, orders, p.limit);
    for await (const b of run(p.input, partition, ctx)) {
      checkCancelled(ctx);
      top.add(withKeys(b));
    }
    const result = top.result();
    for (let s = 0; s < result.numRows; s += ctx.task.batchSize) {
      yield out(sliceBatch(result, s, Math.min(result.numRows, s + ctx.task.batchSize)));
    }
    return;
  }
  const sorter = new ExternalSorter(keyed, orders, ctx.task.memoryBudget, ctx.task.localDir || tmpdir(), {
    batchSize: ctx.task.batchSize,
  });
  try {
    for await (const b of run(p.input, partition, ctx)) {
      checkCancelled(ctx);
      await sorter.add(withKeys(b));
    }
    for await (const b of sorter.finish()) yield out(b);
  } finally {
    await sorter.close();
  }
}
