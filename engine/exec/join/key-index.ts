// The hash index of a join's build side: it maps each distinct non-null key of the build key
// columns to a dense key id, and looks probe rows up by key. Open addressing with linear
// probing over (key id + 1, hash) pairs at load factor <= 1/2; a key is compared against a
// representative build row, so keys are never copied. Single int32/date/boolean,
// int64/timestamp, float64 and string keys compare their typed values inside the probe loop;
// other and multi-column keys compare with `keysEqual`.
//
// Join semantics (Spark): a row with a null in any key column never matches (its id is -1);
// -0.0 equals 0.0 and every NaN equals every NaN (`hashColumns` hashes them alike).
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { wordsOf } from "../hash/column-appender.js";
import { anyNullAt, hashColumns, keysEqual } from "../hash/keys.js";

/** How keys are compared: by a typed fast path, or generically; "none" = no key columns (a cross join). */
export type KeyPath = "none" | "i32" | "w2" | "f64" | "str" | "generic";

/** The comparison path for a list of key types. */
export function keyPathOf(keyTypes: readonly DataType[]): KeyPath {
  if (keyTypes.length === 0) return "none";
  if (keyTypes.length > 1) return "generic";
  switch (keyTypes[0]!.kind) {
    case "int32":
    case "date":
    case "boolean":
      return "i32";
    case "int64":
    case "timestamp":
      return "w2";
    case "float64":
      return "f64";
    case "string":
      return "str";
    default:
      return "generic";
  }
}

/** Distinct build keys → dense ids; see the file header. */
export class KeyIndex {
  /** Two Int32 per slot: key id + 1 (0 = empty), hash. */
  private slots: Int32Array;
  private mask: number;
  private keyHash: Int32Array;
  /** A build row holding each key id's key. */
  private keyRep: Int32Array;
  /** The number of distinct keys. */
  size = 0;
  private hashBuf = new Int32Array(0);

  constructor(
    /** The build side's key columns (all build rows, concatenated). */
    private readonly buildKeys: readonly Column[],
    readonly path: KeyPath,
    expectedKeys = 16,
  ) {
    let cap = 16;
    while (cap < 2 * expectedKeys) cap *= 2;
    this.slots = new Int32Array(2 * cap);
    this.mask = cap - 1;
    this.keyHash = new Int32Array(Math.max(16, expectedKeys));
    this.keyRep = new Int32Array(Math.max(16, expectedKeys));
  }

  /** Inserts every build row; writes each row's key id (-1 for a null key) to `out`. */
  build(numRows: number, out: Int32Array): void {
    if (this.path === "none") {
      out.fill(0, 0, numRows);
      this.size = numRows > 0 ? 1 : 0;
      return;
    }
    const hashes = hashColumns(this.buildKeys, numRows);
    this.find(this.buildKeys, numRows, hashes, out, true);
  }

  /** Looks up the first `numRows` rows of probe key columns; out[i] = key id, or -1 (no match or a null key). */
  lookup(keys: readonly Column[], numRows: number, out: Int32Array): void {
    if (this.path === "none") {
      out.fill(this.size > 0 ? 0 : -1, 0, numRows);
      return;
    }
    if (this.size === 0) {
      out.fill(-1, 0, numRows);
      return;
    }
    if (this.hashBuf.length < numRows) this.hashBuf = new Int32Array(Math.max(numRows, 1024));
    const hashes = hashColumns(keys, numRows, this.hashBuf);
    this.find(keys, numRows, hashes, out, false);
  }

  /** Bytes held by the index. */
  estimatedBytes(): number {
    return this.slots.byteLength + this.keyHash.byteLength + this.keyRep.byteLength + this.hashBuf.byteLength;
  }

