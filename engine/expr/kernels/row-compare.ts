// Row comparators with Spark's ordering of values: NaN equals NaN and sorts above every
// other double, -0.0 equals 0.0, strings compare by UTF-8 bytes, false < true. For the
// less hot paths (greatest, least, IN over columns); comparison kernels have tight loops.
import { type Column, i64Halves } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { compareBytes } from "./util.js";

/** Compares row i of `a` with row j of `b` (both of type `t`, both non-null): negative, 0, positive. */
export type RowComparator = (a: Column, i: number, b: Column, j: number) => number;

/** Spark's comparison of two doubles (NaN greatest and equal to itself). */
export function compareDoubles(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  return xn === yn ? 0 : xn ? 1 : -1;
}

/** Compares two (high, low) int64 pairs. */
export function compareI64(ah: number, al: number, bh: number, bl: number): number {
  if (ah !== bh) return ah < bh ? -1 : 1;
  const x = al >>> 0;
  const y = bl >>> 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares two 128-bit decimals at word offsets (4 words per row) of their Int32 views. */
export function compareDec(a: Int32Array, i: number, b: Int32Array, j: number): number {
  const c = compareI64(a[4 * i + 3]!, a[4 * i + 2]!, b[4 * j + 3]!, b[4 * j + 2]!);
  if (c !== 0) return c;
  return compareI64(a[4 * i + 1]! ^ 0x80000000, a[4 * i]!, b[4 * j + 1]! ^ 0x80000000, b[4 * j]!);
}

/** The comparator for a type. */
export function rowComparator(t: DataType): RowComparator {
  switch (t.kind) {
    case "boolean":
    case "int32":
    case "date":
      return (a, i, b, j) => (a.values as Int32Array)[i]! - (b.values as Int32Array)[j]!;
    case "float64":
      return (a, i, b, j) => compareDoubles((a.values as Float64Array)[i]!, (b.values as Float64Array)[j]!);
    case "int64":
    case "timestamp":
      return (a, i, b, j) => {
        const x = i64Halves(a.values as BigInt64Array);
        const y = i64Halves(b.values as BigInt64Array);
        return compareI64(x[2 * i + 1]!, x[2 * i]!, y[2 * j + 1]!, y[2 * j]!);
      };
    case "decimal":
      return (a, i, b, j) =>
        compareDec(i64Halves(a.values as BigInt64Array), i, i64Halves(b.values as BigInt64Array), j);
    case "string":
      return (a, i, b, j) =>
        compareBytes(
          a.data!,
          a.offsets![i]!,
          a.offsets![i + 1]!,
          b.data!,
          b.offsets![j]!,
          b.offsets![j + 1]!,
        );
    case "null":
      return () => 0;
    case "list": {
      const el = rowComparator(t.element);
      return (a, i, b, j) => {
        const ao = a.offsets!;
        const bo = b.offsets!;
        const ac = a.child!;
        const bc = b.child!;
        const la = ao[i + 1]! - ao[i]!;
        const lb = bo[j + 1]! - bo[j]!;
        for (let k = 0; k < Math.min(la, lb); k++) {
          const x = ao[i]! + k;
          const y = bo[j]! + k;
          const xn = ac.valid !== null && ac.valid[x] === 0;
          const yn = bc.valid !== null && bc.valid[y] === 0;
          if (xn || yn) {
            if (xn !== yn) return xn ? -1 : 1;
            continue;
          }
          const c = el(ac, x, bc, y);
          if (c !== 0) return c;
        }
        return la - lb;
      };
    }
  }
}
