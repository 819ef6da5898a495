// The optimizer: a fixed list of rules, applied in order until the plan stops changing.
import type { CompileContext } from "../../expr/registry.js";
import type { LogicalPlan } from "../logical.js";
import { collapseProjects } from "./collapse-projects.js";
import { combineFilters } from "./combine-filters.js";
import { constantFolding } from "./constant-folding.js";
import { pruneColumns } from "./prune-columns.js";
import { pushDownFilter } from "./push-down-filter.js";
import { pushDownLimit } from "./push-down-limit.js";
import type { Rule } from "./rule.js";

/**
 * The rules in order. Constant folding runs first so that pushed-down predicates are already
 * simplified; filters are combined and pushed before projections collapse (a filter between
 * two projections would otherwise block it) and before pruning, because pruning must see every
 * column the pushed predicates still read.
 */
export function optimizerRules(ctx: CompileContext): Rule[] {
  return [
    constantFolding(ctx),
    combineFilters,
    pushDownFilter,
    collapseProjects,
    constantFolding(ctx),
    pushDownLimit,
    pruneColumns,
  ];
}

/** Runs the rules to a fixed point (bounded). */
export function optimize(plan: LogicalPlan, ctx: CompileContext): LogicalPlan {
  const rules = optimizerRules(ctx);
  let current = plan;
  for (let pass = 0; pass < 10; pass++) {
    const before = current;
    for (const r of rules) current = r.rewrite(current);
    if (current === before) break;
  }
  return current;
}
