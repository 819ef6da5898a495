// Spark datetime patterns (`dateFormat`, `timestampFormat`): compiled once into a token list,
// which `datetime-parse.ts` uses to parse bytes and `datetime-format.ts` to format values.
//
// Supported letters: y/u (year), M/L (month, also MMM/MMMM names), d, H, h (with a), k, K, m,
// s, S... (fraction: parses 1..n digits, as Spark's variable-length fraction does), E (day
// name), a, X/x/Z (offsets), VV (zone id), z (zone name), 'quoted text' and [optional] parts.
// Unsupported letters are a ConfigError that names the option and the letter.
import { ConfigError } from "../../errors.js";

/** The numeric fields a pattern reads and writes. */
export type NumField =
  | "year"
  | "year2"
  | "month"
  | "day"
  | "hour"
  | "hour12"
  | "hourK"
  | "hourk"
  | "minute"
  | "second";

/** One compiled pattern element. */
export type PTok =
  | { readonly t: "lit"; readonly text: string }
  | { readonly t: "num"; readonly field: NumField; readonly count: number; readonly min: number; max: number }
  | { readonly t: "frac"; readonly count: number }
  | { readonly t: "monthName"; readonly full: boolean }
  | { readonly t: "dow"; readonly full: boolean }
  | { readonly t: "ampm" }
  | { readonly t: "offset"; readonly letter: string; readonly count: number }
  | { readonly t: "zoneId" }
  | { readonly t: "zoneName" }
  | { readonly t: "opt"; readonly toks: PTok[] };

/** A compiled datetime pattern. */
export interface DatePattern {
  readonly source: string;
  readonly toks: readonly PTok[];
}

/** English month names, lower case. */
export const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
/** English day names from Monday, lower case. */
export const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
/** Capitalises a name. */
export const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

function numTok(field: NumField, count: number, min: number, max: number): PTok {
  return { t: "num", field, count, min, max };
}

/** Compiles a Spark datetime pattern; `option` names the option in error messages. */
export function compilePattern(pattern: string, option: string): DatePattern {
  let i = 0;
  const bad = (msg: string): never => {
    throw new ConfigError(`option ${option}: invalid datetime pattern "${pattern}": ${msg}`);
  };
  const seq = (nested: boolean): PTok[] => {
    const out: PTok[] = [];
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (c === "]") {
        if (!nested) bad(`unbalanced "]" at position ${i}`);
        i++;
        return out;
      }
      if (c === "[") {
        i++;
        out.push({ t: "opt", toks: seq(true) });
        continue;
      }
      if (c === "'") {
        let j = i + 1;
        let text = "";
        for (;;) {
          if (j >= pattern.length) bad("unterminated quoted text");
          if (pattern[j] === "'") {
            if (pattern[j + 1] === "'") {
              text += "'";
              j += 2;
              continue;
            }
            break;
          }
          text += pattern[j];
          j++;
        }
        out.push({ t: "lit", text: j === i + 1 ? "'" : text });
        i = j + 1;
        continue;
      }
      if (!/[A-Za-z]/.test(c)) {
        out.push({ t: "lit", text: c });
        i++;
        continue;
      }
      let n = 1;
      while (pattern[i + n] === c) n++;
      i += n;
      switch (c) {
        case "y":
        case "u":
          out.push(n === 2 ? numTok("year2", 2, 2, 2) : numTok("year", n, n, 9));
          break;
        case "M":
        case "L":
          if (n >= 4) out.push({ t: "monthName", full: true });
          else if (n === 3) out.push({ t: "monthName", full: false });
          else out.push(numTok("month", n, n, 2));
          break;
        case "d":
          out.push(numTok("day", n, n, 2));
          break;
        case "H":
          out.push(numTok("hour", n, n, 2));
          break;
        case "h":
          out.push(numTok("hour12", n, n, 2));
          break;
        case "K":
          out.push(numTok("hourK", n, n, 2));
          break;
        case "k":
          out.push(numTok("hourk", n, n, 2));
          break;
        case "m":
          out.push(numTok("minute", n, n, 2));
          break;
        case "s":
          out.push(numTok("second", n, n, 2));
          break;
        case "S":
          if (n > 9) bad("too many S");
          out.push({ t: "frac", count: n });
          break;
        case "a":
          out.push({ t: "ampm" });
          break;
        case "E":
          out.push({ t: "dow", full: n >= 4 });
          break;
        case "X":
        case "x":
        case "Z":
          out.push({ t: "offset", letter: c, count: n });
          break;
        case "V":
          if (n !== 2) bad('zone id needs "VV"');
          out.push({ t: "zoneId" });
          break;
        case "z":
          out.push({ t: "zoneName" });
          break;
        default:
          bad(`unsupported pattern letter "${c}"`);
      }
    }
    if (nested) bad('unbalanced "["');
    return out;
  };
  const toks = seq(false);
  // Adjacent numbers ("yyyyMMdd") cannot be greedy: each takes exactly its width.
  for (let k = 0; k + 1 < toks.length; k++) {
    const a = toks[k]!;
    const b = toks[k + 1]!;
    if (a.t === "num" && (b.t === "num" || b.t === "frac"))
      a.max = Math.max(a.min, a.field === "year" ? 4 : 2);
  }
  return { source: pattern, toks };
}
