// Dates and timestamps from bytes: Spark's lenient ISO forms, zones, and datetime patterns.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../engine/errors.js";
import {
  civilFromDays,
  DT,
  daysFromCivil,
  parseDateLenient,
  parseDateStrict,
  parseTimestampLenient,
} from "../../engine/io/csv/datetime.js";
import { formatDate, formatTimestamp } from "../../engine/io/csv/datetime-format.js";
import { parseWithPattern } from "../../engine/io/csv/datetime-parse.js";
import { compilePattern } from "../../engine/io/csv/datetime-pattern.js";
import { localToUtc, offsetAtUtc, resolveZone, UTC } from "../../engine/io/csv/timezone.js";

const enc = new TextEncoder();

/** Parses leniently and returns the instant as an ISO string with µs, or null. */
function ts(s: string, zone: string | null = "UTC"): string | null {
  const b = enc.encode(s);
  const z = zone === null ? null : resolveZone(zone)!;
  if (!parseTimestampLenient(b, 0, b.length, z)) return null;
  return iso(DT.sec, DT.micros);
}
function iso(sec: number, micros: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 19) + "." + String(micros).padStart(6, "0");
}
function date(s: string, strict = false): string | null {
  const b = enc.encode(s);
  const ok = strict ? parseDateStrict(b, 0, b.length) : parseDateLenient(b, 0, b.length);
  return ok ? new Date(DT.days * 86400000).toISOString().slice(0, 10) : null;
}
function pat(
  p: string,
  s: string,
  kind: "date" | "timestamp" | "ntz" = "timestamp",
  zone = "UTC",
): string | null {
  const b = enc.encode(s);
  if (!parseWithPattern(compilePattern(p, "timestampFormat"), b, 0, b.length, kind, resolveZone(zone)!))
    return null;
  return kind === "date" ? new Date(DT.days * 86400000).toISOString().slice(0, 10) : iso(DT.sec, DT.micros);
}

