// Physical planning of the operators that need data redistributed: aggregation (partial →
// hash exchange → final), joins (broadcast hash or shuffled hash), global sort (sampled
// range bounds → range exchange → sort per partition), and a window's input (hash exchange on
// its PARTITION BY; none when it sits on an aggregation grouped by those columns, whose own
// exchange is then on them alone).
import { batchesToIPC } from "../columnar/arrow.js";
import { concatBatches } from "../columnar/ops.js";
import { AnalysisError } from "../errors.js";
import { resolveAggregate } from "../exec/operators/aggregate-params.js";
import { computeRangeBounds } from "../exec/sort/range.js";
import { exprType } from "../expr/compile.js";
import { E, type Expr } from "../expr/expr.js";
import type { Field, Schema } from "../types/data-type.js";
import type { Aggregate, Join, LogicalPlan, Sort, Window } from "./logical.js";
import { numPartitions, type PhysicalPlan } from "./physical.js";
import type { PlannerEnv } from "./planner.js";

/** The fields of an aggregation's partial output: the keys, then every call's state columns. */
export function partialSchema(p: Aggregate): Schema {
  const keys = p.schema.fields.slice(0, p.keys.length);
  const states: Field[] = p.aggs.flatMap((a, i) =>
    resolveAggregate(a.fn, a.args).resolution.stateTypes.map((type, j) => ({
      name: `_s${i}_${j}`,
      type,
      nullable: true,
    })),
  );
  return { fields: [...keys, ...states] };
}

/**
 * partial aggregate → hash exchange on the keys → final aggregate (or one step on one
 * partition). `shuffleKeys` (indices into the keys) hashes the exchange on those keys alone,
 * so that the output is clustered by them too (rows of a group still meet in one partition).
 */
export async function planAggregate(
  p: Aggregate,
  child: PhysicalPlan,
  env: PlannerEnv,
  shuffleKeys?: readonly number[],
): Promise<PhysicalPlan> {
  const aggs = p.aggs.map((a) => ({ fn: a.fn, args: a.args }));
  if (numPartitions(child) === 1) {
    return {
      kind: "HashAggregateExec",
      input: child,
      mode: "complete",
      keys: p.keys,
      aggs,
      schema: p.schema,
    };
  }
  const schema = partialSchema(p);
  const partial: PhysicalPlan = {
    kind: "HashAggregateExec",
    input: child,
    mode: "partial",
    keys: p.keys,
    aggs,
    schema,
  };
  const keyRefs = schema.fields
    .slice(0, p.keys.length)
    .map((f, i) => E.ref(i, f.name, f.type, f.nullable) as Expr);
  const hashKeys = shuffleKeys === undefined ? keyRefs : shuffleKeys.map((k) => keyRefs[k]!);
  const read = await env.exchange(
    partial,
    hashKeys.length
      ? { kind: "hash", keys: hashKeys, numPartitions: env.shufflePartitions }
      : { kind: "single" },
  );
  return { kind: "HashAggregateExec", input: read, mode: "final", keys: keyRefs, aggs, schema: p.schema };
}

/**
 * The input of a window, partitioned for it: everything on one partition without PARTITION BY;
 * a hash exchange on the PARTITION BY columns otherwise, except over an aggregation grouped by
 * all of them, which is then planned with its exchange on those columns (one exchange, not two).
 */
export async function planWindowInput(
  p: Window,
  visit: (p: LogicalPlan) => Promise<PhysicalPlan>,
  env: PlannerEnv,
): Promise<PhysicalPlan> {
  const agg = p.input;
  const keys = agg.kind === "Aggregate" ? groupingKeysOf(agg, p.partitionBy) : null;
  if (agg.kind === "Aggregate" && keys !== null) return planAggregate(agg, await visit(agg.input), env, keys);
  const child = await visit(p.input);
  if (p.partitionBy.length === 0)
    return numPartitions(child) === 1 ? child : env.exchange(child, { kind: "single" });
  return env.exchange(child, { kind: "hash", keys: p.partitionBy, numPartitions: env.shufflePartitions });
}

/** The grouping-key positions that the PARTITION BY expressions refer to (all plain columns), or null. */
export function groupingKeysOf(agg: Aggregate, partitionBy: readonly Expr[]): number[] | null {
  if (partitionBy.length === 0) return null;
  const out: number[] = [];
  for (const e of partitionBy) {
    if (e.kind !== "Ref" || e.index >= agg.keys.length) return null;
    if (!out.includes(e.index)) out.push(e.index);
  }
  return out;
}

