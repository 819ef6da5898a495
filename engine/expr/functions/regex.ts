// Java regular expressions (java.util.regex, what Spark's rlike / regexp_* / split use) on
// top of JavaScript RegExp. Patterns are translated once at compile time: Java-only escapes
// (\Q..\E, \h, \R, \A, \z, \Z, \x{..}, octal, POSIX \p{Alpha}), Java's ASCII-only \s, Java's
// `.` and `$` line-terminator rules, leading inline flags (?i)(?s)(?m)(?x), nested classes
// (unions), and Java's greedy multi-digit back-references. Features JavaScript cannot express
// (possessive quantifiers, atomic groups, class intersections, mid-pattern flags, \G) are
// rejected with an error rather than silently matching differently. Also: Java's replacement
// strings (`$1`, `${name}`, `\$`) and String.split semantics.

/** A Java pattern that cannot be used; the message names the problem. */
export class RegexError extends Error {}

/** A translated pattern. */
export interface JavaRegex {
  /** The JavaScript source (used with the `u` flag plus `flags`). */
  readonly source: string;
  /** Flags derived from leading inline flags: a subset of "ims". */
  readonly flags: string;
  /** Number of capturing groups. */
  readonly groupCount: number;
  /** Group names in order, for `${name}` references. */
  readonly groupNames: readonly string[];
}

const LINE_TERM = "\\n\\r\\u0085\\u2028\\u2029";
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

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A literal code point as it may appear in a JS u-mode pattern (inside or outside a class). */
function literalChar(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

/** Counts capturing groups and collects names (skipping escapes, classes and \Q..\E). */
function scanGroups(p: string): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      if (p[i + 1] === "Q") {
        const e = p.indexOf("\\E", i + 2);
        i = e < 0 ? p.length : e + 1;
      } else i++;
    } else if (c === "[") depth++;
    else if (c === "]" && depth > 0) depth--;
    else if (c === "(" && depth === 0) {
      if (p[i + 1] !== "?") names.push("");
      else if (p[i + 2] === "<" && p[i + 3] !== "=" && p[i + 3] !== "!") {
        const end = p.indexOf(">", i);
        names.push(p.slice(i + 3, end));
      }
    }
  }
  return names;
}

class Translator {
  private i = 0;
  private out = "";
  private flags = new Set<string>();
  private readonly groups: string[];

  constructor(private readonly p: string) {
    this.groups = scanGroups(p);
  }

  run(): JavaRegex {
    this.leadingFlags();
    while (this.i < this.p.length) this.atom();
    const flags = [...this.flags].filter((f) => f === "i" || f === "m" || f === "s").join("");
    return { source: this.out, flags, groupCount: this.groups.length, groupNames: this.groups };
  }

