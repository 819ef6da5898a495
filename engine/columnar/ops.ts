// Structural kernels over Columns and Batches: slice, take (gather), filter, concat, and
// constant columns. Every loop works on the typed arrays; int64-like values move as pairs of
// 32-bit words and strings as byte ranges, so no BigInt or per-row object is created.
import type { LiteralValue } from "../expr/expr.js";
import type { DataType, Schema } from "../types/data-type.js";
import { columnFromValues } from "./builders.js";
import { type Batch, batchOf, type Column, nullColumn } from "./column.js";

/** 32-bit words per row of a fixed-width column whose values are copied as Int32 words (0 when not). */
export function wordsPerRow(t: DataType): number {
  switch (t.kind) {
    case "int64":
    case "timestamp":
    case "float64":
      return 2;
    case "decimal":
      return 4;
    default:
      return 0;
  }
}

/** An Int32Array view over a typed array's bytes. */
export const words = (a: ArrayBufferView): Int32Array =>
  new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

/** A copy of rows [start, end) of a column (offsets re-based to 0). */
export function sliceColumn(c: Column, start: number, end: number): Column {
  const s = Math.max(0, Math.min(start, c.length));
  const e = Math.max(s, Math.min(end, c.length));
  const n = e - s;
  const valid = c.valid === null ? null : c.valid.slice(s, e);
  const t = c.type;
  switch (t.kind) {
    case "null":
      return { type: t, length: n, valid: new Uint8Array(n) };
    case "string":
    case "list": {
      const o = c.offsets!;
      const base = o[s]!;
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = o[s + i]! - base;
      if (t.kind === "string")
        return { type: t, length: n, valid, offsets, data: c.data!.slice(base, o[e]!) };
      return { type: t, length: n, valid, offsets, child: sliceColumn(c.child!, base, o[e]!) };
    }
    case "decimal":
      return { type: t, length: n, valid, values: (c.values as BigInt64Array).slice(2 * s, 2 * e) };
    default:
      return { type: t, length: n, valid, values: c.values!.slice(s, e) };
  }
}

/**
 * Gathers rows `indices[0..n)` of a column. A negative index produces a null row (used by
 * outer joins for the unmatched side).
 */
export function takeColumn(c: Column, indices: Int32Array, n = indices.length): Column {
  const t = c.type;
  let valid: Uint8Array | null = null;
  const cv = c.valid;
  let anyNeg = false;
  for (let i = 0; i < n; i++) if (indices[i]! < 0) anyNeg = true;
  if (cv !== null || anyNeg || t.kind === "null") {
    valid = new Uint8Array(n);
    if (t.kind !== "null") {
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        valid[i] = j < 0 ? 0 : cv === null ? 1 : cv[j]!;
      }
    }
  }
  switch (t.kind) {
    case "null":
      return { type: t, length: n, valid: valid! };
    case "string": {
      const o = c.offsets!;
      const d = c.data!;
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j >= 0) total += o[j + 1]! - o[j]!;
        offsets[i + 1] = total;
      }
      const data = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j < 0) continue;
        const s = o[j]!;
        const e = o[j + 1]!;
        let p = offsets[i]!;
        if (e - s < 24) for (let k = s; k < e; k++) data[p++] = d[k]!;
        else data.set(d.subarray(s, e), p);
      }
      return { type: t, length: n, valid, offsets, data };
    }
    case "list": {
      const o = c.offsets!;
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j >= 0) total += o[j + 1]! - o[j]!;
        offsets[i + 1] = total;
      }
      const childIdx = new Int32Array(total);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j < 0) continue;
        for (let k = o[j]!; k < o[j + 1]!; k++) childIdx[p++] = k;
      }
      return { type: t, length: n, valid, offsets, child: takeColumn(c.child!, childIdx, total) };
    }
    default: {
      const w = wordsPerRow(t);
      if (w === 0) {
        const src = c.values as Uint8Array | Int32Array;
        const out = new (src.constructor as Int32ArrayConstructor)(n);
        for (let i = 0; i < n; i++) {
          const j = indices[i]!;
          out[i] = j < 0 ? 0 : src[j]!;
        }
        return { type: t, length: n, valid, values: out };
      }
      if (t.kind === "float64") {
        const src = c.values as Float64Array;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const j = indices[i]!;
          out[i] = j < 0 ? 0 : src[j]!;
        }
        return { type: t, length: n, valid, values: out };
      }
      // int64, timestamp and decimal move as 32-bit words: no BigInt per row.
      const src = words(c.values!);
      const out = new BigInt64Array(n * (w >> 1));
      const ow = words(out);
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j < 0) continue;
        for (let k = 0; k < w; k++) ow[i * w + k] = src[j * w + k]!;
      }
      return { type: t, length: n, valid, values: out };
    }
  }
}

