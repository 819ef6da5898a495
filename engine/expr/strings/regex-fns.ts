// Java-regex functions: rlike (find semantics), regexp_replace (Java `$n` replacements, optional
// 1-based position), regexp_extract, regexp_extract_all, split (Java String.split rules plus
// Spark's empty-pattern case). Patterns given as literals are translated once; column patterns
// are cached per distinct value. A regex without metacharacters runs as a byte search.
import { getString, StringColumnBuilder } from "../../columnar/builders.js";
import type { Column } from "../../columnar/column.js";
import { AnalysisError, DataError } from "../../errors.js";
import { T } from "../../types/data-type.js";
import type { Expr } from "../expr.js";
import { javaRegExp, RegexError, translatedRegex, translateJavaRegex } from "../functions/regex.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import {
  expandReplacement,
  javaSplit,
  parseReplacement,
  type Replacement,
  regexLiteral,
} from "./java-regex-ops.js";
import { litNumber, litString, RowWriter, resolveArgs, rowStrings, scalar } from "./kernel-util.js";
import { indexOfBytes } from "./search.js";

const encoder = new TextEncoder();
const isNull = (c: Column | undefined, r: number): boolean =>
  c !== undefined && c.valid !== null && c.valid[r] === 0;

/** Checks a literal pattern argument at analysis time (Spark fails the query on a bad pattern). */
function checkLiteralGroup(fn: string, args: readonly Expr[]): void {
  const p = args[1];
  const idx = args.length > 2 ? args[2] : { kind: "Literal" as const, value: 1 };
  if (p?.kind !== "Literal" || typeof p.value !== "string" || idx?.kind !== "Literal") return;
  if (typeof idx.value !== "number" && typeof idx.value !== "bigint") return;
  try {
    checkGroup(fn, p.value, Number(idx.value));
  } catch (err) {
    throw new AnalysisError((err as Error).message);
  }
}

function checkLiteralRegex(fn: string, e: Expr | undefined): void {
  if (e?.kind !== "Literal" || typeof e.value !== "string") return;
  try {
    translateJavaRegex(e.value);
  } catch (err) {
    throw new AnalysisError(`${fn}: ${(err as Error).message}`);
  }
}

/** A RegExp for a pattern given as a literal or per row, with a small cache. */
function regexSource(lit: string | undefined, global: boolean) {
  const fixed = lit === undefined ? null : javaRegExp(lit, global);
  const cache = new Map<string, RegExp>();
  return (col: Column | undefined, r: number): RegExp => {
    if (fixed !== null) return fixed;
    const p = getString(col!, r);
    let re = cache.get(p);
    if (re === undefined) {
      try {
        re = javaRegExp(p, global);
      } catch (err) {
        throw new DataError((err as Error).message);
      }
      if (cache.size > 256) cache.clear();
      cache.set(p, re);
    }
    return re;
  };
}

function rlikeKernel(lit: string | undefined): Kernel {
  const plain = lit === undefined ? null : regexLiteral(lit);
  const bytes = plain === null ? null : encoder.encode(plain);
  const source = regexSource(lit, false);
  return (args, n) => {
    const [str, pat] = args as [Column, Column];
    const o = str.offsets!;
    const text = bytes === null ? rowStrings(str) : null;
    const out = new Uint8Array(n);
    let valid: Uint8Array | null = null;
    for (let r = 0; r < n; r++) {
      if (isNull(str, r) || (lit === undefined && isNull(pat, r))) {
        (valid ??= new Uint8Array(n).fill(1))[r] = 0;
        continue;
      }
      if (bytes !== null)
        out[r] = indexOfBytes(str.data!, o[r]!, o[r + 1]!, bytes, 0, bytes.length) >= 0 ? 1 : 0;
      else out[r] = source(pat, r).test(text!(r)) ? 1 : 0;
    }
    return { type: T.boolean, length: n, valid, values: out };
  };
}

/**
 * A Java replacement as a JavaScript replacement string: `$` doubled in literal text, group n
 * as two-digit `$nn` (so a following literal digit is not read as part of it), group 0 as `$&`.
 * Null when a group number is beyond 99 (then `expandReplacement` is used).
 */
function jsReplacement(rep: Replacement): string | null {
  let s = "";
  for (const part of rep) {
    if (typeof part === "string") s += part.replaceAll("$", "$$$$");
    else if (part === 0) s += "$&";
    else if (part > 99) return null;
    else s += part < 10 ? `$0${part}` : `$${part}`;
  }
  return s;
}

/**
 * Java's Matcher.replaceAll over the region starting at UTF-16 `position` (text before it is
 * kept; as with Java's default opaque bounds, the pattern cannot see before the region).
 */
function replaceFrom(src: string, re: RegExp, rep: Replacement, js: string | null, position: number): string {
  if (position !== 0 && position >= src.length) return src;
  const region = position === 0 ? src : src.slice(position);
  const replaced =
    js !== null
      ? region.replace(re, js)
      : region.replace(re, (...a: unknown[]) => {
          const groups = typeof a[a.length - 1] === "object" ? 3 : 2;
          return expandReplacement(rep, a.slice(0, a.length - groups) as unknown as RegExpExecArray);
        });
  return position === 0 ? replaced : src.slice(0, position) + replaced;
}

