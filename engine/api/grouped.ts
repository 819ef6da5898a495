// GroupedData: `df.groupBy(keys)` followed by `agg(...)`, `count()`, `sum(...)`, `pivot(...)`.

import { AnalysisError } from "../errors.js";
import { E, type Expr } from "../expr/expr.js";
import { planAggregation } from "../plan/aggregates.js";
import { Column, type ColumnOrName, type LiteralInput, literalExpr, nameToExpr } from "./column.js";
import type { DataFrame } from "./dataframe.js";

/** A grouping waiting for its aggregations. */
export class GroupedData {
  /** @internal */
  constructor(
    private readonly df: DataFrame,
    private readonly keys: readonly Expr[],
    private readonly pivotBy?: { readonly col: Expr; readonly values: readonly LiteralInput[] },
  ) {}

  /**
   * Aggregates: Columns (`F.sum("x").alias("total")`, expressions over aggregates), or a
   * `{ column: "function" }` map as in PySpark (`{ fare: "avg", "*": "count" }`).
   */
  agg(...exprs: (Column | Readonly<Record<string, string>>)[]): DataFrame {
    const cols: Expr[] = exprs.flatMap((e) =>
      e instanceof Column
        ? [e.expr]
        : Object.entries(e).map(([c, fn]) =>
            E.call(fn.toLowerCase() === "mean" ? "avg" : fn.toLowerCase(), nameToExpr(c)),
          ),
    );
    if (cols.length === 0) throw new AnalysisError("agg() needs at least one aggregate expression");
    return this.df.withPlan(
      planAggregation(this.df.plan, this.keys, this.pivotBy ? this.pivoted(cols) : cols),
    );
  }

  /** The number of rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.agg(new Column(E.alias(E.call("count", { kind: "Star" }), "count")));
  }
  sum(...cols: string[]): DataFrame {
    return this.simple("sum", cols);
  }
  avg(...cols: string[]): DataFrame {
    return this.simple("avg", cols);
  }
  mean(...cols: string[]): DataFrame {
    return this.simple("avg", cols);
  }
  min(...cols: string[]): DataFrame {
    return this.simple("min", cols);
  }
  max(...cols: string[]): DataFrame {
    return this.simple("max", cols);
  }

  /**
   * One output column per value of `col` (and per aggregate): `groupBy("a").pivot("b", ["x", "y"]).agg(F.sum("c"))`.
   * The values must be given (Spark computes them with a job when omitted; Kindling asks for them).
   */
  pivot(col: ColumnOrName, values?: readonly LiteralInput[]): GroupedData {
    if (!values) {
      throw new AnalysisError(
        "pivot(col) needs its values: pass them as pivot(col, [v1, v2, ...]) (e.g. from a distinct().collect() of the column)",
      );
    }
    return new GroupedData(this.df, this.keys, { col: nameToExpr(col), values });
  }

  private simple(fn: string, cols: string[]): DataFrame {
    const names = cols.length
      ? cols
      : this.df.schema.fields
          .filter((f) => ["int32", "int64", "float64", "decimal"].includes(f.type.kind))
          .map((f) => f.name);
    return this.agg(...names.map((c) => new Column(E.call(fn, nameToExpr(c)))));
  }

  /**
   * Spark's pivot rewrite. Each aggregate is computed once per value over that value's rows
   * (matched with null-safe equality). When every aggregate returns a number or boolean, Spark
   * pivots grouped results (PivotFirst), so a group without rows for a value gets null even
   * from count; otherwise it aggregates `if(match, x, null)`, with first/last skipping nulls.
   */
  private pivoted(cols: readonly Expr[]): Expr[] {
    const { col, values } = this.pivotBy!;
    const calls = cols.map((c) => {
      const body = c.kind === "Alias" ? c.child : c;
      if (body.kind !== "Call") throw new AnalysisError("pivot().agg() takes aggregate function calls");
      return body;
    });
    const pivotFirst = calls.every((b) => !NON_NUMERIC_RESULT.has(b.fn) && !this.stringArg(b));
    const out: Expr[] = [];
    for (const v of values) {
      const match = E.call("eq_null_safe", col, literalExpr(v));
      calls.forEach((body, k) => {
        const c = cols[k]!;
        const star = body.args.length === 1 && body.args[0]!.kind === "Star";
        const args = star ? [literalExpr(1)] : body.args;
        const masked = args.map((a, i) =>
          i === 0 || (body.fn === "corr" && i === 1)
            ? ({ kind: "CaseWhen" as const, branches: [[match, a] as const] } as Expr)
            : a,
        );
        if (body.fn === "first" || body.fn === "last") masked[1] = literalExpr(true);
        let agg: Expr = E.call(body.fn, ...masked);
        if (pivotFirst && COUNT_LIKE.has(body.fn)) {
          const present = E.call(
            "gt",
            E.call("count", { kind: "CaseWhen", branches: [[match, literalExpr(1)]] }),
            literalExpr(0),
          );
          agg = { kind: "CaseWhen", branches: [[present, agg]] };
        }
        const label = v === null ? "null" : String(v instanceof Date ? v.toISOString() : v);
        out.push(
          E.alias(
            agg,
            cols.length === 1 ? label : `${label}_${c.kind === "Alias" ? c.name : exprLabel(body)}`,
          ),
        );
      });
    }
    return out;
  }

  /** True when a first/last/min/max argument is a string column (not a PivotFirst type). */
  private stringArg(b: Extract<Expr, { kind: "Call" }>): boolean {
    if (!["first", "last", "min", "max"].includes(b.fn)) return false;
    const a = b.args[0];
    if (a?.kind !== "Column") return false;
    const f = this.df.schema.fields.find((x) => x.name.toLowerCase() === a.name.toLowerCase());
    return f !== undefined && !["int32", "int64", "float64", "decimal", "boolean"].includes(f.type.kind);
  }
}

/** Aggregates whose result is not a number or boolean (Spark's PivotFirst cannot pivot them). */
const NON_NUMERIC_RESULT = new Set(["collect_list", "collect_set"]);
/** Aggregates that give a value (0) over no rows, where PivotFirst gives null. */
const COUNT_LIKE = new Set(["count", "count_distinct", "approx_count_distinct"]);

function exprLabel(e: Expr): string {
  return e.kind === "Call"
    ? `${e.fn}(${e.args.map((a) => (a.kind === "Column" ? a.name : "...")).join(", ")})`
    : "agg";
}
