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
      return narrow({ ...p, input: child.plan, condition: remapRefs(p.condition, child.mapping) }, child, required);
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
    case "Cache":
    case "LocalRelation":
      // A cache keeps every column so that other queries can share it.
      return { plan: p.kind === "Cache" ? { ...p, input: prune(p.input, allOf(p.input)).plan } : p, mapping: identity(p.schema.fields.length) };
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
  if (exprs.length === fields.length && exprs.every((e, i) => e.kind === "Ref" && e.index === i)) return c.plan;
  return { kind: "Project", id: newPlanId(), input: c.plan, exprs, schema: { fields: keep.map((old) => fields[c.mapping.get(old)!]!) } };
}

export const pruneColumns: Rule = {
  name: "prune_columns",
  rewrite: (plan) => prune(plan, allOf(plan)).plan,
};
