// Window evaluation over one batch sorted by (PARTITION BY keys, ORDER BY keys): finds the
// partitions and peer groups once, then evaluates calls into result columns. Ranking and offset
// functions ignore the frame; first/last/nth_value and aggregates use it (Spark's default frame
// when none is given). count/sum/avg/min/max/first/last and the variance family have frame
// kernels of their own; every other aggregate (and decimal sum/avg) runs through its registry
// accumulator.
import type { Batch, Column } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { T } from "../../types/data-type.js";
import { lookupAggregate } from "../agg/accumulators.js";
import { asDoubles, frameAvg, frameCount, frameDoubleSum, frameIntSum } from "./frame-aggregates.js";
import { frameMoments, momentStat } from "./frame-moments.js";
import { firstValue, lastValue, minMax, nthValue } from "./frame-values.js";
import { defaultFrame, type FrameBounds, frameBounds } from "./frames.js";
import { genericFrameAggregate } from "./generic-aggregate.js";
import { type WindowLayout, windowLayout } from "./layout.js";
import { cumeDist, denseRank, lag, ntile, percentRank, rank, rowNumber } from "./ranking.js";
import type { FrameSpec, WindowFunctionCall, WindowSpec } from "./types.js";

/** Evaluates window calls over one partition-sorted batch; layout and frames are computed once. */
export class WindowEvaluator {
  /** Partitions and peer groups of the batch. */
  readonly layout: WindowLayout;
  private readonly frames = new Map<string, FrameBounds>();

  constructor(
    private readonly batch: Batch,
    private readonly spec: Omit<WindowSpec, "frame">,
  ) {
    this.layout = windowLayout(batch, spec.partitionBy, spec.orderBy);
  }

  /** The frame bounds of a frame (cached per frame). */
  boundsOf(frame: FrameSpec): FrameBounds {
    const key = `${frame.type}:${frame.start}:${frame.end}`;
    let f = this.frames.get(key);
    if (f === undefined) {
      f = frameBounds(this.batch, this.layout, this.spec.orderBy, frame);
      this.frames.set(key, f);
    }
    return f;
  }

  /** The result column of `fn` over `frame` (Spark's default frame when null or absent). */
  evaluate(fn: WindowFunctionCall, frame?: FrameSpec | null): Column {
    const l = this.layout;
    const cols = this.batch.columns;
    const args = (fn.args ?? []).map((i) => {
      const c = cols[i];
      if (c === undefined) throw new Error(`window function ${fn.fn}: no column ${i} in the batch`);
      return c;
    });
    const arg0 = (): Column => {
      if (args.length === 0) throw new AnalysisError(`window function ${fn.fn} needs an argument`);
      return args[0]!;
    };
    const bounds = () => this.boundsOf(frame ?? defaultFrame(this.spec.orderBy.length > 0));
    switch (fn.fn) {
      case "row_number":
        return rowNumber(l);
      case "rank":
        return rank(l);
      case "dense_rank":
        return denseRank(l);
      case "percent_rank":
        return percentRank(l);
      case "cume_dist":
        return cumeDist(l);
      case "ntile":
        return ntile(l, fn.buckets ?? Number.NaN);
      case "lag":
      case "lead": {
        const off = fn.offset ?? 1;
        const d = fn.defaultColumn === undefined ? null : cols[fn.defaultColumn]!;
        const dflt = d === null || d.type.kind === "null" ? null : d;
        return lag(l, arg0(), fn.fn === "lag" ? off : -off, dflt, fn.ignoreNulls ?? false);
      }
      case "first_value":
        return firstValue(arg0(), bounds(), fn.ignoreNulls ?? false);
      case "last_value":
        return lastValue(arg0(), bounds(), fn.ignoreNulls ?? false);
      case "nth_value":
        return nthValue(arg0(), bounds(), fn.nth ?? Number.NaN, fn.ignoreNulls ?? false);
    }
    const def = lookupAggregate(fn.fn);
    const res = def.resolve(
      args.map((a) => a.type),
      fn.params,
    );
    // The operator casts arguments to the resolved types; integer-to-double widening is done here.
    res.argTypes.forEach((t, i) => {
      const a = args[i];
      if (a === undefined || t.kind === a.type.kind) return;
      if (t.kind === "float64" && (a.type.kind === "int32" || a.type.kind === "int64")) {
        args[i] = { type: T.float64, length: a.length, valid: a.valid, values: asDoubles(a) };
        return;
      }
      throw new Error(
        `window ${fn.fn}: argument ${i + 1} must be cast to ${t.kind} first, got ${a.type.kind}`,
      );
    });
    const f = bounds();
    const ignoreNulls = fn.ignoreNulls ?? fn.params?.ignoreNulls ?? false;
    const k0 = args[0]?.type.kind;
    switch (def.name) {
      case "count":
        return frameCount(args, f);
      case "sum":
        if (k0 === "int32" || k0 === "int64") return frameIntSum(args[0]!, f);
        if (k0 === "float64") return frameDoubleSum(args[0]!, l, f);
        break;
      case "avg":
      case "mean":
        if (k0 === "int32" || k0 === "int64" || k0 === "float64") return frameAvg(args[0]!, l, f);
        break;
      case "min":
      case "max":
        if (args.length === 1) return minMax(args[0]!, f, def.name === "max");
        break;
      case "first":
        if (args.length === 1) return firstValue(args[0]!, f, ignoreNulls);
        break;
      case "last":
        if (args.length === 1) return lastValue(args[0]!, f, ignoreNulls);
        break;
    }
    const stat = momentStat(def.name);
    if (stat !== null && args.length === 1 && k0 === "float64")
      return frameMoments(args[0]!, l, f, stat.samp, stat.sqrt);
    return genericFrameAggregate(def, args, fn.params, l, f);
  }
}

/**
 * The result of one window function call over a batch sorted by (spec.partitionBy,
 * spec.orderBy): one value per row, in the batch's row order.
 */
export function evaluateWindow(batch: Batch, spec: WindowSpec, fn: WindowFunctionCall): Column {
  return new WindowEvaluator(batch, spec).evaluate(fn, spec.frame);
}
