import { describe, expect, it } from "vitest";
import { columnFromValues, getStrings, readDecimal } from "../../engine/columnar/builders.js";
import { batchOf, type Column } from "../../engine/columnar/column.js";
import {
  concatBatches,
  concatColumns,
  constantColumn,
  emptyBatch,
  filterBatch,
  filterColumn,
  selectionFromMask,
  sliceBatch,
  sliceColumn,
  takeBatch,
  takeColumn,
} from "../../engine/columnar/ops.js";
import { field, schemaOf, T } from "../../engine/types/data-type.js";

const valid = (c: Column) => (c.valid === null ? null : Array.from(c.valid));
const vals = (c: Column) => Array.from(c.values as ArrayLike<unknown>);

describe("sliceColumn", () => {
  it("slices fixed, string, list and decimal columns", () => {
    const i = columnFromValues(T.int64, [1n, null, 3n, 2n ** 62n]);
    const s = sliceColumn(i, 1, 4);
    expect(vals(s)).toEqual([0n, 3n, 2n ** 62n]);
    expect(valid(s)).toEqual([0, 1, 1]);
    const str = sliceColumn(columnFromValues(T.string, ["ab", "c", null, "def"]), 1, 4);
    expect(getStrings(str)).toEqual(["c", null, "def"]);
    expect(str.offsets![0]).toBe(0);
    expect(str.data!.length).toBe(4);
    const l = sliceColumn(columnFromValues(T.list(T.int32), [[1, 2], [3], null, [4, 5]]), 1, 4);
    expect(Array.from(l.offsets!)).toEqual([0, 1, 1, 3]);
    expect(vals(l.child!)).toEqual([3, 4, 5]);
    const d = sliceColumn(columnFromValues(T.decimal(20, 0), [1n, -(2n ** 70n), 3n]), 1, 3);
    expect([0, 1].map((k) => readDecimal(d.values as BigInt64Array, k))).toEqual([-(2n ** 70n), 3n]);
    expect(sliceColumn(i, 3, 10).length).toBe(1);
    expect(sliceColumn(i, 5, 2).length).toBe(0);
    expect(sliceColumn(columnFromValues(T.null, [null, null]), 0, 1).valid).toEqual(new Uint8Array(1));
  });
});

describe("takeColumn", () => {
  it("gathers every type, with -1 as null", () => {
    const idx = new Int32Array([2, 0, -1, 2]);
    const f = takeColumn(columnFromValues(T.float64, [1.5, 2.5, -0]), idx);
    expect(vals(f)).toEqual([-0, 1.5, 0, -0]);
    expect(valid(f)).toEqual([1, 1, 0, 1]);
    const ts = takeColumn(columnFromValues(T.timestamp, [-1n, 5n, 2n ** 60n]), idx);
    expect(vals(ts)).toEqual([2n ** 60n, -1n, 0n, 2n ** 60n]);
    const s = takeColumn(
      columnFromValues(T.string, ["x", null, "a much longer string over 24 bytes ü"]),
      idx,
    );
    expect(getStrings(s)).toEqual([
      "a much longer string over 24 bytes ü",
      "x",
      null,
      "a much longer string over 24 bytes ü",
    ]);
    const b = takeColumn(columnFromValues(T.boolean, [true, false, true]), new Int32Array([1, 0]));
    expect(vals(b)).toEqual([0, 1]);
    expect(b.valid).toBeNull();
    const l = takeColumn(columnFromValues(T.list(T.string), [["a"], [], ["b", "c"]]), idx);
    expect(Array.from(l.offsets!)).toEqual([0, 2, 3, 3, 5]);
    expect(getStrings(l.child!)).toEqual(["b", "c", "a", "b", "c"]);
    const dec = takeColumn(columnFromValues(T.decimal(38, 2), [1n, -2n, 2n ** 90n]), idx);
    expect([0, 1, 3].map((k) => readDecimal(dec.values as BigInt64Array, k))).toEqual([
      2n ** 90n,
      1n,
      2n ** 90n,
    ]);
    const n = takeColumn(columnFromValues(T.null, [null]), new Int32Array([0, 0]));
    expect(n.valid).toEqual(new Uint8Array(2));
    const d = takeColumn(columnFromValues(T.date, [1, 2]), new Int32Array([1, 1, 0]), 2);
    expect(vals(d)).toEqual([2, 2]);
  });
});

