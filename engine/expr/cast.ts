// CAST between Kindling's types with Spark 3.5's non-ANSI rules. `canCast` says which casts
// exist (others are analysis errors), `castKernel` builds the column kernel once per plan,
// `castLiteral` converts one typed value (for constant folding). The kernels live in cast/*.
import { columnFromValues, getString, readDecimal } from "../columnar/builders.js";
import { type Column, isValid, nullColumn } from "../columnar/column.js";
import { AnalysisError } from "../errors.js";
import { type DataType, isNumeric, typeEquals, typeName } from "../types/data-type.js";
import { castDatetime } from "./cast/datetime.js";
import { castFromString } from "./cast/from-string.js";
import { castNumeric, castNumericToTimestamp } from "./cast/numeric.js";
import { castToString } from "./cast/to-string.js";
import type { LiteralValue } from "./expr.js";
import type { CompileContext } from "./registry.js";

const isNumOrBool = (t: DataType): boolean => isNumeric(t) || t.kind === "boolean";
const isDatetime = (t: DataType): boolean => t.kind === "date" || t.kind === "timestamp";
const isZoned = (t: DataType): boolean => t.kind === "timestamp" && t.tz !== null;

/** Does Spark (non-ANSI) allow casting `from` to `to`? */
export function canCast(from: DataType, to: DataType): boolean {
  if (typeEquals(from, to) || from.kind === "null") return true;
  if (to.kind === "string") return true;
  if (from.kind === "list" || to.kind === "list")
    return from.kind === "list" && to.kind === "list" && canCast(from.element, to.element);
  if (from.kind === "string") return to.kind !== "null";
  if (isNumOrBool(to)) return isNumOrBool(from) || from.kind === "date" || isZoned(from);
  if (to.kind === "date") return from.kind === "timestamp";
  if (to.kind === "timestamp") return isDatetime(from) || (to.tz !== null && isNumOrBool(from));
  return false;
}

/** Does the cast depend on the session time zone? */
export function castNeedsTimeZone(from: DataType, to: DataType): boolean {
  if (from.kind === "list" && to.kind === "list") return castNeedsTimeZone(from.element, to.element);
  if (typeEquals(from, to)) return false;
  const other = isZoned(from) ? to : isZoned(to) ? from : null;
  if (other === null) return false;
  return (
    other.kind === "string" || other.kind === "date" || (other.kind === "timestamp" && other.tz === null)
  );
}

/** Can the cast turn a non-null value into null (invalid input, overflow)? */
export function castMayFail(from: DataType, to: DataType): boolean {
  if (typeEquals(from, to) || to.kind === "string") return false;
  if (from.kind === "list" && to.kind === "list") return castMayFail(from.element, to.element);
  if (from.kind === "string") return true;
  if (to.kind === "decimal") return true;
  if (from.kind === "date" && isNumOrBool(to)) return true;
  return from.kind === "float64" && to.kind === "timestamp";
}

/** A kernel casting a `from` column to `to`; throws AnalysisError when the cast does not exist. */
export function castKernel(from: DataType, to: DataType, ctx: CompileContext): (c: Column) => Column {
  if (!canCast(from, to)) throw new AnalysisError(`cannot cast ${typeName(from)} to ${typeName(to)}`);
  if (typeEquals(from, to)) return (c) => c;
  if (from.kind === "null") return (c) => nullColumn(to, c.length);
  if (to.kind === "string") return (c) => castToString(c, c.length, ctx);
  if (from.kind === "string") return (c) => castFromString(c, to, c.length, ctx);
  if (from.kind === "list" && to.kind === "list") {
    const child = castKernel(from.element, to.element, ctx);
    return (c) => ({ ...c, type: to, child: child(c.child!) });
  }
  if (from.kind === "date" && isNumOrBool(to)) return (c) => nullColumn(to, c.length);
  if (isDatetime(from) && isDatetime(to)) return (c) => castDatetime(c, to, c.length, ctx);
  if (to.kind === "timestamp") return (c) => castNumericToTimestamp(c, to, c.length);
  return (c) => castNumeric(c, to, c.length);
}

/** Casts a column. */
export function castColumn(c: Column, to: DataType, ctx: CompileContext): Column {
  return castKernel(c.type, to, ctx)(c);
}

/** Row i of a column as a typed literal value (see `LiteralValue`). */
export function literalAt(c: Column, i: number): LiteralValue {
  if (c.type.kind === "null" || !isValid(c, i)) return null;
  switch (c.type.kind) {
    case "boolean":
      return (c.values as Uint8Array)[i] === 1;
    case "int32":
    case "date":
    case "float64":
      return (c.values as Int32Array | Float64Array)[i]!;
    case "int64":
    case "timestamp":
      return (c.values as BigInt64Array)[i]!;
    case "decimal":
      return readDecimal(c.values as BigInt64Array, i);
    case "string":
      return getString(c, i);
    case "list": {
      const o = c.offsets!;
      const out: LiteralValue[] = [];
      for (let k = o[i]!; k < o[i + 1]!; k++) out.push(literalAt(c.child!, k));
      return out;
    }
  }
}

/** A one-row column holding a typed literal value. */
export function literalToColumn(value: LiteralValue, type: DataType): Column {
  return columnFromValues(type, [value as never]);
}

/** Casts one typed value (constant folding). */
export function castLiteral(
  value: LiteralValue,
  from: DataType,
  to: DataType,
  ctx: CompileContext,
): LiteralValue {
  if (value === null) return null;
  return literalAt(castColumn(literalToColumn(value, from), to, ctx), 0);
}
