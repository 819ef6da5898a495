// Spark's string → date and string → timestamp cast parsing (`stringToDate`,
// `parseTimestampString` in SparkDateTimeUtils), working straight on UTF-8 bytes. Used by
// to_date / to_timestamp without a format and by date arguments given as strings; the cast
// kernels may use it too.
import { daysFromCivil, floorDiv, isValidDate } from "./calendar.js";
import { tryZoneRules, type ZoneRules } from "./timezone.js";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** Largest |epoch second| whose µs still fit in an int64. */
export const MAX_EPOCH_SECOND = 9223372036854;

/** Spark trims whitespace and ISO control characters (bytes ≤ 0x20 and 0x7F). */
const isTrimmed = (b: number): boolean => b <= 0x20 || b === 0x7f;

/**
 * Parses `[+-]yyyy*[-[m]m[-[d]d[( |T)anything]]]` (year 4-7 digits) from data[start, end)
 * into days since the epoch; NaN when invalid.
 */
export function parseDateBytes(data: Uint8Array, start: number, end: number): number {
  let j = start;
  while (j < end && isTrimmed(data[j]!)) j++;
  while (end > j && isTrimmed(data[end - 1]!)) end--;
  if (j === end) return Number.NaN;
  let sign = 1;
  if (data[j] === 0x2d || data[j] === 0x2b) {
    sign = data[j] === 0x2d ? -1 : 1;
    j++;
  }
  let y = 1;
  let m = 1;
  let seg = 0;
  let value = 0;
  let digits = 0;
  while (j < end && seg < 3) {
    const b = data[j]!;
    if (b === 0x20 || b === 0x54) break;
    if (seg < 2 && b === 0x2d) {
      if (!dateDigitsOk(seg, digits)) return Number.NaN;
      if (seg === 0) y = value;
      else m = value;
      value = 0;
      digits = 0;
      seg++;
    } else {
      const d = b - 0x30;
      if (d < 0 || d > 9) return Number.NaN;
      value = value * 10 + d;
      digits++;
    }
    j++;
  }
  if (!dateDigitsOk(seg, digits)) return Number.NaN;
  if (seg < 2 && j < end) return Number.NaN;
  let d = 1;
  if (seg === 0) y = value;
  else if (seg === 1) m = value;
  else d = value;
  y *= sign;
  if (!isValidDate(y, m, d)) return Number.NaN;
  const days = daysFromCivil(y, m, d);
  return days < INT32_MIN || days > INT32_MAX ? Number.NaN : days;
}

function dateDigitsOk(seg: number, digits: number): boolean {
  return seg === 0 ? digits >= 4 && digits <= 7 : digits > 0 && digits <= 2;
}

function tsDigitsOk(seg: number, digits: number): boolean {
  if (seg === 6) return true;
  if (seg === 0) return digits >= 4 && digits <= 6;
  if (seg === 7) return digits <= 2;
  return digits > 0 && digits <= 2;
}

const decoder = new TextDecoder();
/** Segments: year, month, day, hour, minute, second, micros; reused across calls. */
const seg = new Float64Array(9);

/** What `parseTimestampFields` found besides the segments. */
interface ParsedTail {
  zone: ZoneRules | null;
  justTime: boolean;
}
const tail: ParsedTail = { zone: null, justTime: false };

