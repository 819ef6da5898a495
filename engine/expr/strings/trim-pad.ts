// trim, ltrim, rtrim (spaces, or the characters of a trim string) and lpad, rpad.
// Trimming ASCII characters is done on bytes (an ASCII byte never occurs inside a multi-byte
// UTF-8 sequence); a trim string with non-ASCII characters decodes the row.
import { getString } from "../../columnar/builders.js";
import type { Column } from "../../columnar/column.js";
import { T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import {
  advanceCodePoints,
  countCodePoints,
  isAscii,
  litString,
  RowWriter,
  resolveArgs,
  scalar,
} from "./kernel-util.js";

const LEFT = 1;
const RIGHT = 2;

/** A byte-set of ASCII trim characters, or null when the set has non-ASCII characters. */
function asciiSet(chars: string): Uint8Array | null {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    if (c >= 0x80) return null;
    set[c] = 1;
  }
  return set;
}

const SPACE_SET = asciiSet(" ")!;

/** Trims by code points of `chars` on a decoded string. */
function trimString(s: string, chars: string, sides: number): string {
  const set = new Set(chars);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  if (sides & LEFT) while (a < b && set.has(cps[a]!)) a++;
  if (sides & RIGHT) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join("");
}

function trimKernel(sides: number, litChars: string | null | undefined): Kernel {
  const litSet = litChars === undefined ? SPACE_SET : litChars === null ? null : asciiSet(litChars);
  return (args, n) => {
    const col = args[0]!;
    const trimCol: Column | undefined = litChars === undefined && args.length > 1 ? args[1] : undefined;
    const o = col.offsets!;
    const d = col.data!;
    const w = new RowWriter(n, o[n]! + 16);
    for (let r = 0; r < n; r++) {
      if ((col.valid !== null && col.valid[r] === 0) || (trimCol?.valid != null && trimCol.valid[r] === 0)) {
        w.endNull();
        continue;
      }
      let set = litSet;
      let chars = litChars ?? " ";
      if (trimCol !== undefined) {
        chars = getString(trimCol, r);
        set = asciiSet(chars);
      }
      let s = o[r]!;
      let e = o[r + 1]!;
      if (set !== null) {
        if (sides & LEFT) while (s < e && d[s]! < 0x80 && set[d[s]!] === 1) s++;
        if (sides & RIGHT) while (e > s && d[e - 1]! < 0x80 && set[d[e - 1]!] === 1) e--;
        w.put(d, s, e);
      } else w.putString(trimString(getString(col, r), chars, sides));
      w.end();
    }
    return w.finish();
  };
}

function trimFn(name: string, sides: number): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["string", "string"], 1), result: T.string }),
    (types, _r, lits) =>
      trimKernel(
        sides,
        types.length > 1 ? (lits[1] === undefined ? undefined : litString(lits[1])) : undefined,
      ),
  );
}

const encoder = new TextEncoder();

/**
 * Spark's lpad/rpad: pads to `len` code points with the pad string repeated; a string longer
 * than `len` is cut to its first `len` code points; `len` <= 0 gives ""; an empty pad only cuts.
 */
function padKernel(left: boolean): Kernel {
  // The pad string repeated, kept between rows while the pad stays the same.
  let padKey: Uint8Array = new Uint8Array(0);
  let expanded: Uint8Array = new Uint8Array(0);
  let expandedChars = 0;
  let padAscii = true;
  const expand = (pd: Uint8Array, ps: number, pe: number, need: number) => {
    let same = padKey.length === pe - ps;
    for (let k = 0; same && k < padKey.length; k++) same = padKey[k] === pd[ps + k];
    if (!same) {
      padKey = pd.slice(ps, pe);
      padAscii = isAscii(padKey, 0, padKey.length);
      expanded = padKey.slice();
      expandedChars = countCodePoints(padKey, 0, padKey.length);
    }
    while (expandedChars < need) {
      const next = new Uint8Array(expanded.length * 2);
      next.set(expanded);
      next.set(expanded, expanded.length);
      expanded = next;
      expandedChars *= 2;
    }
  };
  const space = encoder.encode(" ");
  return (args, n) => {
    const [col, lenCol, padCol] = args as [Column, Column, Column | undefined];
    const o = col.offsets!;
    const d = col.data!;
    const lens = lenCol.values as Int32Array;
    const w = new RowWriter(n, o[n]! + n * 4);
    for (let r = 0; r < n; r++) {
      if (
        (col.valid !== null && col.valid[r] === 0) ||
        (lenCol.valid !== null && lenCol.valid[r] === 0) ||
        (padCol?.valid != null && padCol.valid[r] === 0)
      ) {
        w.endNull();
        continue;
      }
      const len = lens[r]!;
      const s = o[r]!;
      const e = o[r + 1]!;
      const chars = isAscii(d, s, e) ? e - s : countCodePoints(d, s, e);
      let pd: Uint8Array = space;
      let ps = 0;
      let pe = 1;
      if (padCol !== undefined) {
        pd = padCol.data!;
        ps = padCol.offsets![r]!;
        pe = padCol.offsets![r + 1]!;
      }
      if (len <= chars || ps === pe) {
        if (len > 0) w.put(d, s, advanceCodePoints(d, s, e, len));
        w.end();
        continue;
      }
      // Pad with `len - chars` code points of the pad string, repeated.
      const need = len - chars;
      expand(pd, ps, pe, need);
      if (!left) w.put(d, s, e);
      w.put(expanded, 0, padAscii ? need : advanceCodePoints(expanded, 0, expanded.length, need));
      if (left) w.put(d, s, e);
      w.end();
    }
    return w.finish();
  };
}

function padFn(name: string, left: boolean): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["string", "int", "string"], 2), result: T.string }),
    () => padKernel(left),
  );
}

/** trim/ltrim/rtrim(str[, trimStr]) and lpad/rpad(str, len[, pad]). */
export const trimPadFunctions: readonly ScalarFunction[] = [
  trimFn("trim", LEFT | RIGHT),
  trimFn("ltrim", LEFT),
  trimFn("rtrim", RIGHT),
  padFn("lpad", true),
  padFn("rpad", false),
];
