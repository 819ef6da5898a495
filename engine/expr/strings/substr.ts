// Code-point positions: length, substring (Spark's 1-based `substringSQL` with its negative and
// zero position rules), left, right, instr, locate, reverse, ascii, octet_length, bit_length.
// Positions count code points; ASCII rows need no walking because bytes are code points there.
import { type Column, nullColumn } from "../../columnar/column.js";
import { type DataType, T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import {
  advanceCodePoints,
  countCodePoints,
  isAscii,
  RowWriter,
  resolveArgs,
  scalar,
} from "./kernel-util.js";
import { indexOfBytes } from "./search.js";

const isNull = (c: Column | undefined, r: number): boolean =>
  c !== undefined && c.valid !== null && c.valid[r] === 0;

/** Appends substring(str, pos, len) of row r (Spark's UTF8String.substringSQL). */
function putSubstring(w: RowWriter, d: Uint8Array, s: number, e: number, pos: number, len: number): void {
  const ascii = isAscii(d, s, e);
  const chars = ascii ? e - s : countCodePoints(d, s, e);
  let start = pos > 0 ? pos - 1 : pos < 0 ? chars + pos : 0;
  const end = Math.min(start + len, chars);
  start = Math.max(start, 0);
  if (start >= end) return;
  if (ascii) w.put(d, s + start, s + end);
  else {
    const bs = advanceCodePoints(d, s, e, start);
    w.put(d, bs, advanceCodePoints(d, bs, e, end - start));
  }
}

/** mode 0: substring(str, pos[, len]); 1: left(str, len); 2: right(str, len). */
function substringKernel(mode: number): Kernel {
  return (args, n) => {
    const col = args[0]!;
    const a1 = args[1]!;
    const a2 = args[2];
    const o = col.offsets!;
    const d = col.data!;
    const v1 = a1.values as Int32Array;
    const v2 = a2?.values as Int32Array | undefined;
    const w = new RowWriter(n, o[n]! + 16);
    for (let r = 0; r < n; r++) {
      if (isNull(col, r) || isNull(a1, r) || isNull(a2, r)) {
        w.endNull();
        continue;
      }
      const x = v1[r]!;
      if (mode === 0) putSubstring(w, d, o[r]!, o[r + 1]!, x, v2 === undefined ? 2147483647 : v2[r]!);
      else if (mode === 1) putSubstring(w, d, o[r]!, o[r + 1]!, 1, x);
      else if (x > 0) putSubstring(w, d, o[r]!, o[r + 1]!, -x, 2147483647);
      w.end();
    }
    return w.finish();
  };
}

/** An int32 result column from a per-row function (null rows where any argument is null). */
function intKernel(f: (args: readonly Column[], r: number) => number): Kernel {
  return (args, n) => {
    const out = new Int32Array(n);
    let valid: Uint8Array | null = null;
    for (let r = 0; r < n; r++) {
      let ok = true;
      for (const a of args) if (a.valid !== null && a.valid[r] === 0) ok = false;
      if (ok) out[r] = f(args, r);
      else (valid ??= new Uint8Array(n).fill(1))[r] = 0;
    }
    return { type: T.int32, length: n, valid, values: out };
  };
}

const lengthKernel: Kernel = (args, n) => {
  const c = args[0]!;
  const o = c.offsets!;
  const d = c.data!;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let k = 0;
    for (let i = o[r]!; i < o[r + 1]!; i++) if ((d[i]! & 0xc0) !== 0x80) k++;
    out[r] = k;
  }
  return { type: T.int32, length: n, valid: c.valid, values: out };
};

/** 1-based code-point index of `sub` in `str` searching from code point `from`; 0 when absent. */
function locateIn(str: Column, r: number, sub: Column, from: number): number {
  const o = str.offsets!;
  const d = str.data!;
  const so = sub.offsets!;
  if (so[r + 1] === so[r]) return 1;
  const s = o[r]!;
  const e = o[r + 1]!;
  const start = advanceCodePoints(d, s, e, from);
  const at = indexOfBytes(d, start, e, sub.data!, so[r]!, so[r + 1]!);
  return at < 0 ? 0 : countCodePoints(d, s, at) + 1;
}

