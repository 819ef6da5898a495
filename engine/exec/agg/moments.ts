// The statistical aggregates, with Spark 3.5's CentralMomentAgg and PearsonCorrelation update
// and merge formulas (Welford per row, Chan et al. per partial state), so results match Spark's
// to the last bits where the input order matches. Arguments are cast to double. With
// spark.sql.legacy.statisticalAggregate=false (the default): no rows gives null, one row gives
// null for the sample variants and corr, and corr over a constant column is null (Spark's
// division by zero), not NaN.
import type { Column } from "../../columnar/column.js";
import { type DataType, T } from "../../types/data-type.js";
import {
  type Accumulator,
  type AggregateDef,
  checkArity,
  doubleArg,
  float64Column,
  growF64,
} from "./types.js";

type Stat = "var_samp" | "var_pop" | "stddev_samp" | "stddev_pop";

/** (n, avg, m2) per group. */
class CentralMoments implements Accumulator {
  private n = new Float64Array(0);
  private avg = new Float64Array(0);
  private m2 = new Float64Array(0);
  constructor(private readonly stat: Stat) {}
  update(gids: Int32Array, rows: number, args: readonly Column[]): void {
    const c = args[0]!;
    const x = c.values as Float64Array;
    const v = c.valid;
    const N = this.n;
    const A = this.avg;
    const M = this.m2;
    for (let i = 0; i < rows; i++) {
      if (v !== null && v[i] === 0) continue;
      const g = gids[i]!;
      const newN = N[g]! + 1;
      const delta = x[i]! - A[g]!;
      const deltaN = delta / newN;
      A[g] = A[g]! + deltaN;
      M[g] = M[g]! + delta * (delta - deltaN);
      N[g] = newN;
    }
  }
  merge(gids: Int32Array, rows: number, states: readonly Column[]): void {
    const n2s = states[0]!.values as Float64Array;
    const a2s = states[1]!.values as Float64Array;
    const m2s = states[2]!.values as Float64Array;
    const N = this.n;
    const A = this.avg;
    const M = this.m2;
    for (let i = 0; i < rows; i++) {
      const g = gids[i]!;
      const n1 = N[g]!;
      const n2 = n2s[i]!;
      const newN = n1 + n2;
      const delta = a2s[i]! - A[g]!;
      const deltaN = newN === 0 ? 0 : delta / newN;
      A[g] = A[g]! + deltaN * n2;
      M[g] = M[g]! + m2s[i]! + delta * deltaN * n1 * n2;
      N[g] = newN;
    }
  }
  state(n: number): Column[] {
    return [
      float64Column(this.n, n, null),
      float64Column(this.avg, n, null),
      float64Column(this.m2, n, null),
    ];
  }
  stateTypes(): DataType[] {
    return [T.float64, T.float64, T.float64];
  }
  finish(n: number): Column {
    const out = new Float64Array(n);
    const valid = new Uint8Array(n);
    const samp = this.stat === "var_samp" || this.stat === "stddev_samp";
    const sqrt = this.stat === "stddev_samp" || this.stat === "stddev_pop";
    for (let g = 0; g < n; g++) {
      const k = this.n[g]!;
      if (k === 0 || (samp && k === 1)) continue;
      const v = this.m2[g]! / (samp ? k - 1 : k);
      out[g] = sqrt ? Math.sqrt(v) : v;
      valid[g] = 1;
    }
    return { type: T.float64, length: n, valid, values: out };
  }
  resize(n: number): void {
    this.n = growF64(this.n, n);
    this.avg = growF64(this.avg, n);
    this.m2 = growF64(this.m2, n);
  }
  estimatedBytes(): number {
    return this.n.byteLength * 3;
  }
}

function momentDef(name: string, stat: Stat): AggregateDef {
  return {
    name,
    resolve(argTypes) {
      checkArity(name, argTypes, 1);
      return {
        argTypes: [doubleArg(name, argTypes[0]!)],
        result: T.float64,
        resultNullable: true,
        stateTypes: [T.float64, T.float64, T.float64],
      };
    },
    create: () => new CentralMoments(stat),
  };
}

