// Analysis of window functions: every `fn(...).over(spec)` in a select list is pulled out into
// a Window node (one per distinct PARTITION BY / ORDER BY), and the expression refers to the
// window's output column instead.

import { AnalysisError } from "../errors.js";
import { isAggregateFunction } from "../exec/agg/accumulators.js";
import { exprNullable, exprType } from "../expr/compile.js";
import { E, type Expr, exprChildren, type SortOrderExpr, withChildren } from "../expr/expr.js";
import { type DataType, T, typeEquals } from "../types/data-type.js";
import { resolveAggregateCall } from "./aggregates.js";
import { resolveExpr } from "./analyzer.js";
import { type LogicalPlan, newPlanId, type WindowExpr } from "./logical.js";
import type { WindowFrame } from "./physical.js";

/** Window-only functions and their result type (given the first argument's type). */
const RANKING: Readonly<Record<string, (arg?: DataType) => DataType>> = {
  row_number: () => T.int32,
  rank: () => T.int32,
  dense_rank: () => T.int32,
  ntile: () => T.int32,
  percent_rank: () => T.float64,
  cume_dist: () => T.float64,
  lag: (a) => a!,
  lead: (a) => a!,
  first_value: (a) => a!,
  last_value: (a) => a!,
  nth_value: (a) => a!,
};

const isOver = (e: Expr): e is Extract<Expr, { kind: "Call" }> => e.kind === "Call" && e.fn === "over";

/** True when any expression holds a window function. */
export function hasWindow(exprs: readonly Expr[]): boolean {
  const walk = (e: Expr): boolean => isOver(e) || exprChildren(e).some(walk);
  return exprs.some(walk);
}

interface Spec {
  readonly partitionBy: Expr[];
  readonly orderBy: SortOrderExpr[];
  readonly frame: WindowFrame | null;
  readonly key: string;
}

function resolveSpec(spec: Expr, input: LogicalPlan): Spec {
  if (spec.kind !== "Call" || spec.fn !== "window_spec")
    throw new AnalysisError("over() needs a window specification");
  const [pb, ob, fr] = spec.args as [
    Extract<Expr, { kind: "Call" }>,
    Extract<Expr, { kind: "Call" }>,
    Extract<Expr, { kind: "Call" }>,
  ];
  const partitionBy = pb.args.map((a) => resolveExpr(a, input.schema));
  const orderBy = ob.args.map((a): SortOrderExpr => {
    const r = resolveExpr(a, input.schema);
    return r.kind === "SortOrder" ? r : E.sortOrder(r, true, true);
  });
  let frame: WindowFrame | null = null;
  if (fr.args.length === 3) {
    const [t, s, e] = fr.args.map((a) => (a as Extract<Expr, { kind: "Literal" }>).value) as [
      string,
      number,
      number,
    ];
    frame = {
      type: t as "rows" | "range",
      start: Number.isFinite(s) ? s : null,
      end: Number.isFinite(e) ? e : null,
    };
  }
  const key = JSON.stringify([partitionBy, orderBy], (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
  return { partitionBy, orderBy, frame, key };
}

/** Resolves one window function call over `input` into a WindowExpr (without its name). */
function resolveWindowCall(call: Expr, spec: Spec, input: LogicalPlan): Omit<WindowExpr, "name"> {
  if (call.kind !== "Call") throw new AnalysisError("over() applies to a window or aggregate function");
  const defaultFrame: WindowFrame = spec.orderBy.length
    ? { type: "range", start: null, end: 0 }
    : { type: "rows", start: null, end: null };
  const ranking = RANKING[call.fn];
  if (ranking) {
    if (
      call.fn !== "first_value" &&
      call.fn !== "last_value" &&
      call.fn !== "nth_value" &&
      spec.orderBy.length === 0
    ) {
      throw new AnalysisError(
        `window function ${call.fn}() requires the window to be ordered: add orderBy(...) to the spec`,
      );
    }
    const args = call.args.map((a) => resolveExpr(a, input.schema));
    const first = args[0];
    const type = ranking(first ? exprType(first) : undefined);
    if ((call.fn === "lag" || call.fn === "lead") && args[2] && !typeEquals(exprType(args[2]), type)) {
      args[2] = E.cast(args[2], type);
    }
    const nullable =
      call.fn === "lag" ||
      call.fn === "lead" ||
      call.fn.endsWith("_value") ||
      (first ? exprNullable(first) : false);
    const frame = call.fn.endsWith("_value")
      ? (spec.frame ?? defaultFrame)
      : { type: "rows" as const, start: null, end: null };
    return { fn: call.fn, args, frame, type, nullable };
  }
  if (isAggregateFunction(call.fn)) {
    const r = resolveAggregateCall(call.fn, call.args, input);
    return { fn: r.fn, args: r.args, frame: spec.frame ?? defaultFrame, type: r.type, nullable: true };
  }
  throw new AnalysisError(
    `${call.fn}() is not a window function; over() applies to ranking, offset and aggregate functions`,
  );
}

/** Pulls window functions out of `exprs`: Window nodes over `input`, and the rewritten expressions. */
export function planWindows(
  input: LogicalPlan,
  exprs: readonly Expr[],
): { plan: LogicalPlan; exprs: Expr[] } {
  const groups = new Map<string, { spec: Spec; calls: WindowExpr[] }>();
  let counter = 0;
  const rewrite = (e: Expr): Expr => {
    if (isOver(e)) {
      const spec = resolveSpec(e.args[1]!, input);
      const call = resolveWindowCall(e.args[0]!, spec, input);
      const name = `__w${counter++}`;
      let g = groups.get(spec.key);
      if (!g) groups.set(spec.key, (g = { spec, calls: [] }));
      g.calls.push({ ...call, name });
      return E.column(name);
    }
    const kids = exprChildren(e);
    return kids.length ? withChildren(e, kids.map(rewrite)) : e;
  };
  const out = exprs.map(rewrite);
  let plan = input;
  for (const { spec, calls } of groups.values()) {
    // Each Window node sees its input's columns at the same ordinals, so specs resolved against
    // `input` stay valid on top of earlier Window nodes (they only append columns).
    plan = {
      kind: "Window",
      id: newPlanId(),
      input: plan,
      partitionBy: spec.partitionBy,
      orderBy: spec.orderBy,
      calls,
      schema: {
        fields: [
          ...plan.schema.fields,
          ...calls.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
        ],
      },
    };
  }
  return { plan, exprs: out };
}
