// The user-facing Column: an immutable wrapper around an unresolved expression, with Spark
// Scala's method names (gt, geq, plus, isin, ...). Resolution happens when a DataFrame uses it.

import { AnalysisError } from "../errors.js";
import { E, type Expr, type LiteralValue } from "../expr/expr.js";
import { type DataType, T } from "../types/data-type.js";
import { parseTypeName } from "../types/ddl.js";

/** A JS value accepted wherever Spark accepts a literal. */
export type LiteralInput = string | number | bigint | boolean | Date | null;
/** A column, or a value that becomes a literal. */
export type ColumnOrValue = Column | LiteralInput;
/** A column, or a column name. */
export type ColumnOrName = Column | string;

/** A column expression in a DataFrame query. */
export class Column {
  /** @internal */
  constructor(readonly expr: Expr) {}

  // Arithmetic
  plus(o: ColumnOrValue): Column {
    return this.bin("add", o);
  }
  minus(o: ColumnOrValue): Column {
    return this.bin("subtract", o);
  }
  multiply(o: ColumnOrValue): Column {
    return this.bin("multiply", o);
  }
  divide(o: ColumnOrValue): Column {
    return this.bin("divide", o);
  }
  mod(o: ColumnOrValue): Column {
    return this.bin("mod", o);
  }
  /** Unary minus. */
  negate(): Column {
    return new Column(E.call("negate", this.expr));
  }

  // Comparison
  eq(o: ColumnOrValue): Column {
    return this.bin("eq", o);
  }
  /** Spark Scala's `===`. */
  equalTo(o: ColumnOrValue): Column {
    return this.bin("eq", o);
  }
  notEqual(o: ColumnOrValue): Column {
    return this.bin("neq", o);
  }
  /** Null-safe equality (`<=>`): null <=> null is true. */
  eqNullSafe(o: ColumnOrValue): Column {
    return this.bin("eq_null_safe", o);
  }
  gt(o: ColumnOrValue): Column {
    return this.bin("gt", o);
  }
  geq(o: ColumnOrValue): Column {
    return this.bin("ge", o);
  }
  lt(o: ColumnOrValue): Column {
    return this.bin("lt", o);
  }
  leq(o: ColumnOrValue): Column {
    return this.bin("le", o);
  }
  /** lower <= this <= upper. */
  between(lower: ColumnOrValue, upper: ColumnOrValue): Column {
    return this.geq(lower).and(this.leq(upper));
  }

  // Logic
  and(o: ColumnOrValue): Column {
    return this.bin("and", o);
  }
  or(o: ColumnOrValue): Column {
    return this.bin("or", o);
  }
  not(): Column {
    return new Column(E.call("not", this.expr));
  }
  isNull(): Column {
    return new Column(E.call("is_null", this.expr));
  }
  isNotNull(): Column {
    return new Column(E.call("is_not_null", this.expr));
  }
  isNaN(): Column {
    return new Column(E.call("isnan", this.expr));
  }
  /** True when the value equals any of `values` (SQL IN). Accepts values or an array. */
  isin(...values: (ColumnOrValue | readonly ColumnOrValue[])[]): Column {
    const flat = values.flatMap((v) => (Array.isArray(v) ? v : [v])) as ColumnOrValue[];
    return new Column(E.call("in", this.expr, ...flat.map((v) => toExpr(v))));
  }

  // Strings
  like(pattern: string): Column {
    return this.bin("like", pattern);
  }
  rlike(pattern: string): Column {
    return this.bin("rlike", pattern);
  }
  startswith(o: ColumnOrValue): Column {
    return this.bin("startswith", o);
  }
  endswith(o: ColumnOrValue): Column {
    return this.bin("endswith", o);
  }
  contains(o: ColumnOrValue): Column {
    return this.bin("contains", o);
  }
  /** 1-based substring of `len` characters. */
  substr(pos: ColumnOrValue, len: ColumnOrValue): Column {
    return new Column(E.call("substring", this.expr, toExpr(pos), toExpr(len)));
  }

  // Naming, typing, ordering
  alias(name: string): Column {
    return new Column(E.alias(stripAlias(this.expr), name));
  }
  /** Alias of `alias` (Spark's `as`). */
  as(name: string): Column {
    return this.alias(name);
  }
  name(name: string): Column {
    return this.alias(name);
  }
  /** Casts to a type: a DataType or a Spark type name (`"int"`, `"decimal(10,2)"`, `"timestamp"`). */
  cast(to: DataType | string): Column {
    return new Column(E.cast(this.expr, typeof to === "string" ? parseTypeName(to) : to));
  }
  /** Alias of `cast`. */
  astype(to: DataType | string): Column {
    return this.cast(to);
  }
  asc(): Column {
    return new Column(E.sortOrder(this.expr, true, true));
  }
  asc_nulls_first(): Column {
    return new Column(E.sortOrder(this.expr, true, true));
  }
  asc_nulls_last(): Column {
    return new Column(E.sortOrder(this.expr, true, false));
  }
  desc(): Column {
    return new Column(E.sortOrder(this.expr, false, false));
  }
  desc_nulls_first(): Column {
    return new Column(E.sortOrder(this.expr, false, true));
  }
  desc_nulls_last(): Column {
    return new Column(E.sortOrder(this.expr, false, false));
  }