/** Sample variance (null for fewer than two values). */
export const var_samp = momentDef("var_samp", "var_samp");
/** Alias of var_samp. */
export const variance = momentDef("variance", "var_samp");
/** Population variance. */
export const var_pop = momentDef("var_pop", "var_pop");
/** Sample standard deviation (null for fewer than two values). */
export const stddev_samp = momentDef("stddev_samp", "stddev_samp");
/** Alias of stddev_samp. */
export const stddev = momentDef("stddev", "stddev_samp");
/** Population standard deviation. */
export const stddev_pop = momentDef("stddev_pop", "stddev_pop");

/** Pearson correlation: (n, xAvg, yAvg, ck, xMk, yMk) per group, over rows where both are non-null. */
class Correlation implements Accumulator {
  private s: Float64Array[] = [0, 1, 2, 3, 4, 5].map(() => new Float64Array(0));
  update(gids: Int32Array, rows: number, args: readonly Column[]): void {
    const x = args[0]!.values as Float64Array;
    const y = args[1]!.values as Float64Array;
    const xv = args[0]!.valid;
    const yv = args[1]!.valid;
    const [N, XA, YA, CK, XM, YM] = this.s as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let i = 0; i < rows; i++) {
      if ((xv !== null && xv[i] === 0) || (yv !== null && yv[i] === 0)) continue;
      const g = gids[i]!;
      const xi = x[i]!;
      const yi = y[i]!;
      const newN = N[g]! + 1;
      const dx = xi - XA[g]!;
      const dxN = dx / newN;
      const dy = yi - YA[g]!;
      const dyN = dy / newN;
      const newXAvg = XA[g]! + dxN;
      const newYAvg = YA[g]! + dyN;
      CK[g] = CK[g]! + dx * (yi - newYAvg);
      XM[g] = XM[g]! + dx * (xi - newXAvg);
      YM[g] = YM[g]! + dy * (yi - newYAvg);
      XA[g] = newXAvg;
      YA[g] = newYAvg;
      N[g] = newN;
    }
  }
  merge(gids: Int32Array, rows: number, states: readonly Column[]): void {
    const [n2s, xa2, ya2, ck2, xm2, ym2] = states.map((c) => c.values as Float64Array) as Float64Array[];
    const [N, XA, YA, CK, XM, YM] = this.s as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let i = 0; i < rows; i++) {
      const g = gids[i]!;
      const n1 = N[g]!;
      const n2 = n2s![i]!;
      const newN = n1 + n2;
      const dx = xa2![i]! - XA[g]!;
      const dxN = newN === 0 ? 0 : dx / newN;
      const dy = ya2![i]! - YA[g]!;
      const dyN = newN === 0 ? 0 : dy / newN;
      XA[g] = XA[g]! + dxN * n2;
      YA[g] = YA[g]! + dyN * n2;
      CK[g] = CK[g]! + ck2![i]! + dx * dyN * n1 * n2;
      XM[g] = XM[g]! + xm2![i]! + dx * dxN * n1 * n2;
      YM[g] = YM[g]! + ym2![i]! + dy * dyN * n1 * n2;
      N[g] = newN;
    }
  }
  state(n: number): Column[] {
    return this.s.map((a) => float64Column(a, n, null));
  }
  stateTypes(): DataType[] {
    return this.s.map(() => T.float64);
  }
  finish(n: number): Column {
    const [N, , , CK, XM, YM] = this.s as Float64Array[];
    const out = new Float64Array(n);
    const valid = new Uint8Array(n);
    for (let g = 0; g < n; g++) {
      const k = N![g]!;
      if (k < 2) continue;
      const d = Math.sqrt(XM![g]! * YM![g]!);
      if (d === 0) continue; // Spark's double division by zero is null
      out[g] = CK![g]! / d;
      valid[g] = 1;
    }
    return { type: T.float64, length: n, valid, values: out };
  }
  resize(n: number): void {
    this.s = this.s.map((a) => growF64(a as Float64Array<ArrayBuffer>, n));
  }
  estimatedBytes(): number {
    return this.s[0]!.byteLength * 6;
  }
}

/** corr(x, y): Pearson correlation coefficient (double). */
export const corr: AggregateDef = {
  name: "corr",
  resolve(argTypes) {
    checkArity("corr", argTypes, 2);
    return {
      argTypes: [doubleArg("corr", argTypes[0]!, 1), doubleArg("corr", argTypes[1]!, 2)],
      result: T.float64,
      resultNullable: true,
      stateTypes: [T.float64, T.float64, T.float64, T.float64, T.float64, T.float64],
    };
  },
  create: () => new Correlation(),
};
