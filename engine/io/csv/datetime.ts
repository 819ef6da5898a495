// Dates and timestamps from bytes, the way Spark 3.5 reads them without a custom pattern.
//
// `parseTimestampLenient` follows Spark's `DateTimeUtils.stringToTimestamp`: trimmed input,
// `[+-]yyyy[yy]`, `-[m]m`, `-[d]d`, then `T` or space, `[h]h:[m]m:[s]s`, a fraction of up to
// 6 digits (more are truncated) and an optional zone (`Z`, `+01:00`, `UTC`, `Europe/Paris`,
// with or without a space before it). `parseDateLenient` follows `stringToDate`: the date part,
// optionally followed by a space or `T` and anything. Results go to `DT` (seconds and
// microseconds kept apart so that years beyond 2255 stay exact).
import { localToUtc, resolveZone, UTC, type Zone } from "./timezone.js";

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes the civil date of `days` since the epoch into `out` as [year, month, day]. */
export function civilFromDays(days: number, out: Int32Array | number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The number of days in a month of a proleptic Gregorian year. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return MONTH_DAYS[m - 1]!;
}

/**
 * The result of the last successful parse: `sec` (UTC seconds, or wall-clock seconds for
 * timestamp_ntz), `micros` (0..999999) and `days` (for dates).
 */
export const DT = { sec: 0, micros: 0, days: 0 };

/** Writes the timestamp held in `DT` (seconds + micros) as the i-th int64 of `values`/`halves`. */
export function writeDtMicros(halves: Int32Array, values: BigInt64Array, i: number): void {
  const s = DT.sec;
  if (s > -9e9 && s < 9e9) {
    const v = s * 1e6 + DT.micros;
    const lo = v % 4294967296;
    halves[2 * i] = (lo < 0 ? lo + 4294967296 : lo) | 0;
    halves[2 * i + 1] = Math.floor(v / 4294967296);
  } else {
    // Beyond ±285 years of the epoch the product leaves the exact double range.
    values[i] = BigInt(s) * 1000000n + BigInt(DT.micros);
  }
}

const isSpace = (c: number): boolean => c <= 32;
const seg = new Int32Array(7);
const SEG_DEFAULT = [1, 1, 1, 0, 0, 0, 0];

/** Spark's digit-count rules per segment: year 4-6 digits (7 with a sign), others 1-2. */
function validDigits(i: number, digits: number): boolean {
  if (i === 6) return true;
  if (i === 0) return digits >= 4 && digits <= 7;
  return digits > 0 && digits <= 2;
}

const latin1 = new TextDecoder("latin1");

/** Resolves a zone written in bytes [s, e) (`Z` and `±hh:mm` without allocating); null if invalid. */
export function zoneFromBytes(b: Uint8Array, s: number, e: number): Zone | null {
  while (s < e && isSpace(b[s]!)) s++;
  while (e > s && isSpace(b[e - 1]!)) e--;
  if (e - s === 1 && b[s] === 90 /* Z */) return UTC;
  if (e - s === 6 && (b[s] === 43 || b[s] === 45) && b[s + 3] === 58) {
    const h = (b[s + 1]! - 48) * 10 + (b[s + 2]! - 48);
    const m = (b[s + 4]! - 48) * 10 + (b[s + 5]! - 48);
    if (h >= 0 && h <= 18 && m >= 0 && m < 60 && b[s + 2]! >= 48 && b[s + 2]! <= 57) {
      const off = h * 3600 + m * 60;
      return fixedZone(b[s] === 45 ? -off : off);
    }
  }
  return resolveZone(latin1.decode(b.subarray(s, e)));
}

const fixedZones = new Map<number, Zone>();
function fixedZone(off: number): Zone {
  let z = fixedZones.get(off);
  if (!z) {
    z = { id: String(off), fixed: off };
    fixedZones.set(off, z);
  }
  return z;
}

let cacheKey = -1;
let cacheDays = 0;

