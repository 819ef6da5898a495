// Row-group pruning: a DuckDB file of 10 sorted row groups, filters whose statistics prove
// some groups empty, and unit cases for the conservative corners (NaN, nulls, UTF-8 order,
// ns timestamps, decimals, untrusted statistics).
import { join } from "node:path";
import type { FileMetaData } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E, type Expr } from "../../engine/expr/expr.js";
import { parquetReader } from "../../engine/io/parquet/index.js";
import { mayMatch } from "../../engine/io/parquet/prune.js";
import type { ParquetColumn } from "../../engine/io/parquet/schema.js";
import { type ChunkStats, chunkStats } from "../../engine/io/parquet/stats.js";
import type { FileSource } from "../../engine/io/source.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import {
  batchColumns,
  duckdb,
  duckWrite,
  inferredSource,
  readAll,
  tempDir,
} from "../fixtures/parquet-fixtures.js";

const SORTED_SQL = `
SELECT
  i::INTEGER AS id,
  (i * 1000000000000)::BIGINT AS big,
  CASE WHEN i // 2048 = 2 THEN NULL ELSE i END::INTEGER AS n,
  lpad(i::VARCHAR, 6, '0') AS s,
  (i / 100)::DECIMAL(10,2) AS dec,
  CASE WHEN i = 7000 THEN 'NaN'::DOUBLE ELSE i * 0.5 END AS d,
  TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) AS ts,
  make_timestamp_ns(1704067200000000000 + i * 1000000001) AS tsns,
  DATE '2000-01-01' + (i // 100)::INTEGER AS dt
FROM range(20480) r(i)`;

