// Date/time functions one by one: nulls, leap years, pre-1970 values, DST in non-UTC zones,
// strings read with Spark's cast rules, invalid input giving NULL.
import { describe, expect, it } from "vitest";
import "../../engine/expr/functions/datetime.js";
import { T } from "../../engine/types/data-type.js";
import { colArg, evalFn, litArg, resolveFn } from "../expr-strings/helpers.js";

const NOW = Date.UTC(2024, 0, 15, 3, 30, 0) * 1000;
const UTC = { timeZone: "UTC", nowMicros: NOW };
const NY = { timeZone: "America/New_York", nowMicros: NOW };
const BERLIN = { timeZone: "Europe/Berlin", nowMicros: NOW };
const S = (v: (string | null)[]) => colArg(T.string, v);
const D = (v: (string | null)[]) => colArg(T.date, v);
const TS = (v: (string | null)[]) => colArg(T.timestamp, v);
const NTZ = (v: (string | null)[]) => colArg(T.timestampNtz, v);
const str = (s: string) => litArg(T.string, s);
const int = (v: number) => litArg(T.int32, v);

describe("date arithmetic", () => {
  it("date_add, date_sub, datediff across leap days and 1970", () => {
    const d = D(["2020-02-28", "2019-02-28", "1970-01-01", "1900-03-01", null]);
    expect(evalFn("date_add", [d, int(1)])).toEqual([
      "2020-02-29",
      "2019-03-01",
      "1970-01-02",
      "1900-03-02",
      null,
    ]);
    expect(evalFn("date_sub", [d, int(1)])).toEqual([
      "2020-02-27",
      "2019-02-27",
      "1969-12-31",
      "1900-02-28",
      null,
    ]);
    expect(evalFn("date_add", [d, colArg(T.int32, [null, -365, 0, 1, 1])])).toEqual([
      null,
      "2018-02-28",
      "1970-01-01",
      "1900-03-02",
      null,
    ]);
    expect(
      evalFn("datediff", [
        D(["2021-03-01", "1969-01-01", null]),
        D(["2020-03-01", "1970-01-01", "2020-01-01"]),
      ]),
    ).toEqual([365, -365, null]);
    expect(evalFn("datediff", [S(["2021-03-14 23:59:59", "bad"]), S(["2021-03-13", "2021-01-01"])])).toEqual([
      1,
      null,
    ]);
  });
  it("add_months, last_day, next_day, make_date", () => {
    const d = D(["2021-01-31", "2020-01-31", "2019-02-28", "1969-12-15", null]);
    expect(evalFn("add_months", [d, int(1)])).toEqual([
      "2021-02-28",
      "2020-02-29",
      "2019-03-28",
      "1970-01-15",
      null,
    ]);
    expect(evalFn("add_months", [d, int(-12)])).toEqual([
      "2020-01-31",
      "2019-01-31",
      "2018-02-28",
      "1968-12-15",
      null,
    ]);
    expect(evalFn("last_day", [d])).toEqual(["2021-01-31", "2020-01-31", "2019-02-28", "1969-12-31", null]);
    expect(evalFn("last_day", [D(["2020-02-10", "2100-02-10", "2000-02-01"])])).toEqual([
      "2020-02-29",
      "2100-02-28",
      "2000-02-29",
    ]);
    expect(
      evalFn("next_day", [D(["2015-01-14", "2015-01-14", "2015-01-14"]), S(["TU", "wed", "Monday"])]),
    ).toEqual(["2015-01-20", "2015-01-21", "2015-01-19"]);
    expect(evalFn("next_day", [D(["2015-01-14"]), str("xx")])).toEqual([null]);
    expect(
      evalFn("make_date", [
        colArg(T.int32, [2020, 2021, 1969, null]),
        colArg(T.int32, [2, 2, 12, 1]),
        colArg(T.int32, [29, 29, 31, 1]),
      ]),
    ).toEqual(["2020-02-29", null, "1969-12-31", null]);
  });
  it("months_between follows Spark's rules", () => {
    const a = TS([
      "1997-02-28T10:30:00Z",
      "2021-03-31T00:00:00Z",
      "2021-03-15T00:00:00Z",
      "2021-01-01T00:00:00Z",
    ]);
    const b = TS([
      "1996-10-30T00:00:00Z",
      "2021-02-28T00:00:00Z",
      "2021-02-01T00:00:00Z",
      "2021-01-01T12:00:00Z",
    ]);
    expect(evalFn("months_between", [a, b])).toEqual([3.94959677, 1, 1.4516129, 0]);
    expect(evalFn("months_between", [a, b, litArg(T.boolean, false)])[0]).toBeCloseTo(3.9495967741935485, 12);
    expect(evalFn("months_between", [D(["2021-03-31", null]), D(["2021-02-28", "2021-01-01"])])).toEqual([
      1,
      null,
    ]);
  });
  it("trunc for dates", () => {
    const d = D(["2021-08-19", "1969-11-30", null]);
    expect(evalFn("trunc", [d, str("year")])).toEqual(["2021-01-01", "1969-01-01", null]);
    expect(evalFn("trunc", [d, str("QUARTER")])).toEqual(["2021-07-01", "1969-10-01", null]);
    expect(evalFn("trunc", [d, str("mm")])).toEqual(["2021-08-01", "1969-11-01", null]);
    expect(evalFn("trunc", [d, str("week")])).toEqual(["2021-08-16", "1969-11-24", null]);
    expect(evalFn("trunc", [d, str("day")])).toEqual([null, null, null]);
    expect(evalFn("trunc", [d, S(["yy", "bogus", "mon"])])).toEqual(["2021-01-01", null, null]);
  });
});

