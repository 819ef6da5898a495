// The build side of a hash join, fully in memory: its batches concatenated into one batch,
// and an index from each distinct non-null key to the build rows that hold it.
//
// Layout (no per-row objects): `rowKey[r]` is build row r's key id (-1 when a key is null);
// the rows of key id k are `keyRows[keyStart[k] .. keyStart[k + 1])`, in build-row order, so a
// probe row's matches are one contiguous run and come out in a stable order.
import { type Batch, batchOf, type Column, nullColumn } from "../../columnar/column.js";
import { concatColumns } from "../../columnar/ops.js";
import type { DataType, Schema } from "../../types/data-type.js";
import { KeyIndex, type KeyPath, keyPathOf } from "./key-index.js";

/** The build side, fully in memory: its batches concatenated, and a hash table over its key columns. */
export class JoinHashTable {
  /** The comparison path chosen for the key types (for tests and explain output). */
  readonly path: KeyPath;
  private keyParts: Column[][] = [];
  private rowParts: Batch[] = [];
  private schema: Schema | null;
  private added = 0;
  private addedBytes = 0;
  private finished: { rows: Batch; keys: Column[] } | null = null;
  private index: KeyIndex | null = null;
  /** Key id of each build row (-1: a null key, never matches). Set by `finish`. */
  rowKey = new Int32Array(0);
  /** Start of each key id's run in `keyRows` (length numKeys + 1). Set by `finish`. */
  keyStart = new Int32Array(1);
  /** Build rows grouped by key id (rows with a null key left out). Set by `finish`. */
  keyRows = new Int32Array(0);

  /**
   * `keyTypes`: the types of the key columns (both sides' keys have these types; the analyzer
   * casts them to a common type). An empty list makes every probe row match every build row
   * (a cross join, or a join on a non-equi condition alone). `buildSchema`: the build rows'
   * schema, used for `rows` when no batch is ever added (an empty build side).
   */
  constructor(
    readonly keyTypes: readonly DataType[],
    buildSchema?: Schema,
  ) {
    this.path = keyPathOf(keyTypes);
    this.schema = buildSchema ?? null;
  }

  /** Adds build rows: `keys` are the evaluated key columns, `rows` the full build batch (kept). */
  add(keys: readonly Column[], rows: Batch): void {
    if (this.finished !== null) throw new Error("JoinHashTable.add after finish");
    checkKeys(this.keyTypes, keys, rows.numRows, "build");
    this.schema ??= rows.schema;
    if (rows.numRows === 0) return;
    this.keyParts.push([...keys]);
    this.rowParts.push(rows);
    this.added += rows.numRows;
    let b = 0;
    for (const c of rows.columns) b += columnBytes(c);
    for (const k of keys) if (!rows.columns.includes(k)) b += columnBytes(k);
    this.addedBytes += b;
  }

  /** Builds the table (call once, after all adds). */
  finish(): void {
    if (this.finished !== null) throw new Error("JoinHashTable.finish called twice");
    const schema = this.schema ?? { fields: [] };
    const parts = this.rowParts;
    const n = this.added;
    let rows: Batch;
    let keys: Column[];
    if (parts.length === 0) {
      rows = batchOf(
        schema,
        schema.fields.map((f) => nullColumn(f.type, 0)),
        0,
      );
      keys = this.keyTypes.map((t) => nullColumn(t, 0));
    } else {
      const cols = schema.fields.map((_, i) => concatColumns(parts.map((b) => b.columns[i]!)));
      rows = batchOf(schema, cols, n);
      // A key that is one of the batch's own columns (a column reference) shares its concatenation.
      keys = this.keyTypes.map((_, k) => {
        const first = this.keyParts[0]![k]!;
        const at = parts[0]!.columns.indexOf(first);
        if (at >= 0 && parts.every((b, p) => b.columns[at] === this.keyParts[p]![k])) return cols[at]!;
        return concatColumns(this.keyParts.map((ks) => ks[k]!));
      });
    }
    this.keyParts = [];
    this.rowParts = [];
    this.finished = { rows, keys };

    const index = new KeyIndex(keys, this.path);
    const rowKey = new Int32Array(n);
    index.build(n, rowKey);
    const d = index.size;
    const start = new Int32Array(d + 1);
    for (let r = 0; r < n; r++) {
      const k = rowKey[r]!;
      if (k >= 0) start[k + 1]!++;
    }
    for (let k = 0; k < d; k++) start[k + 1]! += start[k]!;
    const fill = start.slice(0, d);
    const keyRows = new Int32Array(start[d]!);
    for (let r = 0; r < n; r++) {
      const k = rowKey[r]!;
      if (k >= 0) keyRows[fill[k]!++] = r;
    }
    this.index = index;
    this.rowKey = rowKey;
    this.keyStart = start;
    this.keyRows = keyRows;
  }

  /** The number of build rows. */
  get numRows(): number {
    return this.finished === null ? this.added : this.finished.rows.numRows;
  }

  /** The number of distinct non-null keys (after `finish`). */
  get numKeys(): number {
    return this.keyStart.length - 1;
  }

  /** How probe keys are looked up (after `finish`): a direct-address table, hashing, or no keys. */
  get lookupKind(): "dense" | "hash" | "none" {
    this.built();
    return this.path === "none" ? "none" : this.index!.isDense ? "dense" : "hash";
  }

  /** The concatenated build rows (after `finish`). */
  get rows(): Batch {
    return this.built().rows;
  }

  /** The concatenated build key columns (after `finish`). */
  get keys(): readonly Column[] {
    return this.built().keys;
  }

  /** Looks up probe keys: out[i] = key id of row i, or -1 (no match, or a null key). */
  lookup(keys: readonly Column[], numRows: number, out: Int32Array): void {
    this.built();
    checkKeys(this.keyTypes, keys, numRows, "probe");
    this.index!.lookup(keys, numRows, out);
  }

  /** Bytes held: the build rows and keys (as added, or concatenated) and the index. */
  estimatedBytes(): number {
    if (this.finished === null) return this.addedBytes;
    let b = this.addedBytes;
    b += this.rowKey.byteLength + this.keyStart.byteLength + this.keyRows.byteLength;
    return b + (this.index?.estimatedBytes() ?? 0);
  }

  private built(): { rows: Batch; keys: Column[] } {
    if (this.finished === null) throw new Error("JoinHashTable used before finish()");
    return this.finished;
  }
}

/** Checks that key columns match the key types and cover `numRows` rows. */
function checkKeys(types: readonly DataType[], keys: readonly Column[], numRows: number, side: string): void {
  if (keys.length !== types.length)
    throw new Error(`join: ${side} side has ${keys.length} key columns, expected ${types.length}`);
  for (let k = 0; k < keys.length; k++) {
    const c = keys[k]!;
    if (c.type.kind !== types[k]!.kind)
      throw new Error(`join: ${side} key ${k} is ${c.type.kind}, expected ${types[k]!.kind}`);
    if (side === "build" ? c.length !== numRows : c.length < numRows)
      throw new Error(`join: ${side} key ${k} has ${c.length} rows, expected ${numRows}`);
  }
}

/** Bytes held by a column's buffers. */
export function columnBytes(c: Column): number {
  let b = c.valid?.byteLength ?? 0;
  if (c.values !== undefined) b += c.values.byteLength;
  if (c.offsets !== undefined) b += c.offsets.byteLength;
  if (c.data !== undefined) b += c.data.byteLength;
  if (c.child !== undefined) b += columnBytes(c.child);
  return b;
}
