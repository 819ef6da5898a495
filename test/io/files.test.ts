import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expandBraces, hasGlob, segmentRegExp } from "../../engine/io/files/glob.js";
import { listSourceFiles } from "../../engine/io/files.js";
import { T } from "../../engine/types/data-type.js";
import { tempDir, writeTree } from "./helpers.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const rel = (files: readonly { path: string }[]) => files.map((f) => f.path.slice(dir.length + 1));

describe("glob syntax", () => {
  it("detects and expands", () => {
    expect(hasGlob("/a/b.csv")).toBe(false);
    expect(hasGlob("/a/*.csv")).toBe(true);
    expect(hasGlob("/a/\\*.csv")).toBe(false);
    expect(expandBraces("a{b,c{d,e}}f")).toEqual(["abf", "acdf", "acef"]);
    expect(expandBraces("x\\{a,b}")).toEqual(["x\\{a,b}"]);
  });
  it("compiles segments", () => {
    expect(segmentRegExp("*.csv").test("a.csv")).toBe(true);
    expect(segmentRegExp("?.csv").test("ab.csv")).toBe(false);
    expect(segmentRegExp("[abc]1").test("b1")).toBe(true);
    expect(segmentRegExp("[!abc]1").test("b1")).toBe(false);
    expect(segmentRegExp("[^abc]1").test("d1")).toBe(true);
    expect(segmentRegExp("[a-c]x").test("cx")).toBe(true);
    expect(segmentRegExp("a\\*").test("a*")).toBe(true);
    expect(segmentRegExp("a\\*").test("ab")).toBe(false);
    expect(segmentRegExp("a.b").test("axb")).toBe(false);
  });
});

