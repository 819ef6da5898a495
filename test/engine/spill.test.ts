// Memory budget: with kindling.executor.memoryBudget at 64 KiB, a group-by over ~100K distinct
// keys and a global sort of 300K rows spill to kindling.local.dir and still give exactly the
// rows of an unconstrained run; a shuffled join whose build side exceeds the budget fails with
// an error that names the join and suggests more shuffle partitions.
import { type FSWatcher, mkdtempSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, type DataFrame, functions as F, lit, Session } from "../../index.js";

const BUDGET = 64 * 1024;
const ROWS = 300_000;
const KEYS = 100_000;

/** ~100K distinct string keys (3 rows each), scattered over the input. */
const grouped = (spark: Session): DataFrame =>
  spark
    .range(ROWS)
    .withColumn("k", F.concat(lit("key-"), col("id").multiply(7919).mod(KEYS).cast("string")))
    .withColumn("x", col("id").mod(1000).divide(8))
    .groupBy("k")
    .agg(
      F.count("*").alias("n"),
      F.sum("id").alias("s"),
      F.min("id").alias("lo"),
      F.max("x").alias("hi"),
      F.avg("x").alias("a"),
    );

/** A global sort of 300K rows on a repeating key (ties broken by id), with nulls. */
const sorted = (spark: Session): DataFrame =>
  spark
    .range(ROWS)
    .withColumn("r", F.when(col("id").mod(97).eq(0), null).otherwise(col("id").multiply(7919).mod(10007)))
    .withColumn("s", F.concat(lit("v"), col("id").mod(613).cast("string")))
    .orderBy(col("r").desc(), col("s"), col("id"));

async function rowsOf(df: DataFrame): Promise<string[]> {
  return (await df.collect()).map((r) => Object.values(r).join("|"));
}

let groupedRef: string[];
let sortedRef: string[];
let spark: Session;
let localDir: string;
let watcher: FSWatcher;
const created: string[] = [];

beforeAll(async () => {
  await Session.getActiveSession()?.stop();
  const free = await Session.builder().master("local[2]").getOrCreate();
  try {
    groupedRef = (await rowsOf(grouped(free))).sort();
    sortedRef = await rowsOf(sorted(free));
  } finally {
    await free.stop();
  }
  localDir = mkdtempSync(join(tmpdir(), "kindling-spill-test-"));
  watcher = watch(localDir, (_event, name) => {
    if (name) created.push(String(name));
  });
  spark = await Session.builder()
    .master("local[2]")
    .config("kindling.executor.memoryBudget", BUDGET)
    .config("kindling.local.dir", localDir)
    .config("kindling.sql.autoBroadcastJoinThreshold", -1)
    .getOrCreate();
}, 120_000);

afterAll(async () => {
  watcher?.close();
  await spark?.stop();
  if (localDir) rmSync(localDir, { recursive: true, force: true });
});

describe("a 64 KiB memory budget", () => {
  it("the unconstrained reference runs are what they should be", () => {
    expect(groupedRef.length).toBe(KEYS);
    expect(groupedRef.every((r) => r.split("|")[1] === "3")).toBe(true);
    expect(sortedRef.length).toBe(ROWS);
    // descending puts nulls last
    expect(sortedRef.slice(-(Math.floor((ROWS - 1) / 97) + 1)).every((r) => r.split("|")[1] === "")).toBe(
      true,
    );
  });

  it("a group-by over 100K keys spills and gives the same rows", async () => {
    const before = created.length;
    const got = (await rowsOf(grouped(spark))).sort();
    expect(got.length).toBe(groupedRef.length);
    const i = got.findIndex((r, j) => r !== groupedRef[j]);
    expect(i < 0 ? null : `row ${i}: ${got[i]} != ${groupedRef[i]}`).toBeNull();
    expect(
      created.slice(before).some((n) => n.startsWith("kindling-agg-")),
      "aggregation spill files",
    ).toBe(true);
  });

  it("a global sort of 300K rows spills and gives the same order", async () => {
    const before = created.length;
    const got = await rowsOf(sorted(spark));
    expect(got.length).toBe(sortedRef.length);
    const i = got.findIndex((r, j) => r !== sortedRef[j]);
    expect(i < 0 ? null : `row ${i}: ${got[i]} != ${sortedRef[i]}`).toBeNull();
    expect(created.length, "sort spill files").toBeGreaterThan(before);
  });

  it("distinct over 100K keys gives the same count", async () => {
    const n = await spark
      .range(ROWS)
      .select(col("id").multiply(7919).mod(KEYS).alias("k"))
      .distinct()
      .count();
    expect(n).toBe(KEYS);
  });

  it("a shuffled join whose build side exceeds the budget fails, naming the join and suggesting more partitions", async () => {
    const left = spark.range(ROWS).withColumn("a", col("id").mod(10));
    const right = spark.range(ROWS).withColumn("b", col("id").mod(7));
    let message = "";
    try {
      await left.join(right, "id").count();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message, "the join should fail").not.toBe("");
    expect(message).toMatch(/inner join on \[id\]/);
    expect(message).toContain("kindling.sql.shuffle.partitions");
  });
});
