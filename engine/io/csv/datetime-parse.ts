// Parsing bytes with a compiled Spark datetime pattern (see `datetime-pattern.ts`). The
// whole input must match; fields a pattern lacks default to 1970-01-01 00:00:00.
import { DT, daysFromCivil, daysInMonth } from "./datetime.js";
import { DAYS, type DatePattern, MONTHS, type PTok } from "./datetime-pattern.js";
import { localToUtc, resolveZone, type Zone } from "./timezone.js";

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
