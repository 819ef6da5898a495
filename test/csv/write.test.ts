// The CSV writer: Spark's text forms, quoting, options, gzip, and reading the output back.
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { columnFromValues, type JsValue } from "../../engine/columnar/builders.js";
import type { Batch } from "../../engine/columnar/column.js";
import { CsvFileWriter, csvReader, writeCsv } from "../../engine/io/csv/index.js";
import { javaDouble } from "../../engine/io/csv/write-format.js";
import { type DataType, field, type Schema, schemaOf, T } from "../../engine/types/data-type.js";
import { schemaToDDL } from "../../engine/types/ddl.js";
import { readRows, rowsOf, sourceOf, tempDir } from "./helpers.js";

const t = tempDir();
afterAll(() => t.rm());
let n = 0;

function batchOf(cols: [string, DataType, JsValue[]][]): { schema: Schema; batch: Batch } {
  const schema = schemaOf(cols.map(([name, type]) => field(name, type)));
  const columns = cols.map(([, type, vals]) => columnFromValues(type, vals));
  return { schema, batch: { schema, columns, numRows: cols[0]![2].length } };
}

async function write(cols: [string, DataType, JsValue[]][], options: Record<string, string> = {}) {
  const { schema, batch } = batchOf(cols);
  const p = path.join(t.dir, `w${n++}.csv`);
  const res = await writeCsv([batch], p, schema, options);
  return { text: fs.readFileSync(p, "utf8"), res, path: p, schema };
}