function replaceKernel(
  litRegex: string | undefined,
  litRep: string | undefined,
  litPos: number | undefined,
): Kernel {
  const source = regexSource(litRegex, true);
  const reps = new Map<string, { rep: Replacement; js: string | null }>();
  const replacement = (pattern: string, rep: string) => {
    const key = `${pattern}\u0000${rep}`;
    let r = reps.get(key);
    if (r === undefined) {
      try {
        const parsed = parseReplacement(rep, translatedRegex(pattern));
        r = { rep: parsed, js: jsReplacement(parsed) };
      } catch (err) {
        throw new DataError(`regexp_replace: ${(err as Error).message}`);
      }
      if (reps.size > 256) reps.clear();
      reps.set(key, r);
    }
    return r;
  };
  return (args, n) => {
    const [str, pat, rep, posCol] = args as [Column, Column, Column, Column | undefined];
    const w = new RowWriter(n, str.offsets![n]! + 16);
    const text = rowStrings(str);
    for (let r = 0; r < n; r++) {
      if (isNull(str, r) || isNull(pat, r) || isNull(rep, r) || isNull(posCol, r)) {
        w.endNull();
        continue;
      }
      const pattern = litRegex ?? getString(pat, r);
      const re = source(pat, r);
      const rp = replacement(pattern, litRep ?? getString(rep, r));
      const pos = litPos ?? (posCol === undefined ? 1 : (posCol.values as Int32Array)[r]!);
      if (pos < 1) throw new DataError(`regexp_replace: the position must be positive, got ${pos}`);
      w.putString(replaceFrom(text(r), re, rp.rep, rp.js, pos - 1));
      w.end();
    }
    return w.finish();
  };
}

/** Spark's group index checks for regexp_extract(_all). */
function checkGroup(fn: string, pattern: string, idx: number): void {
  const count = translatedRegex(pattern).groupCount;
  if (idx < 0) throw new DataError(`${fn}: the specified group index cannot be less than zero`);
  if (idx > count)
    throw new DataError(`${fn}: Regex group count is ${count}, but the specified group index is ${idx}`);
}

function extractKernel(all: boolean, litRegex: string | undefined, litIdx: number | undefined): Kernel {
  const fn = all ? "regexp_extract_all" : "regexp_extract";
  const source = regexSource(litRegex, all);
  return (args, n) => {
    const [str, pat, idxCol] = args as [Column, Column, Column | undefined];
    const w = all ? null : new RowWriter(n, str.offsets![n]! + 16);
    const lb = all ? new StringColumnBuilder(n, str.offsets![n]! + 16) : null;
    const offsets = all ? new Int32Array(n + 1) : null;
    const text = rowStrings(str);
    let valid: Uint8Array | null = null;
    for (let r = 0; r < n; r++) {
      if (isNull(str, r) || isNull(pat, r) || isNull(idxCol, r)) {
        if (w !== null) w.endNull();
        else {
          (valid ??= new Uint8Array(n).fill(1))[r] = 0;
          offsets![r + 1] = lb!.length;
        }
        continue;
      }
      const re = source(pat, r);
      const idx = litIdx ?? (idxCol === undefined ? 1 : (idxCol.values as Int32Array)[r]!);
      checkGroup(fn, litRegex ?? getString(pat, r), idx);
      const s = text(r);
      if (w !== null) {
        const m = re.exec(s);
        if (m !== null) w.putString(m[idx] ?? "");
        w.end();
      } else {
        re.lastIndex = 0;
        for (;;) {
          const m = re.exec(s);
          if (m === null) break;
          lb!.appendString(m[idx] ?? "");
          if (m[0].length === 0) {
            if (m.index >= s.length) break;
            re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
          }
        }
        offsets![r + 1] = lb!.length;
      }
    }
    if (w !== null) return w.finish();
    return { type: T.list(T.string), length: n, valid, offsets: offsets!, child: lb!.finish() };
  };
}

/** Splits d[s, e) on a literal byte delimiter with Java's limit rules. */
function splitLiteral(
  b: StringColumnBuilder,
  d: Uint8Array,
  s: number,
  e: number,
  delim: Uint8Array,
  limit: number,
): void {
  let p = s;
  let parts = 0;
  while (limit <= 0 || parts < limit - 1) {
    const at = indexOfBytes(d, p, e, delim, 0, delim.length);
    if (at < 0) break;
    b.appendBytes(d, p, at);
    parts++;
    p = at + delim.length;
  }
  b.appendBytes(d, p, e);
}

/** Spark's split on an empty pattern: one part per character, the last holding the rest. */
function splitChars(b: StringColumnBuilder, d: Uint8Array, s: number, e: number, limit: number): void {
  if (s === e) {
    b.appendBytes(d, s, e);
    return;
  }
  let chars = 0;
  for (let i = s; i < e; i++) if ((d[i]! & 0xc0) !== 0x80) chars++;
  const parts = limit > chars || limit <= 0 ? chars : limit;
  let p = s;
  for (let k = 0; k < parts - 1; k++) {
    let q = p + 1;
    while (q < e && (d[q]! & 0xc0) === 0x80) q++;
    b.appendBytes(d, p, q);
    p = q;
  }
  b.appendBytes(d, p, e);
}

