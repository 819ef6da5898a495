// Parses strings with a compiled Spark datetime pattern (to_timestamp, to_date, unix_timestamp
// with a format), following java.time's STRICT, case-insensitive parsing as Spark configures
// it: fixed-width fields (`MM`, `dd`, `HH`) take exactly their digits, adjacent numeric fields
// share digits (`yyyyMMdd`), fractions (`SSS`) take 1..n digits, the whole input must be used,
// missing fields default as in Spark (1970-01-01 00:00:00). Works on UTF-8 bytes.
import { daysFromCivil, isLeapYear, isValidDate } from "./calendar.js";
import { MAX_EPOCH_SECOND } from "./cast-parse.js";
import {
  AMPM_F,
  CLOCK_AMPM,
  CLOCK_HOUR,
  DAY,
  DOY,
  ERA,
  HOUR,
  HOUR_AMPM,
  type Item,
  link,
  MICRO,
  MINUTE,
  MONTH,
  NFIELDS,
  OFFSET,
  SECOND,
  Sign,
  toItem,
  YEAR,
  YOE,
} from "./parse-items.js";
import { compilePattern, hasEra } from "./pattern.js";
import { parseOffset, tryZoneRules, type ZoneRules } from "./timezone.js";

/** A compiled parser. */
export interface DateTimeParser {
  /** Parses data[start, end); on success writes epoch seconds and µs to out[0], out[1]. */
  parse(data: Uint8Array, start: number, end: number, out: Float64Array): boolean;
}

class Parser implements DateTimeParser {
  private readonly f = new Float64Array(NFIELDS);
  private zone: ZoneRules | null = null;
  private data: Uint8Array = new Uint8Array(0);
  private end = 0;

  constructor(
    private readonly items: Item[],
    private readonly session: ZoneRules,
  ) {}

  parse(data: Uint8Array, start: number, end: number, out: Float64Array): boolean {
    this.f.fill(Number.NaN);
    this.zone = null;
    this.data = data;
    this.end = end;
    const p = this.run(this.items, start);
    if (p !== end) return false;
    return this.resolve(out);
  }

  /** Was field `i` parsed? (A bound arrow: `resolve` runs per row and must not allocate.) */
  private readonly has = (i: number): boolean => !Number.isNaN(this.f[i]!);

  private set(f: number, v: number): boolean {
    const old = this.f[f]!;
    if (!Number.isNaN(old) && old !== v) return false;
    this.f[f] = v;
    return true;
  }

