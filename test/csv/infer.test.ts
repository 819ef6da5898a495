// CSV schema inference (Spark 3.5's CSVInferSchema) and header handling.
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { AnalysisError, ConfigError } from "../../engine/errors.js";
import { csvReader } from "../../engine/io/csv/index.js";
import { schemaText, tempDir } from "./helpers.js";

const t = tempDir();
afterAll(() => t.rm());
let n = 0;
const infer = (text: string | Uint8Array, options: Record<string, string> = {}, name?: string) =>
  schemaText(
    csvReader.inferSchema([t.file(name ?? `f${n++}.csv`, text)], { inferschema: "true", ...options }),
  );

describe("CSV inference", () => {
  it("widens numbers int → bigint → decimal → double", () => {
    expect(infer("1\n2\n")).toEqual(["_c0:int32"]);
    expect(infer("1\n3000000000\n")).toEqual(["_c0:int64"]);
    expect(infer("1\n12345678901234567890\n")).toEqual(["_c0:decimal(20,0)"]);
    expect(infer("3000000000\n12345678901234567890\n")).toEqual(["_c0:decimal(20,0)"]);
    expect(infer("1\n2.5\n")).toEqual(["_c0:float64"]);
    expect(infer("12345678901234567890\n2.5\n")).toEqual(["_c0:float64"]);
    expect(infer("1e10\n")).toEqual(["_c0:float64"]);
    expect(infer("-7\n+8\n")).toEqual(["_c0:int32"]);
    expect(infer("1.5d\n")).toEqual(["_c0:float64"]);
    expect(infer("NaN\n-Inf\n1\n")).toEqual(["_c0:float64"]);
    expect(infer(`${"9".repeat(39)}\n`)).toEqual(["_c0:float64"]);
  });

  it("reads leading zeros as numbers, like Spark (007 is int 7)", () => {
    expect(infer("zip\n007\n01234\n", { header: "true" })).toEqual(["zip:int32"]);
  });

  it("infers dates (prefersDate), timestamps, booleans and strings", () => {
    expect(infer("2021-03-14\n2021-12-31\n")).toEqual(["_c0:date"]);
    expect(infer("2021-03-14 01:02:03\n2021-03-14T01:02:03.123Z\n")).toEqual(["_c0:timestamp"]);
    expect(infer("2021-03-14\n2021-03-14 01:02:03\n")).toEqual(["_c0:timestamp"]);
    expect(infer("2021-03-14 01:02:03\n2021-03-14\n")).toEqual(["_c0:timestamp"]);
    expect(infer("2021-03-14\n2021-03-14\n", { prefersDate: "false" })).toEqual(["_c0:timestamp"]);
    expect(infer("2021-03-14\n", { preferDate: "false" })).toEqual(["_c0:timestamp"]);
    expect(infer("true\nFALSE\n")).toEqual(["_c0:boolean"]);
    expect(infer("true\n1\n")).toEqual(["_c0:string"]);
    expect(infer("1\ntrue\n")).toEqual(["_c0:string"]);
    expect(infer("2021-03-14\nx\n")).toEqual(["_c0:string"]);
    expect(infer("1\n2021-03-14\n")).toEqual(["_c0:string"]);
    expect(infer('"1,234.5"\n')).toEqual(["_c0:string"]);
    expect(infer("12:30\n")).toEqual(["_c0:string"]);
    expect(infer('"1,234"\n')).toEqual(["_c0:decimal(4,0)"]);
  });

  it("uses dateFormat and timestampFormat when given", () => {
    expect(infer("14/03/2021\n", { dateFormat: "dd/MM/yyyy" })).toEqual(["_c0:date"]);
    expect(infer("14/03/2021 10:00\n", { timestampFormat: "dd/MM/yyyy HH:mm" })).toEqual(["_c0:timestamp"]);
    // With a custom timestampFormat, a date-and-timestamp mix no longer widens to timestamp.
    expect(infer("2021-03-14\n14/03/2021 10:00\n", { timestampFormat: "dd/MM/yyyy HH:mm" })).toEqual([
      "_c0:string",
    ]);
  });

  it("skips nulls, and an all-null column is string", () => {
    expect(infer("a,b\n,1\n,\n,3\n", { header: "true" })).toEqual(["a:string", "b:int32"]);
    expect(infer("a,b\nNA,1\n2,NA\n", { header: "true", nullValue: "NA" })).toEqual(["a:int32", "b:int32"]);
  });

  it("is all strings without inferSchema (Spark's default)", () => {
    expect(schemaText(csvReader.inferSchema([t.file("s.csv", "a,b\n1,2\n")], { header: "true" }))).toEqual([
      "a:string",
      "b:string",
    ]);
  });

  it("cleans header names like Spark: duplicates get their index, empty names _c<i>", () => {
    expect(infer("a,A,b,,a,c\n1,2,3,4,5,6\n", { header: "true" }).map((s) => s.split(":")[0])).toEqual([
      "a0",
      "A1",
      "b",
      "_c3",
      "a4",
      "c",
    ]);
    expect(infer('"total ($)","Col, with comma","über",x y\n1,2,3,4\n', { header: "true" })).toEqual([
      "total ($):int32",
      "Col, with comma:int32",
      "über:int32",
      "x y:int32",
    ]);
    expect(infer("1,2,3\n")).toEqual(["_c0:int32", "_c1:int32", "_c2:int32"]);
  });

  it("handles BOM, comments, blank lines, CRLF and ragged rows", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("id,v\r\n1,2\r\n")]);
    expect(infer(bom, { header: "true" })).toEqual(["id:int32", "v:int32"]);
    expect(infer("# note\n\nid,v\n# x\n1,a\n\n", { header: "true", comment: "#" })).toEqual([
      "id:int32",
      "v:string",
    ]);
    expect(infer("a,b,c\n1\n2,x\n", { header: "true" })).toEqual(["a:int32", "b:string", "c:string"]);
  });

  it("samples gzip files and several files, skipping each file's header", () => {
    const f1 = t.file("g1.csv.gz", zlib.gzipSync("a,b\n1,x\n"));
    const f2 = t.file("g2.csv", "a,b\n2.5,y\n");
    expect(schemaText(csvReader.inferSchema([f1, f2], { header: "true", inferschema: "true" }))).toEqual([
      "a:float64",
      "b:string",
    ]);
  });

  it("samples a bounded number of rows", () => {
    const text = `${"1\n".repeat(50)}x\n`;
    expect(infer(text, { "kindling.sql.csv.inferSchema.sampleRows": "50" })).toEqual(["_c0:int32"]);
    expect(infer(text, { "kindling.sql.csv.inferSchema.sampleRows": "51" })).toEqual(["_c0:string"]);
  });

  it("gives an empty schema for empty and header-less empty files", () => {
    expect(infer("")).toEqual([]);
    expect(infer("\n\n")).toEqual([]);
    expect(infer("a,b\n", { header: "true" })).toEqual(["a:string", "b:string"]);
  });

  it("uses the schema option (DDL) as given", () => {
    expect(infer("x\n", { schema: "a INT, b DECIMAL(10,2), _corrupt_record STRING" })).toEqual([
      "a:int32",
      "b:decimal(10,2)",
      "_corrupt_record:string",
    ]);
    expect(() => infer("x\n", { schema: "a ARRAY<INT>" })).toThrow(/does not support array<int>/);
    expect(() => infer("x\n", { schema: "_corrupt_record INT" })).toThrow(AnalysisError);
    expect(() => csvReader.inferSchema([], {})).toThrow(/Unable to infer schema for CSV/);
  });

  it("rejects bad options by name", () => {
    expect(() => infer("x\n", { header: "yes" })).toThrow(/option header/);
    expect(() => infer("x\n", { mode: "STRICT" })).toThrow(/option mode: unknown parse mode "STRICT"/);
    expect(() => infer("x\n", { encoding: "latin1" })).toThrow(ConfigError);
    expect(() => infer("x\n", { quote: "ab" })).toThrow(/option quote/);
    expect(() => infer("x\n", { timeZone: "Nowhere/Land" })).toThrow(/timeZone/);
    expect(() => infer("x\n", {}, "x.csv.bz2")).toThrow(/only uncompressed and gzip/);
  });
});
