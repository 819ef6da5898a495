// Byte-level substring search (valid for UTF-8: a match of whole encoded characters can only
// start on a character boundary) and the functions built on it: startswith, endswith,
// contains, replace.
import type { Column } from "../../columnar/column.js";
import { T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import { litString, RowWriter, resolveArgs, scalar } from "./kernel-util.js";

/** Index of needle n[ns, ne) in haystack h[hs, he), or -1. An empty needle matches at hs. */
export function indexOfBytes(
  h: Uint8Array,
  hs: number,
  he: number,
  n: Uint8Array,
  ns: number,
  ne: number,
): number {
  const len = ne - ns;
  if (len === 0) return hs;
  const first = n[ns]!;
  const last = he - len;
  outer: for (let i = hs; i <= last; i++) {
    if (h[i] !== first) continue;
    for (let k = 1; k < len; k++) if (h[i + k] !== n[ns + k]) continue outer;
    return i;
  }
  return -1;
}

const encoder = new TextEncoder();

type Test = (h: Uint8Array, hs: number, he: number, n: Uint8Array, ns: number, ne: number) => boolean;

const starts: Test = (h, hs, he, n, ns, ne) => {
  const len = ne - ns;
  if (len > he - hs) return false;
  for (let k = 0; k < len; k++) if (h[hs + k] !== n[ns + k]) return false;
  return true;
};
const ends: Test = (h, hs, he, n, ns, ne) => {
  const len = ne - ns;
  if (len > he - hs) return false;
  const off = he - len;
  for (let k = 0; k < len; k++) if (h[off + k] !== n[ns + k]) return false;
  return true;
};
const contains: Test = (h, hs, he, n, ns, ne) => indexOfBytes(h, hs, he, n, ns, ne) >= 0;

function testKernel(test: Test, lit: string | undefined): Kernel {
  const litBytes = lit === undefined ? null : encoder.encode(lit);
  return (args, n) => {
    const [a, b] = args as [Column, Column];
    const ao = a.offsets!;
    const ad = a.data!;
    const out = new Uint8Array(n);
    let valid: Uint8Array | null = a.valid === null ? null : a.valid.slice(0, n);
    if (litBytes !== null) {
      for (let r = 0; r < n; r++) out[r] = test(ad, ao[r]!, ao[r + 1]!, litBytes, 0, litBytes.length) ? 1 : 0;
    } else {
      const bo = b.offsets!;
      const bd = b.data!;
      if (b.valid !== null) {
        valid ??= new Uint8Array(n).fill(1);
        for (let r = 0; r < n; r++) valid[r]! &= b.valid[r]!;
      }
      for (let r = 0; r < n; r++) out[r] = test(ad, ao[r]!, ao[r + 1]!, bd, bo[r]!, bo[r + 1]!) ? 1 : 0;
    }
    return { type: T.boolean, length: n, valid, values: out };
  };
}

function testFn(name: string, test: Test): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["string", "string"], 2), result: T.boolean }),
    (_t, _r, lits) => testKernel(test, lits[1] === undefined ? undefined : litString(lits[1])!),
  );
}

/** replace(str, search[, replace]): every occurrence, left to right; an empty search changes nothing. */
const replaceKernel: Kernel = (args, n) => {
  const [str, search, rep] = args as [Column, Column, Column | undefined];
  const o = str.offsets!;
  const d = str.data!;
  const w = new RowWriter(n, o[n]! + 16);
  for (let r = 0; r < n; r++) {
    if (
      (str.valid !== null && str.valid[r] === 0) ||
      (search.valid !== null && search.valid[r] === 0) ||
      (rep?.valid != null && rep.valid[r] === 0)
    ) {
      w.endNull();
      continue;
    }
    const s = o[r]!;
    const e = o[r + 1]!;
    const ns = search.offsets![r]!;
    const ne = search.offsets![r + 1]!;
    if (ns === ne) {
      w.put(d, s, e);
      w.end();
      continue;
    }
    let p = s;
    for (;;) {
      const at = indexOfBytes(d, p, e, search.data!, ns, ne);
      if (at < 0) break;
      w.put(d, p, at);
      if (rep !== undefined) w.put(rep.data!, rep.offsets![r]!, rep.offsets![r + 1]!);
      p = at + (ne - ns);
    }
    w.put(d, p, e);
    w.end();
  }
  return w.finish();
};

/** startswith, endswith, contains (boolean) and replace. */
export const searchFunctions: readonly ScalarFunction[] = [
  testFn("startswith", starts),
  testFn("endswith", ends),
  testFn("contains", contains),
  scalar(
    "replace",
    (types) => ({
      argTypes: resolveArgs("replace", types, ["string", "string", "string"], 2),
      result: T.string,
    }),
    () => replaceKernel,
  ),
];