describe("date_trunc", () => {
  it("truncates in the session zone across DST (New York, Berlin)", () => {
    const ts = TS([
      "2021-03-14T06:30:00Z",
      "2021-03-14T07:30:00Z",
      "2021-11-07T05:30:00Z",
      "2021-11-07T06:30:00Z",
    ]);
    expect(evalFn("date_trunc", [str("hour"), ts], NY)).toEqual([
      "2021-03-14T06:00:00.000000Z",
      "2021-03-14T07:00:00.000000Z",
      "2021-11-07T05:00:00.000000Z",
      "2021-11-07T06:00:00.000000Z",
    ]);
    expect(evalFn("date_trunc", [str("day"), ts], NY)).toEqual([
      "2021-03-14T05:00:00.000000Z",
      "2021-03-14T05:00:00.000000Z",
      "2021-11-07T04:00:00.000000Z",
      "2021-11-07T04:00:00.000000Z",
    ]);
    const be = TS([
      "2021-03-28T00:59:00Z",
      "2021-03-28T01:00:00Z",
      "2021-10-31T00:30:00Z",
      "2021-10-31T01:30:00Z",
    ]);
    expect(evalFn("date_trunc", [str("HOUR"), be], BERLIN)).toEqual([
      "2021-03-28T00:00:00.000000Z",
      "2021-03-28T01:00:00.000000Z",
      "2021-10-31T00:00:00.000000Z",
      "2021-10-31T01:00:00.000000Z",
    ]);
    expect(evalFn("date_trunc", [str("month"), be], BERLIN)).toEqual([
      "2021-02-28T23:00:00.000000Z",
      "2021-02-28T23:00:00.000000Z",
      "2021-09-30T22:00:00.000000Z",
      "2021-09-30T22:00:00.000000Z",
    ]);
  });
  it("a day that starts in a DST gap starts when the gap ends (java.time's atStartOfDay)", () => {
    const sp = { timeZone: "America/Sao_Paulo", nowMicros: 0 };
    // 2018-11-04 00:00 did not exist in São Paulo: clocks went from 00:00 to 01:00 (-02:00).
    expect(evalFn("date_trunc", [str("day"), TS(["2018-11-04T12:00:00Z"])], sp)).toEqual([
      "2018-11-04T03:00:00.000000Z",
    ]);
    expect(evalFn("to_timestamp", [D(["2018-11-04"])], sp)).toEqual(["2018-11-04T03:00:00.000000Z"]);
    expect(evalFn("date_format", [D(["2018-11-04"]), str("yyyy-MM-dd HH:mm XXX")], sp)).toEqual([
      "2018-11-04 01:00 -02:00",
    ]);
  });
  it("keeps sub-second units exact and handles pre-1970 instants", () => {
    const ts = TS(["1969-12-31T23:59:59.987654Z", "1900-06-15T12:34:56.5Z", null]);
    expect(evalFn("date_trunc", [str("millisecond"), ts])).toEqual([
      "1969-12-31T23:59:59.987000Z",
      "1900-06-15T12:34:56.500000Z",
      null,
    ]);
    expect(evalFn("date_trunc", [str("second"), ts])).toEqual([
      "1969-12-31T23:59:59.000000Z",
      "1900-06-15T12:34:56.000000Z",
      null,
    ]);
    expect(evalFn("date_trunc", [str("microsecond"), ts])[0]).toBe("1969-12-31T23:59:59.987654Z");
    expect(evalFn("date_trunc", [str("quarter"), ts])).toEqual([
      "1969-10-01T00:00:00.000000Z",
      "1900-04-01T00:00:00.000000Z",
      null,
    ]);
    expect(evalFn("date_trunc", [str("week"), ts])).toEqual([
      "1969-12-29T00:00:00.000000Z",
      "1900-06-11T00:00:00.000000Z",
      null,
    ]);
    expect(evalFn("date_trunc", [str("fortnight"), ts])).toEqual([null, null, null]);
  });
  it("reads NTZ, dates and strings as wall clock in the session zone and returns a zoned timestamp", () => {
    expect(resolveFn("date_trunc", [str("day"), NTZ(["2021-01-01T00:00:00Z"])]).result).toEqual(T.timestamp);
    const labelled = { kind: "timestamp", tz: "Asia/Tokyo" } as const;
    expect(resolveFn("date_trunc", [str("day"), colArg(labelled, [0])]).result).toEqual(labelled);
    expect(evalFn("date_trunc", [str("day"), colArg(labelled, ["2021-07-01T10:45:00Z"])], NY)).toEqual([
      "2021-07-01T04:00:00.000000Z",
    ]);
    expect(evalFn("date_trunc", [str("hour"), NTZ(["2021-07-01T10:45:00Z"])], NY)).toEqual([
      "2021-07-01T14:00:00.000000Z",
    ]);
    expect(evalFn("date_trunc", [str("month"), D(["2021-07-19"])], NY)).toEqual([
      "2021-07-01T04:00:00.000000Z",
    ]);
    expect(evalFn("date_trunc", [str("year"), S(["2021-07-19 10:00:00", "nope"])], NY)).toEqual([
      "2021-01-01T05:00:00.000000Z",
      null,
    ]);
  });
});

