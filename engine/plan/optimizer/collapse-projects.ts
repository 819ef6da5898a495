// collapse_projects: Project(Project(x, inner), outer) → Project(x, outer ∘ inner), so a chain
// of withColumn calls runs as one projection. Skipped when the inner projection is
// non-deterministic or when an inner expression would be computed more than once.
import type { Expr } from "../../expr/expr.js";
import { E } from "../../expr/expr.js";
import { type LogicalPlan, transformPlanUp } from "../logical.js";
import { isDeterministic, referencedIndices, substituteRefs } from "./exprs.js";
import type { Rule } from "./rule.js";

function collapse(p: LogicalPlan): LogicalPlan {
  if (p.kind !== "Project" || p.input.kind !== "Project") return p;
  const inner = p.input;
  if (!inner.exprs.every(isDeterministic)) return p;
  // Count uses of each inner output: a non-trivial expression used twice would be computed twice.
  const uses = new Map<number, number>();
  for (const e of p.exprs) {
    for (const i of countRefs(e)) uses.set(i, (uses.get(i) ?? 0) + 1);
  }
  for (const [i, n] of uses) {
    const e = unalias(inner.exprs[i]!);
    if (n > 1 && e.kind !== "Ref" && e.kind !== "Literal") return p;
  }
  const exprs = p.exprs.map((e, i) => {
    const body = substituteRefs(unalias(e), inner.exprs);
    const name = p.schema.fields[i]!.name;
    return body.kind === "Ref" && body.name === name ? body : E.alias(body, name);
  });
  return { ...p, input: inner.input, exprs };
}

const unalias = (e: Expr): Expr => (e.kind === "Alias" ? e.child : e);

function countRefs(e: Expr): number[] {
  const out: number[] = [];
  const seen = referencedIndices(e);
  // referencedIndices dedupes within one expression; count occurrences instead.
  const walk = (x: Expr): void => {
    if (x.kind === "Ref") out.push(x.index);
    else if (x.kind === "Call") x.args.forEach(walk);
    else if (x.kind === "Alias" || x.kind === "Cast" || x.kind === "SortOrder") walk(x.child);
    else if (x.kind === "CaseWhen") {
      for (const [c, v] of x.branches) {
        walk(c);
        walk(v);
      }
      if (x.otherwise) walk(x.otherwise);
    }
  };
  walk(e);
  return seen.size ? out : [];
}

export const collapseProjects: Rule = {
  name: "collapse_projects",
  rewrite: (plan) => transformPlanUp(plan, collapse),
};
