// Spark datetime patterns: formatting, parsing (strict, case-insensitive, adjacent fields),
// round trips, and the cast-style parsing used without a format.
import { describe, expect, it } from "vitest";
import { getStrings, StringColumnBuilder } from "../../engine/columnar/builders.js";
import {
  parseDateBytes,
  parseTimestampBytes,
  parseTimestampNtzBytes,
} from "../../engine/expr/datetime/cast-parse.js";
import { compileFormatter } from "../../engine/expr/datetime/format.js";
import { compileParser } from "../../engine/expr/datetime/parse.js";
import { compilePattern } from "../../engine/expr/datetime/pattern.js";
import { zoneRules } from "../../engine/expr/datetime/timezone.js";

const enc = new TextEncoder();

/** ISO text of epoch seconds (extended years included) with a µs fraction. */
function iso(sec: number, us: number): string {
  const d = new Date(sec * 1000).toISOString();
  return `${d.slice(0, d.indexOf("T") + 9)}.${String(us).padStart(6, "0")}Z`;
}

function fmt(pattern: string, iso: string, zone = "UTC", micros = 0): string {
  const z = zoneRules(zone);
  const utc = Date.parse(iso) / 1000;
  const off = z.offsetAt(utc);
  const b = new StringColumnBuilder();
  compileFormatter(pattern, z).append(b, utc + off, micros, utc, off);
  return getStrings(b.finish())[0]!;
}

/** Parses and returns the instant as ISO text with µs, or null. */
function parse(pattern: string, text: string, zone = "UTC"): string | null {
  const out = new Float64Array(2);
  const bytes = enc.encode(text);
  if (!compileParser(pattern, zoneRules(zone)).parse(bytes, 0, bytes.length, out)) return null;
  return iso(out[0]!, out[1]!);
}

