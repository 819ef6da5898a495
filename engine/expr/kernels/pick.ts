// Row-wise selection among columns of one type: row i of the result is row i of
// `cols[which[i]]` (null when which[i] < 0). Used by coalesce, greatest/least, if and
// CASE WHEN. Fixed-width values move as 32-bit words, strings as byte ranges.

import { type Column, i64Halves, nullColumn } from "../../columnar/column.js";
import { concatColumns, takeColumn } from "../../columnar/ops.js";
import type { DataType } from "../../types/data-type.js";

const wordsPerRow = (t: DataType): number =>
  t.kind === "decimal" ? 4 : t.kind === "int64" || t.kind === "timestamp" || t.kind === "float64" ? 2 : 1;

const wordsOf = (c: Column): Int32Array | Uint8Array => {
  const v = c.values!;
  if (v instanceof Uint8Array || v instanceof Int32Array) return v;
  return new Int32Array(v.buffer, v.byteOffset, v.byteLength >> 2);
};

/** Row i from `cols[which[i]]`; every column has type `type` (null-typed columns count as all null). */
export function pickRows(cols: readonly Column[], which: Int32Array, type: DataType, n: number): Column {
  if (type.kind === "null") return nullColumn(type, n);
  const srcs = cols.map((c) => (c.type.kind === "null" ? nullColumn(type, n) : c));
  const valid = new Uint8Array(n);
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    const w = which[i]!;
    const v = w < 0 ? 0 : srcs[w]!.valid === null ? 1 : srcs[w]!.valid![i]!;
    valid[i] = v;
    if (v === 0) anyNull = true;
  }
  const outValid = anyNull ? valid : null;
  switch (type.kind) {
    case "string": {
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w >= 0 && valid[i] === 1) {
          const o = srcs[w]!.offsets!;
          total += o[i + 1]! - o[i]!;
        }
        offsets[i + 1] = total;
      }
      const data = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w < 0 || valid[i] === 0) continue;
        const c = srcs[w]!;
        const o = c.offsets!;
        const d = c.data!;
        let p = offsets[i]!;
        const s = o[i]!;
        const e = o[i + 1]!;
        if (e - s < 24) for (let k = s; k < e; k++) data[p++] = d[k]!;
        else data.set(d.subarray(s, e), p);
      }
      return { type, length: n, valid: outValid, offsets, data };
    }
    case "list": {
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = which[i]! < 0 ? -1 : which[i]! * n + i;
      return { ...takeColumn(concatColumns(srcs), idx, n), type };
    }
    default: {
      const w = wordsPerRow(type);
      const values =
        type.kind === "boolean"
          ? new Uint8Array(n)
          : type.kind === "int32" || type.kind === "date"
            ? new Int32Array(n)
            : type.kind === "float64"
              ? new Float64Array(n)
              : new BigInt64Array(type.kind === "decimal" ? 2 * n : n);
      const out =
        values instanceof BigInt64Array
          ? i64Halves(values)
          : wordsOf({ type, length: n, valid: null, values });
      const views = srcs.map(wordsOf);
      if (w === 1) {
        for (let i = 0; i < n; i++) {
          const k = which[i]!;
          if (k >= 0) out[i] = views[k]![i]!;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const k = which[i]!;
          if (k < 0) continue;
          const v = views[k]!;
          for (let j = 0; j < w; j++) out[i * w + j] = v[i * w + j]!;
        }
      }
      return { type, length: n, valid: outValid, values };
    }
  }
}