  /** Runs items from `pos`; returns the new position or -1. */
  private run(items: readonly Item[], pos: number): number {
    const d = this.data;
    for (const it of items) {
      if (pos < 0) return -1;
      switch (it.k) {
        case "lit": {
          const b = it.bytes;
          if (pos + b.length > this.end) return -1;
          for (let i = 0; i < b.length; i++) {
            let c = d[pos + i]!;
            if (c >= 0x41 && c <= 0x5a) c += 32;
            if (c !== b[i]) return -1;
          }
          pos += b.length;
          break;
        }
        case "num":
          pos = this.num(it, pos);
          break;
        case "reduced": {
          if (this.digits(pos, 2) < 2) return -1;
          const v = (d[pos]! - 48) * 10 + (d[pos + 1]! - 48);
          if (!this.set(it.f, 2000 + v)) return -1;
          pos += 2;
          break;
        }
        case "frac": {
          const n = this.digits(pos, it.max);
          if (n < 1) return -1;
          let us = 0;
          for (let i = 0; i < 6; i++) us = us * 10 + (i < n ? d[pos + i]! - 48 : 0);
          if (!this.set(MICRO, us)) return -1;
          pos += n;
          break;
        }
        case "text": {
          let best = -1;
          let bestLen = 0;
          for (let t = 0; t < it.names.length; t++) {
            const nm = it.names[t]!;
            if (nm.length <= bestLen || pos + nm.length > this.end) continue;
            let ok = true;
            for (let i = 0; i < nm.length && ok; i++) {
              let c = d[pos + i]!;
              if (c >= 0x41 && c <= 0x5a) c += 32;
              ok = c === nm[i];
            }
            if (ok) {
              best = t;
              bestLen = nm.length;
            }
          }
          if (best < 0 || !this.set(it.f, it.values[best]!)) return -1;
          pos += bestLen;
          break;
        }
        case "offset":
          pos = this.offset(it, pos);
          break;
        case "gmt": {
          if (
            pos + 3 > this.end ||
            (d[pos]! | 32) !== 0x67 ||
            (d[pos + 1]! | 32) !== 0x6d ||
            (d[pos + 2]! | 32) !== 0x74
          )
            return -1;
          pos += 3;
          if (pos < this.end && (d[pos] === 0x2b || d[pos] === 0x2d)) {
            let q = pos + 1;
            while (q < this.end && ((d[q]! >= 0x30 && d[q]! <= 0x39) || d[q] === 0x3a)) q++;
            const o = parseOffset(String.fromCharCode(...d.subarray(pos, q)));
            if (o === null || !this.set(OFFSET, o)) return -1;
            pos = q;
          } else if (!this.set(OFFSET, 0)) return -1;
          break;
        }
        case "zone": {
          let q = pos;
          while (q < this.end && isZoneChar(d[q]!)) q++;
          const z = q > pos ? tryZoneRules(String.fromCharCode(...d.subarray(pos, q))) : null;
          if (z === null) return -1;
          this.zone = z;
          pos = q;
          break;
        }
        case "opt": {
          const saved = this.f.slice();
          const savedZone = this.zone;
          const p = this.run(it.items, pos);
          if (p < 0) {
            this.f.set(saved);
            this.zone = savedZone;
          } else pos = p;
          break;
        }
      }
    }
    return pos;
  }

  /** Number of consecutive ASCII digits at `pos`, at most `max`. */
  private digits(pos: number, max: number): number {
    let n = 0;
    while (n < max && pos + n < this.end && this.data[pos + n]! >= 0x30 && this.data[pos + n]! <= 0x39) n++;
    return n;
  }

  private num(it: Extract<Item, { k: "num" }>, pos: number): number {
    const d = this.data;
    let neg = false;
    let plus = false;
    if (it.sign !== Sign.None && pos < this.end) {
      if (d[pos] === 0x2d) {
        neg = true;
        pos++;
      } else if (d[pos] === 0x2b) {
        if (it.sign !== Sign.ExceedsPad) return -1;
        plus = true;
        pos++;
      }
    }
    let n = this.digits(pos, it.max + it.reserve);
    if (it.reserve > 0) n = Math.max(it.min, n - it.reserve);
    n = Math.min(n, it.max);
    if (n < it.min || pos + n > this.end) return -1;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = d[pos + i]! - 48;
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    if (it.sign === Sign.ExceedsPad && !neg && (plus ? n <= it.min : n > it.min)) return -1;
    if (neg && v === 0) return -1;
    return this.set(it.f, neg ? -v : v) ? pos + n : -1;
  }

  private offset(it: Extract<Item, { k: "offset" }>, pos: number): number {
    const d = this.data;
    if (pos >= this.end) return -1;
    if (it.zeroZ && (d[pos] === 0x5a || d[pos] === 0x7a)) return this.set(OFFSET, 0) ? pos + 1 : -1;
    if (d[pos] !== 0x2b && d[pos] !== 0x2d) return -1;
    const neg = d[pos] === 0x2d;
    let q = pos + 1;
    const two = (): number => {
      if (this.digits(q, 2) < 2) return -1;
      const v = (d[q]! - 48) * 10 + (d[q + 1]! - 48);
      q += 2;
      return v;
    };
    const h = two();
    if (h < 0) return -1;
    let m = 0;
    let s = 0;
    const sep = () => {
      if (!it.colon) return true;
      if (d[q] !== 0x3a) return false;
      q++;
      return true;
    };
    const save = q;
    if (sep() && this.digits(q, 2) === 2) m = two();
    else if (it.minutes === "required") return -1;
    else q = save;
    if (it.seconds) {
      const save2 = q;
      if (sep() && this.digits(q, 2) === 2) s = two();
      else q = save2;
    }
    if (h > 18 || m > 59 || s > 59) return -1;
    const total = h * 3600 + m * 60 + s;
    return this.set(OFFSET, neg ? -total : total) ? q : -1;
  }