function splitKernel(litRegex: string | undefined, litLimit: number | undefined): Kernel {
  const plain = litRegex === undefined ? null : regexLiteral(litRegex);
  const delim = plain === null ? null : encoder.encode(plain);
  const source = regexSource(litRegex, true);
  return (args, n) => {
    const [str, pat, limCol] = args as [Column, Column, Column | undefined];
    const o = str.offsets!;
    const d = str.data!;
    const b = new StringColumnBuilder(n * 2, o[n]! + 16);
    const offsets = new Int32Array(n + 1);
    const text = delim === null ? rowStrings(str) : (r: number) => getString(str, r);
    let valid: Uint8Array | null = null;
    for (let r = 0; r < n; r++) {
      if (isNull(str, r) || isNull(pat, r) || isNull(limCol, r)) {
        (valid ??= new Uint8Array(n).fill(1))[r] = 0;
        offsets[r + 1] = b.length;
        continue;
      }
      const lim = litLimit ?? (limCol === undefined ? -1 : (limCol.values as Int32Array)[r]!);
      const limit = lim === 0 ? -1 : lim;
      const s = o[r]!;
      const e = o[r + 1]!;
      if (delim !== null && delim.length > 0) splitLiteral(b, d, s, e, delim, limit);
      else if (delim !== null || (litRegex === undefined && pat.offsets![r] === pat.offsets![r + 1]))
        splitChars(b, d, s, e, limit);
      else for (const part of javaSplit(text(r), source(pat, r), limit)) b.appendString(part);
      offsets[r + 1] = b.length;
    }
    return { type: T.list(T.string), length: n, valid, offsets, child: b.finish() };
  };
}

const lit = (v: unknown): string | undefined =>
  v === undefined ? undefined : (litString(v as string) ?? undefined);
const litInt = (v: unknown): number | undefined =>
  v === undefined ? undefined : (litNumber(v as number) ?? undefined);

/** rlike, regexp_replace, regexp_extract, regexp_extract_all, split. */
export const regexFunctions: readonly ScalarFunction[] = [
  scalar(
    "rlike",
    (types, args) => {
      checkLiteralRegex("rlike", args[1]);
      return { argTypes: resolveArgs("rlike", types, ["string", "string"], 2), result: T.boolean };
    },
    (_t, _r, lits) => rlikeKernel(lit(lits[1])),
  ),
  scalar(
    "regexp_replace",
    (types, args) => {
      checkLiteralRegex("regexp_replace", args[1]);
      const p = args[1];
      const rep = args[2];
      if (
        p?.kind === "Literal" &&
        typeof p.value === "string" &&
        rep?.kind === "Literal" &&
        typeof rep.value === "string"
      ) {
        try {
          parseReplacement(rep.value, translateJavaRegex(p.value));
        } catch (err) {
          if (err instanceof RegexError) throw new AnalysisError(`regexp_replace: ${err.message}`);
          throw err;
        }
      }
      const pos = args[3];
      if (pos?.kind === "Literal" && typeof pos.value === "number" && pos.value < 1)
        throw new AnalysisError(`regexp_replace: the position must be positive, got ${pos.value}`);
      const argTypes = resolveArgs("regexp_replace", types, ["string", "string", "string", "int"], 3);
      return { argTypes, result: T.string };
    },
    (_t, _r, lits) => replaceKernel(lit(lits[1]), lit(lits[2]), litInt(lits[3])),
  ),
  scalar(
    "regexp_extract",
    (types, args) => {
      checkLiteralRegex("regexp_extract", args[1]);
      checkLiteralGroup("regexp_extract", args);
      return {
        argTypes: resolveArgs("regexp_extract", types, ["string", "string", "int"], 2),
        result: T.string,
      };
    },
    (types, _r, lits) => extractKernel(false, lit(lits[1]), types.length < 3 ? 1 : litInt(lits[2])),
  ),
  scalar(
    "regexp_extract_all",
    (types, args) => {
      checkLiteralRegex("regexp_extract_all", args[1]);
      checkLiteralGroup("regexp_extract_all", args);
      const argTypes = resolveArgs("regexp_extract_all", types, ["string", "string", "int"], 2);
      return { argTypes, result: T.list(T.string) };
    },
    (types, _r, lits) => extractKernel(true, lit(lits[1]), types.length < 3 ? 1 : litInt(lits[2])),
  ),
  scalar(
    "split",
    (types, args) => {
      checkLiteralRegex("split", args[1]);
      return {
        argTypes: resolveArgs("split", types, ["string", "string", "int"], 2),
        result: T.list(T.string),
      };
    },
    (types, _r, lits) => splitKernel(lit(lits[1]), types.length < 3 ? -1 : litInt(lits[2])),
  ),
];
