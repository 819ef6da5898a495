// Gathers rows from several batches of one schema into one batch: output row i is row
// `rows[i]` of batch `sources[srcs[i]]`. The k-way merge builds its output batches with it.
// Fixed-width values move as typed values or 32-bit words, strings as byte ranges; list
// columns (rare as sort payload) go through concat + take.
import { type Batch, batchOf, type Column } from "../../columnar/column.js";
import { concatColumns, takeColumn } from "../../columnar/ops.js";
import type { Schema } from "../../types/data-type.js";
import { wordsOf } from "../hash/column-appender.js";

/** Output row i = row rows[i] of sources[srcs[i]], for i in [0, n). */
export function interleaveBatches(
  schema: Schema,
  sources: readonly Batch[],
  srcs: Int32Array,
  rows: Int32Array,
  n: number,
): Batch {
  const columns = schema.fields.map((_, c) =>
    interleaveColumns(
      sources.map((b) => b.columns[c]!),
      srcs,
      rows,
      n,
    ),
  );
  return batchOf(schema, columns, n);
}

/** Output row i = row rows[i] of cols[srcs[i]] (columns of one type). */
export function interleaveColumns(
  cols: readonly Column[],
  srcs: Int32Array,
  rows: Int32Array,
  n: number,
): Column {
  const t = cols[0]!.type;
  let valid: Uint8Array | null = null;
  if (t.kind === "null" || cols.some((c) => c.valid !== null)) {
    valid = new Uint8Array(n);
    if (t.kind !== "null") {
      const vs = cols.map((c) => c.valid);
      for (let i = 0; i < n; i++) {
        const v = vs[srcs[i]!]!;
        valid[i] = v === null ? 1 : v[rows[i]!]!;
      }
    }
  }
  switch (t.kind) {
    case "null":
      return { type: t, length: n, valid };
    case "boolean":
    case "int32":
    case "date": {
      const arrs = cols.map((c) => c.values as Int32Array);
      const out = t.kind === "boolean" ? new Uint8Array(n) : new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = arrs[srcs[i]!]![rows[i]!]!;
      return { type: t, length: n, valid, values: out };
    }
    case "float64": {
      const arrs = cols.map((c) => c.values as Float64Array);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = arrs[srcs[i]!]![rows[i]!]!;
      return { type: t, length: n, valid, values: out };
    }
    case "int64":
    case "timestamp":
    case "decimal": {
      const per = t.kind === "decimal" ? 4 : 2;
      const arrs = cols.map((c) => wordsOf(c.values!));
      const out = new BigInt64Array((n * per) / 2);
      const ow = wordsOf(out);
      for (let i = 0; i < n; i++) {
        const a = arrs[srcs[i]!]!;
        const r = rows[i]! * per;
        for (let k = 0; k < per; k++) ow[i * per + k] = a[r + k]!;
      }
      return { type: t, length: n, valid, values: out };
    }
    case "string": {
      const offs = cols.map((c) => c.offsets!);
      const datas = cols.map((c) => c.data!);
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const o = offs[srcs[i]!]!;
        const r = rows[i]!;
        total += o[r + 1]! - o[r]!;
        offsets[i + 1] = total;
      }
      const data = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const s = srcs[i]!;
        const o = offs[s]!;
        const d = datas[s]!;
        const r = rows[i]!;
        const a = o[r]!;
        const e = o[r + 1]!;
        let p = offsets[i]!;
        if (e - a < 24) for (let k = a; k < e; k++) data[p++] = d[k]!;
        else data.set(d.subarray(a, e), p);
      }
      return { type: t, length: n, valid, offsets, data };
    }
    case "list": {
      const base = new Int32Array(cols.length);
      for (let s = 1; s < cols.length; s++) base[s] = base[s - 1]! + cols[s - 1]!.length;
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = base[srcs[i]!]! + rows[i]!;
      return takeColumn(concatColumns(cols), idx, n);
    }
  }
}
