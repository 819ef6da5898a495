// CoalesceExec (fewer partitions without a shuffle) and ExpandExec (repeat rows by a count).

import type { Batch } from "../../columnar/column.js";
import { i64Halves, readI64 } from "../../columnar/column.js";
import { takeBatch } from "../../columnar/ops.js";
import type { CoalesceExec, ExpandExec, PhysicalPlan } from "../../plan/physical.js";
import { numPartitions } from "../../plan/physical.js";
import type { ExecContext } from "../context.js";
import { coalescedRange } from "../stage-inputs.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

export async function* executeCoalesce(p: CoalesceExec, partition: number, ctx: ExecContext, run: Run) {
  for (const child of coalescedRange(numPartitions(p.input), p.numPartitions, partition)) {
    for await (const b of run(p.input, child, ctx)) yield { ...b, schema: p.schema };
  }
}

export async function* executeExpand(p: ExpandExec, partition: number, ctx: ExecContext, run: Run) {
  const keep = p.input.schema.fields.map((_, i) => i).filter((i) => i !== p.countIndex);
  for await (const b of run(p.input, partition, ctx)) {
    const c = b.columns[p.countIndex]!;
    const h = i64Halves(c.values as BigInt64Array);
    let total = 0;
    for (let i = 0; i < b.numRows; i++)
      if (c.valid === null || c.valid[i]) total += Math.max(0, readI64(h, i));
    if (total === 0) continue;
    const idx = new Int32Array(total);
    let at = 0;
    for (let i = 0; i < b.numRows; i++) {
      if (c.valid !== null && !c.valid[i]) continue;
      for (let k = readI64(h, i); k > 0; k--) idx[at++] = i;
    }
    const rows = takeBatch(b, idx);
    yield { schema: p.schema, columns: keep.map((i) => rows.columns[i]!), numRows: total };
  }
}
