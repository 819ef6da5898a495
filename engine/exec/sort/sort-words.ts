// Order-preserving encodings of sort keys as unsigned 32-bit words per row, so that a stable
// radix sort over the words (most significant first) sorts the rows by the keys. Fixed-width
// types map bit patterns (sign flips, float total order with NaN on top and -0.0 == 0.0,
// descending by complement); a string key becomes its dense rank among the batch's strings
// (string-ranks.ts). Nulls get a separate word (first or last), only when the column has nulls.
import type { Column } from "../../columnar/column.js";
import { wordsOf } from "../hash/column-appender.js";
import type { SortKey } from "./compare.js";
import { stringRanks } from "./string-ranks.js";

/** Can `radixSortPositions` order a key of this column (everything but lists)? */
export const hasSortWords = (c: Column): boolean => c.type.kind !== "list";

/** Does the column hold at least one null among rows [0, n)? */
function anyNull(c: Column, n: number): boolean {
  const v = c.valid;
  if (c.type.kind === "null") return false; // a single value: no ordering needed
  if (v === null) return false;
  for (let i = 0; i < n; i++) if (v[i] === 0) return true;
  return false;
}

/** Appends the words of one key (most significant first) for rows [0, n) to `out`. */
export function appendSortWords(key: SortKey, n: number, out: Uint32Array[]): void {
  const c = key.col;
  const v = c.valid;
  const hasNull = anyNull(c, n);
  if (hasNull) {
    const w = new Uint32Array(n);
    const nullWord = key.nullsFirst ? 0 : 2;
    for (let i = 0; i < n; i++) w[i] = v![i] === 0 ? nullWord : 1;
    out.push(w);
  }
  const start = out.length;
  const flip = key.ascending ? 0 : 0xffffffff;
  const t = c.type;
  switch (t.kind) {
    case "null":
      return;
    case "boolean":
    case "int32":
    case "date": {
      const a = c.values as Int32Array | Uint8Array;
      const w = new Uint32Array(n);
      const sign = t.kind === "boolean" ? 0 : 0x80000000;
      for (let i = 0; i < n; i++) w[i] = (a[i]! ^ sign ^ flip) >>> 0;
      out.push(w);
      break;
    }
    case "int64":
    case "timestamp":
    case "decimal": {
      const per = t.kind === "decimal" ? 4 : 2;
      const src = wordsOf(c.values!);
      for (let k = per - 1; k >= 0; k--) {
        const w = new Uint32Array(n);
        const sign = k === per - 1 ? 0x80000000 : 0;
        for (let i = 0; i < n; i++) w[i] = (src[per * i + k]! ^ sign ^ flip) >>> 0;
        out.push(w);
      }
      break;
    }
    case "float64": {
      const x = c.values as Float64Array;
      const src = wordsOf(x);
      const hi = new Uint32Array(n);
      const lo = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const f = x[i]!;
        let h: number;
        let l: number;
        if (f === 0) {
          h = 0x80000000; // -0.0 and 0.0 both encode as +0.0
          l = 0;
        } else if (Number.isNaN(f)) {
          h = 0xfff80000; // one NaN, above +Infinity (0xfff00000)
          l = 0;
        } else {
          h = src[2 * i + 1]!;
          l = src[2 * i]!;
          if (h < 0) {
            h = ~h;
            l = ~l;
          } else h ^= 0x80000000;
        }
        hi[i] = (h ^ flip) >>> 0;
        lo[i] = (l ^ flip) >>> 0;
      }
      out.push(hi, lo);
      break;
    }
    case "string": {
      const r = stringRanks(c, n);
      if (flip !== 0) for (let i = 0; i < n; i++) r[i] = ~r[i]! >>> 0;
      out.push(r);
      break;
    }
    case "list":
      throw new Error("list keys have no sort words; use the comparator sort");
  }
  // Null rows take value words of 0 so that they tie with each other (and stay stable).
  if (hasNull)
    for (let k = start; k < out.length; k++) {
      const w = out[k]!;
      for (let i = 0; i < n; i++) if (v![i] === 0) w[i] = 0;
    }
}
