// A small glob matcher for input paths (Node 20 has no fs.glob): `*`, `?`, `[abc]`, `[a-z]`,
// `[!a]`/`[^a]`, `{a,b}` (nested), `**` (any number of directories) and `\` escapes, as
// Hadoop's globStatus reads them. Wildcards never match hidden names (`_x` without `=`, `.x`).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** True when `p` contains an unescaped glob metacharacter. */
export function hasGlob(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?" || c === "[" || c === "{") return true;
  }
  return false;
}

/** Expands `{a,b}` alternatives (nested, `\`-escaped braces kept) into plain patterns. */
export function expandBraces(p: string): string[] {
  let open = -1;
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      i++;
    } else if (c === "{") {
      if (depth++ === 0) open = i;
    } else if (c === "}" && depth > 0) {
      if (--depth === 0) {
        const alts = splitTopLevel(p.slice(open + 1, i));
        const head = p.slice(0, open);
        const tail = p.slice(i + 1);
        return alts.flatMap((a) => expandBraces(head + a + tail));
      }
    }
  }
  return [p];
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** Spark's hidden-name rule: `_x` (unless it holds `=`, a partition dir), `.x`, `x._COPYING_`. */
export function isHiddenName(name: string): boolean {
  return (name.startsWith("_") && !name.includes("=")) || name.startsWith(".") || name.endsWith("._COPYING_");
}

/** One path segment of a pattern: a literal name, a compiled wildcard, or `**`. */
type Segment =
  | { kind: "literal"; name: string }
  | { kind: "wild"; re: RegExp; hiddenOk: boolean }
  | { kind: "globstar" };

/** Compiles one segment (no `/`, braces already expanded) into a regular expression. */
export function segmentRegExp(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "\\" && i + 1 < seg.length) {
      re += escapeRe(seg[++i]!);
    } else if (c === "*") {
      re += ".*";
    } else if (c === "?") {
      re += ".";
    } else if (c === "[") {
      const close = seg.indexOf("]", i + 2);
      if (close < 0) {
        re += "\\[";
        continue;
      }
      let body = seg.slice(i + 1, close);
      const negate = body[0] === "!" || body[0] === "^";
      if (negate) body = body.slice(1);
      re += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^${re}$`, "s");
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

function unescapeLiteral(seg: string): string {
  return seg.replace(/\\(.)/g, "$1");
}

function compileSegment(seg: string): Segment {
  if (seg === "**") return { kind: "globstar" };
  if (!hasGlob(seg)) return { kind: "literal", name: unescapeLiteral(seg) };
  // As in shells, a wildcard reaches hidden names only when the pattern spells their prefix.
  return { kind: "wild", re: segmentRegExp(seg), hiddenOk: seg[0] === "_" || seg[0] === "." };
}

/** The non-empty segments of an absolute path or pattern. */
const segmentsOf = (abs: string): string[] => abs.split("/").filter((x) => x !== "");

/**
 * The directory before the first wildcard segment of an absolute pattern (for a pattern
 * without wildcards, its parent directory).
 */
export function globBase(absPattern: string): string {
  const segs = segmentsOf(absPattern);
  let i = 0;
  while (i < segs.length && !hasGlob(segs[i]!)) i++;
  if (i === segs.length) i--;
  return `/${segs.slice(0, Math.max(0, i)).map(unescapeLiteral).join("/")}`;
}

/**
 * The existing paths (files or directories) that match an absolute pattern, sorted.
 * `visitDir` is called with each directory before its entries are read (readers use it to
 * recover an interrupted commit first).
 */
export function expandGlob(absPattern: string, visitDir: (dir: string) => void = () => {}): string[] {
  const found = new Set<string>();
  for (const pat of expandBraces(absPattern)) {
    const segs = segmentsOf(pat);
    let i = 0;
    while (i < segs.length && !hasGlob(segs[i]!)) i++;
    const base = `/${segs.slice(0, i).map(unescapeLiteral).join("/")}`;
    if (i === segs.length) {
      // Braces only: each alternative is a plain path.
      if (statSync(base, { throwIfNoEntry: false }) !== undefined) found.add(base);
      continue;
    }
    walk(base, segs.slice(i).map(compileSegment), 0, found, visitDir);
  }
  return [...found].sort();
}

function walk(
  dir: string,
  segs: readonly Segment[],
  k: number,
  out: Set<string>,
  visitDir: (d: string) => void,
) {
  if (k === segs.length) {
    out.add(dir);
    return;
  }
  const seg = segs[k]!;
  if (seg.kind === "literal") {
    const p = join(dir, seg.name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (k + 1 === segs.length) out.add(p);
    else if (st.isDirectory()) walk(p, segs, k + 1, out, visitDir);
    return;
  }
  const entries = listDir(dir, visitDir);
  if (seg.kind === "globstar") {
    // `**` matches zero directories here, or descends one level and stays on `**`.
    walk(dir, segs, k + 1, out, visitDir);
    for (const e of entries)
      if (e.dir && !isHiddenName(e.name)) walk(join(dir, e.name), segs, k, out, visitDir);
    return;
  }
  for (const e of entries) {
    if ((isHiddenName(e.name) && !seg.hiddenOk) || !seg.re.test(e.name)) continue;
    const p = join(dir, e.name);
    if (k + 1 === segs.length) out.add(p);
    else if (e.dir) walk(p, segs, k + 1, out, visitDir);
  }
}

interface Entry {
  readonly name: string;
  readonly dir: boolean;
}

function listDir(dir: string, visitDir: (d: string) => void): Entry[] {
  let names: string[];
  try {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st === undefined || !st.isDirectory()) return [];
    visitDir(dir);
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return names.sort().map((name) => {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    return { name, dir: st?.isDirectory() ?? false };
  });
}