describe("formatting", () => {
  it("formats every supported letter", () => {
    const t = "2021-03-04T05:06:07Z";
    expect(fmt("yyyy-MM-dd HH:mm:ss", t)).toBe("2021-03-04 05:06:07");
    expect(fmt("y yy yyy yyyy yyyyy", t)).toBe("2021 21 2021 2021 02021");
    expect(fmt("M MM MMM MMMM L", t)).toBe("3 03 Mar March 3");
    expect(fmt("d dd D DD DDD", t)).toBe("4 04 63 63 063");
    expect(fmt("H HH h hh K k a", t)).toBe("5 05 5 05 5 5 AM");
    expect(fmt("h a k K", "2021-03-04T00:30:00Z")).toBe("12 AM 24 0");
    expect(fmt("hh a", "2021-03-04T12:30:00Z")).toBe("12 PM");
    expect(fmt("m mm s ss", t)).toBe("6 06 7 07");
    expect(fmt("S SS SSS SSSSSS SSSSSSSSS", t, "UTC", 123456)).toBe("1 12 123 123456 123456000");
    expect(fmt("E EE EEE EEEE", t)).toBe("Thu Thu Thu Thursday");
    expect(fmt("Q QQ QQQ QQQQ", t)).toBe("1 01 Q1 1st quarter");
    expect(fmt("G GGGG", t)).toBe("AD Anno Domini");
    expect(fmt("'T'HH'h' '''quoted'''[ 'opt']''", t)).toBe("T05h 'quoted' opt'");
    expect(fmt("yyyy/MM/dd 日", t)).toBe("2021/03/04 日");
  });
  it("formats zones and offsets in the session zone", () => {
    const t = "2021-07-01T12:00:00Z";
    expect(fmt("HH:mm XXX XX X xxx Z ZZZZZ ZZZZ O OOOO VV z", t, "America/New_York")).toBe(
      "08:00 -04:00 -0400 -04 -04:00 -0400 -04:00 GMT-04:00 GMT-4 GMT-04:00 America/New_York EDT",
    );
    expect(fmt("XXX xxx Z ZZZZZ O z", t, "UTC")).toBe("Z +00:00 +0000 Z GMT UTC");
    expect(fmt("HH:mm XXX X", t, "Asia/Kolkata")).toBe("17:30 +05:30 +0530");
    expect(fmt("HH:mm XXX", "2021-01-01T12:00:00Z", "Europe/Berlin")).toBe("13:00 +01:00");
    expect(fmt("z", "2021-01-01T12:00:00Z", "Europe/Berlin")).toBe("CET");
    expect(fmt("z", t, "Europe/Berlin")).toBe("CEST");
    expect(fmt("z zzzz", t, "Europe/London")).toBe("BST British Summer Time");
    expect(fmt("z", t, "Asia/Tokyo")).toBe("JST");
  });
  it("formats years before 1 and after 9999 like java.time", () => {
    expect(fmt("yyyy-MM-dd", "-000001-06-01T00:00:00Z")).toBe("-0001-06-01");
    expect(fmt("yyyy G", "-000001-06-01T00:00:00Z")).toBe("0002 BC");
    expect(fmt("yyyy", "+012345-01-01T00:00:00Z")).toBe("+12345");
    expect(fmt("yyyy-MM-dd HH:mm:ss.SSS", "1969-12-31T23:59:59Z", "UTC", 999000)).toBe(
      "1969-12-31 23:59:59.999",
    );
  });
  it("rejects patterns Spark rejects", () => {
    expect(() => compilePattern("yyyy-MM-dd uu", false)).toThrow(/'u'/);
    expect(() => compilePattern("MMMMM", false)).toThrow(/Too many pattern letters: M/);
    expect(() => compilePattern("yyyy 'unterminated", false)).toThrow(/incomplete string literal/);
    expect(() => compilePattern("aa", false)).toThrow(/Too many/);
    expect(() => compilePattern("yyyy]", false)).toThrow(/without previous/);
    expect(() => compilePattern("EEE yyyy", true)).toThrow(/Illegal pattern character: E/);
    expect(() => compilePattern("QQ", true)).toThrow(/Illegal pattern character: Q/);
    expect(() => compilePattern("b", false)).toThrow(/Unknown pattern letter/);
    expect(() => compilePattern("{", false)).toThrow(/reserved/);
  });
});

