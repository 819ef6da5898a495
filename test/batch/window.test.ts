// Window periods, alignment (UTC, zones, DST days), and the --window forms.
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parsePeriod } from "../../engine/batch/period.js";
import {
  nextWindow,
  parseWindow,
  parseWindowTime,
  type WindowClock,
  windowContaining,
  windowDirName,
  windowIdOfDir,
  windowsBetween,
} from "../../engine/batch/window.js";

const clock = (every: string, timeZone = "UTC"): WindowClock => ({ period: parsePeriod(every), timeZone });
const iso = (d: Date) => d.toISOString();
const HOUR = 3_600_000;

describe("parsePeriod", () => {
  it("parses the supported periods", () => {
    expect(parsePeriod("15m")).toMatchObject({ unit: "minute", count: 15, seconds: 900, text: "15m" });
    expect(parsePeriod("1h")).toMatchObject({ unit: "hour", count: 1, seconds: 3600 });
    expect(parsePeriod("6h").seconds).toBe(6 * 3600);
    expect(parsePeriod("1d")).toMatchObject({ unit: "day", seconds: null });
    expect(parsePeriod("1w").unit).toBe("week");
    expect(parsePeriod("1mo")).toMatchObject({ unit: "month", count: 1 });
    expect(parsePeriod(" 3MO ").text).toBe("3mo");
  });

  it("rejects periods that do not tile days or years", () => {
    expect(() => parsePeriod("7h")).toThrow(/must divide a day/);
    expect(() => parsePeriod("25m")).toThrow(/must divide a day/);
    expect(() => parsePeriod("2d")).toThrow(/only 1d/);
    expect(() => parsePeriod("5mo")).toThrow(/must divide a year/);
    expect(() => parsePeriod("0h")).toThrow(/at least 1/);
    expect(() => parsePeriod("daily")).toThrow(/invalid window period "daily"/);
    expect(() => parsePeriod("1y")).toThrow(/invalid window period/);
  });
});

describe("parseDuration", () => {
  it("parses durations and sums", () => {
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("2h")).toBe(2 * HOUR);
    expect(parseDuration("1h30m")).toBe(1.5 * HOUR);
    expect(parseDuration("1d")).toBe(24 * HOUR);
    expect(() => parseDuration("soon", "lateness")).toThrow(/invalid lateness "soon"/);
    expect(() => parseDuration("2h later")).toThrow(/invalid duration/);
    expect(formatDuration(1234)).toBe("1.2 s");
    expect(formatDuration(65_000)).toBe("1 min 5 s");
  });
});

describe("alignment in UTC", () => {
  it("days, hours and minutes", () => {
    const d = windowContaining(clock("1d"), Date.parse("2021-03-14T10:20:00Z"));
    expect([iso(d.start), iso(d.end), d.id, d.label]).toEqual([
      "2021-03-14T00:00:00.000Z",
      "2021-03-15T00:00:00.000Z",
      "2021-03-14T00:00:00Z",
      "2021-03-14",
    ]);
    const h = windowContaining(clock("1h"), Date.parse("2021-03-14T10:20:00Z"));
    expect([iso(h.start), iso(h.end), h.label]).toEqual([
      "2021-03-14T10:00:00.000Z",
      "2021-03-14T11:00:00.000Z",
      "2021-03-14T10:00Z",
    ]);
    const q = windowContaining(clock("15m"), Date.parse("2021-03-14T10:44:59Z"));
    expect([iso(q.start), iso(q.end)]).toEqual(["2021-03-14T10:30:00.000Z", "2021-03-14T10:45:00.000Z"]);
    const six = windowContaining(clock("6h"), Date.parse("2021-03-14T23:59:59Z"));
    expect(iso(six.start)).toBe("2021-03-14T18:00:00.000Z");
  });

  it("weeks start on Monday, as ISO weeks do", () => {
    // 2021-03-14 is a Sunday; its week began on Monday 2021-03-08.
    const w = windowContaining(clock("1w"), Date.parse("2021-03-14T12:00:00Z"));
    expect([iso(w.start), iso(w.end), w.label]).toEqual([
      "2021-03-08T00:00:00.000Z",
      "2021-03-15T00:00:00.000Z",
      "2021-03-08",
    ]);
    const mon = windowContaining(clock("1w"), Date.parse("2021-03-15T00:00:00Z"));
    expect(mon.label).toBe("2021-03-15");
    // Across a year end: 2021-01-01 (a Friday) is in the week of Monday 2020-12-28.
    expect(windowContaining(clock("1w"), Date.parse("2021-01-01T00:00:00Z")).label).toBe("2020-12-28");
  });

  it("months and quarters", () => {
    const feb = windowContaining(clock("1mo"), Date.parse("2020-02-29T23:00:00Z"));
    expect([iso(feb.start), iso(feb.end), feb.label]).toEqual([
      "2020-02-01T00:00:00.000Z",
      "2020-03-01T00:00:00.000Z",
      "2020-02",
    ]);
    const q = windowContaining(clock("3mo"), Date.parse("2021-05-10T00:00:00Z"));
    expect([iso(q.start), iso(q.end)]).toEqual(["2021-04-01T00:00:00.000Z", "2021-07-01T00:00:00.000Z"]);
    const dec = windowContaining(clock("1mo"), Date.parse("2021-12-31T23:59:59Z"));
    expect(iso(dec.end)).toBe("2022-01-01T00:00:00.000Z");
  });

  it("next windows and ranges", () => {
    const c = clock("1d");
    const w = windowContaining(c, Date.parse("2021-03-31T00:00:00Z"));
    expect(nextWindow(c, w).label).toBe("2021-04-01");
    const march = windowsBetween(c, Date.parse("2021-03-01T00:00:00Z"), Date.parse("2021-04-01T00:00:00Z"));
    expect(march).toHaveLength(31);
    expect(march[0]!.label).toBe("2021-03-01");
    expect(march[30]!.label).toBe("2021-03-31");
    // A partial window at either end is left out.
    expect(
      windowsBetween(c, Date.parse("2021-03-01T01:00:00Z"), Date.parse("2021-03-04T12:00:00Z")).map(
        (x) => x.label,
      ),
    ).toEqual(["2021-03-02", "2021-03-03"]);
  });
});

