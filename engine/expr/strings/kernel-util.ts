// Helpers shared by the string and date/time function families: argument type rules (with
// Spark's implicit casts), validity merging, literal access, and `RowWriter`, a string output
// buffer that lets one row be written in several pieces (concat, pad, replace).
import { columnFromValues, getString } from "../../columnar/builders.js";
import { type Column, nullColumn } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, T, typeName } from "../../types/data-type.js";
import type { Expr, LiteralValue } from "../expr.js";
import type { CompileContext, Kernel, Resolution, ScalarFunction } from "../registry.js";

/** How a function wants an argument: the analyzer casts to the type `resolveArgs` returns. */
export type ArgKind =
  /** Any scalar; non-strings are cast to string (Spark casts numbers, dates, booleans). */
  | "string"
  /** Integral; numbers and numeric strings are cast to int. */
  | "int"
  /** int64; numbers and numeric strings are cast to bigint. */
  | "long"
  /** float64; numbers and numeric strings are cast to double. */
  | "double"
  /** boolean as-is. */
  | "boolean"
  /** date, timestamp (either) or string, kept as is: kernels convert natively. */
  | "datetime";

/** Throws unless `min <= types.length <= max`. */
export function checkArity(fn: string, types: readonly DataType[], min: number, max: number): void {
  if (types.length < min || types.length > max) {
    const want =
      min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
    throw new AnalysisError(`function ${fn} takes ${want} argument(s), got ${types.length}`);
  }
}

/** The type argument `i` of `fn` is cast to for `kind`; null-typed arguments stay null. */
export function coerceArg(fn: string, i: number, t: DataType, kind: ArgKind): DataType {
  if (t.kind === "null") return t;
  const bad = (): never => {
    throw new AnalysisError(
      `function ${fn}: argument ${i + 1} has type ${typeName(t)}, which cannot be used as ${kind === "datetime" ? "a date or timestamp" : kind}`,
    );
  };
  switch (kind) {
    case "string":
      return t.kind === "list" ? bad() : T.string;
    case "int":
      return t.kind === "int32" ? t : isNumOrString(t) ? T.int32 : bad();
    case "long":
      return t.kind === "int64" ? t : isNumOrString(t) ? T.int64 : bad();
    case "double":
      return t.kind === "float64" ? t : isNumOrString(t) ? T.float64 : bad();
    case "boolean":
      return t.kind === "boolean" ? t : bad();
    case "datetime":
      return t.kind === "date" || t.kind === "timestamp" || t.kind === "string" ? t : bad();
  }
}

function isNumOrString(t: DataType): boolean {
  return (
    t.kind === "int32" ||
    t.kind === "int64" ||
    t.kind === "float64" ||
    t.kind === "decimal" ||
    t.kind === "string"
  );
}

/** Checks arity and coerces each argument; `kinds[i]` past the end repeats the last kind. */
export function resolveArgs(
  fn: string,
  types: readonly DataType[],
  kinds: readonly ArgKind[],
  min: number,
  max = kinds.length,
): DataType[] {
  checkArity(fn, types, min, max);
  return types.map((t, i) => coerceArg(fn, i, t, kinds[Math.min(i, kinds.length - 1)]!));
}

/** True when some argument is NULL for the whole call: a null-typed column or a NULL literal. */
export function anyNullArg(
  types: readonly DataType[],
  literals: readonly (LiteralValue | undefined)[],
): boolean {
  return types.some((t, i) => t.kind === "null" || literals[i] === null);
}

/**
 * AND of the validity of the non-literal argument columns (`null` when every row is valid).
 * Literal arguments (literals[i] !== undefined) are skipped: their columns are never read.
 */
export function mergeValid(
  args: readonly Column[],
  literals: readonly (LiteralValue | undefined)[],
  n: number,
  only?: readonly number[],
): Uint8Array | null {
  let out: Uint8Array | null = null;
  const idx = only ?? args.map((_, i) => i);
  for (const i of idx) {
    if (literals[i] !== undefined) continue;
    const v = args[i]!.valid;
    if (v === null) continue;
    if (out === null) out = v.slice(0, n);
    else for (let r = 0; r < n; r++) out[r] &= v[r]!;
  }
  return out;
}

/** A literal as a string (null for NULL or non-literal). */
export function litString(v: LiteralValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === "string" ? v : String(v);
}

/** A literal as a number (null for NULL or non-literal). */
export function litNumber(v: LiteralValue | undefined): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  const n = Number(v);
  return Number.isNaN(n) ? null : n;
}

/** True when every byte of data[s, e) is ASCII (branch-free OR over the bytes). */
export function isAscii(data: Uint8Array, s: number, e: number): boolean {
  let acc = 0;
  for (let i = s; i < e; i++) acc |= data[i]!;
  return (acc & 0x80) === 0;
}

const latin = new TextDecoder("latin1");

/**
 * Row reader for a string column that decodes an all-ASCII batch once and slices it per row
 * (cheap in V8), falling back to decoding each row otherwise.
 */