describe("parsing with a pattern", () => {
  it("parses common layouts", () => {
    expect(parse("yyyy-MM-dd HH:mm:ss", "2021-03-14 10:20:30")).toBe("2021-03-14T10:20:30.000000Z");
    expect(parse("yyyy-MM-dd", "2021-03-14")).toBe("2021-03-14T00:00:00.000000Z");
    expect(parse("dd/MM/yyyy", "14/03/2021")).toBe("2021-03-14T00:00:00.000000Z");
    expect(parse("yyyyMMdd", "20210314")).toBe("2021-03-14T00:00:00.000000Z");
    expect(parse("yyyyMMddHHmmss", "20210314102030")).toBe("2021-03-14T10:20:30.000000Z");
    expect(parse("d MMM yyyy", "4 mar 2021")).toBe("2021-03-04T00:00:00.000000Z");
    expect(parse("MMMM d, yyyy", "MARCH 4, 2021")).toBe("2021-03-04T00:00:00.000000Z");
    expect(parse("hh:mm a", "10:30 pm")).toBe("1970-01-01T22:30:00.000000Z");
    expect(parse("hh:mm a", "12:05 AM")).toBe("1970-01-01T00:05:00.000000Z");
    expect(parse("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2021-03-14T10:20:30.5+01:00")).toBe(
      "2021-03-14T09:20:30.500000Z",
    );
    expect(parse("yyyy-MM-dd HH:mm:ss.SSSSSS", "2021-03-14 10:20:30.123456")).toBe(
      "2021-03-14T10:20:30.123456Z",
    );
    expect(parse("yyyy-MM-dd HH:mm:ss Z", "2021-03-14 10:20:30 -0800")).toBe("2021-03-14T18:20:30.000000Z");
    expect(parse("yyyy-MM-dd HH:mm VV", "2021-07-01 12:00 America/New_York")).toBe(
      "2021-07-01T16:00:00.000000Z",
    );
    expect(parse("yyyy-MM-dd HH:mm O", "2021-07-01 12:00 GMT+2")).toBe("2021-07-01T10:00:00.000000Z");
    expect(parse("yyyy DDD", "2020 366")).toBe("2020-12-31T00:00:00.000000Z");
    expect(parse("yy-M-d", "99-1-2")).toBe("2099-01-02T00:00:00.000000Z");
    expect(parse("yyyy-MM[-dd]", "2021-03")).toBe("2021-03-01T00:00:00.000000Z");
    expect(parse("yyyy-MM[-dd]", "2021-03-09")).toBe("2021-03-09T00:00:00.000000Z");
    expect(parse("G yyyy", "BC 0044")).toBe("-000043-01-01T00:00:00.000000Z");
  });
  it("returns null for what java.time's strict parser rejects", () => {
    expect(parse("yyyy-MM-dd", "2021-3-14")).toBeNull();
    expect(parse("yyyy-MM-dd", "2021-02-29")).toBeNull();
    expect(parse("yyyy-MM-dd", "2021-02-28 10:00")).toBeNull();
    expect(parse("yyyy-MM-dd", "21-02-28")).toBeNull();
    expect(parse("yyyy-MM-dd", "12021-02-28")).toBeNull();
    expect(parse("HH:mm", "24:00")).toBeNull();
    expect(parse("hh:mm", "13:00")).toBeNull();
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS", "2021-03-14 10:20:30.1234")).toBeNull();
    expect(parse("yyyy DDD", "2021 366")).toBeNull();
    expect(parse("yyyy-MM-dd", "")).toBeNull();
    expect(parse("yyyy-MM-dd", "2021-13-01")).toBeNull();
  });
  it("reads wall times in the session zone, java.time style around DST", () => {
    expect(parse("yyyy-MM-dd HH:mm", "2021-03-14 02:30", "America/New_York")).toBe(
      "2021-03-14T07:30:00.000000Z",
    );
    expect(parse("yyyy-MM-dd HH:mm", "2021-11-07 01:30", "America/New_York")).toBe(
      "2021-11-07T05:30:00.000000Z",
    );
    expect(parse("yyyy-MM-dd HH:mm", "2021-03-28 02:30", "Europe/Berlin")).toBe(
      "2021-03-28T01:30:00.000000Z",
    );
    expect(parse("yyyy-MM-dd HH:mm", "1950-06-01 12:00", "Europe/Berlin")).toBe(
      "1950-06-01T11:00:00.000000Z",
    );
  });
  it("round-trips format → parse for many instants and patterns", () => {
    const patterns = [
      "yyyy-MM-dd HH:mm:ss.SSSSSS",
      "dd MMM yyyy hh:mm:ss.SSS a XXX",
      "yyyyMMddHHmmss",
      "MMMM d yyyy, H:m:s Z",
      "yyyy-DDD'T'HH:mm:ssxxx",
    ];
    let s = 12345;
    for (const zone of ["UTC", "America/New_York", "Europe/Berlin"]) {
      for (let k = 0; k < 300; k++) {
        s = (s * 1103515245 + 12345) >>> 0;
        const sec = Math.floor(-2e9 + (s / 4294967296) * 5e9);
        const z = zoneRules(zone);
        const off = z.offsetAt(sec);
        for (const p of patterns) {
          const b = new StringColumnBuilder();
          compileFormatter(p, z).append(b, sec + off, 123000, sec, off);
          const text = getStrings(b.finish())[0]!;
          const back = new Float64Array(2);
          const bytes = enc.encode(text);
          const ok = compileParser(p, z).parse(bytes, 0, bytes.length, back);
          const keepsOffset = /X|x|Z/.test(p);
          const wantUs = p.includes("SSS") ? 123000 : 0;
          // Without an offset in the text, a wall time in a DST overlap reads as the earlier instant.
          if (keepsOffset || z.offsetAt(sec - 3600) === off)
            expect([p, text, ok, back[0], back[1]]).toEqual([p, text, true, sec, wantUs]);
        }
      }
    }
  });
});

