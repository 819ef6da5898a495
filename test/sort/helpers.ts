// Test helpers for the sort kernels: random columns of every sortable type (with nulls, NaN,
// -0.0, extreme int64s, strings sharing long prefixes or holding NUL bytes and non-ASCII), a
// reference stable sort over plain JS values with Spark's ordering, and row extraction.
import { columnFromValues, type JsValue, readDecimal } from "../../engine/columnar/builders.js";
import { type Batch, batchOf, type Column } from "../../engine/columnar/column.js";
import type { KeyOrder } from "../../engine/exec/sort/compare.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";

/** A seeded PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const STRINGS = [
  "",
  "a",
  "a\u0000",
  "a\u0000b",
  "ab",
  "abc",
  "abcdefg",
  "abcdefgh",
  "abcdefghijklmno",
  "abcdefghijklmnp",
  "abcdefghijklmnopqrstuvwxyz",
  "abcdefghijklmnopqrstuvwxyZ",
  "é",
  "e\u0301",
  "日本",
  "日本語",
  "😀",
  "\uffff",
  "z",
  "Z",
  "zz",
];

/** Random values of a type; `distinct` bounds how many different values appear (ties). */
export function randomValues(
  type: DataType,
  n: number,
  r: () => number,
  nullRate = 0.1,
  distinct = 50,
): JsValue[] {
  const out: JsValue[] = [];
  for (let i = 0; i < n; i++) {
    if (r() < nullRate) {
      out.push(null);
      continue;
    }
    const k = Math.floor(r() * distinct);
    switch (type.kind) {
      case "boolean":
        out.push(k % 2 === 0);
        break;
      case "int32":
        out.push(pick(r, [k - 25, -2147483648, 2147483647, 0, k * 1000003]));
        break;
      case "date":
        out.push(k * 37 - 500);
        break;
      case "int64":
      case "timestamp":
        out.push(
          pick(r, [
            BigInt(k - 25),
            -(2n ** 63n),
            2n ** 63n - 1n,
            2n ** 53n + BigInt(k),
            -(2n ** 40n) * BigInt(k),
            4294967296n * BigInt(k) - 1n,
          ]),
        );
        break;
      case "float64":
        out.push(
          pick(r, [
            k - 25.5,
            Number.NaN,
            -0,
            0,
            Number.POSITIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
            1e300 * k,
            -k / 7,
            5e-324,
          ]),
        );
        break;
      case "decimal":
        out.push(
          pick(r, [
            BigInt(k - 25),
            -(2n ** 100n) + BigInt(k),
            2n ** 90n * BigInt(k),
            -1n,
            0n,
            2n ** 64n + BigInt(k),
          ]),
        );
        break;
      case "string":
        out.push(pick(r, STRINGS) + (k % 3 === 0 ? String(k) : ""));
        break;
      case "list":
        out.push(randomValues(type.element, Math.floor(r() * 4), r, 0.2, 5));
        break;
      default:
        out.push(null);
    }
  }
  return out;
}

/** The plain JS values of a column: int64/timestamp/decimal as bigint, booleans 0/1, lists as arrays. */
export function jsValues(c: Column): unknown[] {
  const out: unknown[] = [];
  const child = c.type.kind === "list" ? jsValues(c.child!) : null;
  for (let i = 0; i < c.length; i++) {
    if (c.type.kind === "null" || (c.valid !== null && c.valid[i] === 0)) {
      out.push(null);
      continue;
    }
    switch (c.type.kind) {
      case "decimal":
        out.push(readDecimal(c.values as BigInt64Array, i));
        break;
      case "string": {
        const o = c.offsets!;
        out.push(Buffer.from(c.data!.subarray(o[i]!, o[i + 1]!)).toString("utf8"));
        break;
      }
      case "list":
        out.push(child!.slice(c.offsets![i]!, c.offsets![i + 1]!));
        break;
      default:
        out.push((c.values as unknown as ArrayLike<unknown>)[i]);
    }
  }
  return out;
}

/** Spark's ascending order of two non-null plain values of one type. */
export function refCompare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    const na = Number.isNaN(a);
    const nb = Number.isNaN(b);
    if (na || nb) return na === nb ? 0 : na ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      const x = a[k];
      const y = b[k];
      if (x === null || y === null) {
        if (x !== y) return x === null ? -1 : 1;
        continue;
      }
      const c = refCompare(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new Error(`cannot compare ${String(a)} and ${String(b)}`);
}

/** The reference stable sort permutation of a batch by key orders. */
export function refSort(batch: Batch, orders: readonly KeyOrder[]): number[] {
  const cols = orders.map((o) => jsValues(batch.columns[o.index]!));
  const idx = Array.from({ length: batch.numRows }, (_, i) => i);
  return idx.sort((i, j) => {
    for (let k = 0; k < orders.length; k++) {
      const o = orders[k]!;
      const a = cols[k]![i];
      const b = cols[k]![j];
      if (a === null || b === null) {
        if (a === b) continue;
        return (a === null ? -1 : 1) * (o.nullsFirst ? 1 : -1);
      }
      const c = refCompare(a, b) * (o.ascending ? 1 : -1);
      if (c !== 0) return c;
    }
    return i - j;
  });
}

/** Every row of a batch as an array of plain values (for whole-row comparisons). */
export function batchRows(b: Batch): unknown[][] {
  const cols = b.columns.map(jsValues);
  return Array.from({ length: b.numRows }, (_, i) => cols.map((c) => c[i]));
}

/** A batch of random columns of the given types (column names c0, c1...). */
export function randomBatch(
  types: readonly DataType[],
  n: number,
  seed: number,
  distinct = 50,
  nullRate = 0.1,
): Batch {
  const r = rng(seed);
  const cols = types.map((t) => columnFromValues(t, randomValues(t, n, r, nullRate, distinct)));
  return batchOf(schemaOf(types.map((t, i) => field(`c${i}`, t))), cols, n);
}

/** Every sortable type the tests cover. */
export const SORT_TYPES: readonly DataType[] = [
  T.boolean,
  T.int32,
  T.date,
  T.int64,
  T.timestamp,
  T.float64,
  T.decimal(38, 2),
  T.string,
  T.list(T.int32),
];
