// SQL LIKE as Spark defines it: `%` any sequence, `_` exactly one character, the escape
// character (default `\`) may only precede `%`, `_` or itself. Patterns compile to byte
// matchers: exact, prefix, suffix, contains, or segments separated by `%` matched leftmost
// (which is exact for globs whose only variable-length wildcard is `%`), `_` stepping over
// one UTF-8 character.
import { getString } from "../../columnar/builders.js";
import type { Column } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import { litString, resolveArgs, scalar } from "./kernel-util.js";
import { indexOfBytes } from "./search.js";

/** A segment between `%`s: literal bytes, with -1 standing for `_`. */
type Segment = Int16Array;

/** A compiled LIKE pattern. */
export type LikeMatcher = (d: Uint8Array, s: number, e: number) => boolean;

const encoder = new TextEncoder();

/** Splits a LIKE pattern into `%`-separated segments; throws AnalysisError for bad escapes. */
function segments(pattern: string, esc: string): { segs: Segment[]; leading: boolean; trailing: boolean } {
  const segs: number[][] = [[]];
  const cps = [...pattern];
  let leading = false;
  let trailing = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === esc) {
      const nx = cps[i + 1];
      if (nx === undefined) {
        throw new AnalysisError(
          `the pattern '${pattern}' is invalid, it is not allowed to end with the escape character`,
        );
      }
      if (nx !== "_" && nx !== "%" && nx !== esc) {
        throw new AnalysisError(
          `the pattern '${pattern}' is invalid, the escape character is not allowed to precede '${nx}'`,
        );
      }
      for (const b of encoder.encode(nx)) segs[segs.length - 1]!.push(b);
      i++;
    } else if (c === "%") {
      if (i === 0) leading = true;
      if (i === cps.length - 1) trailing = true;
      if (segs[segs.length - 1]!.length > 0 || segs.length === 1) segs.push([]);
    } else if (c === "_") segs[segs.length - 1]!.push(-1);
    else for (const b of encoder.encode(c)) segs[segs.length - 1]!.push(b);
  }
  const nonEmpty = segs.filter((s, i) => s.length > 0 || (i === 0 && !leading));
  return { segs: nonEmpty.map((s) => Int16Array.from(s)), leading, trailing };
}

/** Matches `seg` at byte `p`; returns the end position or -1. */
function matchAt(seg: Segment, d: Uint8Array, p: number, e: number): number {
  for (let k = 0; k < seg.length; k++) {
    const b = seg[k]!;
    if (p >= e) return -1;
    if (b === -1) {
      p++;
      while (p < e && (d[p]! & 0xc0) === 0x80) p++;
    } else if (d[p++] !== b) return -1;
  }
  return p;
}

/** Finds the leftmost match of `seg` in d[p, e); returns its end or -1. */
function findFrom(seg: Segment, d: Uint8Array, p: number, e: number): number {
  for (let i = p; i < e; i++) {
    if ((d[i]! & 0xc0) === 0x80) continue;
    const r = matchAt(seg, d, i, e);
    if (r >= 0) return r;
  }
  return seg.length === 0 ? p : -1;
}

/** The start of a match of `seg` ending exactly at `e` (at or after `lo`), or -1. */
function matchEnding(seg: Segment, d: Uint8Array, lo: number, e: number): number {
  // Try each character start from the right; a segment has a fixed number of characters.
  for (let i = e; i >= lo; i--) {
    if (i < e && (d[i]! & 0xc0) === 0x80) continue;
    const r = matchAt(seg, d, i, e);
    if (r === e) return i;
    if (r >= 0 && r > e) break;
  }
  return -1;
}

/** Compiles a LIKE pattern with the given escape character into a byte matcher. */
export function compileLike(pattern: string, esc = "\\"): LikeMatcher {
  const { segs, leading, trailing } = segments(pattern, esc);
  const simple = segs.every((s) => !s.includes(-1));
  if (simple && segs.length <= 1) {
    const lit = new Uint8Array(segs[0] ?? []);
    const len = lit.length;
    if (len === 0) return leading || trailing ? () => true : (_d, s, e) => s === e;
    if (!leading && !trailing) {
      return (d, s, e) => {
        if (e - s !== len) return false;
        for (let k = 0; k < len; k++) if (d[s + k] !== lit[k]) return false;
        return true;
      };
    }
    if (!leading) return (d, s, e) => e - s >= len && matchAt(segs[0]!, d, s, e) >= 0;
    if (!trailing) return (d, s, e) => e - s >= len && matchAt(segs[0]!, d, e - len, e) === e;
    return (d, s, e) => indexOfBytes(d, s, e, lit, 0, len) >= 0;
  }
  return (d, s, e) => {
    let p = s;
    let first = 0;
    let last = segs.length;
    if (!leading) {
      p = matchAt(segs[0]!, d, s, e);
      if (p < 0) return false;
      first = 1;
      if (segs.length === 1) return trailing || p === e;
    }
    let end = e;
    if (!trailing && last > first) {
      end = matchEnding(segs[last - 1]!, d, p, e);
      if (end < 0) return false;
      last--;
    }
    for (let k = first; k < last; k++) {
      p = findFrom(segs[k]!, d, p, end);
      if (p < 0) return false;
    }
    return true;
  };
}

function likeKernel(lit: string | undefined, esc: string): Kernel {
  const fixed = lit === undefined ? null : compileLike(lit, esc);
  const cache = new Map<string, LikeMatcher>();
  return (args, n) => {
    const [str, pat] = args as [Column, Column];
    const o = str.offsets!;
    const d = str.data!;
    const out = new Uint8Array(n);
    let valid = str.valid === null ? null : str.valid.slice(0, n);
    for (let r = 0; r < n; r++) {
      if (valid !== null && valid[r] === 0) continue;
      let m = fixed;
      if (m === null) {
        if (pat.valid !== null && pat.valid[r] === 0) {
          (valid ??= new Uint8Array(n).fill(1))[r] = 0;
          continue;
        }
        const p = getString(pat, r);
        m = cache.get(p) ?? null;
        if (m === null) {
          m = compileLike(p, esc);
          if (cache.size > 256) cache.clear();
          cache.set(p, m);
        }
      }
      out[r] = m(d, o[r]!, o[r + 1]!) ? 1 : 0;
    }
    return { type: T.boolean, length: n, valid, values: out };
  };
}

/** like(str, pattern[, escapeChar]) → boolean. */
export const likeFunctions: readonly ScalarFunction[] = [
  scalar(
    "like",
    (types, args) => {
      const argTypes = resolveArgs("like", types, ["string", "string", "string"], 2);
      const esc = args[2];
      if (
        esc !== undefined &&
        (esc.kind !== "Literal" || typeof esc.value !== "string" || [...esc.value].length !== 1)
      )
        throw new AnalysisError("like: the escape character must be a string literal of one character");
      const pat = args[1];
      if (pat?.kind === "Literal" && typeof pat.value === "string")
        compileLike(pat.value, esc?.kind === "Literal" ? String(esc.value) : "\\");
      return { argTypes, result: T.boolean };
    },
    (_t, _r, lits) =>
      likeKernel(lits[1] === undefined ? undefined : litString(lits[1])!, litString(lits[2]) ?? "\\"),
  ),
];
