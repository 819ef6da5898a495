import { describe, expect, it } from "vitest";
import {
  columnFromValues,
  FixedColumnBuilder,
  getString,
  getStrings,
  readDecimal,
  StringColumnBuilder,
  stringColumnFromArray,
  toMicros,
  toUnscaled,
} from "../../engine/columnar/builders.js";
import { i64Halves, readI64 } from "../../engine/columnar/column.js";
import { T } from "../../engine/types/data-type.js";

describe("StringColumnBuilder", () => {
  it("grows rows and bytes and keeps validity lazy", () => {
    const b = new StringColumnBuilder(1, 1);
    const src = new TextEncoder().encode("hello world, this is a longer string");
    b.appendBytes(src, 0, 5);
    b.appendString("é日本");
    b.appendBytes(src, 0, src.length);
    let c = b.finish();
    expect(c.valid).toBeNull();
    expect(getStrings(c)).toEqual(["hello", "é日本", "hello world, this is a longer string"]);
    const b2 = new StringColumnBuilder(2, 2);
    for (let i = 0; i < 100; i++) {
      if (i % 7 === 3) b2.appendNull();
      else b2.appendString(`v${i}`);
    }
    expect(b2.length).toBe(100);
    c = b2.finish();
    expect(c.length).toBe(100);
    expect(c.offsets!.length).toBe(101);
    const s = getStrings(c);
    for (let i = 0; i < 100; i++) expect(s[i]).toBe(i % 7 === 3 ? null : `v${i}`);
  });

  it("handles empty strings, null first, long non-ASCII and surrogate pairs", () => {
    const long = "ü".repeat(100) + "😀";
    const c = stringColumnFromArray([null, "", long, "a😀b"]);
    expect(c.valid).toEqual(new Uint8Array([0, 1, 1, 1]));
    expect(getStrings(c)).toEqual([null, "", long, "a😀b"]);
    expect(getString(c, 3)).toBe("a😀b");
    expect(stringColumnFromArray([]).length).toBe(0);
  });
});

describe("FixedColumnBuilder", () => {
  it("builds int64 with nulls and growth", () => {
    const b = new FixedColumnBuilder(T.int64, 1);
    b.appendNumber(-5);
    b.appendNull();
    b.appendBigInt(2n ** 60n);
    b.appendNumber(2 ** 53 - 1);
    const c = b.finish();
    expect(c.valid).toEqual(new Uint8Array([1, 0, 1, 1]));
    expect(Array.from(c.values as BigInt64Array)).toEqual([-5n, 0n, 2n ** 60n, 2n ** 53n - 1n]);
    expect(readI64(i64Halves(c.values as BigInt64Array), 0)).toBe(-5);
  });
  it("builds float64 and boolean", () => {
    const f = new FixedColumnBuilder(T.float64, 2);
    for (let i = 0; i < 10; i++) f.appendNumber(i / 2);
    expect(Array.from(f.finish().values as Float64Array)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    expect(() => new FixedColumnBuilder(T.string)).toThrow();
  });
});

describe("columnFromValues", () => {
  it("converts every type", () => {
    expect(columnFromValues(T.int32, [1, null, 3]).values).toEqual(new Int32Array([1, 0, 3]));
    expect(columnFromValues(T.boolean, [true, false, null]).values).toEqual(new Uint8Array([1, 0, 0]));
    expect(columnFromValues(T.date, [new Date("2021-03-14T00:00:00Z"), 1, "1969-12-31"]).values).toEqual(
      new Int32Array([18700, 1, -1]),
    );
    const ts = columnFromValues(T.timestamp, [new Date(-1), 5n, 7, "2021-03-14 01:02:03.5", null]);
    expect(Array.from(ts.values as BigInt64Array)).toEqual([-1000n, 5n, 7n, 1615683723500000n, 0n]);
    expect(ts.valid).toEqual(new Uint8Array([1, 1, 1, 1, 0]));
    const i64 = columnFromValues(T.int64, [1, 2n ** 62n, "-3"]);
    expect(Array.from(i64.values as BigInt64Array)).toEqual([1n, 2n ** 62n, -3n]);
    const dec = columnFromValues(T.decimal(38, 2), [12345n, 1.5, "-0.005", "1e3", -(2n ** 100n)]);
    const dv = dec.values as BigInt64Array;
    expect([0, 1, 2, 3, 4].map((i) => readDecimal(dv, i))).toEqual([
      12345n,
      150n,
      -1n,
      100000n,
      -(2n ** 100n),
    ]);
    const l = columnFromValues(T.list(T.string), [["a", "b"], null, [], ["c", null]]);
    expect(Array.from(l.offsets!)).toEqual([0, 2, 2, 2, 4]);
    expect(getStrings(l.child!)).toEqual(["a", "b", "c", null]);
    expect(l.valid).toEqual(new Uint8Array([1, 0, 1, 1]));
    expect(columnFromValues(T.null, [null, null]).valid).toEqual(new Uint8Array(2));
  });
  it("parses timestamps with offsets and decimals with rounding", () => {
    expect(toMicros("1970-01-01T01:00:00+01:00")).toBe(0n);
    expect(toMicros("1969-12-31 23:59:59.999999")).toBe(-1n);
    expect(toUnscaled("2.345", 2)).toBe(235n);
    expect(toUnscaled("-2.345", 2)).toBe(-235n);
    expect(toUnscaled(1e-7, 8)).toBe(10n);
    expect(() => toUnscaled("abc", 2)).toThrow();
  });
});
