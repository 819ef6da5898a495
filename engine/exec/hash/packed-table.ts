// The group table's path for keys made of booleans, int32/date, int64/timestamp, float64 and
// strings (any number of columns, up to 31). Groups keep their keys as fixed words per row
// (packed-layout.ts); string columns are coded through a StringDict each.
//
// A table starts in direct mode (packed-direct.ts): int64/timestamp/float64 columns are coded
// through a WordDict each, and a key row's group is found by indexing a dense array with its
// small integers. When the ranges get too large for that (many distinct values), the table
// moves to hash mode (packed-hash.ts) for good: the word dictionaries are dropped and rows are
// probed by hash over their packed words. Group ids are dense in order of first appearance in
// both modes.
import type { Column } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import type { DataType } from "../../types/data-type.js";
import { wordsOf } from "./column-appender.js";
import { type DigitSource, DirectIndex } from "./packed-direct.js";
import { PackedHashIndex } from "./packed-hash.js";
import { GroupWords, type KeyLayout, keyLayout } from "./packed-layout.js";
import { StringDict } from "./string-dict.js";
import { WordDict } from "./word-dict.js";

export { packable } from "./packed-layout.js";

const NAN_HI = 0x7ff80000;

/** Maps key rows to dense group ids; see the file header. */
export class PackedTable {
  private readonly layout: KeyLayout;
  private readonly groups: GroupWords;
  private readonly strDicts: (StringDict | null)[];
  /** Per two-word column, its dictionary while in direct mode. */
  private wordDicts: (WordDict | null)[];
  private direct: DirectIndex | null;
  private hash: PackedHashIndex | null = null;
  /** Per-column scratch: dictionary codes of the current batch. */
  private codes: Int32Array[];
  private rowsSeen = 0;
  private cur: readonly Column[] = [];

  constructor(readonly keyTypes: readonly DataType[]) {
    this.layout = keyLayout(keyTypes);
    this.groups = new GroupWords(this.layout.width);
    const kinds = this.layout.kinds;
    this.strDicts = kinds.map((k) => (k === "str" ? new StringDict() : null));
    this.wordDicts = kinds.map((k) => (k === "w2" || k === "f64" ? new WordDict(k === "f64") : null));
    this.codes = kinds.map(() => new Int32Array(0));
    this.direct = new DirectIndex(kinds.length);
  }

  /** The number of groups. */
  get size(): number {
    return this.groups.n;
  }

  /** Maps each of the first `numRows` rows of the key columns to its group id in `out`, inserting new groups. */
  insert(cols: readonly Column[], numRows: number, out: Int32Array): void {
    if (numRows === 0) return;
    this.rowsSeen += numRows;
    const kinds = this.layout.kinds;
    for (let k = 0; k < cols.length; k++) {
      const dict = this.strDicts[k] ?? (this.direct !== null ? this.wordDicts[k] : null);
      if (dict === null || dict === undefined) continue;
      if (this.codes[k]!.length < numRows) this.codes[k] = new Int32Array(Math.max(numRows, 1024));
      dict.encode(cols[k]!, numRows, this.codes[k]!);
    }
    if (this.direct !== null) {
      const srcs: DigitSource[] = cols.map((c, k) =>
        kinds[k] === "i32" || kinds[k] === "u8"
          ? { a: c.values as Int32Array | Uint8Array, valid: c.valid }
          : { a: this.codes[k]!, valid: null },
      );
      const d = this.direct;
      if (
        d.slots(srcs, numRows) ||
        (d.prepare(srcs, numRows, this.rowsSeen, this.groups.n, this.valueOf) && d.slots(srcs, numRows))
      ) {
        this.cur = cols;
        d.lookup(numRows, out, this.newGroupFromRow);
        this.cur = [];
        return;
      }
      // Too many distinct values for a dense array: hash mode from now on.
      this.direct = null;
      this.wordDicts = kinds.map(() => null);
      this.hash = new PackedHashIndex(this.layout, this.groups);
    }
    this.hash!.insert(cols, this.codes, numRows, out);
  }

