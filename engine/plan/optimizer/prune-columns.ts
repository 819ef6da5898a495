// prune_columns: reads only the columns a query uses. Walks the plan top-down with the set of
// output ordinals each parent needs, narrows scans and projections, and renumbers references.
import type { Expr } from "../../expr/expr.js";
import type { LogicalPlan } from "../logical.js";
import { newPlanId } from "../logical.js";
import { referencedIndices, remapRefs } from "./exprs.js";
import type { Rule } from "./rule.js";

interface Pruned {
  readonly plan: LogicalPlan;
  /** Old output ordinal → new output ordinal, for the ordinals that were required. */
  readonly mapping: Map<number, number>;
}

const identity = (n: number): Map<number, number> => new Map(Array.from({ length: n }, (_, i) => [i, i]));

function prune(p: LogicalPlan, required: ReadonlySet<number>): Pruned {
  switch (p.kind) {
    case "Scan": {
      const needed = new Set(required);
      for (const f of p.filters) referencedIndices(f, needed);
      const keep = [...needed].sort((a, b) => a - b);
      if (keep.length === p.schema.fields.length) return { plan: p, mapping: identity(keep.length) };
      const mapping = new Map(keep.map((old, i) => [old, i]));
      const full = p.columns ?? p.schema.fields.map((_, i) => i);
      return {
        plan: {
          ...p,
          columns: keep.map((i) => full[i]!),
          filters: p.filters.map((f) => remapRefs(f, mapping)),
          schema: { fields: keep.map((i) => p.schema.fields[i]!) },
        },
        mapping,
      };
    }
    case "Project": {
      const keep = [...required].sort((a, b) => a - b);
      const exprs = keep.map((i) => p.exprs[i]!);
      const childNeeds = new Set<number>();
      for (const e of exprs) referencedIndices(e, childNeeds);
      const child = prune(p.input, childNeeds);
      const mapping = new Map(keep.map((old, i) => [old, i]));
      return {
        plan: {
          ...p,
          input: child.plan,
          exprs: exprs.map((e) => remapRefs(e, child.mapping)),
          schema: { fields: keep.map((i) => p.schema.fields[i]!) },
        },
        mapping,
      };
    }
    case "Filter": {
      const needs = referencedIndices(p.condition, new Set(required));
      const child = prune(p.input, needs);
      return narrow(
        { ...p, input: child.plan, condition: remapRefs(p.condition, child.mapping) },
        child,
        required,
      );
    }
    case "Limit":
    case "Sample": {
      const child = prune(p.input, required);
      return narrow({ ...p, input: child.plan }, child, required);
    }
    case "Union": {
      // Positional: every input keeps the same ordinals.
      const children = p.inputs.map((i) => prune(i, required));
      const keep = [...required].sort((a, b) => a - b);
      const mapping = new Map(keep.map((old, i) => [old, i]));
      const inputs = children.map((c) => project(c, keep));
      return { plan: { ...p, inputs, schema: { fields: keep.map((i) => p.schema.fields[i]!) } }, mapping };
    }
    case "Sort":
    case "Repartition":
    case "Hint": {
      const needs = new Set(required);
      if (p.kind === "Sort") for (const o of p.orders) referencedIndices(o, needs);
      if (p.kind === "Repartition") for (const k of p.keys) referencedIndices(k, needs);
      const child = prune(p.input, needs);
      const m = child.mapping;
      const rewritten =
        p.kind === "Sort"
          ? { ...p, input: child.plan, orders: p.orders.map((o) => remapRefs(o, m) as typeof o) }
          : p.kind === "Repartition"
            ? { ...p, input: child.plan, keys: p.keys.map((k) => remapRefs(k, m)) }
            : { ...p, input: child.plan };
      return narrow(rewritten, child, required);
    }
    case "Aggregate": {
      // The aggregate's own output is kept whole; its input shrinks to what keys and calls read.
      const needs = new Set<number>();
      for (const k of p.keys) referencedIndices(k, needs);
      for (const a of p.aggs) for (const x of a.args) referencedIndices(x, needs);
      const child = prune(p.input, needs);
      const m = child.mapping;
      return {
        plan: {
          ...p,
          input: child.plan,
          keys: p.keys.map((k) => remapRefs(k, m)),
          aggs: p.aggs.map((a) => ({ ...a, args: a.args.map((x) => remapRefs(x, m)) })),
        },
        mapping: identity(p.schema.fields.length),
      };
    }
    case "Window": {
      const nIn = p.input.schema.fields.length;
      const needs = new Set([...required].filter((i) => i < nIn));
      for (const e of p.partitionBy) referencedIndices(e, needs);
      for (const o of p.orderBy) referencedIndices(o, needs);
      for (const c of p.calls) for (const x of c.args) referencedIndices(x, needs);
      const child = prune(p.input, needs);
      const m = child.mapping;
      const nNew = child.plan.schema.fields.length;
      const mapping = new Map(child.mapping);
      for (let k = 0; k < p.calls.length; k++) mapping.set(nIn + k, nNew + k);
      return {
        plan: {
          ...p,
          input: child.plan,
          partitionBy: p.partitionBy.map((e) => remapRefs(e, m)),
          orderBy: p.orderBy.map((o) => remapRefs(o, m) as typeof o),
          calls: p.calls.map((c) => ({ ...c, args: c.args.map((x) => remapRefs(x, m)) })),
          schema: { fields: [...child.plan.schema.fields, ...p.schema.fields.slice(nIn)] },
        },
        mapping,
      };
    }
    case "Join": {
      const nL = p.left.schema.fields.length;
      const leftNeeds = new Set<number>();
      const rightNeeds = new Set<number>();
      const route = (i: number) => (i < nL ? leftNeeds.add(i) : rightNeeds.add(i - nL));
      for (const i of required) route(i);
      for (const k of p.leftKeys) referencedIndices(k, leftNeeds);
      for (const k of p.rightKeys) referencedIndices(k, rightNeeds);
      if (p.condition) for (const i of referencedIndices(p.condition)) route(i);
      const l = prune(p.left, leftNeeds);
      const r = prune(p.right, rightNeeds);
      const nLNew = l.plan.schema.fields.length;
      const mapping = new Map(l.mapping);
      for (const [o, n] of r.mapping) mapping.set(nL + o, nLNew + n);
      const keepsRight = p.joinType !== "left_semi" && p.joinType !== "left_anti";
      const fields = keepsRight ? [...l.plan.schema.fields, ...r.plan.schema.fields] : l.plan.schema.fields;
      const nullable = (side: "left" | "right") =>
        p.joinType === "full" || (side === "left" ? p.joinType === "right" : p.joinType === "left");
      return {
        plan: {
          ...p,
          left: l.plan,
          right: r.plan,
          leftKeys: p.leftKeys.map((k) => remapRefs(k, l.mapping)),
          rightKeys: p.rightKeys.map((k) => remapRefs(k, r.mapping)),
          condition: p.condition ? remapRefs(p.condition, mapping) : null,
          schema: {
            fields: fields.map((f, i) => ({
              ...f,
              nullable: f.nullable || nullable(i < nLNew ? "left" : "right"),
            })),
          },
        },
        mapping: keepsRight ? mapping : l.mapping,
      };
    }
    case "Expand":
      return {
        plan: { ...p, input: prune(p.input, allOf(p.input)).plan },
        mapping: identity(p.schema.fields.length),
      };
    case "Cache":
    case "LocalRelation":
      // A cache keeps every column so that other queries can share it.
      return {
        plan: p.kind === "Cache" ? { ...p, input: prune(p.input, allOf(p.input)).plan } : p,
        mapping: identity(p.schema.fields.length),
      };
  }
}

