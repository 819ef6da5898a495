// current_date, current_timestamp, current_timezone (from the query's fixed "now" and the
// session zone), epoch conversions (timestamp_seconds/millis/micros, unix_seconds/millis/
// micros, unix_date, date_from_unix_date) and from_utc_timestamp / to_utc_timestamp.
import { getString } from "../../columnar/builders.js";
import { type Column, i64Halves, nullColumn, readI64, writeI64 } from "../../columnar/column.js";
import { DataError } from "../../errors.js";
import { type DataType, T } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import { checkArity, coerceArg, litString, RowWriter, resolveArgs, scalar } from "../strings/kernel-util.js";
import { floorDiv } from "./calendar.js";
import { compactValid, DatetimeReader, timestampColumn, zonedResult } from "./inputs.js";
import { tryZoneRules, type ZoneRules, zoneRules } from "./timezone.js";

const isNullAt = (c: Column | undefined, i: number) =>
  c !== undefined && c.valid !== null && c.valid[i] === 0;

function nullary(
  name: string,
  result: DataType,
  build: (ctx: Parameters<ScalarFunction["compile"]>[3]) => Kernel,
) {
  return scalar(
    name,
    (types) => {
      checkArity(name, types, 0, 0);
      return { argTypes: [], result };
    },
    (_t, _r, _l, ctx) => build(ctx),
  );
}

/** A column of n copies of one int32 / int64 value. */
function constInt(type: DataType, v: number, n: number): Column {
  if (type.kind === "int32" || type.kind === "date")
    return { type, length: n, valid: null, values: new Int32Array(n).fill(v) };
  const values = new BigInt64Array(n);
  const h = i64Halves(values);
  for (let i = 0; i < n; i++) writeI64(h, i, v);
  return { type, length: n, valid: null, values };
}

const MAX_SAFE = 9007199254740991;

/** timestamp_seconds / millis / micros: numbers since the epoch to a timestamp. */
function fromEpoch(name: string, unitUs: number, allowDouble: boolean): ScalarFunction {
  return scalar(
    name,
    (types) => {
      checkArity(name, types, 1, 1);
      const t = types[0]!;
      const isInt = t.kind === "int32" || t.kind === "int64" || t.kind === "null";
      const target = isInt
        ? t
        : allowDouble
          ? coerceArg(name, 0, t, "double")
          : coerceArg(name, 0, t, "long");
      return { argTypes: [target], result: T.timestamp };
    },
    (types): Kernel =>
      ([c], n) => {
        const values = new BigInt64Array(n);
        const h = i64Halves(values);
        const col = c!;
        const kind = types[0]!.kind;
        const src = col.values!;
        const srcH = kind === "int64" ? i64Halves(src as BigInt64Array) : null;
        let valid = col.valid === null ? null : col.valid.slice(0, n);
        for (let i = 0; i < n; i++) {
          if (isNullAt(col, i)) continue;
          let us: number;
          if (kind === "float64") {
            const d = (src as Float64Array)[i]!;
            if (!Number.isFinite(d)) {
              (valid ??= new Uint8Array(n).fill(1))[i] = 0;
              continue;
            }
            us = Math.trunc(d * unitUs);
          } else if (srcH !== null) {
            const x = readI64(srcH, i);
            if (Math.abs(x * unitUs) > MAX_SAFE) {
              const big = (src as BigInt64Array)[i]! * BigInt(unitUs);
              if (big > 9223372036854775807n || big < -9223372036854775808n)
                throw new DataError(`${name}: long overflow`);
              values[i] = big;
              continue;
            }
            us = x * unitUs;
          } else us = (src as Int32Array)[i]! * unitUs;
          if (Math.abs(us) > MAX_SAFE) values[i] = BigInt(us);
          else writeI64(h, i, us);
        }
        return { type: T.timestamp, length: n, valid, values };
      },
  );
}

