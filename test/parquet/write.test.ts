// ParquetFileWriter: files DuckDB reads back with the same values and types, every codec,
// row-group sizing, empty files, bad options; and files parquet-wasm itself wrote from Arrow
// tables with types Kindling normalises on read (int8, float32, uint64, dictionaries...).
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import * as arrow from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Batch } from "../../engine/columnar/column.js";
import { ConfigError, WriteError } from "../../engine/errors.js";
import { readMetadata } from "../../engine/io/parquet/metadata.js";
import { unsupportedReason } from "../../engine/io/parquet/schema.js";
import { parquetWasm } from "../../engine/io/parquet/wasm.js";
import { ParquetFileWriter } from "../../engine/io/parquet/write.js";
import { typeName } from "../../engine/types/data-type.js";
import {
  ALL_TYPES_CANON,
  ALL_TYPES_SQL,
  batchColumns,
  duckColumns,
  duckdb,
  duckRead,
  duckWrite,
  inferredSource,
  readAll,
  tempDir,
} from "../fixtures/parquet-fixtures.js";

const COLUMNS = Object.keys(ALL_TYPES_CANON);

describe("ParquetFileWriter", () => {
  const tmp = tempDir();
  let con: DuckDBConnection;
  let batches: Batch[];
  const file = (name: string) => join(tmp.dir, name);
  const writeAll = async (name: string, compression: string, rowGroupRows?: number) => {
    const path = file(name);
    const w = ParquetFileWriter.open(path, batches[0]!.schema, { compression, rowGroupRows });
    for (const b of batches) w.write(b);
    return { path, result: await w.close() };
  };

  beforeAll(async () => {
    con = await duckdb();
    await duckWrite(con, ALL_TYPES_SQL, file("source.parquet"), "COMPRESSION zstd, ROW_GROUP_SIZE 2048");
    batches = (await readAll(inferredSource([file("source.parquet")]), COLUMNS, { batchSize: 1000 })).batches;
  });
  afterAll(() => tmp.remove());

  it("writes files DuckDB reads back with the same values and types", async () => {
    const { path, result } = await writeAll("out.parquet", "snappy");
    expect(result).toEqual({ rows: 10000, bytes: statSync(path).size });
    expect(await duckRead(con, path, COLUMNS)).toEqual(await duckRead(con, file("source.parquet"), COLUMNS));
    const types = await duckColumns(
      con,
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}')`,
    );
    const described = Object.fromEntries(types[0]!.map((n, i) => [n, types[1]![i]]));
    expect(described).toMatchObject({
      id: "INTEGER",
      i64: "BIGINT",
      i8: "INTEGER",
      u32: "BIGINT",
      d: "DOUBLE",
      f: "DOUBLE",
      s: "VARCHAR",
      dt: "DATE",
      ts: "TIMESTAMP",
      tsns: "TIMESTAMP",
      tstz: "TIMESTAMP WITH TIME ZONE",
      dec10: "DECIMAL(10,2)",
      dec20: "DECIMAL(20,4)",
      dec38: "DECIMAL(38,6)",
      b: "BOOLEAN",
      lst: "BIGINT[]",
      lst_s: "VARCHAR[]",
    });
    const schema = await duckColumns(
      con,
      `SELECT name, converted_type, logical_type FROM parquet_schema('${path}')`,
    );
    const logical = Object.fromEntries(schema[0]!.map((n, i) => [n, `${schema[1]![i]} ${schema[2]![i]}`]));
    expect(logical.ts).toContain("isAdjustedToUTC=0");
    expect(logical.tstz).toContain("isAdjustedToUTC=1");
    for (const c of ["ts", "tsns", "tsms", "tstz"]) expect(logical[c]).toContain("MICROS=MicroSeconds()");
    expect(logical.s).toMatch(/UTF8|StringType/);
    expect(logical.dt).toMatch(/DATE/);
    expect(logical.dec20).toMatch(/DECIMAL/);
  });

  it("reads its own files back identically, with delta-encoded int64 and timestamp columns", async () => {
    const { path } = await writeAll("own.parquet", "zstd");
    const src = inferredSource([path]);
    expect(src.dataSchema.fields.map((f) => typeName(f.type))).toEqual(
      batches[0]!.schema.fields.map((f) => typeName(f.type)),
    );
    const back = (await readAll(src, COLUMNS)).batches;
    expect(batchColumns(back)).toEqual(batchColumns(batches));
    const enc = await duckColumns(
      con,
      `SELECT DISTINCT path_in_schema, encodings FROM parquet_metadata('${path}') WHERE path_in_schema IN ('i64', 'ts', 'tstz')`,
    );
    expect(enc[1]!.every((e) => e!.includes("DELTA_BINARY_PACKED"))).toBe(true);
  });

  it("cuts row groups of rowGroupRows rows", async () => {
    const { path } = await writeAll("groups.parquet", "snappy", 3000);
    const meta = await readMetadata(path);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([3000, 3000, 3000, 1000]);
    const one = await writeAll("one-group.parquet", "snappy");
    expect((await readMetadata(one.path)).row_groups.length).toBe(1);
  });

  const CODECS: Record<string, string> = {
    none: "UNCOMPRESSED",
    uncompressed: "UNCOMPRESSED",
    snappy: "SNAPPY",
    gzip: "GZIP",
    zstd: "ZSTD",
    lz4: "LZ4_RAW",
    brotli: "BROTLI",
    ZSTD: "ZSTD",
  };
  for (const [codec, name] of Object.entries(CODECS)) {
    it(`writes ${codec} files that DuckDB reads`, async () => {
      const { path } = await writeAll(`codec-${codec}.parquet`, codec);
      const [rows, compression] = await duckColumns(
        con,
        `SELECT (SELECT count(*) FROM '${path}'), (SELECT any_value(compression) FROM parquet_metadata('${path}'))`,
      );
      expect([rows![0], compression![0]]).toEqual(["10000", name]);
      expect(await duckRead(con, path, ["id", "s", "dec38"])).toEqual(
        await duckRead(con, file("source.parquet"), ["id", "s", "dec38"]),
      );
    });
  }

  it("rejects an unknown codec with a ConfigError naming it, before creating the file", () => {
    const open = () =>
      ParquetFileWriter.open(file("bad.parquet"), batches[0]!.schema, { compression: "lzo" });
    expect(open).toThrow(ConfigError);
    expect(open).toThrow(/"lzo".*compression/);
    expect(() => statSync(file("bad.parquet"))).toThrow();
  });

  it("writes an empty file that keeps the schema", async () => {
    const path = file("empty.parquet");
    const w = ParquetFileWriter.open(path, batches[0]!.schema, { compression: "snappy" });
    expect((await w.close()).rows).toBe(0);
    const [rows] = await duckColumns(con, `SELECT count(*) FROM '${path}'`);
    expect(rows).toEqual(["0"]);
    const src = inferredSource([path]);
    expect(src.dataSchema.fields.map((f) => typeName(f.type))).toEqual(
      batches[0]!.schema.fields.map((f) => typeName(f.type)),
    );
    expect((await readAll(src, ["id"])).batches).toEqual([]);
  });

  it("refuses writes after close and schemas without columns", async () => {
    const w = ParquetFileWriter.open(file("closed.parquet"), batches[0]!.schema, { compression: "snappy" });
    w.write(batches[0]!);
    await w.close();
    expect(() => w.write(batches[0]!)).toThrow(WriteError);
    expect(() =>
      ParquetFileWriter.open(file("nocols.parquet"), { fields: [] }, { compression: "snappy" }),
    ).toThrow(WriteError);
  });
});

