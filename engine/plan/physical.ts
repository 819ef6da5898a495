// The physical plan: what tasks execute. Plain data, encoded to protobuf (plan/codec.ts) as
// the fragment a task carries to a thread or a remote worker. Each node knows how many
// partitions it produces; partition i of a stage is one task.
import type { Expr, SortOrderExpr } from "../expr/expr.js";
import type { FileSource, Split } from "../io/source.js";
import type { Schema } from "../types/data-type.js";

export type PhysicalPlan =
  | ScanExec
  | LocalScanExec
  | FilterExec
  | ProjectExec
  | LimitExec
  | UnionExec
  | SampleExec
  | WriteFilesExec
  | HashAggregateExec
  | ShuffleWriteExec
  | ShuffleReadExec
  | SortExec
  | HashJoinExec
  | WindowExec
  | CoalesceExec
  | ExpandExec;

export type PhysicalKind = PhysicalPlan["kind"];

/** Reads one split per partition; appends Hive partition columns; applies `filters` row by row. */
export interface ScanExec {
  readonly kind: "ScanExec";
  readonly source: FileSource;
  readonly splits: readonly Split[];
  /** Indices into dataSchema ++ partitionSchema, in output order. */
  readonly columns: readonly number[];
  /** Predicates over the output columns (Refs index into `schema`). */
  readonly filters: readonly Expr[];
  readonly schema: Schema;
}

/** In-memory data (Arrow IPC stream); partition i gets the i-th of `numPartitions` contiguous row ranges. */
export interface LocalScanExec {
  readonly kind: "LocalScanExec";
  readonly ipc: Uint8Array;
  readonly numPartitions: number;
  readonly schema: Schema;
}

export interface FilterExec {
  readonly kind: "FilterExec";
  readonly input: PhysicalPlan;
  readonly condition: Expr;
  readonly schema: Schema;
}

export interface ProjectExec {
  readonly kind: "ProjectExec";
  readonly input: PhysicalPlan;
  /** Resolved expressions over the input; output column i is named by schema.fields[i]. */
  readonly exprs: readonly Expr[];
  readonly schema: Schema;
}

/** Keeps the first `n` rows of each partition (the driver applies the global limit). */
export interface LimitExec {
  readonly kind: "LimitExec";
  readonly input: PhysicalPlan;
  readonly n: number;
  readonly schema: Schema;
}

/** Concatenates its children's partitions: partitions of child 0, then of child 1, ... */
export interface UnionExec {
  readonly kind: "UnionExec";
  readonly inputs: readonly PhysicalPlan[];
  readonly schema: Schema;
}

export interface SampleExec {
  readonly kind: "SampleExec";
  readonly input: PhysicalPlan;
  readonly fraction: number;
  readonly withReplacement: boolean;
  readonly seed: number;
  readonly schema: Schema;
}

/**
 * Writes its input as files of one task attempt under `attemptRoot` (the committer's
 * `_temporary/<job>/` directory); the task reports the files it wrote.
 */
export interface WriteFilesExec {
  readonly kind: "WriteFilesExec";
  readonly input: PhysicalPlan;
  readonly format: "parquet" | "csv";
  /** `<output>/_temporary/<jobId>`: a task writes under `<jobRoot>/<attemptId>/`. */
  readonly jobRoot: string;
  /** Indices of the partition-by columns in the input schema (they are not written into files). */
  readonly partitionBy: readonly number[];
  /** Writer options (compression, header, ...), keys lower-cased. */
  readonly options: Readonly<Record<string, string>>;
  readonly schema: Schema;
}

/** An aggregate function call: `fn` names an entry of engine/exec/agg's registry. */
export interface AggregateCall {
  readonly fn: string;
  /** Argument expressions over the operator's input (partial or complete mode). */
  readonly args: readonly Expr[];
}

/**
 * Hash aggregation. `partial` computes per-group states from raw rows (output: keys ++ state
 * columns); `final` merges states read from a shuffle (input: keys ++ states, output: keys ++
 * values); `complete` does both in one step.
 */
export interface HashAggregateExec {
  readonly kind: "HashAggregateExec";
  readonly input: PhysicalPlan;
  readonly mode: "partial" | "final" | "complete";
  /** Grouping expressions over the input (in final mode: Refs to the leading key columns). */
  readonly keys: readonly Expr[];
  readonly aggs: readonly AggregateCall[];
  readonly schema: Schema;
}