  private fail(msg: string): never {
    throw new RegexError(`${msg} in regular expression "${this.p}"`);
  }

  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([idmsuxU]+)\)/.exec(this.p.slice(this.i));
      if (m === null) return;
      for (const f of m[1]!) this.flags.add(f);
      this.i += m[0].length;
    }
  }

  private atom(): void {
    const p = this.p;
    const c = p[this.i]!;
    if (this.flags.has("x")) {
      if (/\s/.test(c)) {
        this.i++;
        return;
      }
      if (c === "#") {
        while (this.i < p.length && p[this.i] !== "\n") this.i++;
        return;
      }
    }
    switch (c) {
      case "\\":
        this.out += this.escape(false);
        return;
      case "[":
        this.out += `[${this.classBody()}]`;
        return;
      case ".":
        this.i++;
        this.out += this.flags.has("s") ? "[\\s\\S]" : `[^${LINE_TERM}]`;
        return;
      case "$":
        this.i++;
        this.out += this.flags.has("m") ? "$" : `(?=(?:\\r\\n|[${LINE_TERM}])?(?![\\s\\S]))`;
        return;
      case "(":
        this.group();
        return;
      case "}":
        this.out += "\\}";
        this.i++;
        return;
      case "*":
      case "+":
      case "?":
        this.out += c;
        this.i++;
        this.quantifierSuffix();
        return;
      case "{": {
        const m = /^\{\d+(,\d*)?\}/.exec(p.slice(this.i));
        if (m === null) this.fail(`Illegal repetition near index ${this.i}`);
        this.out += m[0];
        this.i += m[0].length;
        this.quantifierSuffix();
        return;
      }
      default:
        this.out += c === "]" ? "\\]" : c;
        this.i++;
    }
  }

  private quantifierSuffix(): void {
    if (this.p[this.i] === "+") this.fail("possessive quantifiers are not supported");
    if (this.p[this.i] === "?") {
      this.out += "?";
      this.i++;
    }
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    if (rest.startsWith("(?>")) this.fail("atomic groups (?>...) are not supported");
    const flagGroup = /^\(\?[idmsuxU-]+[):]/.exec(rest);
    if (flagGroup !== null) this.fail("inline flags are only supported at the start of the pattern");
    if (rest.startsWith("(?<") && rest[3] !== "=" && rest[3] !== "!") {
      const end = rest.indexOf(">");
      this.out += rest.slice(0, end + 1);
      this.i += end + 1;
      return;
    }
    const m = /^\((\?(:|=|!|<=|<!))?/.exec(rest)!;
    if (rest[1] === "?" && m[1] === undefined) this.fail(`Unknown group type near index ${this.i}`);
    this.out += m[0];
    this.i += m[0].length;
  }

  /** Translates `[...]` (the index is at '['); returns the JS class body. */
  private classBody(): string {
    const p = this.p;
    this.i++;
    let body = "";
    if (p[this.i] === "^") {
      body += "^";
      this.i++;
    }
    let first = true;
    while (this.i < p.length && (p[this.i] !== "]" || first)) {
      const c = p[this.i]!;
      if (c === "]") {
        body += "\\]";
        this.i++;
      } else if (c === "[") {
        if (p[this.i + 1] === "^") this.fail("negated nested character classes are not supported");
        body += this.classBody();
      } else if (c === "&" && p[this.i + 1] === "&") {
        this.fail("character class intersections (&&) are not supported");
      } else if (c === "\\") body += this.escape(true);
      else {
        body += c === "-" || c === "^" ? c : literalCharInClass(c);
        this.i++;
      }
      first = false;
    }
    if (p[this.i] !== "]") this.fail("Unclosed character class");
    this.i++;
    return body;
  }

  /** Translates an escape at the index (which is at the backslash). */
  private escape(inClass: boolean): string {
    const p = this.p;
    const c = p[this.i + 1];
    if (c === undefined) this.fail("Unexpected internal error: pattern ends with a backslash");
    this.i += 2;
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
        if (inClass) this.fail("\\b inside a character class");
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
        if (inClass) this.fail("\\H inside a character class is not supported");
        return `[^${H_SPACE}]`;
      case "v":
        return inClass ? V_SPACE : `[${V_SPACE}]`;
      case "V":
        if (inClass) this.fail("\\V inside a character class is not supported");
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
        return this.fail("\\G is not supported");
      case "c": {
        const x = p[this.i++];
        if (x === undefined) this.fail("Illegal control escape sequence");
        return hexEscape(x.charCodeAt(0) ^ 64);
      }
      case "x": {
        const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/.exec(p.slice(this.i));
        if (m === null) this.fail("Illegal hexadecimal escape sequence");
        this.i += m[0].length;
        return hexEscape(Number.parseInt(m[1] ?? m[2]!, 16));
      }
      case "u": {
        const m = /^[0-9a-fA-F]{4}/.exec(p.slice(this.i));
        if (m === null) this.fail("Illegal Unicode escape sequence");
        this.i += 4;
        return `\\u${m[0]}`;
      }
      case "0": {
        const m = /^(?:[0-3][0-7]{2}|[0-7]{1,2})/.exec(p.slice(this.i));
        if (m === null) this.fail("Illegal octal escape sequence");
        this.i += m[0].length;
        return hexEscape(Number.parseInt(m[0], 8));
      }
      case "Q": {
        const e = p.indexOf("\\E", this.i);
        const text = e < 0 ? p.slice(this.i) : p.slice(this.i, e);
        this.i = e < 0 ? p.length : e + 2;
        let s = "";
        for (const ch of text) s += inClass ? literalCharInClass(ch) : literalChar(ch);
        return s;
      }
      case "E":
        return "";
      case "p":
      case "P":
        return this.property(c === "P", inClass);
      case "k": {
        const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(p.slice(this.i));
        if (m === null) this.fail("\\k is not followed by '<' for named capturing group");
        this.i += m[0].length;
        return `\\k${m[0]}`;
      }
      default:
        break;
    }
    if (c >= "1" && c <= "9") {
      if (inClass) this.fail("back-references inside a character class");
      // Java takes more digits only while they still name an existing group.
      let n = c.charCodeAt(0) - 48;
      while (this.i < p.length && p[this.i]! >= "0" && p[this.i]! <= "9") {
        const next = n * 10 + (p.charCodeAt(this.i) - 48);
        if (next > this.groups.length) break;
        n = next;
        this.i++;
      }
      return `(?:\\${n})`;
    }
    if (/[a-zA-Z]/.test(c)) this.fail(`Illegal/unsupported escape sequence \\${c}`);
    const cp = p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    return inClass ? literalCharInClass(String.fromCodePoint(cp)) : literalChar(String.fromCodePoint(cp));
  }

  private property(negated: boolean, inClass: boolean): string {
    const p = this.p;
    let name: string;
    if (p[this.i] === "{") {
      const end = p.indexOf("}", this.i);
      if (end < 0) this.fail("Unclosed character family");
      name = p.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = p[this.i++] ?? this.fail("Illegal character family");
    }
    const posix = POSIX[name.startsWith("Is") && POSIX[name.slice(2)] ? name.slice(2) : name];
    if (posix !== undefined) {
      if (!negated) return inClass ? posix : `[${posix}]`;
      if (inClass) this.fail(`\\P{${name}} inside a character class is not supported`);
      return `[^${posix}]`;
    }
    let js: string;
    if (name.startsWith("In")) return this.fail(`Unicode blocks (\\p{${name}}) are not supported`);
    const eq = name.indexOf("=");
    if (eq >= 0) {
      const key = name.slice(0, eq).toLowerCase();
      const value = name.slice(eq + 1);
      js =
        key === "script" || key === "sc" ? `Script=${value}` : key === "blk" || key === "block" ? "" : value;
      if (js === "") return this.fail(`Unicode blocks (\\p{${name}}) are not supported`);
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
      this.fail(`Unknown character property name {${name}}`);
    }
    return text;
  }
}

function literalCharInClass(ch: string): string {
  return ch === "\\" || ch === "]" || ch === "[" || ch === "-" || ch === "^" ? `\\${ch}` : ch;
}

/** Translates a Java regular expression; throws RegexError for unsupported or invalid ones. */
export function translateJavaRegex(pattern: string): JavaRegex {
  const t = new Translator(pattern).run();
  try {
    new RegExp(t.source, `${t.flags}u`);
  } catch (e) {
    throw new RegexError(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
  return t;
}

const cache = new Map<string, JavaRegex>();

/** The cached translation of a Java pattern (throws RegexError like `translateJavaRegex`). */
export function translatedRegex(pattern: string): JavaRegex {
  let t = cache.get(pattern);
  if (t === undefined) {
    t = translateJavaRegex(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, t);
  }
  return t;
}

/** A RegExp for a Java pattern (`global` adds the g flag); translations are cached. */
export function javaRegExp(pattern: string, global: boolean): RegExp {
  const t = translatedRegex(pattern);
  return new RegExp(t.source, `${t.flags}u${global ? "g" : ""}`);
}

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
