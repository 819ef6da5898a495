// Number parsing from bytes: Java's acceptance rules and correctly rounded doubles.
import { describe, expect, it } from "vitest";
import * as D from "../../engine/io/csv/decimal.js";
import * as N from "../../engine/io/csv/numbers.js";
import { decimalText } from "../../engine/io/csv/write-format.js";

const enc = new TextEncoder();
const b = (s: string) => enc.encode(s);

function f64(s: string): number | "bad" {
  const x = b(s);
  const v = N.parseFloat64(x, 0, x.length, null);
  return N.parseOk ? v : "bad";
}
function i32(s: string): number | "bad" {
  const x = b(s);
  const v = N.parseInt32(x, 0, x.length);
  return N.parseOk ? v : "bad";
}
function i64(s: string): bigint | "bad" {
  const x = b(s);
  const vals = new BigInt64Array(2);
  const h = new Int32Array(vals.buffer);
  return N.parseInt64Into(x, 0, x.length, h, vals, 1) ? vals[1]! : "bad";
}
function dec(s: string, p: number, sc: number): string | "bad" {
  const x = b(s);
  const t = D.parseDecimalText(x, 0, x.length);
  const vals = new BigInt64Array(4);
  const h = new Int32Array(vals.buffer);
  if (t === null || !D.writeDecimal(t, p, sc, h, vals, 1)) return "bad";
  return decimalText(vals, 1, sc);
}

describe("integers", () => {
  it("follows Integer.parseInt", () => {
    expect(i32("0")).toBe(0);
    expect(i32("007")).toBe(7);
    expect(i32("+42")).toBe(42);
    expect(i32("-2147483648")).toBe(-2147483648);
    expect(i32("2147483647")).toBe(2147483647);
    expect(i32("000000000000002147483647")).toBe(2147483647);
    expect(i32("2147483648")).toBe("bad");
    expect(i32("-2147483649")).toBe("bad");
    for (const s of ["", "-", "+", " 1", "1 ", "1.0", "1e3", "0x10", "1_000", "١"])
      expect(i32(s), s).toBe("bad");
  });

  it("follows Long.parseLong, exactly beyond 2^53", () => {
    expect(i64("9007199254740993")).toBe(9007199254740993n);
    expect(i64("9223372036854775807")).toBe(9223372036854775807n);
    expect(i64("-9223372036854775808")).toBe(-9223372036854775808n);
    expect(i64("+0000000000000000000000012")).toBe(12n);
    expect(i64("-1")).toBe(-1n);
    expect(i64("-4294967296")).toBe(-4294967296n);
    expect(i64("9223372036854775808")).toBe("bad");
    expect(i64("12345678901234567890")).toBe("bad");
    expect(i64("1.5")).toBe("bad");
    expect(i64("")).toBe("bad");
    for (let k = 0; k < 2000; k++) {
      const v = BigInt.asIntN(
        64,
        BigInt(Math.floor(Math.random() * 2 ** 32)) * BigInt(Math.floor(Math.random() * 2 ** 32)),
      );
      const small = BigInt(Math.floor((Math.random() - 0.5) * 2 ** 40));
      expect(i64(String(v))).toBe(v);
      expect(i64(String(small))).toBe(small);
    }
  });

  it("classifies integers for inference", () => {
    expect(N.classifyInteger(b("123"), 0, 3)).toBe(32);
    expect(N.classifyInteger(b("2147483648"), 0, 10)).toBe(64);
    expect(N.classifyInteger(b("-9223372036854775808"), 0, 20)).toBe(64);
    expect(N.classifyInteger(b("9223372036854775808"), 0, 19)).toBe(0);
    expect(N.classifyInteger(b("1.0"), 0, 3)).toBe(-1);
  });
});