describe("parsing functions", () => {
  it("to_date without a format uses cast semantics", () => {
    expect(
      evalFn("to_date", [S(["2021-03-14 10:00:00", "2021-3-4", "2020-02-30", "", null, "garbage"])]),
    ).toEqual(["2021-03-14", "2021-03-04", null, null, null, null]);
    expect(evalFn("to_date", [TS(["2021-03-14T03:00:00Z"])], NY)).toEqual(["2021-03-13"]);
    expect(evalFn("to_date", [NTZ(["2021-03-14T03:00:00Z"])], NY)).toEqual(["2021-03-14"]);
  });
  it("to_date and to_timestamp with a format", () => {
    expect(evalFn("to_date", [S(["14/03/2021", "2021-03-14", null]), str("dd/MM/yyyy")])).toEqual([
      "2021-03-14",
      null,
      null,
    ]);
    expect(
      evalFn("to_date", [S(["2021-03-14 23:30 +00:00"]), str("yyyy-MM-dd HH:mm XXX")], {
        ...UTC,
        timeZone: "Asia/Tokyo",
      }),
    ).toEqual(["2021-03-15"]);
    expect(
      evalFn(
        "to_timestamp",
        [S(["2021-03-14 02:30:00", "12/31/1969 11:59 PM"]), S(["yyyy-MM-dd HH:mm:ss", "MM/dd/yyyy hh:mm a"])],
        NY,
      ),
    ).toEqual(["2021-03-14T07:30:00.000000Z", "1970-01-01T04:59:00.000000Z"]);
    expect(evalFn("to_timestamp", [S(["2021-03-14T10:00:00.123Z", "bad"])])).toEqual([
      "2021-03-14T10:00:00.123000Z",
      null,
    ]);
    expect(evalFn("to_timestamp", [S(["2021-03-14"]), litArg(T.string, null)])).toEqual([null]);
    expect(() => resolveFn("to_timestamp", [S(["x"]), str("EEE yyyy")])).toThrow(
      /Illegal pattern character: E/,
    );
    expect(() => resolveFn("date_format", [TS(["2021-01-01T00:00:00Z"]), str("yyyy-MM-dd uu")])).toThrow(
      /'u'/,
    );
  });
  it("unix_timestamp and to_unix_timestamp", () => {
    expect(evalFn("unix_timestamp", [], UTC)).toEqual([NOW / 1e6]);
    expect(evalFn("unix_timestamp", [S(["2021-03-14 02:30:00", "2021-03-14", null])], NY)).toEqual([
      1615707000,
      null,
      null,
    ]);
    expect(evalFn("unix_timestamp", [S(["2021-03-14"]), str("yyyy-MM-dd")], NY)).toEqual([1615698000]);
    expect(evalFn("unix_timestamp", [TS(["1969-12-31T23:59:59.5Z", "2021-01-01T00:00:00Z"])])).toEqual([
      -1, 1609459200,
    ]);
    expect(evalFn("unix_timestamp", [D(["2021-01-01"])], BERLIN)).toEqual([1609455600]);
    expect(evalFn("to_unix_timestamp", [NTZ(["2021-01-01T00:00:00Z"])], NY)).toEqual([1609459200]);
    expect(() => resolveFn("to_unix_timestamp", [])).toThrow(/takes 1 to 2/);
  });
});