describe("civil dates", () => {
  it("round-trips days over a wide range", () => {
    const out = [0, 0, 0];
    for (let d = -800000; d < 800000; d += 97) {
      civilFromDays(d, out);
      expect(daysFromCivil(out[0]!, out[1]!, out[2]!)).toBe(d);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
  });
});

describe("lenient timestamps (Spark's stringToTimestamp)", () => {
  it("reads the ISO forms with and without fraction and zone", () => {
    expect(ts("2021-03-14 01:02:03")).toBe("2021-03-14T01:02:03.000000");
    expect(ts("2021-03-14T01:02:03")).toBe("2021-03-14T01:02:03.000000");
    expect(ts("2021-03-14T01:02:03.123Z")).toBe("2021-03-14T01:02:03.123000");
    expect(ts("2021-03-14T01:02:03.123456789Z")).toBe("2021-03-14T01:02:03.123456");
    expect(ts("2021-03-14 01:02:03.5")).toBe("2021-03-14T01:02:03.500000");
    expect(ts("  2021-03-14 01:02:03  ")).toBe("2021-03-14T01:02:03.000000");
    expect(ts("2021-03-14T01:02:03+01:00")).toBe("2021-03-14T00:02:03.000000");
    expect(ts("2021-03-14T01:02:03-0530")).toBe("2021-03-14T06:32:03.000000");
    expect(ts("2021-03-14T01:02:03.1+01")).toBe("2021-03-14T00:02:03.100000");
    expect(ts("2021-03-14 01:02:03 UTC")).toBe("2021-03-14T01:02:03.000000");
    expect(ts("2021-03-14 01:02:03 GMT+2")).toBe("2021-03-13T23:02:03.000000");
    expect(ts("2021-07-01 12:00:00 America/New_York")).toBe("2021-07-01T16:00:00.000000");
    expect(ts("2021-01-01 12:00:00Europe/Paris")).toBe("2021-01-01T11:00:00.000000");
    expect(ts("2021-03-14 01:02")).toBe("2021-03-14T01:02:00.000000");
    expect(ts("2021-03-14 1:2:3")).toBe("2021-03-14T01:02:03.000000");
    expect(ts("2021-03-14")).toBe("2021-03-14T00:00:00.000000");
    expect(ts("2021-3-4")).toBe("2021-03-04T00:00:00.000000");
    expect(ts("2021-03")).toBe("2021-03-01T00:00:00.000000");
    expect(ts("2021")).toBe("2021-01-01T00:00:00.000000");
    expect(ts("1900-01-01 00:00:00")).toBe("1900-01-01T00:00:00.000000");
  });

  it("rejects what Spark rejects", () => {
    for (const s of [
      "",
      "21-03-14",
      "2021-13-01",
      "2021-02-30",
      "2021-03-14T",
      "2021-03-14 25:00:00",
      "2021-03-14 01:60:00",
      "2021/03/14",
      "20210314",
      "2021-03-14 01:02:03 Nowhere/Zone",
      "2021-03-14 01:02Z",
      "hello",
      "12",
    ]) {
      expect(ts(s), s).toBeNull();
    }
  });

  it("reads values without a zone in the default zone, and keeps wall-clock for ntz", () => {
    expect(ts("2021-07-01 12:00:00", "America/Los_Angeles")).toBe("2021-07-01T19:00:00.000000");
    expect(ts("2021-01-01 12:00:00", "America/Los_Angeles")).toBe("2021-01-01T20:00:00.000000");
    expect(ts("2021-01-01 12:00:00", "+05:30")).toBe("2021-01-01T06:30:00.000000");
    expect(ts("2021-01-01 12:00:00", null)).toBe("2021-01-01T12:00:00.000000");
    expect(ts("2021-01-01 12:00:00Z", null)).toBeNull();
  });

  it("keeps years past 2255 exact", () => {
    expect(ts("9999-12-31 23:59:59.999999")).toBe("9999-12-31T23:59:59.999999");
    expect(DT.sec * 1e6 + DT.micros).toBeGreaterThan(2 ** 53);
  });
});

describe("dates", () => {
  it("strict yyyy-MM-dd for inference, lenient stringToDate for reading", () => {
    expect(date("2021-03-14", true)).toBe("2021-03-14");
    expect(date("2021-3-14", true)).toBeNull();
    expect(date("2021-03-14 ", true)).toBeNull();
    expect(date("2020-02-29", true)).toBe("2020-02-29");
    expect(date("2021-02-29", true)).toBeNull();
    expect(date("2021-3-4")).toBe("2021-03-04");
    expect(date("2021-03-14T10:00:00")).toBe("2021-03-14");
    expect(date("2021-03-14 anything")).toBe("2021-03-14");
    expect(date("2021-03")).toBe("2021-03-01");
    expect(date("2021")).toBe("2021-01-01");
    expect(date(" 2021-03-14 ")).toBe("2021-03-14");
    expect(date("2021-03-14x")).toBeNull();
    expect(date("14/03/2021")).toBeNull();
  });
});

describe("patterns", () => {
  it("parses common Spark patterns", () => {
    expect(pat("yyyy-MM-dd HH:mm:ss", "2021-03-14 01:02:03")).toBe("2021-03-14T01:02:03.000000");
    expect(pat("dd/MM/yyyy HH:mm", "14/03/2021 23:59")).toBe("2021-03-14T23:59:00.000000");
    expect(pat("MM/dd/yyyy", "03/14/2021", "date")).toBe("2021-03-14");
    expect(pat("d.M.yy", "4.3.21", "date")).toBe("2021-03-04");
    expect(pat("yyyyMMdd", "20210314", "date")).toBe("2021-03-14");
    expect(pat("yyyyMMddHHmmss", "20210314010203")).toBe("2021-03-14T01:02:03.000000");
    expect(pat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2021-03-14T01:02:03.123+02:00")).toBe(
      "2021-03-13T23:02:03.123000",
    );
    expect(pat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2021-03-14T01:02:03.123Z")).toBe(
      "2021-03-14T01:02:03.123000",
    );
    expect(pat("yyyy-MM-dd HH:mm:ss.SSSSSS", "2021-03-14 01:02:03.12")).toBe("2021-03-14T01:02:03.120000");
    expect(pat("yyyy-MM-dd HH:mm:ss[.SSS]", "2021-03-14 01:02:03")).toBe("2021-03-14T01:02:03.000000");
    expect(pat("yyyy-MM-dd HH:mm:ss[.SSS]", "2021-03-14 01:02:03.7")).toBe("2021-03-14T01:02:03.700000");
    expect(pat("dd MMM yyyy hh:mm a", "14 Mar 2021 01:02 PM")).toBe("2021-03-14T13:02:00.000000");
    expect(pat("dd MMMM yyyy h:mm a", "14 march 2021 12:05 am")).toBe("2021-03-14T00:05:00.000000");
    expect(pat("EEE, dd MMM yyyy HH:mm:ss Z", "Sun, 14 Mar 2021 01:02:03 +0100")).toBe(
      "2021-03-14T00:02:03.000000",
    );
    expect(pat("yyyy-MM-dd HH:mm VV", "2021-07-01 12:00 America/New_York")).toBe(
      "2021-07-01T16:00:00.000000",
    );
    expect(pat("yyyy-MM-dd HH:mm", "2021-07-01 12:00", "timestamp", "Europe/Berlin")).toBe(
      "2021-07-01T10:00:00.000000",
    );
    expect(pat("yyyy-MM-dd HH:mm", "2021-07-01 12:00", "ntz", "Europe/Berlin")).toBe(
      "2021-07-01T12:00:00.000000",
    );
  });

  it("rejects partial or invalid matches", () => {
    expect(pat("yyyy-MM-dd", "2021-03-14 01:02", "date")).toBeNull();
    expect(pat("yyyy-MM-dd", "2021-3-14", "date")).toBeNull();
    expect(pat("dd/MM/yyyy", "31/02/2021", "date")).toBeNull();
    expect(pat("HH:mm", "24:00")).toBeNull();
    expect(pat("yyyy-MM-dd HH:mm XXX", "2021-07-01 12:00 +01:00", "ntz")).toBeNull();
  });

  it("formats", () => {
    const p = compilePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "timestampFormat");
    const sec = Date.UTC(2021, 2, 14, 1, 2, 3) / 1000;
    expect(formatTimestamp(p, sec, 123456, UTC)).toBe("2021-03-14T01:02:03.123Z");
    expect(formatTimestamp(p, sec, 0, resolveZone("+05:30"))).toBe("2021-03-14T06:32:03.000+05:30");
    expect(formatTimestamp(p, sec, 0, resolveZone("America/New_York"))).toBe("2021-03-13T20:02:03.000-05:00");
    const q = compilePattern("EEEE dd MMMM yy hh:mm a, 'o''clock' [SSSSSS] x Z", "f");
    expect(formatTimestamp(q, sec, 5, UTC)).toBe("Sunday 14 March 21 01:02 AM, o'clock 000005 +00 +0000");
    expect(formatDate(compilePattern("dd/MM/yyyy", "dateFormat"), daysFromCivil(2021, 3, 14))).toBe(
      "14/03/2021",
    );
  });

  it("names the option and the letter of an unsupported pattern", () => {
    expect(() => compilePattern("yyyy-ww", "dateFormat")).toThrow(ConfigError);
    expect(() => compilePattern("yyyy-ww", "dateFormat")).toThrow(/dateFormat.*"w"/);
    expect(() => compilePattern("yyyy-MM-dd'T", "timestampFormat")).toThrow(/unterminated/);
  });
});

