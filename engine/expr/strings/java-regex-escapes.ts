// Java regex escapes and character properties in JavaScript (u-mode) syntax: the part of the
// Java → JavaScript translation (see `functions/regex.ts`) that handles everything after a
// backslash: Java-only escapes (\Q..\E, \h, \R, \A, \z, \Z, \x{..}, octal, \cX), Java's
// ASCII-only \s, POSIX and java.lang.Character classes, and multi-digit back-references.

/** The translator state an escape needs: the pattern, the position, the groups, failing. */
export interface RegexCursor {
  readonly p: string;
  i: number;
  readonly groups: readonly string[];
  fail(msg: string): never;
}

/** Java's line terminators, as a class body. */
export const LINE_TERM = "\\n\\r\\u0085\\u2028\\u2029";
const JAVA_SPACE = "\\t\\n\\x0B\\f\\r ";
const H_SPACE = " \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000";
const V_SPACE = "\\n\\x0B\\f\\r\\x85\\u2028\\u2029";

/** POSIX and java.lang.Character classes as class bodies (without brackets). */
const POSIX: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: JAVA_SPACE,
  javaLowerCase: "\\p{Lowercase}",
  javaUpperCase: "\\p{Uppercase}",
  javaWhitespace: "\\t-\\r\\x1C-\\x1F\\p{Zs}\\u2028\\u2029",
  javaMirrored: "\\p{Bidi_M}",
  javaLetter: "\\p{L}",
  javaDigit: "\\p{Nd}",
  javaLetterOrDigit: "\\p{L}\\p{Nd}",
  javaAlphabetic: "\\p{Alphabetic}",
};

/** Java's binary Unicode properties (`\\p{IsAlphabetic}`), by lower-cased name without '_'. */
const BINARY_PROPS: Record<string, string> = {
  alphabetic: "Alphabetic",
  ideographic: "Ideographic",
  letter: "L",
  lowercase: "Lowercase",
  uppercase: "Uppercase",
  titlecase: "Lt",
  punctuation: "P",
  control: "Cc",
  whitespace: "White_Space",
  digit: "Nd",
  hexdigit: "Hex_Digit",
  joincontrol: "Join_Control",
  noncharactercodepoint: "Noncharacter_Code_Point",
  assigned: "Assigned",
  emoji: "Emoji",
};

const SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);

