// Date and time parts: year, quarter, month, dayofmonth, dayofweek (1 = Sunday), weekday
// (0 = Monday), dayofyear, weekofyear (ISO), hour, minute, second. Date parts of a timestamp
// are taken in the session zone (an NTZ timestamp as its wall clock); strings are cast as
// Spark casts them (to date for date parts, to timestamp for time parts).
import { T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import { resolveArgs, scalar } from "../strings/kernel-util.js";
import { civilFromDays, dayOfYear, isoDayOfWeek, isoWeekOfYear, sparkDayOfWeek } from "./calendar.js";
import { compactValid, DatetimeReader } from "./inputs.js";

const ymd = new Int32Array(3);

/** A date part computed from the local day number. */
function datePart(name: string, part: (days: number) => number): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["datetime"], 1), result: T.int32 }),
    (types, _r, _l, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      return ([c], n) => {
        const { days, valid } = reader.dayNumbers(c!, n);
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) if (valid[i]) out[i] = part(days[i]!);
        return { type: T.int32, length: n, valid: compactValid(valid, n), values: out };
      };
    },
  );
}

/** A time part computed from the local second of the day. */
function timePart(name: string, part: (secOfDay: number) => number): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["datetime"], 1), result: T.int32 }),
    (types, _r, _l, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      return ([c], n) => {
        const { sec, valid } = reader.locals(c!, n);
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          if (!valid[i]) continue;
          const s = sec[i]! % 86400;
          out[i] = part(s < 0 ? s + 86400 : s);
        }
        return { type: T.int32, length: n, valid: compactValid(valid, n), values: out };
      };
    },
  );
}

/** year, quarter, month, dayofmonth, dayofweek, weekday, dayofyear, weekofyear, hour, minute, second. */
export const extractFunctions: readonly ScalarFunction[] = [
  datePart("year", (d) => {
    civilFromDays(d, ymd);
    return ymd[0]!;
  }),
  datePart("quarter", (d) => {
    civilFromDays(d, ymd);
    return ((ymd[1]! - 1) / 3 + 1) | 0;
  }),
  datePart("month", (d) => {
    civilFromDays(d, ymd);
    return ymd[1]!;
  }),
  datePart("dayofmonth", (d) => {
    civilFromDays(d, ymd);
    return ymd[2]!;
  }),
  datePart("dayofweek", sparkDayOfWeek),
  datePart("weekday", (d) => isoDayOfWeek(d) - 1),
  datePart("dayofyear", dayOfYear),
  datePart("weekofyear", isoWeekOfYear),
  timePart("hour", (s) => (s / 3600) | 0),
  timePart("minute", (s) => ((s / 60) | 0) % 60),
  timePart("second", (s) => s % 60),
];
