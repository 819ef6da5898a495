// Row-group pruning: can a pushed filter be true for any row of a row group, given its
// column statistics? `mayMatch` answers false only when the statistics prove the filter is
// false or null for every row; anything it does not understand answers true.
//
// Understood: comparisons (eq, lt, le, gt, ge, eq_null_safe) between a column (or a monotone
// widening cast of one) and a literal in either order, `in` with literals, is_null,
// is_not_null, and/or/not, and literal conditions. `neq` never prunes. Float columns may hold
// NaN, which Spark orders above every number and which statistics do not cover, so `>`/`>=`
// never prune a float column.
import type { Expr } from "../../expr/expr.js";
import type { DataType } from "../../types/data-type.js";
import type { Bound, ChunkStats } from "./stats.js";

/** The statistics of dataset column `index` in the row group under test, or null if unknown. */
export type StatsLookup = (index: number) => ChunkStats | null;

/** False only when the statistics prove `filter` is not true for any row of the row group. */
export function mayMatch(filter: Expr, lookup: StatsLookup): boolean {
  return evaluate(filter, lookup);
}

const FLIP: Record<string, string> = {
  eq: "eq",
  eq_null_safe: "eq_null_safe",
  lt: "gt",
  le: "ge",
  gt: "lt",
  ge: "le",
};
const NEGATE: Record<string, string> = { eq: "neq", neq: "eq", lt: "ge", le: "gt", gt: "le", ge: "lt" };

function evaluate(e: Expr, lookup: StatsLookup): boolean {
  if (e.kind === "Literal") return !(e.value === false || e.value === null);
  if (e.kind === "Alias") return evaluate(e.child, lookup);
  if (e.kind !== "Call") return true;
  const a = e.args;
  switch (e.fn) {
    case "and":
      return a.every((x) => evaluate(x, lookup));
    case "or":
      return a.some((x) => evaluate(x, lookup));
    case "not":
      return a.length === 1 ? evaluateNot(a[0]!, lookup) : true;
    case "is_null":
    case "is_not_null": {
      const o = a.length === 1 ? operand(a[0]!, lookup) : null;
      if (!o || o.stats.nullCount === null) return true;
      return e.fn === "is_null" ? o.stats.nullCount > 0 : o.stats.nullCount < o.stats.rows;
    }
    case "eq":
    case "eq_null_safe":
    case "lt":
    case "le":
    case "gt":
    case "ge":
      return a.length === 2 ? comparison(e.fn, a[0]!, a[1]!, lookup) : true;
    case "in":
      return a.length >= 1 ? inList(a[0]!, a.slice(1), lookup) : true;
    default:
      return true;
  }
}

/** NOT pushed through: De Morgan, and comparisons negated (valid under Spark's total order). */
function evaluateNot(e: Expr, lookup: StatsLookup): boolean {
  if (e.kind === "Literal") return !(e.value === true || e.value === null);
  if (e.kind !== "Call") return true;
  const a = e.args;
  switch (e.fn) {
    case "not":
      return a.length === 1 ? evaluate(a[0]!, lookup) : true;
    case "and":
      return a.some((x) => evaluateNot(x, lookup));
    case "or":
      return a.every((x) => evaluateNot(x, lookup));
    case "is_null":
      return evaluate({ ...e, fn: "is_not_null" }, lookup);
    case "is_not_null":
      return evaluate({ ...e, fn: "is_null" }, lookup);
    default: {
      const neg = NEGATE[e.fn];
      return neg !== undefined && a.length === 2 ? evaluate({ ...e, fn: neg }, lookup) : true;
    }
  }
}

/** A column operand: its type after casts, its bounds, and whether NaN may hide in it. */
interface Operand {
  readonly type: DataType;
  readonly stats: ChunkStats;
  readonly nan: boolean;
}

function operand(e: Expr, lookup: StatsLookup): Operand | null {
  if (e.kind === "Alias") return operand(e.child, lookup);
  if (e.kind === "Ref") {
    const stats = lookup(e.index);
    return stats ? { type: e.type, stats, nan: e.type.kind === "float64" } : null;
  }
  if (e.kind === "Cast") {
    const o = operand(e.child, lookup);
    return o ? castOperand(o, e.to) : null;
  }
  return null;
}