export function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A literal code point as it may appear in a JS u-mode pattern (inside or outside a class). */
export function literalChar(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

/** A literal code point inside a JS u-mode character class. */
export function literalCharInClass(ch: string): string {
  return ch === "\\" || ch === "]" || ch === "[" || ch === "-" || ch === "^" ? `\\${ch}` : ch;
}

/** Translates the escape at `t.i` (a backslash) and advances past it. */
export function translateEscape(t: RegexCursor, inClass: boolean): string {
  const p = t.p;
  const c = p[t.i + 1];
  if (c === undefined) t.fail("Unexpected internal error: pattern ends with a backslash");
  t.i += 2;
  switch (c) {
    case "t":
    case "n":
    case "r":
    case "f":
    case "d":
    case "D":
    case "w":
    case "W":
      return `\\${c}`;
    case "b":
    case "B":
      if (inClass) t.fail("\\b inside a character class");
      return `\\${c}`;
    case "a":
      return "\\x07";
    case "e":
      return "\\x1B";
    case "s":
      return inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
    case "S":
      return inClass ? "\\S" : `[^${JAVA_SPACE}]`;
    case "h":
      return inClass ? H_SPACE : `[${H_SPACE}]`;
    case "H":
      if (inClass) t.fail("\\H inside a character class is not supported");
      return `[^${H_SPACE}]`;
    case "v":
      return inClass ? V_SPACE : `[${V_SPACE}]`;
    case "V":
      if (inClass) t.fail("\\V inside a character class is not supported");
      return `[^${V_SPACE}]`;
    case "R":
      return `(?:\\r\\n|[${V_SPACE}])`;
    case "A":
      return "(?<![\\s\\S])";
    case "z":
      return "(?![\\s\\S])";
    case "Z":
      return `(?=(?:\\r\\n|[${LINE_TERM}])?(?![\\s\\S]))`;
    case "G":
      return t.fail("\\G is not supported");
    case "c": {
      const x = p[t.i++];
      if (x === undefined) t.fail("Illegal control escape sequence");
      return hexEscape(x.charCodeAt(0) ^ 64);
    }
    case "x": {
      const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/.exec(p.slice(t.i));
      if (m === null) t.fail("Illegal hexadecimal escape sequence");
      t.i += m[0].length;
      return hexEscape(Number.parseInt(m[1] ?? m[2]!, 16));
    }
    case "u": {
      const m = /^[0-9a-fA-F]{4}/.exec(p.slice(t.i));
      if (m === null) t.fail("Illegal Unicode escape sequence");
      t.i += 4;
      return `\\u${m[0]}`;
    }
    case "0": {
      const m = /^(?:[0-3][0-7]{2}|[0-7]{1,2})/.exec(p.slice(t.i));
      if (m === null) t.fail("Illegal octal escape sequence");
      t.i += m[0].length;
      return hexEscape(Number.parseInt(m[0], 8));
    }
    case "Q": {
      const e = p.indexOf("\\E", t.i);
      const text = e < 0 ? p.slice(t.i) : p.slice(t.i, e);
      t.i = e < 0 ? p.length : e + 2;
      let s = "";
      for (const ch of text) s += inClass ? literalCharInClass(ch) : literalChar(ch);
      return s;
    }
    case "E":
      return "";
    case "p":
    case "P":
      return translateProperty(t, c === "P", inClass);
    case "k": {
      const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(p.slice(t.i));
      if (m === null) t.fail("\\k is not followed by '<' for named capturing group");
      t.i += m[0].length;
      return `\\k${m[0]}`;
    }
    default:
      break;
  }
  if (c >= "1" && c <= "9") {
    if (inClass) t.fail("back-references inside a character class");
    // Java takes more digits only while they still name an existing group.
    let n = c.charCodeAt(0) - 48;
    while (t.i < p.length && p[t.i]! >= "0" && p[t.i]! <= "9") {
      const next = n * 10 + (p.charCodeAt(t.i) - 48);
      if (next > t.groups.length) break;
      n = next;
      t.i++;
    }
    return `(?:\\${n})`;
  }
  if (/[a-zA-Z]/.test(c)) t.fail(`Illegal/unsupported escape sequence \\${c}`);
  const cp = p.codePointAt(t.i - 1)!;
  if (cp > 0xffff) t.i++;
  return inClass ? literalCharInClass(String.fromCodePoint(cp)) : literalChar(String.fromCodePoint(cp));
}

function translateProperty(t: RegexCursor, negated: boolean, inClass: boolean): string {
  const p = t.p;
  let name: string;
  if (p[t.i] === "{") {
    const end = p.indexOf("}", t.i);
    if (end < 0) t.fail("Unclosed character family");
    name = p.slice(t.i + 1, end);
    t.i = end + 1;
  } else {
    name = p[t.i++] ?? t.fail("Illegal character family");
  }
  const posix = POSIX[name.startsWith("Is") && POSIX[name.slice(2)] ? name.slice(2) : name];
  if (posix !== undefined) {
    if (!negated) return inClass ? posix : `[${posix}]`;
    if (inClass) t.fail(`\\P{${name}} inside a character class is not supported`);
    return `[^${posix}]`;
  }
  let js: string;
  if (name.startsWith("In")) return t.fail(`Unicode blocks (\\p{${name}}) are not supported`);
  const eq = name.indexOf("=");
  if (eq >= 0) {
    const key = name.slice(0, eq).toLowerCase();
    const value = name.slice(eq + 1);
    js = key === "script" || key === "sc" ? `Script=${value}` : key === "blk" || key === "block" ? "" : value;
    if (js === "") return t.fail(`Unicode blocks (\\p{${name}}) are not supported`);
  } else {
    const n = name.startsWith("Is") ? name.slice(2) : name;
    const binary = BINARY_PROPS[n.replace(/[_ ]/g, "").toLowerCase()];
    if (binary !== undefined) js = binary;
    else if (/^[A-Z][a-z&]?$/.test(n)) js = n.replace("&", "");
    else js = name.startsWith("Is") ? `Script=${n}` : n;
  }
  const text = `\\${negated ? "P" : "p"}{${js}}`;
  try {
    new RegExp(text, "u");
  } catch {
    t.fail(`Unknown character property name {${name}}`);
  }
  return text;
}