describe("doubles", () => {
  it("accepts Java's syntax", () => {
    expect(f64("1.5")).toBe(1.5);
    expect(f64(" 2.5 ")).toBe(2.5);
    expect(f64("1.")).toBe(1);
    expect(f64(".5")).toBe(0.5);
    expect(f64("-.5e1")).toBe(-5);
    expect(f64("1e3")).toBe(1000);
    expect(f64("1E+03")).toBe(1000);
    expect(f64("1.5d")).toBe(1.5);
    expect(f64("2F")).toBe(2);
    expect(f64("NaN")).toBeNaN();
    expect(f64("-Infinity")).toBe(Number.NEGATIVE_INFINITY);
    expect(f64("+Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(f64("-0"), -0)).toBe(true);
    expect(f64("1e400")).toBe(Number.POSITIVE_INFINITY);
    expect(f64("1e-400")).toBe(0);
    for (const s of ["", ".", "e5", "1e", "1.5.5", "1,5", "0x1p3", "inf", "nan", "1.5dd", "--1", "1 2"]) {
      expect(f64(s), s).toBe("bad");
    }
  });

  it("honours nanValue/positiveInf/negativeInf", () => {
    const special = { nan: b("NA"), posInf: b("Inf"), negInf: b("-Inf") };
    const x = b("Inf");
    expect(N.parseFloat64(x, 0, 3, special)).toBe(Number.POSITIVE_INFINITY);
    expect(N.parseFloat64(b("-Inf"), 0, 4, special)).toBe(Number.NEGATIVE_INFINITY);
    expect(N.parseFloat64(b("NA"), 0, 2, special)).toBeNaN();
  });

  it("rounds exactly like Number() on random inputs", () => {
    const forms: string[] = [
      "0.1",
      "0.3",
      "123456789012345.6",
      "9007199254740993",
      "1.7976931348623157e308",
      "4.9e-324",
      "2.2250738585072014e-308",
      "0.000001234567890123456789",
      "12345678901234567890123",
    ];
    for (let k = 0; k < 20000; k++) {
      const digits = 1 + Math.floor(Math.random() * 20);
      let m = "";
      for (let d = 0; d < digits; d++) m += Math.floor(Math.random() * 10);
      const point = Math.floor(Math.random() * (digits + 1));
      let s = m.slice(0, point) + "." + m.slice(point);
      if (Math.random() < 0.3) s += "e" + (Math.floor(Math.random() * 60) - 30);
      if (Math.random() < 0.5) s = "-" + s;
      forms.push(s);
      forms.push(String(Math.random() * 10 ** (Math.floor(Math.random() * 40) - 20)));
    }
    for (const s of forms) {
      if (s === "." || s === "-.") continue;
      expect(f64(s), s).toBe(Number(s));
    }
  });
});

describe("booleans and decimals", () => {
  it("reads true/false case-insensitively only", () => {
    const v = (s: string) => N.parseBool(b(s), 0, s.length);
    expect(v("true")).toBe(1);
    expect(v("TRUE")).toBe(1);
    expect(v("False")).toBe(0);
    expect(v("t")).toBe(-1);
    expect(v("1")).toBe(-1);
    expect(v("yes")).toBe(-1);
  });

  it("rounds half-up to the scale and checks precision", () => {
    expect(dec("12.345", 10, 2)).toBe("12.35");
    expect(dec("-12.345", 10, 2)).toBe("-12.35");
    expect(dec("12.344", 10, 2)).toBe("12.34");
    expect(dec("1,234.5", 10, 2)).toBe("1234.50");
    expect(dec("1.5e2", 10, 2)).toBe("150.00");
    expect(dec("0.005", 5, 2)).toBe("0.01");
    expect(dec("0.004", 5, 2)).toBe("0.00");
    expect(dec("99.995", 4, 2)).toBe("bad");
    expect(dec("99.994", 4, 2)).toBe("99.99");
    expect(dec("12345678901234567890.12", 38, 2)).toBe("12345678901234567890.12");
    expect(dec("-99999999999999999999999999999999999999", 38, 0)).toBe(
      "-99999999999999999999999999999999999999",
    );
    expect(dec("abc", 10, 2)).toBe("bad");
    expect(dec("", 10, 2)).toBe("bad");
    expect(dec(".", 10, 2)).toBe("bad");
  });
});
