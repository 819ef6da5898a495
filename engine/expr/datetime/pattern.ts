// Spark 3 datetime patterns (java.time DateTimeFormatter letters, as restricted by Spark's
// DateTimeFormatterHelper): tokenizing and validation shared by the formatter and the parser.
// https://spark.apache.org/docs/3.5.0/sql-ref-datetime-pattern.html

/** One element of a compiled pattern. */
export type PatternItem =
  | { readonly kind: "literal"; readonly text: string; readonly bytes: Uint8Array }
  | { readonly kind: "field"; readonly letter: string; readonly count: number }
  | { readonly kind: "optional"; readonly items: readonly PatternItem[] };

/** An invalid pattern; the message follows Spark's wording where it has one. */
export class PatternError extends Error {}

const encoder = new TextEncoder();

/** Letters Kindling implements, with the largest count each accepts (Spark's limits). */
const MAX_COUNT: Record<string, number> = {
  G: 4,
  y: 10,
  M: 4,
  L: 4,
  Q: 4,
  q: 4,
  D: 3,
  d: 2,
  E: 4,
  a: 1,
  h: 2,
  K: 2,
  k: 2,
  H: 2,
  m: 2,
  s: 2,
  S: 9,
  V: 2,
  z: 4,
  O: 4,
  X: 5,
  x: 5,
  Z: 5,
};

/** Letters Spark rejects in parsing patterns ("Illegal pattern character"). */
const NOT_FOR_PARSING = new Set(["Y", "W", "w", "E", "e", "F", "q", "Q"]);
/** Letters Spark rejects everywhere. */
const UNSUPPORTED = new Set(["A", "c", "n", "N", "p"]);

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
}

/**
 * Compiles a Spark datetime pattern. `forParsing` applies Spark's extra parsing restrictions
 * (no day-of-week, quarter or week-based letters). Throws PatternError for invalid patterns.
 */
export function compilePattern(pattern: string, forParsing: boolean): PatternItem[] {
  const stack: PatternItem[][] = [[]];
  let i = 0;
  let lit = "";
  const flush = () => {
    if (lit !== "") {
      stack[stack.length - 1]!.push({ kind: "literal", text: lit, bytes: encoder.encode(lit) });
      lit = "";
    }
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (isLetter(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      flush();
      checkLetter(c, n, forParsing);
      stack[stack.length - 1]!.push({ kind: "field", letter: c === "L" ? "M" : c, count: n });
      i += n;
    } else if (c === "'") {
      const close = findQuoteEnd(pattern, i + 1);
      if (close < 0) throw new PatternError(`Pattern ends with an incomplete string literal: ${pattern}`);
      lit += close === i + 1 ? "'" : pattern.slice(i + 1, close).replaceAll("''", "'");
      i = close + 1;
    } else if (c === "[") {
      flush();
      stack.push([]);
      i++;
    } else if (c === "]") {
      if (stack.length === 1) throw new PatternError(`Pattern invalid as it contains ] without previous [`);
      flush();
      const items = stack.pop()!;
      stack[stack.length - 1]!.push({ kind: "optional", items });
      i++;
    } else if (c === "{" || c === "}" || c === "#") {
      throw new PatternError(`Pattern includes reserved character: '${c}'`);
    } else {
      lit += c;
      i++;
    }
  }
  flush();
  while (stack.length > 1) {
    const items = stack.pop()!;
    stack[stack.length - 1]!.push({ kind: "optional", items });
  }
  return stack[0]!;
}

/** Index of the quote closing a literal that starts at `from` ('' inside is an escaped quote). */
function findQuoteEnd(p: string, from: number): number {
  let j = from;
  while (j < p.length) {
    if (p[j] === "'") {
      if (p[j + 1] === "'" && j !== from) {
        j += 2;
        continue;
      }
      return j;
    }
    j++;
  }
  return -1;
}

function checkLetter(c: string, n: number, forParsing: boolean): void {
  if (c === "u") {
    throw new PatternError(
      "Pattern letter 'u'(Day number of week) is not supported since Spark 3.0. Please use 'e' or 'E'(day-of-week) instead.",
    );
  }
  if (UNSUPPORTED.has(c) || (forParsing && NOT_FOR_PARSING.has(c))) {
    throw new PatternError(`Illegal pattern character: ${c}`);
  }
  const max = MAX_COUNT[c];
  if (max === undefined) {
    if ("YwWeFgB".includes(c)) throw new PatternError(`Pattern letter '${c}' is not supported by Kindling`);
    throw new PatternError(`Unknown pattern letter: ${c}`);
  }
  if (n > max) throw new PatternError(`Too many pattern letters: ${c}`);
  if (c === "V" && n !== 2) throw new PatternError("Pattern letter count must be 2: V");
  if (c === "O" && n !== 1 && n !== 4) throw new PatternError("Pattern letter count must be 1 or 4: O");
}

/** True when any item (also inside optional sections) satisfies `f`. */
export function someItem(items: readonly PatternItem[], f: (it: PatternItem) => boolean): boolean {
  for (const it of items) {
    if (f(it)) return true;
    if (it.kind === "optional" && someItem(it.items, f)) return true;
  }
  return false;
}

/** Whether the pattern has an era letter (then `y` is year-of-era instead of the proleptic year). */
export function hasEra(items: readonly PatternItem[]): boolean {
  return someItem(items, (it) => it.kind === "field" && it.letter === "G");
}

/** English month and day names (Spark formats with Locale.US). */
export const MONTHS_SHORT = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];
export const MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** Index 0 = Monday (ISO order). */
export const DAYS_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const DAYS_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const AMPM = ["AM", "PM"];
export const ERAS_SHORT = ["BC", "AD"];
export const ERAS_LONG = ["Before Christ", "Anno Domini"];
export const QUARTERS_LONG = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];
