import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  batchesFromIPC,
  batchesToIPC,
  batchesToTable,
  batchFromArrow,
  batchToArrow,
  columnFromArrow,
  columnToArrow,
  packBits,
  tableToBatches,
  unpackBits,
} from "../../engine/columnar/arrow.js";
import { columnFromValues, getStrings, readDecimal } from "../../engine/columnar/builders.js";
import { batchOf, type Column } from "../../engine/columnar/column.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";

const ints = (c: Column) => Array.from(c.values as Int32Array);
const bigs = (c: Column) => Array.from(c.values as BigInt64Array);
const valid = (c: Column) => (c.valid === null ? null : Array.from(c.valid));

describe("bitmaps", () => {
  it("pack and unpack with offsets", () => {
    const bytes = new Uint8Array([1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1]);
    const bm = packBits(bytes, bytes.length);
    expect(bm.length % 8).toBe(0);
    expect(Array.from(unpackBits(bm, 0, 11))).toEqual(Array.from(bytes));
    expect(Array.from(unpackBits(bm, 3, 6))).toEqual([1, 0, 0, 0, 1, 1]);
  });
});

describe("columnFromArrow", () => {
  it("reads sliced vectors (non-zero offsets) of every basic type", () => {
    const i = arrow.vectorFromArray([1, null, 3, 4, null, 6, 7, 8, 9, 10], new arrow.Int32()).slice(3, 9);
    const ic = columnFromArrow(i);
    expect(ints(ic)).toEqual([4, 0, 6, 7, 8, 9]);
    expect(valid(ic)).toEqual([1, 0, 1, 1, 1, 1]);
    const b = arrow.vectorFromArray(
      [true, false, null, true, true, false, false, true, false, true],
      new arrow.Bool(),
    );
    const bc = columnFromArrow(b.slice(2, 10));
    expect(Array.from(bc.values as Uint8Array)).toEqual([0, 1, 1, 0, 0, 1, 0, 1]);
    expect(valid(bc)).toEqual([0, 1, 1, 1, 1, 1, 1, 1]);
    const s = arrow.vectorFromArray(["a", "bb", null, "日本", "", "é"], new arrow.Utf8()).slice(1, 5);
    const sc = columnFromArrow(s);
    expect(getStrings(sc)).toEqual(["bb", null, "日本", ""]);
    expect(sc.offsets![0]).toBe(0);
    const l = arrow.vectorFromArray(
      [[1], [2, 3], null, [], [4, 5, 6]],
      new arrow.List(new arrow.Field("e", new arrow.Int32(), true)),
    );
    const lc = columnFromArrow(l.slice(1, 5));
    expect(lc.type).toEqual(T.list(T.int32));
    expect(Array.from(lc.offsets!)).toEqual([0, 2, 2, 2, 5]);
    expect(ints(lc.child!)).toEqual([2, 3, 4, 5, 6]);
    expect(valid(lc)).toEqual([1, 0, 1, 1]);
  });

  it("widens small and unsigned integers and floats", () => {
    expect(ints(columnFromArrow(arrow.vectorFromArray([-128, 127], new arrow.Int8())))).toEqual([-128, 127]);
    expect(ints(columnFromArrow(arrow.vectorFromArray([65535, 0], new arrow.Uint16())))).toEqual([65535, 0]);
    const u32 = columnFromArrow(arrow.vectorFromArray([4294967295, 1], new arrow.Uint32()));
    expect(u32.type).toEqual(T.int64);
    expect(bigs(u32)).toEqual([4294967295n, 1n]);
    const u64 = columnFromArrow(arrow.vectorFromArray([2n ** 64n - 1n, 5n], new arrow.Uint64()));
    expect(bigs(u64)).toEqual([-1n, 5n]);
    const f32 = columnFromArrow(arrow.vectorFromArray([1.5, null], new arrow.Float32()));
    expect(f32.type).toEqual(T.float64);
    expect(Array.from(f32.values as Float64Array)[0]).toBe(1.5);
    expect(valid(f32)).toEqual([1, 0]);
    const f16 = arrow.makeData({
      type: new arrow.Float16(),
      data: new Uint16Array([0x3c00, 0xc000, 0x7c00, 0x0001]),
    });
    expect(Array.from(columnFromArrow(f16).values as Float64Array)).toEqual([1, -2, Infinity, 2 ** -24]);
  });

  it("normalises timestamp units to µs, flooring ns", () => {
    const mk = (unit: arrow.TimeUnit, vals: bigint[], tz: string | null = null) =>
      arrow.makeData({ type: new arrow.Timestamp(unit, tz), data: new BigInt64Array(vals) });
    const ns = columnFromArrow(
      mk(arrow.TimeUnit.NANOSECOND, [-1n, 1999n, -1001n, 1615683723123456789n, -(2n ** 63n)]),
    );
    expect(bigs(ns)).toEqual([-1n, 1n, -2n, 1615683723123456n, -9223372036854776n]);
    expect(ns.type).toEqual(T.timestampNtz);
    const ms = columnFromArrow(mk(arrow.TimeUnit.MILLISECOND, [-1n, 1615683723123n, 2n ** 60n], "UTC"));
    expect(bigs(ms)).toEqual([-1000n, 1615683723123000n, BigInt.asIntN(64, 2n ** 60n * 1000n)]);
    expect(ms.type).toEqual(T.timestamp);
    const s = columnFromArrow(mk(arrow.TimeUnit.SECOND, [-86400n, 1n], "America/New_York"));
    expect(bigs(s)).toEqual([-86400000000n, 1000000n]);
    expect(s.type).toEqual({ kind: "timestamp", tz: "America/New_York" });
    const us = columnFromArrow(mk(arrow.TimeUnit.MICROSECOND, [-5n, 2n ** 62n]));
    expect(bigs(us)).toEqual([-5n, 2n ** 62n]);
  });

  it("reads date64 as days (floor for negatives)", () => {
    const d = arrow.makeData({
      type: new arrow.DateMillisecond(),
      data: new BigInt64Array([86_400_000n, -1n, 0n]),
    });
    const c = columnFromArrow(d);
    expect(c.type).toEqual(T.date);
    expect(ints(c)).toEqual([1, -1, 0]);
  });

  it("decodes dictionaries, large_utf8 and multi-chunk vectors", () => {
    const dict = arrow.vectorFromArray(["x", "yy", "z"], new arrow.Utf8());
    const dd = arrow.makeData({
      type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int16()),
      data: new Int16Array([2, 0, 0, 1]),
      nullBitmap: packBits(new Uint8Array([1, 1, 0, 1]), 4),
      dictionary: dict,
    });
    const dc = columnFromArrow(dd);
    expect(dc.type).toEqual(T.string);
    expect(getStrings(dc)).toEqual(["z", "x", null, "yy"]);
    const large = arrow.makeData({
      type: new arrow.LargeUtf8(),
      valueOffsets: new BigInt64Array([0n, 2n, 2n, 5n]),
      data: new TextEncoder().encode("abcde"),
    });
    expect(getStrings(columnFromArrow(large))).toEqual(["ab", "", "cde"]);
    const v = new arrow.Vector([
      arrow.vectorFromArray(["a", null], new arrow.Utf8()).data[0]!,
      arrow.vectorFromArray(["b", "c"], new arrow.Utf8()).data[0]!,
    ]);
    expect(getStrings(columnFromArrow(v))).toEqual(["a", null, "b", "c"]);
    const empty = new arrow.Table({ x: arrow.vectorFromArray([], new arrow.Int32()) }).getChild("x")!;
    expect(columnFromArrow(empty).length).toBe(0);
  });

  it("reads decimals of 128 and 64 bits with sign", () => {
    const c = columnFromValues(T.decimal(38, 4), [12345n, -1n, -(2n ** 100n), null]);
    const back = columnFromArrow(columnToArrow(c));
    expect(back.type).toEqual(T.decimal(38, 4));
    const v = back.values as BigInt64Array;
    expect([0, 1, 2].map((i) => readDecimal(v, i))).toEqual([12345n, -1n, -(2n ** 100n)]);
    expect(valid(back)).toEqual([1, 1, 1, 0]);
    const d64 = arrow.makeData({
      type: new arrow.Decimal(2, 18, 64),
      data: new Uint32Array([0xffffffff, 0xffffffff, 7, 0]),
    });
    const c64 = columnFromArrow(d64);
    expect([0, 1].map((i) => readDecimal(c64.values as BigInt64Array, i))).toEqual([-1n, 7n]);
  });

  it("names the column of an unsupported type", () => {
    const st = arrow.vectorFromArray([{ a: 1 }], new arrow.Struct([new arrow.Field("a", new arrow.Int32())]));
    expect(() => columnFromArrow(st, "nested")).toThrow(/nested/);
  });
});

