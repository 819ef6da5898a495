// min, max, first and last. min/max work on every orderable type (Spark's ordering: NaN
// above every double, strings by UTF-8 bytes, false < true); int32-like, int64-like and double
// keys update typed state arrays in one loop, other types go through GroupValues. first/last
// keep Spark's (value, valueSet) buffer and honour `ignoreNulls`; "first" is first in input
// order, and partial states merge in the order they arrive (map-index order).
import type { Column } from "../../columnar/column.js";
import { type DataType, T } from "../../types/data-type.js";
import { storageKind, wordsOf } from "../hash/column-appender.js";
import { GroupValues } from "./group-values.js";
import {
  type Accumulator,
  type AggregateDef,
  checkArity,
  growF64,
  growI32,
  growU8,
  validityOf,
} from "./types.js";

/** min/max over int32, date and boolean values. */
class I32MinMax implements Accumulator {
  private v = new Int32Array(0);
  private set = new Uint8Array(0);
  constructor(
    private readonly type: DataType,
    private readonly isMax: boolean,
  ) {}
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    const c = args[0]!;
    const a = c.values as Int32Array | Uint8Array;
    const valid = c.valid;
    const s = this.v;
    const set = this.set;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = gids[i]!;
      const x = a[i]!;
      if (set[g] === 0 || (this.isMax ? x > s[g]! : x < s[g]!)) {
        s[g] = x;
        set[g] = 1;
      }
    }
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.update(gids, n, states);
  }
  state(n: number): Column[] {
    return [this.finish(n)];
  }
  stateTypes(): DataType[] {
    return [this.type];
  }
  finish(n: number): Column {
    const values = this.type.kind === "boolean" ? Uint8Array.from(this.v.subarray(0, n)) : this.v.slice(0, n);
    return { type: this.type, length: n, valid: validityOf(this.set, n), values };
  }
  resize(n: number): void {
    this.v = growI32(this.v, n);
    this.set = growU8(this.set, n);
  }
  estimatedBytes(): number {
    return this.v.byteLength + this.set.byteLength;
  }
}

/** min/max over int64 and timestamp values, compared through their 32-bit halves. */
class W2MinMax implements Accumulator {
  private v = new Int32Array(0);
  private set = new Uint8Array(0);
  constructor(
    private readonly type: DataType,
    private readonly isMax: boolean,
  ) {}
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    const c = args[0]!;
    const w = wordsOf(c.values!);
    const valid = c.valid;
    const s = this.v;
    const set = this.set;
    const sign = this.isMax ? -1 : 1;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = gids[i]!;
      const lo = w[2 * i]!;
      const hi = w[2 * i + 1]!;
      if (set[g] === 1) {
        const shi = s[2 * g + 1]!;
        // d < 0 when x < stored
        const d = hi !== shi ? (hi < shi ? -1 : 1) : (lo >>> 0) - (s[2 * g]! >>> 0);
        if (sign * d >= 0) continue;
      }
      s[2 * g] = lo;
      s[2 * g + 1] = hi;
      set[g] = 1;
    }
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.update(gids, n, states);
  }
  state(n: number): Column[] {
    return [this.finish(n)];
  }
  stateTypes(): DataType[] {
    return [this.type];
  }
  finish(n: number): Column {
    const values = new BigInt64Array(n);
    wordsOf(values).set(this.v.subarray(0, 2 * n));
    return { type: this.type, length: n, valid: validityOf(this.set, n), values };
  }
  resize(n: number): void {
    this.v = growI32(this.v, 2 * n);
    this.set = growU8(this.set, n);
  }
  estimatedBytes(): number {
    return this.v.byteLength + this.set.byteLength;
  }
}

