// Reading CSV files: values of every type, reader options, odd real-world files, gzip.
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../engine/errors.js";
import { csvReader } from "../../engine/io/csv/index.js";
import { parseDDL } from "../../engine/types/ddl.js";
import { readBatches, readRows, rowsOf, sourceOf, tempDir } from "./helpers.js";

const t = tempDir();
afterAll(() => t.rm());
let n = 0;

/** Reads `text` with options (and a DDL schema when given). */
async function read(
  text: string | Uint8Array,
  options: Record<string, string> = {},
  ddl?: string,
  name?: string,
) {
  const f = t.file(name ?? `r${n++}.csv`, text);
  return readRows(
    csvReader,
    sourceOf(csvReader, [f], options, ddl === undefined ? undefined : parseDDL(ddl)),
  );
}

describe("CSV values", () => {
  it("reads every type from an inferred schema", async () => {
    const text =
      "i,l,d,s,b,dt,ts,dec\n" +
      "1,3000000000,1.5,hello,true,2021-03-14,2021-03-14 01:02:03,12345678901234567890\n" +
      '-2,-9223372036854775808,-2e-3,"a,b",FALSE,1969-12-31,2021-03-14T01:02:03.123456Z,-1\n' +
      ",,,,,,,\n";
    expect(await read(text, { header: "true", inferSchema: "true" })).toEqual([
      [1, 3000000000, 1.5, "hello", true, "2021-03-14", "2021-03-14 01:02:03", "12345678901234567890"],
      [-2, -9223372036854775808n, -0.002, "a,b", false, "1969-12-31", "2021-03-14 01:02:03.123456", "-1"],
      [null, null, null, null, null, null, null, null],
    ]);
  });

  it("reads a given schema, including decimals, ntz and a narrow int", async () => {
    const rows = await read(
      "1,12.345,2021-03-14 01:02:03+02:00,2021-03-14 01:02:03,7\n",
      {},
      "a BIGINT, b DECIMAL(10,2), c TIMESTAMP, d TIMESTAMP_NTZ, e TINYINT",
    );
    expect(rows).toEqual([[1, "12.35", "2021-03-13 23:02:03", "2021-03-14 01:02:03", 7]]);
  });

  it("reads large, negative and scientific numbers exactly", async () => {
    const rows = await read(
      "9007199254740993,-0.1,1.7976931348623157E308\n-9007199254740993,4.9e-324,123456789012345678\n",
      {},
      "a BIGINT, b DOUBLE, c DOUBLE",
    );
    expect(rows).toEqual([
      [9007199254740993n, -0.1, 1.7976931348623157e308],
      [-9007199254740993n, 4.9e-324, Number("123456789012345678")],
    ]);
  });

  it("reads timestamps in the timeZone option and with zones", async () => {
    const rows = await read("2021-07-01 12:00:00\n2021-07-01T12:00:00Z\n2021-07-01 12:00:00 Asia/Tokyo\n", {
      inferSchema: "true",
      timeZone: "America/New_York",
    });
    expect(rows).toEqual([["2021-07-01 16:00:00"], ["2021-07-01 12:00:00"], ["2021-07-01 03:00:00"]]);
  });

  it("reads custom dateFormat and timestampFormat", async () => {
    const rows = await read(
      "14/03/2021;14.03.2021 01:02\n",
      { sep: ";", dateFormat: "dd/MM/yyyy", timestampFormat: "dd.MM.yyyy HH:mm" },
      "d DATE, t TIMESTAMP",
    );
    expect(rows).toEqual([["2021-03-14", "2021-03-14 01:02:00"]]);
  });
});

