// Expression trees: plain, immutable data. Built by the Column API (unresolved: columns by
// name), resolved by the analyzer (columns by ordinal into the input schema, casts inserted),
// compiled into kernels by `compile.ts`, and encoded to protobuf by `plan/codec.ts`.
import type { DataType } from "../types/data-type.js";

/**
 * A typed literal value. int64 and timestamp (µs) are bigint, date is days (number),
 * decimal is the unscaled bigint, list is an array of element values.
 */
export type LiteralValue = null | boolean | number | bigint | string | readonly LiteralValue[];

/** Every expression node. */
export type Expr =
  | ColumnExpr
  | RefExpr
  | LiteralExpr
  | AliasExpr
  | CallExpr
  | CastExpr
  | CaseWhenExpr
  | SortOrderExpr
  | StarExpr;

export type ExprKind = Expr["kind"];

/** An unresolved reference by name; `qualifier` from `col("a.x")`, `planId` from `df.col(x)`. */
export interface ColumnExpr {
  readonly kind: "Column";
  readonly name: string;
  readonly qualifier?: string;
  readonly planId?: number;
}

/** A resolved reference to the `index`-th column of the operator's input. */
export interface RefExpr {
  readonly kind: "Ref";
  readonly index: number;
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

export interface LiteralExpr {
  readonly kind: "Literal";
  readonly value: LiteralValue;
  readonly type: DataType;
}

export interface AliasExpr {
  readonly kind: "Alias";
  readonly child: Expr;
  readonly name: string;
}

/**
 * A call of a named scalar function (see `registry.ts`): arithmetic (`add`, `subtract`,
 * `multiply`, `divide`, `mod`, `negate`), comparison (`eq`, `neq`, `lt`, `le`, `gt`, `ge`,
 * `eq_null_safe`), logic (`and`, `or`, `not`), `is_null`, `is_not_null`, `in`, `like`,
 * `rlike`, `coalesce`, and the string, math and date functions. Aggregate and window
 * functions are calls too; the planner decides where they run.
 */
export interface CallExpr {
  readonly kind: "Call";
  readonly fn: string;
  readonly args: readonly Expr[];
}

export interface CastExpr {
  readonly kind: "Cast";
  readonly child: Expr;
  readonly to: DataType;
}

/** CASE WHEN c1 THEN v1 ... ELSE otherwise END; `otherwise` absent means NULL. */
export interface CaseWhenExpr {
  readonly kind: "CaseWhen";
  readonly branches: readonly (readonly [Expr, Expr])[];
  readonly otherwise?: Expr;
}

/** An ordering key: only valid in sort and window specifications. */
export interface SortOrderExpr {
  readonly kind: "SortOrder";
  readonly child: Expr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** `*`, or `t.*` with a qualifier; expanded by the analyzer. */
export interface StarExpr {
  readonly kind: "Star";
  readonly qualifier?: string;
}

export const E = {
  column: (name: string, qualifier?: string, planId?: number): ColumnExpr => ({
    kind: "Column",
    name,
    ...(qualifier !== undefined ? { qualifier } : {}),
    ...(planId !== undefined ? { planId } : {}),
  }),
  ref: (index: number, name: string, type: DataType, nullable: boolean): RefExpr => ({
    kind: "Ref",
    index,
    name,
    type,
    nullable,
  }),
  lit: (value: LiteralValue, type: DataType): LiteralExpr => ({ kind: "Literal", value, type }),
  alias: (child: Expr, name: string): AliasExpr => ({ kind: "Alias", child, name }),
  call: (fn: string, ...args: Expr[]): CallExpr => ({ kind: "Call", fn, args }),
  cast: (child: Expr, to: DataType): CastExpr => ({ kind: "Cast", child, to }),
  sortOrder: (child: Expr, ascending: boolean, nullsFirst: boolean): SortOrderExpr => ({
    kind: "SortOrder",
    child,
    ascending,
    nullsFirst,
  }),
} as const;

/** The children of an expression, in a fixed order. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "Column":
    case "Ref":
    case "Literal":
    case "Star":
      return [];
    case "Alias":
    case "Cast":
    case "SortOrder":
      return [e.child];
    case "Call":
      return e.args;
    case "CaseWhen":
      return [...e.branches.flat(), ...(e.otherwise ? [e.otherwise] : [])];
  }
}

/** Rebuilds `e` with new children (same order as `exprChildren`); returns `e` if unchanged. */
export function withChildren(e: Expr, children: readonly Expr[]): Expr {
  const old = exprChildren(e);
  if (old.length === children.length && old.every((c, i) => c === children[i])) return e;
  switch (e.kind) {
    case "Column":
    case "Ref":
    case "Literal":
    case "Star":
      return e;
    case "Alias":
    case "Cast":
    case "SortOrder":
      return { ...e, child: children[0]! };
    case "Call":
      return { ...e, args: children };
    case "CaseWhen": {
      const branches: (readonly [Expr, Expr])[] = [];
      for (let i = 0; i < e.branches.length; i++) branches.push([children[2 * i]!, children[2 * i + 1]!]);
      const otherwise = e.otherwise ? children[children.length - 1] : undefined;
      return otherwise ? { kind: "CaseWhen", branches, otherwise } : { kind: "CaseWhen", branches };
    }
  }
}

/** Bottom-up rewrite: `f` sees each node after its children were rewritten. */
export function transformUp(e: Expr, f: (e: Expr) => Expr): Expr {
  const kids = exprChildren(e);
  const next = kids.length
    ? withChildren(
        e,
        kids.map((k) => transformUp(k, f)),
      )
    : e;
  return f(next);
}

/** Visits every node, parents first. */
export function forEachExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of exprChildren(e)) forEachExpr(c, f);
}

