// The variance family (var_samp/variance, var_pop, stddev_samp/stddev/std, stddev_pop) over
// frames with the same Welford update as the aggregate (moments.ts), in Spark's order: running
// and whole frames add rows in order once; a sliding frame is re-added from its first row, as
// Spark's SlidingWindowFunctionFrame recomputes. Rows with equal bounds share one computation.
import type { Column } from "../../columnar/column.js";
import { T } from "../../types/data-type.js";
import type { FrameBounds } from "./frames.js";
import type { WindowLayout } from "./layout.js";

/** Which statistic of the moments a name computes, or null for other functions. */
export function momentStat(name: string): { samp: boolean; sqrt: boolean } | null {
  switch (name) {
    case "var_samp":
    case "variance":
      return { samp: true, sqrt: false };
    case "var_pop":
      return { samp: false, sqrt: false };
    case "stddev_samp":
    case "stddev":
    case "std":
      return { samp: true, sqrt: true };
    case "stddev_pop":
      return { samp: false, sqrt: true };
    default:
      return null;
  }
}

/** The statistic of a float64 column over each row's frame (null without enough values). */
export function frameMoments(
  input: Column,
  l: WindowLayout,
  f: FrameBounds,
  samp: boolean,
  sqrt: boolean,
): Column {
  const n = l.numRows;
  const x = input.values as Float64Array;
  const v = input.valid;
  const { lo, hi } = f;
  const out = new Float64Array(n);
  const valid = new Uint8Array(n);
  const emit = (r: number, k: number, m2: number) => {
    if (k === 0 || (samp && k === 1)) return;
    const s = m2 / (samp ? k - 1 : k);
    out[r] = sqrt ? Math.sqrt(s) : s;
    valid[r] = 1;
  };
  for (let p = 0; p < l.numParts; p++) {
    const ps = l.partStart[p]!;
    const pe = l.partStart[p + 1]!;
    if (f.shape !== "sliding") {
      let k = 0;
      let avg = 0;
      let m2 = 0;
      let added = ps;
      for (let r = ps; r < pe; r++) {
        for (const b = hi[r]!; added < b; added++) {
          if (v !== null && v[added] === 0) continue;
          const newK = k + 1;
          const delta = x[added]! - avg;
          const deltaN = delta / newK;
          avg += deltaN;
          m2 += delta * (delta - deltaN);
          k = newK;
        }
        emit(r, k, m2);
      }
      continue;
    }
    for (let r = ps; r < pe; r++) {
      if (r > ps && lo[r] === lo[r - 1] && hi[r] === hi[r - 1]) {
        out[r] = out[r - 1]!;
        valid[r] = valid[r - 1]!;
        continue;
      }
      let k = 0;
      let avg = 0;
      let m2 = 0;
      for (let i = lo[r]!; i < hi[r]!; i++) {
        if (v !== null && v[i] === 0) continue;
        const newK = k + 1;
        const delta = x[i]! - avg;
        const deltaN = delta / newK;
        avg += deltaN;
        m2 += delta * (delta - deltaN);
        k = newK;
      }
      emit(r, k, m2);
    }
  }
  return { type: T.float64, length: n, valid, values: out };
}
