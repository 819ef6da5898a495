// The JSON lines reader: inference, values of every type, options, modes, splits and gzip.
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../engine/errors.js";
import { jsonReader } from "../../engine/io/json/index.js";
import { JsonNumber, parseJson } from "../../engine/io/json/parse.js";
import { parseDDL } from "../../engine/types/ddl.js";
import { readBatches, readRows, rowsOf, schemaText, sourceOf, tempDir } from "../csv/helpers.js";

const t = tempDir();
afterAll(() => t.rm());
let n = 0;

async function read(
  text: string | Uint8Array,
  options: Record<string, string> = {},
  ddl?: string,
  name?: string,
) {
  const f = t.file(name ?? `j${n++}.json`, text);
  const src = sourceOf(jsonReader, [f], options, ddl === undefined ? undefined : parseDDL(ddl));
  return { schema: schemaText(src.dataSchema), rows: await readRows(jsonReader, src) };
}
const infer = (text: string, options: Record<string, string> = {}) =>
  schemaText(jsonReader.inferSchema([t.file(`i${n++}.json`, text)], options));

describe("parseJson", () => {
  it("keeps long numbers exact and accepts Spark's lenient forms", () => {
    expect(parseJson('{"a": 12345678901234567890}')).toEqual({ a: new JsonNumber("12345678901234567890") });
    expect(parseJson('{"a": 1.5, "b": [1, "x"]}')).toEqual({ a: 1.5, b: [1, "x"] });
    expect(parseJson("{'a': 'it\\'s', \"b\": NaN, \"c\": -Infinity}")).toEqual({
      a: "it's",
      b: Number.NaN,
      c: Number.NEGATIVE_INFINITY,
    });
    expect(parseJson('{"__proto__": 1}')).toHaveProperty("__proto__", 1);
    expect(parseJson('{"a":"\\u00e9\\n"}', true)).toEqual({ a: "é\n" });
    expect(parseJson("[1.0, 2]", true)).toEqual([new JsonNumber("1.0"), new JsonNumber("2")]);
    for (const bad of ["{", '{"a" 1}', "[1,]", "{'a': 01}", '"abc', "tru", "{} x"]) {
      expect(() => parseJson(bad), bad).toThrow(SyntaxError);
    }
  });
});

describe("JSON inference", () => {
  it("infers Spark's types and sorts fields by name", () => {
    const text =
      '{"z": 1, "a": "x", "m": 1.5, "b": true, "big": 12345678901234567890, "l": [1, 2], "o": {"k": 1}, "n": null}\n' +
      '{"z": 3000000000, "m": 2, "huge": 1e400, "l": [3.5], "o": {"k": 2}}\n';
    expect(infer(text)).toEqual([
      "a:string",
      "b:boolean",
      "big:decimal(20,0)",
      "huge:float64",
      "l:array<float64>",
      "m:float64",
      "n:string",
      "o:string",
      "z:int64",
    ]);
  });

  it("merges conflicting types to string and handles arrays of objects", () => {
    expect(infer('{"a": 1}\n{"a": "x"}\n{"a": true}\n')).toEqual(["a:string"]);
    expect(infer('{"a": [{"x": 1}]}\n{"a": []}\n')).toEqual(["a:array<string>"]);
    expect(infer('{"a": [[1]]}\n')).toEqual(["a:array<string>"]);
    expect(infer('{"a": []}\n')).toEqual(["a:array<string>"]);
    expect(infer('{"a": 1.0}\n')).toEqual(["a:float64"]);
    expect(infer('{"a": "", "": 1}\n{"a": 5}\nnull\n')).toEqual(["a:int64"]);
  });

  it("honours primitivesAsString, prefersDecimal, dropFieldIfAllNull", () => {
    expect(infer('{"a": 1, "b": true}\n', { primitivesAsString: "true" })).toEqual(["a:string", "b:string"]);
    expect(infer('{"a": 1.25}\n{"a": 10.5}\n', { prefersDecimal: "true" })).toEqual(["a:decimal(4,2)"]);
    expect(infer('{"a": null, "b": 1}\n', { dropFieldIfAllNull: "true" })).toEqual(["b:int64"]);
  });

  it("adds the corrupt-record column in PERMISSIVE mode and fails in FAILFAST", () => {
    expect(infer('{"a": 1}\n{broken\n')).toEqual(["_corrupt_record:string", "a:int64"]);
    expect(infer('{"a": 1}\n{broken\n', { mode: "DROPMALFORMED" })).toEqual(["a:int64"]);
    expect(() => infer('{"a": 1}\n{broken\n', { mode: "FAILFAST" })).toThrow(/line 2/);
    expect(infer("")).toEqual([]);
  });
});

