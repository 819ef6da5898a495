// An append-only, growable column of any Kindling type, filled one row at a time from other
// columns. Group tables keep their keys in it, and accumulators keep values (min/max strings,
// first/last, collected lists) in it. Rows are copied as typed words and byte ranges: no
// BigInt, string decoding or per-row object. Its buffers are public so that hot loops (key
// comparison in the group table) read them directly.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";

/** How a type's values are stored in an appender. */
export type StorageKind = "null" | "u8" | "i32" | "w2" | "f64" | "w4" | "str" | "list";

/** The storage kind of a type: u8 booleans, i32 int32/date, w2 int64/timestamp, w4 decimal words. */
export function storageKind(t: DataType): StorageKind {
  switch (t.kind) {
    case "null":
      return "null";
    case "boolean":
      return "u8";
    case "int32":
    case "date":
      return "i32";
    case "int64":
    case "timestamp":
      return "w2";
    case "float64":
      return "f64";
    case "decimal":
      return "w4";
    case "string":
      return "str";
    case "list":
      return "list";
  }
}

/** An Int32Array over the bytes of a typed array (int64 and decimal values as 32-bit words). */
export const wordsOf = (a: ArrayBufferView): Int32Array =>
  new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

/** A growable column; `append(col, row)` copies one value (or null) from another column of the same type. */
export class ColumnAppender {
  readonly kind: StorageKind;
  /** Rows appended so far. */
  length = 0;
  /** One byte per row (1 = valid); always allocated. */
  valid: Uint8Array;
  /** True once a null has been appended. */
  hasNull = false;
  /** u8: booleans. */
  u8: Uint8Array | null = null;
  /** i32: int32/date values; w2/w4: 2 or 4 words per row over `big`. */
  i32: Int32Array | null = null;
  /** w2/w4: the BigInt64Array that `i32` views. */
  big: BigInt64Array | null = null;
  /** f64 values. */
  f64: Float64Array | null = null;
  /** str/list: offsets (length + 1). */
  offsets: Int32Array | null = null;
  /** str: UTF-8 bytes; `pos` bytes are used. */
  data: Uint8Array | null = null;
  pos = 0;
  /** list: the elements. */
  child: ColumnAppender | null = null;
  /** Normalise -0.0 to 0.0 and NaNs to one NaN on append (group keys). */
  readonly normaliseFloats: boolean;

  private cap: number;
  private srcCol: Column | null = null;
  private srcWords: Int32Array | null = null;

  constructor(
    readonly type: DataType,
    capacity = 64,
    normaliseFloats = false,
  ) {
    this.kind = storageKind(type);
    this.normaliseFloats = normaliseFloats;
    this.cap = Math.max(4, capacity);
    this.valid = new Uint8Array(this.cap);
    this.alloc(this.cap);
    if (this.kind === "str" || this.kind === "list") this.offsets = new Int32Array(this.cap + 1);
    if (this.kind === "str") this.data = new Uint8Array(this.cap * 8);
    if (this.kind === "list" && type.kind === "list")
      this.child = new ColumnAppender(type.element, capacity, normaliseFloats);
  }

  private alloc(cap: number): void {
    switch (this.kind) {
      case "u8": {
        const a = new Uint8Array(cap);
        if (this.u8 !== null) a.set(this.u8);
        this.u8 = a;
        break;
      }
      case "i32": {
        const a = new Int32Array(cap);
        if (this.i32 !== null) a.set(this.i32);
        this.i32 = a;
        break;
      }
      case "w2":
      case "w4": {
        const a = new BigInt64Array(cap * (this.kind === "w2" ? 1 : 2));
        if (this.big !== null) a.set(this.big);
        this.big = a;
        this.i32 = wordsOf(a);
        break;
      }
      case "f64": {
        const a = new Float64Array(cap);
        if (this.f64 !== null) a.set(this.f64);
        this.f64 = a;
        break;
      }
      default:
        break;
    }
  }

  /** Makes room for `extra` more rows. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.cap) return;
    let cap = this.cap * 2;
    while (cap < need) cap *= 2;
    const v = new Uint8Array(cap);
    v.set(this.valid);
    this.valid = v;
    this.alloc(cap);
    if (this.offsets !== null) {
      const o = new Int32Array(cap + 1);
      o.set(this.offsets);
      this.offsets = o;
    }
    this.cap = cap;
  }

  private ensureBytes(extra: number): void {
    const d = this.data!;
    const need = this.pos + extra;
    if (need <= d.length) return;
    let cap = d.length * 2;
    while (cap < need) cap *= 2;
    const nd = new Uint8Array(cap);
    nd.set(d.subarray(0, this.pos));
    this.data = nd;
  }

  /** The 32-bit words of a source column's values (cached for the last column seen). */
  private wordsFor(col: Column): Int32Array {
    if (col !== this.srcCol) {
      this.srcCol = col;
      this.srcWords = wordsOf(col.values!);
    }
    return this.srcWords!;
  }

