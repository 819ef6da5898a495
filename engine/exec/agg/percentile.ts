// percentile_approx and median, computed exactly from every non-null value of the group (the
// partial state is a list of the values).
//
// median(col) is Spark 3.5's percentile(col, 0.5): exact, linear interpolation between the
// neighbouring ranks, a double. percentile_approx(col, p, accuracy) answers with a value of
// the input: Spark's GK summary returns, for n values sorted ascending (NaN last), the value of
// rank ceil(p·n) (1-based), or the smallest when p <= 1/accuracy and the largest when
// p >= 1 - 1/accuracy. Spark's summary is exact at that rank for small groups (below ~accuracy
// values); for larger ones it may return a value up to n/accuracy ranks away, so Kindling's
// exact answer is one Spark could give, not always the one it gives. Memory is the values
// themselves (Spark's sketch is bounded by accuracy); a bounded sketch is future work.

import type { Column } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, T, typeName } from "../../types/data-type.js";
import { storageKind, wordsOf } from "../hash/column-appender.js";
import { GroupLists } from "./collect.js";
import { compareValues } from "./group-values.js";
import { type Accumulator, type AggParams, type AggregateDef, checkArity, doubleArg } from "./types.js";

/** The 0-based rank percentile_approx answers with for percentage p over cnt sorted values. */
export function approxRank(p: number, cnt: number, accuracy: number): number {
  if (p <= 1 / accuracy) return 0;
  if (p >= 1 - 1 / accuracy) return cnt - 1;
  return Math.max(0, Math.min(cnt - 1, Math.ceil(p * cnt) - 1));
}

/** Spark's Percentile interpolation at percentage p over cnt ascending values read by `at`. */
export function interpolated(p: number, cnt: number, at: (r: number) => number): number {
  const pos = (cnt - 1) * p;
  const lower = Math.floor(pos);
  const higher = Math.ceil(pos);
  const lo = at(lower);
  if (higher === lower) return lo;
  const hi = at(higher);
  if (lo === hi || (Number.isNaN(lo) && Number.isNaN(hi))) return lo;
  return (higher - pos) * lo + (pos - lower) * hi;
}

class PercentileAcc implements Accumulator {
  private lists: GroupLists;
  constructor(
    private readonly type: DataType,
    private readonly percentages: readonly number[],
    private readonly asList: boolean,
    private readonly accuracy: number,
    private readonly interpolate: boolean,
  ) {
    this.lists = new GroupLists(type);
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.lists.add(gids, n, args[0]!);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.lists.addLists(gids, n, states[0]!);
  }
  state(n: number): Column[] {
    return [this.lists.toListColumn(n)];
  }
  stateTypes(): DataType[] {
    return [T.list(this.type)];
  }
  finish(n: number): Column {
    const { offsets, order } = this.lists.grouped(n);
    const vals = this.lists.values.view();
    const P = this.percentages.length;
    const m = n * P;
    const valid = new Uint8Array(m);
    const kind = storageKind(this.type);
    const resultType = this.interpolate ? T.float64 : this.type;
    // Numbers are copied per group into a typed array and sorted natively (NaN last);
    // int64-like values as BigInt64Array (exact), decimals by index with compareValues.
    const f64 = kind === "f64" ? new Float64Array(m) : null;
    const i32 = kind === "i32" ? new Int32Array(m) : null;
    const w2 = kind === "w2" ? new BigInt64Array(m) : null;
    const pick = kind === "w4" ? new Int32Array(m).fill(-1) : null;
    const src = vals.values;
    for (let g = 0; g < n; g++) {
      const s = offsets[g]!;
      const cnt = offsets[g + 1]! - s;
      if (cnt === 0) continue;
      let sortedF: Float64Array | null = null;
      let sortedI: Int32Array | null = null;
      let sortedB: BigInt64Array | null = null;
      let sortedIdx: number[] | null = null;
      if (kind === "f64" || kind === "i32") {
        const a = src as Float64Array | Int32Array;
        const buf = kind === "f64" ? new Float64Array(cnt) : new Int32Array(cnt);
        for (let k = 0; k < cnt; k++) buf[k] = a[order[s + k]!]!;
        buf.sort();
        if (kind === "f64") sortedF = buf as Float64Array;
        else sortedI = buf as Int32Array;
      } else if (kind === "w2") {
        const sw = wordsOf(src!);
        const buf = new BigInt64Array(cnt);
        const bw = wordsOf(buf);
        for (let k = 0; k < cnt; k++) {
          const r = order[s + k]!;
          bw[2 * k] = sw[2 * r]!;
          bw[2 * k + 1] = sw[2 * r + 1]!;
        }
        sortedB = buf.sort();
      } else {
        sortedIdx = Array.from(order.subarray(s, s + cnt));
        sortedIdx.sort((x, y) => compareValues(vals, x, vals, y));
      }
      for (let k = 0; k < P; k++) {
        const p = this.percentages[k]!;
        const out = g * P + k;
        valid[out] = 1;
        if (this.interpolate) f64![out] = interpolated(p, cnt, (r) => sortedF![r]!);
        else {
          const r = approxRank(p, cnt, this.accuracy);
          if (sortedF !== null) f64![out] = sortedF[r]!;
          else if (sortedI !== null) i32![out] = sortedI[r]!;
          else if (sortedB !== null) w2!.set(sortedB.subarray(r, r + 1), out);
          else pick![out] = sortedIdx![r]!;
        }
      }
    }
    const flat: Column =
      pick !== null
        ? { ...takeColumn(vals, pick, m), valid }
        : { type: resultType, length: m, valid, values: (f64 ?? i32 ?? w2)! };
    if (!this.asList) return flat;
    const listOffsets = new Int32Array(n + 1);
    for (let g = 0; g <= n; g++) listOffsets[g] = g * P;
    const listValid = new Uint8Array(n);
    for (let g = 0; g < n; g++) listValid[g] = offsets[g + 1]! > offsets[g]! ? 1 : 0;
    return { type: T.list(flat.type), length: n, valid: listValid, offsets: listOffsets, child: flat };
  }
  resize(): void {}
  estimatedBytes(): number {
    return this.lists.estimatedBytes();
  }
}

