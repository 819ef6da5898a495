// collect_list, collect_set and count_distinct. A list keeps every non-null value with its
// group in append order (so collect_list is in input order); a set is a GroupTable over
// (group id, value...) pairs, so distinct values are found by comparing typed values and
// bytes, never strings or objects. The partial state is a list column per argument; merging a
// state appends (list) or inserts (set) its elements. Lists come out grouped by a counting sort.

import type { Column } from "../../columnar/column.js";
import { selectionFromMask, sliceColumn, takeColumn } from "../../columnar/ops.js";
import { type DataType, T } from "../../types/data-type.js";
import { ColumnAppender } from "../hash/column-appender.js";
import { GroupTable } from "../hash/group-table.js";
import { type Accumulator, type AggregateDef, checkArity, growI32, int64Column } from "./types.js";

/** Element rows of `owner[0..m)` grouped by owner (stable): offsets per group and the element order. */
export function groupByOwner(
  owner: Int32Array,
  m: number,
  numGroups: number,
): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(numGroups + 1);
  for (let e = 0; e < m; e++) offsets[owner[e]! + 1]!++;
  for (let g = 0; g < numGroups; g++) offsets[g + 1]! += offsets[g]!;
  const pos = offsets.slice(0, numGroups);
  const order = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const g = owner[e]!;
    if (g < numGroups) order[pos[g]!++] = e;
  }
  return { offsets, order };
}

/** The elements of a list column with the group id of their row: (owner per element, child from 0). */
export function expandLists(gids: Int32Array, n: number, list: Column): { owner: Int32Array; child: Column } {
  const o = list.offsets!;
  const v = list.valid;
  const base = o[0]!;
  const m = o[n]! - base;
  const owner = new Int32Array(m);
  const keep = new Uint8Array(m).fill(1);
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    const isNull = v !== null && v[i] === 0;
    for (let k = o[i]! - base; k < o[i + 1]! - base; k++) {
      owner[k] = gids[i]!;
      if (isNull) {
        keep[k] = 0;
        anyNull = true;
      }
    }
  }
  let child = base === 0 && list.child!.length === m ? list.child! : sliceColumn(list.child!, base, o[n]!);
  if (!anyNull) return { owner, child };
  const idx = selectionFromMask(keep);
  child = takeColumn(child, idx);
  const kept = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) kept[j] = owner[idx[j]!]!;
  return { owner: kept, child };
}

/** Every non-null value with its group, in arrival order. */
export class GroupLists {
  readonly values: ColumnAppender;
  private owner = new Int32Array(0);

  constructor(readonly type: DataType) {
    this.values = new ColumnAppender(type, 1024);
  }

  /** Appends the non-null rows of `col` to their groups. */
  add(gids: Int32Array, n: number, col: Column): void {
    const v = col.valid;
    if (col.type.kind === "null") return;
    this.values.reserve(n);
    this.owner = growI32(this.owner, this.values.length + n);
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) continue;
      this.owner[this.values.length] = gids[i]!;
      this.values.append(col, i);
    }
  }

  /** Appends the elements of a list state column to the groups of its rows. */
  addLists(gids: Int32Array, n: number, list: Column): void {
    const { owner, child } = expandLists(gids, n, list);
    this.add(owner, owner.length, child);
  }

  /** Groups 0..n-1 as a list column (an empty list for a group without values). */
  toListColumn(n: number): Column {
    const { offsets, order } = this.grouped(n);
    const child = takeColumn(this.values.view(), order);
    return { type: T.list(this.type), length: n, valid: null, offsets, child };
  }

  /** Offsets per group and the value rows in group order. */
  grouped(n: number): { offsets: Int32Array; order: Int32Array } {
    return groupByOwner(this.owner, this.values.length, n);
  }

  estimatedBytes(): number {
    return this.values.byteSize() + this.owner.byteLength;
  }
}

/** Distinct non-null value tuples per group, in a GroupTable keyed by (group id, values...). */
export class DistinctSets {
  private readonly table: GroupTable;
  private ids = new Int32Array(0);

  constructor(readonly types: readonly DataType[]) {
    this.table = new GroupTable([T.int32, ...types]);
  }

