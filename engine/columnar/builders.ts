// Growable builders that produce Columns straight into typed arrays (no per-row objects),
// plus helpers to build a Column from plain JS values (createDataFrame, literals, tests) and
// to read strings back out of a string column.
import { type DataType, T } from "../types/data-type.js";
import { type Column, i64Halves, writeI64 } from "./column.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** Builds a string column: offsets and UTF-8 data grow by doubling; validity appears on the first null. */
export class StringColumnBuilder {
  private offsets: Int32Array;
  private data: Uint8Array;
  private valid: Uint8Array | null = null;
  private n = 0;
  private pos = 0;

  constructor(capacityRows = 1024, capacityBytes = capacityRows * 16) {
    this.offsets = new Int32Array(Math.max(1, capacityRows) + 1);
    this.data = new Uint8Array(Math.max(16, capacityBytes));
  }

  /** Rows appended so far. */
  get length(): number {
    return this.n;
  }

  private growRows(): void {
    const o = new Int32Array(this.offsets.length * 2);
    o.set(this.offsets);
    this.offsets = o;
    if (this.valid !== null) {
      const v = new Uint8Array(o.length - 1);
      v.set(this.valid);
      this.valid = v;
    }
  }

  private ensureBytes(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const d = new Uint8Array(cap);
    d.set(this.data.subarray(0, this.pos));
    this.data = d;
  }

  private endRow(): void {
    this.n++;
    this.offsets[this.n] = this.pos;
    if (this.valid !== null) this.valid[this.n - 1] = 1;
  }

  /** Appends the UTF-8 bytes src[start, end) as one value. */
  appendBytes(src: Uint8Array, start: number, end: number): void {
    if (this.n + 1 >= this.offsets.length) this.growRows();
    const len = end - start;
    this.ensureBytes(len);
    if (len < 16) {
      const d = this.data;
      let p = this.pos;
      for (let i = start; i < end; i++) d[p++] = src[i]!;
    } else {
      this.data.set(src.subarray(start, end), this.pos);
    }
    this.pos += len;
    this.endRow();
  }

  /** Appends a JS string (encoded as UTF-8; ASCII takes a byte loop, the rest TextEncoder). */
  appendString(s: string): void {
    if (this.n + 1 >= this.offsets.length) this.growRows();
    const len = s.length;
    this.ensureBytes(len * 3);
    const d = this.data;
    let p = this.pos;
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      d[p++] = c;
    }
    if (i < len) p += encoder.encodeInto(s.slice(i), d.subarray(p)).written;
    this.pos = p;
    this.endRow();
  }

  /** Appends a null (an empty byte range with validity 0). */
  appendNull(): void {
    if (this.n + 1 >= this.offsets.length) this.growRows();
    if (this.valid === null) {
      this.valid = new Uint8Array(this.offsets.length - 1);
      this.valid.fill(1, 0, this.n);
    }
    this.n++;
    this.offsets[this.n] = this.pos;
    this.valid[this.n - 1] = 0;
  }

  /** The finished column (buffers trimmed to size); the builder must not be used afterwards. */
  finish(type: DataType = T.string): Column {
    const n = this.n;
    return {
      type,
      length: n,
      valid: this.valid === null ? null : this.valid.slice(0, n),
      offsets: this.offsets.slice(0, n + 1),
      data: this.data.slice(0, this.pos),
    };
  }
}

/** Builds a fixed-width column (boolean, int32, date, int64, timestamp, float64) by doubling. */
export class FixedColumnBuilder {
  private values: Uint8Array | Int32Array | Float64Array | BigInt64Array;
  private halves: Int32Array | null = null;
  private valid: Uint8Array | null = null;
  private n = 0;

  constructor(
    readonly type: DataType,
    capacity = 1024,
  ) {
    this.values = allocValues(type, Math.max(1, capacity));
    if (this.values instanceof BigInt64Array) this.halves = i64Halves(this.values);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.n;
  }

  private grow(): void {
    const v = allocValues(this.type, this.values.length * 2);
    (v as Int32Array).set(this.values as Int32Array);
    this.values = v;
    if (v instanceof BigInt64Array) this.halves = i64Halves(v);
    if (this.valid !== null) {
      const nv = new Uint8Array(v.length);
      nv.set(this.valid);
      this.valid = nv;
    }
  }