/** unix_seconds / millis / micros: a timestamp to a bigint count since the epoch (floored). */
function toEpoch(name: string, unitUs: number): ScalarFunction {
  return scalar(
    name,
    (types) => ({ argTypes: resolveArgs(name, types, ["datetime"], 1), result: T.int64 }),
    (types, _r, _l, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      return ([c], n) => {
        const { sec, us, valid } = reader.instants(c!, n);
        const values = new BigInt64Array(n);
        const h = i64Halves(values);
        for (let i = 0; i < n; i++) {
          if (!valid[i]) continue;
          const v = sec[i]! * (1e6 / unitUs) + Math.floor(us[i]! / unitUs);
          if (Math.abs(v) <= MAX_SAFE) writeI64(h, i, v);
          else values[i] = BigInt(sec[i]!) * BigInt(1e6 / unitUs) + BigInt(Math.floor(us[i]! / unitUs));
        }
        return { type: T.int64, length: n, valid: compactValid(valid, n), values };
      };
    },
  );
}

/**
 * from_utc_timestamp(ts, tz): the UTC wall clock of `ts` shown in `tz`; to_utc_timestamp: the
 * reverse. A NULL zone gives NULL; an unknown zone is an error, as in Spark.
 */
function utcShift(name: string, fromUtc: boolean): ScalarFunction {
  return scalar(
    name,
    (types) => ({
      argTypes: resolveArgs(name, types, ["datetime", "string"], 2),
      result: zonedResult(types[0]),
    }),
    (types, result, lits, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      const zoneOf = (id: string): ZoneRules => {
        const z = tryZoneRules(id);
        if (z === null) throw new DataError(`${name}: invalid time zone '${id}'`);
        return z;
      };
      const fixed = lits[1] === undefined ? null : zoneOf(litString(lits[1])!);
      let out = new Float64Array(0);
      return ([c, tz], n) => {
        const { sec, us, valid } = reader.instants(c!, n);
        if (out.length < n) out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          if (!valid[i] || isNullAt(tz, i)) {
            valid[i] = 0;
            continue;
          }
          const z = fixed ?? zoneOf(getString(tz!, i));
          const s = sec[i]!;
          out[i] = fromUtc ? s + z.offsetAt(s) : z.localToUtc(s);
        }
        return timestampColumn(out, us, valid, n, result);
      };
    },
  );
}

/** current_*, epoch conversions, unix_date, date_from_unix_date, from/to_utc_timestamp. */
export const miscFunctions: readonly ScalarFunction[] = [
  nullary("current_date", T.date, (ctx) => {
    const s = Math.floor(ctx.nowMicros / 1e6);
    const day = floorDiv(s + zoneRules(ctx.timeZone).offsetAt(s), 86400);
    return (_a, n) => constInt(T.date, day, n);
  }),
  nullary("current_timestamp", T.timestamp, (ctx) => {
    const us = Math.floor(ctx.nowMicros);
    return (_a, n) => constInt(T.timestamp, us, n);
  }),
  nullary("current_timezone", T.string, (ctx) => (_a, n) => {
    const w = new RowWriter(n);
    for (let i = 0; i < n; i++) {
      w.putString(ctx.timeZone);
      w.end();
    }
    return w.finish();
  }),
  fromEpoch("timestamp_seconds", 1e6, true),
  fromEpoch("timestamp_millis", 1e3, false),
  fromEpoch("timestamp_micros", 1, false),
  toEpoch("unix_seconds", 1e6),
  toEpoch("unix_millis", 1e3),
  toEpoch("unix_micros", 1),
  scalar(
    "unix_date",
    (types) => ({ argTypes: resolveArgs("unix_date", types, ["datetime"], 1), result: T.int32 }),
    (types, _r, _l, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      return ([c], n) => {
        const { days, valid } = reader.dayNumbers(c!, n);
        return { type: T.int32, length: n, valid: compactValid(valid, n), values: days.slice(0, n) };
      };
    },
  ),
  scalar(
    "date_from_unix_date",
    (types) => ({ argTypes: resolveArgs("date_from_unix_date", types, ["int"], 1), result: T.date }),
    (): Kernel =>
      ([c], n) =>
        c!.type.kind === "null"
          ? nullColumn(T.date, n)
          : { type: T.date, length: n, valid: c!.valid, values: (c!.values as Int32Array).slice(0, n) },
  ),
  utcShift("from_utc_timestamp", true),
  utcShift("to_utc_timestamp", false),
];
