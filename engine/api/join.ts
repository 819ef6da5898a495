// Join analysis for `df.join(other, on, how)`: join types by Spark's names, `using` joins on
// column names (one key column in the output), and joins on any boolean expression, whose
// equalities between the two sides become hash keys and the rest a residual condition.

import { AnalysisError, closestMatch } from "../errors.js";
import { commonType } from "../expr/coercion.js";
import { exprType, resolveCall } from "../expr/compile.js";
import { E, type Expr, exprName, transformUp } from "../expr/expr.js";
import { resolveExpr } from "../plan/analyzer.js";
import { type LogicalPlan, newPlanId, planChildren } from "../plan/logical.js";
import { conjuncts, referencedIndices } from "../plan/optimizer/exprs.js";
import type { JoinType } from "../plan/physical.js";
import { type Field, type Schema, typeEquals, typeName } from "../types/data-type.js";

const JOIN_TYPES: Readonly<Record<string, JoinType>> = {
  inner: "inner",
  cross: "cross",
  left: "left",
  leftouter: "left",
  left_outer: "left",
  right: "right",
  rightouter: "right",
  right_outer: "right",
  full: "full",
  outer: "full",
  fullouter: "full",
  full_outer: "full",
  semi: "left_semi",
  leftsemi: "left_semi",
  left_semi: "left_semi",
  anti: "left_anti",
  leftanti: "left_anti",
  left_anti: "left_anti",
};

export function parseJoinType(how: string): JoinType {
  const t = JOIN_TYPES[how.toLowerCase()];
  if (!t) {
    throw new AnalysisError(
      `unsupported join type "${how}"; supported: inner, cross, left, right, full (outer), left_semi, left_anti`,
    );
  }
  return t;
}

function containsPlan(p: LogicalPlan, id: number): boolean {
  return p.id === id || planChildren(p).some((c) => containsPlan(c, id));
}

/** The output schema of a join: left ++ right (semi/anti: left), with outer sides nullable. */
export function joinSchema(left: Schema, right: Schema, t: JoinType): Schema {
  if (t === "left_semi" || t === "left_anti") return left;
  const nullL = t === "right" || t === "full";
  const nullR = t === "left" || t === "full";
  return {
    fields: [
      ...left.fields.map((f) => ({ ...f, nullable: f.nullable || nullL })),
      ...right.fields.map((f) => ({ ...f, nullable: f.nullable || nullR })),
    ],
  };
}

/**
 * Resolves a join condition against left ++ right. A `df.col(x)` reference binds to the side
 * whose plan it came from; a bare name must be unique across both sides.
 */
function resolveCondition(cond: Expr, left: LogicalPlan, right: LogicalPlan): Expr {
  const nL = left.schema.fields.length;
  const both: Schema = { fields: [...left.schema.fields, ...right.schema.fields] };
  const bound = transformUp(cond, (e) => {
    if (e.kind !== "Column" || e.planId === undefined) return e;
    const inLeft = containsPlan(left, e.planId);
    const inRight = containsPlan(right, e.planId);
    if (inLeft === inRight) return e; // self-join: fall back to the name
    const side = inLeft ? left.schema : right.schema;
    const i = side.fields.findIndex((f) => f.name === e.name);
    if (i < 0) return e;
    const f = side.fields[i]!;
    return E.ref(inLeft ? i : nL + i, f.name, f.type, f.nullable);
  });
  try {
    return resolveExpr(bound, both);
  } catch (err) {
    if (err instanceof AnalysisError && /ambiguous/.test(err.message)) {
      throw new AnalysisError(
        `${err.message.split(".")[0]} in the join condition: both sides have it. Qualify it with the DataFrame ` +
          `it comes from, e.g. left.col("x").eq(right.col("x")), or join on the column name: join(other, "x")`,
      );
    }
    throw err;
  }
}

/** Casts both key sides to their common type so they hash and compare alike. */
function alignKeys(l: Expr, r: Expr): [Expr, Expr] {
  const lt = exprType(l);
  const rt = exprType(r);
  if (typeEquals(lt, rt)) return [l, r];
  const t = commonType(lt, rt);
  if (!t)
    throw new AnalysisError(
      `join keys ${exprName(l)} (${typeName(lt)}) and ${exprName(r)} (${typeName(rt)}) cannot be compared`,
    );
  return [typeEquals(lt, t) ? l : E.cast(l, t), typeEquals(rt, t) ? r : E.cast(r, t)];
}

/** Shifts right-side references of a key down to the right input's own ordinals. */
const shift = (e: Expr, by: number): Expr =>
  transformUp(e, (x) => (x.kind === "Ref" ? { ...x, index: x.index - by } : x));