describe("time zones and DST days", () => {
  const ny = clock("1d", "America/New_York");

  it("a day in New York on the spring-forward day is 23 hours", () => {
    const w = parseWindow(ny, "2021-03-14");
    expect([iso(w.start), iso(w.end)]).toEqual(["2021-03-14T05:00:00.000Z", "2021-03-15T04:00:00.000Z"]);
    expect(w.end.getTime() - w.start.getTime()).toBe(23 * HOUR);
    expect([w.id, w.label, w.timeZone]).toEqual(["2021-03-14T05:00:00Z", "2021-03-14", "America/New_York"]);
  });

  it("a day in New York on the fall-back day is 25 hours", () => {
    const w = parseWindow(ny, "2021-11-07");
    expect(w.end.getTime() - w.start.getTime()).toBe(25 * HOUR);
    expect(windowContaining(ny, Date.parse("2021-11-08T04:59:59Z")).label).toBe("2021-11-07");
    expect(windowContaining(ny, Date.parse("2021-11-08T05:00:00Z")).label).toBe("2021-11-08");
  });

  it("March in New York has 31 days and 743 hours", () => {
    const days = windowsBetween(
      ny,
      parseWindowTime("2021-03-01", "America/New_York"),
      parseWindowTime("2021-04-01", "America/New_York"),
    );
    expect(days).toHaveLength(31);
    const total = days.reduce((n, w) => n + w.end.getTime() - w.start.getTime(), 0);
    expect(total).toBe(743 * HOUR);
    const m = parseWindow(clock("1mo", "America/New_York"), "2021-03");
    expect(m.end.getTime() - m.start.getTime()).toBe(743 * HOUR);
  });

  it("hourly windows follow the wall clock across DST", () => {
    const h = clock("1h", "America/New_York");
    const day = parseWindow(ny, "2021-03-14");
    const hours = windowsBetween(h, day.start, day.end);
    expect(hours).toHaveLength(23);
    expect(hours.every((w) => w.end.getTime() - w.start.getTime() === HOUR)).toBe(true);
    expect(hours.slice(0, 4).map((w) => w.label)).toEqual([
      "2021-03-14T00:00-05:00",
      "2021-03-14T01:00-05:00",
      "2021-03-14T03:00-04:00",
      "2021-03-14T04:00-04:00",
    ]);
    const fall = parseWindow(ny, "2021-11-07");
    const fallHours = windowsBetween(h, fall.start, fall.end);
    expect(fallHours).toHaveLength(25);
    expect(fallHours.slice(1, 3).map((w) => w.label)).toEqual([
      "2021-11-07T01:00-04:00",
      "2021-11-07T01:00-05:00",
    ]);
  });

  it("minute and hour windows tile each local day; the last one of a short day is clipped", () => {
    const two = clock("2h", "America/New_York");
    const day = parseWindow(ny, "2021-03-14");
    const ws = windowsBetween(two, day.start, day.end);
    expect(ws).toHaveLength(12);
    expect(ws[11]!.end.getTime() - ws[11]!.start.getTime()).toBe(HOUR);
    expect(nextWindow(two, ws[11]!).label).toBe("2021-03-15T00:00-04:00");
  });

  it("weeks and months in a zone start at local midnight", () => {
    const berlin = clock("1mo", "Europe/Berlin");
    const m = parseWindow(berlin, "2021-03");
    expect([iso(m.start), iso(m.end)]).toEqual(["2021-02-28T23:00:00.000Z", "2021-03-31T22:00:00.000Z"]);
    const wk = windowContaining(clock("1w", "Asia/Tokyo"), Date.parse("2021-03-14T16:00:00Z"));
    // 2021-03-15 01:00 in Tokyo is a Monday.
    expect([wk.label, iso(wk.start)]).toEqual(["2021-03-15", "2021-03-14T15:00:00.000Z"]);
  });

  it("15-minute windows in a +05:45 zone", () => {
    const k = clock("15m", "Asia/Kathmandu");
    const w = windowContaining(k, Date.parse("2021-03-14T00:07:00Z"));
    // 00:07Z is 05:52 local; the window is 05:45-06:00 local = 00:00-00:15Z.
    expect([iso(w.start), w.label]).toEqual(["2021-03-14T00:00:00.000Z", "2021-03-14T05:45+05:45"]);
  });

  it("an unknown zone is a clear error", () => {
    expect(() => windowContaining(clock("1d", "Mars/Olympus"), 0)).toThrow(
      /unknown time zone "Mars\/Olympus"/,
    );
  });
});