const reverseKernel: Kernel = (args, n) => {
  const c = args[0]!;
  const o = c.offsets!;
  const d = c.data!;
  const data = new Uint8Array(o[n]! - o[0]!);
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const s = o[r]!;
    const e = o[r + 1]!;
    const base = s - o[0]!;
    offsets[r + 1] = e - o[0]!;
    let i = s;
    while (i < e) {
      let j = i + 1;
      while (j < e && (d[j]! & 0xc0) === 0x80) j++;
      // Copy the code point d[i, j) to the mirrored position.
      const dst = base + (e - j);
      for (let k = i; k < j; k++) data[dst + (k - i)] = d[k]!;
      i = j;
    }
  }
  return { type: T.string, length: n, valid: c.valid, offsets, data };
};

const decoder = new TextDecoder();

function strFn(
  name: string,
  kinds: Parameters<typeof resolveArgs>[2],
  min: number,
  kernel: Kernel,
  result: DataType = T.string,
): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, kinds, min), result }),
    () => kernel,
  );
}

/** length, octet_length, bit_length, substring, left, right, instr, locate, reverse, ascii. */
export const substrFunctions: readonly ScalarFunction[] = [
  strFn("length", ["string"], 1, lengthKernel, T.int32),
  strFn(
    "octet_length",
    ["string"],
    1,
    intKernel(([c], r) => c!.offsets![r + 1]! - c!.offsets![r]!),
    T.int32,
  ),
  strFn(
    "bit_length",
    ["string"],
    1,
    intKernel(([c], r) => (c!.offsets![r + 1]! - c!.offsets![r]!) * 8),
    T.int32,
  ),
  strFn("substring", ["string", "int", "int"], 2, substringKernel(0)),
  strFn("left", ["string", "int"], 2, substringKernel(1)),
  strFn("right", ["string", "int"], 2, substringKernel(2)),
  strFn(
    "instr",
    ["string", "string"],
    2,
    intKernel(([s, sub], r) => locateIn(s!, r, sub!, 0)),
    T.int32,
  ),
  // locate(substr, str[, pos]): a NULL pos gives 0, not NULL (as Hive and Spark do).
  {
    name: "locate",
    resolve: (types) => ({
      argTypes: resolveArgs("locate", types, ["string", "string", "int"], 2),
      result: T.int32,
    }),
    compile: (types, _r, literals) => {
      if (types.length === 3 && (types[2]!.kind === "null" || literals[2] === null)) {
        return (_a, n) => ({ type: T.int32, length: n, valid: null, values: new Int32Array(n) });
      }
      if (
        types[0]!.kind === "null" ||
        types[1]!.kind === "null" ||
        literals[0] === null ||
        literals[1] === null
      )
        return (_a, n) => nullColumn(T.int32, n);
      return scalar(
        "locate",
        () => ({ argTypes: types, result: T.int32 }),
        () => (args, n) => {
          const [sub, str, posCol] = args as [Column, Column, Column | undefined];
          const pos = posCol?.values as Int32Array | undefined;
          const out = new Int32Array(n);
          let valid: Uint8Array | null = null;
          for (let r = 0; r < n; r++) {
            if (isNull(posCol, r)) continue;
            if (isNull(sub, r) || isNull(str, r)) {
              (valid ??= new Uint8Array(n).fill(1))[r] = 0;
              continue;
            }
            const p = pos === undefined ? 1 : pos[r]!;
            out[r] = p < 1 ? 0 : locateIn(str, r, sub, p - 1);
          }
          return { type: T.int32, length: n, valid, values: out };
        },
      ).compile(types, T.int32, literals, { timeZone: "UTC", nowMicros: 0 });
    },
  },
  strFn("reverse", ["string"], 1, reverseKernel),
  strFn(
    "ascii",
    ["string"],
    1,
    intKernel(([c], r) => {
      const s = c!.offsets![r]!;
      const e = c!.offsets![r + 1]!;
      if (s === e) return 0;
      const b = c!.data![s]!;
      return b < 0x80
        ? b
        : decoder.decode(c!.data!.subarray(s, advanceCodePoints(c!.data!, s, e, 1))).codePointAt(0)!;
    }),
    T.int32,
  ),
];
