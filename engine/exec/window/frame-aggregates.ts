// count, sum and avg over frames without the generic accumulators. count and integer sums use
// prefix sums (integer sums wrap mod 2^64 like Spark's non-ANSI long addition, so a difference
// of prefixes is exact). Double sums follow Spark's evaluation order: a whole or running frame
// adds its rows in order; a sliding frame is re-added from its first row (SlidingWindowFunction
// Frame), unless that costs more than 32 additions per row, when a compensated running sum adds
// and removes rows (non-finite values counted apart so they can leave the frame again).
import type { Column } from "../../columnar/column.js";
import { T } from "../../types/data-type.js";
import { int64Column } from "../agg/types.js";
import { wordsOf } from "../hash/column-appender.js";
import type { FrameBounds } from "./frames.js";
import type { WindowLayout } from "./layout.js";

const TWO32 = 4294967296;

/** Rows where every argument is non-null (null = all rows), or all zero if an argument has the null type. */
function rowMask(args: readonly Column[], n: number): Uint8Array | null {
  if (args.some((a) => a.type.kind === "null")) return new Uint8Array(n);
  const vs = args.map((a) => a.valid).filter((v): v is Uint8Array => v !== null);
  if (vs.length === 0) return null;
  if (vs.length === 1) return vs[0]!;
  const m = new Uint8Array(n).fill(1);
  for (const v of vs) for (let i = 0; i < n; i++) m[i]! &= v[i]!;
  return m;
}

/** Prefix counts of a mask: out[r] = set rows in [0, r). */
function prefixCounts(mask: Uint8Array | null, n: number): Int32Array {
  const out = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) out[r + 1] = out[r]! + (mask === null ? 1 : mask[r]!);
  return out;
}

/** count(*) (no args) or count(a, ...) over the frames, as int64. */
export function frameCount(args: readonly Column[], f: FrameBounds): Column {
  const n = f.lo.length;
  const c = prefixCounts(rowMask(args, n), n);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = c[f.hi[r]!]! - c[f.lo[r]!]!;
  return int64Column(out, n);
}

/** sum of an int32 or int64 column over the frames: int64, wrapping; null for frames without values. */
export function frameIntSum(input: Column, f: FrameBounds): Column {
  const n = f.lo.length;
  const v = input.valid;
  const cnt = prefixCounts(v, n);
  // Prefix sums mod 2^64 as (low word as unsigned double, high word int32).
  const pl = new Float64Array(n + 1);
  const ph = new Int32Array(n + 1);
  const isI64 = input.type.kind !== "int32";
  const w = isI64 ? wordsOf(input.values!) : null;
  const x32 = isI64 ? null : (input.values as Int32Array);
  for (let r = 0; r < n; r++) {
    let xl = 0;
    let xh = 0;
    if (v === null || v[r] === 1) {
      if (w !== null) {
        xl = w[2 * r]! >>> 0;
        xh = w[2 * r + 1]!;
      } else {
        const x = x32![r]!;
        xl = x >>> 0;
        xh = x < 0 ? -1 : 0;
      }
    }
    let lo = pl[r]! + xl;
    let carry = 0;
    if (lo >= TWO32) {
      lo -= TWO32;
      carry = 1;
    }
    pl[r + 1] = lo;
    ph[r + 1] = (ph[r]! + xh + carry) | 0;
  }
  const values = new BigInt64Array(n);
  const ow = wordsOf(values);
  let valid: Uint8Array | null = null;
  for (let r = 0; r < n; r++) {
    const a = f.lo[r]!;
    const b = f.hi[r]!;
    if (cnt[b]! - cnt[a]! === 0) {
      valid ??= new Uint8Array(n).fill(1);
      valid[r] = 0;
      continue;
    }
    let lo = pl[b]! - pl[a]!;
    let borrow = 0;
    if (lo < 0) {
      lo += TWO32;
      borrow = 1;
    }
    ow[2 * r] = lo | 0;
    ow[2 * r + 1] = (ph[b]! - ph[a]! - borrow) | 0;
  }
  return { type: T.int64, length: n, valid, values };
}

/** The values of an int32, int64 or float64 column as doubles (nulls as 0). */
export function asDoubles(c: Column): Float64Array {
  if (c.type.kind === "float64") return c.values as Float64Array;
  const n = c.length;
  const out = new Float64Array(n);
  if (c.type.kind === "int32") {
    const x = c.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = x[i]!;
  } else {
    const w = wordsOf(c.values!);
    for (let i = 0; i < n; i++) out[i] = w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0);
  }
  return out;
}

