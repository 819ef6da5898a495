// Differential tests in cluster mode: the same queries on a 3-worker cluster and on DuckDB,
// over generated taxi-like data (gzipped CSV and a DuckDB-written Parquet file split into
// several partitions), results compared — narrow queries and every kind of shuffle.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoLake } from "../../client/demo-data.js";
import { col, type DataFrame, F, Session, Window } from "../../index.js";
import { diffRows, normaliseRow, Oracle, type Row, sortRows } from "../differential/duckdb.js";
import { startCluster, type TestCluster } from "./harness.js";

const saved = { secret: process.env.KINDLING_SECRET, master: process.env.KINDLING_MASTER };
let dir: string;
let cluster: TestCluster;
let spark: Session;
let duck: Oracle;
let parquetPath: string;
let zonesCsv: string;

beforeAll(async () => {
  process.env.KINDLING_SECRET = randomBytes(16).toString("hex");
  delete process.env.KINDLING_MASTER;
  dir = mkdtempSync(join(tmpdir(), "kindling-cluster-diff-"));
  const starting = startCluster(3, 1);
  const lake = generateDemoLake(dir, "2021-03-01", 2, 15_000);
  zonesCsv = lake.zonesPath;
  parquetPath = join(dir, "trips.parquet");
  duck = await Oracle.open();
  await duck.run(
    `CREATE VIEW trips_csv AS SELECT * FROM read_csv('${join(lake.tripsDir, "*.csv.gz")}', header = true)`,
  );
  await duck.run(
    `COPY (SELECT * FROM trips_csv ORDER BY pickup_datetime) TO '${parquetPath}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`,
  );
  await duck.run(`CREATE VIEW trips AS SELECT * FROM read_parquet('${parquetPath}')`);
  await duck.run(`CREATE VIEW zones AS SELECT * FROM read_csv('${zonesCsv}', header = true)`);
  cluster = await starting;
  spark = await Session.builder()
    .master(`kindling://${cluster.master}`)
    .config("kindling.sql.files.maxPartitionBytes", 150_000)
    .config("kindling.sql.shuffle.partitions", 5)
    .getOrCreate();
}, 120_000);

afterAll(async () => {
  await spark?.stop();
  duck?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (saved.secret === undefined) delete process.env.KINDLING_SECRET;
  else process.env.KINDLING_SECRET = saved.secret;
  if (saved.master !== undefined) process.env.KINDLING_MASTER = saved.master;
});

async function same(df: DataFrame, sql: string): Promise<void> {
  const actual = (await df.collect()).map(normaliseRow) as Row[];
  const expected = await duck.rows(sql);
  const diff = diffRows(sortRows(actual), sortRows(expected));
  expect(diff, diff ?? "").toBeNull();
}

const trips = () => spark.read.parquet(parquetPath);

describe("differential in cluster mode (3 workers) vs DuckDB", () => {
  it("filter and projection", async () => {
    await same(
      trips()
        .where(col("passenger_count").gt(1).and(col("pu_location_id").lt(40)))
        .select("pu_location_id", "fare_amount", col("tip_amount").plus(col("fare_amount")).alias("x")),
      `SELECT pu_location_id, fare_amount, tip_amount + fare_amount AS x FROM trips WHERE passenger_count > 1 AND pu_location_id < 40`,
    );
  }, 60_000);

  it("group-by with aggregates", async () => {
    await same(
      trips()
        .groupBy("service_type", "payment_type")
        .agg(
          F.count("*").alias("n"),
          F.sum("total_amount").alias("s"),
          F.countDistinct("pu_location_id").alias("d"),
        ),
      `SELECT service_type, payment_type, count(*) AS n, sum(total_amount) AS s, count(DISTINCT pu_location_id) AS d
       FROM trips GROUP BY ALL`,
    );
  }, 60_000);

  it("shuffled join with the zones table, then group by borough", async () => {
    spark.conf.set("kindling.sql.autoBroadcastJoinThreshold", -1);
    const t = trips();
    const zones = spark.read.option("header", true).option("inferSchema", true).csv(zonesCsv);
    await same(
      t
        .join(zones, t.col("pu_location_id").eq(zones.col("location_id")))
        .groupBy("borough")
        .agg(F.count("*").alias("n"), F.avg("total_amount").alias("a")),
      `SELECT borough, count(*) AS n, avg(total_amount) AS a FROM trips JOIN zones ON pu_location_id = location_id GROUP BY borough`,
    );
    spark.conf.unset("kindling.sql.autoBroadcastJoinThreshold");
  }, 60_000);

  it("global sort, top-k and a window rank", async () => {
    const sorted = (await trips().select("trip_distance").orderBy("trip_distance").collect()).map(
      (r) => r.trip_distance as number,
    );
    const ref = (await duck.rows("SELECT trip_distance FROM trips ORDER BY trip_distance")).map(
      (r) => r.trip_distance,
    );
    expect(sorted).toEqual(ref);
    await same(
      trips()
        .orderBy(col("tip_amount").desc(), col("pickup_datetime"))
        .limit(5)
        .select("tip_amount", "pickup_datetime"),
      "SELECT tip_amount, pickup_datetime FROM trips ORDER BY tip_amount DESC, pickup_datetime LIMIT 5",
    );
    const daily = trips()
      .groupBy(col("pu_location_id"), F.toDate(col("pickup_datetime")).alias("day"))
      .agg(F.sum("total_amount").alias("total"));
    await same(
      daily
        .withColumn("r", F.rank().over(Window.partitionBy("pu_location_id").orderBy(col("total").desc())))
        .where(col("r").leq(1))
        .select("pu_location_id", "day", "r"),
      `SELECT pu_location_id, day, r FROM (SELECT pu_location_id, day, rank() OVER (PARTITION BY pu_location_id ORDER BY total DESC) AS r
       FROM (SELECT pu_location_id, CAST(pickup_datetime AS DATE) AS day, sum(total_amount) AS total FROM trips GROUP BY ALL)) WHERE r <= 1`,
    );
  }, 90_000);
});