  /** Appends a null row. */
  appendNull(): void {
    this.reserve(1);
    const n = this.length;
    this.valid[n] = 0;
    this.hasNull = true;
    if (this.offsets !== null) this.offsets[n + 1] = this.kind === "str" ? this.pos : this.child!.length;
    this.length = n + 1;
  }

  /** Appends row `row` of `col` (a column of this appender's type), null included. */
  append(col: Column, row: number): void {
    if (col.valid !== null && col.valid[row] === 0) {
      this.appendNull();
      return;
    }
    this.reserve(1);
    const n = this.length;
    this.valid[n] = 1;
    switch (this.kind) {
      case "null":
        this.valid[n] = 0;
        this.hasNull = true;
        break;
      case "u8":
        this.u8![n] = (col.values as Uint8Array)[row]!;
        break;
      case "i32":
        this.i32![n] = (col.values as Int32Array)[row]!;
        break;
      case "w2": {
        const w = this.wordsFor(col);
        this.i32![2 * n] = w[2 * row]!;
        this.i32![2 * n + 1] = w[2 * row + 1]!;
        break;
      }
      case "w4": {
        const w = this.wordsFor(col);
        const d = this.i32!;
        d[4 * n] = w[4 * row]!;
        d[4 * n + 1] = w[4 * row + 1]!;
        d[4 * n + 2] = w[4 * row + 2]!;
        d[4 * n + 3] = w[4 * row + 3]!;
        break;
      }
      case "f64": {
        let x = (col.values as Float64Array)[row]!;
        if (this.normaliseFloats) {
          if (Number.isNaN(x)) x = Number.NaN;
          else if (x === 0) x = 0;
        }
        this.f64![n] = x;
        break;
      }
      case "str": {
        const o = col.offsets!;
        const s = o[row]!;
        const e = o[row + 1]!;
        this.ensureBytes(e - s);
        const src = col.data!;
        const d = this.data!;
        let p = this.pos;
        if (e - s < 24) for (let k = s; k < e; k++) d[p++] = src[k]!;
        else {
          d.set(src.subarray(s, e), p);
          p += e - s;
        }
        this.pos = p;
        this.offsets![n + 1] = p;
        break;
      }
      case "list": {
        const o = col.offsets!;
        const c = this.child!;
        const el = col.child!;
        const e = o[row + 1]!;
        c.reserve(e - o[row]!);
        for (let k = o[row]!; k < e; k++) c.append(el, k);
        this.offsets![n + 1] = c.length;
        break;
      }
    }
    this.length = n + 1;
  }

  /** A zero-copy Column over the rows so far; invalid after the next append that grows a buffer. */
  view(): Column {
    return this.build(false);
  }

  /** A Column of the rows so far, with buffers copied and trimmed to size. */
  finish(): Column {
    return this.build(true);
  }

  private build(copy: boolean): Column {
    const n = this.length;
    const cut = <A extends { slice(s: number, e: number): A; subarray(s: number, e: number): A }>(
      a: A,
      e: number,
    ): A => (copy ? a.slice(0, e) : a.subarray(0, e));
    const valid = this.kind === "null" ? new Uint8Array(n) : this.hasNull ? cut(this.valid, n) : null;
    const type = this.type;
    switch (this.kind) {
      case "null":
        return { type, length: n, valid };
      case "u8":
        return { type, length: n, valid, values: cut(this.u8!, n) };
      case "i32":
        return { type, length: n, valid, values: cut(this.i32!, n) };
      case "w2":
        return { type, length: n, valid, values: cut(this.big!, n) };
      case "w4":
        return { type, length: n, valid, values: cut(this.big!, 2 * n) };
      case "f64":
        return { type, length: n, valid, values: cut(this.f64!, n) };
      case "str":
        return {
          type,
          length: n,
          valid,
          offsets: cut(this.offsets!, n + 1),
          data: cut(this.data!, this.pos),
        };
      case "list":
        return { type, length: n, valid, offsets: cut(this.offsets!, n + 1), child: this.child!.build(copy) };
    }
  }

  /** Bytes held by the buffers (capacity, not just the used part). */
  byteSize(): number {
    let b = this.valid.byteLength;
    if (this.u8 !== null) b += this.u8.byteLength;
    else if (this.i32 !== null) b += this.i32.byteLength;
    if (this.f64 !== null) b += this.f64.byteLength;
    if (this.offsets !== null) b += this.offsets.byteLength;
    if (this.data !== null) b += this.data.byteLength;
    if (this.child !== null) b += this.child.byteSize();
    return b;
  }
}
