// Physical planning: turns an optimized logical plan into the physical plan that tasks run.
// Scans are cut into splits here (Parquet row groups pruned by statistics, files pruned by
// Hive partition values). A limit that is not at the root, and a cached subtree, are
// materialized by a sub-job first (until shuffles exist, the driver is the exchange).
import { columnFromValues } from "../columnar/builders.js";
import type { Batch } from "../columnar/column.js";
import { nullColumn } from "../columnar/column.js";
import { compilePredicate } from "../expr/compile.js";
import type { Expr } from "../expr/expr.js";
import type { CompileContext } from "../expr/registry.js";
import { formatReader } from "../io/formats.js";
import type { FileSource } from "../io/source.js";
import type { Schema } from "../types/data-type.js";
import type { LogicalPlan, Scan } from "./logical.js";
import { referencedIndices, remapRefs } from "./optimizer/exprs.js";
import { numPartitions, type Partitioning, type PhysicalPlan, type ShuffleReadExec } from "./physical.js";
import { planAggregate, planJoin, planSort, planWindowInput } from "./plan-exchanges.js";

export interface PlannerEnv {
  readonly ctx: CompileContext;
  /** Largest split in bytes. */
  readonly targetBytes: number;
  /** Rows per partition for in-memory relations. */
  readonly localRowsPerPartition: number;
  /** Partitions of a shuffle (`kindling.sql.shuffle.partitions`). */
  readonly shufflePartitions: number;
  /** A join side estimated below this many bytes is broadcast (`kindling.sql.autoBroadcastJoinThreshold`). */
  readonly broadcastThreshold: number;
  /**
   * In-memory rows over ~1 MiB as blocks in the block store, once per `key` (DESIGN: no data
   * rides inside a fragment); partition i reads block i.
   */
  localBlocks(key: string, ipc: Uint8Array, numRows: number, schema: Schema): ShuffleReadExec;
  /** A cached subtree: computed once (its partitions kept as blocks), then read back. */
  cached(cacheId: string, child: PhysicalPlan): Promise<ShuffleReadExec>;
  /** Runs `child` as a map stage now (its parents have run) and returns the reader of its output. */
  exchange(child: PhysicalPlan, partitioning: Partitioning): Promise<ShuffleReadExec>;
  /** Runs a plan and returns its rows (sampling for range bounds). */
  collect(plan: PhysicalPlan): Promise<Batch[]>;
}

/** In-memory relations up to this size travel inside the plan fragment. */
const INLINE_BYTES = 1 << 20;

export interface PlannedQuery {
  readonly plan: PhysicalPlan;
  /** A global limit the driver applies to the concatenated partitions (null: none). */
  readonly finalLimit: number | null;
}

/**
 * Plans `plan`, running map stages as exchanges are needed (a stage runs once its parents have
 * finished). When `rootLimitAllowed`, limits reachable from the root through projections and
 * limits run per partition and are finished by the driver (`finalLimit`).
 */
