// HashAggregateExec: groups its input by key and aggregates (see HashAggregator's modes).
// Partial mode flushes its states downstream whenever it passes the memory budget (the final
// step merges them anyway). Final and complete modes spill instead: the drained states are
// split by key hash into bucket files, and each bucket is merged on its own at the end, so an
// aggregation larger than the budget still completes.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchesFromIPC, batchesToIPC } from "../../columnar/arrow.js";
import type { Batch, Column } from "../../columnar/column.js";
import { takeBatch } from "../../columnar/ops.js";
import { compileExpr, exprType } from "../../expr/compile.js";
import type { HashAggregateExec, PhysicalPlan } from "../../plan/physical.js";
import type { DataType, Schema } from "../../types/data-type.js";
import { lookupAggregate } from "../agg/accumulators.js";
import { type AggCall, type AggOutput, HashAggregator } from "../agg/hash-aggregate.js";
import { checkCancelled, type ExecContext } from "../context.js";
import { hashColumns, partitionIds } from "../hash/keys.js";
import { splitAggregateArgs } from "./aggregate-params.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

const SPILL_BUCKETS = 16;

export async function* executeHashAggregate(
  p: HashAggregateExec,
  partition: number,
  ctx: ExecContext,
  run: Run,
) {
  const nKeys = p.keys.length;
  const keyKernels = p.mode === "final" ? [] : p.keys.map((k) => compileExpr(k, ctx.compile));
  const splits = p.aggs.map((a) => splitAggregateArgs(a.fn, a.args));
  const calls: AggCall[] = p.aggs.map((a, i) => {
    const argTypes = splits[i]!.columns.map(exprType);
    const def = lookupAggregate(a.fn);
    def.resolve(argTypes, splits[i]!.params);
    return { def, argTypes, params: splits[i]!.params };
  });
  const argKernels = splits.map((s) =>
    p.mode === "final" ? [] : s.columns.map((c) => compileExpr(c, ctx.compile)),
  );
  const keyTypes =
    p.mode === "final" ? p.input.schema.fields.slice(0, nKeys).map((f) => f.type) : p.keys.map(exprType);
  const newAggregator = (mode: HashAggregateExec["mode"]) => new HashAggregator(keyTypes, calls, mode);
  const agg = newAggregator(p.mode);
  const stateSchema: Schema = partialStateSchema(keyTypes, agg);
  const spill =
    p.mode === "partial" ? null : new BucketSpill(ctx.task.localDir || tmpdir(), stateSchema, nKeys);
  try {
    for await (const b of run(p.input, partition, ctx)) {
      checkCancelled(ctx);
      if (p.mode === "final") {
        agg.addStateBatch(b.columns.slice(0, nKeys), b.columns.slice(nKeys), b.numRows);
      } else {
        agg.addBatch(
          keyKernels.map((k) => k(b)),
          argKernels.map((ks) => ks.map((k) => k(b))),
          b.numRows,
        );
      }
      if (agg.estimatedBytes() > ctx.task.memoryBudget) {
        const drained = agg.drain();
        if (spill) spill.add(toBatch(stateSchema, drained));
        else yield toBatch(p.schema, drained); // partial: the final step merges repeated groups
      }
    }
    if (!spill?.used) {
      yield toBatch(p.schema, agg.finish());
      return;
    }
    // Spilled: put what is left with the rest, then merge each key bucket separately.
    const rest = agg.drain();
    if (rest.numGroups > 0) spill.add(toBatch(stateSchema, rest));
    for (const bucket of spill.buckets()) {
      checkCancelled(ctx);
      const merged = newAggregator("final");
      for (const b of bucket)
        merged.addStateBatch(b.columns.slice(0, nKeys), b.columns.slice(nKeys), b.numRows);
      if (merged.numGroups > 0) yield toBatch(p.schema, merged.finish());
    }
  } finally {
    spill?.close();
  }
}

/** The schema of drained states: the keys, then every call's state columns. */
function partialStateSchema(keyTypes: readonly DataType[], agg: HashAggregator): Schema {
  const keys = keyTypes.map((type, i) => ({ name: `_k${i}`, type, nullable: true }));
  const states = agg.stateTypes().map((type, i) => ({ name: `_s${i}`, type, nullable: true }));
  return { fields: [...keys, ...states] };
}

function toBatch(schema: Schema, out: AggOutput): Batch {
  const columns: Column[] = [...out.keys, ...out.values];
  return { schema, columns, numRows: out.numGroups };
}

/** Drained partial states, split by key hash into bucket files of Arrow IPC streams. */
class BucketSpill {
  private dir: string | null = null;
  used = false;

  constructor(
    private readonly root: string,
    private readonly schema: Schema,
    private readonly nKeys: number,
  ) {}

  add(b: Batch): void {
    if (b.numRows === 0) return;
    if (!this.dir) this.dir = mkdtempSync(join(this.root, "kindling-agg-"));
    this.used = true;
    const ids = partitionIds(hashColumns(b.columns.slice(0, this.nKeys), b.numRows), SPILL_BUCKETS);
    const lists: number[][] = Array.from({ length: SPILL_BUCKETS }, () => []);
    for (let i = 0; i < b.numRows; i++) lists[ids[i]!]!.push(i);
    lists.forEach((rows, k) => {
      if (rows.length === 0) return;
      const part = takeBatch(b, Int32Array.from(rows));
      const ipc = batchesToIPC(this.schema, [part]);
      // Length-prefixed IPC streams, appended.
      const len = Buffer.alloc(4);
      len.writeUInt32LE(ipc.byteLength);
      appendFileSync(join(this.dir!, `bucket-${k}`), Buffer.concat([len, ipc]));
    });
  }

  *buckets(): Generator<Batch[]> {
    if (!this.dir) return;
    for (let k = 0; k < SPILL_BUCKETS; k++) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(this.dir, `bucket-${k}`));
      } catch {
        continue;
      }
      const out: Batch[] = [];
      for (let at = 0; at < bytes.length; ) {
        const len = bytes.readUInt32LE(at);
        out.push(...batchesFromIPC(bytes.subarray(at + 4, at + 4 + len)).batches);
        at += 4 + len;
      }
      yield out;
    }
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