  /** Appends a number (booleans as 0/1; int64 values must be integers, exact below 2^53). */
  appendNumber(x: number): void {
    if (this.n >= this.values.length) this.grow();
    if (this.halves !== null) writeI64(this.halves, this.n, Math.trunc(x));
    else this.values[this.n] = x;
    if (this.valid !== null) this.valid[this.n] = 1;
    this.n++;
  }

  /** Appends an int64 / timestamp value given as a bigint. */
  appendBigInt(x: bigint): void {
    if (this.halves === null) {
      this.appendNumber(Number(x));
      return;
    }
    if (this.n >= this.values.length) this.grow();
    (this.values as BigInt64Array)[this.n] = x;
    if (this.valid !== null) this.valid[this.n] = 1;
    this.n++;
  }

  /** Appends a null. */
  appendNull(): void {
    if (this.n >= this.values.length) this.grow();
    if (this.valid === null) {
      this.valid = new Uint8Array(this.values.length);
      this.valid.fill(1, 0, this.n);
    }
    this.valid[this.n] = 0;
    this.values[this.n] = this.halves === null ? 0 : (0n as never);
    this.n++;
  }

  /** The finished column (buffers trimmed to size). */
  finish(): Column {
    const n = this.n;
    return {
      type: this.type,
      length: n,
      valid: this.valid === null ? null : this.valid.slice(0, n),
      values: this.values.slice(0, n),
    };
  }
}

function allocValues(type: DataType, n: number): Uint8Array | Int32Array | Float64Array | BigInt64Array {
  switch (type.kind) {
    case "boolean":
      return new Uint8Array(n);
    case "int32":
    case "date":
      return new Int32Array(n);
    case "int64":
    case "timestamp":
      return new BigInt64Array(n);
    case "float64":
      return new Float64Array(n);
    default:
      throw new Error(`FixedColumnBuilder does not build ${type.kind} columns`);
  }
}

/** A string column from JS strings (null for nulls). */
export function stringColumnFromArray(values: readonly (string | null | undefined)[]): Column {
  const b = new StringColumnBuilder(values.length, values.length * 8);
  for (const v of values) {
    if (v === null || v === undefined) b.appendNull();
    else b.appendString(v);
  }
  return b.finish();
}

/** The i-th value of a string column (validity is not checked). */
export function getString(col: Column, i: number): string {
  const o = col.offsets!;
  const d = col.data!;
  const s = o[i]!;
  const e = o[i + 1]!;
  if (e - s > 64) return decoder.decode(d.subarray(s, e));
  let out = "";
  for (let j = s; j < e; j++) {
    const c = d[j]!;
    if (c >= 0x80) return decoder.decode(d.subarray(s, e));
    out += String.fromCharCode(c);
  }
  return out;
}

/** Every value of a string column as JS strings (null for nulls). */
export function getStrings(col: Column): (string | null)[] {
  const out = new Array<string | null>(col.length);
  const v = col.valid;
  for (let i = 0; i < col.length; i++) out[i] = v !== null && v[i] === 0 ? null : getString(col, i);
  return out;
}

/** A plain JS value accepted by `columnFromValues`. */
export type JsValue = null | undefined | boolean | number | bigint | string | Date | readonly JsValue[];

const MS_PER_DAY = 86_400_000;

/** Days since the epoch from a Date, days number, or "YYYY-MM-DD" string. */
export function toDays(v: JsValue): number {
  if (v instanceof Date) return Math.floor(v.getTime() / MS_PER_DAY);
  if (typeof v === "string") {
    const ms = Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(ms)) throw new Error(`invalid date "${v}"`);
    return Math.floor(ms / MS_PER_DAY);
  }
  return Number(v);
}

/**
 * Microseconds since the epoch from a Date, µs bigint/number, or an ISO-like string
 * ("2021-03-14 01:02:03.123456", optional "Z"/offset; without one it is read as UTC wall-clock).
 */
export function toMicros(v: JsValue): bigint {
  if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  if (typeof v === "string") {
    const m =
      /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
        v.trim(),
      );
    if (m === null) throw new Error(`invalid timestamp "${v}"`);
    const zone =
      m[6] === undefined || m[6] === "Z"
        ? "Z"
        : m[6].length === 5
          ? `${m[6].slice(0, 3)}:${m[6].slice(3)}`
          : m[6];
    const ms = Date.parse(`${m[1]}T${m[2] ?? "00"}:${m[3] ?? "00"}:${m[4] ?? "00"}${zone}`);
    if (Number.isNaN(ms)) throw new Error(`invalid timestamp "${v}"`);
    const frac = BigInt((m[5] ?? "").padEnd(6, "0").slice(0, 6));
    return BigInt(ms) * 1000n + frac;
  }
  throw new Error(`cannot convert ${String(v)} to a timestamp`);
}

