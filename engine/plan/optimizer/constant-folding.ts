// constant_folding: evaluates expressions whose inputs are all literals once, at planning
// time (`lit(2) * 3` → `6`), and simplifies boolean logic with literal sides
// (`true AND x` → `x`, `false AND x` → `false`); a filter on literal true disappears.
import type { Column } from "../../columnar/column.js";
import { compileExpr, exprType } from "../../expr/compile.js";
import { E, type Expr, exprChildren, type LiteralValue, transformUp } from "../../expr/expr.js";
import type { CompileContext } from "../../expr/registry.js";
import { type LogicalPlan, transformPlanUp } from "../logical.js";
import { isDeterministic } from "./exprs.js";
import type { Rule } from "./rule.js";

const isLit = (e: Expr): e is Extract<Expr, { kind: "Literal" }> => e.kind === "Literal";
const TRUE = (e: Expr) => isLit(e) && e.value === true;
const FALSE = (e: Expr) => isLit(e) && e.value === false;

/** The value at row 0 of a column, as a typed literal value. */
function valueAt(c: Column): LiteralValue {
  if (c.type.kind === "null" || (c.valid !== null && c.valid[0] === 0)) return null;
  switch (c.type.kind) {
    case "boolean":
      return c.values![0] === 1;
    case "int32":
    case "date":
    case "float64":
      return c.values![0] as number;
    case "int64":
    case "timestamp":
      return (c.values as BigInt64Array)[0]!;
    case "decimal": {
      const v = c.values as BigInt64Array;
      return (v[1]! << 64n) | BigInt.asUintN(64, v[0]!);
    }
    case "string":
      return new TextDecoder().decode(c.data!.subarray(c.offsets![0], c.offsets![1]));
    default:
      return undefined as never;
  }
}

function foldable(e: Expr): boolean {
  return (
    (e.kind === "Call" || e.kind === "Cast" || e.kind === "CaseWhen") &&
    exprChildren(e).every(isLit) &&
    isDeterministic(e) &&
    exprType(e).kind !== "list"
  );
}

export function foldExpr(e: Expr, ctx: CompileContext): Expr {
  return transformUp(e, (x) => {
    if (x.kind === "Call" && x.fn === "and" && x.args.length === 2) {
      const [a, b] = x.args as [Expr, Expr];
      if (TRUE(a)) return b;
      if (TRUE(b)) return a;
      if (FALSE(a) || FALSE(b)) return E.lit(false, { kind: "boolean" });
    }
    if (x.kind === "Call" && x.fn === "or" && x.args.length === 2) {
      const [a, b] = x.args as [Expr, Expr];
      if (FALSE(a)) return b;
      if (FALSE(b)) return a;
      if (TRUE(a) || TRUE(b)) return E.lit(true, { kind: "boolean" });
    }
    if (!foldable(x)) return x;
    const col = compileExpr(x, ctx)({ schema: { fields: [] }, columns: [], numRows: 1 });
    return E.lit(valueAt(col), exprType(x));
  });
}

/** The rule, for a fixed compile context (time zone, "now"). */
export function constantFolding(ctx: CompileContext): Rule {
  const fold = (e: Expr) => foldExpr(e, ctx);
  return {
    name: "constant_folding",
    rewrite: (plan) =>
      transformPlanUp(plan, (p): LogicalPlan => {
        switch (p.kind) {
          case "Filter": {
            const condition = fold(p.condition);
            if (TRUE(condition)) return p.input;
            return condition === p.condition ? p : { ...p, condition };
          }
          case "Project": {
            const exprs = p.exprs.map(fold);
            return exprs.every((e, i) => e === p.exprs[i]) ? p : { ...p, exprs };
          }
          case "Scan": {
            const filters = p.filters.map(fold).filter((f) => !TRUE(f));
            return filters.length === p.filters.length && filters.every((f, i) => f === p.filters[i])
              ? p
              : { ...p, filters };
          }
          default:
            return p;
        }
      }),
  };
}
