// HashJoinExec: builds a hash table over the build side's partition (or the whole broadcast
// side), then streams the other side through it. The build side must fit the task's memory
// budget; the error says which join and what to change when it does not.
import type { Batch, Column } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import { KindlingError } from "../../errors.js";
import { compileExpr, compilePredicate, exprType } from "../../expr/compile.js";
import { exprName } from "../../expr/expr.js";
import type { HashJoinExec, PhysicalPlan } from "../../plan/physical.js";
import { isBroadcast } from "../../plan/physical.js";
import { checkCancelled, type ExecContext } from "../context.js";
import { assembleBuildRowsOutput, assembleJoinOutput } from "../join/assemble.js";
import { JoinHashTable } from "../join/join-hash-table.js";
import { JoinProbe, type JoinResidual } from "../join/join-probe.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

/** A join whose build side does not fit in memory. */
export class JoinMemoryError extends KindlingError {
  override readonly kind = "JoinMemoryError";
  override readonly name = "JoinMemoryError";
}

export async function* executeHashJoin(p: HashJoinExec, partition: number, ctx: ExecContext, run: Run) {
  const buildLeft = p.buildSide === "left";
  const buildPlan = buildLeft ? p.left : p.right;
  const probePlan = buildLeft ? p.right : p.left;
  const buildKeys = buildLeft ? p.leftKeys : p.rightKeys;
  const probeKeys = buildLeft ? p.rightKeys : p.leftKeys;
  const buildKernels = buildKeys.map((k) => compileExpr(k, ctx.compile));
  const probeKernels = probeKeys.map((k) => compileExpr(k, ctx.compile));

  const table = new JoinHashTable(buildKeys.map(exprType), buildPlan.schema);
  for await (const b of run(buildPlan, isBroadcast(buildPlan) ? 0 : partition, ctx)) {
    checkCancelled(ctx);
    table.add(
      buildKernels.map((k) => k(b)),
      b,
    );
    if (table.estimatedBytes() > ctx.task.memoryBudget) {
      throw new JoinMemoryError(
        `the ${p.joinType} join on [${buildKeys.map(exprName).join(", ")}] holds more than ` +
          `${formatBytes(ctx.task.memoryBudget)} of its ${p.buildSide} side in one task: ` +
          "raise kindling.sql.shuffle.partitions (or kindling.executor.memoryBudget), or filter that side first",
      );
    }
  }
  table.finish();
  const probeIsLeft = !buildLeft;
  const residual = p.condition ? residualOf(p, table, probeIsLeft, ctx) : undefined;
  const probe = new JoinProbe(table, p.joinType, p.buildSide, residual);
  for await (const b of run(probePlan, isBroadcast(probePlan) ? 0 : partition, ctx)) {
    checkCancelled(ctx);
    const keys = probeKernels.map((k) => k(b));
    for (const pairs of probe.probeChunks(keys, b.numRows, ctx.task.batchSize, b)) {
      if (pairs.n > 0) yield assembleJoinOutput(b, table.rows, pairs, probeIsLeft, p.schema);
    }
  }
  if (probe.finalBuildOutput !== "none") {
    const rows = probe.buildRowsToEmit();
    if (rows.length > 0) {
      yield assembleBuildRowsOutput(table.rows, rows, probeIsLeft, p.schema, probe.emit === "pairs");
    }
  }
}

/** The residual condition over candidate pairs: evaluated on the pairs laid out as left ++ right. */
function residualOf(
  p: HashJoinExec,
  table: JoinHashTable,
  probeIsLeft: boolean,
  ctx: ExecContext,
): JoinResidual {
  const pred = compilePredicate(p.condition!, ctx.compile);
  const both = { fields: [...p.left.schema.fields, ...p.right.schema.fields] };
  return (probeIdx, buildIdx, n, probeBatch) => {
    const probeCols: Column[] = probeBatch!.columns.map((c) => takeColumn(c, probeIdx, n));
    const buildCols: Column[] = table.rows.columns.map((c) => takeColumn(c, buildIdx, n));
    const mask = pred({
      schema: both,
      columns: probeIsLeft ? [...probeCols, ...buildCols] : [...buildCols, ...probeCols],
      numRows: n,
    });
    return mask ?? new Uint8Array(n).fill(1);
  };
}

/** 512 MiB, 64 KiB, 900 B. */
function formatBytes(n: number): string {
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} B`;
}