export async function planQuery(
  plan: LogicalPlan,
  env: PlannerEnv,
  rootLimitAllowed: boolean,
): Promise<PlannedQuery> {
  let finalLimit: number | null = null;
  const visit = async (p: LogicalPlan, atRoot: boolean): Promise<PhysicalPlan> => {
    switch (p.kind) {
      case "Scan":
        return planScan(p, env);
      case "LocalRelation":
        if (p.ipc.byteLength > INLINE_BYTES)
          return env.localBlocks(`relation-${p.id}`, p.ipc, p.numRows, p.schema);
        return local(p.ipc, p.numRows, p.schema, env);
      case "Project":
        return { kind: "ProjectExec", input: await visit(p.input, atRoot), exprs: p.exprs, schema: p.schema };
      case "Filter":
        return {
          kind: "FilterExec",
          input: await visit(p.input, false),
          condition: p.condition,
          schema: p.schema,
        };
      case "Limit": {
        if (p.input.kind === "Sort") {
          // Top-k: the k first rows of each partition, then of their union on one partition.
          const child = await visit(p.input.input, false);
          const orders = p.input.orders;
          const perPartition: PhysicalPlan = {
            kind: "SortExec",
            input: child,
            orders,
            limit: p.n,
            schema: p.schema,
          };
          if (numPartitions(child) === 1) return perPartition;
          const merged = await env.exchange(perPartition, { kind: "single" });
          return { kind: "SortExec", input: merged, orders, limit: p.n, schema: p.schema };
        }
        const child = await visit(p.input, atRoot);
        const local: PhysicalPlan = { kind: "LimitExec", input: child, n: p.n, schema: p.schema };
        if (atRoot) {
          finalLimit = finalLimit === null ? p.n : Math.min(finalLimit, p.n);
          return local;
        }
        if (numPartitions(child) === 1) return local;
        // A global limit below the root: per-partition limits, gathered on one partition.
        const gathered = await env.exchange(local, { kind: "single" });
        return { kind: "LimitExec", input: gathered, n: p.n, schema: p.schema };
      }
      case "Union":
        return {
          kind: "UnionExec",
          inputs: await Promise.all(p.inputs.map((i) => visit(i, false))),
          schema: p.schema,
        };
      case "Sample":
        return {
          kind: "SampleExec",
          input: await visit(p.input, false),
          fraction: p.fraction,
          withReplacement: p.withReplacement,
          seed: p.seed,
          schema: p.schema,
        };
      case "Cache":
        return env.cached(p.cacheId, await visit(p.input, false));
      case "Hint":
        return visit(p.input, atRoot);
      case "Aggregate":
        return planAggregate(p, await visit(p.input, false), env);
      case "Join":
        return planJoin(p, visit, env);
      case "Sort":
        return planSort(p, await visit(p.input, false), env);
      case "Window": {
        const partitioned = await planWindowInput(p, (q) => visit(q, false), env);
        return {
          kind: "WindowExec",
          input: partitioned,
          partitionBy: p.partitionBy,
          orderBy: p.orderBy,
          calls: p.calls.map((c) => ({ fn: c.fn, args: c.args, frame: c.frame })),
          schema: p.schema,
        };
      }
      case "Repartition": {
        const child = await visit(p.input, false);
        if (!p.shuffle) {
          const n = Math.min(p.numPartitions, numPartitions(child));
          return { kind: "CoalesceExec", input: child, numPartitions: n, schema: p.schema };
        }
        return env.exchange(
          child,
          p.keys.length
            ? { kind: "hash", keys: p.keys, numPartitions: p.numPartitions }
            : { kind: "roundRobin", numPartitions: p.numPartitions },
        );
      }
      case "Expand":
        return {
          kind: "ExpandExec",
          input: await visit(p.input, false),
          countIndex: p.countIndex,
          schema: p.schema,
        };
    }
  };
  const physical = await visit(plan, rootLimitAllowed);
  return { plan: physical, finalLimit };
}

function local(
  ipc: Uint8Array,
  numRows: number,
  schema: LogicalPlan["schema"],
  env: PlannerEnv,
): PhysicalPlan {
  const numPartitions = Math.max(1, Math.ceil(numRows / env.localRowsPerPartition));
  return { kind: "LocalScanExec", ipc, numPartitions, schema };
}

/** Prunes files by partition-only predicates, then asks the format for (statistics-pruned) splits. */
async function planScan(p: Scan, env: PlannerEnv): Promise<PhysicalPlan> {
  const { source } = p;
  const nData = source.dataSchema.fields.length;
  const columns = p.columns ?? p.schema.fields.map((_, i) => i);
  const isPartitionCol = (outIdx: number) => columns[outIdx]! >= nData;
  const partitionFilters: Expr[] = [];
  const dataFilters: Expr[] = [];
  for (const f of p.filters) {
    const refs = [...referencedIndices(f)];
    if (refs.length > 0 && refs.every(isPartitionCol)) partitionFilters.push(f);
    else if (refs.every((r) => !isPartitionCol(r))) {
      dataFilters.push(remapRefs(f, new Map(refs.map((r) => [r, columns[r]!]))));
    }
  }
  const files = partitionFilters.length ? pruneFiles(p, columns, partitionFilters, env.ctx) : source.files;
  const pruned: FileSource = files === source.files ? source : { ...source, files };
  const splits = files.length
    ? await formatReader(source.format).planSplits(pruned, dataFilters, env.targetBytes)
    : [];
  return { kind: "ScanExec", source: pruned, splits, columns, filters: p.filters, schema: p.schema };
}

/** Evaluates partition-only predicates over one row per file and keeps the files that pass. */
function pruneFiles(p: Scan, columns: readonly number[], filters: readonly Expr[], ctx: CompileContext) {
  const { source } = p;
  const nData = source.dataSchema.fields.length;
  const n = source.files.length;
  const cols = columns.map((c, i) =>
    c >= nData
      ? columnFromValues(
          p.schema.fields[i]!.type,
          source.files.map((f) => f.partitionValues[c - nData] ?? null),
        )
      : nullColumn(p.schema.fields[i]!.type, n),
  );
  const batch = { schema: p.schema, columns: cols, numRows: n };
  let keep: Uint8Array | null = null;
  for (const f of filters) {
    const mask = compilePredicate(f, ctx)(batch);
    if (mask === null) continue;
    if (keep === null) keep = mask.slice();
    else for (let i = 0; i < n; i++) keep[i]! &= mask[i]!;
  }
  return keep === null ? source.files : source.files.filter((_, i) => keep![i] === 1);
}
