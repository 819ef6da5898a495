// The logical plan: an immutable tree of plain-data nodes built by the DataFrame API (and
// later by SQL). Every node carries its output schema, computed when it is created, because
// analysis is eager: the DataFrame method that builds a node has already checked it.
import type { Expr } from "../expr/expr.js";
import type { FileSource } from "../io/source.js";
import type { Schema } from "../types/data-type.js";

export type LogicalPlan = Scan | LocalRelation | Project | Filter | Limit | Union | Sample | Cache;

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
    default:
      return { ...p, input: inputs[0]! };
  }
}

/** Bottom-up rewrite of a plan tree. */
export function transformPlanUp(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const kids = planChildren(p);
  const next = kids.length ? withInputs(p, kids.map((k) => transformPlanUp(k, f))) : p;
  return f(next);
}
