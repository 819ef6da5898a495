// Malformed CSV records under PERMISSIVE, DROPMALFORMED and FAILFAST.
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../engine/errors.js";
import { csvReader } from "../../engine/io/csv/index.js";
import { parseDDL } from "../../engine/types/ddl.js";
import { readRows, sourceOf, tempDir } from "./helpers.js";

const t = tempDir();
afterAll(() => t.rm());

// Line 1 header, 2 good, 3 too few fields, 4 unparsable int, 5 too many fields, 6 good
// (spanning lines 6-7 with a quoted newline), 8 good.
const TEXT = 'a,b,c\n1,x,1.5\n2,y\nthree,z,2.5\n4,w,3.5,extra\n5,"multi\nline",4.5\n6,v,5.5\n';
const file = t.file("bad.csv", TEXT);

async function read(
  mode: string | undefined,
  ddl: string,
  extra: Record<string, string> = {},
  columns?: number[],
) {
  const options: Record<string, string> = { header: "true", ...extra };
  if (mode !== undefined) options.mode = mode;
  return readRows(csvReader, sourceOf(csvReader, [file], options, parseDDL(ddl)), { columns });
}

describe("CSV parse modes", () => {
  it("PERMISSIVE (default) keeps rows, nulls the bad fields, fills the corrupt-record column", async () => {
    expect(await read(undefined, "a INT, b STRING, c DOUBLE, _corrupt_record STRING")).toEqual([
      [1, "x", 1.5, null],
      [2, "y", null, "2,y"],
      [null, "z", 2.5, "three,z,2.5"],
      [4, "w", 3.5, "4,w,3.5,extra"],
      [5, "multi\nline", 4.5, null],
      [6, "v", 5.5, null],
    ]);
  });

  it("PERMISSIVE without a corrupt-record column keeps the partial rows", async () => {
    expect(await read("permissive", "a INT, b STRING, c DOUBLE")).toEqual([
      [1, "x", 1.5],
      [2, "y", null],
      [null, "z", 2.5],
      [4, "w", 3.5],
      [5, "multi\nline", 4.5],
      [6, "v", 5.5],
    ]);
  });

  it("honours columnNameOfCorruptRecord and its position in the schema", async () => {
    expect(
      await read("PERMISSIVE", "a INT, bad STRING, b STRING, c DOUBLE", { columnNameOfCorruptRecord: "bad" }),
    ).toEqual([
      [1, null, "x", 1.5],
      [2, "2,y", "y", null],
      [null, "three,z,2.5", "z", 2.5],
      [4, "4,w,3.5,extra", "w", 3.5],
      [5, null, "multi\nline", 4.5],
      [6, null, "v", 5.5],
    ]);
  });

  it("checks every field when the corrupt-record column is selected", async () => {
    expect(await read(undefined, "a INT, b STRING, c DOUBLE, _corrupt_record STRING", {}, [1, 3])).toEqual([
      ["x", null],
      ["y", "2,y"],
      ["z", "three,z,2.5"],
      ["w", "4,w,3.5,extra"],
      ["multi\nline", null],
      ["v", null],
    ]);
  });

  it("DROPMALFORMED drops rows with wrong field counts or bad values", async () => {
    expect(await read("DROPMALFORMED", "a INT, b STRING, c DOUBLE")).toEqual([
      [1, "x", 1.5],
      [5, "multi\nline", 4.5],
      [6, "v", 5.5],
    ]);
    // Bad values in columns that are not read are not seen (as with Spark's column pruning).
    expect(await read("dropmalformed", "a INT, b STRING, c DOUBLE", {}, [1])).toEqual([
      ["x"],
      ["z"],
      ["multi\nline"],
      ["v"],
    ]);
  });

  it("FAILFAST names the file, the physical line and the reason", async () => {
    const err = await read("FAILFAST", "a INT, b STRING, c DOUBLE").catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(`Malformed CSV record in ${file.path} at line 3: expected 3 fields, found 2`);
    const f2 = t.file("bad2.csv", 'a,b\n1,"x\ny"\n\n# c\nzz,1\n');
    const err2 = await readRows(
      csvReader,
      sourceOf(
        csvReader,
        [f2],
        { header: "true", mode: "FAILFAST", comment: "#" },
        parseDDL("a INT, b STRING"),
      ),
    ).catch((e) => e);
    expect(err2.message).toBe(
      `Malformed CSV record in ${f2.path} at line 6: cannot parse "zz" as int for column "a"`,
    );
  });

  it("FAILFAST counts lines from the file start in later splits", async () => {
    const lines = ["a,b"];
    for (let i = 0; i < 500; i++) lines.push(`${i},v${i}`);
    lines[400] = "oops,1";
    const f = t.file("late.csv", lines.join("\r\n"));
    const src = sourceOf(csvReader, [f], { header: "true", mode: "FAILFAST" }, parseDDL("a INT, b STRING"));
    const err = await readRows(csvReader, src, { targetBytes: 500 }).catch((e) => e);
    expect(err.message).toBe(
      `Malformed CSV record in ${f.path} at line 401: cannot parse "oops" as int for column "a"`,
    );
  });
});
