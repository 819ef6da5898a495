import { describe, expect, it } from "vitest";
import {
  addMonthsToDays,
  civilFromDays,
  dayOfYear,
  daysFromCivil,
  isLeapYear,
  isoWeekOfYear,
  sparkDayOfWeek,
} from "../../engine/expr/datetime/calendar.js";
import { tryZoneRules, zoneRules } from "../../engine/expr/datetime/timezone.js";
import { duckRows } from "./duck.js";

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe("calendar", () => {
  it("civil <-> days round-trips and agrees with Date.UTC (incl. BC years and leap days)", () => {
    const out = new Int32Array(3);
    const r = rng(1);
    for (let k = 0; k < 20000; k++) {
      const days = Math.floor((r() - 0.5) * 2 * 1_000_000);
      civilFromDays(days, out);
      expect(daysFromCivil(out[0]!, out[1]!, out[2]!)).toBe(days);
      const d = new Date(days * 86400000);
      expect([out[0], out[1], out[2]]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 2, 29)).toBe(11016);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(-4)).toBe(true);
  });
  it("week, day-of-week and day-of-year agree with DuckDB", async () => {
    const rows = await duckRows(
      "SELECT date_diff('day', DATE '1970-01-01', d) AS days, weekofyear(d) w, dayofweek(d) dw, dayofyear(d) dy " +
        "FROM (SELECT DATE '1890-12-20' + (i * 37)::INT AS d FROM range(0, 2000) t(i)) ORDER BY 1",
    );
    for (const row of rows) {
      const days = Number(row.days);
      expect([days, isoWeekOfYear(days)]).toEqual([days, Number(row.w)]);
      expect(sparkDayOfWeek(days)).toBe(Number(row.dw) + 1);
      expect(dayOfYear(days)).toBe(Number(row.dy));
    }
  });
  it("add_months clamps to the end of the month", () => {
    const d = (y: number, m: number, day: number) => daysFromCivil(y, m, day);
    expect(addMonthsToDays(d(2021, 1, 31), 1)).toBe(d(2021, 2, 28));
    expect(addMonthsToDays(d(2020, 1, 31), 1)).toBe(d(2020, 2, 29));
    expect(addMonthsToDays(d(2019, 2, 28), 1)).toBe(d(2019, 3, 28));
    expect(addMonthsToDays(d(2021, 3, 31), -13)).toBe(d(2020, 2, 29));
    expect(addMonthsToDays(d(1, 1, 15), -1)).toBe(d(0, 12, 15));
  });
});

describe("time zones", () => {
  it("offsets match Intl at many instants, 1850-2100", () => {
    for (const id of [
      "America/New_York",
      "Europe/Berlin",
      "Asia/Kolkata",
      "Australia/Lord_Howe",
      "America/Sao_Paulo",
    ]) {
      const z = zoneRules(id);
      const dtf = new Intl.DateTimeFormat("en-US", { timeZone: id, timeZoneName: "longOffset" });
      const r = rng(id.length);
      for (let k = 0; k < 400; k++) {
        const sec = Math.floor(-3.8e9 + r() * 8e9);
        const name = dtf.formatToParts(sec * 1000).find((p) => p.type === "timeZoneName")!.value;
        const m = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?/.exec(name)!;
        const want = m[1]
          ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0))
          : 0;
        expect([id, sec, z.offsetAt(sec)]).toEqual([id, sec, want]);
      }
    }
  });
  it("finds DST transitions to the second", () => {
    const ny = zoneRules("America/New_York");
    const t = Date.UTC(2021, 2, 14, 7) / 1000;
    expect([ny.offsetAt(t - 1), ny.offsetAt(t)]).toEqual([-18000, -14400]);
    const be = zoneRules("Europe/Berlin");
    const f = Date.UTC(2021, 9, 31, 1) / 1000;
    expect([be.offsetAt(f - 1), be.offsetAt(f)]).toEqual([7200, 3600]);
    expect(ny.offsetAt(Date.UTC(1883, 10, 18, 16, 59, 59) / 1000)).toBe(-17762); // LMT
  });
  it("resolves wall-clock times like java.time (gap moves later, overlap takes the earlier offset)", () => {
    const ny = zoneRules("America/New_York");
    const local = (y: number, mo: number, d: number, h: number, mi = 0) =>
      Date.UTC(y, mo - 1, d, h, mi) / 1000;
    const iso = (s: number) => new Date(s * 1000).toISOString();
    expect(iso(ny.localToUtc(local(2021, 3, 14, 2, 30)))).toBe("2021-03-14T07:30:00.000Z");
    expect(iso(ny.localToUtc(local(2021, 11, 7, 1, 30)))).toBe("2021-11-07T05:30:00.000Z");
    expect(iso(ny.localToUtc(local(2021, 7, 1, 12)))).toBe("2021-07-01T16:00:00.000Z");
    const be = zoneRules("Europe/Berlin");
    expect(iso(be.localToUtc(local(2021, 3, 28, 2, 15)))).toBe("2021-03-28T01:15:00.000Z");
    expect(iso(be.localToUtc(local(2021, 10, 31, 2, 15)))).toBe("2021-10-31T00:15:00.000Z");
  });
  it("accepts Spark's zone id forms", () => {
    expect(zoneRules("UTC").fixedOffset).toBe(0);
    expect(zoneRules("+05:30").fixedOffset).toBe(19800);
    expect(zoneRules("-8").fixedOffset).toBe(-28800);
    expect(zoneRules("UTC+01:00").fixedOffset).toBe(3600);
    expect(zoneRules("GMT-0530").fixedOffset).toBe(-19800);
    expect(zoneRules("EST").fixedOffset).toBe(-18000);
    expect(zoneRules("PST").offsetAt(Date.UTC(2021, 6, 1) / 1000)).toBe(-25200);
    expect(tryZoneRules("Mars/Olympus")).toBeNull();
    expect(tryZoneRules("+19:00")).toBeNull();
    expect(() => zoneRules("Mars/Olympus")).toThrow(/kindling.sql.session.timeZone/);
  });
});
