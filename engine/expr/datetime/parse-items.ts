// Compiles a Spark datetime pattern into parsing steps for `parse.ts`: numeric fields with
// java.time's widths and sign styles (`yyyy` EXCEEDS_PAD, `MM` fixed, `M` 1..19 digits), text
// fields (month, AM/PM, era names), variable-length fractions, offsets, zone ids and optional
// sections, plus adjacent value parsing (`yyyyMMdd`).
import { AMPM, ERAS_LONG, ERAS_SHORT, MONTHS_LONG, MONTHS_SHORT, type PatternItem } from "./pattern.js";

/** Parsed field slots (NaN = not parsed). */
export const ERA = 0;
export const YEAR = 1;
export const YOE = 2;
export const MONTH = 3;
export const DAY = 4;
export const DOY = 5;
export const HOUR = 6;
export const CLOCK_HOUR = 7;
export const CLOCK_AMPM = 8;
export const HOUR_AMPM = 9;
export const AMPM_F = 10;
export const MINUTE = 11;
export const SECOND = 12;
export const MICRO = 13;
export const OFFSET = 14;
export const NFIELDS = 15;

/** Sign handling of a numeric field: none, '-' only (NORMAL), both with pad rules (EXCEEDS_PAD). */
export const Sign = { None: 0, Normal: 1, ExceedsPad: 2 } as const;
export type Sign = (typeof Sign)[keyof typeof Sign];

/** A compiled parsing step. */
export type Item =
  | { k: "lit"; bytes: Uint8Array }
  | { k: "num"; f: number; min: number; max: number; sign: Sign; reserve: number }
  | { k: "reduced"; f: number; reserve: number }
  | { k: "frac"; max: number }
  | { k: "text"; f: number; names: readonly Uint8Array[]; values: readonly number[] }
  | { k: "offset"; colon: boolean; minutes: "required" | "optional"; seconds: boolean; zeroZ: boolean }
  | { k: "gmt" }
  | { k: "zone" }
  | { k: "opt"; items: Item[] };

const enc = new TextEncoder();
const lower = (names: readonly string[]) => names.map((n) => enc.encode(n.toLowerCase()));

function numItem(f: number, n: number, longMax = 19): Item {
  return n === 1
    ? { k: "num", f, min: 1, max: longMax, sign: Sign.Normal, reserve: 0 }
    : { k: "num", f, min: n, max: n, sign: Sign.None, reserve: 0 };
}

export function toItem(p: PatternItem, era: boolean): Item {
  if (p.kind === "literal")
    return { k: "lit", bytes: enc.encode(p.text.replace(/[A-Z]+/g, (c) => c.toLowerCase())) };
  if (p.kind === "optional") return { k: "opt", items: link(p.items.map((q) => toItem(q, era))) };
  const n = p.count;
  switch (p.letter) {
    case "G":
      return { k: "text", f: ERA, names: lower(n === 4 ? ERAS_LONG : ERAS_SHORT), values: [0, 1] };
    case "y": {
      const f = era ? YOE : YEAR;
      if (n === 2) return { k: "reduced", f, reserve: 0 };
      return { k: "num", f, min: n, max: 19, sign: n < 4 ? Sign.Normal : Sign.ExceedsPad, reserve: 0 };
    }
    case "M":
      if (n >= 3) {
        return {
          k: "text",
          f: MONTH,
          names: lower(n === 3 ? MONTHS_SHORT : MONTHS_LONG),
          values: range1(12),
        };
      }
      return numItem(MONTH, n);
    case "D":
      if (n === 2) return { k: "num", f: DOY, min: 2, max: 3, sign: Sign.None, reserve: 0 };
      return numItem(DOY, n);
    case "d":
      return numItem(DAY, n);
    case "a":
      return { k: "text", f: AMPM_F, names: lower(AMPM), values: [0, 1] };
    case "h":
      return numItem(CLOCK_AMPM, n);
    case "K":
      return numItem(HOUR_AMPM, n);
    case "k":
      return numItem(CLOCK_HOUR, n);
    case "H":
      return numItem(HOUR, n);
    case "m":
      return numItem(MINUTE, n);
    case "s":
      return numItem(SECOND, n);
    case "S":
      return { k: "frac", max: n };
    case "V":
      return { k: "zone" };
    case "O":
      return { k: "gmt" };
    case "X":
    case "x": {
      const zeroZ = p.letter === "X";
      if (n === 1) return { k: "offset", colon: false, minutes: "optional", seconds: false, zeroZ };
      if (n === 2) return { k: "offset", colon: false, minutes: "required", seconds: false, zeroZ };
      if (n === 3) return { k: "offset", colon: true, minutes: "required", seconds: false, zeroZ };
      return { k: "offset", colon: n === 5, minutes: "required", seconds: true, zeroZ };
    }
    case "Z":
      if (n <= 3) return { k: "offset", colon: false, minutes: "required", seconds: false, zeroZ: false };
      if (n === 4) return { k: "gmt" };
      return { k: "offset", colon: true, minutes: "required", seconds: true, zeroZ: true };
    default:
      // z (zone names) has no parser here.
      throw new Error(`Pattern letter '${p.letter}' cannot be used for parsing in Kindling`);
  }
}

function range1(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Adjacent value parsing: a numeric field leaves room for the fixed-width numbers right after it. */
export function link(items: Item[]): Item[] {
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.k !== "num" && it.k !== "reduced") continue;
    let reserve = 0;
    let j = i + 1;
    for (; j < items.length; j++) {
      const nx = items[j]!;
      if (nx.k === "num" && nx.min === nx.max && nx.sign === Sign.None) reserve += nx.max;
      else if (nx.k === "reduced") reserve += 2;
      else break;
    }
    it.reserve = reserve;
    i = j - 1;
  }
  return items;
}