describe("listSourceFiles: paths, directories and globs", () => {
  beforeEach(() =>
    writeTree(dir, {
      "d/a.csv": "1",
      "d/b.csv": "22",
      "d/sub/c.csv": "333",
      "d/sub/deeper/d.csv.gz": "4444",
      "d/_SUCCESS": "",
      "d/_manifest.json": "{}",
      "d/.hidden.csv": "x",
      "d/.part-0.crc": "x",
      "d/part-1.crc": "x",
      "d/_temporary/0/e.csv": "x",
      "d/_hidden_dir/f.csv": "x",
      "d/.git/g.csv": "x",
      "d/copy.csv._COPYING_": "x",
      "d/empty.csv": "",
      "e/x.parquet": "pq",
      "e/y.json": "js",
    }),
  );

  it("lists a directory recursively, skipping hidden, side and empty files", () => {
    const { files, partitionSchema } = listSourceFiles([join(dir, "d")], "csv");
    expect(rel(files)).toEqual(["d/a.csv", "d/b.csv", "d/sub/c.csv", "d/sub/deeper/d.csv.gz"]);
    expect(files.map((f) => f.size)).toEqual([1, 2, 3, 4]);
    expect(partitionSchema.fields).toEqual([]);
    expect(files[0]!.partitionValues).toEqual([]);
  });

  it("reads an explicit file, even an empty one", () => {
    expect(rel(listSourceFiles([join(dir, "d/a.csv")], "csv").files)).toEqual(["d/a.csv"]);
    expect(rel(listSourceFiles([join(dir, "d/empty.csv")], "csv").files)).toEqual(["d/empty.csv"]);
  });

  it("reads every non-hidden file whatever the format, as Spark does", () => {
    expect(rel(listSourceFiles([join(dir, "e")], "parquet").files)).toEqual(["e/x.parquet", "e/y.json"]);
  });

  it("expands globs", () => {
    const g = (p: string) => rel(listSourceFiles([join(dir, p)], "csv").files);
    expect(g("d/*.csv")).toEqual(["d/a.csv", "d/b.csv"]);
    expect(g("d/?.csv")).toEqual(["d/a.csv", "d/b.csv"]);
    expect(g("d/[a].csv")).toEqual(["d/a.csv"]);
    expect(g("d/[!a].csv")).toEqual(["d/b.csv"]);
    expect(g("d/{a,sub/c}.csv")).toEqual(["d/a.csv", "d/sub/c.csv"]);
    expect(g("d/**/*.csv")).toEqual(["d/a.csv", "d/b.csv", "d/sub/c.csv"]);
    expect(g("d/**/*.gz")).toEqual(["d/sub/deeper/d.csv.gz"]);
    expect(g("*/*.parquet")).toEqual(["e/x.parquet"]);
    // A glob that matches a directory reads it recursively.
    expect(g("d/s*")).toEqual(["d/sub/c.csv", "d/sub/deeper/d.csv.gz"]);
    // Wildcards skip hidden names (d/_hidden_dir/f.csv) unless the pattern spells the prefix.
    expect(() => g("d/*/f.csv")).toThrow(/Path does not exist/);
  });

  it("reaches hidden names only when the pattern spells them", () => {
    expect(rel(listSourceFiles([join(dir, "d/_hidden*/*.csv")], "csv").files)).toEqual([
      "d/_hidden_dir/f.csv",
    ]);
  });

  it("dedupes files reached through several paths and sorts them", () => {
    const { files } = listSourceFiles([join(dir, "d/b.csv"), join(dir, "d"), join(dir, "d/*.csv")], "csv");
    expect(rel(files)).toEqual(["d/a.csv", "d/b.csv", "d/sub/c.csv", "d/sub/deeper/d.csv.gz"]);
  });

  it("fails on a missing path or a glob without matches", () => {
    expect(() => listSourceFiles([join(dir, "nope")], "csv")).toThrow(
      `Path does not exist: ${join(dir, "nope")}`,
    );
    expect(() => listSourceFiles([join(dir, "d/*.txt")], "csv")).toThrow(/Path does not exist: .*\*\.txt/);
    try {
      listSourceFiles([join(dir, "nope")], "csv");
    } catch (e) {
      expect((e as Error).name).toBe("DataError");
    }
  });

  it("accepts relative paths", () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(rel(listSourceFiles(["d/*.csv"], "csv").files)).toEqual(["d/a.csv", "d/b.csv"]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("listSourceFiles: Hive partitions", () => {
  it("infers typed partition columns and the null partition", () => {
    writeTree(dir, {
      "t/year=2021/month=1/x=a%3Ab/p.csv": "1",
      "t/year=2021/month=12/x=__HIVE_DEFAULT_PARTITION__/p.csv": "1",
      "t/year=2022/month=3/x=c d/p.csv": "1",
      "t/_SUCCESS": "",
    });
    const { files, partitionSchema } = listSourceFiles([join(dir, "t")], "csv");
    expect(partitionSchema.fields.map((f) => [f.name, f.type.kind, f.nullable])).toEqual([
      ["year", "int32", true],
      ["month", "int32", true],
      ["x", "string", true],
    ]);
    expect(files.map((f) => f.partitionValues)).toEqual([
      [2021, 1, "a:b"],
      [2021, 12, null],
      [2022, 3, "c d"],
    ]);
  });

  it("infers each type as Spark does", () => {
    const cases: [string[], string, unknown[]][] = [
      [["1", "2"], "int32", [1, 2]],
      [["1", "3000000000"], "int64", [1n, 3000000000n]],
      [["1", "99999999999999999999"], "decimal", [1n, 99999999999999999999n]],
      [["1", "2.5"], "float64", [1, 2.5]],
      [["3000000000", "2.5"], "string", ["3000000000", "2.5"]],
      [["007", "8"], "int32", [7, 8]],
      [["2021-03-14", "2021-03-15"], "date", [18700, 18701]],
      [["2021-03-14", "2021-03-14 01:02:03"], "timestamp", [1615680000000000n, 1615683723000000n]],
      [
        ["2021-03-14T00:00:00Z", "2021-03-14T01:00:00.5+01:00"],
        "timestamp",
        [1615680000000000n, 1615680000500000n],
      ],
      [["1", "2021-03-14"], "string", ["1", "2021-03-14"]],
      [["2021-02-30", "x"], "string", ["2021-02-30", "x"]],
      [["true", "false"], "string", ["true", "false"]],
      [["__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__"], "string", [null, null]],
      [["__HIVE_DEFAULT_PARTITION__", "5"], "int32", [null, 5]],
    ];
    for (const [vals, kind, expected] of cases) {
      const { dir: d, cleanup: c } = tempDir();
      try {
        writeTree(
          d,
          Object.fromEntries(
            vals.map((v, i) => [`k=${encodeURIComponent(v).replace(/%20/g, " ")}/f${i}.csv`, "1"]),
          ),
        );
        const { files, partitionSchema } = listSourceFiles([d], "csv");
        expect([vals, partitionSchema.fields[0]!.type.kind]).toEqual([vals, kind]);
        const byName = new Map(files.map((f) => [f.path.slice(-6), f.partitionValues[0]]));
        expect(vals.map((_, i) => byName.get(`f${i}.csv`))).toEqual(expected);
      } finally {
        c();
      }
    }
  });

  it("reads percent-encoded ISO instants as timestamps and zone-less ones in the session zone", () => {
    writeTree(dir, {
      "w/window_start=2021-03-14T00%3A00%3A00Z/p.csv": "1",
      "v/ts=2021-03-14 01%3A02%3A03/p.csv": "1",
    });
    const w = listSourceFiles([join(dir, "w")], "csv");
    expect(w.partitionSchema.fields[0]!.type).toEqual(T.timestamp);
    expect(w.files[0]!.partitionValues).toEqual([1615680000000000n]);
    const v = listSourceFiles([join(dir, "v")], "csv", { timeZone: "America/Los_Angeles" });
    expect(v.files[0]!.partitionValues).toEqual([1615683723000000n + 8n * 3600n * 1000000n]);
  });

  it("reads all partition columns as strings without type inference", () => {
    writeTree(dir, { "t/a=1/p.csv": "1" });
    const { files, partitionSchema } = listSourceFiles([join(dir, "t")], "csv", {
      inferPartitionTypes: false,
    });
    expect(partitionSchema.fields[0]!.type).toEqual(T.string);
    expect(files[0]!.partitionValues).toEqual(["1"]);
  });

  it("takes partition columns below the directory given, a glob's fixed part, or basePath", () => {
    writeTree(dir, { "t/a=1/b=x/p.csv": "1", "t/a=2/b=y/p.csv": "1" });
    const names = (r: { partitionSchema: { fields: readonly { name: string }[] } }) =>
      r.partitionSchema.fields.map((f) => f.name);
    expect(names(listSourceFiles([join(dir, "t/a=1")], "csv"))).toEqual(["b"]);
    expect(names(listSourceFiles([join(dir, "t/a=*/b=*/*.csv")], "csv"))).toEqual(["a", "b"]);
    const based = listSourceFiles([join(dir, "t/a=1")], "csv", { basePath: join(dir, "t") });
    expect(names(based)).toEqual(["a", "b"]);
    expect(based.files[0]!.partitionValues).toEqual([1, "x"]);
    // A file given directly has no partition columns (its directory is the base), as in Spark.
    expect(names(listSourceFiles([join(dir, "t/a=1/b=x/p.csv")], "csv"))).toEqual([]);
    expect(() => listSourceFiles([join(dir, "t/a=1")], "csv", { basePath: join(dir, "other") })).toThrow(
      /basePath/,
    );
  });

  it("stops at the first plain directory above the partition directories", () => {
    writeTree(dir, { "t/x/a=1/p.csv": "1", "t/y/a=2/p.csv": "1" });
    const r = listSourceFiles([join(dir, "t")], "csv");
    expect(r.partitionSchema.fields.map((f) => f.name)).toEqual(["a"]);
    expect(r.files.map((f) => f.partitionValues)).toEqual([[1], [2]]);
  });

  it("names the directories when partition columns differ", () => {
    writeTree(dir, { "t/a=1/p.csv": "1", "t/b=2/p.csv": "1" });
    expect(() => listSourceFiles([join(dir, "t")], "csv")).toThrow(
      /Conflicting partition column names[\s\S]*a=1[\s\S]*b=2/,
    );
    writeTree(dir, { "u/a=1/p.csv": "1", "u/p.csv": "1" });
    expect(() => listSourceFiles([join(dir, "u")], "csv")).toThrow(/Conflicting partition column names/);
  });

  it("rejects empty partition values and duplicate columns", () => {
    writeTree(dir, { "t/a=/p.csv": "1" });
    expect(() => listSourceFiles([join(dir, "t")], "csv")).toThrow(/Empty partition column value in 'a='/);
    writeTree(dir, { "u/a=1/a=2/p.csv": "1" });
    expect(() => listSourceFiles([join(dir, "u")], "csv")).toThrow(/Duplicate partition column "a"/);
  });

  it("treats `_x=1` as a partition directory, not a hidden one", () => {
    writeTree(dir, { "t/_x=1/p.csv": "1" });
    const r = listSourceFiles([join(dir, "t")], "csv");
    expect(r.partitionSchema.fields.map((f) => f.name)).toEqual(["_x"]);
  });
});
