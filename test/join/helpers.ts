// Test helpers for the join kernel: run a join through JoinHashTable/JoinProbe/assemble the
// way HashJoinExec does (sides split into batches, output in chunks), and a nested-loop
// reference with Spark's semantics. Both sides carry a global row id in column 0, so results
// compare as (left id, right id) pairs, null for the missing side.
import { expect } from "vitest";
import { columnToJs } from "../../engine/api/rows.js";
import { columnFromValues, type JsValue } from "../../engine/columnar/builders.js";
import { type Batch, batchOf, type Column } from "../../engine/columnar/column.js";
import { sliceBatch, takeColumn } from "../../engine/columnar/ops.js";
import {
  assembleBuildRowsOutput,
  assembleJoinOutput,
  JoinHashTable,
  JoinProbe,
  type JoinResidual,
  type JoinType,
} from "../../engine/exec/join/hash-join.js";
import { type DataType, field, type Schema, schemaOf, T } from "../../engine/types/data-type.js";

/** One side: a batch whose column 0 is the int32 row id, and the indexes of its key columns. */
export interface Side {
  readonly batch: Batch;
  readonly keys: readonly number[];
}

/** A join to run. `residual` is over global row ids (null = unknown, which is not a match). */
export interface JoinCase {
  readonly left: Side;
  readonly right: Side;
  readonly joinType: JoinType;
  readonly buildSide: "left" | "right";
  readonly residual?: (leftId: number, rightId: number) => boolean | null;
  /** Rows per batch for both sides (default: one batch each). */
  readonly batchSize?: number;
  /** maxPairs for probeChunks (default: probe() in one piece). */
  readonly maxPairs?: number;
  /** Pass copies of the key columns instead of the batch's own columns. */
  readonly copyKeys?: boolean;
  /** The kernel's residual, made from the build rows (default: from `residual` over ids). */
  readonly makeResidual?: (buildRows: Batch, probeIsLeft: boolean) => JoinResidual;
}

/** An output row: [left id, right id]; semi/anti rows are [left id]. */
export type IdRow = (number | null)[];

/** A side from named JS columns; an `id` column 0..n-1 is prepended. */
export function side(cols: Record<string, { type: DataType; values: unknown[] }>, keys: string[]): Side {
  const names = Object.keys(cols);
  const n = names.length === 0 ? 0 : cols[names[0]!]!.values.length;
  const fields = [field("id", T.int32, false), ...names.map((k) => field(k, cols[k]!.type))];
  const columns: Column[] = [
    { type: T.int32, length: n, valid: null, values: Int32Array.from({ length: n }, (_, i) => i) },
    ...names.map((k) => columnOf(cols[k]!.type, cols[k]!.values)),
  ];
  return { batch: batchOf(schemaOf(fields), columns, n), keys: keys.map((k) => names.indexOf(k) + 1) };
}

/** A column from JS values. */
export function columnOf(type: DataType, values: unknown[]): Column {
  return columnFromValues(type, values as JsValue[]);
}

const batchesOf = (b: Batch, size: number | undefined): Batch[] => {
  if (size === undefined || b.numRows === 0) return [b];
  const out: Batch[] = [];
  for (let s = 0; s < b.numRows; s += size) out.push(sliceBatch(b, s, s + size));
  return out;
};

const ids = (c: Column): Int32Array => c.values as Int32Array;

/** Runs a join through the kernel; returns the output id rows sorted, and the output batches. */
export function runKernel(c: JoinCase): { rows: IdRow[]; batches: Batch[] } {
  const build = c.buildSide === "left" ? c.left : c.right;
  const probeSide = c.buildSide === "left" ? c.right : c.left;
  const probeIsLeft = c.buildSide === "right";
  const keyTypes = build.keys.map((k) => build.batch.columns[k]!.type);
  const semiAnti = c.joinType === "left_semi" || c.joinType === "left_anti";
  const outSchema: Schema = semiAnti
    ? c.left.batch.schema
    : schemaOf([...c.left.batch.schema.fields, ...c.right.batch.schema.fields]);
  const keysOf = (b: Batch, keys: readonly number[]) =>
    keys.map((k) => {
      const col = b.columns[k]!;
      return c.copyKeys
        ? takeColumn(
            col,
            Int32Array.from({ length: b.numRows }, (_, i) => i),
          )
        : col;
    });

  const table = new JoinHashTable(keyTypes, build.batch.schema);
  for (const b of batchesOf(build.batch, c.batchSize)) table.add(keysOf(b, build.keys), b);
  table.finish();
  let residual: JoinResidual | undefined;
  if (c.makeResidual !== undefined) residual = c.makeResidual(table.rows, probeIsLeft);
  else if (c.residual !== undefined) {
    const pred = c.residual;
    const buildIds = ids(table.rows.columns[0]!);
    residual = (pi, bi, n, pb) => {
      const probeIds = ids(pb!.columns[0]!);
      const m = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const p = probeIds[pi[i]!]!;
        const q = buildIds[bi[i]!]!;
        m[i] = (probeIsLeft ? pred(p, q) : pred(q, p)) === true ? 1 : 0;
      }
      return m;
    };
  }
  const probe = new JoinProbe(table, c.joinType, c.buildSide, residual);
  const batches: Batch[] = [];
  for (const b of batchesOf(probeSide.batch, c.batchSize)) {
    const keys = keysOf(b, probeSide.keys);
    const results =
      c.maxPairs === undefined
        ? [probe.probe(keys, b.numRows, b)]
        : [...probe.probeChunks(keys, b.numRows, c.maxPairs, b)];
    if (probe.emit === "mark") {
      for (const r of results) if (r.n !== 0) throw new Error("mark emitted rows");
      continue;
    }
    for (const r of results) batches.push(assembleJoinOutput(b, table.rows, r, probeIsLeft, outSchema));
  }
  if (probe.finalBuildOutput !== "none")
    batches.push(
      assembleBuildRowsOutput(
        table.rows,
        probe.buildRowsToEmit(),
        probeIsLeft,
        outSchema,
        probe.emit === "pairs",
      ),
    );
  const rightIdAt = c.left.batch.columns.length;
  const rows: IdRow[] = [];
  for (const b of batches) {
    if (b.columns.length !== outSchema.fields.length) throw new Error("bad output width");
    const l = columnToJs(b.columns[0]!, "id") as (number | null)[];
    const r = semiAnti ? null : (columnToJs(b.columns[rightIdAt]!, "id") as (number | null)[]);
    for (let i = 0; i < b.numRows; i++) rows.push(r === null ? [l[i]!] : [l[i]!, r[i]!]);
  }
  return { rows: sortIdRows(rows), batches };
}