/** The unscaled 128-bit integer of a decimal with `scale` from a bigint (already unscaled), number or string (rounded half-up). */
export function toUnscaled(v: JsValue, scale: number): bigint {
  if (typeof v === "bigint") return v;
  const s = typeof v === "number" ? String(v) : String(v).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (m === null || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`invalid decimal "${s}"`);
  const digits = (m[2] ?? "") + (m[3] ?? "");
  // value = digits * 10^(exp - fracLen); unscaled = value * 10^scale
  const shift = Number(m[4] ?? 0) - (m[3] ?? "").length + scale;
  let u: bigint;
  if (shift >= 0) u = BigInt(digits || "0") * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    const n = BigInt(digits || "0");
    u = n / div;
    if ((n % div) * 2n >= div) u += 1n;
  }
  return m[1] === "-" ? -u : u;
}

/** Writes a 128-bit unscaled value as two int64 words (low, high) at row i. */
export function writeDecimal(values: BigInt64Array, i: number, u: bigint): void {
  values[2 * i] = BigInt.asIntN(64, u);
  values[2 * i + 1] = BigInt.asIntN(64, u >> 64n);
}

/** Reads the 128-bit unscaled value of row i. */
export function readDecimal(values: BigInt64Array, i: number): bigint {
  return (values[2 * i + 1]! << 64n) | BigInt.asUintN(64, values[2 * i]!);
}

/**
 * A Column of `type` from plain JS values: numbers, bigints, strings, booleans, Dates and
 * nulls. Dates take days or a Date; timestamps take µs (bigint or number) or a Date; decimals
 * take the unscaled bigint or a number/string value; lists take arrays.
 */
export function columnFromValues(type: DataType, values: readonly JsValue[]): Column {
  const n = values.length;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (values[i] === null || values[i] === undefined) {
      valid ??= new Uint8Array(n).fill(1);
      valid[i] = 0;
    }
  }
  const isNull = (i: number) => valid !== null && valid[i] === 0;
  switch (type.kind) {
    case "null":
      return { type, length: n, valid: new Uint8Array(n) };
    case "boolean": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = !isNull(i) && values[i] !== "false" && values[i] ? 1 : 0;
      return { type, length: n, valid, values: out };
    }
    case "int32":
    case "float64": {
      const out = type.kind === "int32" ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) if (!isNull(i)) out[i] = Number(values[i]);
      return { type, length: n, valid, values: out };
    }
    case "date": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) if (!isNull(i)) out[i] = toDays(values[i]!);
      return { type, length: n, valid, values: out };
    }
    case "int64": {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!isNull(i))
          out[i] = typeof v === "bigint" ? v : BigInt(typeof v === "number" ? Math.trunc(v) : String(v));
      }
      return { type, length: n, valid, values: out };
    }
    case "timestamp": {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) if (!isNull(i)) out[i] = toMicros(values[i]!);
      return { type, length: n, valid, values: out };
    }
    case "decimal": {
      const out = new BigInt64Array(2 * n);
      for (let i = 0; i < n; i++) if (!isNull(i)) writeDecimal(out, i, toUnscaled(values[i]!, type.scale));
      return { type, length: n, valid, values: out };
    }
    case "string": {
      const b = new StringColumnBuilder(n, n * 8);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) b.appendNull();
        else {
          const v = values[i]!;
          b.appendString(typeof v === "string" ? v : v instanceof Date ? v.toISOString() : String(v));
        }
      }
      return b.finish(type);
    }
    case "list": {
      const offsets = new Int32Array(n + 1);
      const flat: JsValue[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!isNull(i)) {
          if (!Array.isArray(v))
            throw new Error(`expected an array for a ${type.element.kind} list, got ${String(v)}`);
          for (const e of v as readonly JsValue[]) flat.push(e);
        }
        offsets[i + 1] = flat.length;
      }
      return { type, length: n, valid, offsets, child: columnFromValues(type.element, flat) };
    }
  }
}
