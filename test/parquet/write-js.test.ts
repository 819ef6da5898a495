// The JS Parquet writer (flat schemas, none/snappy): DuckDB reads back the same values and
// types, dictionaries that overflow into PLAIN pages, nulls across page boundaries, row
// groups, statistics DuckDB and our pruning agree with, and Snappy round trips.
import { statSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Batch } from "../../engine/columnar/column.js";
import { E, type Expr } from "../../engine/expr/expr.js";
import { readMetadata } from "../../engine/io/parquet/metadata.js";
import { snappyCompress, snappyDecompress, snappyMaxLength } from "../../engine/io/parquet/snappy.js";
import { ParquetFileWriter } from "../../engine/io/parquet/write.js";
import { T, typeName } from "../../engine/types/data-type.js";
import {
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

const FLAT = [
  "id",
  "i64",
  "i8",
  "i16",
  "u8",
  "u16",
  "u32",
  "d",
  "f",
  "s",
  "dt",
  "ts",
  "tsns",
  "tsms",
  "tstz",
  "b",
];

describe("JS Parquet writer", () => {
  const tmp = tempDir();
  let con: DuckDBConnection;
  let batches: Batch[];
  const file = (name: string) => join(tmp.dir, name);
  const write = async (name: string, bs: readonly Batch[], compression: string, rowGroupRows?: number) => {
    const path = file(name);
    const w = ParquetFileWriter.open(path, bs[0]!.schema, { compression, rowGroupRows });
    for (const b of bs) w.write(b);
    return { path, result: await w.close() };
  };

  beforeAll(async () => {
    con = await duckdb();
    await duckWrite(con, ALL_TYPES_SQL, file("source.parquet"), "COMPRESSION zstd, ROW_GROUP_SIZE 2048");
    batches = (await readAll(inferredSource([file("source.parquet")]), FLAT, { batchSize: 777 })).batches;
  });
  afterAll(() => tmp.remove());

  for (const codec of ["snappy", "none"]) {
    it(`writes ${codec} files DuckDB reads back with the same values and types`, async () => {
      const { path, result } = await write(`flat-${codec}.parquet`, batches, codec, 3000);
      expect(result).toEqual({ rows: 10000, bytes: statSync(path).size });
      expect(await duckRead(con, path, FLAT)).toEqual(await duckRead(con, file("source.parquet"), FLAT));
      const meta = await readMetadata(path);
      expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([3000, 3000, 3000, 1000]);
      expect(meta.created_by).toMatch(/kindling/);
      const [compression] = await duckColumns(
        con,
        `SELECT any_value(compression) FROM parquet_metadata('${path}')`,
      );
      expect(compression).toEqual([codec === "none" ? "UNCOMPRESSED" : "SNAPPY"]);
      // Our own reader agrees too, with the same types.
      const src = inferredSource([path]);
      expect(src.dataSchema.fields.map((f) => typeName(f.type))).toEqual(
        batches[0]!.schema.fields.map((f) => typeName(f.type)),
      );
      expect(batchColumns((await readAll(src, FLAT)).batches)).toEqual(batchColumns(batches));
    });
  }

  it("writes statistics DuckDB reports and our pruning uses", async () => {
    const { path } = await write("stats.parquet", batches, "snappy", 2500);
    const stats = await duckColumns(
      con,
      `SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata('${path}') WHERE row_group_id = 1 AND path_in_schema IN ('id', 's', 'd', 'i64', 'b')`,
    );
    const by = Object.fromEntries(stats[0]!.map((n, i) => [n, [stats[1]![i], stats[2]![i], stats[3]![i]]]));
    expect(by.id).toEqual(["2500", "4999", "0"]);
    expect(by.i64![2]).toBe(String(Math.floor(4999 / 11) - Math.floor(2499 / 11)));
    expect(by.b).toEqual(["false", "true", String(Math.floor(4999 / 19) - Math.floor(2499 / 19))]);
    const src = inferredSource([path]);
    const i = src.dataSchema.fields.findIndex((f) => f.name === "id");
    const f = src.dataSchema.fields[i]!;
    const filter: Expr = E.call("ge", E.ref(i, f.name, f.type, f.nullable), E.lit(7600, T.int32));
    const { splits } = await readAll(src, ["id"], { filters: [filter], targetBytes: 1 });
    expect(splits.flatMap((s) => s.rowGroups)).toEqual([3]);
  });

  it("falls back from dictionary to PLAIN pages for many distinct values, across row groups and nulls", async () => {
    const n = 300000;
    const d = new Float64Array(n);
    const valid = new Uint8Array(n);
    const offsets = new Int32Array(n + 1);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      d[i] = i * 1.25 + 0.1;
      valid[i] = i % 7 === 3 ? 0 : 1;
      parts.push(valid[i] ? `s${i}` : "");
      offsets[i + 1] = offsets[i]! + parts[i]!.length;
    }
    const data = new TextEncoder().encode(parts.join(""));
    const schema = {
      fields: [
        { name: "d", type: { kind: "float64" as const }, nullable: true },
        { name: "s", type: { kind: "string" as const }, nullable: true },
      ],
    };
    const batch: Batch = {
      schema,
      columns: [
        { type: schema.fields[0]!.type, length: n, valid, values: d },
        { type: schema.fields[1]!.type, length: n, valid, offsets, data },
      ],
      numRows: n,
    };
    const { path } = await write("big-dict.parquet", [batch], "snappy", 200000);
    const [count, sum, nulls, sumLen, minS, maxS] = await duckColumns(
      con,
      `SELECT count(*)::VARCHAR, sum(d)::VARCHAR, count(*) FILTER (WHERE s IS NULL)::VARCHAR, sum(length(s))::VARCHAR, min(s), max(s) FROM '${path}'`,
    );
    let expSum = 0;
    let expLen = 0;
    let expNulls = 0;
    for (let i = 0; i < n; i++) {
      if (valid[i]) {
        expSum += d[i]!;
        expLen += parts[i]!.length;
      } else expNulls++;
    }
    expect(count).toEqual([String(n)]);
    expect(Number(sum![0])).toBeCloseTo(expSum, 0);
    expect(nulls).toEqual([String(expNulls)]);
    expect(sumLen).toEqual([String(expLen)]);
    expect([minS![0], maxS![0]]).toEqual(["s0", "s99999"]);
    const enc = await duckColumns(
      con,
      `SELECT DISTINCT encodings FROM parquet_metadata('${path}') WHERE path_in_schema = 'd' AND row_group_id = 0`,
    );
    expect(enc[0]![0]).toMatch(/PLAIN/);
    const back = (await readAll(inferredSource([path]), ["d", "s"])).batches;
    const cols = batchColumns(back);
    expect(cols[0]!.length).toBe(n);
    expect(cols[1]![299999]).toBe("s299999");
    expect(cols[1]![3]).toBe(null);
    // Batches that cut across pages and row groups give the same values.
    const odd = (await readAll(inferredSource([path]), ["s", "d"], { batchSize: 7777 })).batches;
    expect(odd.every((b) => b.numRows <= 7777)).toBe(true);
    const oddCols = batchColumns(odd);
    expect(oddCols[0]).toEqual(cols[1]);
    expect(oddCols[1]).toEqual(cols[0]);
  });
});

describe("Snappy", () => {
  it("round-trips data of every shape and size", () => {
    let seed = 7;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const inputs = [
      new Uint8Array(0),
      Uint8Array.of(1),
      new Uint8Array(100000),
      Uint8Array.from({ length: 200001 }, () => (rnd() * 256) | 0),
      Uint8Array.from({ length: 150000 }, (_, i) => ((i * 7) % 13) + (rnd() < 0.05 ? 1 : 0)),
    ];
    for (const input of inputs) {
      const out = new Uint8Array(snappyMaxLength(input.length));
      const n = snappyCompress(input, 0, input.length, out);
      const back = new Uint8Array(input.length);
      expect(snappyDecompress(out, 0, n, back)).toBe(input.length);
      expect(Buffer.from(back).equals(Buffer.from(input))).toBe(true);
    }
    const bad = Uint8Array.of(10, 0x0d, 0x01);
    expect(() => snappyDecompress(bad, 0, bad.length, new Uint8Array(10))).toThrow(/Snappy/);
  });
});