describe("row-group pruning on a DuckDB file", () => {
  const tmp = tempDir();
  let src: FileSource;
  const ref = (name: string): Expr => {
    const i = src.dataSchema.fields.findIndex((f) => f.name === name);
    const f = src.dataSchema.fields[i]!;
    return E.ref(i, f.name, f.type, f.nullable);
  };
  const call = E.call;
  const int = (v: number) => E.lit(v, T.int32);
  const kept = async (filter: Expr) => {
    const { splits } = await readAll(src, [], { filters: [filter], targetBytes: 1 });
    return splits.flatMap((s) => s.rowGroups);
  };

  beforeAll(async () => {
    const con = await duckdb();
    const path = join(tmp.dir, "sorted.parquet");
    await duckWrite(con, SORTED_SQL, path, "COMPRESSION zstd, ROW_GROUP_SIZE 2048");
    src = inferredSource([path]);
  });
  afterAll(() => tmp.remove());

  it("skips 8 of 10 row groups for id < 3000 and reads only the kept ones", async () => {
    const filter = call("lt", ref("id"), int(3000));
    const { splits, batches } = await readAll(src, ["id"], { filters: [filter] });
    expect(splits.flatMap((s) => s.rowGroups)).toEqual([0, 1]);
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(4096);
    expect(batchColumns(batches)[0]!.at(-1)).toBe("4095");
    expect(await kept(call("gt", int(3000), ref("id")))).toEqual([0, 1]); // literal on the left
  });

  it("also skips row groups at read time when the split was planned without the filter", async () => {
    const split = (await parquetReader.planSplits(src, [], 1 << 30))[0]!;
    expect(split.rowGroups).toHaveLength(10);
    const filter = call("ge", ref("id"), int(18432));
    let rows = 0;
    for await (const b of parquetReader.read({
      source: src,
      split,
      columns: [0],
      filters: [filter],
      batchSize: 65536,
    })) {
      rows += b.numRows;
    }
    expect(rows).toBe(2048);
  });

  it("prunes comparisons, in, and/or/not on int32", async () => {
    expect(await kept(call("eq", ref("id"), int(5000)))).toEqual([2]);
    expect(await kept(call("le", ref("id"), int(2047)))).toEqual([0]);
    expect(await kept(call("ge", ref("id"), int(18432)))).toEqual([9]);
    expect(await kept(call("gt", ref("id"), int(3000)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await kept(call("in", ref("id"), int(1), int(10000), E.lit(null, T.int32), int(20479)))).toEqual([
      0, 4, 9,
    ]);
    expect(
      await kept(call("and", call("ge", ref("id"), int(4096)), call("lt", ref("id"), int(6144)))),
    ).toEqual([2]);
    expect(
      await kept(call("or", call("lt", ref("id"), int(100)), call("gt", ref("id"), int(20000)))),
    ).toEqual([0, 9]);
    expect(await kept(call("not", call("ge", ref("id"), int(2048))))).toEqual([0]);
    expect(await kept(call("neq", ref("id"), int(5)))).toHaveLength(10);
    expect(await kept(call("eq", ref("id"), E.lit(null, T.int32)))).toEqual([]);
    expect(await kept(E.lit(false, T.boolean))).toEqual([]);
    expect(await kept(call("like", ref("s"), E.lit("0%", T.string)))).toHaveLength(10);
  });

  it("uses null counts", async () => {
    expect(await kept(call("is_null", ref("n")))).toEqual([2]);
    expect(await kept(call("is_not_null", ref("n")))).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
    expect(await kept(call("not", call("is_not_null", ref("n"))))).toEqual([2]);
    expect(await kept(call("ge", ref("n"), int(0)))).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
    expect(await kept(call("eq_null_safe", ref("n"), E.lit(null, T.int32)))).toEqual([2]);
  });

  it("prunes int64, strings, decimals, dates and timestamps", async () => {
    expect(await kept(call("eq", ref("big"), E.lit(5000n * 10n ** 12n, T.int64)))).toEqual([2]);
    expect(await kept(call("eq", E.cast(ref("id"), T.int64), E.lit(5000n, T.int64)))).toEqual([2]);
    expect(await kept(call("eq", ref("s"), E.lit("005000", T.string)))).toEqual([2]);
    expect(await kept(call("lt", ref("s"), E.lit("002048", T.string)))).toEqual([0]);
    expect(await kept(call("eq", ref("dec"), E.lit(5000n, T.decimal(10, 2))))).toEqual([2]);
    expect(await kept(call("eq", ref("dec"), E.lit(500000n, T.decimal(12, 4))))).toEqual([2]);
    expect(await kept(call("eq", ref("dt"), E.lit(10957 + 50, T.date)))).toEqual([2]);
    const sec = (i: number) => (1704067200n + BigInt(i)) * 1_000_000n;
    expect(await kept(call("eq", ref("ts"), E.lit(sec(5000), T.timestampNtz)))).toEqual([2]);
    expect(await kept(call("ge", ref("ts"), E.lit(sec(18432), T.timestampNtz)))).toEqual([9]);
    // tsns of row 4095 is ...4095.000004095 s: floored to µs it is ...4095000004 µs.
    const us4095 = 1704067200n * 1_000_000n + 4095n * 1_000_000n + 4n;
    expect(await kept(call("le", ref("tsns"), E.lit(us4095, T.timestampNtz)))).toEqual([0, 1]);
    expect(await kept(call("lt", ref("tsns"), E.lit(us4095, T.timestampNtz)))).toEqual([0, 1]);
    expect(await kept(call("gt", ref("tsns"), E.lit(us4095, T.timestampNtz)))).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    // A zoned literal against a wall-clock column never prunes.
    expect(await kept(call("eq", ref("ts"), E.lit(sec(5000), T.timestamp)))).toHaveLength(10);
  });

  it("never prunes > on a float column (NaN sorts above every number)", async () => {
    // Row group 3 holds a NaN: DuckDB then writes no min/max for it, so it is kept.
    expect(await kept(call("lt", ref("d"), E.lit(1024, T.float64)))).toEqual([0, 3]);
    expect(await kept(call("gt", ref("d"), E.lit(9000, T.float64)))).toHaveLength(10);
    expect(await kept(call("eq", ref("d"), E.lit(Number.NaN, T.float64)))).toHaveLength(10);
    expect(await kept(call("eq", E.cast(ref("id"), T.float64), E.lit(5000, T.float64)))).toEqual([2]);
  });
});

// ---- unit cases over synthetic statistics ----

const stats = (
  min: ChunkStats["min"],
  max: ChunkStats["max"],
  nullCount: number | null = 0,
  rows = 100,
): ChunkStats => ({
  rows,
  nullCount,
  min,
  max,
});
const col = (type: DataType) => E.ref(0, "x", type, true);
const may = (e: Expr, s: ChunkStats | null) => mayMatch(e, () => s);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("mayMatch", () => {
  it("compares strings by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF01 < U+1F600 in UTF-8 bytes (EF.. < F0..) but not in UTF-16 (FF01 > D83D).
    const s = stats(utf8("😀"), utf8("😀"));
    expect(may(E.call("lt", col(T.string), E.lit("\uFF01", T.string)), s)).toBe(false);
    expect(may(E.call("gt", col(T.string), E.lit("\uFF01", T.string)), s)).toBe(true);
  });

  it("is conservative without statistics, with mismatched literal types, and on unknown shapes", () => {
    const e = E.call("eq", col(T.int32), E.lit(5, T.int32));
    expect(may(e, null)).toBe(true);
    expect(may(e, stats(null, null, 0))).toBe(true);
    expect(may(e, stats(null, null, null))).toBe(true);
    expect(may(E.call("eq", col(T.int32), E.lit(5.5, T.float64)), stats(0, 1))).toBe(true);
    expect(
      may(E.call("eq", E.call("add", col(T.int32), E.lit(1, T.int32)), E.lit(5, T.int32)), stats(0, 1)),
    ).toBe(true);
    expect(may(E.call("eq", col(T.int32), col(T.int32)), stats(0, 1))).toBe(true);
  });

  it("knows an all-null chunk matches no comparison but matches is_null", () => {
    const s = stats(null, null, 100, 100);
    expect(may(E.call("eq", col(T.int32), E.lit(1, T.int32)), s)).toBe(false);
    expect(may(E.call("in", col(T.int32), E.lit(1, T.int32)), s)).toBe(false);
    expect(may(E.call("is_null", col(T.int32)), s)).toBe(true);
    expect(may(E.call("is_not_null", col(T.int32)), s)).toBe(false);
  });

  it("handles floats: NaN literals, -0.0 and infinities", () => {
    const s = stats(0, 10);
    expect(may(E.call("eq", col(T.float64), E.lit(-0, T.float64)), s)).toBe(true);
    expect(may(E.call("lt", col(T.float64), E.lit(0, T.float64)), s)).toBe(false);
    expect(may(E.call("ge", col(T.float64), E.lit(Number.POSITIVE_INFINITY, T.float64)), s)).toBe(true);
    expect(may(E.call("in", col(T.float64), E.lit(Number.NaN, T.float64)), s)).toBe(true);
    expect(may(E.call("in", col(T.float64), E.lit(11, T.float64)), s)).toBe(false);
  });

  it("rescales decimal literals and refuses inexact ones", () => {
    const s = stats(100n, 200n); // 1.00 .. 2.00 at scale 2
    const c = col(T.decimal(10, 2));
    expect(may(E.call("eq", c, E.lit(3n, T.decimal(5, 0))), s)).toBe(false);
    expect(may(E.call("eq", c, E.lit(15n, T.decimal(5, 1))), s)).toBe(true);
    expect(may(E.call("eq", c, E.lit(2501n, T.decimal(6, 3))), s)).toBe(true); // 2.501: not exact at scale 2
  });

  it("pushes NOT through and/or and comparisons", () => {
    const s = stats(10, 20);
    const x = col(T.int32);
    const lt = (v: number) => E.call("lt", x, E.lit(v, T.int32));
    expect(may(E.call("not", E.call("or", lt(30), lt(5))), s)).toBe(false);
    expect(may(E.call("not", E.call("and", lt(30), lt(5))), s)).toBe(true);
    expect(may(E.call("not", E.call("not", lt(5))), s)).toBe(false);
    expect(may(E.call("not", E.call("in", x, E.lit(15, T.int32))), s)).toBe(true);
  });
});

// ---- statistics decoding ----

function metaWith(statistics: object, rows = 10): FileMetaData {
  return {
    version: 2,
    schema: [],
    num_rows: BigInt(rows),
    metadata_length: 0,
    row_groups: [
      {
        num_rows: BigInt(rows),
        total_byte_size: 0n,
        columns: [{ file_offset: 0n, meta_data: { statistics } as never }],
      },
    ],
  } as FileMetaData;
}
const column = (type: DataType, element: object): ParquetColumn => ({
  field: { name: "x", type, nullable: true },
  leaf: 0,
  element: { name: "x", ...element } as ParquetColumn["element"],
});

describe("chunkStats", () => {
  it("floors ns bounds to µs, as the reader floors ns values", () => {
    const el = { type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "NANOS" } };
    const s = chunkStats(
      metaWith({
        min_value: { unit: "ns", value: -1500n },
        max_value: { unit: "ns", value: 2001n },
        null_count: 0n,
      }),
      0,
      column(T.timestampNtz, el),
      T.timestampNtz,
    );
    expect([s.min, s.max]).toEqual([-2n, 2n]);
  });

  it("distrusts legacy min/max of strings and unsigned ints, and NaN bounds", () => {
    const str = { type: "BYTE_ARRAY", converted_type: "UTF8" };
    expect(
      chunkStats(metaWith({ min: utf8("a"), max: utf8("b") }), 0, column(T.string, str), T.string).min,
    ).toBe(null);
    const u = { type: "INT32", converted_type: "UINT_16" };
    expect(chunkStats(metaWith({ min: 1, max: 2 }), 0, column(T.int32, u), T.int32).min).toBe(null);
    expect(chunkStats(metaWith({ min_value: 1, max_value: 2 }), 0, column(T.int32, u), T.int32).max).toBe(2);
    const d = { type: "DOUBLE" };
    expect(chunkStats(metaWith({ min: Number.NaN, max: 1 }), 0, column(T.float64, d), T.float64).min).toBe(
      null,
    );
  });

  it("turns lossy decimal statistics into safe bounds and widens int32 to int64", () => {
    const el = { type: "INT64", converted_type: "DECIMAL", precision: 18, scale: 2 };
    // hyparquet hands 12345678901234567 / 100 as a double.
    const s = chunkStats(
      metaWith({ min_value: 123456789012345.67, max_value: 123456789012345.67 }),
      0,
      column(T.decimal(18, 2), el),
      T.decimal(18, 2),
    );
    expect((s.min as bigint) <= 12345678901234567n && (s.max as bigint) >= 12345678901234567n).toBe(true);
    expect((s.max as bigint) - (s.min as bigint) < 1000n).toBe(true);
    const i = { type: "INT32" };
    expect(chunkStats(metaWith({ min: -3, max: 7 }), 0, column(T.int32, i), T.int64).min).toBe(-3n);
  });
});