/**
 * The fast path for the common machine-written form `yyyy-MM-dd HH:mm:ss` (or with `T`) at
 * b[s, s + 19): wall-clock seconds since the epoch, or NaN when the bytes are not exactly
 * that form with valid ranges (the general parser then decides). The day number of the last
 * date seen is kept, since consecutive rows mostly share it.
 */
export function canonicalLocalSeconds(b: Uint8Array, s: number): number {
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 13] !== 58 || b[s + 16] !== 58) return Number.NaN;
  const sep = b[s + 10];
  if (sep !== 32 && sep !== 84) return Number.NaN;
  const y0 = b[s]! - 48;
  const y1 = b[s + 1]! - 48;
  const y2 = b[s + 2]! - 48;
  const y3 = b[s + 3]! - 48;
  const m0 = b[s + 5]! - 48;
  const m1 = b[s + 6]! - 48;
  const d0 = b[s + 8]! - 48;
  const d1 = b[s + 9]! - 48;
  const h0 = b[s + 11]! - 48;
  const h1 = b[s + 12]! - 48;
  const i0 = b[s + 14]! - 48;
  const i1 = b[s + 15]! - 48;
  const s0 = b[s + 17]! - 48;
  const s1 = b[s + 18]! - 48;
  // Negative when any byte is not a digit: d | (9 - d) < 0 exactly when d is outside 0..9.
  const bad =
    y0 |
    (9 - y0) |
    y1 |
    (9 - y1) |
    y2 |
    (9 - y2) |
    y3 |
    (9 - y3) |
    m0 |
    (9 - m0) |
    m1 |
    (9 - m1) |
    d0 |
    (9 - d0) |
    d1 |
    (9 - d1) |
    h0 |
    (9 - h0) |
    h1 |
    (9 - h1) |
    i0 |
    (9 - i0) |
    i1 |
    (9 - i1) |
    s0 |
    (9 - s0) |
    s1 |
    (9 - s1);
  if (bad < 0) return Number.NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  const hh = h0 * 10 + h1;
  const mi = i0 * 10 + i1;
  const ss = s0 * 10 + s1;
  if (m < 1 || m > 12 || d < 1 || hh > 23 || mi > 59 || ss > 59) return Number.NaN;
  const key = (y * 16 + m) * 32 + d;
  if (key !== cacheKey) {
    if (d > daysInMonth(y, m)) return Number.NaN;
    cacheDays = daysFromCivil(y, m, d);
    cacheKey = key;
  }
  return cacheDays * 86400 + hh * 3600 + mi * 60 + ss;
}

/**
 * Parses Spark's lenient timestamp forms from bytes [s, e). A value without a zone is read in
 * `defaultZone`; with `defaultZone` null (timestamp_ntz) a value with a zone is rejected and the
 * wall-clock time is kept. On success fills `DT.sec`/`DT.micros` and returns true.
 */
