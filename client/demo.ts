// `kindling demo` (`npm run demo`): generates a small taxi-like data lake (gzipped CSV per day
// and a zones table), then runs two batch jobs over its daily windows on local threads — an
// ingest job (CSV → cleaned Parquet per window) and a report job (daily revenue per zone) —
// each window committed atomically, and shows where the output is and a few rows of it.
import { join, resolve } from "node:path";
import { type RunSummary, runWindows, selectRange } from "../engine/batch/index.js";
import { col, Session } from "../index.js";
import { generateDemoLake } from "./demo-data.js";
import { ingestJob, reportJob } from "./demo-jobs.js";

function printSummary(name: string, s: RunSummary): void {
  for (const w of s.windows) {
    const status = w.status === "succeeded" ? `${w.rows.toLocaleString("en-US")} rows` : `FAILED: ${w.error}`;
    console.log(`  ${name} ${w.window.label}: ${status} (${(w.durationMs / 1000).toFixed(1)} s)`);
  }
}

export async function runDemo(dir = "demo-lake"): Promise<void> {
  const root = resolve(dir);
  const started = performance.now();
  const lake = generateDemoLake(root);
  console.log(
    `Generated ${lake.rows.toLocaleString("en-US")} trips over ${lake.days.length} days in ${lake.tripsDir}`,
  );

  const spark = await Session.builder().appName("demo").master("local[2]").getOrCreate();
  try {
    const from = lake.days[0]!;
    const to = new Date(Date.parse(`${lake.days.at(-1)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const nowMs = Date.now();
    for (const job of [ingestJob(root), reportJob(root)]) {
      console.log(
        `\nRunning ${job.name} for the daily windows ${from} .. ${to} (each committed atomically):`,
      );
      const summary = await runWindows(job, selectRange(job, from, to, { nowMs }), { spark });
      printSummary(job.name, summary);
      if (!summary.ok) throw new Error(`${job.name}: a window failed`);
    }
    const reportPath = join(root, "report", "daily_revenue");
    const report = spark.read.parquet(reportPath);
    console.log(`\nThe report is in ${reportPath} (one window_start=... directory per day). Top zones:`);
    await report
      .orderBy(col("revenue").desc())
      .select("window_start", "borough", "zone", "service_type", "revenue", "trips")
      .show(5);
    console.log(
      `Cleaned trips: ${join(root, "clean", "trips")} (${(await spark.read.parquet(join(root, "clean", "trips")).count()).toLocaleString("en-US")} rows)`,
    );
    console.log(
      `Run a job file per window: npx kindling run examples/daily-revenue.ts --window ${from}  (docs/batch-windows.md)`,
    );
    console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await spark.stop();
  }
}
