// Date arithmetic and truncation: date_add, date_sub, datediff, add_months, last_day,
// next_day, months_between, make_date, trunc (date), date_trunc (timestamp, in the session
// zone, keeping the original offset in a DST overlap as java.time's truncatedTo does).
import { getString } from "../../columnar/builders.js";
import type { Column } from "../../columnar/column.js";
import { T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import { litString, resolveArgs, scalar } from "../strings/kernel-util.js";
import {
  addMonthsToDays,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  floorDiv,
  isoDayOfWeek,
  isValidDate,
  lastDayOfMonth,
} from "./calendar.js";
import { compactValid, DatetimeReader, timestampColumn, zonedResult } from "./inputs.js";

const ymd = new Int32Array(3);
const rowNull = (c: Column | undefined, i: number) => c !== undefined && c.valid !== null && c.valid[i] === 0;

/** A date-valued function of (date-ish, int). */
function dateIntFn(name: string, f: (days: number, k: number) => number): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["datetime", "int"], 2), result: T.date }),
    (types, _r, _l, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      return ([a, b], n) => {
        const { days, valid } = reader.dayNumbers(a!, n);
        const k = b!.values as Int32Array;
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          if (!valid[i] || rowNull(b, i)) valid[i] = 0;
          else out[i] = f(days[i]!, k[i]!);
        }
        return { type: T.date, length: n, valid: compactValid(valid, n), values: out };
      };
    },
  );
}

/** A function of one date-ish argument. */
function dateFn(
  name: string,
  result: typeof T.date | typeof T.int32,
  f: (days: number) => number,
): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["datetime"], 1), result }),
    (types, _r, _l, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      return ([a], n) => {
        const { days, valid } = reader.dayNumbers(a!, n);
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) if (valid[i]) out[i] = f(days[i]!);
        return { type: result, length: n, valid: compactValid(valid, n), values: out };
      };
    },
  );
}

/** Truncation levels shared by trunc and date_trunc (Spark's `parseTruncLevel`). */
const LEVELS: Record<string, number> = {
  MICROSECOND: 0,
  MILLISECOND: 1,
  SECOND: 2,
  MINUTE: 3,
  HOUR: 4,
  DAY: 5,
  DD: 5,
  WEEK: 6,
  MON: 7,
  MONTH: 7,
  MM: 7,
  QUARTER: 8,
  YEAR: 9,
  YYYY: 9,
  YY: 9,
};

/** Truncates a day number to week (Monday), month, quarter or year start. */
function truncDays(days: number, level: number): number {
  if (level === 6) return days - isoDayOfWeek(days) + 1;
  civilFromDays(days, ymd);
  if (level === 7) return daysFromCivil(ymd[0]!, ymd[1]!, 1);
  if (level === 8) return daysFromCivil(ymd[0]!, ymd[1]! - ((ymd[1]! - 1) % 3), 1);
  return daysFromCivil(ymd[0]!, 1, 1);
}

/** A unit given as a literal or per row, resolved to a level (-1 = unknown, which gives NULL). */
function levelSource(lit: string | undefined, min: number) {
  const toLevel = (s: string) => {
    const l = LEVELS[s.trim().toUpperCase()];
    return l === undefined || l < min ? -1 : l;
  };
  const fixed = lit === undefined ? null : toLevel(lit);
  return (col: Column | undefined, i: number): number =>
    fixed !== null ? fixed : toLevel(getString(col!, i));
}

const truncFn = scalar(
  "trunc",
  (types) => ({ argTypes: resolveArgs("trunc", types, ["datetime", "string"], 2), result: T.date }),
  (types, _r, lits, ctx): Kernel => {
    const reader = new DatetimeReader(types[0]!, ctx);
    const level = levelSource(lits[1] === undefined ? undefined : litString(lits[1])!, 6);
    return ([a, u], n) => {
      const { days, valid } = reader.dayNumbers(a!, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const l = valid[i] && !rowNull(u, i) ? level(u, i) : -1;
        if (l < 0) valid[i] = 0;
        else out[i] = truncDays(days[i]!, l);
      }
      return { type: T.date, length: n, valid: compactValid(valid, n), values: out };
    };
  },
);

