// The demo's two batch jobs, one window per day: ingest (gzipped CSV → cleaned Parquet) and
// report (daily revenue per zone, from the cleaned trips and the zones table).
import { join } from "node:path";
import { col, defineJob, functions as F } from "../index.js";

/** Ingest: the day's CSV, typed, filtered and enriched, as Parquet under the day's window. */
export function ingestJob(lakeDir: string) {
  return defineJob({
    name: "ingest-trips",
    every: "1d",
    output: { path: join(lakeDir, "clean", "trips") },
    run: ({ spark, window }) =>
      spark.read
        .option("header", true)
        .option("inferSchema", true)
        .csv(join(lakeDir, "trips", "*.csv.gz"))
        .where(col("pickup_datetime").geq(window.start).and(col("pickup_datetime").lt(window.end)))
        .where(col("passenger_count").gt(0).and(col("trip_distance").between(0.1, 100)))
        .withColumn("pickup_date", F.toDate(col("pickup_datetime")))
        .withColumn("tip_pct", F.round(col("tip_amount").divide(col("fare_amount")).multiply(100), 2)),
  });
}

/** Report: revenue and trips per pickup zone and service for the day. */
export function reportJob(lakeDir: string) {
  return defineJob({
    name: "daily-revenue",
    every: "1d",
    output: { path: join(lakeDir, "report", "daily_revenue"), partitionBy: ["service_type"] },
    run: ({ spark, window }) => {
      const trips = spark.read
        .parquet(join(lakeDir, "clean", "trips"))
        .where(col("pickup_datetime").geq(window.start).and(col("pickup_datetime").lt(window.end)));
      const zones = spark.read
        .option("header", true)
        .option("inferSchema", true)
        .csv(join(lakeDir, "zones.csv"));
      return trips
        .join(F.broadcast(zones), trips.col("pu_location_id").eq(zones.col("location_id")), "left")
        .groupBy("borough", "zone", "service_type")
        .agg(
          F.sum("total_amount").alias("revenue"),
          F.count("*").alias("trips"),
          F.avg("tip_pct").alias("avg_tip_pct"),
        );
    },
  });
}
