// Differential tests: the same queries on Kindling and on DuckDB over generated taxi-like data
// (gzipped CSV as the demo writes it, and Parquet written by DuckDB), results compared.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoLake } from "../../client/demo-data.js";
import { col, type DataFrame, functions as F, lit, Session } from "../../index.js";
import { diffRows, normaliseRow, Oracle, type Row, sortRows } from "./duckdb.js";

let dir: string;
let spark: Session;
let duck: Oracle;
let csvGlob: string;
let parquetPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kindling-diff-"));
  const lake = generateDemoLake(dir, "2021-03-01", 3, 20_000);
  csvGlob = join(lake.tripsDir, "*.csv.gz");
  parquetPath = join(dir, "trips.parquet");
  duck = await Oracle.open();
  await duck.run(`CREATE VIEW trips_csv AS SELECT * FROM read_csv('${csvGlob}', header = true)`);
  await duck.run(
    `COPY (SELECT * FROM trips_csv ORDER BY pickup_datetime) TO '${parquetPath}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10000)`,
  );
  await duck.run(`CREATE VIEW trips AS SELECT * FROM read_parquet('${parquetPath}')`);
  spark = await Session.builder().master("local[2]").getOrCreate();
});

afterAll(async () => {
  await spark?.stop();
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kindlingRows(df: DataFrame): Promise<Row[]> {
  return (await df.collect()).map(normaliseRow);
}

async function same(df: DataFrame, sql: string, ordered = false): Promise<void> {
  const [actual, expected] = await Promise.all([kindlingRows(df), duck.rows(sql)]);
  const diff = ordered ? diffRows(actual, expected) : diffRows(sortRows(actual), sortRows(expected));
  expect(diff, diff ?? "").toBeNull();
}

const parquet = () => spark.read.parquet(parquetPath);
const csv = () => spark.read.option("header", true).option("inferSchema", true).csv(csvGlob);

describe("differential: narrow queries vs DuckDB", () => {
  it("filtered count over Parquet", async () => {
    const n = await parquet()
      .where(col("passenger_count").gt(0).and(col("trip_distance").between(0.1, 100)))
      .count();
    const [row] = await duck.rows(
      "SELECT count(*) AS n FROM trips WHERE passenger_count > 0 AND trip_distance BETWEEN 0.1 AND 100",
    );
    expect(n).toBe(row!.n);
  });

  it("count over gzipped CSV equals DuckDB's", async () => {
    const [row] = await duck.rows("SELECT count(*) AS n FROM trips_csv");
    expect(await csv().count()).toBe(row!.n);
  });

  it("projection and arithmetic", async () => {
    await same(
      parquet()
        .where(col("pu_location_id").lt(20))
        .select(
          col("pu_location_id"),
          col("fare_amount").multiply(2).alias("double_fare"),
          col("fare_amount").plus(col("tip_amount")).minus(1).alias("x"),
          col("passenger_count").plus(1).alias("p1"),
          col("pu_location_id").mod(7).alias("m"),
        ),
      `SELECT pu_location_id, fare_amount * 2 AS double_fare, fare_amount + tip_amount - 1 AS x,
              passenger_count + 1 AS p1, pu_location_id % 7 AS m FROM trips WHERE pu_location_id < 20`,
    );
  });

  it("rounding a ratio (division by zero is null)", async () => {
    await same(
      parquet()
        .where(col("do_location_id").lt(30))
        .select(
          col("tip_amount"),
          F.round(col("tip_amount").divide(col("fare_amount")).multiply(100), 2).alias("tip_pct"),
        ),
      `SELECT tip_amount, CASE WHEN fare_amount = 0 THEN NULL ELSE round(tip_amount / fare_amount * 100, 2) END AS tip_pct
       FROM trips WHERE do_location_id < 30`,
    );
  });

  it("string functions", async () => {
    await same(
      parquet()
        .where(col("pu_location_id").eq(5))
        .select(
          F.upper(col("service_type")).alias("u"),
          F.length(col("service_type")).alias("l"),
          F.substring(col("service_type"), 2, 3).alias("s"),
          F.concat(col("service_type"), lit("-"), col("store_and_fwd_flag")).alias("c"),
          F.lpad(col("service_type"), 8, "*").alias("p"),
        ),
      `SELECT upper(service_type) AS u, length(service_type) AS l, substring(service_type, 2, 3) AS s,
              concat(service_type, '-', store_and_fwd_flag) AS c, lpad(service_type, 8, '*') AS p
       FROM trips WHERE pu_location_id = 5`,
    );
  });

  it("date and time functions", async () => {
    await same(
      parquet()
        .where(col("pu_location_id").eq(9))
        .select(
          F.toDate(col("pickup_datetime")).alias("d"),
          F.year(col("pickup_datetime")).alias("y"),
          F.month(col("pickup_datetime")).alias("m"),
          F.dayofmonth(col("pickup_datetime")).alias("dd"),
          F.hour(col("pickup_datetime")).alias("h"),
          F.minute(col("pickup_datetime")).alias("mi"),
          F.dayofweek(col("pickup_datetime")).alias("dow"),
          F.dateTrunc("hour", col("pickup_datetime")).alias("t"),
          F.datediff(col("dropoff_datetime"), col("pickup_datetime")).alias("dd2"),
        ),
      `SELECT CAST(pickup_datetime AS DATE) AS d, year(pickup_datetime) AS y, month(pickup_datetime) AS m,
              day(pickup_datetime) AS dd, hour(pickup_datetime) AS h, minute(pickup_datetime) AS mi,
              dayofweek(pickup_datetime) + 1 AS dow, date_trunc('hour', pickup_datetime) AS t,
              date_diff('day', CAST(pickup_datetime AS DATE), CAST(dropoff_datetime AS DATE)) AS dd2
       FROM trips WHERE pu_location_id = 9`,
    );
  });

  it("predicates: isin, like, null checks, not", async () => {
    await same(
      parquet()
        .where(
          col("payment_type")
            .isin(1, 3)
            .and(col("service_type").like("%ell%"))
            .and(col("passenger_count").isNotNull())
            .and(col("store_and_fwd_flag").eq("Y").not()),
        )
        .select("pu_location_id", "do_location_id", "fare_amount"),
      `SELECT pu_location_id, do_location_id, fare_amount FROM trips
       WHERE payment_type IN (1, 3) AND service_type LIKE '%ell%' AND passenger_count IS NOT NULL
         AND NOT (store_and_fwd_flag = 'Y')`,
    );
  });

  it("CSV with inferred types gives the same rows as DuckDB's reader", async () => {
    await same(
      csv()
        .where(col("pu_location_id").eq(100))
        .select("pickup_datetime", "passenger_count", "trip_distance", "service_type"),
      `SELECT pickup_datetime, passenger_count, trip_distance, service_type FROM trips_csv WHERE pu_location_id = 100`,
    );
  });

  it("written Parquet reads back identically in DuckDB", async () => {
    const out = join(dir, "out-written");
    await parquet()
      .where(col("pu_location_id").lt(50))
      .withColumn("pickup_date", F.toDate(col("pickup_datetime")))
      .select("pickup_date", "pu_location_id", "fare_amount", "pickup_datetime")
      .write.mode("overwrite")
      .partitionBy("pickup_date")
      .parquet(out);
    const mine = await duck.rows(
      `SELECT pu_location_id, fare_amount, pickup_datetime, CAST(pickup_date AS DATE) AS pickup_date
       FROM read_parquet('${out}/*/*.parquet', hive_partitioning = true)`,
    );
    const ref = await duck.rows(
      `SELECT pu_location_id, fare_amount, pickup_datetime, CAST(pickup_datetime AS DATE) AS pickup_date
       FROM trips WHERE pu_location_id < 50`,
    );
    expect(diffRows(sortRows(mine), sortRows(ref))).toBeNull();
    expect(await spark.read.parquet(out).count()).toBe(ref.length);
  });
});