  /** The direct-mode value of column k of group g: its value, string code or word code (null for a null value). */
  private readonly valueOf = (g: number, k: number): number | null => {
    const { kinds, offs, width: W, nullWord } = this.layout;
    const gw = this.groups.words;
    const kind = kinds[k]!;
    if (kind === "str") return gw[g * W + offs[k]!]!;
    const isNull = ((gw[g * W + nullWord]! >>> k) & 1) === 1;
    if (kind === "i32" || kind === "u8") return isNull ? null : gw[g * W + offs[k]!]!;
    const dict = this.wordDicts[k]!;
    return isNull ? dict.nullCode : dict.codeOf(gw[g * W + offs[k]!]!, gw[g * W + offs[k]! + 1]!, false);
  };

  /** Adds a group whose key is row i of the current batch (direct mode); returns its id. */
  private readonly newGroupFromRow = (i: number): number => {
    const g = this.groups.add();
    const { kinds, offs, width: W, nullWord } = this.layout;
    const gw = this.groups.words;
    const base = g * W;
    let nb = 0;
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[k]!;
      const p = base + offs[k]!;
      if (kind === "str") {
        gw[p] = this.codes[k]![i]!;
        continue;
      }
      const c = this.cur[k]!;
      const isNull = c.valid !== null && c.valid[i] === 0;
      if (isNull) nb |= 1 << k;
      if (kind === "i32" || kind === "u8") {
        gw[p] = isNull ? 0 : (c.values as Int32Array | Uint8Array)[i]!;
        continue;
      }
      const w = wordsOf(c.values!);
      let lo = isNull ? 0 : w[2 * i]!;
      let hi = isNull ? 0 : w[2 * i + 1]!;
      if (kind === "f64" && !isNull) {
        const x = (c.values as Float64Array)[i]!;
        if (x === 0 || Number.isNaN(x)) {
          lo = 0;
          hi = x === 0 ? 0 : NAN_HI;
        }
      }
      gw[p] = lo;
      gw[p + 1] = hi;
    }
    if (nullWord >= 0) gw[base + nullWord] = nb;
    return g;
  };

  /** The distinct keys as columns, in group-id order. */
  keys(): Column[] {
    const n = this.groups.n;
    const { kinds, offs, width: W, nullWord: nw } = this.layout;
    const gw = this.groups.words;
    return this.keyTypes.map((type, k) => {
      const kind = kinds[k]!;
      const off = offs[k]!;
      if (kind === "str") {
        const idx = new Int32Array(n);
        for (let g = 0; g < n; g++) idx[g] = gw[g * W + off]!;
        return takeColumn(this.strDicts[k]!.store.view(), idx, n);
      }
      let valid: Uint8Array | null = null;
      const bit = 1 << k;
      for (let g = 0; g < n; g++) {
        if ((gw[g * W + nw]! & bit) === 0) continue;
        if (valid === null) valid = new Uint8Array(n).fill(1);
        valid[g] = 0;
      }
      if (kind === "i32" || kind === "u8") {
        const values = kind === "i32" ? new Int32Array(n) : new Uint8Array(n);
        for (let g = 0; g < n; g++) values[g] = gw[g * W + off]!;
        return { type, length: n, valid, values };
      }
      const values = kind === "f64" ? new Float64Array(n) : new BigInt64Array(n);
      const w = wordsOf(values);
      for (let g = 0; g < n; g++) {
        w[2 * g] = gw[g * W + off]!;
        w[2 * g + 1] = gw[g * W + off + 1]!;
      }
      return { type, length: n, valid, values };
    });
  }

  /** Bytes held by the group words, the index, the dictionaries and scratch. */
  estimatedBytes(): number {
    let b = this.groups.words.byteLength;
    b += this.direct?.estimatedBytes() ?? 0;
    b += this.hash?.estimatedBytes() ?? 0;
    for (const d of this.strDicts) if (d !== null) b += d.estimatedBytes();
    for (const d of this.wordDicts) if (d !== null) b += d.estimatedBytes();
    for (const c of this.codes) b += c.byteLength;
    return b;
  }
}