describe("javaDouble", () => {
  it("formats like Java's Double.toString", () => {
    expect(javaDouble(1)).toBe("1.0");
    expect(javaDouble(-2.5)).toBe("-2.5");
    expect(javaDouble(0.001)).toBe("0.001");
    expect(javaDouble(0.0001)).toBe("1.0E-4");
    expect(javaDouble(1234567)).toBe("1234567.0");
    expect(javaDouble(12345678)).toBe("1.2345678E7");
    expect(javaDouble(1e21)).toBe("1.0E21");
    expect(javaDouble(-0)).toBe("-0.0");
    expect(javaDouble(Number.NaN)).toBe("NaN");
    expect(javaDouble(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(javaDouble(1.7976931348623157e308)).toBe("1.7976931348623157E308");
  });
});

describe("writeCsv", () => {
  it("writes Spark's default text forms", async () => {
    const ts = BigInt(Date.UTC(2021, 2, 14, 1, 2, 3)) * 1000n + 123456n;
    const { text, res } = await write([
      ["i", T.int32, [1, null]],
      ["l", T.int64, [9007199254740993n, -5]],
      ["d", T.float64, [1, 1e-5]],
      ["b", T.boolean, [true, false]],
      ["s", T.string, ["plain", ""]],
      ["dt", T.date, ["2021-03-14", null]],
      ["ts", T.timestamp, [ts, null]],
      ["ntz", T.timestampNtz, [ts, null]],
      ["dec", T.decimal(10, 2), ["-12.3", "0.05"]],
    ]);
    expect(text).toBe(
      "1,9007199254740993,1.0,true,plain,2021-03-14,2021-03-14T01:02:03.123Z,2021-03-14T01:02:03.123,-12.30\n" +
        ',-5,1.0E-5,false,"",,,,0.05\n',
    );
    expect(res.rows).toBe(2);
    expect(res.bytes).toBe(Buffer.byteLength(text));
  });

  it("quotes and escapes only when needed, and trims by default like Spark", async () => {
    const vals = ["a,b", 'say "hi"', "two\nlines", "C:\\dir", 'end\\"q', "  padded  ", "ünï", "cr\rx"];
    const { text } = await write([["s", T.string, vals]]);
    expect(text.split("\n").slice(0, 2)).toEqual(['"a,b"', '"say \\"hi\\""']);
    expect(text).toBe('"a,b"\n"say \\"hi\\""\n"two\nlines"\nC:\\dir\n"end\\\\\\"q"\npadded\nünï\n"cr\rx"\n');
    const kept = await write([["s", T.string, vals]], {
      ignoreLeadingWhiteSpace: "false",
      ignoreTrailingWhiteSpace: "false",
    });
    expect(kept.text).toContain("\n  padded  \n");
  });

  it("honours header, sep, quote, escape, quoteAll, escapeQuotes, nullValue, emptyValue, lineSep", async () => {
    const cols: [string, DataType, JsValue[]][] = [
      ["a b", T.string, ['x"y', null, ""]],
      ["n", T.int32, [1, 2, null]],
    ];
    expect((await write(cols, { header: "true" })).text).toBe('a b,n\n"x\\"y",1\n,2\n"",\n');
    expect((await write(cols, { sep: ";", escape: '"' })).text).toBe('"x""y";1\n;2\n"";\n');
    expect((await write(cols, { quoteAll: "true" })).text).toBe('"x\\"y","1"\n,"2"\n"",\n');
    expect((await write(cols, { escapeQuotes: "false" })).text).toBe('x"y,1\n,2\n"",\n');
    expect((await write(cols, { nullValue: "NULL", emptyValue: "" })).text).toBe(
      '"x\\"y",1\nNULL,2\n,NULL\n',
    );
    expect((await write(cols, { lineSep: "\r\n", quote: "'" })).text).toBe('x"y,1\r\n,2\r\n"",\r\n');
    expect((await write(cols, { delimiter: "||", header: "true" })).text).toBe(
      'a b||n\n"x\\"y"||1\n||2\n""||\n',
    );
  });

  it("honours dateFormat, timestampFormat and timeZone", async () => {
    const ts = BigInt(Date.UTC(2021, 6, 1, 12, 0, 0)) * 1000n;
    const cols: [string, DataType, JsValue[]][] = [
      ["d", T.date, ["2021-07-01"]],
      ["t", T.timestamp, [ts]],
    ];
    expect((await write(cols, { timeZone: "America/New_York" })).text).toBe(
      "2021-07-01,2021-07-01T08:00:00.000-04:00\n",
    );
    expect(
      (await write(cols, { dateFormat: "dd/MM/yyyy", timestampFormat: "yyyy-MM-dd HH:mm:ss" })).text,
    ).toBe("01/07/2021,2021-07-01 12:00:00\n");
    expect((await write(cols, { timestampFormat: "dd MMM, yyyy" })).text).toBe('2021-07-01,"01 Jul, 2021"\n');
  });

  it("compresses with gzip", async () => {
    const { res, path: p } = await write([["s", T.string, ["a", "b"]]], { compression: "gzip" });
    expect(zlib.gunzipSync(fs.readFileSync(p)).toString()).toBe("a\nb\n");
    expect(res.bytes).toBe(fs.statSync(p).size);
  });

  it("takes async batches, and rejects types CSV cannot hold or unknown codecs", async () => {
    const { schema, batch } = batchOf([["x", T.int32, [1, 2]]]);
    async function* gen() {
      yield batch;
      yield batch;
    }
    const p = path.join(t.dir, "async.csv");
    expect((await writeCsv(gen(), p, schema)).rows).toBe(4);
    expect(fs.readFileSync(p, "utf8")).toBe("1\n2\n1\n2\n");
    await expect(writeCsv([], p, schemaOf([field("l", T.list(T.int32))]))).rejects.toThrow(
      /does not support array<int>/,
    );
    await expect(writeCsv([], p, schema, { compression: "zip" })).rejects.toThrow(/compression/);
  });

  it("streams batches through CsvFileWriter", async () => {
    const { schema, batch } = batchOf([["x", T.string, ["a", null]]]);
    const p = path.join(t.dir, "stream.csv.gz");
    const w = await CsvFileWriter.open(p, schema, { header: "true", compression: "gzip", nullValue: "-" });
    await w.write(batch);
    await w.write(batch);
    const res = await w.close();
    expect(res.rows).toBe(4);
    expect(zlib.gunzipSync(fs.readFileSync(p)).toString()).toBe("x\na\n-\na\n-\n");
  });

  it("writes what the reader reads back", async () => {
    const strings = [
      "",
      "a,b",
      '"',
      "\\",
      "x\\",
      '\\"',
      "multi\r\nline",
      "  sp  ",
      "日本",
      "#hash",
      "NA",
      "plain",
    ];
    const ints: JsValue[] = strings.map((_, i) => (i % 4 === 0 ? null : i * 1000003 - 7));
    const dbls: JsValue[] = strings.map((_, i) => (i % 5 === 1 ? null : (i - 3) * 1.1e-7 + i * 12345.678));
    const tss: JsValue[] = strings.map((_, i) =>
      i % 3 === 0 ? null : BigInt(i) * 86400123456789n - 10n ** 14n,
    );
    const cols: [string, DataType, JsValue[]][] = [
      ["s", T.string, strings.map((s, i) => (i === 11 ? null : s))],
      ["i", T.int64, ints],
      ["d", T.float64, dbls],
      ["t", T.timestamp, tss],
      ["dt", T.date, strings.map((_, i) => (i % 2 ? null : i * 1000 - 5000))],
      ["dec", T.decimal(20, 4), strings.map((_, i) => (i % 3 === 1 ? null : `${i * 123456789}.${i}`))],
    ];
    const w = await write(cols, {
      header: "true",
      timestampFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
      ignoreLeadingWhiteSpace: "false",
      ignoreTrailingWhiteSpace: "false",
      emptyValue: '"EMPTY"',
    });
    const src = sourceOf(csvReader, [{ path: w.path, size: fs.statSync(w.path).size, partitionValues: [] }], {
      header: "true",
      schema: schemaToDDL(w.schema),
      multiLine: "true",
    });
    const back = await readRows(csvReader, src);
    const { batch } = batchOf(cols);
    const expected = rowsOf([batch]).map((r) => [r[0] === "" ? "EMPTY" : r[0], ...r.slice(1)]);
    expect(back).toEqual(expected);
  });
});