describe("zones", () => {
  it("resolves Spark zone ids", () => {
    expect(resolveZone("Z")?.fixed).toBe(0);
    expect(resolveZone("+01:30")?.fixed).toBe(5400);
    expect(resolveZone("-0800")?.fixed).toBe(-28800);
    expect(resolveZone("+5")?.fixed).toBe(18000);
    expect(resolveZone("UTC+01:00")?.fixed).toBe(3600);
    expect(resolveZone("GMT-3")?.fixed).toBe(-10800);
    expect(resolveZone("EST")?.fixed).toBe(-18000);
    expect(resolveZone("PST")?.id).toBe("America/Los_Angeles");
    expect(resolveZone("Asia/Tokyo")?.fixed).toBeNull();
    expect(resolveZone("Mars/Olympus")).toBeNull();
    expect(resolveZone("+25:00")).toBeNull();
  });

  it("converts wall-clock to UTC through DST gaps and overlaps like java.time", () => {
    const ny = resolveZone("America/New_York")!;
    const local = (y: number, mo: number, d: number, h: number, mi: number) =>
      Date.UTC(y, mo - 1, d, h, mi) / 1000;
    // Gap: 2021-03-14 02:30 does not exist; java.time moves it to 03:30 EDT (07:30Z).
    expect(new Date(localToUtc(ny, local(2021, 3, 14, 2, 30)) * 1000).toISOString()).toBe(
      "2021-03-14T07:30:00.000Z",
    );
    // Overlap: 2021-11-07 01:30 happens twice; java.time takes the earlier (EDT, 05:30Z).
    expect(new Date(localToUtc(ny, local(2021, 11, 7, 1, 30)) * 1000).toISOString()).toBe(
      "2021-11-07T05:30:00.000Z",
    );
    expect(offsetAtUtc(ny, Date.UTC(2021, 6, 1) / 1000)).toBe(-4 * 3600);
    expect(offsetAtUtc(ny, Date.UTC(2021, 0, 1) / 1000)).toBe(-5 * 3600);
  });
});
