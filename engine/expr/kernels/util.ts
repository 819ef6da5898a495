// Small helpers shared by the expression kernels: validity arithmetic, boolean columns and
// masks, literal columns and UTF-8 byte comparison. Everything loops over typed arrays.

import type { Column } from "../../columnar/column.js";
import { constantColumn } from "../../columnar/ops.js";
import type { DataType } from "../../types/data-type.js";
import type { LiteralValue } from "../expr.js";

/** The validity of a row-wise combination of two columns (null when both have none). */
export function andValid(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b === null ? null : b.slice(0, n);
  if (b === null) return a.slice(0, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** The validity of a row-wise combination of several columns (null when none has any). */
export function andValidAll(cols: readonly Column[], n: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const c of cols) {
    if (c.type.kind === "null") return new Uint8Array(n);
    if (c.valid === null) continue;
    if (out === null) out = c.valid.slice(0, n);
    else {
      const v = c.valid;
      for (let i = 0; i < n; i++) out[i] = out[i]! & v[i]!;
    }
  }
  return out;
}

/** A fresh, writable validity array: a copy of `v`, or all ones. */
export function writableValid(v: Uint8Array | null, n: number): Uint8Array {
  return v === null ? new Uint8Array(n).fill(1) : v.slice(0, n);
}

/** Drops a validity array that has no zero (so that "no nulls" stays `null`). */
export function compactValid(v: Uint8Array | null, n: number): Uint8Array | null {
  if (v === null) return null;
  for (let i = 0; i < n; i++) if (v[i] === 0) return v;
  return null;
}

/** Does a column hold any null? */
export function hasNulls(c: Column): boolean {
  if (c.type.kind === "null") return c.length > 0;
  const v = c.valid;
  if (v === null) return false;
  for (let i = 0; i < c.length; i++) if (v[i] === 0) return true;
  return false;
}

/** The selection mask of a boolean column: 1 where the value is true and not null. */
export function maskOf(c: Column, n: number): Uint8Array {
  if (c.type.kind === "null") return new Uint8Array(n);
  const vals = c.values as Uint8Array;
  if (c.valid === null) return vals;
  const v = c.valid;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = vals[i]! & v[i]!;
  return out;
}

/** A boolean column from values and validity. */
export const boolColumn = (values: Uint8Array, valid: Uint8Array | null, n: number): Column => ({
  type: { kind: "boolean" },
  length: n,
  valid,
  values,
});

/** A column holding `value` in every row (nulls included). */
export function literalColumn(type: DataType, value: LiteralValue, n: number): Column {
  return constantColumn(type, value, n);
}

const encoder = new TextEncoder();
/** The UTF-8 bytes of a JS string. */
export const utf8 = (s: string): Uint8Array => encoder.encode(s);

/** Compares two byte ranges as unsigned bytes: negative, 0 or positive. */
export function compareBytes(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): number {
  const la = ae - as;
  const lb = be - bs;
  const m = Math.min(la, lb);
  for (let k = 0; k < m; k++) {
    const d = a[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Equality of two byte ranges. */
export function bytesEqual(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): boolean {
  if (ae - as !== be - bs) return false;
  for (let k = 0; k < ae - as; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}

/** Spark's `isWhitespaceOrISOControl` on a byte (ASCII controls, space, DEL). */
export const isSpaceOrControl = (b: number): boolean => b <= 0x20 || b === 0x7f;

/** The argument columns' value arrays, typed for a loop (helper for kernels). */
export const f64 = (c: Column): Float64Array => c.values as Float64Array;
export const i32 = (c: Column): Int32Array => c.values as Int32Array;
export const u8 = (c: Column): Uint8Array => c.values as Uint8Array;
