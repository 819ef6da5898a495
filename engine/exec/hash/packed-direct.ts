// The direct mode of the packed group table (a "perfect hash" aggregation): when every key
// column is a small integer (int32, date, boolean, or a dictionary code), a key row's slot is
// sum((value - min) * stride) in a dense array of group ids, with nulls in a slot of their own
// per column. No hashing and no key comparison. The ranges are learned from the batches: a
// batch outside them re-frames the array (a range that grows doubles its span on the side it
// grew, so a column that creeps upwards, like dates in file order, re-frames a few times).
/** Largest dense array (slots), and its largest size relative to the rows seen so far. */
const DIRECT_MAX = 1 << 20;
const SLOTS_PER_ROW = 8;

/** One key column as the direct mode sees it: its integers and, for a nullable value column, its validity. */
export interface DigitSource {
  readonly a: Int32Array | Uint8Array;
  readonly valid: Uint8Array | null;
}

/** The value of column k of stored group g (null for a null value). */
export type GroupValue = (g: number, k: number) => number | null;

/** A dense array of group ids over the key ranges; see the file header. */
export class DirectIndex {
  private mins: number[];
  private spans: number[];
  private dense: Int32Array | null = null;
  private slot = new Int32Array(0);

  constructor(readonly numKeys: number) {
    this.mins = new Array<number>(numKeys).fill(0);
    this.spans = new Array<number>(numKeys).fill(0);
  }

  /**
   * Makes sure the dense array covers the batch's values, re-framing it (and re-placing the
   * `numGroups` groups so far) when not. False when the array would be too large: the caller
   * then leaves the direct mode for good.
   */
  prepare(
    srcs: readonly DigitSource[],
    n: number,
    rowsSeen: number,
    numGroups: number,
    groupValue: GroupValue,
  ): boolean {
    const K = this.numKeys;
    let fits = this.dense !== null;
    const lo: number[] = [];
    const hi: number[] = [];
    for (let k = 0; k < K; k++) {
      const { a, valid: v } = srcs[k]!;
      let mn = 2147483647;
      let mx = -2147483648;
      if (v === null)
        for (let i = 0; i < n; i++) {
          const x = a[i]!;
          if (x < mn) mn = x;
          if (x > mx) mx = x;
        }
      else
        for (let i = 0; i < n; i++) {
          if (v[i] === 0) continue;
          const x = a[i]!;
          if (x < mn) mn = x;
          if (x > mx) mx = x;
        }
      if (mn > mx) {
        // Only nulls: any range covers them.
        mn = this.spans[k]! > 0 ? this.mins[k]! : 0;
        mx = mn;
      }
      lo.push(mn);
      hi.push(mx);
      if (mn < this.mins[k]! || mx >= this.mins[k]! + this.spans[k]!) fits = false;
    }
    if (fits) return true;
    const mins: number[] = [];
    const spans: number[] = [];
    let slots = 1;
    for (let k = 0; k < K; k++) {
      const had = this.spans[k]! > 0;
      const oldLo = this.mins[k]!;
      const l = had ? Math.min(lo[k]!, oldLo) : lo[k]!;
      const h = had ? Math.max(hi[k]!, oldLo + this.spans[k]! - 1) : hi[k]!;
      let span = h - l + 1;
      let min = l;
      if (had && span > this.spans[k]!) {
        span = Math.max(span, 2 * this.spans[k]!);
        if (l < oldLo) min = h - span + 1;
      }
      mins.push(min);
      spans.push(span);
      slots *= span + 1;
    }
    if (slots > DIRECT_MAX || slots > Math.max(65536, SLOTS_PER_ROW * rowsSeen)) return false;
    this.mins = mins;
    this.spans = spans;
    const dense = new Int32Array(slots).fill(-1);
    for (let g = 0; g < numGroups; g++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const x = groupValue(g, k);
        s = s * (spans[k]! + 1) + (x === null ? spans[k]! : x - mins[k]!);
      }
      dense[s] = g;
    }
    this.dense = dense;
    return true;
  }

  /**
   * Computes the slots of the first n rows in the current frame; false (and nothing else
   * changed) when there is no frame yet or a value falls outside it: `prepare`, then again.
   * One pass per column, with the range check folded in (no separate min/max pass).
   */
  slots(srcs: readonly DigitSource[], n: number): boolean {
    if (this.dense === null) return false;
    if (this.slot.length < n) this.slot = new Int32Array(Math.max(n, 1024));
    const slot = this.slot;
    // bad = 1 once some digit d has d < 0 or d >= span.
    let bad = 0;
    for (let k = 0; k < srcs.length; k++) {
      const { a, valid: v } = srcs[k]!;
      const min = this.mins[k]!;
      const span = this.spans[k]!;
      const top = span - 1;
      const r = span + 1;
      if (k === 0) {
        if (v === null)
          for (let i = 0; i < n; i++) {
            const d = a[i]! - min;
            if (d < 0 || d > top) bad = 1;
            slot[i] = d;
          }
        else
          for (let i = 0; i < n; i++) {
            const d = v[i] === 0 ? 0 : a[i]! - min;
            if (d < 0 || d > top) bad = 1;
            slot[i] = v[i] === 0 ? span : d;
          }
      } else if (v === null)
        for (let i = 0; i < n; i++) {
          const d = a[i]! - min;
          if (d < 0 || d > top) bad = 1;
          slot[i] = slot[i]! * r + d;
        }
      else
        for (let i = 0; i < n; i++) {
          const d = v[i] === 0 ? 0 : a[i]! - min;
          if (d < 0 || d > top) bad = 1;
          slot[i] = slot[i]! * r + (v[i] === 0 ? span : d);
        }
      if (bad !== 0) return false;
    }
    return true;
  }

  /**
   * Maps each of the first n rows (after `slots` returned true) to its group id in `out`; a
   * row whose slot is empty gets `newGroup(i)`, the id of a group added for it.
   */
  lookup(n: number, out: Int32Array, newGroup: (i: number) => number): void {
    const slot = this.slot;
    const dense = this.dense!;
    for (let i = 0; i < n; i++) {
      const s = slot[i]!;
      let g = dense[s]!;
      if (g < 0) {
        g = newGroup(i);
        dense[s] = g;
      }
      out[i] = g;
    }
  }

  /** Bytes held by the dense array and the scratch. */
  estimatedBytes(): number {
    return (this.dense?.byteLength ?? 0) + this.slot.byteLength;
  }
}
