// The hash table of a hash aggregation (and of distinct and set operations): it maps each
// row of a batch to a dense group id, adding the groups it has not seen. Keys are kept
// columnar in append-only `ColumnAppender`s, so a probe compares typed values (strings by
// their UTF-8 bytes) and `keys()` hands the distinct keys back as columns.
//
// Open addressing with linear probing over (group id + 1, hash) pairs, load factor <= 1/2.
// Single int32/date, int64/timestamp and string keys compare the value inside the probe loop
// (nulls get their own group outside the table). Other keys take three vectorised passes:
// probe by hash alone (a row whose hash no group has starts a new group: it cannot equal an
// existing one), verify the candidate group column by column, then resolve the rare hash
// collisions row by row. Nulls form one group, -0.0 groups with 0.0 and every NaN together.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { ColumnAppender, wordsOf } from "./column-appender.js";
import { hashColumns, valuesEqual } from "./keys.js";
import { verifyColumn } from "./verify-keys.js";

type Path = "none" | "i32" | "w2" | "str" | "generic";

/** Maps key rows to dense group ids; see the file header. */
export class GroupTable {
  private readonly stores: ColumnAppender[];
  private readonly path: Path;
  /** Two Int32 per slot: group id + 1 (0 = empty), hash. */
  private table: Int32Array;
  private mask: number;
  private groupHash = new Int32Array(1024);
  private n = 0;
  /** The null key's group in the single-key paths (-1 until seen). */
  private nullGroup = -1;
  private hashBuf = new Int32Array(0);
  private flags = new Uint8Array(0);

  constructor(
    readonly keyTypes: readonly DataType[],
    initialSlots = 1024,
  ) {
    this.stores = keyTypes.map((t) => new ColumnAppender(t, 1024, true));
    const k0 = this.stores[0]?.kind;
    this.path =
      keyTypes.length === 0
        ? "none"
        : keyTypes.length > 1
          ? "generic"
          : k0 === "i32" || k0 === "w2" || k0 === "str"
            ? k0
            : "generic";
    let cap = 16;
    while (cap < initialSlots) cap *= 2;
    this.table = new Int32Array(2 * cap);
    this.mask = cap - 1;
  }

  /** The number of groups. */
  get size(): number {
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
    if (this.hashBuf.length < numRows) {
      this.hashBuf = new Int32Array(numRows);
      this.flags = new Uint8Array(numRows);
    }
    const hashes = hashColumns(keyCols, numRows, this.hashBuf);
    switch (this.path) {
      case "i32":
        this.insertI32(keyCols[0]!, numRows, hashes, out);
        return;
      case "w2":
        this.insertW2(keyCols[0]!, numRows, hashes, out);
        return;
      case "str":
        this.insertStr(keyCols[0]!, numRows, hashes, out);
        return;
      default:
        this.insertGeneric(keyCols, numRows, hashes, out);
    }
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
    if (slot >= 0) {
      this.table[2 * slot] = g + 1;
      this.table[2 * slot + 1] = h;
      if (2 * this.n > this.mask) this.rehash();
    }
    return g;
  }

  private nullGroupFor(keyCols: readonly Column[], i: number, h: number): number {
    if (this.nullGroup < 0) this.nullGroup = this.newGroup(keyCols, i, h, -1);
    return this.nullGroup;
  }

  private rehash(): void {
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    const gh = this.groupHash;
    for (let g = 0; g < this.n; g++) {
      if (g === this.nullGroup) continue;
      const h = gh[g]!;
      let s = h & mask;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = g + 1;
      t[2 * s + 1] = h;
    }
    this.table = t;
    this.mask = mask;
  }

  private insertI32(col: Column, numRows: number, hashes: Int32Array, out: Int32Array): void {
    const keys = [col];
    const vals = col.values as Int32Array;
    const v = col.valid;
    const store = this.stores[0]!;
    for (let i = 0; i < numRows; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = this.nullGroupFor(keys, i, hashes[i]!);
        continue;
      }
      const x = vals[i]!;
      const h = hashes[i]!;
      const t = this.table;
      const st = store.i32!;
      let s = h & this.mask;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = this.newGroup(keys, i, h, s);
          break;
        }
        if (t[2 * s + 1] === h && st[e - 1] === x) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & this.mask;
      }
    }
  }

  private insertW2(col: Column, numRows: number, hashes: Int32Array, out: Int32Array): void {
    const keys = [col];
    const w = wordsOf(col.values!);
    const v = col.valid;
    const store = this.stores[0]!;
    for (let i = 0; i < numRows; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = this.nullGroupFor(keys, i, hashes[i]!);
        continue;
      }
      const lo = w[2 * i]!;
      const hi = w[2 * i + 1]!;
      const h = hashes[i]!;
      const t = this.table;
      const st = store.i32!;
      let s = h & this.mask;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = this.newGroup(keys, i, h, s);
          break;
        }
        if (t[2 * s + 1] === h && st[2 * e - 2] === lo && st[2 * e - 1] === hi) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & this.mask;
      }
    }
  }

  private insertStr(col: Column, numRows: number, hashes: Int32Array, out: Int32Array): void {
    const keys = [col];
    const o = col.offsets!;
    const d = col.data!;
    const v = col.valid;
    const store = this.stores[0]!;
    for (let i = 0; i < numRows; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = this.nullGroupFor(keys, i, hashes[i]!);
        continue;
      }
      const a = o[i]!;
      const len = o[i + 1]! - a;
      const h = hashes[i]!;
      const t = this.table;
      const so = store.offsets!;
      const sd = store.data!;
      let s = h & this.mask;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = this.newGroup(keys, i, h, s);
          break;
        }
        if (t[2 * s + 1] === h) {
          const b = so[e - 1]!;
          if (so[e]! - b === len) {
            let k = 0;
            while (k < len && d[a + k] === sd[b + k]) k++;
            if (k === len) {
              out[i] = e - 1;
              break;
            }
          }
        }
        s = (s + 1) & this.mask;
      }
    }
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
    return this.stores.map((s) => s.finish());
  }

  /** The hash (`hashColumns` of the keys) of group g. */
  hashOf(g: number): number {
    return this.groupHash[g]!;
  }

  /** Bytes held by the table, the stored keys and scratch buffers. */
  estimatedBytes(): number {
    let b =
      this.table.byteLength + this.groupHash.byteLength + this.hashBuf.byteLength + this.flags.byteLength;
    for (const s of this.stores) b += s.byteSize();
    return b;
  }
}
