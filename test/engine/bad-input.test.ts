// Bad input gets a clear error naming the culprit, and leaves no partial output behind.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, lit, Session } from "../../index.js";

let dir: string;
let spark: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kindling-bad-"));
  spark = await Session.builder().master("local[2]").getOrCreate();
});
afterAll(async () => {
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("malformed CSV", () => {
  const text = "id,amount\n1,10\n2,oops\n3,30\n4,40,extra\n";
  it("PERMISSIVE (default) nulls bad fields, and keeps the raw line when asked", async () => {
    const p = write("m1.csv", text);
    const rows = await spark.read.option("header", true).schema("id INT, amount INT").csv(p).collect();
    // Spark keeps the fields it could parse of a malformed row (its "partial result").
    expect(rows.map((r) => r.amount)).toEqual([10, null, 30, 40]);
    const withCorrupt = await spark.read
      .option("header", true)
      .schema("id INT, amount INT, _corrupt_record STRING")
      .csv(p)
      .collect();
    expect(withCorrupt.map((r) => r._corrupt_record)).toEqual([null, "2,oops", null, "4,40,extra"]);
  });

  it("DROPMALFORMED drops the bad rows", async () => {
    const p = write("m2.csv", text);
    const rows = await spark.read
      .option("header", true)
      .option("mode", "DROPMALFORMED")
      .schema("id INT, amount INT")
      .csv(p)
      .collect();
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it("FAILFAST names the file and the line", async () => {
    const p = write("m3.csv", text);
    const df = spark.read
      .option("header", true)
      .option("mode", "FAILFAST")
      .schema("id INT, amount INT")
      .csv(p);
    await expect(df.collect()).rejects.toThrow(/m3\.csv.*line 3/s);
  });

  it("an unknown mode is a clear error", async () => {
    const p = write("m4.csv", text);
    const run = async () => spark.read.option("mode", "STRICT").schema("id INT, amount INT").csv(p).collect();
    await expect(run()).rejects.toThrow(/mode/i);
  });
});

describe("Parquet", () => {
  it("a truncated file fails with its name", async () => {
    const good = join(dir, "good");
    await spark.range(1000).withColumn("x", col("id").multiply(2)).write.parquet(good);
    const file = readdirSync(good).find((f) => f.endsWith(".parquet"))!;
    const bad = join(dir, "truncated.parquet");
    writeFileSync(bad, readFileSync(join(good, file)));
    truncateSync(bad, 100);
    const run = async () => spark.read.parquet(bad).collect();
    await expect(run()).rejects.toThrow(/truncated\.parquet/);
  });
});

describe("analysis errors", () => {
  it("an unknown column names the available ones and the closest", () => {
    const df = spark.createDataFrame([{ fare_amount: 1.5, tip: 0 }]);
    expect(() => df.select("fare_amout")).toThrow(
      /fare_amout.*Available columns: \[fare_amount, tip\].*Did you mean "fare_amount"/,
    );
  });

  it("a type error in an expression names the function and argument", () => {
    const df = spark.createDataFrame([{ name: "a", flag: true }]);
    expect(() => df.select(col("flag").minus(lit("2021-01-01").cast("date")))).toThrow(
      /subtract|-|boolean|date/i,
    );
    expect(() => df.where(col("name"))).toThrow(/filter condition must be boolean, got string/);
  });

  it("a missing path", () => {
    expect(() => spark.read.parquet(join(dir, "nope"))).toThrow(/Path does not exist: .*nope/);
  });
});

describe("writes", () => {
  it("error mode refuses an existing path and leaves it untouched", async () => {
    const out = join(dir, "exists");
    await spark.range(10).write.parquet(out);
    const before = readdirSync(out).sort();
    await expect(spark.range(5).write.parquet(out)).rejects.toThrow(/already exists/);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(await spark.read.parquet(out).count()).toBe(10);
  });

  it("a failing job leaves the previous output and no temporary files", async () => {
    const out = join(dir, "keep");
    await spark.range(100).write.parquet(out);
    const badCsv = write("bad-for-write.csv", "a\n1\nx\n");
    const failing = spark.read.option("mode", "FAILFAST").schema("a INT").csv(badCsv);
    await expect(failing.write.mode("overwrite").parquet(out)).rejects.toThrow(/bad-for-write\.csv/);
    expect(await spark.read.parquet(out).count()).toBe(100);
    expect(existsSync(join(out, "_temporary")) ? readdirSync(join(out, "_temporary")) : []).toEqual([]);
  });

  it("an output path that is a file is refused", async () => {
    const f = write("plain-file", "x");
    await expect(spark.range(1).write.mode("overwrite").parquet(f)).rejects.toThrow(/file/);
    expect(readFileSync(f, "utf8")).toBe("x");
  });

  it("overwriting a path the query reads from is refused", async () => {
    const out = join(dir, "self");
    mkdirSync(out, { recursive: true });
    await spark.range(3).write.mode("overwrite").parquet(out);
    const df = spark.read.parquet(out);
    await expect(df.write.mode("overwrite").parquet(out)).rejects.toThrow(/also being read from/);
    expect(await spark.read.parquet(out).count()).toBe(3);
  });
});