const dateTruncFn = scalar(
  "date_trunc",
  (types) => ({
    argTypes: resolveArgs("date_trunc", types, ["string", "datetime"], 2),
    result: zonedResult(types[1]),
  }),
  (types, result, lits, ctx): Kernel => {
    const reader = new DatetimeReader(types[1]!, ctx);
    const zone = reader.zone;
    const level = levelSource(lits[0] === undefined ? undefined : litString(lits[0])!, 0);
    const outSec = new Float64Array(0);
    let sec2 = outSec;
    let us2 = new Int32Array(0);
    return ([u, a], n) => {
      const { sec, us, valid } = reader.instants(a!, n);
      if (sec2.length < n) {
        sec2 = new Float64Array(n);
        us2 = new Int32Array(n);
      }
      for (let i = 0; i < n; i++) {
        const l = valid[i] && !rowNull(u, i) ? level(u, i) : -1;
        if (l < 0) {
          valid[i] = 0;
          continue;
        }
        const s = sec[i]!;
        us2[i] = l === 0 ? us[i]! : l === 1 ? us[i]! - (us[i]! % 1000) : 0;
        if (l <= 2) {
          sec2[i] = s;
          continue;
        }
        const off = zone.offsetAt(s);
        const local = s + off;
        if (l <= 5) {
          const unit = l === 3 ? 60 : l === 4 ? 3600 : 86400;
          const t = local - (((local % unit) + unit) % unit);
          // java.time keeps the previous offset when it is still valid for the truncated time.
          sec2[i] = zone.offsetAt(t - off) === off ? t - off : zone.localToUtc(t);
        } else sec2[i] = zone.localToUtc(truncDays(floorDiv(local, 86400), l) * 86400);
      }
      return timestampColumn(sec2, us2, valid, n, result);
    };
  },
);

/** Spark's months_between on local dates and seconds of the day. */
function monthsBetween(
  s1: number,
  d1: number,
  start1: number,
  s2: number,
  d2: number,
  start2: number,
  roundOff: boolean,
): number {
  civilFromDays(d1, ymd);
  const [y1, m1, day1] = [ymd[0]!, ymd[1]!, ymd[2]!];
  const end1 = daysInMonth(y1, m1) === day1;
  civilFromDays(d2, ymd);
  const [y2, m2, day2] = [ymd[0]!, ymd[1]!, ymd[2]!];
  const end2 = daysInMonth(y2, m2) === day2;
  const monthDiff = y1 * 12 + m1 - (y2 * 12 + m2);
  if (day1 === day2 || (end1 && end2)) return monthDiff;
  const secondsDiff = (day1 - day2) * 86400 + (s1 - start1) - (s2 - start2);
  const diff = monthDiff + secondsDiff / (31 * 86400);
  return roundOff ? Math.round(diff * 1e8) / 1e8 : diff;
}

const monthsBetweenFn = scalar(
  "months_between",
  (types) => ({
    argTypes: resolveArgs("months_between", types, ["datetime", "datetime", "boolean"], 2),
    result: T.float64,
  }),
  (types, _r, _l, ctx): Kernel => {
    const r1 = new DatetimeReader(types[0]!, ctx);
    const r2 = new DatetimeReader(types[1]!, ctx);
    const zone = r1.zone;
    return ([a, b, round], n) => {
      const v1 = r1.instants(a!, n);
      const v2 = r2.instants(b!, n);
      const out = new Float64Array(n);
      const valid = v1.valid;
      for (let i = 0; i < n; i++) {
        if (!valid[i] || !v2.valid[i] || rowNull(round, i)) {
          valid[i] = 0;
          continue;
        }
        const s1 = v1.sec[i]!;
        const s2 = v2.sec[i]!;
        const d1 = floorDiv(s1 + zone.offsetAt(s1), 86400);
        const d2 = floorDiv(s2 + zone.offsetAt(s2), 86400);
        const roundOff = round === undefined || (round.values as Uint8Array)[i] === 1;
        out[i] = monthsBetween(
          s1,
          d1,
          zone.localToUtc(d1 * 86400),
          s2,
          d2,
          zone.localToUtc(d2 * 86400),
          roundOff,
        );
      }
      return { type: T.float64, length: n, valid: compactValid(valid, n), values: out };
    };
  },
);