/** How a shuffle distributes rows over reduce partitions. */
export type Partitioning =
  | { readonly kind: "hash"; readonly keys: readonly Expr[]; readonly numPartitions: number }
  | {
      readonly kind: "range";
      readonly orders: readonly SortOrderExpr[];
      /** Arrow IPC of the `numPartitions - 1` boundary rows (the order keys' values). */
      readonly bounds: Uint8Array;
      readonly numPartitions: number;
    }
  | { readonly kind: "single" }
  | { readonly kind: "roundRobin"; readonly numPartitions: number }
  /** Every reduce task reads every map output (the small side of a broadcast join). */
  | { readonly kind: "broadcast" };

/** The root of a map stage: partitions its input and returns one IPC block per reduce partition. */
export interface ShuffleWriteExec {
  readonly kind: "ShuffleWriteExec";
  readonly input: PhysicalPlan;
  readonly shuffleId: number;
  readonly partitioning: Partitioning;
  readonly schema: Schema;
}

/**
 * Reads the blocks of a finished shuffle: for reduce partition i, block i of every map task in
 * map-index order (broadcast: every block). The blocks arrive with the task, beside its plan.
 */
export interface ShuffleReadExec {
  readonly kind: "ShuffleReadExec";
  readonly shuffleId: number;
  readonly numPartitions: number;
  readonly broadcast: boolean;
  readonly schema: Schema;
}

/** Sorts each partition (globally sorted after a range shuffle); with `limit`, keeps the top k. */
export interface SortExec {
  readonly kind: "SortExec";
  readonly input: PhysicalPlan;
  readonly orders: readonly SortOrderExpr[];
  readonly limit: number | null;
  readonly schema: Schema;
}

export type JoinType = "inner" | "left" | "right" | "full" | "left_semi" | "left_anti" | "cross";

/**
 * Hash join of co-partitioned inputs (or with a broadcast build side). Output columns are
 * left ++ right (semi/anti: left only); `condition` is over that combined row.
 */
export interface HashJoinExec {
  readonly kind: "HashJoinExec";
  readonly left: PhysicalPlan;
  readonly right: PhysicalPlan;
  readonly joinType: JoinType;
  readonly leftKeys: readonly Expr[];
  readonly rightKeys: readonly Expr[];
  readonly condition: Expr | null;
  readonly buildSide: "left" | "right";
  readonly schema: Schema;
}

/** A window frame: offsets relative to the current row (rows) or order value (range); null = unbounded. */
export interface WindowFrame {
  readonly type: "rows" | "range";
  readonly start: number | null;
  readonly end: number | null;
}

export interface WindowCall {
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly frame: WindowFrame;
}

/** Window functions over hash-partitioned input; output = input ++ one column per call. */
export interface WindowExec {
  readonly kind: "WindowExec";
  readonly input: PhysicalPlan;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortOrderExpr[];
  readonly calls: readonly WindowCall[];
  readonly schema: Schema;
}

/** Fewer partitions without a shuffle: partition i reads a contiguous run of input partitions. */
export interface CoalesceExec {
  readonly kind: "CoalesceExec";
  readonly input: PhysicalPlan;
  readonly numPartitions: number;
  readonly schema: Schema;
}

/**
 * Repeats each row `count` times, where `count` is the (int64) column at `countIndex`, which
 * is dropped from the output (exceptAll / intersectAll).
 */
export interface ExpandExec {
  readonly kind: "ExpandExec";
  readonly input: PhysicalPlan;
  readonly countIndex: number;
  readonly schema: Schema;
}

/** The inputs of a node, in order. */
export function physicalChildren(p: PhysicalPlan): readonly PhysicalPlan[] {
  switch (p.kind) {
    case "ScanExec":
    case "LocalScanExec":
    case "ShuffleReadExec":
      return [];
    case "UnionExec":
      return p.inputs;
    case "HashJoinExec":
      return [p.left, p.right];
    default:
      return [p.input];
  }
}

/** The number of partitions (tasks) a node produces. */
export function numPartitions(p: PhysicalPlan): number {
  switch (p.kind) {
    case "ScanExec":
      return Math.max(1, p.splits.length);
    case "LocalScanExec":
      return p.numPartitions;
    case "UnionExec":
      return p.inputs.reduce((n, c) => n + numPartitions(c), 0);
    case "ShuffleReadExec":
      return p.numPartitions;
    case "CoalesceExec":
      return p.numPartitions;
    case "HashJoinExec":
      // A broadcast side is read whole by every task; the other side sets the partitioning.
      return isBroadcast(p.left) ? numPartitions(p.right) : numPartitions(p.left);
    default:
      return numPartitions(p.input);
  }
}

/** True when a subtree is a broadcast read (possibly under row-wise operators). */
export function isBroadcast(p: PhysicalPlan): boolean {
  if (p.kind === "ShuffleReadExec") return p.broadcast;
  if (p.kind === "ProjectExec" || p.kind === "FilterExec") return isBroadcast(p.input);
  return false;
}
