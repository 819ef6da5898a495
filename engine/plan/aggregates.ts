// Analysis of aggregations: `groupBy(keys).agg(exprs)`. Aggregate calls are pulled out of the
// expressions into an Aggregate node (arguments resolved against the input and cast as each
// function asks); what remains is resolved against the aggregate's output (keys ++ calls) and
// becomes a projection on top, only when needed (`sum(a) / count(*)`, `key + 1`).

import { AnalysisError } from "../errors.js";
import { isAggregateFunction } from "../exec/agg/accumulators.js";
import { resolveAggregate } from "../exec/operators/aggregate-params.js";
import { exprType } from "../expr/compile.js";
import { E, type Expr, exprChildren, exprName, withChildren } from "../expr/expr.js";
import { typeEquals } from "../types/data-type.js";
import { resolveExpr, resolveProjection } from "./analyzer.js";
import { type AggregateExpr, type LogicalPlan, newPlanId } from "./logical.js";

/** Resolves an aggregate call's arguments against `input` and applies its casts. */
export function resolveAggregateCall(
  fn: string,
  rawArgs: readonly Expr[],
  input: LogicalPlan,
): Omit<AggregateExpr, "name"> {
  const args = rawArgs.filter((a) => a.kind !== "Star").map((a) => resolveExpr(a, input.schema));
  if (fn !== "count" && rawArgs.some((a) => a.kind === "Star")) {
    throw new AnalysisError(`${fn}(*) is not allowed; only count(*) takes *`);
  }
  const { split, argTypes, resolution } = resolveAggregate(fn, args);
  const columns = split.columns.map((c, i) => {
    const want = resolution.argTypes[i] ?? argTypes[i]!;
    return typeEquals(exprType(c), want) ? c : E.cast(c, want);
  });
  return {
    fn,
    args: [...columns, ...args.slice(split.columns.length)],
    type: resolution.result,
    nullable: resolution.resultNullable,
  };
}

const isAggCall = (e: Expr): e is Extract<Expr, { kind: "Call" }> =>
  e.kind === "Call" && isAggregateFunction(e.fn);

/** Builds Aggregate (+ Project) for `input.groupBy(keys).agg(aggs)`. */
export function planAggregation(
  input: LogicalPlan,
  keys: readonly Expr[],
  aggs: readonly Expr[],
): LogicalPlan {
  const { exprs: keyExprs, schema: keySchema } = resolveProjection(keys, input.schema);
  const calls: AggregateExpr[] = [];
  const outputs: { expr: Expr; name: string }[] = [];
  let needsProject = false;

  for (const raw of aggs) {
    const name = exprName(raw);
    const body = raw.kind === "Alias" ? raw.child : raw;
    if (isAggCall(body)) {
      calls.push({ ...resolveAggregateCall(body.fn, body.args, input), name });
      outputs.push({ expr: E.column(name), name });
      continue;
    }
    needsProject = true;
    const extracted = extract(body, (fn, args) => {
      const internal = `__agg${calls.length}`;
      calls.push({ ...resolveAggregateCall(fn, args, input), name: internal });
      return E.column(internal);
    });
    outputs.push({ expr: extracted, name });
  }

  const fields = [
    ...keySchema.fields,
    ...calls.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
  ];
  const agg: LogicalPlan = {
    kind: "Aggregate",
    id: newPlanId(),
    input,
    keys: keyExprs,
    aggs: calls,
    schema: { fields },
  };
  if (!needsProject) return agg;
  // Keys first, then the agg() expressions, as Spark orders groupBy().agg() output.
  const projected = [
    ...keySchema.fields.map((f) => E.column(f.name)),
    ...outputs.map((o) =>
      o.expr.kind === "Column" && o.expr.name === o.name ? o.expr : E.alias(o.expr, o.name),
    ),
  ];
  try {
    const { exprs, schema } = resolveProjection(projected, agg.schema);
    return { kind: "Project", id: newPlanId(), input: agg, exprs, schema };
  } catch (e) {
    if (e instanceof AnalysisError && /does not exist/.test(e.message)) {
      throw new AnalysisError(
        `${e.message.split(". Available")[0]}: an expression in agg() refers to a column that is neither a grouping key ` +
          `nor inside an aggregate function (grouping keys: [${keySchema.fields.map((f) => f.name).join(", ")}])`,
      );
    }
    throw e;
  }
}

/** Replaces each aggregate call in `e` (not inside another) by what `take` returns. */
function extract(e: Expr, take: (fn: string, args: readonly Expr[]) => Expr): Expr {
  if (isAggCall(e)) return take(e.fn, e.args);
  const kids = exprChildren(e);
  return kids.length
    ? withChildren(
        e,
        kids.map((k) => extract(k, take)),
      )
    : e;
}
