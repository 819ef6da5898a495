// avg with Spark 3.5's types: double for int32/int64/double (the sum is a double), and
// decimal(p+4,s+4) (capped at 38) for decimal(p,s), from an exact decimal(p+10,s) sum divided
// with HALF_UP rounding at the result scale (Spark's DecimalDivideWithOverflowCheck); null for
// an empty group or when the sum overflows.
import type { Column } from "../../columnar/column.js";
import { type DataType, T } from "../../types/data-type.js";
import { wordsOf } from "../hash/column-appender.js";
import { addCounts, mergeDecimal } from "./count-sum.js";
import { DoubleSums } from "./double-sums.js";
import { DecimalSums } from "./exact-sums.js";
import {
  type Accumulator,
  type AggregateDef,
  boundedDecimal,
  checkArity,
  float64Column,
  growF64,
  int64Column,
  numericArg,
} from "./types.js";

class DoubleAvgAcc implements Accumulator {
  private s = new DoubleSums();
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.s.add(gids, n, args[0]!);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    const sum = states[0]!.values as Float64Array;
    const s = this.s;
    // The sum state is never null: Spark's buffer starts at 0.0.
    addCounts(s.cnt, gids, n, states[1]!);
    for (let i = 0; i < n; i++) s.sum[gids[i]!]! += sum[i]!;
  }
  state(n: number): Column[] {
    return [float64Column(this.s.sum, n, null), int64Column(this.s.cnt, n)];
  }
  stateTypes(): DataType[] {
    return [T.float64, T.int64];
  }
  finish(n: number): Column {
    const out = new Float64Array(n);
    const valid = new Uint8Array(n);
    for (let g = 0; g < n; g++) {
      const c = this.s.cnt[g]!;
      if (c > 0) {
        out[g] = this.s.sum[g]! / c;
        valid[g] = 1;
      }
    }
    return { type: T.float64, length: n, valid, values: out };
  }
  resize(n: number): void {
    this.s.resize(n);
  }
  estimatedBytes(): number {
    return this.s.bytes();
  }
}

class DecimalAvgAcc implements Accumulator {
  private sums = new DecimalSums();
  private cnt = new Float64Array(0);
  private readonly sumType: DataType & { kind: "decimal" };
  private readonly resultType: DataType & { kind: "decimal" };
  constructor(arg: DataType & { kind: "decimal" }) {
    this.sumType = boundedDecimal(arg.precision + 10, arg.scale) as never;
    this.resultType = boundedDecimal(arg.precision + 4, arg.scale + 4) as never;
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    const c = args[0]!;
    this.sums.add(gids, n, c);
    const v = c.valid;
    for (let i = 0; i < n; i++) if (v === null || v[i] === 1) this.cnt[gids[i]!]!++;
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    addCounts(this.cnt, gids, n, states[1]!);
    // A row with count 0 carries an empty sum; skip it like Spark's isEmpty.
    const cw = wordsOf(states[1]!.values!);
    const empty = new Uint8Array(n);
    for (let i = 0; i < n; i++) empty[i] = cw[2 * i] === 0 && cw[2 * i + 1] === 0 ? 1 : 0;
    mergeDecimal(this.sums, gids, n, states[0]!, empty);
  }
  state(n: number): Column[] {
    const values = new BigInt64Array(2 * n);
    const valid = new Uint8Array(n).fill(1);
    const bound = 10n ** BigInt(this.sumType.precision);
    for (let g = 0; g < n; g++) if (this.cnt[g]! > 0 && !this.sums.write(g, values, bound)) valid[g] = 0;
    return [{ type: this.sumType, length: n, valid, values }, int64Column(this.cnt, n)];
  }
  stateTypes(): DataType[] {
    return [this.sumType, T.int64];
  }
  finish(n: number): Column {
    const values = new BigInt64Array(2 * n);
    const valid = new Uint8Array(n);
    const sumBound = 10n ** BigInt(this.sumType.precision);
    const bound = 10n ** BigInt(this.resultType.precision);
    const scaleUp = 10n ** BigInt(this.resultType.scale - this.sumType.scale);
    for (let g = 0; g < n; g++) {
      const c = this.cnt[g]!;
      if (c === 0 || this.sums.overflow[g] === 1) continue;
      const s = this.sums.sumOf(g);
      if (this.sums.overflow[g] === 1 || s >= sumBound || -s >= sumBound) continue;
      // HALF_UP division at the result scale, as Spark's DecimalDivideWithOverflowCheck.
      const num = s * scaleUp;
      const den = BigInt(c);
      let q = num / den;
      const r = num - q * den;
      if (2n * (r < 0n ? -r : r) >= den) q += num < 0n ? -1n : 1n;
      if (q >= bound || -q >= bound) continue;
      values[2 * g] = BigInt.asIntN(64, q);
      values[2 * g + 1] = BigInt.asIntN(64, q >> 64n);
      valid[g] = 1;
    }
    return { type: this.resultType, length: n, valid, values };
  }
  resize(n: number): void {
    this.sums.resize(n);
    this.cnt = growF64(this.cnt, n);
  }
  estimatedBytes(): number {
    return this.sums.estimatedBytes() + this.cnt.byteLength;
  }
}

/** avg: double for int32/int64/double, decimal(p+4,s+4) (capped at 38) for decimal(p,s). */
export const avg: AggregateDef = {
  name: "avg",
  resolve(argTypes) {
    checkArity("avg", argTypes, 1);
    const t = numericArg("avg", argTypes[0]!);
    if (t.kind === "decimal")
      return {
        argTypes: [t],
        result: boundedDecimal(t.precision + 4, t.scale + 4),
        resultNullable: true,
        stateTypes: [boundedDecimal(t.precision + 10, t.scale), T.int64],
      };
    return { argTypes: [t], result: T.float64, resultNullable: true, stateTypes: [T.float64, T.int64] };
  },
  create(argTypes) {
    const t = argTypes[0]!;
    return t.kind === "decimal" ? new DecimalAvgAcc(t) : new DoubleAvgAcc();
  },
};
