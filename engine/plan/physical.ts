// The physical plan: what tasks execute. Plain data, encoded to protobuf (plan/codec.ts) as
// the fragment a task carries to a thread or a remote worker. Each node knows how many
// partitions it produces; partition i of a stage is one task.
import type { Expr } from "../expr/expr.js";
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
  | WriteFilesExec;

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

/** The inputs of a node, in order. */
export function physicalChildren(p: PhysicalPlan): readonly PhysicalPlan[] {
  switch (p.kind) {
    case "ScanExec":
    case "LocalScanExec":
      return [];
    case "UnionExec":
      return p.inputs;
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
    default:
      return numPartitions(p.input);
  }
}
