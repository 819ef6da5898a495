// One value per group of any type, for accumulators whose state is "a value of the input"
// (min/max of strings and decimals, first, last). Values live in an append-only
// ColumnAppender and each group points at its current row; replacing a value appends, and the
// store is compacted when most of it is garbage. Updates pick one candidate row per group per
// batch first, so at most one value per touched group is copied per batch.
//
// Also Spark's ordering of non-null values (`compareValues`): strings by UTF-8 bytes,
// NaN above every double, false < true, decimals as 128-bit integers, lists element-wise.

import type { Column } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import type { DataType } from "../../types/data-type.js";
import { ColumnAppender } from "../hash/column-appender.js";
import { cachedWords } from "../hash/keys.js";
import { growI32 } from "./types.js";

/** Compares the non-null values at row i of `a` and row j of `b` (same type): <0, 0 or >0. */
export function compareValues(a: Column, i: number, b: Column, j: number): number {
  switch (a.type.kind) {
    case "null":
      return 0;
    case "boolean":
    case "int32":
    case "date":
      return (a.values as Int32Array)[i]! - (b.values as Int32Array)[j]!;
    case "float64": {
      const x = (a.values as Float64Array)[i]!;
      const y = (b.values as Float64Array)[j]!;
      if (x < y) return -1;
      if (x > y) return 1;
      if (x === y) return 0;
      return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    }
    case "int64":
    case "timestamp":
    case "decimal": {
      const per = a.type.kind === "decimal" ? 4 : 2;
      const x = cachedWords(a.values!);
      const y = cachedWords(b.values!);
      const p = per * i;
      const q = per * j;
      const hx = x[p + per - 1]!;
      const hy = y[q + per - 1]!;
      if (hx !== hy) return hx < hy ? -1 : 1;
      for (let k = per - 2; k >= 0; k--) {
        const ux = x[p + k]! >>> 0;
        const uy = y[q + k]! >>> 0;
        if (ux !== uy) return ux < uy ? -1 : 1;
      }
      return 0;
    }
    case "string": {
      const xs = a.offsets![i]!;
      const xl = a.offsets![i + 1]! - xs;
      const ys = b.offsets![j]!;
      const yl = b.offsets![j + 1]! - ys;
      const dx = a.data!;
      const dy = b.data!;
      const m = Math.min(xl, yl);
      for (let k = 0; k < m; k++) {
        const d = dx[xs + k]! - dy[ys + k]!;
        if (d !== 0) return d;
      }
      return xl - yl;
    }
    case "list": {
      const ao = a.offsets!;
      const bo = b.offsets!;
      const al = ao[i + 1]! - ao[i]!;
      const bl = bo[j + 1]! - bo[j]!;
      const ac = a.child!;
      const bc = b.child!;
      for (let k = 0; k < al && k < bl; k++) {
        const x = ao[i]! + k;
        const y = bo[j]! + k;
        const xn = ac.valid !== null && ac.valid[x] === 0;
        const yn = bc.valid !== null && bc.valid[y] === 0;
        if (xn || yn) {
          if (xn && yn) continue;
          return xn ? -1 : 1;
        }
        const d = compareValues(ac, x, bc, y);
        if (d !== 0) return d;
      }
      return al - bl;
    }
  }
}

/** One (possibly null) value per group, kept in an append-only store. */
export class GroupValues {
  private store: ColumnAppender;
  /** Row of each group's value in the store; -1 = no value yet. */
  idx = new Int32Array(0);
  private live = 0;
  /** Per-batch scratch: candidate row per group (-1 = none) and the touched groups. */
  private cand = new Int32Array(0);
  private touched = new Int32Array(0);

  constructor(readonly type: DataType) {
    this.store = new ColumnAppender(type, 256);
  }

  resize(n: number): void {
    this.idx = growI32(this.idx, n, -1);
    this.cand = growI32(this.cand, n, -1);
  }

  /** Does group g hold a value (possibly null)? */
  has(g: number): boolean {
    return this.idx[g]! >= 0;
  }

  /** The stored values so far as a Column (row `idx[g]` is group g's value). */
  view(): Column {
    return this.store.view();
  }

  /**
   * Picks one row per group from a batch and stores it. `mode`: "first" keeps a group's
   * existing value and takes its first row; "last" takes the last row; "min"/"max" take the
   * extreme row and keep the stored value unless the row is strictly better. Rows that are
   * null (when `skipNulls`) or whose `skip` byte is 1 are ignored.
   */
  pick(
    gids: Int32Array,
    n: number,
    col: Column,
    mode: "first" | "last" | "min" | "max",
    skipNulls: boolean,
    skip: Uint8Array | null = null,
  ): void {
    if (this.touched.length < n) this.touched = new Int32Array(n);
    const cand = this.cand;
    const touched = this.touched;
    const v = skipNulls ? col.valid : null;
    const sign = mode === "min" ? 1 : -1;
    const ordered = mode === "min" || mode === "max";
    let t = 0;
    for (let i = 0; i < n; i++) {
      if ((v !== null && v[i] === 0) || (skip !== null && skip[i] === 1)) continue;
      const g = gids[i]!;
      const c = cand[g]!;
      if (c < 0) {
        if (mode === "first" && this.idx[g]! >= 0) continue;
        cand[g] = i;
        touched[t++] = g;
      } else if (mode === "last" || (ordered && sign * compareValues(col, i, col, c) < 0)) cand[g] = i;
    }
    const stored = this.store.view();
    for (let k = 0; k < t; k++) {
      const g = touched[k]!;
      const i = cand[g]!;
      cand[g] = -1;
      const cur = this.idx[g]!;
      if (ordered && cur >= 0 && sign * compareValues(col, i, stored, cur) >= 0) continue;
      if (cur < 0) this.live++;
      this.idx[g] = this.store.length;
      this.store.append(col, i);
    }
    if (this.store.length > 2 * this.live + 4096) this.compact();
  }

  /** Rewrites the store with only the live values. */
  private compact(): void {
    const old = this.store.view();
    const next = new ColumnAppender(this.type, this.live + 256);
    const idx = this.idx;
    for (let g = 0; g < idx.length; g++) {
      const r = idx[g]!;
      if (r < 0) continue;
      idx[g] = next.length;
      next.append(old, r);
    }
    this.store = next;
  }

  /** The values of groups 0..n-1 (null for groups without a value). */
  toColumn(n: number): Column {
    return takeColumn(this.store.view(), this.idx, n);
  }

  estimatedBytes(): number {
    return this.store.byteSize() + this.idx.byteLength + this.cand.byteLength + this.touched.byteLength;
  }
}
