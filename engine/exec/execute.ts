// Dispatch from a physical node to its operator. Every node kind must have an entry, so a
// new kind fails to compile until it can run.
import type { Batch } from "../columnar/column.js";
import type { PhysicalKind, PhysicalPlan } from "../plan/physical.js";
import type { ExecContext } from "./context.js";
import {
  executeFilter,
  executeLimit,
  executeLocalScan,
  executeProject,
  executeSample,
  executeUnion,
} from "./operators/basic.js";
import { executeHashAggregate } from "./operators/hash-aggregate.js";
import { executeHashJoin } from "./operators/hash-join.js";
import { executeCoalesce, executeExpand } from "./operators/reshape.js";
import { executeScan } from "./operators/scan.js";
import { executeShuffleRead } from "./operators/shuffle-write.js";
import { executeSort } from "./operators/sort.js";
import { executeWindow } from "./operators/window.js";
import { executeWriteFiles } from "./operators/write-files.js";

type Operator<K extends PhysicalKind> = (
  p: Extract<PhysicalPlan, { kind: K }>,
  partition: number,
  ctx: ExecContext,
) => AsyncGenerator<Batch>;

const OPERATORS: { [K in PhysicalKind]: Operator<K> } = {
  ScanExec: executeScan,
  LocalScanExec: executeLocalScan,
  FilterExec: (p, i, ctx) => executeFilter(p, i, ctx, execute),
  ProjectExec: (p, i, ctx) => executeProject(p, i, ctx, execute),
  LimitExec: (p, i, ctx) => executeLimit(p, i, ctx, execute),
  UnionExec: (p, i, ctx) => executeUnion(p, i, ctx, execute),
  SampleExec: (p, i, ctx) => executeSample(p, i, ctx, execute),
  WriteFilesExec: (p, i, ctx) => executeWriteFiles(p, i, ctx, execute),
  HashAggregateExec: (p, i, ctx) => executeHashAggregate(p, i, ctx, execute),
  ShuffleReadExec: executeShuffleRead,
  // A map stage's root runs through runShuffleWrite (it returns blocks, not batches).
  ShuffleWriteExec: () => {
    throw new Error("a ShuffleWriteExec runs only as the root of a shuffle task");
  },
  SortExec: (p, i, ctx) => executeSort(p, i, ctx, execute),
  HashJoinExec: (p, i, ctx) => executeHashJoin(p, i, ctx, execute),
  WindowExec: (p, i, ctx) => executeWindow(p, i, ctx, execute),
  CoalesceExec: (p, i, ctx) => executeCoalesce(p, i, ctx, execute),
  ExpandExec: (p, i, ctx) => executeExpand(p, i, ctx, execute),
};

/** Streams partition `partition` of `plan`. */
export function execute(plan: PhysicalPlan, partition: number, ctx: ExecContext): AsyncGenerator<Batch> {
  return (OPERATORS[plan.kind] as Operator<PhysicalKind>)(plan, partition, ctx);
}