/** A join on a boolean expression: equalities across sides become keys, the rest a residual. */
export function joinOnExpr(
  left: LogicalPlan,
  right: LogicalPlan,
  cond: Expr | null,
  t: JoinType,
): LogicalPlan {
  const nL = left.schema.fields.length;
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const residual: Expr[] = [];
  if (cond) {
    const resolved = resolveCondition(cond, left, right);
    for (const c of conjuncts(resolved)) {
      if (c.kind === "Call" && c.fn === "eq") {
        const [a, b] = c.args as [Expr, Expr];
        const ra = [...referencedIndices(a)];
        const rb = [...referencedIndices(b)];
        const onlyLeft = (r: number[]) => r.length > 0 && r.every((i) => i < nL);
        const onlyRight = (r: number[]) => r.length > 0 && r.every((i) => i >= nL);
        if (onlyLeft(ra) && onlyRight(rb)) {
          const [l, r] = alignKeys(a, shift(b, nL));
          leftKeys.push(l);
          rightKeys.push(r);
          continue;
        }
        if (onlyRight(ra) && onlyLeft(rb)) {
          const [l, r] = alignKeys(b, shift(a, nL));
          leftKeys.push(l);
          rightKeys.push(r);
          continue;
        }
      }
      residual.push(c);
    }
  }
  const condition = residual.length ? residual.reduce((a, b) => E.call("and", a, b)) : null;
  return {
    kind: "Join",
    id: newPlanId(),
    left,
    right,
    joinType: t,
    leftKeys,
    rightKeys,
    condition,
    schema: joinSchema(left.schema, right.schema, t),
  };
}

/**
 * A join on column names (`using`): each name once in the output (the left key, or for a full
 * join the first non-null of both), then the other left columns, then the other right ones.
 */
export function joinUsing(
  left: LogicalPlan,
  right: LogicalPlan,
  names: readonly string[],
  t: JoinType,
): LogicalPlan {
  const find = (s: Schema, n: string, side: string) => {
    const i = s.fields.findIndex((f) => f.name.toLowerCase() === n.toLowerCase());
    if (i < 0) {
      const best = closestMatch(
        n,
        s.fields.map((f) => f.name),
      );
      throw new AnalysisError(
        `join column "${n}" does not exist on the ${side} side [${s.fields.map((f) => f.name).join(", ")}]` +
          (best ? `. Did you mean "${best}"?` : ""),
      );
    }
    return i;
  };
  const li = names.map((n) => find(left.schema, n, "left"));
  const ri = names.map((n) => find(right.schema, n, "right"));
  const nL = left.schema.fields.length;
  const ref = (s: Schema, i: number, offset = 0): Expr => {
    const f = s.fields[i]!;
    return E.ref(i + offset, f.name, f.type, f.nullable);
  };
  const cond = li
    .map((l, k) => E.call("eq", ref(left.schema, l), ref(right.schema, ri[k]!, nL)))
    .reduce((a, b) => E.call("and", a, b));
  const join = joinOnExpr(left, right, cond, t);
  const out = join.schema;
  const exprs: Expr[] = [];
  const fields: Field[] = [];
  const push = (e: Expr, f: Field) => {
    exprs.push(e.kind === "Ref" && e.name === f.name ? e : E.alias(e, f.name));
    fields.push(f);
  };
  li.forEach((l, k) => {
    const lf = out.fields[l]!;
    if (t === "full" || t === "right") {
      const rIdx = nL + ri[k]!;
      const rf = out.fields[rIdx]!;
      const lRef = E.ref(l, lf.name, lf.type, lf.nullable);
      const rRef = E.ref(rIdx, rf.name, rf.type, rf.nullable);
      const e = t === "right" ? rRef : resolveCall("coalesce", [lRef, rRef]).expr;
      const type = commonType(lf.type, rf.type) ?? lf.type;
      push(typeEquals(exprType(e), type) ? e : E.cast(e, type), {
        name: lf.name,
        type,
        nullable: t === "full" ? lf.nullable && rf.nullable : rf.nullable,
      });
    } else push(E.ref(l, lf.name, lf.type, lf.nullable), lf);
  });
  out.fields.forEach((f, i) => {
    if (i < nL ? li.includes(i) : ri.includes(i - nL)) return;
    if (i >= nL && (t === "left_semi" || t === "left_anti")) return;
    push(E.ref(i, f.name, f.type, f.nullable), f);
  });
  return { kind: "Project", id: newPlanId(), input: join, exprs, schema: { fields } };
}