/** Spark's `parseTimestampString` into `seg`/`tail`; false when the text is not a timestamp. */
function parseTimestampFields(data: Uint8Array, start: number, end: number): boolean {
  let j = start;
  while (j < end && isTrimmed(data[j]!)) j++;
  while (end > j && isTrimmed(data[end - 1]!)) end--;
  if (j === end) return false;
  const first = j;
  seg[0] = 1;
  seg[1] = 1;
  seg[2] = 1;
  seg[3] = seg[4] = seg[5] = seg[6] = seg[7] = seg[8] = 0;
  tail.zone = null;
  tail.justTime = false;
  let zoneStart = -1;
  let i = 0;
  let value = 0;
  let digits = 0;
  let fracDigits = 0;
  let sign = 0;
  if (data[j] === 0x2d || data[j] === 0x2b) {
    sign = data[j] === 0x2d ? -1 : 1;
    j++;
  }
  for (; j < end; j++) {
    const b = data[j]!;
    const dv = b - 0x30;
    if (dv >= 0 && dv <= 9) {
      if (i === 6) fracDigits++;
      if (i !== 6 || digits < 6) value = value * 10 + dv;
      digits++;
      continue;
    }
    if (j === first && b === 0x54) {
      tail.justTime = true;
      i += 3;
    } else if (i < 2) {
      if (b === 0x2d) {
        if (!tsDigitsOk(i, digits)) return false;
        seg[i++] = value;
        value = digits = 0;
      } else if (i === 0 && b === 0x3a && sign === 0) {
        tail.justTime = true;
        if (!tsDigitsOk(3, digits)) return false;
        seg[3] = value;
        value = digits = 0;
        i = 4;
      } else return false;
    } else if (i === 2) {
      if (b !== 0x20 && b !== 0x54) return false;
      if (!tsDigitsOk(i, digits)) return false;
      seg[i++] = value;
      value = digits = 0;
    } else if (i === 3 || i === 4) {
      if (b !== 0x3a) return false;
      if (!tsDigitsOk(i, digits)) return false;
      seg[i++] = value;
      value = digits = 0;
    } else if (i === 5 || i === 6) {
      if (!tsDigitsOk(i, digits)) return false;
      seg[i++] = value;
      value = digits = 0;
      if (!(b === 0x2e && i === 6)) {
        zoneStart = j;
        j = end - 1;
        if (i === 6) i++;
      }
    } else {
      if (!(i < 9 && (b === 0x3a || b === 0x20))) return false;
      if (!tsDigitsOk(i, digits)) return false;
      seg[i++] = value;
      value = digits = 0;
    }
  }
  if (!tsDigitsOk(i, digits)) return false;
  seg[i] = value;
  for (; fracDigits < 6; fracDigits++) seg[6] *= 10;
  if (zoneStart >= 0) {
    const z = tryZoneRules(decoder.decode(data.subarray(zoneStart, end)).trim());
    if (z === null) return false;
    tail.zone = z;
  }
  if (sign !== 0) seg[0] *= sign;
  return true;
}

/**
 * Parses a timestamp string as Spark's cast to TIMESTAMP does: a zone in the text wins,
 * otherwise the wall time is read in `zone`; a time-only string takes today's date from
 * `nowSec` in that zone. Writes epoch seconds and the µs fraction into out[0], out[1].
 */
export function parseTimestampBytes(
  data: Uint8Array,
  start: number,
  end: number,
  zone: ZoneRules,
  nowSec: number,
  out: Float64Array,
): boolean {
  if (!parseTimestampFields(data, start, end)) return false;
  const z = tail.zone ?? zone;
  let days: number;
  if (tail.justTime) {
    days = floorDiv(nowSec + z.offsetAt(nowSec), 86400);
  } else {
    if (!isValidDate(seg[0]!, seg[1]!, seg[2]!)) return false;
    days = daysFromCivil(seg[0]!, seg[1]!, seg[2]!);
  }
  if (seg[3]! > 23 || seg[4]! > 59 || seg[5]! > 59) return false;
  const local = days * 86400 + seg[3]! * 3600 + seg[4]! * 60 + seg[5]!;
  const sec = z.localToUtc(local);
  if (sec > MAX_EPOCH_SECOND || sec < -MAX_EPOCH_SECOND) return false;
  out[0] = sec;
  out[1] = seg[6]!;
  return true;
}

/**
 * Parses a timestamp string as wall-clock time (Spark's cast to TIMESTAMP_NTZ): a zone in the
 * text is ignored, a time-only string is invalid. Writes local epoch seconds and µs to `out`.
 */
export function parseTimestampNtzBytes(
  data: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
): boolean {
  if (!parseTimestampFields(data, start, end) || tail.justTime) return false;
  if (!isValidDate(seg[0]!, seg[1]!, seg[2]!)) return false;
  if (seg[3]! > 23 || seg[4]! > 59 || seg[5]! > 59) return false;
  out[0] = daysFromCivil(seg[0]!, seg[1]!, seg[2]!) * 86400 + seg[3]! * 3600 + seg[4]! * 60 + seg[5]!;
  out[1] = seg[6]!;
  return true;
}
