// Calendar arithmetic (proleptic Gregorian, as Spark 3) and Spark's parsing and printing of
// dates and timestamps on UTF-8 bytes: `stringToDate`, `parseTimestampString`, and the
// `yyyy-MM-dd` / `yyyy-MM-dd HH:mm:ss[.ffffff]` formats used by casts to string.

/** Days since 1970-01-01 of a civil date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes [year, month, day] of a day number into `out`. */
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

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in a month of a year. */
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!);

/** Is (y, m, d) a valid date? */
export const validDate = (y: number, m: number, d: number): boolean =>
  m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);

const ws = (b: number): boolean => b <= 0x20 || b === 0x7f;

/** Spark's stringToDate on bytes [s, e): days since the epoch, or NaN when invalid. */
export function parseDate(bytes: Uint8Array, s: number, e: number): number {
  let j = s;
  while (j < e && ws(bytes[j]!)) j++;
  let end = e;
  while (end > j && ws(bytes[end - 1]!)) end--;
  if (j === end) return Number.NaN;
  let sign = 1;
  if (bytes[j] === 0x2d || bytes[j] === 0x2b) {
    sign = bytes[j] === 0x2d ? -1 : 1;
    j++;
  }
  const seg = [1, 1, 1];
  let i = 0;
  let value = 0;
  let digits = 0;
  const okDigits = (segment: number, n: number): boolean =>
    segment === 0 ? n >= 4 && n <= 7 : n > 0 && n <= 2;
  while (j < end && i < 3 && !(bytes[j] === 0x20 || bytes[j] === 0x54)) {
    const b = bytes[j]!;
    if (i < 2 && b === 0x2d) {
      if (!okDigits(i, digits)) return Number.NaN;
      seg[i] = value;
      value = 0;
      digits = 0;
      i++;
    } else {
      const v = b - 0x30;
      if (v < 0 || v > 9) return Number.NaN;
      value = value * 10 + v;
      digits++;
    }
    j++;
  }
  if (!okDigits(i, digits)) return Number.NaN;
  if (i < 2 && j < end) return Number.NaN;
  seg[i] = value;
  const y = sign * seg[0]!;
  if (!validDate(y, seg[1]!, seg[2]!)) return Number.NaN;
  return daysFromCivil(y, seg[1]!, seg[2]!);
}

/** The result of `parseTimestamp`: date-time fields, an optional zone id and the time-only flag. */
export interface TimestampParts {
  /** year, month, day, hour, minute, second, microsecond */
  readonly f: Int32Array;
  zone: string | null;
  justTime: boolean;
}

/** A reusable `TimestampParts`. */
export const newTimestampParts = (): TimestampParts => ({
  f: new Int32Array(9),
  zone: null,
  justTime: false,
});

const decoder = new TextDecoder();

/**
 * Spark's parseTimestampString on bytes [s, e): fills `out` and returns true when the shape
 * is valid (field ranges are checked by `timestampPartsValid`).
 */
