// Bad and mixed inputs: truncated and corrupt files fail with the file's name (never hang),
// projection decodes only the selected columns, and several files merge their schemas.
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../engine/errors.js";
import { parquetReader } from "../../engine/io/parquet/index.js";
import { readMetadata } from "../../engine/io/parquet/metadata.js";
import { typeName } from "../../engine/types/data-type.js";
import {
  batchColumns,
  duckdb,
  duckWrite,
  inferredSource,
  parquetSource,
  readAll,
  sourceFile,
  tempDir,
} from "../fixtures/parquet-fixtures.js";

const SQL = `SELECT i::INTEGER AS id, 'row ' || i AS s, (i * 1.5)::DOUBLE AS x, {'a': i} AS st
  FROM range(5000) r(i)`;

describe("truncated, corrupt and mixed Parquet files", () => {
  const tmp = tempDir();
  let con: DuckDBConnection;
  const file = (name: string) => join(tmp.dir, name);

  beforeAll(async () => {
    con = await duckdb();
    await duckWrite(con, SQL, file("good.parquet"), "COMPRESSION snappy, ROW_GROUP_SIZE 2048");
    const bytes = readFileSync(file("good.parquet"));
    writeFileSync(file("truncated.parquet"), bytes.subarray(0, bytes.length - 100));
    writeFileSync(file("tiny.parquet"), bytes.subarray(0, 6));
    writeFileSync(file("not-parquet.parquet"), "id,s\n1,a\n");
  });
  afterAll(() => tmp.remove());

  it("names a truncated file in schema inference, split planning and reading", async () => {
    for (const name of ["truncated.parquet", "tiny.parquet", "not-parquet.parquet"]) {
      const path = file(name);
      expect(() => parquetReader.inferSchema([sourceFile(path)], {})).toThrow(DataError);
      expect(() => parquetReader.inferSchema([sourceFile(path)], {})).toThrow(path);
      const good = inferredSource([file("good.parquet")]);
      const src = parquetSource([path], good.dataSchema);
      await expect(parquetReader.planSplits(src, [], 1 << 20)).rejects.toThrow(path);
      const read = async () => {
        for await (const _ of parquetReader.read({
          source: src,
          split: { file: 0, start: 4, length: -1, rowGroups: [0] },
          columns: [0],
          filters: [],
          batchSize: 1024,
        }));
      };
      await expect(read()).rejects.toBeInstanceOf(DataError);
    }
  });

  it("names a missing file", () => {
    expect(() =>
      parquetReader.inferSchema([{ path: file("nope.parquet"), size: 0, partitionValues: [] }], {}),
    ).toThrow(/nope\.parquet/);
  });

  it("decodes only the selected columns: a corrupt chunk of another column goes unnoticed", async () => {
    const path = file("one-bad-column.parquet");
    const bytes = Buffer.from(readFileSync(file("good.parquet")));
    const meta = await readMetadata(file("good.parquet"));
    // Scribble over every page of column "s" (data and dictionary) in every row group.
    for (const rg of meta.row_groups) {
      const m = rg.columns[1]!.meta_data!;
      expect(m.path_in_schema).toEqual(["s"]);
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      const end = start + Number(m.total_compressed_size);
      for (let i = start; i < end; i++) bytes[i] = (i * 131 + 7) & 0xff;
    }
    writeFileSync(path, bytes);
    const src = inferredSource([path]);
    const { batches } = await readAll(src, ["x", "id"]);
    const cols = batchColumns(batches);
    expect(cols[1]).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)));
    expect(cols[0]![3]).toBe("4.5");
    // The corrupt column itself fails with the file's name, and nothing hangs.
    const err = await readAll(src, ["s"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain(path);
    // The thread's decoder still works afterwards.
    expect((await readAll(src, ["id"])).batches.reduce((n, b) => n + b.numRows, 0)).toBe(5000);
  });

  it("merges schemas across files: int32 widens to int64, missing columns read as nulls", async () => {
    await duckWrite(con, "SELECT i::INTEGER AS k, 'a' || i AS s FROM range(3) r(i)", file("m1.parquet"), "");
    await duckWrite(
      con,
      "SELECT (i + 10)::BIGINT AS k, i = 1 AS flag FROM range(2) r(i)",
      file("m2.parquet"),
      "",
    );
    const src = inferredSource([file("m1.parquet"), file("m2.parquet")]);
    expect(src.dataSchema.fields.map((f) => `${f.name}:${typeName(f.type)}:${f.nullable}`)).toEqual([
      "k:bigint:true",
      "s:string:true",
      "flag:boolean:true",
    ]);
    const { batches } = await readAll(src, ["flag", "k", "s"]);
    expect(batchColumns(batches)).toEqual([
      [null, null, null, "false", "true"],
      ["0", "1", "2", "10", "11"],
      ["a0", "a1", "a2", null, null],
    ]);
    expect(batches.every((b) => b.columns[1]!.type.kind === "int64")).toBe(true);
  });

  it("refuses incompatible types across files, naming both files", async () => {
    await duckWrite(con, "SELECT i::INTEGER AS k FROM range(3) r(i)", file("t1.parquet"), "");
    await duckWrite(con, "SELECT 'x' || i AS k FROM range(3) r(i)", file("t2.parquet"), "");
    const paths = [file("t1.parquet"), file("t2.parquet")];
    expect(() => inferredSource(paths)).toThrow(DataError);
    expect(() => inferredSource(paths)).toThrow(/t1\.parquet.*t2\.parquet/);
    // Planning against a schema from one file also checks the others.
    const one = inferredSource([paths[0]!]);
    await expect(parquetReader.planSplits(parquetSource(paths, one.dataSchema), [], 1 << 20)).rejects.toThrow(
      /column "k".*t2\.parquet.*t1\.parquet/,
    );
  });

  it("caches footers per path and notices a rewritten file", async () => {
    const path = file("rewritten.parquet");
    await duckWrite(con, "SELECT 1 AS a", path, "");
    expect(inferredSource([path]).dataSchema.fields.map((f) => f.name)).toEqual(["a"]);
    expect(await readMetadata(path)).toBe(await readMetadata(path));
    await duckWrite(con, "SELECT 1 AS a, 2 AS b", path, "");
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(inferredSource([path]).dataSchema.fields.map((f) => f.name)).toEqual(["a", "b"]);
  });

  it("refuses a row group that is not in the file", async () => {
    const src = inferredSource([file("good.parquet")]);
    const read = async () => {
      for await (const _ of parquetReader.read({
        source: src,
        split: { file: 0, start: 4, length: -1, rowGroups: [7] },
        columns: [0],
        filters: [],
        batchSize: 1024,
      }));
    };
    await expect(read()).rejects.toThrow(/no row group 7/);
  });
});
