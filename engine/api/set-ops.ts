// Set operations over whole rows, planned as aggregations (nulls compare equal here, as in
// SQL's INTERSECT and EXCEPT): each side is tagged, rows are grouped, and counts decide.
import { AnalysisError } from "../errors.js";
import { E } from "../expr/expr.js";
import { newPlanId } from "../plan/logical.js";
import { Column, lit } from "./column.js";
import type { DataFrame } from "./dataframe.js";

export type SetOp = "intersect" | "intersectAll" | "exceptAll" | "subtract";

export function setOperation(left: DataFrame, right: DataFrame, op: SetOp): DataFrame {
  const names = left.columns;
  if (right.columns.length !== names.length) {
    throw new AnalysisError(
      `${op}: the inputs have ${names.length} and ${right.columns.length} columns; ` +
        "set operations match columns by position and need the same number",
    );
  }
  // Columns are matched by position and may repeat a name: work on internal names `__c<i>`.
  const internal = names.map((_, i) => `__c${i}`);
  const tag = (df: DataFrame, l: number, r: number) =>
    df.select(
      ...df.schema.fields.map(
        (f, i) => new Column(E.alias(E.ref(i, f.name, f.type, f.nullable), internal[i]!)),
      ),
      lit(l).alias("__l"),
      lit(r).alias("__r"),
    );
  // Union by position first (it widens types).
  const tagged = tag(left, 1, 0).union(tag(right, 0, 1));
  const counted = tagged
    .groupBy(...internal)
    .agg(
      new Column(E.alias(E.call("sum", E.column("__l")), "__cl")),
      new Column(E.alias(E.call("sum", E.column("__r")), "__cr")),
    );
  const cl = new Column(E.column("__cl"));
  const cr = new Column(E.column("__cr"));
  const result = (() => {
    switch (op) {
      case "intersect":
        return counted.where(cl.gt(0).and(cr.gt(0))).select(...internal);
      case "subtract":
        return counted.where(cl.gt(0).and(cr.eq(0))).select(...internal);
      case "intersectAll":
        return expand(
          counted.where(cl.gt(0).and(cr.gt(0))),
          new Column(E.call("least", cl.expr, cr.expr)),
          internal,
        );
      case "exceptAll":
        return expand(counted.where(cl.gt(cr)), cl.minus(cr), internal);
    }
  })();
  // Back to the left side's names (by position, so repeated names are fine).
  return result.select(
    ...result.schema.fields.map(
      (f, i) => new Column(E.alias(E.ref(i, f.name, f.type, f.nullable), names[i]!)),
    ),
  );
}

/** Repeats each row `times` times (an int64 count), keeping `names`. */
function expand(df: DataFrame, times: Column, names: readonly string[]): DataFrame {
  const withCount = df.select(...names, times.cast("bigint").alias("__n"));
  return withCount.withPlan({
    kind: "Expand",
    id: newPlanId(),
    input: withCount.plan,
    countIndex: names.length,
    schema: { fields: withCount.schema.fields.slice(0, names.length) },
  });
}