const DOW: Record<string, number> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 7 };
/** Spark's day-of-week names for next_day: "MO", "MON", "MONDAY" (any case). */
function dayOfWeekNumber(s: string): number {
  const u = s.trim().toUpperCase();
  const full = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
  const i = full.findIndex((f) => f === u || f.slice(0, 3) === u || f.slice(0, 2) === u);
  return i < 0 ? (DOW[u] ?? -1) : i + 1;
}

const nextDayFn = scalar(
  "next_day",
  (types) => ({ argTypes: resolveArgs("next_day", types, ["datetime", "string"], 2), result: T.date }),
  (types, _r, lits, ctx): Kernel => {
    const reader = new DatetimeReader(types[0]!, ctx);
    const fixed = lits[1] === undefined ? null : dayOfWeekNumber(litString(lits[1])!);
    return ([a, w], n) => {
      const { days, valid } = reader.dayNumbers(a!, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const t = !valid[i] || rowNull(w, i) ? -1 : (fixed ?? dayOfWeekNumber(getString(w!, i)));
        if (t < 0) valid[i] = 0;
        else {
          const d = days[i]!;
          out[i] = d + ((((t - isoDayOfWeek(d) - 1) % 7) + 7) % 7) + 1;
        }
      }
      return { type: T.date, length: n, valid: compactValid(valid, n), values: out };
    };
  },
);

const makeDateFn = scalar(
  "make_date",
  (types) => ({ argTypes: resolveArgs("make_date", types, ["int", "int", "int"], 3), result: T.date }),
  (): Kernel =>
    ([y, m, d], n) => {
      const out = new Int32Array(n);
      const valid = new Uint8Array(n);
      const yv = y!.values as Int32Array;
      const mv = m!.values as Int32Array;
      const dv = d!.values as Int32Array;
      for (let i = 0; i < n; i++) {
        if (rowNull(y, i) || rowNull(m, i) || rowNull(d, i) || !isValidDate(yv[i]!, mv[i]!, dv[i]!)) continue;
        valid[i] = 1;
        out[i] = daysFromCivil(yv[i]!, mv[i]!, dv[i]!);
      }
      return { type: T.date, length: n, valid: compactValid(valid, n), values: out };
    },
);

/** date_add, date_sub, datediff, add_months, last_day, next_day, months_between, make_date, trunc, date_trunc. */
export const arithFunctions: readonly ScalarFunction[] = [
  dateIntFn("date_add", (d, k) => (d + k) | 0),
  dateIntFn("date_sub", (d, k) => (d - k) | 0),
  scalar(
    "datediff",
    (types) => ({ argTypes: resolveArgs("datediff", types, ["datetime", "datetime"], 2), result: T.int32 }),
    (types, _r, _l, ctx): Kernel => {
      const r1 = new DatetimeReader(types[0]!, ctx);
      const r2 = new DatetimeReader(types[1]!, ctx);
      return ([a, b], n) => {
        const v1 = r1.dayNumbers(a!, n);
        const d1 = v1.days.slice(0, n);
        const valid = v1.valid;
        const v2 = r2.dayNumbers(b!, n);
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          if (!v2.valid[i]) valid[i] = 0;
          else out[i] = (d1[i]! - v2.days[i]!) | 0;
        }
        return { type: T.int32, length: n, valid: compactValid(valid, n), values: out };
      };
    },
  ),
  dateIntFn("add_months", addMonthsToDays),
  dateFn("last_day", T.date, lastDayOfMonth),
  nextDayFn,
  monthsBetweenFn,
  makeDateFn,
  truncFn,
  dateTruncFn,
];
