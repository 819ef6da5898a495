// upper, lower, initcap. A batch whose bytes are all ASCII is mapped byte for byte (sharing
// the input offsets); otherwise ASCII rows still take the byte path and only non-ASCII rows
// are decoded and re-encoded.
import { getString } from "../../columnar/builders.js";

import { T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import { isAscii, RowWriter, resolveArgs, scalar } from "./kernel-util.js";

const UPPER = new Uint8Array(256);
const LOWER = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  UPPER[b] = b >= 0x61 && b <= 0x7a ? b - 32 : b;
  LOWER[b] = b >= 0x41 && b <= 0x5a ? b + 32 : b;
}

function caseKernel(table: Uint8Array, slow: (s: string) => string): Kernel {
  return ([c], n) => {
    const col = c!;
    const o = col.offsets!;
    const d = col.data!;
    const end = o[n]!;
    // Map optimistically; the OR of the input bytes says afterwards whether it was all ASCII.
    const out = new Uint8Array(d.length);
    let acc = 0;
    for (let i = o[0]!; i < end; i++) {
      const b = d[i]!;
      acc |= b;
      out[i] = table[b]!;
    }
    if ((acc & 0x80) === 0)
      return { type: T.string, length: n, valid: col.valid, offsets: col.offsets!, data: out };
    const w = new RowWriter(n, end + 16);
    const valid = col.valid;
    for (let r = 0; r < n; r++) {
      if (valid !== null && valid[r] === 0) {
        w.endNull();
        continue;
      }
      const s = o[r]!;
      const e = o[r + 1]!;
      if (isAscii(d, s, e)) {
        w.reserve(e - s);
        for (let i = s; i < e; i++) w.putByte(table[d[i]!]!);
      } else w.putString(slow(getString(col, r)));
      w.end();
    }
    return w.finish();
  };
}

/** Java's Character.toTitleCase for one code point, approximated by upper case when that stays one code point. */
function titleChar(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

/** Spark's initcap: lower-case everything, then title-case the first letter and each letter after a space. */
function initcap(s: string): string {
  let out = "";
  let prevSpace = true;
  for (const ch of s.toLowerCase()) {
    out += prevSpace ? titleChar(ch) : ch;
    prevSpace = ch === " ";
  }
  return out;
}

const initcapKernel: Kernel = ([c], n) => {
  const col = c!;
  const o = col.offsets!;
  const d = col.data!;
  const w = new RowWriter(n, o[n]! + 16);
  const valid = col.valid;
  for (let r = 0; r < n; r++) {
    if (valid !== null && valid[r] === 0) {
      w.endNull();
      continue;
    }
    const s = o[r]!;
    const e = o[r + 1]!;
    if (isAscii(d, s, e)) {
      w.reserve(e - s);
      let prev = 0x20;
      for (let i = s; i < e; i++) {
        const b = d[i]!;
        w.putByte(prev === 0x20 ? UPPER[b]! : LOWER[b]!);
        prev = b;
      }
    } else w.putString(initcap(getString(col, r)));
    w.end();
  }
  return w.finish();
};

function unary(name: string, kernel: Kernel): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["string"], 1), result: T.string }),
    () => kernel,
  );
}

/** upper(str), lower(str), initcap(str). */
export const caseFunctions: readonly ScalarFunction[] = [
  unary(
    "upper",
    caseKernel(UPPER, (s) => s.toUpperCase()),
  ),
  unary(
    "lower",
    caseKernel(LOWER, (s) => s.toLowerCase()),
  ),
  unary("initcap", initcapKernel),
];
