import { describe, expect, it } from "vitest";
import { batchToRows, decimalToJs, decimalToPlainString } from "../../engine/api/rows.js";
import { columnFromValues } from "../../engine/columnar/builders.js";
import { batchOf } from "../../engine/columnar/column.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";

const one = (type: DataType, values: unknown[], name = "x") =>
  batchOf(schemaOf([field(name, type)]), [columnFromValues(type, values as never)], values.length);

describe("batchToRows", () => {
  it("converts every type", () => {
    const spec: [string, DataType, unknown[]][] = [
      ["b", T.boolean, [true, null]],
      ["i", T.int32, [-1, null]],
      ["l", T.int64, [2n ** 53n - 1n, null]],
      ["f", T.float64, [Number.NaN, null]],
      ["s", T.string, ["日本", null]],
      ["d", T.date, [-1, null]],
      ["ts", T.timestamp, [-1n, null]],
      ["dec", T.decimal(10, 2), [12345n, null]],
      ["arr", T.list(T.int32), [[1, null], null]],
      ["n", T.null, [null, null]],
    ];
    const b = batchOf(
      schemaOf(spec.map(([n, t]) => field(n, t))),
      spec.map(([, t, v]) => columnFromValues(t, v as never)),
      2,
    );
    const rows = batchToRows(b);
    expect(rows[0]).toEqual({
      b: true,
      i: -1,
      l: 2 ** 53 - 1,
      f: Number.NaN,
      s: "日本",
      d: new Date("1969-12-31T00:00:00Z"),
      ts: new Date(-1),
      dec: 123.45,
      arr: [1, null],
      n: null,
    });
    expect(Object.values(rows[1]!).every((v) => v === null)).toBe(true);
    expect(rows[0]!.ts).toEqual(new Date("1969-12-31T23:59:59.999Z"));
  });

  it("throws beyond 2^53 unless bigint is asked for", () => {
    const b = one(T.int64, [1n, 2n ** 53n + 1n, null], "big_col");
    expect(() => batchToRows(b)).toThrow(/big_col.*collect\(\{ bigint: true \}\).*toArrow/);
    expect(batchToRows(b, { bigint: true })).toEqual([
      { big_col: 1n },
      { big_col: 2n ** 53n + 1n },
      { big_col: null },
    ]);
    expect(batchToRows(one(T.int64, [-(2n ** 53n) + 1n]))[0]!.x).toBe(-(2 ** 53) + 1);
    expect(() => batchToRows(one(T.int64, [-(2n ** 53n) - 1n]))).toThrow();
    expect(() => batchToRows(one(T.list(T.int64), [[2n ** 60n]]))).toThrow(/"x"/);
    expect(batchToRows(one(T.list(T.int64), [[2n ** 60n]]), { bigint: true })[0]!.x).toEqual([2n ** 60n]);
  });

  it("converts timestamps before 1970 and far away exactly to ms (floor)", () => {
    const rows = batchToRows(one(T.timestamp, [-1500n, 1615683723123999n, 2n ** 60n]));
    expect((rows[0]!.x as Date).getTime()).toBe(-2);
    expect((rows[1]!.x as Date).getTime()).toBe(1615683723123);
    expect((rows[2]!.x as Date).getTime()).toBe(Number(2n ** 60n / 1000n));
  });

  it("returns decimals as numbers when exact, else strings", () => {
    expect(decimalToPlainString(5n, 3)).toBe("0.005");
    expect(decimalToPlainString(-12345n, 2)).toBe("-123.45");
    expect(decimalToPlainString(0n, 2)).toBe("0.00");
    expect(decimalToJs(0n, 2)).toBe(0);
    expect(decimalToJs(-10n, 1)).toBe(-1);
    expect(decimalToJs(1n, 10)).toBe(1e-10);
    expect(decimalToJs(123456789012345n, 0)).toBe(123456789012345);
    expect(decimalToJs(1234567890123456789012n, 2)).toBe("12345678901234567890.12");
    expect(decimalToJs(10n ** 30n, 0)).toBe(1e30);
    expect(decimalToJs(10n ** 30n + 1n, 0)).toBe("1000000000000000000000000000001");
  });

  it("handles empty batches, zero columns and awkward names", () => {
    expect(batchToRows(one(T.string, []))).toEqual([]);
    expect(batchToRows(batchOf(schemaOf([]), [], 2))).toEqual([{}, {}]);
    const r = batchToRows(one(T.int32, [7], "__proto__"))[0]!;
    expect(Object.keys(r)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    const dup = batchOf(
      schemaOf([field("a", T.int32), field("a", T.int32)]),
      [columnFromValues(T.int32, [1]), columnFromValues(T.int32, [2])],
      1,
    );
    expect(batchToRows(dup)).toEqual([{ a: 2 }]);
  });
});
