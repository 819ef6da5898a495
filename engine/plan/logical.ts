// The logical plan: an immutable tree of plain-data nodes built by the DataFrame API (and
// later by SQL). Every node carries its output schema, computed when it is created, because
// analysis is eager: the DataFrame method that builds a node has already checked it.
import type { Expr, SortOrderExpr } from "../expr/expr.js";
import type { FileSource } from "../io/source.js";
import type { DataType, Schema } from "../types/data-type.js";
import type { JoinType, WindowFrame } from "./physical.js";

export type LogicalPlan =
  | Scan
  | LocalRelation
  | Project
  | Filter
  | Limit
  | Union
  | Sample
  | Cache
  | Aggregate
  | Join
  | Sort
  | Window
  | Repartition
  | Hint
  | Expand;

export type PlanKind = LogicalPlan["kind"];

/** Reads files. `columns` (indices into dataSchema ++ partitionSchema) is set by projection pruning. */
export interface Scan {
  readonly kind: "Scan";
  readonly id: number;
  readonly source: FileSource;
  /** Indices of the produced columns in `dataSchema.fields ++ partitionSchema.fields`; null = all. */
  readonly columns: readonly number[] | null;
  /** Predicates pushed into the scan, over the scan's full schema (data ++ partition). */
  readonly filters: readonly Expr[];
  readonly schema: Schema;
}

/** In-memory rows (createDataFrame), as Arrow IPC stream bytes. */
export interface LocalRelation {
  readonly kind: "LocalRelation";
  readonly id: number;
  readonly ipc: Uint8Array;
  readonly numRows: number;
  readonly schema: Schema;
}

/** Computes `exprs` (resolved, each aliased to its output name) over the input. */
export interface Project {
  readonly kind: "Project";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly exprs: readonly Expr[];
  readonly schema: Schema;
}

export interface Filter {
  readonly kind: "Filter";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly condition: Expr;
  readonly schema: Schema;
}

export interface Limit {
  readonly kind: "Limit";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly n: number;
  readonly schema: Schema;
}

/** Positional union of inputs with the same column count (types already widened by casts). */
export interface Union {
  readonly kind: "Union";
  readonly id: number;
  readonly inputs: readonly LogicalPlan[];
  readonly schema: Schema;
}

/** Bernoulli (or Poisson, with replacement) sampling, seeded per partition. */
export interface Sample {
  readonly kind: "Sample";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly fraction: number;
  readonly withReplacement: boolean;
  readonly seed: number;
  readonly schema: Schema;
}

/** Marks a subtree whose partitions are kept in the block store after first computation. */
export interface Cache {
  readonly kind: "Cache";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly cacheId: string;
  readonly schema: Schema;
}

/** One aggregate call of an Aggregate node, already resolved (args cast as the function asked). */
export interface AggregateExpr {
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** GROUP BY `keys` computing `aggs`; output = keys ++ aggs. No keys: one global group. */
export interface Aggregate {
  readonly kind: "Aggregate";
  readonly id: number;
  readonly input: LogicalPlan;
  /** Resolved grouping expressions over the input (aliased to their output names). */
  readonly keys: readonly Expr[];
  readonly aggs: readonly AggregateExpr[];
  readonly schema: Schema;
}

/**
 * A join. Output columns are left ++ right (semi/anti: left only). `leftKeys[i] = rightKeys[i]`
 * are the equi-join keys (over each side); `condition` is the rest, over left ++ right.
 */
export interface Join {
  readonly kind: "Join";
  readonly id: number;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  readonly leftKeys: readonly Expr[];
  readonly rightKeys: readonly Expr[];
  readonly condition: Expr | null;
  readonly schema: Schema;
}

/** ORDER BY over the whole input (global sort). */
export interface Sort {
  readonly kind: "Sort";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly orders: readonly SortOrderExpr[];
  readonly schema: Schema;
}

/** One window function call of a Window node. */
export interface WindowExpr {
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly frame: WindowFrame;
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** Window functions sharing one PARTITION BY / ORDER BY; output = input ++ one column per call. */
export interface Window {
  readonly kind: "Window";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortOrderExpr[];
  readonly calls: readonly WindowExpr[];
  readonly schema: Schema;
}

/** repartition(n, keys) (shuffle: hash, or round-robin without keys) or coalesce(n) (no shuffle). */
export interface Repartition {
  readonly kind: "Repartition";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly numPartitions: number;
  readonly keys: readonly Expr[];
  readonly shuffle: boolean;
  readonly schema: Schema;
}

/** A planner hint on a subtree (`F.broadcast(df)`). */
export interface Hint {
  readonly kind: "Hint";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly hint: "broadcast";
  readonly schema: Schema;
}

/** Repeats each row by the int64 column `countIndex`, dropping it (exceptAll, intersectAll). */
export interface Expand {
  readonly kind: "Expand";
  readonly id: number;
  readonly input: LogicalPlan;
  readonly countIndex: number;
  readonly schema: Schema;
}

let nextPlanId = 1;
/** A process-unique id for a new plan node (used by `df.col()` binding and explain). */
export const newPlanId = (): number => nextPlanId++;

/** The inputs of a node, in a fixed order. */
export function planChildren(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case "Scan":
    case "LocalRelation":
      return [];
    case "Union":
      return p.inputs;
    case "Join":
      return [p.left, p.right];
    default:
      return [p.input];
  }
}

/** Rebuilds `p` with new inputs; returns `p` when they are the same objects. */
export function withInputs(p: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  const old = planChildren(p);
  if (old.length === inputs.length && old.every((c, i) => c === inputs[i])) return p;
  switch (p.kind) {
    case "Scan":
    case "LocalRelation":
      return p;
    case "Union":
      return { ...p, inputs };
    case "Join":
      return { ...p, left: inputs[0]!, right: inputs[1]! };
    default:
      return { ...p, input: inputs[0]! };
  }
}

/** Bottom-up rewrite of a plan tree. */
export function transformPlanUp(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const kids = planChildren(p);
  const next = kids.length
    ? withInputs(
        p,
        kids.map((k) => transformPlanUp(k, f)),
      )
    : p;
  return f(next);
}