describe("CSV options", () => {
  it("header, sep/delimiter, quote, escape, comment", async () => {
    expect(await read("a|b\n1|x\n", { header: "true", delimiter: "|" })).toEqual([["1", "x"]]);
    expect(await read("a\tb\n1\tx\n", { header: "true", sep: "\\t" })).toEqual([["1", "x"]]);
    expect(await read("1::2\n", { sep: "::" })).toEqual([["1", "2"]]);
    expect(await read("'a,b','it\\'s'\n", { quote: "'" })).toEqual([["a,b", "it's"]]);
    expect(await read('"a""b","c~"d"\n', { escape: "~" })).toEqual([['a"b', 'c"d']]);
    expect(await read("#c\n1\n#2\n3\n", { comment: "#" })).toEqual([["1"], ["3"]]);
    expect(await read("#c\n1\n", {})).toEqual([["#c"], ["1"]]);
  });

  it("nullValue and emptyValue", async () => {
    expect(await read('a,,"",NA\n', {})).toEqual([["a", null, null, "NA"]]);
    // A quoted empty field is the emptyValue (""), which is no longer the nullValue.
    expect(await read('a,,"",NA\n', { nullValue: "NA" })).toEqual([["a", null, "", null]]);
    expect(await read('a,,"",NA\n', { emptyValue: "EMPTY" })).toEqual([["a", null, "EMPTY", "NA"]]);
    expect(await read("1,,NA\n", { nullValue: "NA" }, "a INT, b INT, c INT")).toEqual([[1, null, null]]);
    expect(await read("-,1\n", { nullValue: "-" }, "a DOUBLE, b DOUBLE")).toEqual([[null, 1]]);
  });

  it("nanValue, positiveInf, negativeInf, timestampNTZFormat and lineSep", async () => {
    const rows = await read(
      "NA,+inf,-inf,14/03/2021 10:00\nInf,NaN,Infinity,14/03/2021 11:30\n",
      { nanValue: "NA", positiveInf: "+inf", negativeInf: "-inf", timestampNTZFormat: "dd/MM/yyyy HH:mm" },
      "a DOUBLE, b DOUBLE, c DOUBLE, d TIMESTAMP_NTZ",
    );
    expect(rows).toEqual([
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "2021-03-14 10:00:00"],
      [null, Number.NaN, Number.POSITIVE_INFINITY, "2021-03-14 11:30:00"],
    ]);
    expect(await read("a\r\nb\r\n", { lineSep: "\r\n" })).toEqual([["a"], ["b"]]);
    await expect(read("a;b", { lineSep: ";" })).rejects.toThrow(/option lineSep/);
  });

  it("ignoreLeadingWhiteSpace / ignoreTrailingWhiteSpace", async () => {
    expect(await read(" a , b \n")).toEqual([[" a ", " b "]]);
    expect(await read(" a , b \n", { ignoreLeadingWhiteSpace: "true" })).toEqual([["a ", "b "]]);
    expect(await read(" a , b \n", { ignoreTrailingWhiteSpace: "true" })).toEqual([[" a", " b"]]);
    expect(
      await read(
        ' 1 , "x" \n',
        { ignoreLeadingWhiteSpace: "true", ignoreTrailingWhiteSpace: "true" },
        "a INT, b STRING",
      ),
    ).toEqual([[1, "x"]]);
  });

  it("multiLine and quoted newlines, CRLF, CR, BOM", async () => {
    const text = 'id,note\r\n1,"line one\r\nline two"\r\n2,"x"\r\n';
    expect(await read(text, { header: "true", multiLine: "true" })).toEqual([
      ["1", "line one\r\nline two"],
      ["2", "x"],
    ]);
    expect(await read(text, { header: "true" })).toEqual([
      ["1", "line one\r\nline two"],
      ["2", "x"],
    ]);
    expect(await read("a\rb\rc", {})).toEqual([["a"], ["b"], ["c"]]);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("h\nv\n")]);
    expect(await read(bom, { header: "true" })).toEqual([["v"]]);
  });

  it("empty files, header-only files and blank lines", async () => {
    expect(await read("", {}, "a INT")).toEqual([]);
    expect(await read("a,b\n", { header: "true" }, "a INT, b INT")).toEqual([]);
    expect(await read("a,b", { header: "true" }, "a INT, b INT")).toEqual([]);
    expect(await read("\n\n1\n\n2\n\n", {}, "a INT")).toEqual([[1], [2]]);
  });

  it("UTF-8 text and odd real-world headers", async () => {
    const text = '"Order ID","Total ($)","Ship, Date","Naïve Café"\n007,"1,234.50","2021-03-14","日本語 ✓"\n';
    const f = t.file("odd.csv", text);
    const src = sourceOf(csvReader, [f], { header: "true", inferSchema: "true" });
    expect(src.dataSchema.fields.map((x) => [x.name, x.type.kind])).toEqual([
      ["Order ID", "int32"],
      ["Total ($)", "string"],
      ["Ship, Date", "date"],
      ["Naïve Café", "string"],
    ]);
    expect(await readRows(csvReader, src)).toEqual([[7, "1,234.50", "2021-03-14", "日本語 ✓"]]);
  });
});

