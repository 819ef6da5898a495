// The hash index of a join's build side: it maps each distinct non-null key of the build key
// columns to a dense key id, and looks probe rows up by key. Open addressing with linear
// probing at load factor <= 1/2. A probe row's key is compared against the copy of the
// key that the slot itself holds, so that a lookup touches one random cache line where it can
// (the probe side comes in any order): a slot is four words (key id + 1, hash, a, b) where
// (a, b) is the int32 value, the int64 words, the normalised float64 words, the string's
// (start, length) in the build key bytes, or for other and multi-column keys a build row
// holding the key (compared with `keysEqual`). Integer keys in a small range are
// looked up without hashing, through a direct-address table (dense-index.ts).
//
// Join semantics (Spark): a row with a null in any key column never matches (its id is -1);
// -0.0 equals 0.0 and every NaN equals every NaN (`hashColumns` hashes them alike).
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { wordsOf } from "../hash/column-appender.js";
import { anyNullAt, hashColumns, keysEqual } from "../hash/keys.js";
import { buildDenseIndex, type DenseIndex, denseLookup } from "./dense-index.js";

/** The high word of the one NaN that float keys normalise to (as keys.ts hashes it). */
const NAN_HI = 0x7ff80000;

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
  /** Four Int32 per slot: key id + 1 (0 = empty), hash, and two words of the key (see the header). */
  private slots: Int32Array;
  private mask: number;
  /** A build row holding each key id's key. */
  private keyRep: Int32Array;
  /** The number of distinct keys. */
  size = 0;
  private hashBuf = new Int32Array(0);
  /** A direct-address index, when the keys are integers in a small range (see dense-index.ts). */
  private dense: DenseIndex | null = null;

  constructor(
    /** The build side's key columns (all build rows, concatenated). */
    private readonly buildKeys: readonly Column[],
    readonly path: KeyPath,
  ) {
    this.slots = new Int32Array(4 * 16);
    this.mask = 15;
    this.keyRep = new Int32Array(16);
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
    if (this.path === "i32" || this.path === "w2")
      this.dense = buildDenseIndex(this.buildKeys[0]!, this.path === "w2", this.keyRep, this.size);
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
    if (this.dense !== null) {
      denseLookup(this.dense, keys[0]!, this.path === "w2", numRows, out);
      return;
    }
    if (this.hashBuf.length < numRows) this.hashBuf = new Int32Array(Math.max(numRows, 1024));
    const hashes = hashColumns(keys, numRows, this.hashBuf);
    this.find(keys, numRows, hashes, out, false);
  }

  /** True when lookups go through the direct-address index. */
  get isDense(): boolean {
    return this.dense !== null;
  }

  /** Bytes held by the index. */
  estimatedBytes(): number {
    const b = this.slots.byteLength + this.keyRep.byteLength + this.hashBuf.byteLength;
    return b + (this.dense?.ids.byteLength ?? 0);
  }

  /** Adds key id `size` for build row `row` at slot s (hash h, key words a, b); returns the id. */
  private add(row: number, h: number, s: number, a: number, b: number): number {
    const id = this.size++;
    if (id >= this.keyRep.length) {
      const kr = new Int32Array(this.keyRep.length * 2);
      kr.set(this.keyRep);
      this.keyRep = kr;
    }
    this.keyRep[id] = row;
    const t = this.slots;
    t[4 * s] = id + 1;
    t[4 * s + 1] = h;
    t[4 * s + 2] = a;
    t[4 * s + 3] = b;
    if (2 * this.size > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const cap = 2 * (this.mask + 1);
    const t = new Int32Array(4 * cap);
    const mask = cap - 1;
    for (let p = 0; p < old.length; p += 4) {
      if (old[p] === 0) continue;
      let s = old[p + 1]! & mask;
      while (t[4 * s] !== 0) s = (s + 1) & mask;
      const q = 4 * s;
      t[q] = old[p]!;
      t[q + 1] = old[p + 1]!;
      t[q + 2] = old[p + 2]!;
      t[q + 3] = old[p + 3]!;
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
      case "f64":
        this.findW2(keys[0]!, n, hashes, out, insert);
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
      let s = h & m;
      for (;;) {
        const e = t[4 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s, x, 0) : -1;
          break;
        }
        if (t[4 * s + 2] === x) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & m;
      }
    }
  }

  /** int64/timestamp (two words), and float64 as its words normalised (-0.0 as 0.0, one NaN). */
  private findW2(col: Column, n: number, hashes: Int32Array, out: Int32Array, insert: boolean): void {
    const pw = wordsOf(col.values!);
    const f = this.path === "f64" ? (col.values as Float64Array) : null;
    const v = col.valid;
    for (let i = 0; i < n; i++) {
      if (v !== null && v[i] === 0) {
        out[i] = -1;
        continue;
      }
      const h = hashes[i]!;
      let lo = pw[2 * i]!;
      let hi = pw[2 * i + 1]!;
      if (f !== null) {
        const x = f[i]!;
        if (x === 0) hi = lo = 0;
        else if (Number.isNaN(x)) {
          lo = 0;
          hi = NAN_HI;
        }
      }
      const t = this.slots;
      const m = this.mask;
      let s = h & m;
      for (;;) {
        const e = t[4 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s, lo, hi) : -1;
          break;
        }
        if (t[4 * s + 2] === lo && t[4 * s + 3] === hi) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & m;
      }
    }
  }

  private findStr(col: Column, n: number, hashes: Int32Array, out: Int32Array, insert: boolean): void {
    const o = col.offsets!;
    const d = col.data!;
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
      let s = h & m;
      for (;;) {
        const e = t[4 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s, a, len) : -1;
          break;
        }
        if (t[4 * s + 1] === h && t[4 * s + 3] === len) {
          const b = t[4 * s + 2]!;
          let k = 0;
          while (k < len && d[a + k] === bd[b + k]) k++;
          if (k === len) {
            out[i] = e - 1;
            break;
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
        const e = t[4 * s]!;
        if (e === 0) {
          out[i] = insert ? this.add(i, h, s, i, 0) : -1;
          break;
        }
        if (t[4 * s + 1] === h && keysEqual(keys, i, bk, t[4 * s + 2]!)) {
          out[i] = e - 1;
          break;
        }
        s = (s + 1) & m;
      }
    }
  }
}
