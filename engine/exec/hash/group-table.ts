// The hash table of a hash aggregation (and of distinct and set operations): it maps each
// row of a batch to a dense group id, adding the groups it has not seen. Keys are kept
// columnar in append-only `ColumnAppender`s, so a probe compares typed values (strings by
// their UTF-8 bytes) and `keys()` hands the distinct keys back as columns.
//
// A single string key goes through a StringDict (its codes are the group ids). Keys made of
// booleans, int32/date, int64/timestamp, float64 and strings go through a PackedTable (fixed
// words per key row; a dense array when the value ranges are small). Other keys (decimals,
// lists, the null type) take the generic path: open addressing with linear probing over
// (group id + 1, hash) pairs, load factor <= 1/2, in three vectorised passes: probe by hash
// alone (a row whose hash no group has starts a new group: it cannot equal an existing one),
// verify the candidate group column by column, then resolve the rare hash collisions row by
// row. Nulls form one group, -0.0 groups with 0.0 and every NaN together.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { ColumnAppender } from "./column-appender.js";
import { hashColumns, valuesEqual } from "./keys.js";
import { PackedTable, packable } from "./packed-table.js";
import { StringDict } from "./string-dict.js";
import { verifyColumn } from "./verify-keys.js";

type Path = "none" | "str" | "packed" | "generic";

/** Most key columns the packed path takes (one null bit each in a 32-bit word). */
const MAX_PACKED_KEYS = 31;

/** Maps key rows to dense group ids; see the file header. */
export class GroupTable {
  private readonly stores: ColumnAppender[];
  private readonly path: Path;
  /** Two Int32 per slot: group id + 1 (0 = empty), hash. */
  private table: Int32Array;
  private mask: number;
  private groupHash = new Int32Array(0);
  private n = 0;
  private hashBuf = new Int32Array(0);
  private flags = new Uint8Array(0);
  private readonly dict: StringDict | null = null;
  private readonly packed: PackedTable | null = null;

  constructor(
    readonly keyTypes: readonly DataType[],
    initialSlots = 1024,
  ) {
    this.path =
      keyTypes.length === 0
        ? "none"
        : keyTypes.length === 1 && keyTypes[0]!.kind === "string"
          ? "str"
          : keyTypes.length <= MAX_PACKED_KEYS && keyTypes.every(packable)
            ? "packed"
            : "generic";
    this.stores = this.path === "generic" ? keyTypes.map((t) => new ColumnAppender(t, 1024, true)) : [];
    if (this.path === "str") this.dict = new StringDict();
    if (this.path === "packed") this.packed = new PackedTable(keyTypes);
    let cap = 16;
    while (this.path === "generic" && cap < initialSlots) cap *= 2;
    this.table = new Int32Array(this.path === "generic" ? 2 * cap : 0);
    this.mask = cap - 1;
    if (this.path === "generic") this.groupHash = new Int32Array(1024);
  }

  /** The number of groups. */
  get size(): number {
    if (this.dict !== null) return this.dict.size;
    if (this.packed !== null) return this.packed.size;
    return this.n;
  }

  /** Maps each of the first `numRows` rows of the key columns to its group id in `out`, inserting new groups. */
  insert(keyCols: readonly Column[], numRows: number, out: Int32Array): void {
    if (numRows === 0) return;
    if (this.path === "none") {
      out.fill(0, 0, numRows);
      if (this.n === 0) this.n = 1;
      return;
    }
    if (this.dict !== null) {
      this.dict.encode(keyCols[0]!, numRows, out);
      return;
    }
    if (this.packed !== null) {
      this.packed.insert(keyCols, numRows, out);
      return;
    }
    if (this.hashBuf.length < numRows) {
      this.hashBuf = new Int32Array(numRows);
      this.flags = new Uint8Array(numRows);
    }
    this.insertGeneric(keyCols, numRows, hashColumns(keyCols, numRows, this.hashBuf), out);
  }

  /** Adds a group for row i of the key columns with hash h; returns its id. */
  private newGroup(keyCols: readonly Column[], i: number, h: number, slot: number): number {
    const g = this.n++;
    for (let k = 0; k < this.stores.length; k++) this.stores[k]!.append(keyCols[k]!, i);
    if (g >= this.groupHash.length) {
      const gh = new Int32Array(this.groupHash.length * 2);
      gh.set(this.groupHash);
      this.groupHash = gh;
    }
    this.groupHash[g] = h;
    this.table[2 * slot] = g + 1;
    this.table[2 * slot + 1] = h;
    if (2 * this.n > this.mask) this.rehash();
    return g;
  }

  private rehash(): void {
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    const gh = this.groupHash;
    for (let g = 0; g < this.n; g++) {
      const h = gh[g]!;
      let s = h & mask;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = g + 1;
      t[2 * s + 1] = h;
    }
    this.table = t;
    this.mask = mask;
  }

  private insertGeneric(
    keyCols: readonly Column[],
    numRows: number,
    hashes: Int32Array,
    out: Int32Array,
  ): void {
    const flags = this.flags;
    // Pass 1: probe by hash; 0 = new group (verified), 1 = candidate to verify.
    for (let i = 0; i < numRows; i++) {
      const h = hashes[i]!;
      const t = this.table;
      let s = h & this.mask;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = this.newGroup(keyCols, i, h, s);
          flags[i] = 0;
          break;
        }
        if (t[2 * s + 1] === h) {
          out[i] = e - 1;
          flags[i] = 1;
          break;
        }
        s = (s + 1) & this.mask;
      }
    }
    // Pass 2: verify candidates column by column; 2 = mismatch.
    for (let k = 0; k < keyCols.length; k++) verifyColumn(keyCols[k]!, this.stores[k]!, numRows, out, flags);
    // Pass 3: hash collisions, row by row over the whole probe chain.
    let view: Column[] | null = null;
    for (let i = 0; i < numRows; i++) {
      if (flags[i] !== 2) continue;
      const h = hashes[i]!;
      let s = h & this.mask;
      for (;;) {
        const e = this.table[2 * s]!;
        if (e === 0) {
          out[i] = this.newGroup(keyCols, i, h, s);
          view = null;
          break;
        }
        if (this.table[2 * s + 1] === h) {
          view ??= this.stores.map((st) => st.view());
          let eq = true;
          for (let k = 0; k < keyCols.length && eq; k++) eq = valuesEqual(keyCols[k]!, i, view[k]!, e - 1);
          if (eq) {
            out[i] = e - 1;
            break;
          }
        }
        s = (s + 1) & this.mask;
      }
    }
  }

  /** The distinct keys as columns, in group-id order. */
  keys(): Column[] {
    if (this.dict !== null) return [this.dict.store.finish()];
    if (this.packed !== null) return this.packed.keys();
    return this.stores.map((s) => s.finish());
  }

  /** Bytes held by the table, the stored keys and scratch buffers. */
  estimatedBytes(): number {
    if (this.dict !== null) return this.dict.estimatedBytes();
    if (this.packed !== null) return this.packed.estimatedBytes();
    let b =
      this.table.byteLength + this.groupHash.byteLength + this.hashBuf.byteLength + this.flags.byteLength;
    for (const s of this.stores) b += s.byteSize();
    return b;
  }
}
