// Typing and resolution of expressions: the result type and nullability of resolved trees,
// and `resolveCall`, which applies a function's type rule and inserts the casts it asks for
// (folding casts of literals that do not depend on the session time zone).
import "./functions/index.js";
import { AnalysisError, closestMatch } from "../errors.js";
import { type DataType, typeEquals, typeName } from "../types/data-type.js";
import { canCast, castLiteral, castMayFail, castNeedsTimeZone } from "./cast.js";
import { widen } from "./coercion.js";
import { type CallExpr, type CaseWhenExpr, E, type Expr, exprName, type LiteralValue } from "./expr.js";
import { callNullable } from "./functions/common.js";
import { type CompileContext, functionNames, lookupFunction, type ScalarFunction } from "./registry.js";

const UTC_CTX: CompileContext = { timeZone: "UTC", nowMicros: 0 };

/** The registered function `fn`; throws AnalysisError (with a suggestion) when unknown. */
export function lookup(fn: string): ScalarFunction {
  const f = lookupFunction(fn);
  if (f === undefined) {
    const best = closestMatch(fn, functionNames());
    throw new AnalysisError(
      `Undefined function: ${fn}${best !== undefined ? `. Did you mean "${best}"?` : ""}`,
    );
  }
  return f;
}

/** The result type of a resolved expression. */
export function exprType(e: Expr): DataType {
  switch (e.kind) {
    case "Ref":
    case "Literal":
      return e.type;
    case "Alias":
    case "SortOrder":
      return exprType(e.child);
    case "Cast":
      return e.to;
    case "CaseWhen":
      return caseWhenType(e);
    case "Call":
      return lookup(e.fn).resolve(e.args.map(exprType), e.args).result;
    case "Column":
    case "Star":
      throw new AnalysisError(`expression ${exprName(e)} is not resolved`);
  }
}

/** The common type of a CASE WHEN's values; throws AnalysisError when there is none. */
export function caseWhenType(e: CaseWhenExpr): DataType {
  const values = [...e.branches.map((b) => b[1]), ...(e.otherwise ? [e.otherwise] : [])];
  const types = values.map(exprType);
  const t = widen(types);
  if (t === null)
    throw new AnalysisError(`CASE WHEN branches have incompatible types: ${types.map(typeName).join(", ")}`);
  return t;
}

/** Can a resolved expression produce null? */
export function exprNullable(e: Expr): boolean {
  switch (e.kind) {
    case "Ref":
      return e.nullable;
    case "Literal":
      return e.value === null;
    case "Alias":
    case "SortOrder":
      return exprNullable(e.child);
    case "Cast":
      return exprNullable(e.child) || castMayFail(exprType(e.child), e.to);
    case "CaseWhen":
      return (
        e.otherwise === undefined || exprNullable(e.otherwise) || e.branches.some((b) => exprNullable(b[1]))
      );
    case "Call":
      return callNullable(e.fn, e.args.map(exprNullable), e.args.map(exprType));
    case "Column":
    case "Star":
      return true;
  }
}

/** `e` as type `t`: unchanged, a folded literal (when the cast needs no time zone) or a Cast. */
export function coerceExpr(e: Expr, t: DataType): Expr {
  const from = exprType(e);
  if (typeEquals(from, t)) return e;
  if (!canCast(from, t))
    throw new AnalysisError(`cannot cast ${exprName(e)} of type ${typeName(from)} to ${typeName(t)}`);
  if (e.kind === "Literal" && !castNeedsTimeZone(from, t))
    return E.lit(castLiteral(e.value, from, t, UTC_CTX), t);
  return E.cast(e, t);
}

/**
 * Resolves a call of a registered function: applies its type rule and casts the arguments
 * to the types it asks for. Throws AnalysisError for an unknown function or bad arguments.
 */
export function resolveCall(fn: string, args: readonly Expr[]): { expr: Expr; type: DataType } {
  const f = lookup(fn);
  const r = f.resolve(args.map(exprType), args);
  const coerced = args.map((a, i) => (r.argTypes[i] === undefined ? a : coerceExpr(a, r.argTypes[i]!)));
  return { expr: E.call(fn, ...coerced), type: r.result };
}

/** Resolves the branch values of a CASE WHEN to their common type (conditions must be boolean). */
export function resolveCaseWhen(e: CaseWhenExpr): CaseWhenExpr {
  const t = caseWhenType(e);
  const branches = e.branches.map(
    ([c, v]) => [coerceExpr(c, { kind: "boolean" }), coerceExpr(v, t)] as const,
  );
  return e.otherwise === undefined
    ? { kind: "CaseWhen", branches }
    : { kind: "CaseWhen", branches, otherwise: coerceExpr(e.otherwise, t) };
}

/** The value of an expression known at compile time (a literal, or a cast/alias of one), else undefined. */
export function literalValueOf(e: Expr, ctx: CompileContext): LiteralValue | undefined {
  switch (e.kind) {
    case "Literal":
      return e.value;
    case "Alias":
      return literalValueOf(e.child, ctx);
    case "Cast": {
      const v = literalValueOf(e.child, ctx);
      if (v === undefined) return undefined;
      const from = exprType(e.child);
      return canCast(from, e.to) ? castLiteral(v, from, e.to, ctx) : undefined;
    }
    default:
      return undefined;
  }
}

/** Coerced arguments of a call (casts inserted where its type rule asks for them). */
export function coercedArgs(e: CallExpr): readonly Expr[] {
  const types = e.args.map(exprType);
  const r = lookup(e.fn).resolve(types, e.args);
  return e.args.map((a, i) =>
    r.argTypes[i] === undefined || typeEquals(types[i]!, r.argTypes[i]!) ? a : E.cast(a, r.argTypes[i]!),
  );
}
