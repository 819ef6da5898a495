import { describe, expect, it } from "vitest";
import {
  DEFAULT_PARTITION_NAME,
  escapePathName,
  formatPartitionValue,
  javaDoubleToString,
  partitionDirName,
  unescapePathName,
} from "../../engine/io/partition-path.js";
import { T } from "../../engine/types/data-type.js";

describe("escapePathName / unescapePathName (Spark's ExternalCatalogUtils)", () => {
  it("escapes exactly Spark's characters", () => {
    expect(escapePathName("2021-03-14 01:02:03")).toBe("2021-03-14 01%3A02%3A03");
    expect(escapePathName("a/b")).toBe("a%2Fb");
    expect(escapePathName("100%")).toBe("100%25");
    expect(escapePathName(`"#%'*/:=?\\\x7F{[]^`)).toBe("%22%23%25%27%2A%2F%3A%3D%3F%5C%7F%7B%5B%5D%5E");
    expect(escapePathName("\x01\t\n\r\x1F")).toBe("%01%09%0A%0D%1F");
    // Not escaped: space, `}`, `+`, `,`, `-`, `_`, `.`, `@`, non-ASCII, NUL.
    expect(escapePathName("a b}+,-_.@é\u0000")).toBe("a b}+,-_.@é\u0000");
  });

  it("round-trips every ASCII character and some non-ASCII text", () => {
    let all = "";
    for (let c = 1; c < 128; c++) all += String.fromCharCode(c);
    expect(unescapePathName(escapePathName(all))).toBe(all);
    for (const s of ["x:y", "a=b=c", "%%", "naïve/日本", "2021-03-14T00:00:00Z", "[1]{2}"]) {
      expect(unescapePathName(escapePathName(s))).toBe(s);
    }
  });

  it("decodes like Spark, leaving malformed escapes alone", () => {
    expect(unescapePathName("a%3Ab")).toBe("a:b");
    expect(unescapePathName("a%3ab")).toBe("a:b");
    expect(unescapePathName("%ZZ")).toBe("%ZZ");
    expect(unescapePathName("50%")).toBe("50%");
    expect(unescapePathName("5%3")).toBe("5%3");
    expect(unescapePathName("%-1")).toBe("%-1");
    // Java's parseInt("+A", 16) is 10, so Spark decodes it.
    expect(unescapePathName("%+A")).toBe("\n");
    // Each %XX is one UTF-16 code unit: UTF-8 escapes are not joined.
    expect(unescapePathName("%C3%A9")).toBe("\u00C3\u00A9");
  });
});

describe("partitionDirName", () => {
  it("joins escaped name=value segments", () => {
    expect(partitionDirName(["a", "b"], ["1", "x:y"])).toBe("a=1/b=x%3Ay");
    expect(partitionDirName(["k=1"], ["v"])).toBe("k%3D1=v");
  });
  it("writes null and empty strings as the default partition", () => {
    expect(partitionDirName(["a", "b"], [null, ""])).toBe(
      `a=${DEFAULT_PARTITION_NAME}/b=${DEFAULT_PARTITION_NAME}`,
    );
  });
});

describe("formatPartitionValue (Spark's cast to string)", () => {
  it("formats each type", () => {
    expect(formatPartitionValue(T.int32, 7)).toBe("7");
    expect(formatPartitionValue(T.int64, 9007199254740993n)).toBe("9007199254740993");
    expect(formatPartitionValue(T.boolean, true)).toBe("true");
    expect(formatPartitionValue(T.string, "x/y")).toBe("x/y");
    expect(formatPartitionValue(T.float64, 1)).toBe("1.0");
    expect(formatPartitionValue(T.decimal(10, 2), 12345n)).toBe("123.45");
    expect(formatPartitionValue(T.decimal(10, 3), -5n)).toBe("-0.005");
    expect(formatPartitionValue(T.date, 18700)).toBe("2021-03-14");
    expect(formatPartitionValue(T.date, -1)).toBe("1969-12-31");
    expect(formatPartitionValue(T.int32, null)).toBeNull();
  });

  it("formats timestamps in the session zone, fraction without trailing zeros", () => {
    const us = 1615683723000000n; // 2021-03-14T01:02:03Z
    expect(formatPartitionValue(T.timestamp, us)).toBe("2021-03-14 01:02:03");
    expect(formatPartitionValue(T.timestamp, us + 500000n)).toBe("2021-03-14 01:02:03.5");
    expect(formatPartitionValue(T.timestamp, us + 123456n)).toBe("2021-03-14 01:02:03.123456");
    expect(formatPartitionValue(T.timestamp, us, "America/Los_Angeles")).toBe("2021-03-13 17:02:03");
    expect(formatPartitionValue(T.timestamp, -1n)).toBe("1969-12-31 23:59:59.999999");
    // A zone-less (wall-clock) timestamp is never shifted.
    expect(formatPartitionValue(T.timestampNtz, us, "Asia/Tokyo")).toBe("2021-03-14 01:02:03");
    expect(partitionDirName(["ts"], [formatPartitionValue(T.timestamp, us)])).toBe(
      "ts=2021-03-14 01%3A02%3A03",
    );
  });

  it("formats doubles as Java's Double.toString", () => {
    const cases: [number, string][] = [
      [0, "0.0"],
      [-0, "-0.0"],
      [1.5, "1.5"],
      [100, "100.0"],
      [0.001, "0.001"],
      [0.0001, "1.0E-4"],
      [1234567, "1234567.0"],
      [1e7, "1.0E7"],
      [1.25e21, "1.25E21"],
      [-3.5e-10, "-3.5E-10"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
    ];
    for (const [x, s] of cases) expect(javaDoubleToString(x)).toBe(s);
  });

  it("refuses array partition values", () => {
    expect(() => formatPartitionValue(T.list(T.int32), [1])).toThrow(/array/);
  });
});