/**
 * Double sums (and non-null counts) of the frames, in Spark's order; `sums[r]` is meaningful
 * only where `counts[r] > 0`.
 */
export function frameDoubleSums(
  x: Float64Array,
  valid: Uint8Array | null,
  l: WindowLayout,
  f: FrameBounds,
): { sums: Float64Array; counts: Int32Array } {
  const n = f.lo.length;
  const { lo, hi } = f;
  const cnt = prefixCounts(valid, n);
  const counts = new Int32Array(n);
  for (let r = 0; r < n; r++) counts[r] = cnt[hi[r]!]! - cnt[lo[r]!]!;
  const sums = new Float64Array(n);
  // Work of re-adding every distinct frame from its first row.
  let work = 0;
  for (let r = 0; r < n; r++)
    if (r === 0 || lo[r] !== lo[r - 1] || hi[r] !== hi[r - 1]) work += hi[r]! - lo[r]!;
  const recompute = f.shape === "sliding" && work <= 32 * n + 1024;
  for (let p = 0; p < l.numParts; p++) {
    const ps = l.partStart[p]!;
    const pe = l.partStart[p + 1]!;
    if (f.shape !== "sliding") {
      // Frames start at the partition start: one running sum in row order.
      let s = 0;
      let added = ps;
      for (let r = ps; r < pe; r++) {
        for (const b = hi[r]!; added < b; added++) if (valid === null || valid[added] === 1) s += x[added]!;
        sums[r] = s;
      }
    } else if (recompute) {
      for (let r = ps; r < pe; r++) {
        if (r > ps && lo[r] === lo[r - 1] && hi[r] === hi[r - 1]) {
          sums[r] = sums[r - 1]!;
          continue;
        }
        let s = 0;
        for (let i = lo[r]!; i < hi[r]!; i++) if (valid === null || valid[i] === 1) s += x[i]!;
        sums[r] = s;
      }
    } else {
      slidingCompensated(x, valid, ps, pe, lo, hi, sums);
    }
  }
  return { sums, counts };
}

/** Sliding sums by adding and removing rows: Neumaier's compensation; NaN and infinities counted. */
function slidingCompensated(
  x: Float64Array,
  valid: Uint8Array | null,
  ps: number,
  pe: number,
  lo: Int32Array,
  hi: Int32Array,
  sums: Float64Array,
): void {
  let s = 0;
  let c = 0;
  let nan = 0;
  let pos = 0;
  let neg = 0;
  let a = ps;
  let b = ps;
  const add = (v: number, sign: number) => {
    if (Number.isNaN(v)) nan += sign;
    else if (v === Number.POSITIVE_INFINITY) pos += sign;
    else if (v === Number.NEGATIVE_INFINITY) neg += sign;
    else {
      const y = sign * v;
      const t = s + y;
      c += Math.abs(s) >= Math.abs(y) ? s - t + y : y - t + s;
      s = t;
    }
  };
  for (let r = ps; r < pe; r++) {
    for (const e = hi[r]!; b < e; b++) if (valid === null || valid[b] === 1) add(x[b]!, 1);
    for (const e = lo[r]!; a < e; a++) if (valid === null || valid[a] === 1) add(x[a]!, -1);
    sums[r] = nan > 0 || (pos > 0 && neg > 0) ? Number.NaN : pos > 0 ? Infinity : neg > 0 ? -Infinity : s + c;
  }
}

/** sum of a float64 column over the frames (double; null for frames without values). */
export function frameDoubleSum(input: Column, l: WindowLayout, f: FrameBounds): Column {
  const { sums, counts } = frameDoubleSums(asDoubles(input), input.valid, l, f);
  return withEmptyNull(sums, counts);
}

/** avg of an int32, int64 or float64 column over the frames (double; null for frames without values). */
export function frameAvg(input: Column, l: WindowLayout, f: FrameBounds): Column {
  const { sums, counts } = frameDoubleSums(asDoubles(input), input.valid, l, f);
  for (let r = 0; r < sums.length; r++) if (counts[r]! > 0) sums[r] = sums[r]! / counts[r]!;
  return withEmptyNull(sums, counts);
}

function withEmptyNull(values: Float64Array, counts: Int32Array): Column {
  const n = values.length;
  let valid: Uint8Array | null = null;
  for (let r = 0; r < n; r++) {
    if (counts[r] === 0) {
      valid ??= new Uint8Array(n).fill(1);
      valid[r] = 0;
      values[r] = 0;
    }
  }
  return { type: T.float64, length: n, valid, values };
}