describe("JSON reading", () => {
  it("reads every type", async () => {
    const text =
      '{"i": 1, "l": 9007199254740993, "d": 1.5, "s": "x", "b": true, "dt": "2021-03-14", "ts": "2021-03-14T01:02:03.5Z", "dec": 12.345, "arr": [1, null, 3], "obj": {"k": [1, 2]}}\n' +
      '{"i": -2, "l": -1, "d": "NaN", "s": 5, "b": false, "dt": "2021-03-14 10:00", "ts": 1615683723, "dec": "7", "arr": [], "obj": "plain"}\n' +
      "{}\n";
    const { rows } = await read(
      text,
      {},
      "i INT, l BIGINT, d DOUBLE, s STRING, b BOOLEAN, dt DATE, ts TIMESTAMP, dec DECIMAL(10,2), arr ARRAY<BIGINT>, obj STRING",
    );
    expect(rows).toEqual([
      [
        1,
        9007199254740993n,
        1.5,
        "x",
        true,
        "2021-03-14",
        "2021-03-14 01:02:03.500000",
        "12.35",
        [1, null, 3],
        '{"k":[1,2]}',
      ],
      [-2, -1, Number.NaN, "5", false, "2021-03-14", "2021-03-14 01:02:03", "7.00", [], "plain"],
      [null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it("reads inferred schemas, arrays of records per line, blank lines, CRLF, BOM", async () => {
    const text = '\ufeff{"a": 1, "b": [1.5]}\r\n\r\n  \r\n[{"a": 2}, {"a": 3, "b": []}]\r\n{"a": 4}';
    const r = await read(text);
    expect(r.schema).toEqual(["a:int64", "b:array<float64>"]);
    expect(r.rows).toEqual([
      [1, [1.5]],
      [2, null],
      [3, []],
      [4, null],
    ]);
  });

  it("reads multiLine documents", async () => {
    const text = '[\n  {"a": 1,\n   "b": "x"},\n  {"a": 2}\n]\n';
    const r = await read(text, { multiLine: "true" });
    expect(r.schema).toEqual(["a:int64", "b:string"]);
    expect(r.rows).toEqual([
      [1, "x"],
      [2, null],
    ]);
    const many = t.file("many.json", JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ a: i }))));
    const src = sourceOf(jsonReader, [many], { multiLine: "true" });
    const batches = await readBatches(jsonReader, src, { batchSize: 2, targetBytes: 3 });
    expect(batches.map((b) => b.numRows)).toEqual([2, 2, 1]);
  });

  it("applies PERMISSIVE, DROPMALFORMED and FAILFAST", async () => {
    const text = '{"a": 1, "b": "x"}\n{"a": "oops", "b": "y"}\nnot json\n42\n{"a": 5}\n';
    const ddl = "a INT, b STRING, _corrupt_record STRING";
    expect((await read(text, {}, ddl)).rows).toEqual([
      [1, "x", null],
      [null, "y", '{"a": "oops", "b": "y"}'],
      [null, null, "not json"],
      [null, null, "42"],
      [5, null, null],
    ]);
    expect((await read(text, { mode: "DROPMALFORMED" }, "a INT, b STRING")).rows).toEqual([
      [1, "x"],
      [5, null],
    ]);
    const err = await read(text, { mode: "FAILFAST" }, "a INT, b STRING").catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(
      /^Malformed JSON record in .*j\d+\.json at line 2: cannot read "oops" as int for column "a"$/,
    );
  });

  it("reads gzip, and the union of splits equals the whole file", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++)
      lines.push(i % 9 === 4 ? "" : JSON.stringify({ id: i, s: `v${i}`, f: i / 4 }));
    const text = lines.join(i2eol(lines.length)) + "\n";
    const f = t.file("split.json", text);
    const src = sourceOf(jsonReader, [f], {});
    const whole = await readRows(jsonReader, src);
    expect(whole.length).toBe(53);
    for (let target = 1; target < text.length + 2; target += 3) {
      expect(await readRows(jsonReader, src, { targetBytes: target }), `target ${target}`).toEqual(whole);
    }
    const gz = t.file("split.json.gz", zlib.gzipSync(text));
    expect(await readRows(jsonReader, sourceOf(jsonReader, [gz], {}))).toEqual(whole);
    const batches = await readBatches(jsonReader, src, { batchSize: 20, columns: [1] });
    expect(batches.map((b) => b.numRows)).toEqual([20, 20, 13]);
    const big = t.file("grow.json", Array.from({ length: 5000 }, (_, i) => `{"id": ${i}}`).join("\n"));
    const bigSrc = sourceOf(jsonReader, [big], {});
    const grown = await readBatches(jsonReader, bigSrc, { targetBytes: big.size - 1, batchSize: 3000 });
    expect(grown.map((b) => b.numRows).reduce((a, b) => a + b, 0)).toBe(5000);
    expect(rowsOf(grown).map((r) => r[0])).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});

function i2eol(k: number): string {
  return k % 2 === 0 ? "\n" : "\r\n";
}