/** A rough size of a subtree's output, for the broadcast decision. */
export function estimateBytes(p: LogicalPlan): number {
  switch (p.kind) {
    case "Scan": {
      const total = p.source.files.reduce((n, f) => n + f.size, 0);
      const all = p.source.dataSchema.fields.length + p.source.partitionSchema.fields.length;
      // Parquet and gzip are compressed: assume ~3x in memory.
      return (total * 3 * Math.max(1, p.schema.fields.length)) / Math.max(1, all);
    }
    case "LocalRelation":
      return p.ipc.byteLength;
    case "Limit":
      return Math.min(estimateBytes(p.input), p.n * 64 * Math.max(1, p.schema.fields.length));
    case "Union":
      return p.inputs.reduce((n, i) => n + estimateBytes(i), 0);
    case "Join":
      return estimateBytes(p.left) + estimateBytes(p.right);
    case "Cache":
    case "Project":
    case "Filter":
    case "Sample":
    case "Aggregate":
    case "Sort":
    case "Window":
    case "Repartition":
    case "Hint":
    case "Expand":
      return estimateBytes(p.input);
  }
}

const hinted = (p: LogicalPlan): boolean =>
  p.kind === "Hint" || ((p.kind === "Project" || p.kind === "Filter") && hinted(p.input));

type Visit = (p: LogicalPlan, atRoot: boolean) => Promise<PhysicalPlan>;

/** Broadcast hash join when a buildable side is small (or hinted), shuffled hash join otherwise. */
export async function planJoin(p: Join, visit: Visit, env: PlannerEnv): Promise<PhysicalPlan> {
  const t = p.joinType;
  if (p.leftKeys.length === 0 && t !== "inner" && t !== "cross") {
    throw new AnalysisError(
      `a ${t} join needs at least one equality between the two sides in its condition ` +
        "(non-equi outer, semi and anti joins are not supported yet)",
    );
  }
  const left = await visit(p.left, false);
  const right = await visit(p.right, false);
  const base = { leftKeys: p.leftKeys, rightKeys: p.rightKeys, condition: p.condition, schema: p.schema };
  const joinType = t === "cross" || p.leftKeys.length === 0 ? "cross" : t;
  const canBuildRight =
    t === "inner" || t === "left" || t === "left_semi" || t === "left_anti" || t === "cross";
  const canBuildLeft = t === "inner" || t === "right" || t === "cross";
  const small = (s: LogicalPlan) => hinted(s) || estimateBytes(s) <= env.broadcastThreshold;
  const rightFirst = !(canBuildLeft && hinted(p.left) && !hinted(p.right));
  if (rightFirst && canBuildRight && (small(p.right) || joinType === "cross")) {
    const r = await env.exchange(right, { kind: "broadcast" });
    return { kind: "HashJoinExec", left, right: r, joinType, buildSide: "right", ...base };
  }
  if (canBuildLeft && (small(p.left) || joinType === "cross")) {
    const l = await env.exchange(left, { kind: "broadcast" });
    return { kind: "HashJoinExec", left: l, right, joinType, buildSide: "left", ...base };
  }
  const n = env.shufflePartitions;
  const l = await env.exchange(left, { kind: "hash", keys: p.leftKeys, numPartitions: n });
  const r = await env.exchange(right, { kind: "hash", keys: p.rightKeys, numPartitions: n });
  return {
    kind: "HashJoinExec",
    left: l,
    right: r,
    joinType,
    buildSide: t === "right" ? "left" : "right",
    ...base,
  };
}

/** Rows sampled per input partition to choose range bounds (Spark samples ~20 per output partition). */
const SAMPLE_ROWS_PER_PARTITION = 1000;

/** Global sort: range bounds from a sample, a range exchange, then a sort within each partition. */
export async function planSort(p: Sort, child: PhysicalPlan, env: PlannerEnv): Promise<PhysicalPlan> {
  const orders = p.orders;
  if (numPartitions(child) === 1)
    return { kind: "SortExec", input: child, orders, limit: null, schema: p.schema };
  const n = env.shufflePartitions;
  const keyFields: Field[] = orders.map((o, i) => ({
    name: `_k${i}`,
    type: exprType(o.child),
    nullable: true,
  }));
  const keySchema: Schema = { fields: keyFields };
  const sampled: PhysicalPlan = {
    kind: "LimitExec",
    input: {
      kind: "ProjectExec",
      input: {
        kind: "SampleExec",
        input: child,
        fraction: 0.1,
        withReplacement: false,
        seed: 17,
        schema: child.schema,
      },
      exprs: orders.map((o, i) => E.alias(o.child, `_k${i}`)),
      schema: keySchema,
    },
    n: SAMPLE_ROWS_PER_PARTITION,
    schema: keySchema,
  };
  const sample = concatBatches(keySchema, await env.collect(sampled));
  const keyOrders = orders.map((o, index) => ({ index, ascending: o.ascending, nullsFirst: o.nullsFirst }));
  const bounds = computeRangeBounds(sample, keyOrders, n);
  const read = await env.exchange(child, {
    kind: "range",
    orders,
    bounds: batchesToIPC(keySchema, [bounds]),
    numPartitions: bounds.numRows + 1,
  });
  return { kind: "SortExec", input: read, orders, limit: null, schema: p.schema };
}