export function parseTimestamp(bytes: Uint8Array, s: number, e: number, out: TimestampParts): boolean {
  let j = s;
  while (j < e && ws(bytes[j]!)) j++;
  let end = e;
  while (end > j && ws(bytes[end - 1]!)) end--;
  if (j === end) return false;
  const seg = out.f;
  seg.fill(0);
  seg[0] = 1;
  seg[1] = 1;
  seg[2] = 1;
  out.zone = null;
  out.justTime = false;
  let i = 0;
  let value = 0;
  let digits = 0;
  let digitsMilli = 0;
  let yearSign = 0;
  const okDigits = (segment: number, n: number): boolean =>
    segment === 6 ||
    (segment === 0 && n >= 4 && n <= 6) ||
    (segment === 7 && n <= 2) ||
    (segment !== 0 && segment !== 6 && segment !== 7 && n > 0 && n <= 2);
  if (bytes[j] === 0x2d || bytes[j] === 0x2b) {
    yearSign = bytes[j] === 0x2d ? -1 : 1;
    j++;
  }
  while (j < end) {
    const b = bytes[j]!;
    const v = b - 0x30;
    if (v < 0 || v > 9) {
      if (j === s && b === 0x54) {
        out.justTime = true;
        i += 3;
      } else if (i < 2) {
        if (b === 0x2d) {
          if (!okDigits(i, digits)) return false;
          seg[i] = value;
          value = 0;
          digits = 0;
          i++;
        } else if (i === 0 && b === 0x3a && yearSign === 0) {
          out.justTime = true;
          if (!okDigits(3, digits)) return false;
          seg[3] = value;
          value = 0;
          digits = 0;
          i = 4;
        } else return false;
      } else if (i === 2) {
        if (b !== 0x20 && b !== 0x54) return false;
        if (!okDigits(i, digits)) return false;
        seg[i] = value;
        value = 0;
        digits = 0;
        i++;
      } else if (i === 3 || i === 4) {
        if (b !== 0x3a) return false;
        if (!okDigits(i, digits)) return false;
        seg[i] = value;
        value = 0;
        digits = 0;
        i++;
      } else if (i === 5 || i === 6) {
        if (!okDigits(i, digits)) return false;
        seg[i] = value;
        value = 0;
        digits = 0;
        i++;
        if (!(b === 0x2e && i === 6)) {
          out.zone = decoder.decode(bytes.subarray(j, end)).trim();
          j = end - 1;
        }
        if (i === 6 && b !== 0x2e) i++;
      } else {
        if (i < 9 && (b === 0x3a || b === 0x20)) {
          if (!okDigits(i, digits)) return false;
          seg[i] = value;
          value = 0;
          digits = 0;
          i++;
        } else return false;
      }
    } else {
      if (i === 6) digitsMilli++;
      if (i !== 6 || digits < 6) value = value * 10 + v;
      digits++;
    }
    j++;
  }
  if (!okDigits(i, digits)) return false;
  seg[i] = value;
  while (digitsMilli < 6) {
    seg[6] = seg[6]! * 10;
    digitsMilli++;
  }
  if (yearSign !== 0) seg[0] = seg[0]! * yearSign;
  if (out.zone !== null) {
    // Spark normalises "+8:00" to "+08:00" and "+08:0" to "+08:00" before ZoneId.of.
    out.zone = out.zone.replace(/^([+-])(\d):/, "$10$2:").replace(/([+-]\d\d):(\d)$/, "$1:0$2");
  }
  return true;
}

/** Are the parsed fields a valid date (unless time-only) and time of day? */
export function timestampPartsValid(p: TimestampParts): boolean {
  const f = p.f;
  if (f[3]! > 23 || f[4]! > 59 || f[5]! > 59) return false;
  return p.justTime || validDate(f[0]!, f[1]!, f[2]!);
}

/** Local wall-clock µs of parsed fields (with the date taken from `days` when time-only). */
export function partsToLocalMicros(p: TimestampParts, daysWhenTimeOnly: number): number {
  const f = p.f;
  const days = p.justTime ? daysWhenTimeOnly : daysFromCivil(f[0]!, f[1]!, f[2]!);
  return (days * 86400 + f[3]! * 3600 + f[4]! * 60 + f[5]!) * 1e6 + f[6]!;
}

const civil = new Int32Array(3);

function put2(buf: Uint8Array, p: number, v: number): number {
  buf[p] = 0x30 + Math.floor(v / 10);
  buf[p + 1] = 0x30 + (v % 10);
  return p + 2;
}

function putYear(buf: Uint8Array, p: number, y: number): number {
  let yy = y;
  if (y < 0) {
    buf[p++] = 0x2d;
    yy = -y;
  } else if (y > 9999) buf[p++] = 0x2b;
  const s = String(yy).padStart(4, "0");
  for (let k = 0; k < s.length; k++) buf[p++] = s.charCodeAt(k);
  return p;
}

/** Writes `yyyy-MM-dd` of a day number into `buf` at `p`; returns the end position. */
export function formatDate(days: number, buf: Uint8Array, p: number): number {
  civilFromDays(days, civil);
  let q = putYear(buf, p, civil[0]!);
  buf[q++] = 0x2d;
  q = put2(buf, q, civil[1]!);
  buf[q++] = 0x2d;
  return put2(buf, q, civil[2]!);
}

/** Writes `yyyy-MM-dd HH:mm:ss[.f…]` (fraction without trailing zeros) of local µs; returns the end. */
export function formatTimestamp(localMicros: number, buf: Uint8Array, p: number): number {
  const days = Math.floor(localMicros / 86_400_000_000);
  let rem = localMicros - days * 86_400_000_000;
  let q = formatDate(days, buf, p);
  buf[q++] = 0x20;
  const us = rem % 1_000_000;
  rem = (rem - us) / 1_000_000;
  q = put2(buf, q, Math.floor(rem / 3600));
  buf[q++] = 0x3a;
  q = put2(buf, q, Math.floor(rem / 60) % 60);
  buf[q++] = 0x3a;
  q = put2(buf, q, rem % 60);
  if (us !== 0) {
    buf[q++] = 0x2e;
    let frac = us;
    let width = 6;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    const s = String(frac).padStart(width, "0");
    for (let k = 0; k < s.length; k++) buf[q++] = s.charCodeAt(k);
  }
  return q;
}
