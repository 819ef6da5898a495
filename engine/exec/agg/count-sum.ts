// count and sum with Spark 3.5's types and non-ANSI semantics: count(*) counts rows and
// count(a, b) rows where every argument is non-null; sum of int32/int64 is int64 and wraps,
// of double is double, of decimal(p,s) is decimal(min(38,p+10),s), exact, null on overflow.
import type { Column } from "../../columnar/column.js";
import { type DataType, T } from "../../types/data-type.js";
import { wordsOf } from "../hash/column-appender.js";
import { DoubleSums } from "./double-sums.js";
import { DecimalSums, Int64Sums } from "./exact-sums.js";
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

const TWO32 = 4294967296;

/** Adds the values of an int64 state column (non-negative counts) to counts[gid]. */
export function addCounts(counts: Float64Array, gids: Int32Array, n: number, c: Column): void {
  const w = wordsOf(c.values!);
  const v = c.valid;
  for (let i = 0; i < n; i++) {
    if (v !== null && v[i] === 0) continue;
    counts[gids[i]!]! += w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0);
  }
}

class CountAcc implements Accumulator {
  private counts = new Float64Array(0);

  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    const counts = this.counts;
    if (args.some((a) => a.type.kind === "null")) return;
    const valids = args.map((a) => a.valid).filter((v): v is Uint8Array => v !== null);
    if (valids.length === 0) {
      for (let i = 0; i < n; i++) counts[gids[i]!]!++;
    } else if (valids.length === 1) {
      const v = valids[0]!;
      for (let i = 0; i < n; i++) counts[gids[i]!]! += v[i]!;
    } else {
      for (let i = 0; i < n; i++) {
        let ok = 1;
        for (const v of valids) ok &= v[i]!;
        counts[gids[i]!]! += ok;
      }
    }
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    addCounts(this.counts, gids, n, states[0]!);
  }
  state(n: number): Column[] {
    return [int64Column(this.counts, n)];
  }
  stateTypes(): DataType[] {
    return [T.int64];
  }
  finish(n: number): Column {
    return int64Column(this.counts, n);
  }
  resize(n: number): void {
    this.counts = growF64(this.counts, n);
  }
  estimatedBytes(): number {
    return this.counts.byteLength;
  }
}

/** count(*) (no arguments) and count(a, ...) (rows where every argument is non-null). */
export const count: AggregateDef = {
  name: "count",
  resolve: (argTypes) => ({ argTypes, result: T.int64, resultNullable: false, stateTypes: [T.int64] }),
  create: () => new CountAcc(),
};

class IntSumAcc implements Accumulator {
  private sums = new Int64Sums();
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.sums.add(gids, n, args[0]!);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.sums.add(gids, n, states[0]!);
  }
  state(n: number): Column[] {
    return [this.sums.toColumn(n)];
  }
  stateTypes(): DataType[] {
    return [T.int64];
  }
  finish(n: number): Column {
    return this.sums.toColumn(n);
  }
  resize(n: number): void {
    this.sums.resize(n);
  }
  estimatedBytes(): number {
    return this.sums.estimatedBytes();
  }
}

class DoubleSumAcc implements Accumulator {
  private s = new DoubleSums();
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.s.add(gids, n, args[0]!);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.s.add(gids, n, states[0]!);
  }
  state(n: number): Column[] {
    return [this.finish(n)];
  }
  stateTypes(): DataType[] {
    return [T.float64];
  }
  finish(n: number): Column {
    return float64Column(this.s.sum, n, this.s.seen(n));
  }
  resize(n: number): void {
    this.s.resize(n);
  }
  estimatedBytes(): number {
    return this.s.bytes();
  }
}

/** Merges decimal partial sums: rows whose `empty` flag is set are skipped, a null sum means overflow. */
export function mergeDecimal(
  sums: DecimalSums,
  gids: Int32Array,
  n: number,
  sum: Column,
  empty: Uint8Array | null,
): void {
  const v = sum.valid;
  if (empty === null && v === null) {
    sums.add(gids, n, sum);
    return;
  }
  const keep = new Int32Array(n);
  const rows = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (empty !== null && empty[i] === 1) continue;
    if (v !== null && v[i] === 0) sums.markOverflow(gids[i]!);
    else {
      keep[m] = gids[i]!;
      rows[m++] = i;
    }
  }
  const w = wordsOf(sum.values!);
  const packed = new BigInt64Array(2 * m);
  const pw = wordsOf(packed);
  for (let j = 0; j < m; j++) for (let k = 0; k < 4; k++) pw[4 * j + k] = w[4 * rows[j]! + k]!;
  sums.add(keep, m, { type: sum.type, length: m, valid: null, values: packed });
}

class DecimalSumAcc implements Accumulator {
  private sums = new DecimalSums();
  private readonly bound: bigint;
  constructor(private readonly type: DataType & { kind: "decimal" }) {
    this.bound = 10n ** BigInt(type.precision);
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.sums.add(gids, n, args[0]!);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    mergeDecimal(this.sums, gids, n, states[0]!, states[1]!.values as Uint8Array);
  }
  /** Spark's buffer: (sum: null only after an overflow, isEmpty). */
  state(n: number): Column[] {
    const values = new BigInt64Array(2 * n);
    const valid = new Uint8Array(n).fill(1);
    const empty = new Uint8Array(n);
    const boundN = Number(this.bound);
    for (let g = 0; g < n; g++) {
      if (this.sums.set[g] === 0) empty[g] = 1;
      else if (!this.sums.write(g, values, this.bound, boundN)) valid[g] = 0;
    }
    return [
      { type: this.type, length: n, valid, values },
      { type: T.boolean, length: n, valid: null, values: empty },
    ];
  }
  stateTypes(): DataType[] {
    return [this.type, T.boolean];
  }
  finish(n: number): Column {
    const values = new BigInt64Array(2 * n);
    const valid = new Uint8Array(n);
    const boundN = Number(this.bound);
    for (let g = 0; g < n; g++)
      if (this.sums.set[g] === 1 && this.sums.write(g, values, this.bound, boundN)) valid[g] = 1;
    return { type: this.type, length: n, valid, values };
  }
  resize(n: number): void {
    this.sums.resize(n);
  }
  estimatedBytes(): number {
    return this.sums.estimatedBytes();
  }
}

/** sum: int32/int64 → int64 (wraps), double → double, decimal(p,s) → decimal(min(38,p+10),s). */
export const sum: AggregateDef = {
  name: "sum",
  resolve(argTypes) {
    checkArity("sum", argTypes, 1);
    const t = numericArg("sum", argTypes[0]!);
    const result =
      t.kind === "decimal"
        ? boundedDecimal(t.precision + 10, t.scale)
        : t.kind === "float64"
          ? T.float64
          : T.int64;
    return {
      argTypes: [t],
      result,
      resultNullable: true,
      stateTypes: result.kind === "decimal" ? [result, T.boolean] : [result],
    };
  },
  create(argTypes) {
    const t = argTypes[0]!;
    if (t.kind === "decimal") return new DecimalSumAcc(boundedDecimal(t.precision + 10, t.scale) as never);
    return t.kind === "float64" ? new DoubleSumAcc() : new IntSumAcc();
  },
};