describe("formatting functions", () => {
  it("date_format in the session zone, including DST and pre-1970", () => {
    const ts = TS(["2021-03-14T06:59:59Z", "2021-03-14T07:00:00Z", "1960-07-04T16:00:00.25Z", null]);
    expect(evalFn("date_format", [ts, str("yyyy-MM-dd HH:mm:ss.SS XXX")], NY)).toEqual([
      "2021-03-14 01:59:59.00 -05:00",
      "2021-03-14 03:00:00.00 -04:00",
      "1960-07-04 12:00:00.25 -04:00",
      null,
    ]);
    expect(evalFn("date_format", [ts, S(["EEEE", "MMM d", "D", "x"])], BERLIN)).toEqual([
      "Sunday",
      "Mar 14",
      "186",
      null,
    ]);
    const be = TS([
      "2021-03-28T00:59:59Z",
      "2021-03-28T01:00:00Z",
      "2021-10-31T00:30:00Z",
      "2021-10-31T01:30:00Z",
    ]);
    expect(evalFn("date_format", [be, str("yyyy-MM-dd HH:mm:ss z XXX")], BERLIN)).toEqual([
      "2021-03-28 01:59:59 CET +01:00",
      "2021-03-28 03:00:00 CEST +02:00",
      "2021-10-31 02:30:00 CEST +02:00",
      "2021-10-31 02:30:00 CET +01:00",
    ]);
    expect(evalFn("hour", [be], BERLIN)).toEqual([1, 3, 2, 2]);
    expect(evalFn("date_format", [D(["2020-02-29"]), str("dd.MM.yy")], NY)).toEqual(["29.02.20"]);
    expect(evalFn("date_format", [NTZ(["2021-03-14T02:30:00Z"]), str("yyyy-MM-dd HH:mm")], NY)).toEqual([
      "2021-03-14 02:30",
    ]);
    expect(evalFn("date_format", [S(["2021-03-14 10:00:00", "x"]), str("HH")], NY)).toEqual(["10", null]);
  });
  it("from_unixtime", () => {
    const secs = colArg(T.int64, [0, 1615707000, -1, null]);
    expect(evalFn("from_unixtime", [secs])).toEqual([
      "1970-01-01 00:00:00",
      "2021-03-14 07:30:00",
      "1969-12-31 23:59:59",
      null,
    ]);
    expect(evalFn("from_unixtime", [secs, str("yyyy-MM-dd HH:mm z")], NY)).toEqual([
      "1969-12-31 19:00 EST",
      "2021-03-14 03:30 EDT",
      "1969-12-31 18:59 EST",
      null,
    ]);
  });
});

