// `kindling demo` (`npm run demo`): generates a small data lake and runs the example ETL job
// end to end on local threads: CSV → typed parse → filter → derived columns → show, explain,
// partitioned Parquet write (committed atomically) → read back.
import { join, resolve } from "node:path";
import { Session, col, functions as F } from "../index.js";
import { generateDemoLake } from "./demo-data.js";

export async function runDemo(dir = "demo-lake"): Promise<void> {
  const root = resolve(dir);
  const started = performance.now();
  const lake = generateDemoLake(root);
  console.log(`Generated ${lake.rows.toLocaleString("en-US")} trips over ${lake.days.length} days in ${lake.tripsDir}\n`);

  const spark = await Session.builder().appName("demo").master("local[2]").getOrCreate();
  try {
    const trips = spark.read.option("header", true).option("inferSchema", true).csv(join(lake.tripsDir, "*.csv.gz"));
    trips.printSchema();
    const out = trips
      .where(col("passenger_count").gt(0).and(col("trip_distance").between(0.1, 100)))
      .withColumn("pickup_date", F.toDate(col("pickup_datetime")))
      .withColumn("tip_pct", F.round(col("tip_amount").divide(col("fare_amount")).multiply(100), 2))
      .select("pickup_date", "pu_location_id", "fare_amount", "tip_pct");
    await out.show(5);
    out.explain();
    const target = join(root, "out", "clean");
    const written = await out.write.mode("overwrite").partitionBy("pickup_date").parquet(target);
    const back = await spark.read.parquet(target).count();
    console.log(`\nWrote ${written.rows.toLocaleString("en-US")} rows in ${written.files.length} files to ${target}`);
    console.log(`Read back ${back.toLocaleString("en-US")} rows; partitions:`);
    const clean = spark.read.parquet(target);
    for (const day of lake.days) {
      // Partition pruning: each count reads only that day's directory.
      const n = await clean.where(col("pickup_date").eq(F.toDate(F.lit(day)))).count();
      console.log(`  pickup_date=${day}: ${n.toLocaleString("en-US")} rows`);
    }
    await clean.show(3);
    console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await spark.stop();
  }
}