/** min/max over doubles; NaN is above every number. */
class F64MinMax implements Accumulator {
  private v = new Float64Array(0);
  private set = new Uint8Array(0);
  constructor(private readonly isMax: boolean) {}
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    const c = args[0]!;
    const a = c.values as Float64Array;
    const valid = c.valid;
    const s = this.v;
    const set = this.set;
    const isMax = this.isMax;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = gids[i]!;
      const x = a[i]!;
      const y = s[g]!;
      const better = isMax
        ? x > y || (Number.isNaN(x) && !Number.isNaN(y))
        : x < y || (Number.isNaN(y) && !Number.isNaN(x));
      if (set[g] === 0 || better) {
        s[g] = x;
        set[g] = 1;
      }
    }
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.update(gids, n, states);
  }
  state(n: number): Column[] {
    return [this.finish(n)];
  }
  stateTypes(): DataType[] {
    return [T.float64];
  }
  finish(n: number): Column {
    return { type: T.float64, length: n, valid: validityOf(this.set, n), values: this.v.slice(0, n) };
  }
  resize(n: number): void {
    this.v = growF64(this.v, n);
    this.set = growU8(this.set, n);
  }
  estimatedBytes(): number {
    return this.v.byteLength + this.set.byteLength;
  }
}

/** min/max over strings, decimals, lists and nulls, through GroupValues. */
class GenericMinMax implements Accumulator {
  private vals: GroupValues;
  constructor(
    private readonly type: DataType,
    private readonly mode: "min" | "max",
  ) {
    this.vals = new GroupValues(type);
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    if (this.type.kind !== "null") this.vals.pick(gids, n, args[0]!, this.mode, true);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.update(gids, n, states);
  }
  state(n: number): Column[] {
    return [this.finish(n)];
  }
  stateTypes(): DataType[] {
    return [this.type];
  }
  finish(n: number): Column {
    return this.vals.toColumn(n);
  }
  resize(n: number): void {
    this.vals.resize(n);
  }
  estimatedBytes(): number {
    return this.vals.estimatedBytes();
  }
}

function minMaxDef(name: "min" | "max"): AggregateDef {
  return {
    name,
    resolve(argTypes) {
      checkArity(name, argTypes, 1);
      const t = argTypes[0]!;
      return { argTypes: [t], result: t, resultNullable: true, stateTypes: [t] };
    },
    create(argTypes) {
      const t = argTypes[0]!;
      const isMax = name === "max";
      switch (storageKind(t)) {
        case "u8":
        case "i32":
          return new I32MinMax(t, isMax);
        case "w2":
          return new W2MinMax(t, isMax);
        case "f64":
          return new F64MinMax(isMax);
        default:
          return new GenericMinMax(t, name);
      }
    },
  };
}

/** min of any orderable type (nulls skipped; NaN is the largest double). */
export const min = minMaxDef("min");
/** max of any orderable type (nulls skipped; NaN is the largest double). */
export const max = minMaxDef("max");

/** first/last: Spark's buffer is (value, valueSet). */
class FirstLast implements Accumulator {
  private vals: GroupValues;
  constructor(
    private readonly type: DataType,
    private readonly mode: "first" | "last",
    private readonly ignoreNulls: boolean,
  ) {
    this.vals = new GroupValues(type);
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.vals.pick(gids, n, args[0]!, this.mode, this.ignoreNulls);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    // Rows whose valueSet is false carry nothing; a set null value is a value (ignoreNulls off).
    const set = states[1]!.values as Uint8Array;
    const skip = new Uint8Array(n);
    for (let i = 0; i < n; i++) skip[i] = set[i]! ^ 1;
    this.vals.pick(gids, n, states[0]!, this.mode, false, skip);
  }
  state(n: number): Column[] {
    const set = new Uint8Array(n);
    for (let g = 0; g < n; g++) set[g] = this.vals.has(g) ? 1 : 0;
    return [this.vals.toColumn(n), { type: T.boolean, length: n, valid: null, values: set }];
  }
  stateTypes(): DataType[] {
    return [this.type, T.boolean];
  }
  finish(n: number): Column {
    return this.vals.toColumn(n);
  }
  resize(n: number): void {
    this.vals.resize(n);
  }
  estimatedBytes(): number {
    return this.vals.estimatedBytes();
  }
}

function firstLastDef(name: "first" | "last"): AggregateDef {
  return {
    name,
    resolve(argTypes) {
      checkArity(name, argTypes, 1);
      const t = argTypes[0]!;
      return { argTypes: [t], result: t, resultNullable: true, stateTypes: [t, T.boolean] };
    },
    create: (argTypes, params) => new FirstLast(argTypes[0]!, name, params?.ignoreNulls === true),
  };
}

/** first(col[, ignoreNulls]): the value of the group's first row in input order. */
export const first = firstLastDef("first");
/** last(col[, ignoreNulls]): the value of the group's last row in input order. */
export const last = firstLastDef("last");