  /** Inserts the rows of `cols` where every value is non-null. */
  add(gids: Int32Array, n: number, cols: readonly Column[]): void {
    if (cols.some((c) => c.type.kind === "null")) return;
    let g: Int32Array = gids;
    let vals = cols;
    let m = n;
    if (cols.some((c) => c.valid !== null)) {
      const keep = new Uint8Array(n).fill(1);
      for (const c of cols) if (c.valid !== null) for (let i = 0; i < n; i++) keep[i] &= c.valid[i]!;
      const idx = selectionFromMask(keep);
      if (idx.length < n) {
        g = new Int32Array(idx.length);
        for (let j = 0; j < idx.length; j++) g[j] = gids[idx[j]!]!;
        vals = cols.map((c) => takeColumn(c, idx));
        m = idx.length;
      }
    }
    if (m === 0) return;
    if (this.ids.length < m) this.ids = new Int32Array(m);
    const gcol: Column = { type: T.int32, length: m, valid: null, values: g.subarray(0, m) };
    this.table.insert([gcol, ...vals], m, this.ids);
  }

  /** Inserts the elements of list state columns (one per value type, sharing offsets). */
  addLists(gids: Int32Array, n: number, lists: readonly Column[]): void {
    const parts = lists.map((l) => expandLists(gids, n, l));
    this.add(
      parts[0]!.owner,
      parts[0]!.owner.length,
      parts.map((p) => p.child),
    );
  }

  /** The number of distinct tuples of each group 0..n-1. */
  counts(n: number): Float64Array {
    const owner = this.table.keys()[0]!.values as Int32Array;
    const out = new Float64Array(n);
    for (let e = 0; e < owner.length; e++) out[owner[e]!]!++;
    return out;
  }

  /** One list column per value type: each group's distinct values in first-seen order. */
  toListColumns(n: number): Column[] {
    const keys = this.table.keys();
    const owner = keys[0]!.values as Int32Array;
    const { offsets, order } = groupByOwner(owner, owner.length, n);
    return this.types.map((t, k) => ({
      type: T.list(t),
      length: n,
      valid: null,
      offsets,
      child: takeColumn(keys[k + 1]!, order),
    }));
  }

  estimatedBytes(): number {
    return this.table.estimatedBytes() + this.ids.byteLength;
  }
}

class CollectList implements Accumulator {
  private lists: GroupLists;
  constructor(private readonly type: DataType) {
    this.lists = new GroupLists(type);
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.lists.add(gids, n, args[0]!);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.lists.addLists(gids, n, states[0]!);
  }
  state(n: number): Column[] {
    return [this.finish(n)];
  }
  stateTypes(): DataType[] {
    return [T.list(this.type)];
  }
  finish(n: number): Column {
    return this.lists.toListColumn(n);
  }
  resize(): void {}
  estimatedBytes(): number {
    return this.lists.estimatedBytes();
  }
}

class CollectSet implements Accumulator {
  protected readonly set: DistinctSets;
  constructor(private readonly types: readonly DataType[]) {
    this.set = new DistinctSets(types);
  }
  update(gids: Int32Array, n: number, args: readonly Column[]): void {
    this.set.add(gids, n, args);
  }
  merge(gids: Int32Array, n: number, states: readonly Column[]): void {
    this.set.addLists(gids, n, states);
  }
  state(n: number): Column[] {
    return this.set.toListColumns(n);
  }
  stateTypes(): DataType[] {
    return this.types.map((t) => T.list(t));
  }
  finish(n: number): Column {
    return this.set.toListColumns(n)[0]!;
  }
  resize(): void {}
  estimatedBytes(): number {
    return this.set.estimatedBytes();
  }
}

/** count_distinct: collect_set's state, finished as the number of tuples. */
class CountDistinct extends CollectSet {
  override finish(n: number): Column {
    return int64Column(this.set.counts(n), n);
  }
}

/** collect_list(col): the non-null values of each group in input order (an empty list when none). */
export const collect_list: AggregateDef = {
  name: "collect_list",
  resolve(argTypes) {
    checkArity("collect_list", argTypes, 1);
    const t = T.list(argTypes[0]!);
    return { argTypes, result: t, resultNullable: false, stateTypes: [t] };
  },
  create: (argTypes) => new CollectList(argTypes[0]!),
};

/** collect_set(col): the distinct non-null values of each group (first-seen order). */
export const collect_set: AggregateDef = {
  name: "collect_set",
  resolve(argTypes) {
    checkArity("collect_set", argTypes, 1);
    const t = T.list(argTypes[0]!);
    return { argTypes, result: t, resultNullable: false, stateTypes: [t] };
  },
  create: (argTypes) => new CollectSet(argTypes),
};

/** count_distinct(a, ...): the number of distinct tuples with no null member. */
export const count_distinct: AggregateDef = {
  name: "count_distinct",
  resolve(argTypes) {
    checkArity("count_distinct", argTypes, 1, 64);
    return { argTypes, result: T.int64, resultNullable: false, stateTypes: argTypes.map((t) => T.list(t)) };
  },
  create: (argTypes) => new CountDistinct(argTypes),
};
