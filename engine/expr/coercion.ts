// Spark's implicit type coercion (spark.sql.ansi.enabled=false): the common type of two or
// more types for union, CASE WHEN, coalesce and IN, and the type two sides of a comparison
// are cast to. Functions' `resolve` rules and the analyzer share these.
import { type DataType, isNumeric, typeEquals } from "../types/data-type.js";
import { decimalForType, widerDecimal } from "./kernels/decimal.js";

/** Does casting from `from` to `to` change anything? */
export const needsCast = (from: DataType, to: DataType): boolean => !typeEquals(from, to);

const NUMERIC_RANK: Partial<Record<DataType["kind"], number>> = { int32: 1, int64: 2, float64: 3 };

/** Spark's findTightestCommonType: widening without loss (int < bigint < double, date < timestamp). */
export function tightestCommonType(a: DataType, b: DataType): DataType | null {
  if (typeEquals(a, b)) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  if (a.kind === "timestamp" && b.kind === "timestamp") {
    // A zoned timestamp (an instant) wins over a wall-clock one, as TIMESTAMP over TIMESTAMP_NTZ.
    return a.tz !== null ? a : b;
  }
  if (a.kind === "timestamp" && b.kind === "date") return a;
  if (a.kind === "date" && b.kind === "timestamp") return b;
  if (a.kind === "list" && b.kind === "list") {
    const e = tightestCommonType(a.element, b.element);
    return e === null ? null : { kind: "list", element: e };
  }
  return null;
}

/** Spark's findWiderTypeForDecimal: decimal with integral widens the decimal, with double gives double. */
function widerTypeForDecimal(a: DataType, b: DataType): DataType | null {
  if (a.kind !== "decimal" && b.kind !== "decimal") return null;
  if (a.kind === "float64" || b.kind === "float64") return { kind: "float64" };
  const da = decimalForType(a);
  const db = decimalForType(b);
  return da !== null && db !== null ? widerDecimal(da, db) : null;
}

function stringPromotion(a: DataType, b: DataType): DataType | null {
  const atomic = (t: DataType) => t.kind !== "list" && t.kind !== "boolean";
  if (a.kind === "string" && atomic(b)) return a;
  if (b.kind === "string" && atomic(a)) return b;
  return null;
}

/**
 * The common type of two types (Spark's findWiderTypeForTwo): tightest, then decimal
 * widening, then promotion to string (`int` with `string` gives `string`). Null when none.
 */
export function commonType(a: DataType, b: DataType): DataType | null {
  const t = tightestCommonType(a, b) ?? widerTypeForDecimal(a, b) ?? stringPromotion(a, b);
  if (t !== null) return t;
  if (a.kind === "list" && b.kind === "list") {
    const e = commonType(a.element, b.element);
    return e === null ? null : { kind: "list", element: e };
  }
  return null;
}

/** Like `commonType` without string promotion (greatest, least). */
export function commonTypeNoStringPromotion(a: DataType, b: DataType): DataType | null {
  const t = tightestCommonType(a, b) ?? widerTypeForDecimal(a, b);
  if (t !== null) return t;
  if (a.kind === "list" && b.kind === "list") {
    const e = commonTypeNoStringPromotion(a.element, b.element);
    return e === null ? null : { kind: "list", element: e };
  }
  return null;
}

const hasString = (t: DataType): boolean =>
  t.kind === "string" || (t.kind === "list" && hasString(t.element));

/**
 * The common type of several types (Spark's findWiderCommonType; string-bearing types are
 * folded first so that the result does not depend on argument order). Null when none; the
 * common type of no types (or only nulls) is `null`.
 */
export function widen(types: readonly DataType[], stringPromotion = true): DataType | null {
  const ordered = stringPromotion
    ? [...types.filter(hasString), ...types.filter((t) => !hasString(t))]
    : [...types];
  let acc: DataType | null = { kind: "null" };
  const f = stringPromotion ? commonType : commonTypeNoStringPromotion;
  for (const t of ordered) {
    acc = f(acc, t);
    if (acc === null) return null;
  }
  return acc;
}

/**
 * The type both sides of a comparison are cast to (Spark's findCommonTypeForBinaryComparison
 * followed by decimal and numeric widening): a string meets a date, timestamp, number or
 * boolean as that type (a decimal as double), a date meets a timestamp as timestamp. Null when
 * the two cannot be compared.
 */
export function comparisonType(a: DataType, b: DataType): DataType | null {
  if (typeEquals(a, b)) return a;
  if (a.kind === "string" || b.kind === "string") {
    const other = a.kind === "string" ? b : a;
    if (other.kind === "null") return { kind: "string" };
    if (other.kind === "decimal") return { kind: "float64" };
    if (other.kind === "list") return null;
    return other;
  }
  if (isNumeric(a) && isNumeric(b)) return tightestCommonType(a, b) ?? widerTypeForDecimal(a, b);
  return tightestCommonType(a, b);
}
