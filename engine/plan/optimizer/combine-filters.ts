// combine_filters: Filter(Filter(x, a), b) → Filter(x, a AND b), so one predicate runs per batch.
import { E } from "../../expr/expr.js";
import { transformPlanUp } from "../logical.js";
import type { Rule } from "./rule.js";

export const combineFilters: Rule = {
  name: "combine_filters",
  rewrite: (plan) =>
    transformPlanUp(plan, (p) =>
      p.kind === "Filter" && p.input.kind === "Filter"
        ? { ...p, input: p.input.input, condition: E.call("and", p.input.condition, p.condition) }
        : p,
    ),
};
