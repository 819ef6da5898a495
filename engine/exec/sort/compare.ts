// Row comparators for sorting, merging, top-k and range partitioning, specialised once per key
// type (never per row): int32/date and booleans as numbers, int64/timestamp through their
// 32-bit halves, decimals through their four 32-bit words, float64 with Spark's total order
// (NaN above +Infinity and equal to itself, -0.0 equal to 0.0), strings by their UTF-8 bytes
// without decoding, lists element by element. Nulls sort first or last per key, independently
// of the direction.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "../hash/column-appender.js";

/** A sort key over one batch: the key column and its direction and null placement. */
export interface SortKey {
  readonly col: Column;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** A sort key given by position: column `index` of a batch, with direction and null placement. */
export interface KeyOrder {
  readonly index: number;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** Direction and null placement of one key (the column is supplied separately). */
export interface Direction {
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** Compares row i with row j: negative, zero or positive. */
export type RowComparator = (i: number, j: number) => number;

/** Spark's ascending order of doubles: NaN is the largest value and equal to itself; -0.0 == 0.0. */
export function compareDoubles(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const nx = Number.isNaN(x);
  const ny = Number.isNaN(y);
  return nx === ny ? 0 : nx ? 1 : -1;
}

/** Compares the UTF-8 byte ranges a[as, ae) and b[bs, be) as unsigned bytes. */
export function compareBytes(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): number {
  const la = ae - as;
  const lb = be - bs;
  const n = Math.min(la, lb);
  for (let k = 0; k < n; k++) {
    const x = a[as + k]!;
    const y = b[bs + k]!;
    if (x !== y) return x - y;
  }
  return la - lb;
}

/**
 * The ascending comparison of the values of row i of `a` and row j of `b` (same type), ignoring
 * validity. Both columns may be the same column.
 */
export function valueComparator(a: Column, b: Column): RowComparator {
  const t = a.type;
  switch (t.kind) {
    case "null":
      return () => 0;
    case "boolean":
    case "int32":
    case "date": {
      const x = a.values as Int32Array | Uint8Array;
      const y = b.values as Int32Array | Uint8Array;
      return (i, j) => {
        const p = x[i]!;
        const q = y[j]!;
        return p < q ? -1 : p > q ? 1 : 0;
      };
    }
    case "int64":
    case "timestamp": {
      const x = wordsOf(a.values!);
      const y = wordsOf(b.values!);
      return (i, j) => {
        const hp = x[2 * i + 1]!;
        const hq = y[2 * j + 1]!;
        if (hp !== hq) return hp < hq ? -1 : 1;
        const lp = x[2 * i]! >>> 0;
        const lq = y[2 * j]! >>> 0;
        return lp < lq ? -1 : lp > lq ? 1 : 0;
      };
    }
    case "decimal": {
      const x = wordsOf(a.values!);
      const y = wordsOf(b.values!);
      return (i, j) => {
        const hp = x[4 * i + 3]!;
        const hq = y[4 * j + 3]!;
        if (hp !== hq) return hp < hq ? -1 : 1;
        for (let k = 2; k >= 0; k--) {
          const p = x[4 * i + k]! >>> 0;
          const q = y[4 * j + k]! >>> 0;
          if (p !== q) return p < q ? -1 : 1;
        }
        return 0;
      };
    }
    case "float64": {
      const x = a.values as Float64Array;
      const y = b.values as Float64Array;
      return (i, j) => compareDoubles(x[i]!, y[j]!);
    }
    case "string": {
      const ao = a.offsets!;
      const ad = a.data!;
      const bo = b.offsets!;
      const bd = b.data!;
      return (i, j) => compareBytes(ad, ao[i]!, ao[i + 1]!, bd, bo[j]!, bo[j + 1]!);
    }
    case "list": {
      // Spark's array ordering: element by element (null elements first), then by length.
      const ao = a.offsets!;
      const bo = b.offsets!;
      const el = nullAware(valueComparator(a.child!, b.child!), a.child!.valid, b.child!.valid, 1, -1);
      return (i, j) => {
        const as = ao[i]!;
        const bs = bo[j]!;
        const la = ao[i + 1]! - as;
        const lb = bo[j + 1]! - bs;
        const n = Math.min(la, lb);
        for (let k = 0; k < n; k++) {
          const c = el(as + k, bs + k);
          if (c !== 0) return c;
        }
        return la - lb;
      };
    }
  }
}

/** Wraps a value comparator with a direction (1 or -1) and null placement (-1 first, 1 last). */
function nullAware(
  cmp: RowComparator,
  va: Uint8Array | null,
  vb: Uint8Array | null,
  dir: number,
  nullSign: number,
): RowComparator {
  if (va === null && vb === null) return dir === 1 ? cmp : (i, j) => -cmp(i, j);
  return (i, j) => {
    const p = va === null ? 1 : va[i]!;
    const q = vb === null ? 1 : vb[j]!;
    if (p === 0 || q === 0) return p === q ? 0 : p === 0 ? nullSign : -nullSign;
    return dir * cmp(i, j);
  };
}

/** Compares row i of columns `a` with row j of columns `b` for one key, honouring direction and nulls. */
export function keyComparator(a: Column, b: Column, d: Direction): RowComparator {
  if (a.type.kind === "null") return () => 0;
  return nullAware(valueComparator(a, b), a.valid, b.valid, d.ascending ? 1 : -1, d.nullsFirst ? -1 : 1);
}

/** Chains per-key comparators: the first non-zero result wins. */
export function chainComparators(cmps: readonly RowComparator[]): RowComparator {
  if (cmps.length === 0) return () => 0;
  if (cmps.length === 1) return cmps[0]!;
  if (cmps.length === 2) {
    const c0 = cmps[0]!;
    const c1 = cmps[1]!;
    return (i, j) => c0(i, j) || c1(i, j);
  }
  const n = cmps.length;
  return (i, j) => {
    for (let k = 0; k < n; k++) {
      const c = cmps[k]!(i, j);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** A comparator of two rows of one batch's key columns (not stable by itself: equal keys give 0). */
export function makeRowComparator(keys: readonly SortKey[]): RowComparator {
  return chainComparators(keys.map((k) => keyComparator(k.col, k.col, k)));
}

/**
 * A comparator of row i of key columns `a` with row j of key columns `b` (e.g. two batches of
 * one schema, or a batch and a batch of range bounds), key k using `directions[k]`.
 */
export function makeCrossComparator(
  a: readonly Column[],
  b: readonly Column[],
  directions: readonly Direction[],
): RowComparator {
  return chainComparators(directions.map((d, k) => keyComparator(a[k]!, b[k]!, d)));
}

/** The key columns of a batch's columns in `orders` order. */
export const keyColumns = (columns: readonly Column[], orders: readonly KeyOrder[]): Column[] =>
  orders.map((o) => columns[o.index]!);

/** A comparator of rows of one batch's columns by `orders`. */
export function makeOrderComparator(columns: readonly Column[], orders: readonly KeyOrder[]): RowComparator {
  return makeRowComparator(
    orders.map((o) => ({ col: columns[o.index]!, ascending: o.ascending, nullsFirst: o.nullsFirst })),
  );
}
