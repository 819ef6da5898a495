// push_down_filter: moves filters toward the data: through projections (substituting the
// projected expressions), into each side of a union, and into scans (where Parquet row-group
// statistics and Hive partition values can skip data before it is decoded).
import { E } from "../../expr/expr.js";
import { type LogicalPlan, transformPlanUp } from "../logical.js";
import { conjuncts, isDeterministic, substituteRefs } from "./exprs.js";
import type { Rule } from "./rule.js";

function push(p: LogicalPlan): LogicalPlan {
  if (p.kind !== "Filter" || !isDeterministic(p.condition)) return p;
  const input = p.input;
  switch (input.kind) {
    case "Project": {
      if (!input.exprs.every(isDeterministic)) return p;
      const cond = substituteRefs(p.condition, input.exprs);
      return {
        ...input,
        input: push({ ...p, input: input.input, condition: cond, schema: input.input.schema }),
      };
    }
    case "Union":
      return { ...input, inputs: input.inputs.map((i) => push({ ...p, input: i, schema: i.schema })) };
    case "Scan":
      return { ...input, filters: [...input.filters, ...conjuncts(p.condition)] };
    case "Filter":
      return push({ ...p, input: input.input, condition: E.call("and", input.condition, p.condition) });
    default:
      return p;
  }
}

export const pushDownFilter: Rule = {
  name: "push_down_filter",
  rewrite: (plan) => transformPlanUp(plan, push),
};