function percentagesOf(
  name: string,
  params: AggParams | undefined,
): { list: readonly number[]; asList: boolean } {
  const p = params?.percentage;
  if (p === undefined)
    throw new AnalysisError(`${name} requires a percentage (a literal between 0 and 1, or an array of them)`);
  const list = typeof p === "number" ? [p] : p;
  for (const x of list)
    if (!(x >= 0 && x <= 1))
      throw new AnalysisError(`${name}: percentage must be between 0.0 and 1.0, got ${x}`);
  return { list, asList: typeof p !== "number" };
}

/** percentile_approx(col, percentage, accuracy = 10000): a value of the input at that rank (see the header). */
export const percentile_approx: AggregateDef = {
  name: "percentile_approx",
  resolve(argTypes, params) {
    checkArity("percentile_approx", argTypes, 1);
    let t = argTypes[0]!;
    if (t.kind === "string" || t.kind === "null") t = T.float64;
    if (!["int32", "int64", "float64", "decimal", "date", "timestamp"].includes(t.kind))
      throw new AnalysisError(
        `cannot resolve percentile_approx: argument 1 requires a numeric, date or timestamp type, got ${typeName(t)}`,
      );
    const { asList } = percentagesOf("percentile_approx", params);
    const acc = params?.accuracy ?? 10000;
    if (!(acc > 0 && Number.isInteger(acc)))
      throw new AnalysisError(`percentile_approx: accuracy must be a positive integer, got ${acc}`);
    return { argTypes: [t], result: asList ? T.list(t) : t, resultNullable: true, stateTypes: [T.list(t)] };
  },
  create(argTypes, params) {
    const { list, asList } = percentagesOf("percentile_approx", params);
    return new PercentileAcc(argTypes[0]!, list, asList, params?.accuracy ?? 10000, false);
  },
};

/** median(col): Spark's exact percentile(col, 0.5) with interpolation, as a double. */
export const median: AggregateDef = {
  name: "median",
  resolve(argTypes) {
    checkArity("median", argTypes, 1);
    return {
      argTypes: [doubleArg("median", argTypes[0]!)],
      result: T.float64,
      resultNullable: true,
      stateTypes: [T.list(T.float64)],
    };
  },
  create: () => new PercentileAcc(T.float64, [0.5], false, 10000, true),
};
