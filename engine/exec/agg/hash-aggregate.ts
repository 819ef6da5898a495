// The streaming core of the hash aggregate operator: a GroupTable over the grouping keys and
// one accumulator per aggregate call. The operator feeds it batches and asks for the result
// when its input ends; when over its memory budget it can `drain()` the partial states (to
// spill them, and later feed them back in "final" mode).
//
//   partial:  raw rows  -> states    (map side, before the shuffle)
//   final:    states    -> values    (reduce side)
//   complete: raw rows  -> values    (no shuffle)
//
// A global aggregation (no keys) has exactly one group, even over no input rows, as in Spark.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { GroupTable } from "../hash/group-table.js";
import type { Accumulator, AggParams, AggregateDef } from "./types.js";

/** Where an aggregation runs relative to the shuffle. */
export type AggMode = "partial" | "final" | "complete";

/** One aggregate call: its definition, its (resolved, after casts) argument types and literal options. */
export interface AggCall {
  readonly def: AggregateDef;
  readonly argTypes: readonly DataType[];
  readonly params?: AggParams;
}

/** The output of an aggregation: the distinct keys and, per group, the values (or flattened states). */
export interface AggOutput {
  readonly keys: Column[];
  /** final/complete: one column per call. partial (and `drain`): each call's state columns, flattened in call order. */
  readonly values: Column[];
  readonly numGroups: number;
}

/** Groups rows by key and aggregates them; see the file header. */
export class HashAggregator {
  private table: GroupTable;
  private accs: Accumulator[];
  private gids = new Int32Array(0);
  /** The number of state columns of each call (for splitting flattened state input). */
  readonly stateWidths: readonly number[];

  constructor(
    readonly keyTypes: readonly DataType[],
    readonly aggs: readonly AggCall[],
    readonly mode: AggMode,
  ) {
    this.table = new GroupTable(keyTypes);
    this.accs = aggs.map((a) => a.def.create(a.argTypes, a.params));
    this.stateWidths = this.accs.map((a) => a.stateTypes().length);
  }

  /** The state column types, flattened in call order (the partial output's value columns). */
  stateTypes(): DataType[] {
    return this.accs.flatMap((a) => a.stateTypes());
  }

  /**
   * Adds a batch: `keyCols` are the grouping keys, `argCols[k]` the arguments of call k
   * (partial/complete) or its state columns (final).
   */
  addBatch(keyCols: readonly Column[], argCols: readonly (readonly Column[])[], numRows: number): void {
    if (numRows === 0) return;
    if (this.gids.length < numRows) this.gids = new Int32Array(numRows);
    const gids = this.gids;
    this.table.insert(keyCols, numRows, gids);
    const n = this.table.size;
    for (let k = 0; k < this.accs.length; k++) {
      const acc = this.accs[k]!;
      acc.resize(n);
      if (this.mode === "final") acc.merge(gids, numRows, argCols[k]!);
      else acc.update(gids, numRows, argCols[k]!);
    }
  }

  /** Adds a batch of partial output (keys followed by flattened states), in final mode. */
  addStateBatch(keyCols: readonly Column[], states: readonly Column[], numRows: number): void {
    const split: Column[][] = [];
    let p = 0;
    for (const w of this.stateWidths) {
      split.push(states.slice(p, p + w));
      p += w;
    }
    this.addBatch(keyCols, split, numRows);
  }

  /** The number of groups so far. */
  get numGroups(): number {
    return this.table.size;
  }

  /** Bytes held by the table and the states (for the task's memory budget). */
  estimatedBytes(): number {
    let b = this.table.estimatedBytes() + this.gids.byteLength;
    for (const a of this.accs) b += a.estimatedBytes();
    return b;
  }

  private groupCount(): number {
    let n = this.table.size;
    if (n === 0 && this.keyTypes.length === 0) {
      n = 1;
      for (const a of this.accs) a.resize(1);
    }
    return n;
  }

  /** The result: states in partial mode, final values otherwise. The aggregator must not be used afterwards. */
  finish(): AggOutput {
    const n = this.groupCount();
    const keys = this.table.keys();
    const values =
      this.mode === "partial" ? this.accs.flatMap((a) => a.state(n)) : this.accs.map((a) => a.finish(n));
    return { keys, values, numGroups: n };
  }

  /**
   * The partial states so far (keys and flattened states, as in partial mode), leaving the
   * aggregator empty. Feed drained output back with `addStateBatch` on a "final" aggregator.
   */
  drain(): AggOutput {
    const n = this.table.size;
    const out = { keys: this.table.keys(), values: this.accs.flatMap((a) => a.state(n)), numGroups: n };
    this.table = new GroupTable(this.keyTypes);
    this.accs = this.aggs.map((a) => a.def.create(a.argTypes, a.params));
    return out;
  }
}
