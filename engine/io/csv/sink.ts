// Column sinks for the text readers: typed buffers written by row index, then handed over as
// a Column once per batch.
//
// Unlike an append-only builder, a sink writes row `i` in place, so a reader converts a record
// straight into the buffers and simply reuses the same row index when the record turns out to
// be malformed and is dropped. Every write sets the row's validity byte.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";

/** Sink kinds, one per storage layout (switch on these in hot loops). */
export const K_NULL = 0;
export const K_BOOL = 1;
export const K_I32 = 2;
export const K_DATE = 3;
export const K_I64 = 4;
export const K_TS = 5;
export const K_F64 = 6;
export const K_DEC = 7;
export const K_STR = 8;
export const K_LIST = 9;

/** The sink kind of a type. */
export function sinkKind(t: DataType): number {
  switch (t.kind) {
    case "null":
      return K_NULL;
    case "boolean":
      return K_BOOL;
    case "int32":
      return K_I32;
    case "date":
      return K_DATE;
    case "int64":
      return K_I64;
    case "timestamp":
      return K_TS;
    case "float64":
      return K_F64;
    case "decimal":
      return K_DEC;
    case "string":
      return K_STR;
    case "list":
      return K_LIST;
  }
}

const NO_U8 = new Uint8Array(0);
const NO_I32 = new Int32Array(0);
const NO_F64 = new Float64Array(0);
const NO_I64 = new BigInt64Array(0);
const encoder = new TextEncoder();

/** Typed buffers for one column of the batch being built. */
export class ColumnSink {
  readonly kind: number;
  cap: number;
  valid: Uint8Array = NO_U8;
  anyNull = false;
  u8: Uint8Array = NO_U8;
  i32: Int32Array = NO_I32;
  f64: Float64Array = NO_F64;
  i64: BigInt64Array = NO_I64;
  /** `i64` as (low, high) int32 pairs. */
  h: Int32Array = NO_I32;
  offsets: Int32Array = NO_I32;
  data: Uint8Array = NO_U8;
  readonly child: ColumnSink | null;

  constructor(
    readonly type: DataType,
    capacity: number,
  ) {
    this.kind = sinkKind(type);
    this.cap = Math.max(1, capacity);
    this.child = type.kind === "list" ? new ColumnSink(type.element, 1024) : null;
    this.alloc();
  }

  private alloc(): void {
    const n = this.cap;
    this.valid = new Uint8Array(n);
    this.anyNull = false;
    switch (this.kind) {
      case K_BOOL:
        this.u8 = new Uint8Array(n);
        break;
      case K_I32:
      case K_DATE:
        this.i32 = new Int32Array(n);
        break;
      case K_I64:
      case K_TS:
        this.i64 = new BigInt64Array(n);
        this.h = new Int32Array(this.i64.buffer);
        break;
      case K_DEC:
        this.i64 = new BigInt64Array(2 * n);
        this.h = new Int32Array(this.i64.buffer);
        break;
      case K_F64:
        this.f64 = new Float64Array(n);
        break;
      case K_STR:
        this.offsets = new Int32Array(n + 1);
        this.data = new Uint8Array(Math.max(1024, n * 8));
        break;
      case K_LIST:
        this.offsets = new Int32Array(n + 1);
        break;
    }
  }

  /** Grows the row capacity to at least `rows` (list children grow; top-level sinks are sized once). */
  ensureRows(rows: number): void {
    if (rows <= this.cap) return;
    let cap = this.cap * 2;
    while (cap < rows) cap *= 2;
    const grow = <A extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: A, len: number): A => {
      if (a.length === 0) return a;
      const b = new (a.constructor as new (n: number) => A)(len);
      (b as Uint8Array).set(a as Uint8Array);
      return b;
    };
    this.valid = grow(this.valid, cap);
    this.u8 = grow(this.u8, cap);
    this.i32 = grow(this.i32, cap);
    this.f64 = grow(this.f64, cap);
    if (this.i64.length > 0) {
      this.i64 = grow(this.i64, this.kind === K_DEC ? 2 * cap : cap);
      this.h = new Int32Array(this.i64.buffer);
    }
    this.offsets = grow(this.offsets, cap + 1);
    this.cap = cap;
  }

  /** Marks row i null (string and list rows get an empty range). */
  setNull(i: number): void {
    this.valid[i] = 0;
    this.anyNull = true;
    if (this.kind === K_STR || this.kind === K_LIST) this.offsets[i + 1] = this.offsets[i]!;
    else if (this.kind === K_I64 || this.kind === K_TS) this.i64[i] = 0n;
    else if (this.kind === K_DEC) {
      this.i64[2 * i] = 0n;
      this.i64[2 * i + 1] = 0n;
    }
  }

  private ensureData(need: number): void {
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const d = new Uint8Array(cap);
    d.set(this.data);
    this.data = d;
  }

  /** Writes the bytes src[s, e) as the string of row i. */
  putBytes(i: number, src: Uint8Array, s: number, e: number): void {
    const start = this.offsets[i]!;
    const len = e - s;
    const end = start + len;
    if (end > this.data.length) this.ensureData(end);
    const d = this.data;
    if (len < 24) for (let k = 0; k < len; k++) d[start + k] = src[s + k]!;
    else d.set(src.subarray(s, e), start);
    this.offsets[i + 1] = end;
    this.valid[i] = 1;
  }

  /** Writes a JS string (as UTF-8) as row i. */
  putString(i: number, str: string): void {
    const start = this.offsets[i]!;
    const n = str.length;
    this.ensureData(start + n * 3);
    const d = this.data;
    let p = start;
    let k = 0;
    for (; k < n; k++) {
      const c = str.charCodeAt(k);
      if (c >= 0x80) break;
      d[p++] = c;
    }
    if (k < n) p += encoder.encodeInto(str.slice(k), d.subarray(p)).written;
    this.offsets[i + 1] = p;
    this.valid[i] = 1;
  }

  /** The first `n` rows as a Column; the sink starts over with fresh buffers. */
  finish(n: number): Column {
    const cut = <A extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: A, len: number): A =>
      (a.length === len ? a : a.slice(0, len)) as A;
    const valid = this.anyNull ? cut(this.valid, n) : null;
    let col: Column;
    switch (this.kind) {
      case K_NULL:
        col = { type: this.type, length: n, valid: new Uint8Array(n) };
        break;
      case K_BOOL:
        col = { type: this.type, length: n, valid, values: cut(this.u8, n) };
        break;
      case K_I32:
      case K_DATE:
        col = { type: this.type, length: n, valid, values: cut(this.i32, n) };
        break;
      case K_I64:
      case K_TS:
        col = { type: this.type, length: n, valid, values: cut(this.i64, n) };
        break;
      case K_DEC:
        col = { type: this.type, length: n, valid, values: cut(this.i64, 2 * n) };
        break;
      case K_F64:
        col = { type: this.type, length: n, valid, values: cut(this.f64, n) };
        break;
      case K_STR:
        col = {
          type: this.type,
          length: n,
          valid,
          offsets: cut(this.offsets, n + 1),
          data: this.data.slice(0, this.offsets[n]!),
        };
        break;
      default:
        col = {
          type: this.type,
          length: n,
          valid,
          offsets: cut(this.offsets, n + 1),
          child: this.child!.finish(this.offsets[n]!),
        };
    }
    this.alloc();
    return col;
  }
}
