// A batch job: daily revenue per pickup zone, one committed Parquet output per day.
//   kindling run examples/daily-revenue.ts --window 2021-03-01
//   kindling run examples/daily-revenue.ts --catch-up --since 2021-03-01 --until 2021-03-04
//   kindling windows demo-lake/report/example_daily_revenue
// It reads the cleaned trips that `npm run demo` writes under demo-lake/.
import { col, defineJob, functions as F } from "kindling";

export default defineJob({
  name: "daily-revenue",
  every: "1d",
  output: { path: "demo-lake/report/example_daily_revenue", partitionBy: ["service_type"] },
  run: ({ spark, window }) =>
    spark.read
      .parquet("demo-lake/clean/trips")
      .where(col("pickup_datetime").geq(window.start).and(col("pickup_datetime").lt(window.end)))
      .groupBy("pu_location_id", "service_type")
      .agg(F.sum("total_amount").alias("revenue"), F.count("*").alias("trips")),
});