describe("Parquet files written by parquet-wasm from Arrow tables", () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it("normalises int8/16, unsigned, float16/32, dictionary, large_utf8, date64, s/ms/ns timestamps (following ARROW:schema)", async () => {
    const n = 6;
    const nulls = [1, 1, 0, 1, 1, 1];
    const bitmap = new Uint8Array([nulls.reduce((m, v, i) => m | (v << i), 0)]);
    const ts = (unit: arrow.TimeUnit, tz: string | null, values: bigint[]) =>
      arrow.makeData({ type: new arrow.Timestamp(unit, tz), length: n, data: BigInt64Array.from(values) });
    const table = new arrow.Table({
      i8: arrow.vectorFromArray([-128, 127, null, 0, 1, -1], new arrow.Int8()),
      i16: arrow.vectorFromArray([-32768, 32767, null, 0, 1, -1], new arrow.Int16()),
      u8: arrow.vectorFromArray([0, 255, null, 1, 2, 3], new arrow.Uint8()),
      u16: arrow.vectorFromArray([0, 65535, null, 1, 2, 3], new arrow.Uint16()),
      u32: arrow.vectorFromArray([0, 4294967295, null, 1, 2, 3], new arrow.Uint32()),
      u64: arrow.vectorFromArray([0n, 9223372036854775807n, null, 1n, 2n, 3n], new arrow.Uint64()),
      f32: arrow.vectorFromArray([0.1, -2.5, null, Number.NaN, 3.4e38, -0], new arrow.Float32()),
      f16: arrow.vectorFromArray([0.5, -2, null, 1024, 0.099975586, -0], new arrow.Float16()),
      dict: arrow.vectorFromArray(
        ["a", "b", null, "a", "ü", "b"],
        new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      ),
      large: arrow.vectorFromArray(["x", "", null, "yz", "😀", "w"], new arrow.LargeUtf8()),
      d64: arrow.makeVector(
        arrow.makeData({
          type: new arrow.DateMillisecond(),
          length: n,
          nullCount: 1,
          nullBitmap: bitmap,
          data: BigInt64Array.from([
            0n,
            86400000n,
            0n,
            -86400000n,
            1700000000000n - (1700000000000n % 86400000n),
            86400000n * 3n,
          ]),
        }),
      ),
      tss: arrow.makeVector(ts(arrow.TimeUnit.SECOND, null, [0n, 1n, -1n, 1700000000n, 2n, 3n])),
      tsms: arrow.makeVector(
        ts(arrow.TimeUnit.MILLISECOND, "America/New_York", [0n, 1n, -1n, 1700000000123n, 5n, 6n]),
      ),
      tsns: arrow.makeVector(
        ts(arrow.TimeUnit.NANOSECOND, "UTC", [0n, 1999n, -1n, 1700000000123456789n, -1001n, 7n]),
      ),
      dur: arrow.makeVector(
        arrow.makeData({
          type: new arrow.Duration(arrow.TimeUnit.MILLISECOND),
          length: n,
          data: new BigInt64Array(n),
        }),
      ),
      dec: arrow.makeVector(
        arrow.makeData({
          type: new arrow.Decimal(2, 9, 128),
          length: n,
          data: new Uint32Array([
            ...[12345, 0, 0, 0],
            ...[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
            ...[0, 0, 0, 0],
            ...[999999999, 0, 0, 0],
            ...[1, 0, 0, 0],
            ...[-5 >>> 0, 0xffffffff, 0xffffffff, 0xffffffff],
          ]),
        }),
      ),
    });
    const pw = parquetWasm();
    const path = join(tmp.dir, "arrow-types.parquet");
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, "stream")));
    writeFileSync(path, bytes);

    const src = inferredSource([path]);
    // A Duration (plain INT64 plus the embedded Arrow schema) is a placeholder Kindling cannot read.
    const dur = src.dataSchema.fields.find((f) => f.name === "dur")!;
    expect(unsupportedReason(dur)).toMatch(/duration/);
    const types = Object.fromEntries(
      src.dataSchema.fields.filter((f) => f !== dur).map((f) => [f.name, typeName(f.type)]),
    );
    expect(types).toEqual({
      i8: "int",
      i16: "int",
      u8: "int",
      u16: "int",
      u32: "bigint",
      u64: "bigint",
      f32: "double",
      f16: "double",
      dict: "string",
      large: "string",
      d64: "date",
      tss: "timestamp_ntz",
      tsms: "timestamp",
      tsns: "timestamp",
      dec: "decimal(9,2)",
    });
    const names = Object.keys(types);
    const ours = batchColumns((await readAll(src, names)).batches);
    const f32 = (v: number) => String(Math.fround(v));
    expect(Object.fromEntries(names.map((c, k) => [c, ours[k]]))).toEqual({
      i8: ["-128", "127", null, "0", "1", "-1"],
      i16: ["-32768", "32767", null, "0", "1", "-1"],
      u8: ["0", "255", null, "1", "2", "3"],
      u16: ["0", "65535", null, "1", "2", "3"],
      u32: ["0", "4294967295", null, "1", "2", "3"],
      u64: ["0", "9223372036854775807", null, "1", "2", "3"],
      f32: [f32(0.1), "-2.5", null, "NaN", f32(3.4e38), "-0"],
      f16: ["0.5", "-2", null, "1024", "0.0999755859375", "-0"],
      dict: ["a", "b", null, "a", "ü", "b"],
      large: ["x", "", null, "yz", "😀", "w"],
      d64: ["0", "1", null, "-1", "19675", "3"],
      tss: ["0", "1000000", "-1000000", "1700000000000000", "2000000", "3000000"],
      tsms: ["0", "1000", "-1000", "1700000000123000", "5000", "6000"],
      tsns: ["0", "1", "-1", "1700000000123456", "-2", "0"],
      dec: ["123.45", "-0.01", "0.00", "9999999.99", "0.01", "-0.05"],
    });
    // DuckDB agrees on everything it reads the same way.
    const con = await duckdb();
    const duck = await duckColumns(
      con,
      `SELECT i8::VARCHAR, u32::VARCHAR, u64::VARCHAR, f32::DOUBLE, dict, large, epoch_us(tsms)::VARCHAR, dec::VARCHAR FROM '${path}'`,
    );
    expect(duck).toEqual(
      ["i8", "u32", "u64", "f32", "dict", "large", "tsms", "dec"].map((c) => ours[names.indexOf(c)]),
    );
  });
});
