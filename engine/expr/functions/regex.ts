// Java regular expressions (java.util.regex, what Spark's rlike / regexp_* / split use) on
// top of JavaScript RegExp. Patterns are translated once at compile time: Java-only escapes
// (\Q..\E, \h, \R, \A, \z, \Z, \x{..}, octal, POSIX \p{Alpha}), Java's ASCII-only \s, Java's
// `.` and `$` line-terminator rules, leading inline flags (?i)(?s)(?m)(?x), nested classes
// (unions), and Java's greedy multi-digit back-references. Features JavaScript cannot express
// (possessive quantifiers, atomic groups, class intersections, mid-pattern flags, \G) are
// rejected with an error rather than silently matching differently. Escapes are translated in
// `strings/java-regex-escapes.ts`; replacement strings and String.split live in
// `strings/java-regex-ops.ts`.
import {
  LINE_TERM,
  literalCharInClass,
  type RegexCursor,
  translateEscape,
} from "../strings/java-regex-escapes.js";

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

class Translator implements RegexCursor {
  i = 0;
  private out = "";
  private flags = new Set<string>();
  readonly groups: string[];

  constructor(readonly p: string) {
    this.groups = scanGroups(p);
  }

  run(): JavaRegex {
    this.leadingFlags();
    while (this.i < this.p.length) this.atom();
    const flags = [...this.flags].filter((f) => f === "i" || f === "m" || f === "s").join("");
    return { source: this.out, flags, groupCount: this.groups.length, groupNames: this.groups };
  }

  fail(msg: string): never {
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
        this.out += translateEscape(this, false);
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
      } else if (c === "\\") body += translateEscape(this, true);
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