/** Bounds through a cast that is monotone, exact in range and never yields null or NaN. */
function castOperand(o: Operand, to: DataType): Operand | null {
  const from = o.type;
  let f: ((b: Bound) => Bound) | null = null;
  if (from.kind === to.kind && from.kind !== "decimal" && from.kind !== "timestamp" && from.kind !== "list")
    return o;
  if (from.kind === "int32" && to.kind === "int64") f = (b) => BigInt(b as number);
  else if ((from.kind === "int32" || from.kind === "int64") && to.kind === "float64") f = (b) => Number(b);
  else if ((from.kind === "int32" || from.kind === "int64") && to.kind === "decimal") {
    const digits = from.kind === "int32" ? 10 : 19;
    if (to.precision - to.scale < digits) return null; // could overflow to null
    const m = 10n ** BigInt(to.scale);
    f = (b) => BigInt(b as number | bigint) * m;
  }
  if (!f) return null;
  const s = o.stats;
  const stats: ChunkStats =
    s.min === null || s.max === null
      ? s
      : { rows: s.rows, nullCount: s.nullCount, min: f(s.min), max: f(s.max) };
  return { type: to, stats, nan: o.nan };
}

/** No non-null value in the chunk at all (every comparison is null there). */
const allNull = (s: ChunkStats): boolean => s.rows === 0 || (s.nullCount !== null && s.nullCount >= s.rows);

function comparison(fn: string, l: Expr, r: Expr, lookup: StatsLookup): boolean {
  let op = fn;
  let colSide = l;
  let litSide = r;
  if (l.kind === "Literal" && r.kind !== "Literal") {
    op = FLIP[fn]!;
    colSide = r;
    litSide = l;
  }
  if (litSide.kind !== "Literal") return true;
  const o = operand(colSide, lookup);
  if (!o) return true;
  if (litSide.value === null) {
    if (op !== "eq_null_safe") return false; // a comparison with NULL is never true
    return o.stats.nullCount === null || o.stats.nullCount > 0;
  }
  if (allNull(o.stats)) return false;
  const { min, max } = o.stats;
  if (min === null || max === null) return true;
  const v = literalBound(litSide.value, litSide.type, o.type);
  if (v === null) return true;
  switch (op) {
    case "eq":
    case "eq_null_safe":
      return compare(min, v) <= 0 && compare(v, max) <= 0;
    case "lt":
      return compare(min, v) < 0;
    case "le":
      return compare(min, v) <= 0;
    case "gt":
      return o.nan || compare(max, v) > 0;
    case "ge":
      return o.nan || compare(max, v) >= 0;
    default:
      return true;
  }
}

function inList(x: Expr, items: readonly Expr[], lookup: StatsLookup): boolean {
  const o = operand(x, lookup);
  if (!o) return true;
  if (allNull(o.stats)) return false;
  const { min, max } = o.stats;
  for (const it of items) {
    if (it.kind !== "Literal") return true;
    if (it.value === null) continue; // x IN (.., NULL) is never true through the NULL
    if (min === null || max === null) return true;
    const v = literalBound(it.value, it.type, o.type);
    if (v === null) return true;
    if (compare(min, v) <= 0 && compare(v, max) <= 0) return true;
  }
  return false;
}

const utf8 = new TextEncoder();

/** A literal in the domain of `colType`'s bounds, or null when the types do not line up exactly. */
function literalBound(value: unknown, litType: DataType, colType: DataType): Bound | null {
  switch (colType.kind) {
    case "boolean":
      return litType.kind === "boolean" && typeof value === "boolean" ? value : null;
    case "int32":
    case "date":
      return litType.kind === colType.kind && typeof value === "number" && Number.isInteger(value)
        ? value
        : null;
    case "int64":
      if (litType.kind !== "int64" && litType.kind !== "int32") return null;
      if (typeof value === "bigint") return value;
      return typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : null;
    case "float64":
      return litType.kind === "float64" && typeof value === "number" && !Number.isNaN(value) ? value : null;
    case "string":
      return litType.kind === "string" && typeof value === "string" ? utf8.encode(value) : null;
    case "timestamp":
      if (litType.kind !== "timestamp" || (litType.tz === null) !== (colType.tz === null)) return null;
      return typeof value === "bigint"
        ? value
        : typeof value === "number" && Number.isSafeInteger(value)
          ? BigInt(value)
          : null;
    case "decimal": {
      if (litType.kind !== "decimal") return null;
      const u =
        typeof value === "bigint"
          ? value
          : typeof value === "number" && Number.isSafeInteger(value)
            ? BigInt(value)
            : null;
      if (u === null) return null;
      if (litType.scale <= colType.scale) return u * 10n ** BigInt(colType.scale - litType.scale);
      const d = 10n ** BigInt(litType.scale - colType.scale);
      return u % d === 0n ? u / d : null;
    }
    default:
      return null;
  }
}

/** Orders two bounds of one domain (bytes unsigned lexicographically). */
export function compare(a: Bound, b: Bound): number {
  if (a instanceof Uint8Array) {
    const c = b as Uint8Array;
    const n = Math.min(a.length, c.length);
    for (let i = 0; i < n; i++) if (a[i] !== c[i]) return a[i]! - c[i]!;
    return a.length - c.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
