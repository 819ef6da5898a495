// Which shuffle blocks a task of a stage reads: walks the stage's plan from the task's
// partition down to its ShuffleReadExec leaves, following how unions, coalesces and joins map
// partitions, and gathers the blocks (local mode) or their locations (cluster mode) from the
// block store.
import type { PhysicalPlan } from "../plan/physical.js";
import { isBroadcast, numPartitions } from "../plan/physical.js";
import type { BlockStore } from "./block-store.js";
import type { TaskInputs } from "./scheduler.js";
import type { TaskInput } from "./task.js";

/** The (shuffle, reduce partition) pairs partition `p` of `plan` reads; partition -1 = broadcast. */
export function readsOf(plan: PhysicalPlan, p: number, out: [number, number][] = []): [number, number][] {
  switch (plan.kind) {
    case "ShuffleReadExec":
      out.push([plan.shuffleId, plan.broadcast ? -1 : p]);
      return out;
    case "ScanExec":
    case "LocalScanExec":
      return out;
    case "UnionExec": {
      let i = p;
      for (const c of plan.inputs) {
        const n = numPartitions(c);
        if (i < n) return readsOf(c, i, out);
        i -= n;
      }
      return out;
    }
    case "CoalesceExec": {
      for (const c of coalescedRange(numPartitions(plan.input), plan.numPartitions, p))
        readsOf(plan.input, c, out);
      return out;
    }
    case "HashJoinExec":
      readsOf(plan.left, isBroadcast(plan.left) ? 0 : p, out);
      readsOf(plan.right, isBroadcast(plan.right) ? 0 : p, out);
      return out;
    default:
      return readsOf(plan.input, p, out);
  }
}

/** The input partitions coalesced partition `p` of `n` reads out of `inputs`: a contiguous run. */
export function coalescedRange(inputs: number, n: number, p: number): number[] {
  const start = Math.floor((p * inputs) / n);
  const end = Math.floor(((p + 1) * inputs) / n);
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(i);
  return out;
}

/** The shuffles a stage's plan reads (every partition reads the same set). */
export function shufflesRead(plan: PhysicalPlan, out: Set<number> = new Set()): Set<number> {
  switch (plan.kind) {
    case "ShuffleReadExec":
      out.add(plan.shuffleId);
      return out;
    case "ScanExec":
    case "LocalScanExec":
      return out;
    case "UnionExec":
      for (const c of plan.inputs) shufflesRead(c, out);
      return out;
    case "HashJoinExec":
      shufflesRead(plan.left, out);
      return shufflesRead(plan.right, out);
    default:
      return shufflesRead(plan.input, out);
  }
}

/**
 * The blocks partition `p` of a stage reads. Throws MapOutputMissing (block-store.ts) when a
 * map output it needs was lost.
 */
export function stageInputs(plan: PhysicalPlan, p: number, store: BlockStore): TaskInputs {
  const inputs: TaskInput[] = [];
  const blocks: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const [shuffleId, partition] of readsOf(plan, p)) {
    const key = `${shuffleId}:${partition}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const got = store.inputsOf(shuffleId, partition);
    if (got.locations) {
      inputs.push({ shuffleId, partition, blocks: got.locations.length, locations: got.locations });
    } else {
      inputs.push({ shuffleId, partition, blocks: got.blocks.length });
    }
    for (const b of got.blocks) blocks.push(b);
  }
  return { inputs, blocks };
}