describe("parts and conversions", () => {
  it("parts of strings use the cast rules", () => {
    const s = S(["2021-03-14 10:20:30", "2021-03-14", "bad", null]);
    expect(evalFn("year", [s])).toEqual([2021, 2021, null, null]);
    expect(evalFn("hour", [s])).toEqual([10, 0, null, null]);
    expect(evalFn("second", [s])).toEqual([30, 0, null, null]);
    expect(evalFn("weekday", [s])).toEqual([6, 6, null, null]);
    expect(() => resolveFn("year", [colArg(T.int32, [1])])).toThrow(/date or timestamp/);
  });
  it("parts of timestamps before 1970 and on leap days", () => {
    const ts = TS(["1969-12-31T23:59:59.999999Z", "1600-02-29T12:00:00Z", "0001-01-01T00:00:00Z"]);
    expect(evalFn("year", [ts])).toEqual([1969, 1600, 1]);
    expect(evalFn("dayofyear", [ts])).toEqual([365, 60, 1]);
    expect(evalFn("second", [ts])).toEqual([59, 0, 0]);
    expect(evalFn("dayofweek", [ts])).toEqual([4, 3, 2]);
    expect(evalFn("quarter", [ts])).toEqual([4, 1, 1]);
  });
  it("current_date, current_timestamp, current_timezone", () => {
    expect(evalFn("current_date", [], UTC)).toEqual(["2024-01-15"]);
    expect(evalFn("current_date", [], NY)).toEqual(["2024-01-14"]);
    expect(evalFn("current_timestamp", [], NY)).toEqual(["2024-01-15T03:30:00.000000Z"]);
    expect(evalFn("current_timezone", [], NY)).toEqual(["America/New_York"]);
  });
  it("epoch conversions", () => {
    expect(evalFn("timestamp_seconds", [colArg(T.int64, [1230219000, -1, null])])).toEqual([
      "2008-12-25T15:30:00.000000Z",
      "1969-12-31T23:59:59.000000Z",
      null,
    ]);
    expect(evalFn("timestamp_seconds", [colArg(T.float64, [1230219000.123, Number.NaN])])).toEqual([
      "2008-12-25T15:30:00.123000Z",
      null,
    ]);
    expect(evalFn("timestamp_millis", [colArg(T.int64, [1230219000123])])).toEqual([
      "2008-12-25T15:30:00.123000Z",
    ]);
    expect(evalFn("timestamp_micros", [colArg(T.int32, [-1])])).toEqual(["1969-12-31T23:59:59.999999Z"]);
    const ts = TS(["1969-12-31T23:59:59.9995Z", "2008-12-25T15:30:00.123456Z"]);
    expect(evalFn("unix_seconds", [ts])).toEqual([-1, 1230219000]);
    expect(evalFn("unix_millis", [ts])).toEqual([-1, 1230219000123]);
    expect(evalFn("unix_micros", [ts])).toEqual([-500, 1230219000123456]);
    expect(evalFn("unix_date", [D(["1969-12-31", "2021-01-01"])])).toEqual([-1, 18628]);
    expect(evalFn("date_from_unix_date", [colArg(T.int32, [-1, 18628, null])])).toEqual([
      "1969-12-31",
      "2021-01-01",
      null,
    ]);
  });
  it("timestamps beyond 2^53 µs take the exact path", () => {
    const far = colArg(T.timestamp, [BigInt(Date.UTC(9999, 11, 31, 23, 59, 59)) * 1000n + 999999n]);
    expect(evalFn("year", [far])).toEqual([9999]);
    expect(evalFn("date_format", [far, str("yyyy-MM-dd HH:mm:ss.SSSSSS")])).toEqual([
      "9999-12-31 23:59:59.999999",
    ]);
    expect(evalFn("date_trunc", [str("hour"), far])).toEqual(["9999-12-31T23:00:00.000000Z"]);
  });
  it("from_utc_timestamp and to_utc_timestamp", () => {
    const ts = TS(["2021-07-01T12:00:00Z", "2021-01-01T12:00:00Z", null]);
    expect(evalFn("from_utc_timestamp", [ts, str("Asia/Seoul")])).toEqual([
      "2021-07-01T21:00:00.000000Z",
      "2021-01-01T21:00:00.000000Z",
      null,
    ]);
    expect(evalFn("to_utc_timestamp", [ts, str("America/New_York")])).toEqual([
      "2021-07-01T16:00:00.000000Z",
      "2021-01-01T17:00:00.000000Z",
      null,
    ]);
    expect(evalFn("from_utc_timestamp", [ts, S(["+01:00", null, "UTC"])])).toEqual([
      "2021-07-01T13:00:00.000000Z",
      null,
      null,
    ]);
  });
});