/** Id rows written compactly: "0-1 3-_ 5" is [[0, 1], [3, null], [5]] ("_" = null). */
export function rowsOf(text: string): IdRow[] {
  if (text.trim() === "") return [];
  return text
    .trim()
    .split(/\s+/)
    .map((r) => r.split("-").map((x) => (x === "_" ? null : Number(x))));
}

/** Sorts id rows (nulls first). */
export function sortIdRows(rows: IdRow[]): IdRow[] {
  const key = (v: number | null) => (v === null ? -1 : v);
  return [...rows].sort((a, b) => key(a[0]!) - key(b[0]!) || key(a[1] ?? null) - key(b[1] ?? null));
}

/** A key column's values for the reference: bigint for int64, exact µs for timestamps. */
function jsKeys(c: Column): unknown[] {
  if (c.type.kind !== "timestamp") return columnToJs(c, "k", { bigint: true });
  const v = c.values as BigInt64Array;
  return Array.from({ length: c.length }, (_, i) => (c.valid !== null && c.valid[i] === 0 ? null : v[i]!));
}

/** Spark's key equality for one JS value pair: nulls never match, NaN = NaN, -0 = 0. */
function keyEq(a: unknown, b: unknown): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return false;
  // Lists: element-wise, null elements equal each other (Spark compares arrays' bytes).
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => (x === null && b[i] === null) || keyEq(x, b[i]));
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** The same join by nested loops over JS values. */
export function runReference(c: JoinCase): IdRow[] {
  const vals = (s: Side) => s.keys.map((k) => jsKeys(s.batch.columns[k]!));
  const lk = vals(c.left);
  const rk = vals(c.right);
  const nl = c.left.batch.numRows;
  const nr = c.right.batch.numRows;
  const match = (l: number, r: number) =>
    lk.every((col, k) => keyEq(col[l], rk[k]![r])) && (c.residual === undefined || c.residual(l, r) === true);
  const out: IdRow[] = [];
  const rightMatched = new Uint8Array(nr);
  for (let l = 0; l < nl; l++) {
    let any = false;
    for (let r = 0; r < nr; r++) {
      if (!match(l, r)) continue;
      any = true;
      rightMatched[r] = 1;
      if (c.joinType !== "left_semi" && c.joinType !== "left_anti") out.push([l, r]);
    }
    if (c.joinType === "left_semi" && any) out.push([l]);
    if (c.joinType === "left_anti" && !any) out.push([l]);
    if ((c.joinType === "left" || c.joinType === "full") && !any) out.push([l, null]);
  }
  if (c.joinType === "right" || c.joinType === "full")
    for (let r = 0; r < nr; r++) if (rightMatched[r] === 0) out.push([null, r]);
  return sortIdRows(out);
}

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
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

/** Every join type, and the build sides to try for each. */
export const JOIN_TYPES: readonly JoinType[] = [
  "inner",
  "left",
  "right",
  "full",
  "left_semi",
  "left_anti",
  "cross",
];

/** Both build sides. */
export const SIDES = ["left", "right"] as const;

/** Runs a case with both build sides, several batch sizes and chunk bounds; all must equal the reference. */
export function checkAll(base: Omit<JoinCase, "buildSide">): IdRow[] {
  const expected = runReference({ ...base, buildSide: "right" });
  for (const buildSide of SIDES)
    for (const batchSize of [undefined, 1, 2, 3])
      for (const maxPairs of [undefined, 1, 2, 5]) {
        const c: JoinCase = { ...base, buildSide, batchSize, maxPairs };
        expect(runKernel(c).rows, JSON.stringify({ buildSide, batchSize, maxPairs })).toEqual(expected);
      }
  expect(runKernel({ ...base, buildSide: "right", copyKeys: true }).rows).toEqual(expected);
  return expected;
}
