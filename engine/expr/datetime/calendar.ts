// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after
// Howard Hinnant's `days_from_civil` / `civil_from_days`. Pure integer math, no Date objects,
// so it is cheap enough to run per row in kernels.

/** Microseconds per second / day, as numbers. */
export const US_PER_SECOND = 1_000_000;
export const SECONDS_PER_DAY = 86_400;
export const US_PER_DAY = 86_400_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; day is not range-checked). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Splits a day number into year, month (1-12) and day (1-31), written to `out[0..2]`
 * (a caller-owned scratch array, so the hot loop allocates nothing).
 */
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

const scratch = new Int32Array(3);

/** The year of a day number. */
export function yearOfDays(days: number): number {
  civilFromDays(days, scratch);
  return scratch[0]!;
}

/** True for leap years of the proleptic Gregorian calendar. */
export function isLeapYear(y: number): boolean {
  return (y & 3) === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in month `m` (1-12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!;
}

/** True when y-m-d is a real date. */
export function isValidDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** ISO day of week: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
export function isoDayOfWeek(days: number): number {
  const r = (days + 3) % 7;
  return (r < 0 ? r + 7 : r) + 1;
}

/** Spark's dayofweek: 1 = Sunday ... 7 = Saturday. */
export function sparkDayOfWeek(days: number): number {
  const r = (days + 4) % 7;
  return (r < 0 ? r + 7 : r) + 1;
}

/** Day of the year, 1-366. */
export function dayOfYear(days: number): number {
  civilFromDays(days, scratch);
  return days - daysFromCivil(scratch[0]!, 1, 1) + 1;
}

/** ISO-8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOfYear(days: number): number {
  const thursday = days - isoDayOfWeek(days) + 4;
  civilFromDays(thursday, scratch);
  return Math.floor((thursday - daysFromCivil(scratch[0]!, 1, 1)) / 7) + 1;
}

/** Adds months the way java.time's `plusMonths` does: the day is clamped to the new month's end. */
export function addMonthsToDays(days: number, months: number): number {
  civilFromDays(days, scratch);
  const total = scratch[0]! * 12 + (scratch[1]! - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const d = Math.min(scratch[2]!, daysInMonth(y, m));
  return daysFromCivil(y, m, d);
}

/** The last day of the month that `days` falls in. */
export function lastDayOfMonth(days: number): number {
  civilFromDays(days, scratch);
  return daysFromCivil(scratch[0]!, scratch[1]!, daysInMonth(scratch[0]!, scratch[1]!));
}

/** Floor division and the matching non-negative remainder, for splitting µs and seconds. */
export function floorDiv(a: number, b: number): number {
  const r = a % b;
  return (a - (r < 0 ? r + b : r)) / b;
}

/** Non-negative remainder (`Math.floorMod`). */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}
