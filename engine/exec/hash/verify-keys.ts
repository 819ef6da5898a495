// The verification pass of the group table's generic path: after probing by hash alone,
// each candidate row's key is compared, one key column at a time in a typed loop, with the
// stored key of its candidate group. Grouping semantics: null equals null, floats compare
// after normalisation (the stored keys are normalised), strings by bytes.
import type { Column } from "../../columnar/column.js";
import { type ColumnAppender, type StorageKind, wordsOf } from "./column-appender.js";
import { valuesEqual } from "./keys.js";

/**
 * Marks flags[i] = 2 where a candidate row (flags[i] = 1) differs in column `col` from the
 * stored key of its group gid[i] in `st`.
 */
export function verifyColumn(
  col: Column,
  st: ColumnAppender,
  n: number,
  gid: Int32Array,
  flags: Uint8Array,
): void {
  const cv = col.valid;
  const sv = st.valid;
  const kind: StorageKind = st.kind;
  if (kind === "null") return;
  // Validity first: a null matches only a null (skipped when neither side has nulls).
  const nulls = cv !== null || st.hasNull;
  if (nulls) {
    for (let i = 0; i < n; i++) {
      if (flags[i] !== 1) continue;
      const cn = cv !== null && cv[i] === 0 ? 0 : 1;
      if (cn !== sv[gid[i]!]) flags[i] = 2;
      else if (cn === 0) flags[i] = 3; // both null: equal in this column, skip its value
    }
  }
  switch (kind) {
    case "u8":
    case "i32": {
      const a = col.values as Int32Array | Uint8Array;
      const s = (kind === "u8" ? st.u8 : st.i32)!;
      for (let i = 0; i < n; i++) if (flags[i] === 1 && a[i] !== s[gid[i]!]) flags[i] = 2;
      break;
    }
    case "w2": {
      const a = wordsOf(col.values!);
      const s = st.i32!;
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 1) continue;
        const g = gid[i]!;
        if (a[2 * i] !== s[2 * g] || a[2 * i + 1] !== s[2 * g + 1]) flags[i] = 2;
      }
      break;
    }
    case "w4": {
      const a = wordsOf(col.values!);
      const s = st.i32!;
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 1) continue;
        const p = 4 * i;
        const q = 4 * gid[i]!;
        if (a[p] !== s[q] || a[p + 1] !== s[q + 1] || a[p + 2] !== s[q + 2] || a[p + 3] !== s[q + 3])
          flags[i] = 2;
      }
      break;
    }
    case "f64": {
      const a = col.values as Float64Array;
      const s = st.f64!;
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 1) continue;
        const x = a[i]!;
        const y = s[gid[i]!]!;
        if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) flags[i] = 2;
      }
      break;
    }
    case "str": {
      const o = col.offsets!;
      const d = col.data!;
      const so = st.offsets!;
      const sd = st.data!;
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 1) continue;
        const g = gid[i]!;
        const a = o[i]!;
        const b = so[g]!;
        const len = o[i + 1]! - a;
        if (so[g + 1]! - b !== len) {
          flags[i] = 2;
          continue;
        }
        let k = 0;
        while (k < len && d[a + k] === sd[b + k]) k++;
        if (k !== len) flags[i] = 2;
      }
      break;
    }
    case "list": {
      const view = st.view();
      for (let i = 0; i < n; i++) if (flags[i] === 1 && !valuesEqual(col, i, view, gid[i]!)) flags[i] = 2;
      break;
    }
  }
  if (nulls) for (let i = 0; i < n; i++) if (flags[i] === 3) flags[i] = 1;
}
