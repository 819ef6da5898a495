// Java regex operations on top of translated patterns: literal detection (byte-search fast
// paths), java.util.regex replacement strings (`$1`, `${name}`, `\$`) and String.split.
import { type JavaRegex, RegexError } from "../functions/regex.js";

/**
 * The literal string a pattern matches when it has no regex syntax (only plain characters and
 * escaped punctuation), else null: lets callers use byte search instead of a RegExp.
 */
export function regexLiteral(pattern: string): string | null {
  let s = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined || /[a-zA-Z0-9]/.test(n)) return null;
      s += n;
      i++;
    } else if (".$|()[]{}^?*+".includes(c)) return null;
    else s += c;
  }
  return s;
}

/** A parsed Java replacement string: literal text and group references, alternating. */
export type Replacement = readonly (string | number)[];

/**
 * Parses a java.util.regex replacement string (`$n` takes as many digits as still name a
 * group, `${name}`, backslash escapes the next character). Throws RegexError as Java would.
 */
export function parseReplacement(rep: string, regex: JavaRegex): Replacement {
  const parts: (string | number)[] = [];
  let lit = "";
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === "\\") {
      if (i + 1 >= rep.length) throw new RegexError("character to be escaped is missing");
      lit += rep[++i];
    } else if (c === "$") {
      if (i + 1 >= rep.length) throw new RegexError("Illegal group reference: group index is missing");
      let g: number;
      if (rep[i + 1] === "{") {
        const end = rep.indexOf("}", i);
        const name = end < 0 ? "" : rep.slice(i + 2, end);
        if (end < 0 || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name))
          throw new RegexError("named capturing group is missing trailing '}'");
        g = regex.groupNames.indexOf(name) + 1;
        if (g === 0) throw new RegexError(`No group with name {${name}}`);
        i = end;
      } else {
        const d = rep.charCodeAt(i + 1) - 48;
        if (d < 0 || d > 9) throw new RegexError("Illegal group reference");
        g = d;
        i++;
        while (i + 1 < rep.length) {
          const nd = rep.charCodeAt(i + 1) - 48;
          if (nd < 0 || nd > 9 || g * 10 + nd > regex.groupCount) break;
          g = g * 10 + nd;
          i++;
        }
        if (g > regex.groupCount) throw new RegexError(`No group ${g}`);
      }
      if (lit !== "") parts.push(lit);
      lit = "";
      parts.push(g);
    } else lit += c;
  }
  if (lit !== "") parts.push(lit);
  return parts;
}

/** Applies a parsed replacement to one match (groups missing from the match add nothing). */
export function expandReplacement(rep: Replacement, m: RegExpExecArray): string {
  if (rep.length === 1 && typeof rep[0] === "string") return rep[0];
  let s = "";
  for (const part of rep) s += typeof part === "string" ? part : (m[part] ?? "");
  return s;
}

/**
 * Java's String.split(regex, limit) on a JS string: limit > 0 caps the parts, otherwise all
 * parts are kept including trailing empty ones (Spark maps limit 0 to -1); a zero-width match
 * at the start never yields a leading empty part.
 */
export function javaSplit(input: string, re: RegExp, limit: number): string[] {
  const parts: string[] = [];
  let index = 0;
  const limited = limit > 0;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(input);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) re.lastIndex = start + (input.codePointAt(start)! > 0xffff ? 2 : 1);
    if (!limited || parts.length < limit - 1) {
      if (index === 0 && start === 0 && end === 0) continue;
      parts.push(input.slice(index, start));
      index = end;
    } else if (parts.length === limit - 1) {
      parts.push(input.slice(index));
      index = end;
      break;
    }
    if (start >= input.length) break;
  }
  if (index === 0) return [input];
  if (!limited || parts.length < limit) parts.push(input.slice(index));
  return parts;
}
