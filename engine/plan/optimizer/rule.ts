// The shape every optimizer rule has: a name and a pure plan → plan rewrite that returns the
// same object when nothing changes and never changes the output schema.
import type { LogicalPlan } from "../logical.js";

export interface Rule {
  readonly name: string;
  rewrite(plan: LogicalPlan): LogicalPlan;
}