describe("--window forms", () => {
  it("accepts dates, months, local times and instants", () => {
    expect(parseWindow(clock("1d"), "2021-03-14").id).toBe("2021-03-14T00:00:00Z");
    expect(parseWindow(clock("1mo"), "2021-03").id).toBe("2021-03-01T00:00:00Z");
    expect(parseWindow(clock("1h"), "2021-03-14T10:00").id).toBe("2021-03-14T10:00:00Z");
    expect(parseWindow(clock("1h"), "2021-03-14 10:00:00").id).toBe("2021-03-14T10:00:00Z");
    expect(parseWindow(clock("1h"), "2021-03-14T10:00:00.000Z").id).toBe("2021-03-14T10:00:00Z");
    expect(parseWindow(clock("1h", "Europe/Berlin"), "2021-03-14T10:00").id).toBe("2021-03-14T09:00:00Z");
    expect(parseWindow(clock("1h", "Europe/Berlin"), "2021-03-14T10:00Z").id).toBe("2021-03-14T10:00:00Z");
    // The second 01:00 of the fall-back day, named by its offset.
    expect(parseWindow(clock("1h", "America/New_York"), "2021-11-07T01:00-05:00").id).toBe(
      "2021-11-07T06:00:00Z",
    );
    expect(parseWindow(clock("1h", "America/New_York"), "2021-11-07T01:00").id).toBe("2021-11-07T05:00:00Z");
    // A label is accepted back as a window.
    const w = parseWindow(clock("15m", "Asia/Kolkata"), "2021-03-14T10:15");
    expect(parseWindow(clock("15m", "Asia/Kolkata"), w.label).id).toBe(w.id);
  });

  it("rejects unaligned starts, naming the windows around them", () => {
    expect(() => parseWindow(clock("1h"), "2021-03-14T10:30")).toThrow(
      /window "2021-03-14T10:30" is not aligned to the job's period 1h \(time zone UTC\); the window holding it starts at 2021-03-14T10:00Z and the next one at 2021-03-14T11:00Z/,
    );
    expect(() => parseWindow(clock("1w"), "2021-03-14")).toThrow(
      /starts at 2021-03-08 and the next one at 2021-03-15/,
    );
    expect(() => parseWindow(clock("1mo"), "2021-03-14")).toThrow(/not aligned/);
    expect(() => parseWindow(clock("1d"), "2021-03-14T00:00:30")).toThrow(/not aligned/);
    expect(() => parseWindow(clock("1d", "America/New_York"), "2021-03-14T00:00Z")).toThrow(/not aligned/);
  });

  it("rejects unknown formats and impossible dates", () => {
    expect(() => parseWindow(clock("1d"), "14/03/2021")).toThrow(
      /unknown window format "14\/03\/2021"; expected YYYY-MM-DD/,
    );
    expect(() => parseWindow(clock("1d"), "yesterday")).toThrow(/unknown window format/);
    expect(() => parseWindow(clock("1d"), "2021-3-14")).toThrow(/unknown window format/);
    expect(() => parseWindow(clock("1d"), "2021-02-30")).toThrow(
      /invalid date or time in window "2021-02-30"/,
    );
    expect(() => parseWindow(clock("1h"), "2021-03-14T24:00")).toThrow(/invalid date or time/);
    expect(() => parseWindow(clock("1h", "America/New_York"), "2021-03-14T02:00")).toThrow(
      /daylight-saving gap/,
    );
  });
});

describe("window directories", () => {
  it("percent-encodes the UTC instant and reads it back", () => {
    expect(windowDirName("2021-03-14T05:00:00Z")).toBe("window_start=2021-03-14T05%3A00%3A00Z");
    expect(windowIdOfDir("window_start=2021-03-14T05%3A00%3A00Z")).toBe("2021-03-14T05:00:00Z");
    expect(windowIdOfDir("window_start=2021-03-14")).toBeNull();
    expect(windowIdOfDir("_kindling")).toBeNull();
  });
});