  /** Adds key id `size` for row `row` with hash h at slot s; returns the id. */
  private add(row: number, h: number, s: number): number {
    const id = this.size++;
    if (id >= this.keyHash.length) {
      const kh = new Int32Array(this.keyHash.length * 2);
      kh.set(this.keyHash);
      this.keyHash = kh;
      const kr = new Int32Array(this.keyRep.length * 2);
      kr.set(this.keyRep);
      this.keyRep = kr;
    }
    this.keyHash[id] = h;
    this.keyRep[id] = row;
    this.slots[2 * s] = id + 1;
    this.slots[2 * s + 1] = h;
    if (2 * this.size > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    const kh = this.keyHash;
    for (let id = 0; id < this.size; id++) {
      const h = kh[id]!;
      let s = h & mask;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = id + 1;
      t[2 * s + 1] = h;
    }
    this.slots = t;
    this.mask = mask;
  }

  // One loop per key path, so that each comparison is monomorphic and inlined. With `insert`,
  // a miss adds the row's key (build); without, a miss gives -1 (probe).
  private find(
    keys: readonly Column[],
    n: number,
    hashes: Int32Array,
    out: Int32Array,
    insert: boolean,
  ): void {
    switch (this.path) {
      case "i32":
        this.findI32(keys[0]!, n, hashes, out, insert);
        return;
      case "w2":
        this.findW2(keys[0]!, n, hashes, out, insert);
        return;
      case "f64":
        this.findF64(keys[0]!, n, hashes, out, insert);
        return;
      case "str":
        this.findStr(keys[0]!, n, hashes, out, insert);
        return;
      default:
        this.findGeneric(keys, n, hashes, out, insert);
    }
  }

  private findI32(col: Column, n: number, hashes: Int32Array, out: Int32Array, insert: boolean): void {
    const pv = col.values as Int32Array | Uint8Array;
    const bv = this.buildKeys[0]!.values as Int32Array | Uint8Array;
    const v = col.valid;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = -1;
        continue;
      }
      const h = hashes[i]!;
      const x = pv[i]!;
      const t = this.slots;
      const m = this.mask;
      const rep = this.keyRep;
      let s = h & m;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s) : -1;
          break;
        }
        if (t[2 * s + 1] === h && bv[rep[e - 1]!] === x) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & m;
      }
    }
  }

  private findW2(col: Column, n: number, hashes: Int32Array, out: Int32Array, insert: boolean): void {
    const pw = wordsOf(col.values!);
    const bw = wordsOf(this.buildKeys[0]!.values!);
    const v = col.valid;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = -1;
        continue;
      }
      const h = hashes[i]!;
      const lo = pw[2 * i]!;
      const hi = pw[2 * i + 1]!;
      const t = this.slots;
      const m = this.mask;
      const rep = this.keyRep;
      let s = h & m;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s) : -1;
          break;
        }
        if (t[2 * s + 1] === h) {
          const r = rep[e - 1]!;
          if (bw[2 * r] === lo && bw[2 * r + 1] === hi) {
            out[i] = e - 1;
            break;
          }
        }
        s = (s + 1) & m;
      }
    }
  }

  private findF64(col: Column, n: number, hashes: Int32Array, out: Int32Array, insert: boolean): void {
    const pv = col.values as Float64Array;
    const bv = this.buildKeys[0]!.values as Float64Array;
    const v = col.valid;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = -1;
        continue;
      }
      const h = hashes[i]!;
      const x = pv[i]!;
      const t = this.slots;
      const m = this.mask;
      const rep = this.keyRep;
      let s = h & m;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s) : -1;
          break;
        }
        if (t[2 * s + 1] === h) {
          const y = bv[rep[e - 1]!]!;
          // -0.0 === 0.0 already; NaN equals NaN for join keys.
          if (x === y || (Number.isNaN(x) && Number.isNaN(y))) {
            out[i] = e - 1;
            break;
          }
        }
        s = (s + 1) & m;
      }
    }
  }

  private findStr(col: Column, n: number, hashes: Int32Array, out: Int32Array, insert: boolean): void {
    const o = col.offsets!;
    const d = col.data!;
    const bo = this.buildKeys[0]!.offsets!;
    const bd = this.buildKeys[0]!.data!;
    const v = col.valid;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = -1;
        continue;
      }
      const h = hashes[i]!;
      const a = o[i]!;
      const len = o[i + 1]! - a;
      const t = this.slots;
      const m = this.mask;
      const rep = this.keyRep;
      let s = h & m;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s) : -1;
          break;
        }
        if (t[2 * s + 1] === h) {
          const r = rep[e - 1]!;
          const b = bo[r]!;
          if (bo[r + 1]! - b === len) {
            let k = 0;
            while (k < len && d[a + k] === bd[b + k]) k++;
            if (k === len) {
              out[i] = e - 1;
              break;
            }
          }
        }
        s = (s + 1) & m;
      }
    }
  }

  private findGeneric(
    keys: readonly Column[],
    n: number,
    hashes: Int32Array,
    out: Int32Array,
    insert: boolean,
  ): void {
    const bk = this.buildKeys;
    const nullable = keys.some((c) => c.valid !== null || c.type.kind === "null");
    for (let i = 0; i < n; i++) {
      if (nullable && anyNullAt(keys, i)) {
        out[i] = -1;
        continue;
      }
      const h = hashes[i]!;
      const t = this.slots;
      const m = this.mask;
      let s = h & m;
      for (;;) {
        const e = t[2 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s) : -1;
          break;
        }
        if (t[2 * s + 1] === h && keysEqual(keys, i, bk, this.keyRep[e - 1]!)) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & m;
      }
    }
  }
}