/** The indices of the rows whose mask byte is non-zero. */
export function selectionFromMask(mask: Uint8Array, length = mask.length): Int32Array {
  let n = 0;
  for (let i = 0; i < length; i++) if (mask[i] !== 0) n++;
  const sel = new Int32Array(n);
  let p = 0;
  for (let i = 0; i < length; i++) if (mask[i] !== 0) sel[p++] = i;
  return sel;
}

/** The rows of a column whose mask byte is non-zero. */
export function filterColumn(c: Column, mask: Uint8Array): Column {
  return takeColumn(c, selectionFromMask(mask, c.length));
}

/** Concatenates columns of one type into a new column. */
export function concatColumns(cols: readonly Column[]): Column {
  if (cols.length === 0) throw new Error("concatColumns needs at least one column");
  if (cols.length === 1) return cols[0]!;
  const t = cols[0]!.type;
  let n = 0;
  let anyValid = t.kind === "null";
  for (const c of cols) {
    n += c.length;
    if (c.valid !== null) anyValid = true;
  }
  let valid: Uint8Array | null = null;
  if (anyValid) {
    valid = new Uint8Array(n);
    if (t.kind !== "null") {
      let p = 0;
      for (const c of cols) {
        if (c.valid === null) valid.fill(1, p, p + c.length);
        else valid.set(c.valid.subarray(0, c.length), p);
        p += c.length;
      }
    }
  }
  switch (t.kind) {
    case "null":
      return { type: t, length: n, valid: valid! };
    case "string":
    case "list": {
      const offsets = new Int32Array(n + 1);
      let p = 0;
      let base = 0;
      for (const c of cols) {
        const o = c.offsets!;
        const b0 = o[0]!;
        for (let i = 1; i <= c.length; i++) offsets[p + i] = base + o[i]! - b0;
        p += c.length;
        base += o[c.length]! - b0;
      }
      if (t.kind === "list") {
        const children = cols.map((c) => sliceColumn(c.child!, c.offsets![0]!, c.offsets![c.length]!));
        return { type: t, length: n, valid, offsets, child: concatColumns(children) };
      }
      const data = new Uint8Array(base);
      let q = 0;
      for (const c of cols) {
        const o = c.offsets!;
        data.set(c.data!.subarray(o[0]!, o[c.length]!), q);
        q += o[c.length]! - o[0]!;
      }
      return { type: t, length: n, valid, offsets, data };
    }
    default: {
      const per = t.kind === "decimal" ? 2 : 1;
      const first = cols[0]!.values!;
      const out = new (first.constructor as Int32ArrayConstructor)(n * per);
      let p = 0;
      for (const c of cols) {
        (out as unknown as Int32Array).set((c.values as Int32Array).subarray(0, c.length * per), p);
        p += c.length * per;
      }
      return { type: t, length: n, valid, values: out };
    }
  }
}

/** A column holding `value` (a typed literal value, see `LiteralValue`) in every one of `length` rows. */
export function constantColumn(type: DataType, value: LiteralValue, length: number): Column {
  if (value === null) return nullColumn(type, length);
  const one = columnFromValues(type, [value]);
  return takeColumn(one, new Int32Array(length));
}

/** Rows [start, end) of a batch. */
export function sliceBatch(b: Batch, start: number, end: number): Batch {
  const s = Math.max(0, Math.min(start, b.numRows));
  const e = Math.max(s, Math.min(end, b.numRows));
  return batchOf(
    b.schema,
    b.columns.map((c) => sliceColumn(c, s, e)),
    e - s,
  );
}

/** Rows `indices[0..n)` of a batch (negative indices give null rows). */
export function takeBatch(b: Batch, indices: Int32Array, n = indices.length): Batch {
  return batchOf(
    b.schema,
    b.columns.map((c) => takeColumn(c, indices, n)),
    n,
  );
}

/** The rows of a batch whose mask byte is non-zero. */
export function filterBatch(b: Batch, mask: Uint8Array): Batch {
  const sel = selectionFromMask(mask, b.numRows);
  if (sel.length === b.numRows) return b;
  return takeBatch(b, sel);
}

/** A batch of no rows with the given schema. */
export function emptyBatch(schema: Schema): Batch {
  return batchOf(
    schema,
    schema.fields.map((f) => nullColumn(f.type, 0)),
    0,
  );
}

/** Concatenates batches of one schema into one batch. */
export function concatBatches(schema: Schema, batches: readonly Batch[]): Batch {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  if (nonEmpty.length === 0) return emptyBatch(schema);
  if (nonEmpty.length === 1) return batchOf(schema, nonEmpty[0]!.columns, nonEmpty[0]!.numRows);
  let n = 0;
  for (const b of nonEmpty) n += b.numRows;
  const columns = schema.fields.map((_, i) => concatColumns(nonEmpty.map((b) => b.columns[i]!)));
  return batchOf(schema, columns, n);
}