  /** CASE WHEN chaining: `F.when(c, v).when(c2, v2).otherwise(v3)`. */
  when(condition: Column, value: ColumnOrValue): Column {
    if (this.expr.kind !== "CaseWhen" || this.expr.otherwise) {
      throw new AnalysisError("when() can only be applied on a Column previously generated by when()");
    }
    return new Column({
      kind: "CaseWhen",
      branches: [...this.expr.branches, [condition.expr, toExpr(value)]],
    });
  }
  otherwise(value: ColumnOrValue): Column {
    if (this.expr.kind !== "CaseWhen" || this.expr.otherwise) {
      throw new AnalysisError(
        "otherwise() can only be applied once on a Column previously generated by when()",
      );
    }
    return new Column({ kind: "CaseWhen", branches: this.expr.branches, otherwise: toExpr(value) });
  }

  /** This window or aggregate function evaluated over a window: `F.rank().over(w)`. */
  over(window?: { toExpr(): Expr }): Column {
    const spec = window
      ? window.toExpr()
      : E.call("window_spec", E.call("partition_by"), E.call("order_by"), E.call("frame"));
    return new Column(E.call("over", this.expr, spec));
  }

  toString(): string {
    return `Column<'${this.expr.kind === "Column" ? this.expr.name : this.expr.kind}'>`;
  }

  private bin(fn: string, o: ColumnOrValue): Column {
    return new Column(E.call(fn, this.expr, toExpr(o)));
  }
}

function stripAlias(e: Expr): Expr {
  return e.kind === "Alias" ? e.child : e;
}

/** `col("a")`, `col("t.a")` (qualified), `col("*")`. */
export function col(name: string): Column {
  return new Column(parseColumnName(name));
}

/** Parses a column reference string: `a`, `t.a`, `` `a.b` `` (backticks keep dots), `*`, `t.*`. */
export function parseColumnName(name: string): Expr {
  if (name === "*") return { kind: "Star" };
  if (name.startsWith("`") && name.endsWith("`") && name.length >= 2) {
    return E.column(name.slice(1, -1).replaceAll("``", "`"));
  }
  const dot = name.indexOf(".");
  if (dot > 0 && !name.includes("`")) {
    const q = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (rest === "*") return { kind: "Star", qualifier: q };
    // `a.b` may be a qualified reference or a column literally named "a.b"; the analyzer decides.
    return E.column(rest, q);
  }
  return E.column(name);
}

/** A literal column from a JS value; numbers that are integers become int32 (or int64 if large) as in Spark. */
export function lit(value: LiteralInput | Column): Column {
  if (value instanceof Column) return value;
  return new Column(literalExpr(value));
}

/** The Literal expression for a JS value. */
export function literalExpr(value: LiteralInput): Expr {
  if (value === null) return E.lit(null, T.null);
  switch (typeof value) {
    case "boolean":
      return E.lit(value, T.boolean);
    case "string":
      return E.lit(value, T.string);
    case "bigint":
      return E.lit(BigInt.asIntN(64, value), T.int64);
    case "number":
      if (Number.isInteger(value) && !Object.is(value, -0)) {
        if (value >= -2147483648 && value <= 2147483647) return E.lit(value, T.int32);
        if (Number.isSafeInteger(value)) return E.lit(BigInt(value), T.int64);
      }
      return E.lit(value, T.float64);
    case "object":
      if (value instanceof Date) {
        const ms = value.getTime();
        if (Number.isNaN(ms)) throw new AnalysisError("lit(): invalid Date");
        return E.lit(BigInt(ms) * 1000n, T.timestamp);
      }
  }
  throw new AnalysisError(`lit(): unsupported literal ${String(value)} of type ${typeof value}`);
}

/** A Column, a name (`"a"` means col("a")) → expression. Used where Spark takes `ColumnOrName`. */
export function nameToExpr(c: ColumnOrName): Expr {
  return typeof c === "string" ? parseColumnName(c) : c.expr;
}

/** A Column or a plain value (a string is a literal here, as in Spark's arithmetic). */
export function toExpr(v: ColumnOrValue | readonly LiteralValue[]): Expr {
  if (v instanceof Column) return v.expr;
  return literalExpr(v as LiteralInput);
}