describe("cast-style parsing (no format)", () => {
  const date = (s: string) => {
    const d = parseDateBytes(enc.encode(s), 0, enc.encode(s).length);
    return Number.isNaN(d) ? null : iso(d * 86400, 0).split("T")[0];
  };
  const ts = (s: string, zone = "UTC") => {
    const out = new Float64Array(2);
    const b = enc.encode(s);
    if (!parseTimestampBytes(b, 0, b.length, zoneRules(zone), 1_700_000_000, out)) return null;
    return iso(out[0]!, out[1]!);
  };
  it("dates", () => {
    expect(date("2021-03-14")).toBe("2021-03-14");
    expect(date(" 2021-3-4 ")).toBe("2021-03-04");
    expect(date("2021-03-14 10:00:00")).toBe("2021-03-14");
    expect(date("2021-03-14T10:00:00Z")).toBe("2021-03-14");
    expect(date("2021-03-14 garbage")).toBe("2021-03-14");
    expect(date("2021")).toBe("2021-01-01");
    expect(date("2021-03")).toBe("2021-03-01");
    expect(date("2020-02-29")).toBe("2020-02-29");
    expect(date("2021-02-29")).toBeNull();
    expect(date("2021-03-")).toBeNull();
    expect(date("21-03-14")).toBeNull();
    expect(date("2021-03x")).toBeNull();
    expect(date("")).toBeNull();
    expect(date("-0044-03-15")).toBe("-000044-03-15");
  });
  it("timestamps", () => {
    expect(ts("2021-03-14 10:20:30")).toBe("2021-03-14T10:20:30.000000Z");
    expect(ts("2021-03-14T10:20:30.123456789")).toBe("2021-03-14T10:20:30.123456Z");
    expect(ts("2021-03-14 10:20")).toBe("2021-03-14T10:20:00.000000Z");
    expect(ts("2021-03-14")).toBe("2021-03-14T00:00:00.000000Z");
    expect(ts("2021-03-14 10:20:30Z", "America/New_York")).toBe("2021-03-14T10:20:30.000000Z");
    expect(ts("2021-03-14 10:20:30", "America/New_York")).toBe("2021-03-14T14:20:30.000000Z");
    expect(ts("2021-03-14 10:20:30 +01:00")).toBe("2021-03-14T09:20:30.000000Z");
    expect(ts("2021-03-14 10:20:30-8")).toBe("2021-03-14T18:20:30.000000Z");
    expect(ts("2021-03-14 10:20:30 Europe/Berlin")).toBe("2021-03-14T09:20:30.000000Z");
    expect(ts("2021-03-14 10:20:30 UTC+3")).toBe("2021-03-14T07:20:30.000000Z");
    expect(ts("10:20:30")).toBe("2023-11-14T10:20:30.000000Z");
    expect(ts("1969-12-31 23:59:59.5")).toBe("1969-12-31T23:59:59.500000Z");
    expect(ts("2021-03-14 25:00:00")).toBeNull();
    expect(ts("2021-03-14 10:20:30 Nowhere/Land")).toBeNull();
    expect(ts("x")).toBeNull();
    const out = new Float64Array(2);
    const b = enc.encode("2021-03-14 10:20:30+05:00");
    expect(parseTimestampNtzBytes(b, 0, b.length, out)).toBe(true);
    expect(out[0]).toBe(Date.UTC(2021, 2, 14, 10, 20, 30) / 1000);
  });
});