  private resolve(out: Float64Array): boolean {
    const f = this.f;
    const has = this.has;
    let year = 1970;
    if (has(YEAR)) year = f[YEAR]!;
    else if (has(YOE)) {
      if (f[YOE]! < 1) return false;
      year = has(ERA) && f[ERA] === 0 ? 1 - f[YOE]! : f[YOE]!;
    }
    let month: number;
    let day: number;
    if (has(DOY)) {
      const doy = f[DOY]!;
      if (doy < 1 || doy > (isLeapYear(year) ? 366 : 365)) return false;
      const days = daysFromCivil(year, 1, 1) + doy - 1;
      if (has(MONTH) || has(DAY)) {
        // Cross-check against the month/day that were also given.
        const m0 = has(MONTH) ? f[MONTH]! : 1;
        const d0 = has(DAY) ? f[DAY]! : 1;
        if (!isValidDate(year, m0, d0) || daysFromCivil(year, m0, d0) !== days) return false;
      }
      month = 0;
      day = days;
    } else {
      month = has(MONTH) ? f[MONTH]! : 1;
      day = has(DAY) ? f[DAY]! : 1;
      if (!isValidDate(year, month, day)) return false;
    }
    const days = month === 0 ? day : daysFromCivil(year, month, day);
    // Hours: resolve h/K/k/a into an hour of day, cross-checking what overlaps.
    let hour = Number.NaN;
    if (has(HOUR)) {
      if (f[HOUR]! > 23) return false;
      hour = f[HOUR]!;
    }
    if (has(CLOCK_HOUR)) {
      const k = f[CLOCK_HOUR]!;
      if (k < 1 || k > 24) return false;
      if (!Number.isNaN(hour) && hour !== k % 24) return false;
      hour = k % 24;
    }
    let hoa = Number.NaN;
    if (has(CLOCK_AMPM)) {
      const h = f[CLOCK_AMPM]!;
      if (h < 1 || h > 12) return false;
      hoa = h % 12;
    }
    if (has(HOUR_AMPM)) {
      const k = f[HOUR_AMPM]!;
      if (k > 11 || (!Number.isNaN(hoa) && hoa !== k)) return false;
      hoa = k;
    }
    if (!Number.isNaN(hoa)) {
      const h = has(AMPM_F) ? f[AMPM_F]! * 12 + hoa : hoa;
      if (!Number.isNaN(hour) && has(AMPM_F) && hour !== h) return false;
      if (Number.isNaN(hour)) hour = h;
    } else if (Number.isNaN(hour)) hour = has(AMPM_F) && f[AMPM_F] === 1 ? 12 : 0;
    else if (has(AMPM_F) && Math.floor(hour / 12) !== f[AMPM_F]) return false;
    const minute = has(MINUTE) ? f[MINUTE]! : 0;
    const second = has(SECOND) ? f[SECOND]! : 0;
    if (minute > 59 || second > 59) return false;
    const local = days * 86400 + hour * 3600 + minute * 60 + second;
    let sec: number;
    if (has(OFFSET)) sec = local - f[OFFSET]!;
    else sec = (this.zone ?? this.session).localToUtc(local);
    if (!(Math.abs(sec) <= MAX_EPOCH_SECOND)) return false;
    out[0] = sec;
    out[1] = has(MICRO) ? f[MICRO]! : 0;
    return true;
  }
}

function isZoneChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2f ||
    c === 0x5f ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x7e ||
    c === 0x3a
  );
}

/**
 * Compiles a parsing pattern; wall times without a zone in the text are read in `session`.
 * Throws PatternError (from `compilePattern`) or Error for letters that cannot parse.
 */
export function compileParser(pattern: string, session: ZoneRules): DateTimeParser {
  const items = compilePattern(pattern, true);
  const era = hasEra(items);
  return new Parser(link(items.map((p) => toItem(p, era))), session);
}