export function parseTimestampLenient(
  b: Uint8Array,
  s: number,
  e: number,
  defaultZone: Zone | null,
): boolean {
  if (e - s === 19) {
    const local = canonicalLocalSeconds(b, s);
    if (!Number.isNaN(local)) {
      DT.sec = defaultZone === null ? local : localToUtc(defaultZone, local);
      DT.micros = 0;
      return true;
    }
  }
  while (s < e && isSpace(b[s]!)) s++;
  while (e > s && isSpace(b[e - 1]!)) e--;
  if (s >= e) return false;
  let sign = 1;
  if (b[s] === 45 || b[s] === 43) {
    if (b[s] === 45) sign = -1;
    s++;
  }
  for (let k = 0; k < 7; k++) seg[k] = SEG_DEFAULT[k]!;
  let i = 0;
  let val = 0;
  let digits = 0;
  let fracDigits = 0;
  let tzStart = -1;
  for (let j = s; j < e; j++) {
    const c = b[j]!;
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      if (i === 6) {
        if (fracDigits < 6) {
          val = val * 10 + d;
          fracDigits++;
        }
        digits++;
      } else {
        val = val * 10 + d;
        digits++;
        if (digits > 7) return false;
      }
      continue;
    }
    if (i < 2) {
      if (c !== 45 /* - */ || !validDigits(i, digits)) return false;
    } else if (i === 2) {
      if ((c !== 32 && c !== 84) /* ' ' T */ || !validDigits(i, digits)) return false;
    } else if (i === 3 || i === 4) {
      if (c !== 58 /* : */ || !validDigits(i, digits)) return false;
    } else if (i === 5) {
      if (!validDigits(i, digits)) return false;
      if (c !== 46 /* . */) {
        seg[5] = val;
        tzStart = j;
        i = 7;
        break;
      }
    } else {
      // i === 6: the fraction ends, a zone follows.
      tzStart = j;
      break;
    }
    seg[i++] = val;
    val = 0;
    digits = 0;
  }
  if (tzStart < 0) {
    if (!validDigits(i, digits)) return false;
    seg[i] = val;
  } else if (i === 6) {
    seg[6] = val;
  }
  if (i === 6) {
    for (let k = fracDigits; k < 6; k++) seg[6] *= 10;
  }
  const year = sign * seg[0]!;
  const month = seg[1]!;
  const day = seg[2]!;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (seg[3]! > 23 || seg[4]! > 59 || seg[5]! > 59) return false;
  const local = daysFromCivil(year, month, day) * 86400 + seg[3]! * 3600 + seg[4]! * 60 + seg[5]!;
  let zone = defaultZone;
  if (tzStart >= 0) {
    if (defaultZone === null) return false;
    const z = zoneFromBytes(b, tzStart, e);
    if (z === null) return false;
    zone = z;
  }
  DT.sec = zone === null ? local : localToUtc(zone, local);
  DT.micros = seg[6]!;
  return true;
}

/**
 * Parses Spark's lenient date forms from bytes [s, e): `[+-]yyyy[-[m]m[-[d]d]]`, optionally
 * followed by a space or `T` and anything. On success fills `DT.days` and returns true.
 */
export function parseDateLenient(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && isSpace(b[s]!)) s++;
  while (e > s && isSpace(b[e - 1]!)) e--;
  if (s >= e) return false;
  let sign = 1;
  if (b[s] === 45 || b[s] === 43) {
    if (b[s] === 45) sign = -1;
    s++;
  }
  seg[0] = 1;
  seg[1] = 1;
  seg[2] = 1;
  let i = 0;
  let val = 0;
  let digits = 0;
  let j = s;
  for (; j < e; j++) {
    const c = b[j]!;
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      val = val * 10 + d;
      if (++digits > 7) return false;
      continue;
    }
    if (i < 2 && c === 45) {
      if (!validDigits(i, digits)) return false;
      seg[i++] = val;
      val = 0;
      digits = 0;
      continue;
    }
    if (i === 2 && (c === 32 || c === 84)) break;
    return false;
  }
  if (!validDigits(i, digits)) return false;
  seg[i] = val;
  const year = sign * seg[0]!;
  const month = seg[1]!;
  const day = seg[2]!;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  DT.days = daysFromCivil(year, month, day);
  return true;
}

/** Strict `yyyy-MM-dd` (Spark's default dateFormat, used to infer dates). Fills `DT.days`. */
export function parseDateStrict(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return false;
  let y = 0;
  for (let k = 0; k < 4; k++) {
    const d = b[s + k]! - 48;
    if (d < 0 || d > 9) return false;
    y = y * 10 + d;
  }
  const m1 = b[s + 5]! - 48;
  const m2 = b[s + 6]! - 48;
  const d1 = b[s + 8]! - 48;
  const d2 = b[s + 9]! - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return false;
  DT.days = daysFromCivil(y, m, d);
  return true;
}