export function rowStrings(c: Column): (row: number) => string {
  const o = c.offsets!;
  const d = c.data!;
  const s0 = o[0]!;
  const e0 = o[c.length]!;
  if (e0 - s0 > 0 && isAscii(d, s0, e0)) {
    const all = latin.decode(d.subarray(s0, e0));
    return (r) => all.slice(o[r]! - s0, o[r + 1]! - s0);
  }
  return (r) => getString(c, r);
}

/** Number of code points in data[s, e) (bytes that are not UTF-8 continuation bytes). */
export function countCodePoints(data: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((data[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Byte offset of the `k`-th code point at or after `s` (clamped to `e`). */
export function advanceCodePoints(data: Uint8Array, s: number, e: number, k: number): number {
  let i = s;
  while (k > 0 && i < e) {
    i++;
    while (i < e && (data[i]! & 0xc0) === 0x80) i++;
    k--;
  }
  return i;
}

const encoder = new TextEncoder();

/**
 * Writes a string column of exactly `rows` rows, each possibly in several pieces:
 * `put*` appends to the current row, `end()` / `endNull()` close it. Grows by doubling.
 */
export class RowWriter {
  private readonly offsets: Int32Array;
  private data: Uint8Array;
  private valid: Uint8Array | null = null;
  private row = 0;
  private pos = 0;

  constructor(
    private readonly rows: number,
    capacityBytes = rows * 16,
  ) {
    this.offsets = new Int32Array(rows + 1);
    this.data = new Uint8Array(Math.max(16, capacityBytes));
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const d = new Uint8Array(cap);
    d.set(this.data.subarray(0, this.pos));
    this.data = d;
  }

  /** Appends src[s, e). */
  put(src: Uint8Array, s: number, e: number): void {
    const len = e - s;
    if (len <= 0) return;
    this.reserve(len);
    // Short copies by hand: a subarray view per row costs more than the loop.
    if (len < 96) {
      const d = this.data;
      let p = this.pos;
      for (let i = s; i < e; i++) d[p++] = src[i]!;
    } else this.data.set(src.subarray(s, e), this.pos);
    this.pos += len;
  }

  /** Appends one byte. */
  putByte(b: number): void {
    this.reserve(1);
    this.data[this.pos++] = b;
  }

  /** Appends a JS string as UTF-8. */
  putString(str: string): void {
    this.reserve(str.length * 3);
    const d = this.data;
    let p = this.pos;
    let i = 0;
    for (; i < str.length; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) break;
      d[p++] = c;
    }
    if (i < str.length) p += encoder.encodeInto(str.slice(i), d.subarray(p)).written;
    this.pos = p;
  }

  /** Closes the current row as a value. */
  end(): void {
    this.offsets[++this.row] = this.pos;
  }

  /** Drops what the current row wrote and closes it as null. */
  endNull(): void {
    if (this.valid === null) this.valid = new Uint8Array(this.rows).fill(1);
    this.pos = this.offsets[this.row]!;
    this.valid[this.row] = 0;
    this.offsets[++this.row] = this.pos;
  }

  /** The finished column; `valid` (if given) is ANDed with the rows closed by `endNull`. */
  finish(valid: Uint8Array | null = null): Column {
    let v = this.valid;
    if (valid !== null) {
      if (v === null) v = valid;
      else for (let i = 0; i < this.rows; i++) v[i] &= valid[i]!;
    }
    return {
      type: T.string,
      length: this.rows,
      valid: v,
      offsets: this.offsets,
      data: this.data.slice(0, this.pos),
    };
  }
}

/**
 * Wraps a kernel so that literal arguments arrive as constant columns of `n` rows (built once
 * per batch length), whatever the compiler passes for them.
 */
export function materializeLiterals(
  kernel: Kernel,
  types: readonly DataType[],
  literals: readonly (LiteralValue | undefined)[],
): Kernel {
  const lit = literals.map((v, i) => (v !== undefined && i < types.length ? i : -1)).filter((i) => i >= 0);
  if (lit.length === 0) return kernel;
  let cachedN = -1;
  const cols: Column[] = [];
  return (args, n) => {
    if (n !== cachedN) {
      for (const i of lit) {
        const t = types[i]!;
        cols[i] = t.kind === "null" ? nullColumn(t, n) : columnFromValues(t, new Array(n).fill(literals[i]));
      }
      cachedN = n;
    }
    const a: Column[] = [];
    for (let i = 0; i < types.length; i++) a.push(literals[i] !== undefined ? cols[i]! : args[i]!);
    return kernel(a, n);
  };
}

/**
 * Defines a scalar function. Unless `nullSafe`, a call with a NULL argument (null-typed or
 * NULL literal) compiles to an all-null kernel; literal arguments are materialized for `build`'s kernel.
 */
export function scalar(
  name: string,
  resolve: (types: readonly DataType[], args: readonly Expr[]) => Resolution,
  build: (
    types: readonly DataType[],
    result: DataType,
    literals: readonly (LiteralValue | undefined)[],
    ctx: CompileContext,
  ) => Kernel,
  nullSafe = false,
): ScalarFunction {
  return {
    name,
    resolve,
    compile(types, result, literals, ctx) {
      if (!nullSafe && anyNullArg(types, literals)) return (_a, n) => nullColumn(result, n);
      return materializeLiterals(build(types, result, literals, ctx), types, literals);
    },
  };
}
