import { describe, expect, it } from "vitest";
import type { JsValue } from "../../engine/columnar/builders.js";
import { columnFromValues } from "../../engine/columnar/builders.js";
import { canCast, castColumn, castMayFail, castNeedsTimeZone } from "../../engine/expr/cast.js";
import type { CompileContext } from "../../engine/expr/registry.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import { ctx, values } from "./helpers.js";

const cast = (from: DataType, to: DataType, vs: readonly JsValue[], c: CompileContext = ctx) =>
  values(castColumn(columnFromValues(from, vs), to, c));
const NY: CompileContext = { ...ctx, timeZone: "America/New_York" };
const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe("string to numbers", () => {
  it("int: trims, truncates a fraction, rejects exponents and overflow", () => {
    expect(
      cast(T.string, T.int32, [
        " 12 ",
        "1.9",
        "-1.9",
        "1e3",
        "",
        "abc",
        "2147483648",
        "-2147483648",
        "+5",
        "\t7\n",
      ]),
    ).toEqual([12, 1, -1, null, null, null, null, -2147483648, 5, 7]);
    expect(cast(T.string, T.int32, ["1.", ".5", "-", "0x10", "1 2", "1.2.3", null])).toEqual([
      1,
      0,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("bigint: full 64-bit range", () => {
    expect(
      cast(T.string, T.int64, [
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "00000000000000000000123",
        "12.99",
      ]),
    ).toEqual([9223372036854775807n, null, -9223372036854775808n, 123n, 12n]);
  });

  it("double: Java syntax plus inf/nan spellings", () => {
    const r = cast(T.string, T.float64, [
      "1e3",
      " 1.5 ",
      "inf",
      "-Infinity",
      "NaN",
      "nan",
      "1.5f",
      "2.5D",
      "abc",
      "",
      "0x1p3",
      "1,5",
      ".5",
      "5.",
      "+INF",
      "0.1",
      "123456789012345678",
    ]);
    expect(r).toEqual([
      1000,
      1.5,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      Number.NaN,
      1.5,
      2.5,
      null,
      null,
      8,
      null,
      0.5,
      5,
      Number.POSITIVE_INFINITY,
      0.1,
      1.2345678901234568e17,
    ]);
    expect(Object.is(cast(T.string, T.float64, ["-0"])[0], -0)).toBe(true);
  });

  it("decimal: rounds half-up, null on overflow or garbage", () => {
    expect(
      cast(T.string, T.decimal(5, 2), [
        "1.235",
        "1e2",
        "123456",
        " -1.5 ",
        "abc",
        "1.5e-1",
        "-0.005",
        "999.995",
      ]),
    ).toEqual([124n, 10000n, null, -150n, null, 15n, -1n, null]);
    expect(cast(T.string, T.decimal(38, 10), ["1234567890123456789012345678.0123456789"])).toEqual([
      12345678901234567890123456780123456789n,
    ]);
  });

  it("boolean: Spark's true/false spellings", () => {
    expect(
      cast(T.string, T.boolean, [
        "true",
        "T",
        "yes",
        "1",
        "y",
        "false",
        "N",
        "0",
        "no",
        " true ",
        "maybe",
        "",
      ]),
    ).toEqual([true, true, true, true, true, false, false, false, false, true, null, null]);
  });
});

describe("string to date and timestamp", () => {
  it("date: yyyy, yyyy-MM, yyyy-MM-dd with anything after a space or T", () => {
    expect(
      cast(T.string, T.date, [
        "2024-01-15",
        "2024-1-5",
        "2024",
        "2024-02",
        "2024-01-15T10:00:00",
        "2024-01-15 xyz",
        "2024-02-30",
        "20240115",
        "  2024-01-15  ",
        "2024-01-",
        "x",
      ]),
    ).toEqual([19737, 19727, 19723, 19754, 19737, 19737, null, null, 19737, null, null]);
  });

  it("timestamp: ISO forms, zones, fractions truncated to µs, session zone", () => {
    expect(
      cast(T.string, T.timestamp, [
        "2024-01-15 10:30:00",
        "2024-01-15T10:30:00.123456Z",
        "2024-01-15T10:30:00+02:00",
        "2024-01-15",
        "2024-01-15 10:30:00.1234567",
        "2024-01-15 25:00:00",
        "2024-01-15T10:30",
        "2024-01-15 10:30:00 UTC",
        "2024-01-15 10:30:00 Europe/Paris",
        "2024-01-15 10:30:00+8:00",
        "nope",
      ]),
    ).toEqual([
      us("2024-01-15T10:30:00Z"),
      us("2024-01-15T10:30:00Z") + 123456n,
      us("2024-01-15T08:30:00Z"),
      us("2024-01-15T00:00:00Z"),
      us("2024-01-15T10:30:00Z") + 123456n,
      null,
      us("2024-01-15T10:30:00Z"),
      us("2024-01-15T10:30:00Z"),
      us("2024-01-15T09:30:00Z"),
      us("2024-01-15T02:30:00Z"),
      null,
    ]);
  });

  it("timestamp: time-only strings take today's date; no zone means the session zone", () => {
    expect(cast(T.string, T.timestamp, ["10:30:00"])).toEqual([us("2024-01-15T10:30:00Z")]);
    expect(cast(T.string, T.timestamp, ["2024-01-15 10:30:00"], NY)).toEqual([us("2024-01-15T15:30:00Z")]);
    // DST gap moves forward, overlap takes the earlier offset (java.time)
    expect(cast(T.string, T.timestamp, ["2024-03-10 02:30:00", "2024-11-03 01:30:00"], NY)).toEqual([
      us("2024-03-10T07:30:00Z"),
      us("2024-11-03T05:30:00Z"),
    ]);
  });

  it("timestamp_ntz ignores zones and rejects time-only strings", () => {
    expect(cast(T.string, T.timestampNtz, ["2024-01-15T10:30:00+02:00", "10:30:00"], NY)).toEqual([
      us("2024-01-15T10:30:00Z"),
      null,
    ]);
  });
});

describe("to string", () => {
  it("doubles as Java prints them", () => {
    expect(
      cast(T.float64, T.string, [
        1,
        1e21,
        1e7,
        1234567,
        0.001,
        0.0001,
        -0,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        -1.5e-7,
        123.456,
      ]),
    ).toEqual([
      "1.0",
      "1.0E21",
      "1.0E7",
      "1234567.0",
      "0.001",
      "1.0E-4",
      "-0.0",
      "NaN",
      "Infinity",
      "-1.5E-7",
      "123.456",
    ]);
  });

  it("integers, booleans, decimals", () => {
    expect(cast(T.int64, T.string, [123n, 9223372036854775807n, -5n, null])).toEqual([
      "123",
      "9223372036854775807",
      "-5",
      null,
    ]);
    expect(cast(T.boolean, T.string, [true, false])).toEqual(["true", "false"]);
    expect(cast(T.decimal(5, 2), T.string, [150n, -5n, 0n])).toEqual(["1.50", "-0.05", "0.00"]);
    expect(cast(T.decimal(10, 8), T.string, [1n, 123n])).toEqual(["1E-8", "0.00000123"]);
    expect(cast(T.decimal(38, 2), T.string, [10n ** 37n + 1n])).toEqual([`${"1".padEnd(36, "0")}.01`]);
  });

  it("dates and timestamps in the session zone", () => {
    expect(cast(T.date, T.string, [19737, 0, -1])).toEqual(["2024-01-15", "1970-01-01", "1969-12-31"]);
    const t = us("2024-01-15T10:30:00Z");
    expect(cast(T.timestamp, T.string, [t, t + 500000n, t + 123n])).toEqual([
      "2024-01-15 10:30:00",
      "2024-01-15 10:30:00.5",
      "2024-01-15 10:30:00.000123",
    ]);
    expect(cast(T.timestamp, T.string, [t], NY)).toEqual(["2024-01-15 05:30:00"]);
    expect(cast(T.timestampNtz, T.string, [t], NY)).toEqual(["2024-01-15 10:30:00"]);
  });

  it("arrays", () => {
    expect(cast(T.list(T.int32), T.string, [[1, 2, null], [], null])).toEqual(["[1, 2, null]", "[]", null]);
  });
});

describe("between numbers", () => {
  it("double to integral truncates and saturates, NaN is 0", () => {
    expect(cast(T.float64, T.int32, [1.9, -1.9, Number.NaN, 1e10, -1e10, Number.POSITIVE_INFINITY])).toEqual([
      1, -1, 0, 2147483647, -2147483648, 2147483647,
    ]);
    expect(cast(T.float64, T.int64, [1e19, -1e19, 2 ** 53 + 2, -2.5])).toEqual([
      9223372036854775807n,
      -9223372036854775808n,
      9007199254740994n,
      -2n,
    ]);
  });

  it("bigint to int wraps", () => {
    expect(cast(T.int64, T.int32, [2n ** 32n + 5n, 2n ** 31n, -1n])).toEqual([5, -2147483648, -1]);
    expect(cast(T.int64, T.float64, [2n ** 53n + 1n, -3n])).toEqual([9007199254740992, -3]);
  });

  it("to decimal rounds half-up (doubles via their shortest form), null on overflow", () => {
    expect(cast(T.int32, T.decimal(3, 1), [99, 100, -99])).toEqual([990n, null, -990n]);
    expect(cast(T.float64, T.decimal(5, 2), [1.005, 0.125, Number.NaN, 1e10, -2.675, 0.1])).toEqual([
      101n,
      13n,
      null,
      null,
      -268n,
      10n,
    ]);
    expect(cast(T.decimal(5, 2), T.decimal(4, 1), [125n, -125n, 99999n])).toEqual([13n, -13n, null]);
    expect(cast(T.decimal(5, 2), T.decimal(10, 4), [125n])).toEqual([12500n]);
    expect(cast(T.int64, T.decimal(38, 0), [9223372036854775807n])).toEqual([9223372036854775807n]);
    expect(cast(T.boolean, T.decimal(1, 1), [true, false])).toEqual([null, 0n]);
  });

  it("from decimal truncates to integers and rounds to double", () => {
    expect(cast(T.decimal(5, 2), T.int32, [199n, -199n])).toEqual([1, -1]);
    expect(cast(T.decimal(5, 2), T.float64, [150n, -1n])).toEqual([1.5, -0.01]);
    expect(cast(T.decimal(38, 2), T.int64, [(2n ** 64n + 5n) * 100n])).toEqual([5n]);
  });

  it("booleans and numbers", () => {
    expect(cast(T.boolean, T.int32, [true, false])).toEqual([1, 0]);
    expect(cast(T.int32, T.boolean, [2, 0, -1])).toEqual([true, false, true]);
    expect(cast(T.float64, T.boolean, [Number.NaN, 0])).toEqual([true, false]);
    expect(cast(T.int64, T.boolean, [2n ** 40n, 0n])).toEqual([true, false]);
  });
});

describe("dates, timestamps and numbers", () => {
  it("timestamp ↔ number in seconds", () => {
    expect(cast(T.timestamp, T.int64, [-1n, 1500000n])).toEqual([-1n, 1n]);
    expect(cast(T.timestamp, T.float64, [1500000n])).toEqual([1.5]);
    expect(cast(T.timestamp, T.int32, [-1n, 1500000n])).toEqual([-1, 1]);
    expect(cast(T.int64, T.timestamp, [1n, -2n])).toEqual([1000000n, -2000000n]);
    expect(cast(T.float64, T.timestamp, [1.5, Number.NaN])).toEqual([1500000n, null]);
    expect(cast(T.decimal(5, 2), T.timestamp, [150n])).toEqual([1500000n]);
    expect(cast(T.boolean, T.timestamp, [true])).toEqual([1n]);
  });

  it("date ↔ timestamp in the session zone", () => {
    expect(cast(T.date, T.timestamp, [19737])).toEqual([us("2024-01-15T00:00:00Z")]);
    expect(cast(T.date, T.timestamp, [19737], NY)).toEqual([us("2024-01-15T05:00:00Z")]);
    expect(cast(T.date, T.timestampNtz, [19737], NY)).toEqual([us("2024-01-15T00:00:00Z")]);
    expect(cast(T.timestamp, T.date, [us("2024-01-15T03:00:00Z"), -1n], NY)).toEqual([19736, -1]);
    expect(cast(T.timestamp, T.date, [us("2024-01-15T03:00:00Z")])).toEqual([19737]);
    expect(cast(T.timestamp, T.timestampNtz, [us("2024-01-15T03:00:00Z")], NY)).toEqual([
      us("2024-01-14T22:00:00Z"),
    ]);
    expect(cast(T.timestampNtz, T.timestamp, [us("2024-01-14T22:00:00Z")], NY)).toEqual([
      us("2024-01-15T03:00:00Z"),
    ]);
  });

  it("date to number is null (Spark, non-ANSI)", () => {
    expect(cast(T.date, T.int32, [1])).toEqual([null]);
    expect(cast(T.date, T.boolean, [1])).toEqual([null]);
  });
});

describe("cast rules", () => {
  it("canCast follows Spark", () => {
    expect(canCast(T.int32, T.date)).toBe(false);
    expect(canCast(T.boolean, T.date)).toBe(false);
    expect(canCast(T.int32, T.timestampNtz)).toBe(false);
    expect(canCast(T.timestampNtz, T.int64)).toBe(false);
    expect(canCast(T.string, T.date)).toBe(true);
    expect(canCast(T.date, T.int32)).toBe(true);
    expect(canCast(T.list(T.int32), T.list(T.string))).toBe(true);
    expect(canCast(T.list(T.int32), T.int32)).toBe(false);
    expect(canCast(T.null, T.date)).toBe(true);
    expect(() => castColumn(columnFromValues(T.int32, [1]), T.date, ctx)).toThrow(/cannot cast int to date/);
  });
  it("knows which casts depend on the time zone or may fail", () => {
    expect(castNeedsTimeZone(T.string, T.timestamp)).toBe(true);
    expect(castNeedsTimeZone(T.string, T.timestampNtz)).toBe(false);
    expect(castNeedsTimeZone(T.int64, T.timestamp)).toBe(false);
    expect(castNeedsTimeZone(T.date, T.timestamp)).toBe(true);
    expect(castMayFail(T.string, T.int32)).toBe(true);
    expect(castMayFail(T.int32, T.int64)).toBe(false);
    expect(castMayFail(T.int32, T.decimal(3, 0))).toBe(true);
  });
  it("casts arrays element-wise and nulls to anything", () => {
    expect(cast(T.list(T.string), T.list(T.int32), [["1", "x"], null])).toEqual([[1, null], null]);
    expect(values(castColumn({ type: T.null, length: 2, valid: new Uint8Array(2) }, T.string, ctx))).toEqual([
      null,
      null,
    ]);
  });
});
