// The analyzer: resolves user expressions against an input schema (names → ordinals, types
// checked, casts inserted by each function's type rule) and names output columns as Spark does.
// Analysis is eager: DataFrame methods call it, so mistakes surface at the call.

import { AnalysisError, closestMatch } from "../errors.js";
import { canCast } from "../expr/cast.js";
import { commonType } from "../expr/coercion.js";
import { exprNullable, exprType, resolveCall } from "../expr/compile.js";
import { E, type Expr, exprName } from "../expr/expr.js";
import { type DataType, type Field, type Schema, typeEquals, typeName } from "../types/data-type.js";

/** Finds the index of a column by name (case-insensitive, as Spark by default). Throws with suggestions. */
export function resolveName(schema: Schema, name: string, qualifier?: string, planId?: number): number {
  const names = schema.fields.map((f) => f.name);
  const full = qualifier !== undefined ? `${qualifier}.${name}` : name;
  if (qualifier !== undefined) {
    // `t.x` where t is a DataFrame alias.
    const q = qualifier.toLowerCase();
    const n = name.toLowerCase();
    const hits: number[] = [];
    schema.fields.forEach((f, i) => {
      if (f.qualifier?.toLowerCase() === q && f.name.toLowerCase() === n) hits.push(i);
    });
    if (hits.length === 1) return hits[0]!;
  }
  // A column literally named "a.b" wins over the qualified reading of `a.b`.
  for (const candidate of qualifier !== undefined ? [full, name] : [name]) {
    const lower = candidate.toLowerCase();
    const hits: number[] = [];
    names.forEach((n, i) => {
      if (n.toLowerCase() === lower) hits.push(i);
    });
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1 && planId !== undefined) {
      // `df.col(x)`: the column that came from that DataFrame.
      const mine = hits.filter((i) => schema.fields[i]!.origins?.includes(planId));
      if (mine.length === 1) return mine[0]!;
    }
    if (hits.length > 1) {
      throw new AnalysisError(
        `Reference "${full}" is ambiguous: it matches ${hits.length} columns of [${names.join(", ")}]. ` +
          `Give the inputs distinct names (withColumnRenamed) or alias them with df.alias("a") and refer to col("a.${name}").`,
      );
    }
  }
  const best = closestMatch(full, names);
  throw new AnalysisError(
    `Column "${full}" does not exist. Available columns: [${names.join(", ")}]` +
      (best !== undefined ? `. Did you mean "${best}"?` : ""),
  );
}

/** Resolves an expression against `schema`. Star is not allowed here (see expandStars). */
export function resolveExpr(e: Expr, schema: Schema): Expr {
  switch (e.kind) {
    case "Column": {
      const i = resolveName(schema, e.name, e.qualifier, e.planId);
      const f = schema.fields[i]!;
      return E.ref(i, f.name, f.type, f.nullable);
    }
    case "Ref":
    case "Literal":
      return e;
    case "Star":
      throw new AnalysisError(`"${exprName(e)}" is only allowed as a top-level select expression`);
    case "Alias":
      return E.alias(resolveExpr(e.child, schema), e.name);
    case "Cast": {
      const child = resolveExpr(e.child, schema);
      const from = exprType(child);
      if (!canCast(from, e.to)) {
        throw new AnalysisError(
          `cannot cast ${exprName(e.child)} of type ${typeName(from)} to ${typeName(e.to)}`,
        );
      }
      return typeEquals(from, e.to) ? child : E.cast(child, e.to);
    }
    case "Call":
      return resolveCall(
        e.fn,
        e.args.map((a) => resolveExpr(a, schema)),
      ).expr;
    case "SortOrder":
      return { ...e, child: resolveExpr(e.child, schema) };
    case "CaseWhen": {
      const branches = e.branches.map(
        ([c, v]) =>
          [
            coerceTo(resolveExpr(c, schema), { kind: "boolean" }, "WHEN condition"),
            resolveExpr(v, schema),
          ] as const,
      );
      const otherwise = e.otherwise ? resolveExpr(e.otherwise, schema) : undefined;
      const values = [...branches.map((b) => b[1]), ...(otherwise ? [otherwise] : [])];
      let t: DataType = values.length ? exprType(values[0]!) : { kind: "null" };
      for (const x of values.slice(1)) {
        const next = commonType(t, exprType(x));
        if (!next) {
          throw new AnalysisError(
            `CASE WHEN branches have incompatible types ${typeName(t)} and ${typeName(exprType(x))} in ${exprName(e)}`,
          );
        }
        t = next;
      }
      const cast = (x: Expr) => (typeEquals(exprType(x), t) ? x : E.cast(x, t));
      const out = branches.map(([c, v]) => [c, cast(v)] as const);
      return otherwise
        ? { kind: "CaseWhen", branches: out, otherwise: cast(otherwise) }
        : { kind: "CaseWhen", branches: out };
    }
  }
}

function coerceTo(e: Expr, t: DataType, what: string): Expr {
  const from = exprType(e);
  if (typeEquals(from, t)) return e;
  if (from.kind === "null") return E.cast(e, t);
  throw new AnalysisError(`${what} must be ${typeName(t)}, got ${typeName(from)}: ${exprName(e)}`);
}

/** Resolves a boolean predicate (filter condition). */
export function resolvePredicate(e: Expr, schema: Schema): Expr {
  return coerceTo(resolveExpr(e, schema), { kind: "boolean" }, "filter condition");
}

/** Expands `*` and `t.*` into column references. */
export function expandStars(exprs: readonly Expr[], schema: Schema): Expr[] {
  return exprs.flatMap((e) =>
    e.kind === "Star" ? schema.fields.map((f, i) => E.ref(i, f.name, f.type, f.nullable) as Expr) : [e],
  );
}

/**
 * Resolves select-list expressions and names them: a bare column keeps its name, an alias
 * its alias, anything else Spark's generated name (`(a + 1)`, `upper(name)`).
 */
export function resolveProjection(exprs: readonly Expr[], schema: Schema): { exprs: Expr[]; schema: Schema } {
  const out: Expr[] = [];
  const fields: Field[] = [];
  for (const raw of expandStars(exprs, schema)) {
    const resolved = resolveExpr(raw, schema);
    const name = raw.kind === "Ref" ? raw.name : resolved.kind === "Ref" ? resolved.name : exprName(raw);
    const body = resolved.kind === "Alias" ? resolved.child : resolved;
    const type = exprType(body);
    out.push(body.kind === "Ref" && body.name === name ? body : E.alias(body, name));
    // A bare column keeps the DataFrame alias it was reachable under.
    const from = resolved.kind === "Ref" ? schema.fields[resolved.index] : undefined;
    fields.push({
      name,
      type,
      nullable: exprNullable(body),
      ...(from?.qualifier !== undefined ? { qualifier: from.qualifier } : {}),
      ...(from?.origins !== undefined ? { origins: from.origins } : {}),
    });
  }
  return { exprs: out, schema: { fields } };
}
