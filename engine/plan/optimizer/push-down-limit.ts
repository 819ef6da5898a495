// push_down_limit: Limit(Limit(x, a), b) → Limit(x, min(a, b)); a limit over a union limits
// each input too (the outer limit stays), so no input produces more rows than can be used.
import { type LogicalPlan, newPlanId, transformPlanUp } from "../logical.js";
import type { Rule } from "./rule.js";

function push(p: LogicalPlan): LogicalPlan {
  if (p.kind !== "Limit") return p;
  const input = p.input;
  if (input.kind === "Limit") return { ...p, input: input.input, n: Math.min(p.n, input.n) };
  if (input.kind === "Union" && !input.inputs.every((i) => i.kind === "Limit" && i.n <= p.n)) {
    const inputs = input.inputs.map(
      (i): LogicalPlan =>
        i.kind === "Limit" && i.n <= p.n
          ? i
          : { kind: "Limit", id: newPlanId(), input: i, n: p.n, schema: i.schema },
    );
    return { ...p, input: { ...input, inputs } };
  }
  return p;
}

export const pushDownLimit: Rule = {
  name: "push_down_limit",
  rewrite: (plan) => transformPlanUp(plan, push),
};