describe("CSV reading mechanics", () => {
  it("produces exactly the requested columns, in the requested order", async () => {
    const f = t.file("cols.csv", "a,b,c\n1,x,2.5\n2,y,3.5\n");
    const src = sourceOf(csvReader, [f], { header: "true", inferSchema: "true" });
    const batches = await readBatches(csvReader, src, { columns: [2, 0] });
    expect(batches[0]!.schema.fields.map((x) => x.name)).toEqual(["c", "a"]);
    expect(await readRows(csvReader, src, { columns: [2, 0] })).toEqual([
      [2.5, 1],
      [3.5, 2],
    ]);
    const none = await readBatches(csvReader, src, { columns: [] });
    expect(none.reduce((a, b) => a + b.numRows, 0)).toBe(2);
  });

  it("cuts batches of batchSize rows", async () => {
    const f = t.file("many.csv", Array.from({ length: 1000 }, (_, i) => `${i},v${i}`).join("\n"));
    const src = sourceOf(csvReader, [f], {}, parseDDL("a INT, b STRING"));
    const batches = await readBatches(csvReader, src, { batchSize: 300 });
    expect(batches.map((b) => b.numRows)).toEqual([300, 300, 300, 100]);
    const rows = await readRows(csvReader, src, { batchSize: 300 });
    expect(rows[999]).toEqual([999, "v999"]);
    expect(batches[0]!.columns[0]!.valid).toBeNull();
  });

  it("grows buffers of small splits up to batchSize", async () => {
    const text = Array.from({ length: 10000 }, (_, i) => `${i % 10},s${i % 7}`).join("\n");
    const f = t.file("grow.csv", text);
    const src = sourceOf(csvReader, [f], {}, parseDDL("a INT, b STRING"));
    const whole = await readRows(csvReader, src);
    for (const batchSize of [65536, 3000]) {
      const batches = await readBatches(csvReader, src, { targetBytes: f.size - 1, batchSize });
      expect(batches.every((b) => b.numRows <= batchSize)).toBe(true);
      expect(rowsOf(batches)).toEqual(whole);
    }
  });

  it("reads gzip files as one split, and long records across buffer refills", async () => {
    const long = "x".repeat(5 * 1024 * 1024);
    const text = `a,b\n1,${long}\n2,"q,${long}"\n3,end\n`;
    const gz = t.file("big.csv.gz", zlib.gzipSync(text));
    const src = sourceOf(csvReader, [gz], { header: "true" });
    expect((await csvReader.planSplits(src, [], 1024)).length).toBe(1);
    const rows = await readRows(csvReader, src);
    expect(rows.map((r) => [r[0], (r[1] as string).length])).toEqual([
      ["1", long.length],
      ["2", long.length + 2],
      ["3", 3],
    ]);
    const plain = t.file("big.csv", text);
    expect(await readRows(csvReader, sourceOf(csvReader, [plain], { header: "true" }))).toEqual(rows);
  });

  it("rejects a schema CSV cannot hold at read time too", async () => {
    const f = t.file("arr.csv", "1\n");
    const src = sourceOf(csvReader, [f], {}, parseDDL("a ARRAY<INT>"));
    await expect(readRows(csvReader, src)).rejects.toThrow(/does not support array<int>/);
  });

  it("reads several files in order, skipping each header", async () => {
    const a = t.file("m1.csv", "k,v\n1,a\n");
    const b = t.file("m2.csv", "k,v\n2,b\n");
    expect(
      await readRows(csvReader, sourceOf(csvReader, [a, b], { header: "true", inferSchema: "true" })),
    ).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
  });

  it("fails with the file's name on corrupt gzip and missing files", async () => {
    const whole = zlib.gzipSync("a,b\n".repeat(1000));
    const cut = t.file("cut.csv.gz", whole.subarray(0, whole.length - 20));
    const garbage = t.file("garbage.csv.gz", new TextEncoder().encode("this is not gzip"));
    const ddl = parseDDL("a STRING, b STRING");
    for (const f of [cut, garbage]) {
      const err = await readRows(csvReader, sourceOf(csvReader, [f], {}, ddl)).catch((e) => e);
      expect(err).toBeInstanceOf(DataError);
      expect(err.message).toContain(f.path);
    }
    expect(() => csvReader.inferSchema([garbage], {})).toThrow(DataError);
    const missing = { path: `${t.dir}/nope.csv`, size: 10, partitionValues: [] };
    await expect(readRows(csvReader, sourceOf(csvReader, [missing], {}, ddl))).rejects.toThrow(
      /cannot open .*nope\.csv/,
    );
  });
});