const allTypes: [string, DataType, unknown[]][] = [
  ["b", T.boolean, [true, null, false]],
  ["i", T.int32, [1, -2, null]],
  ["l", T.int64, [2n ** 62n, null, -1n]],
  ["f", T.float64, [1.5, Number.NaN, null]],
  ["s", T.string, ["a", null, "日本"]],
  ["d", T.date, [null, -1, 18700]],
  ["ts", T.timestamp, [-1n, 0n, null]],
  ["ntz", T.timestampNtz, [1n, null, 2n]],
  ["dec", T.decimal(10, 2), [123n, -5n, null]],
  ["arr", T.list(T.string), [["x"], null, []]],
  ["n", T.null, [null, null, null]],
];

const mkBatch = () => {
  const schema = schemaOf(allTypes.map(([n, t]) => field(n, t)));
  const cols = allTypes.map(([, t, v]) => columnFromValues(t, v as never));
  return batchOf(schema, cols, 3);
};

describe("batches and IPC", () => {
  it("round-trips a batch of every type through RecordBatch and IPC", () => {
    const b = mkBatch();
    const rb = batchToArrow(b);
    expect(rb.numRows).toBe(3);
    const back = batchFromArrow(rb);
    expect(back.schema).toEqual(b.schema);
    const { schema, batches } = batchesFromIPC(batchesToIPC(b.schema, [b, b]));
    expect(schema).toEqual(b.schema);
    expect(batches.length).toBe(2);
    for (const x of [back, batches[1]!]) {
      expect(x.numRows).toBe(3);
      for (let i = 0; i < b.columns.length; i++) {
        const a = b.columns[i]!;
        const c = x.columns[i]!;
        expect(c.type).toEqual(a.type);
        expect(valid(c)).toEqual(valid(a));
        if (a.values) expect(Array.from(c.values as Int32Array)).toEqual(Array.from(a.values as Int32Array));
        if (a.offsets) expect(Array.from(c.offsets!)).toEqual(Array.from(a.offsets));
      }
    }
    expect(getStrings(batches[0]!.columns[4]!)).toEqual(["a", null, "日本"]);
    expect(getStrings(batches[0]!.columns[9]!.child!)).toEqual(["x"]);
  });

  it("keeps the schema with no batches and nullability flags", () => {
    const schema = schemaOf([
      field("t", T.timestampNtz, false),
      field("u", T.timestamp),
      field("d", T.decimal(38, 18)),
    ]);
    const r = batchesFromIPC(batchesToIPC(schema, []));
    expect(r.schema).toEqual(schema);
    expect(r.batches).toEqual([]);
  });

  it("keeps the row count of zero-column batches and empty batches", () => {
    const schema = schemaOf([]);
    const r = batchesFromIPC(batchesToIPC(schema, [batchOf(schema, [], 42), batchOf(schema, [], 0)]));
    expect(r.batches.map((b) => b.numRows)).toEqual([42, 0]);
    const s2 = schemaOf([field("x", T.string)]);
    const e = batchesFromIPC(batchesToIPC(s2, [batchOf(s2, [columnFromValues(T.string, [])], 0)]));
    expect(e.batches[0]!.numRows).toBe(0);
    expect(e.batches[0]!.columns[0]!.offsets!.length).toBe(1);
  });

  it("converts tables and splits by batch size", () => {
    const b = mkBatch();
    const t = batchesToTable(b.schema, [b, b]);
    expect(t.numRows).toBe(6);
    const split = tableToBatches(t, 2);
    expect(split.map((x) => x.numRows)).toEqual([2, 1, 2, 1]);
    expect(getStrings(split[1]!.columns[4]!)).toEqual(["日本"]);
    expect(tableToBatches(t).length).toBe(2);
  });
});