describe("filter", () => {
  it("selects by mask", () => {
    const mask = new Uint8Array([1, 0, 0, 1, 1]);
    expect(Array.from(selectionFromMask(mask))).toEqual([0, 3, 4]);
    const c = filterColumn(columnFromValues(T.string, ["a", "b", null, null, "e"]), mask);
    expect(getStrings(c)).toEqual(["a", null, "e"]);
    const schema = schemaOf([field("x", T.int32)]);
    const b = batchOf(schema, [columnFromValues(T.int32, [1, 2, 3, 4, 5])], 5);
    expect(vals(filterBatch(b, mask).columns[0]!)).toEqual([1, 4, 5]);
    expect(filterBatch(b, new Uint8Array(5).fill(1))).toBe(b);
    expect(filterBatch(b, new Uint8Array(5)).numRows).toBe(0);
  });
});

describe("concat", () => {
  it("concatenates columns of every kind", () => {
    const a = columnFromValues(T.string, ["a", "bc"]);
    const b = sliceColumn(columnFromValues(T.string, ["zz", null, "d"]), 1, 3);
    const c = concatColumns([a, b, columnFromValues(T.string, [])]);
    expect(getStrings(c)).toEqual(["a", "bc", null, "d"]);
    const l = concatColumns([
      columnFromValues(T.list(T.int32), [[1], null]),
      columnFromValues(T.list(T.int32), [[2, 3]]),
    ]);
    expect(Array.from(l.offsets!)).toEqual([0, 1, 1, 3]);
    expect(vals(l.child!)).toEqual([1, 2, 3]);
    expect(valid(l)).toEqual([1, 0, 1]);
    const i = concatColumns([columnFromValues(T.int64, [1n]), columnFromValues(T.int64, [null, 2n])]);
    expect(vals(i)).toEqual([1n, 0n, 2n]);
    expect(valid(i)).toEqual([1, 0, 1]);
    const d = concatColumns([
      columnFromValues(T.decimal(5, 1), ["1.5"]),
      columnFromValues(T.decimal(5, 1), [-2n]),
    ]);
    expect([0, 1].map((k) => readDecimal(d.values as BigInt64Array, k))).toEqual([15n, -2n]);
    const n = concatColumns([columnFromValues(T.null, [null]), columnFromValues(T.null, [null])]);
    expect(n.length).toBe(2);
    expect(() => concatColumns([])).toThrow();
  });
  it("concatenates, slices and takes batches", () => {
    const schema = schemaOf([field("x", T.int32), field("s", T.string)]);
    const b1 = batchOf(
      schema,
      [columnFromValues(T.int32, [1, 2]), columnFromValues(T.string, ["a", "b"])],
      2,
    );
    const b2 = batchOf(schema, [columnFromValues(T.int32, [3]), columnFromValues(T.string, [null])], 1);
    const all = concatBatches(schema, [b1, emptyBatch(schema), b2]);
    expect(all.numRows).toBe(3);
    expect(getStrings(all.columns[1]!)).toEqual(["a", "b", null]);
    expect(concatBatches(schema, []).numRows).toBe(0);
    expect(concatBatches(schema, [b2]).columns[0]).toBe(b2.columns[0]);
    expect(vals(sliceBatch(all, 1, 3).columns[0]!)).toEqual([2, 3]);
    const t = takeBatch(all, new Int32Array([2, 0]));
    expect(getStrings(t.columns[1]!)).toEqual([null, "a"]);
    const zero = batchOf(schemaOf([]), [], 10);
    expect(sliceBatch(zero, 2, 5).numRows).toBe(3);
    expect(concatBatches(schemaOf([]), [zero, zero]).numRows).toBe(20);
    expect(emptyBatch(schema).columns[1]!.offsets!.length).toBe(1);
  });
});

describe("constantColumn", () => {
  it("broadcasts literal values", () => {
    expect(getStrings(constantColumn(T.string, "2021-03", 3))).toEqual(["2021-03", "2021-03", "2021-03"]);
    expect(vals(constantColumn(T.int64, 2n ** 60n, 2))).toEqual([2n ** 60n, 2n ** 60n]);
    expect(vals(constantColumn(T.date, 18700, 2))).toEqual([18700, 18700]);
    const n = constantColumn(T.int32, null, 4);
    expect(valid(n)).toEqual([0, 0, 0, 0]);
    const l = constantColumn(T.list(T.int32), [1, 2], 2);
    expect(Array.from(l.offsets!)).toEqual([0, 2, 4]);
    expect(constantColumn(T.boolean, true, 0).length).toBe(0);
  });
});