/** The output column name Spark gives an expression: `col`, `(a + b)`, `upper(name)`, `CAST(x AS INT)`. */
export function exprName(e: Expr): string {
  switch (e.kind) {
    case "Column":
      return e.name;
    case "Ref":
      return e.name;
    case "Alias":
      return e.name;
    case "Star":
      return e.qualifier ? `${e.qualifier}.*` : "*";
    case "Literal":
      return e.value === null ? "NULL" : typeof e.value === "string" ? e.value : String(e.value);
    case "Cast":
      return `CAST(${exprName(e.child)} AS ${castTypeName(e.to)})`;
    case "SortOrder":
      return `${exprName(e.child)} ${e.ascending ? "ASC" : "DESC"} NULLS ${e.nullsFirst ? "FIRST" : "LAST"}`;
    case "CaseWhen":
      return `CASE ${e.branches.map(([c, v]) => `WHEN ${exprName(c)} THEN ${exprName(v)}`).join(" ")}${
        e.otherwise ? ` ELSE ${exprName(e.otherwise)}` : ""
      } END`;
    case "Call": {
      const op = INFIX[e.fn];
      if (op && e.args.length === 2) return `(${exprName(e.args[0]!)} ${op} ${exprName(e.args[1]!)})`;
      if (e.fn === "not") return `(NOT ${exprName(e.args[0]!)})`;
      if (e.fn === "negate") return `(- ${exprName(e.args[0]!)})`;
      if (e.fn === "is_null") return `(${exprName(e.args[0]!)} IS NULL)`;
      if (e.fn === "is_not_null") return `(${exprName(e.args[0]!)} IS NOT NULL)`;
      if (e.fn === "count" && e.args.length === 1 && e.args[0]!.kind === "Star") return "count(1)";
      if ((e.fn === "first" || e.fn === "last") && e.args.length === 2)
        return `${e.fn}(${exprName(e.args[0]!)})`;
      if (e.fn === "count_distinct") return `count(DISTINCT ${e.args.map(exprName).join(", ")})`;
      if (e.fn === "over") return `${exprName(e.args[0]!)} OVER (...)`;
      if (e.fn === "in") return `(${exprName(e.args[0]!)} IN (${e.args.slice(1).map(exprName).join(", ")}))`;
      return `${e.fn}(${e.args.map(exprName).join(", ")})`;
    }
  }
}

const INFIX: Record<string, string> = {
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
  mod: "%",
  eq: "=",
  neq: "!=",
  eq_null_safe: "<=>",
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
  and: "AND",
  or: "OR",
  like: "LIKE",
  rlike: "RLIKE",
};

function castTypeName(t: DataType): string {
  switch (t.kind) {
    case "int32":
      return "INT";
    case "int64":
      return "BIGINT";
    case "float64":
      return "DOUBLE";
    case "string":
      return "STRING";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return t.tz === null ? "TIMESTAMP_NTZ" : "TIMESTAMP";
    case "decimal":
      return `DECIMAL(${t.precision},${t.scale})`;
    case "null":
      return "VOID";
    case "list":
      return `ARRAY<${castTypeName(t.element)}>`;
  }
}