describe("IPC with a batch whose field names differ from the stream schema", () => {
  it("writes one stream under the given schema", () => {
    const s1 = schemaOf([field("a", T.int32)]);
    const s2 = schemaOf([field("b", T.int32)]);
    const b = batchOf(s2, [columnFromValues(T.int32, [1, 2])], 2);
    const r = batchesFromIPC(batchesToIPC(s1, [batchOf(s1, [columnFromValues(T.int32, [0])], 1), b]));
    expect(r.schema).toEqual(s1);
    expect(r.batches.map((x) => x.numRows)).toEqual([1, 2]);
  });
});

describe("reading foreign Arrow IPC", () => {
  it("decodes dictionary columns, ns timestamps and small ints written by Arrow", () => {
    const table = new arrow.Table({
      cat: arrow.vectorFromArray(
        ["a", "b", "a", null],
        new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      ),
      ts: arrow.makeVector({
        type: new arrow.TimestampNanosecond(),
        data: new BigInt64Array([1n, -1n, 1615683723123456789n, 0n]),
      } as never),
      small: arrow.vectorFromArray([1, -2, 3, null], new arrow.Int16()),
    });
    const { schema, batches } = batchesFromIPC(arrow.tableToIPC(table, "stream"));
    expect(schema.fields.map((f) => f.type)).toEqual([T.string, T.timestampNtz, T.int32]);
    const b = batches[0]!;
    expect(getStrings(b.columns[0]!)).toEqual(["a", "b", "a", null]);
    expect(Array.from(b.columns[1]!.values as BigInt64Array)).toEqual([0n, -1n, 1615683723123456n, 0n]);
    expect(Array.from(b.columns[2]!.values as Int32Array).slice(0, 3)).toEqual([1, -2, 3]);
    expect(valid(b.columns[2]!)).toEqual([1, 1, 1, 0]);
    const file = batchesFromIPC(arrow.tableToIPC(table, "file"));
    expect(file.batches[0]!.numRows).toBe(4);
  });

  it("names an unreadable column in the schema", () => {
    const table = new arrow.Table({
      ok: arrow.vectorFromArray([1], new arrow.Int32()),
      nested: arrow.vectorFromArray([{ a: 1 }], new arrow.Struct([new arrow.Field("a", new arrow.Int32())])),
    });
    expect(() => batchesFromIPC(arrow.tableToIPC(table, "stream"))).toThrow(/"nested"/);
  });
});
