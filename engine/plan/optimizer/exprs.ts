// Expression helpers shared by optimizer rules: which inputs an expression reads, remapping
// and substituting references.
import { type Expr, forEachExpr, transformUp } from "../../expr/expr.js";

/** The input ordinals an expression reads. */
export function referencedIndices(e: Expr, into: Set<number> = new Set()): Set<number> {
  forEachExpr(e, (x) => {
    if (x.kind === "Ref") into.add(x.index);
  });
  return into;
}

/** Rewrites every Ref index through `mapping` (old → new). */
export function remapRefs(e: Expr, mapping: ReadonlyMap<number, number>): Expr {
  return transformUp(e, (x) => {
    if (x.kind !== "Ref") return x;
    const to = mapping.get(x.index);
    if (to === undefined) throw new Error(`internal: reference #${x.index} (${x.name}) lost by pruning`);
    return to === x.index ? x : { ...x, index: to };
  });
}

/** Replaces each Ref i with `exprs[i]` (alias stripped): pushes a predicate through a projection. */
export function substituteRefs(e: Expr, exprs: readonly Expr[]): Expr {
  return transformUp(e, (x) => {
    if (x.kind !== "Ref") return x;
    const by = exprs[x.index]!;
    return by.kind === "Alias" ? by.child : by;
  });
}

/** Splits a conjunction into its parts. */
export function conjuncts(e: Expr): Expr[] {
  return e.kind === "Call" && e.fn === "and" ? e.args.flatMap(conjuncts) : [e];
}

/** Non-deterministic functions must not be moved or duplicated. */
const NONDETERMINISTIC = new Set(["rand", "randn", "uuid", "monotonically_increasing_id"]);
export function isDeterministic(e: Expr): boolean {
  let ok = true;
  forEachExpr(e, (x) => {
    if (x.kind === "Call" && NONDETERMINISTIC.has(x.fn)) ok = false;
  });
  return ok;
}
