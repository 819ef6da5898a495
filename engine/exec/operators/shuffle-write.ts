// ShuffleWriteExec: the root of a map stage. Routes each row of its input to a reduce
// partition (hash of the keys, range bounds, round-robin, or all to one) and returns one Arrow
// IPC block per reduce partition, packed into one SharedArrayBuffer so the driver can hand each
// block to its reduce task without copying it again.
import { batchesFromIPC, batchesToIPC } from "../../columnar/arrow.js";
import type { Batch } from "../../columnar/column.js";
import { takeBatch } from "../../columnar/ops.js";
import { compileExpr } from "../../expr/compile.js";
import type { PhysicalPlan, ShuffleWriteExec } from "../../plan/physical.js";
import { checkCancelled, type ExecContext } from "../context.js";
import { execute } from "../execute.js";
import { hashColumns, partitionIds } from "../hash/keys.js";
import { rangePartitionIds } from "../sort/sort.js";
import { inputKey } from "../task.js";

/** Rows routed to each reduce partition, accumulated as batches. */
export async function runShuffleWrite(
  p: ShuffleWriteExec,
  partition: number,
  ctx: ExecContext,
): Promise<{ blocks: Uint8Array[]; numRows: number }> {
  const part = p.partitioning;
  const n =
    part.kind === "hash" || part.kind === "range" || part.kind === "roundRobin" ? part.numPartitions : 1;
  const buckets: Batch[][] = Array.from({ length: n }, () => []);
  const keyKernels = part.kind === "hash" ? part.keys.map((k) => compileExpr(k, ctx.compile)) : [];
  const orderKernels = part.kind === "range" ? part.orders.map((o) => compileExpr(o.child, ctx.compile)) : [];
  const bounds = part.kind === "range" ? batchesFromIPC(part.bounds).batches[0] : undefined;
  let rr = partition; // round-robin starts at the map index, as Spark does, to spread small maps
  let numRows = 0;
  for await (const b of execute(p.input, partition, ctx)) {
    checkCancelled(ctx);
    numRows += b.numRows;
    if (n === 1) {
      buckets[0]!.push(b);
      continue;
    }
    let ids: Int32Array;
    if (part.kind === "hash") {
      ids = partitionIds(
        hashColumns(
          keyKernels.map((k) => k(b)),
          b.numRows,
        ),
        n,
      );
    } else if (part.kind === "range") {
      const keys = orderKernels.map((k) => k(b));
      const keyBatch: Batch = { schema: bounds!.schema, columns: keys, numRows: b.numRows };
      const orders = part.orders.map((o, index) => ({
        index,
        ascending: o.ascending,
        nullsFirst: o.nullsFirst,
      }));
      ids = rangePartitionIds(keyBatch, bounds!, orders);
    } else {
      ids = new Int32Array(b.numRows);
      for (let i = 0; i < b.numRows; i++) ids[i] = rr++ % n;
    }
    for (const [target, rows] of splitByPartition(ids, n)) buckets[target]!.push(takeBatch(b, rows));
  }
  const encoded = buckets.map((bs) =>
    bs.length === 0 ? new Uint8Array(0) : batchesToIPC(p.input.schema, bs),
  );
  return { blocks: packShared(encoded), numRows };
}

/** Row indices per target partition (counting sort; only non-empty partitions). */
function splitByPartition(ids: Int32Array, n: number): [number, Int32Array][] {
  const counts = new Int32Array(n);
  for (let i = 0; i < ids.length; i++) counts[ids[i]!]!++;
  const lists = Array.from({ length: n }, (_, t) => new Int32Array(counts[t]!));
  const fill = new Int32Array(n);
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i]!;
    lists[t]![fill[t]!++] = i;
  }
  const out: [number, Int32Array][] = [];
  for (let t = 0; t < n; t++) if (counts[t]! > 0) out.push([t, lists[t]!]);
  return out;
}

/** Copies the blocks into one SharedArrayBuffer and returns views of it. */
export function packShared(blocks: Uint8Array[]): Uint8Array[] {
  const total = blocks.reduce((s, b) => s + b.byteLength, 0);
  const shared = new Uint8Array(new SharedArrayBuffer(total));
  let at = 0;
  return blocks.map((b) => {
    shared.set(b, at);
    const view = shared.subarray(at, at + b.byteLength);
    at += b.byteLength;
    return view;
  });
}

/** Decodes the shuffle blocks of a ShuffleReadExec. */
export async function* executeShuffleRead(
  p: Extract<PhysicalPlan, { kind: "ShuffleReadExec" }>,
  partition: number,
  ctx: ExecContext,
): AsyncGenerator<Batch> {
  const blocks = ctx.inputs.get(inputKey(p.shuffleId, p.broadcast ? -1 : partition));
  if (!blocks)
    throw new Error(`shuffle ${p.shuffleId}: the task carries no blocks for partition ${partition}`);
  for (const block of blocks) {
    checkCancelled(ctx);
    if (block.byteLength === 0) continue;
    for (const b of batchesFromIPC(block).batches) if (b.numRows > 0) yield { ...b, schema: p.schema };
  }
}