const allOf = (p: LogicalPlan): Set<number> => new Set(p.schema.fields.map((_, i) => i));

/** A pass-through node over a pruned child: its schema follows the child's. */
function narrow(p: LogicalPlan, child: Pruned, _required: ReadonlySet<number>): Pruned {
  return { plan: { ...p, schema: child.plan.schema } as LogicalPlan, mapping: child.mapping };
}

/** Makes a pruned child produce exactly `keep` (old ordinals), in order. */
function project(c: Pruned, keep: readonly number[]): LogicalPlan {
  const fields = c.plan.schema.fields;
  const exprs: Expr[] = keep.map((old) => {
    const i = c.mapping.get(old)!;
    const f = fields[i]!;
    return { kind: "Ref", index: i, name: f.name, type: f.type, nullable: f.nullable };
  });
  if (exprs.length === fields.length && exprs.every((e, i) => e.kind === "Ref" && e.index === i))
    return c.plan;
  return {
    kind: "Project",
    id: newPlanId(),
    input: c.plan,
    exprs,
    schema: { fields: keep.map((old) => fields[c.mapping.get(old)!]!) },
  };
}

export const pruneColumns: Rule = {
  name: "prune_columns",
  rewrite: (plan) => prune(plan, allOf(plan)).plan,
};
