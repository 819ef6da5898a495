// Spark datetime patterns (`dateFormat`, `timestampFormat`): compiled once into a token list,
// then used to parse bytes and to format values.
//
// Supported letters: y/u (year), M/L (month, also MMM/MMMM names), d, H, h (with a), k, K, m,
// s, S... (fraction: parses 1..n digits, as Spark's variable-length fraction does), E (day
// name), a, X/x/Z (offsets), VV (zone id), z (zone name), 'quoted text' and [optional] parts.
// Unsupported letters are a ConfigError that names the option and the letter.
import { ConfigError } from "../../errors.js";
import { civilFromDays, DT, daysFromCivil, daysInMonth } from "./datetime.js";
import { formatOffset, localToUtc, offsetAtUtc, resolveZone, type Zone } from "./timezone.js";

type NumField =
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

type PTok =
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

const MONTHS = [
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
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

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

// Parse state (module-level: parsing is synchronous and never re-entrant).
let pYear = 1970;
let pMonth = 1;
let pDay = 1;
let pHour = 0;
let pMinute = 0;
let pSecond = 0;
let pMicros = 0;
let pH12 = -1;
let pPm = -1;
let pZone: Zone | null = null;

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

function matchName(b: Uint8Array, pos: number, e: number, names: readonly string[], full: boolean): number {
  for (let k = 0; k < names.length; k++) {
    const name = full ? names[k]! : names[k]!.slice(0, 3);
    if (pos + name.length > e) continue;
    let ok = true;
    for (let j = 0; j < name.length && ok; j++) ok = lower(b[pos + j]!) === name.charCodeAt(j);
    if (ok) {
      lastName = k;
      return pos + name.length;
    }
  }
  return -1;
}
let lastName = 0;

function matchOffset(b: Uint8Array, pos: number, e: number): number {
  if (pos < e && b[pos] === 90 /* Z */) {
    pZone = { id: "Z", fixed: 0 };
    return pos + 1;
  }
  let j = pos;
  if (j < e && (b[j] === 43 || b[j] === 45)) j++;
  else return -1;
  while (j < e && ((b[j]! >= 48 && b[j]! <= 57) || b[j] === 58)) j++;
  const z = resolveZone(String.fromCharCode(...b.subarray(pos, j)));
  if (z === null) return -1;
  pZone = z;
  return j;
}

function matchZoneText(b: Uint8Array, pos: number, e: number): number {
  let j = pos;
  while (j < e) {
    const c = b[j]!;
    const ok =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 47 ||
      c === 95 ||
      c === 43 ||
      c === 45 ||
      c === 58;
    if (!ok) break;
    j++;
  }
  if (j === pos) return -1;
  const z = resolveZone(String.fromCharCode(...b.subarray(pos, j)));
  if (z === null) return -1;
  pZone = z;
  return j;
}

function matchSeq(toks: readonly PTok[], b: Uint8Array, pos: number, e: number): number {
  for (let k = 0; k < toks.length && pos >= 0; k++) {
    const tk = toks[k]!;
    switch (tk.t) {
      case "lit": {
        const text = tk.text;
        if (pos + text.length > e) return -1;
        for (let j = 0; j < text.length; j++) if (lower(b[pos + j]!) !== lower(text.charCodeAt(j))) return -1;
        pos += text.length;
        break;
      }
      case "num": {
        let v = 0;
        let n = 0;
        while (n < tk.max && pos + n < e) {
          const d = b[pos + n]! - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
          n++;
        }
        if (n < tk.min || n === 0) return -1;
        pos += n;
        switch (tk.field) {
          case "year":
            pYear = v;
            break;
          case "year2":
            pYear = 2000 + v;
            break;
          case "month":
            pMonth = v;
            break;
          case "day":
            pDay = v;
            break;
          case "hour":
            pHour = v;
            break;
          case "hour12":
            pH12 = v === 12 ? 0 : v > 12 ? 99 : v;
            break;
          case "hourK":
            pH12 = v > 11 ? 99 : v;
            break;
          case "hourk":
            pHour = v === 24 ? 0 : v;
            break;
          case "minute":
            pMinute = v;
            break;
          case "second":
            pSecond = v;
            break;
        }
        break;
      }
      case "frac": {
        let v = 0;
        let n = 0;
        while (n < tk.count && pos + n < e) {
          const d = b[pos + n]! - 48;
          if (d < 0 || d > 9) break;
          if (n < 6) v = v * 10 + d;
          n++;
        }
        if (n === 0) return -1;
        for (let j = Math.min(n, 6); j < 6; j++) v *= 10;
        pMicros = v;
        pos += n;
        break;
      }
      case "monthName":
        pos = matchName(b, pos, e, MONTHS, tk.full);
        if (pos >= 0) pMonth = lastName + 1;
        break;
      case "dow":
        pos = matchName(b, pos, e, DAYS, tk.full);
        break;
      case "ampm": {
        if (pos + 2 > e || lower(b[pos + 1]!) !== 109) return -1;
        const c = lower(b[pos]!);
        if (c === 97) pPm = 0;
        else if (c === 112) pPm = 1;
        else return -1;
        pos += 2;
        break;
      }
      case "offset":
        pos = matchOffset(b, pos, e);
        break;
      case "zoneId":
      case "zoneName":
        pos = matchZoneText(b, pos, e);
        break;
      case "opt": {
        const r = matchSeq(tk.toks, b, pos, e);
        if (r >= 0) pos = r;
        break;
      }
    }
  }
  return pos;
}

/**
 * Parses bytes [s, e) with a pattern; the whole input must match. `kind` "date" fills
 * `DT.days`; "timestamp" fills `DT.sec`/`DT.micros` as UTC (a value without a zone is read in
 * `defaultZone`); "ntz" keeps the wall-clock time and rejects a value with a zone.
 */
export function parseWithPattern(
  p: DatePattern,
  b: Uint8Array,
  s: number,
  e: number,
  kind: "date" | "timestamp" | "ntz",
  defaultZone: Zone,
): boolean {
  pYear = 1970;
  pMonth = 1;
  pDay = 1;
  pHour = 0;
  pMinute = 0;
  pSecond = 0;
  pMicros = 0;
  pH12 = -1;
  pPm = -1;
  pZone = null;
  if (matchSeq(p.toks, b, s, e) !== e) return false;
  if (pH12 >= 0) {
    if (pH12 > 11) return false;
    pHour = pH12 + (pPm === 1 ? 12 : 0);
  } else if (pPm === 1 && pHour < 12) {
    pHour += 12;
  }
  if (pMonth < 1 || pMonth > 12 || pDay < 1 || pDay > daysInMonth(pYear, pMonth)) return false;
  if (pHour > 23 || pMinute > 59 || pSecond > 59) return false;
  const days = daysFromCivil(pYear, pMonth, pDay);
  if (kind === "date") {
    DT.days = days;
    return true;
  }
  const local = days * 86400 + pHour * 3600 + pMinute * 60 + pSecond;
  if (kind === "ntz") {
    if (pZone !== null) return false;
    DT.sec = local;
  } else {
    DT.sec = localToUtc(pZone ?? defaultZone, local);
  }
  DT.micros = pMicros;
  return true;
}

const pad = (v: number, n: number): string => {
  const s = String(Math.abs(v));
  return (v < 0 ? "-" : "") + (s.length >= n ? s : "0".repeat(n - s.length) + s);
};
const civil = [0, 0, 0];

function formatSeq(
  toks: readonly PTok[],
  days: number,
  sod: number,
  micros: number,
  off: number,
  zone: Zone | null,
): string {
  let out = "";
  const hour = Math.floor(sod / 3600);
  for (const tk of toks) {
    switch (tk.t) {
      case "lit":
        out += tk.text;
        break;
      case "num": {
        let v = 0;
        switch (tk.field) {
          case "year":
            v = civil[0]!;
            break;
          case "year2":
            v = ((civil[0]! % 100) + 100) % 100;
            break;
          case "month":
            v = civil[1]!;
            break;
          case "day":
            v = civil[2]!;
            break;
          case "hour":
            v = hour;
            break;
          case "hour12":
            v = hour % 12 === 0 ? 12 : hour % 12;
            break;
          case "hourK":
            v = hour % 12;
            break;
          case "hourk":
            v = hour === 0 ? 24 : hour;
            break;
          case "minute":
            v = Math.floor((sod % 3600) / 60);
            break;
          case "second":
            v = sod % 60;
            break;
        }
        out += pad(v, tk.count);
        break;
      }
      case "frac": {
        const s6 = pad(micros, 6);
        out += tk.count <= 6 ? s6.slice(0, tk.count) : s6 + "0".repeat(tk.count - 6);
        break;
      }
      case "monthName": {
        const name = cap(MONTHS[civil[1]! - 1]!);
        out += tk.full ? name : name.slice(0, 3);
        break;
      }
      case "dow": {
        const name = cap(DAYS[(((days + 3) % 7) + 7) % 7]!);
        out += tk.full ? name : name.slice(0, 3);
        break;
      }
      case "ampm":
        out += hour < 12 ? "AM" : "PM";
        break;
      case "offset": {
        const zForZero = tk.letter === "X" || (tk.letter === "Z" && tk.count === 5);
        if (tk.letter === "Z" && tk.count === 4) out += off === 0 ? "GMT" : "GMT" + formatOffset(off, false);
        else if ((tk.letter === "X" || tk.letter === "x") && tk.count === 1 && off % 3600 === 0)
          out += off === 0 && zForZero ? "Z" : formatOffset(off, false, false).slice(0, 3);
        else out += formatOffset(off, zForZero, tk.count === 3 || tk.count === 5);
        break;
      }
      case "zoneId":
      case "zoneName":
        out += zone === null ? "UTC" : zone.fixed === 0 && zone.id === "Z" ? "Z" : zone.id;
        break;
      case "opt":
        out += formatSeq(tk.toks, days, sod, micros, off, zone);
        break;
    }
  }
  return out;
}

/**
 * Formats an instant (`sec` UTC seconds + `micros`) in `zone`, or a wall-clock time
 * (timestamp_ntz, `zone` null: `sec` is local seconds).
 */
export function formatTimestamp(p: DatePattern, sec: number, micros: number, zone: Zone | null): string {
  const off = zone === null ? 0 : offsetAtUtc(zone, sec);
  const local = sec + off;
  const days = Math.floor(local / 86400);
  civilFromDays(days, civil);
  return formatSeq(p.toks, days, local - days * 86400, micros, off, zone);
}

/** Formats a date (days since the epoch). */
export function formatDate(p: DatePattern, days: number): string {
  civilFromDays(days, civil);
  return formatSeq(p.toks, days, 0, 0, 0, null);
}
