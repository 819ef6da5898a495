// The child process of one timed benchmark run: runs one query on one engine, then writes a
// small JSON report (result, in-process job time, peak RSS) to the file named by --report and
// exits. The parent (measure.ts) times the whole process from spawn to exit.
//
// node dist/benchmarks/job.js <kindling|duckdb> <query> --threads N --report FILE
//   --trips-parquet GLOB --trips-csv GLOB --zones-parquet PATH --zones-csv PATH --out DIR
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type QueryIO, selectQueries } from "./queries.js";

/** The engines a job can run on. */
export type Engine = "kindling" | "duckdb";

/** What a job child writes to its report file. */
export interface JobReport {
  readonly ok: boolean;
  /** The query's headline number (a count, or rows written). */
  readonly result?: number | null;
  readonly error?: string;
  /** Time from just before the engine starts to just after it stops, ms. */
  readonly jobMs: number;
  /** Peak resident set size of this process (all threads), KiB, from getrusage. */
  readonly maxRssKiB: number;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      threads: { type: "string", default: "2" },
      report: { type: "string" },
      "trips-parquet": { type: "string", default: "" },
      "trips-csv": { type: "string", default: "" },
      "zones-parquet": { type: "string", default: "" },
      "zones-csv": { type: "string", default: "" },
      out: { type: "string", default: "" },
    },
  });
  const [engine, queryName] = positionals;
  const threads = Number(values.threads);
  const io: QueryIO = {
    tripsParquet: values["trips-parquet"],
    tripsCsv: values["trips-csv"],
    zonesParquet: values["zones-parquet"],
    zonesCsv: values["zones-csv"],
    out: values.out,
  };
  const started = performance.now();
  let report: JobReport;
  try {
    if (engine !== "kindling" && engine !== "duckdb") throw new Error(`unknown engine "${engine}"`);
    const [query] = selectQueries(queryName);
    // Each engine's module is loaded only in its own child.
    const result =
      engine === "duckdb"
        ? await (await import("./duckdb.js")).runDuckDBQuery(query!, io, threads)
        : await (await import("./kindling.js")).runKindlingQuery(query!, io, threads);
    report = {
      ok: true,
      result,
      jobMs: performance.now() - started,
      maxRssKiB: process.resourceUsage().maxRSS,
    };
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    report = {
      ok: false,
      error,
      jobMs: performance.now() - started,
      maxRssKiB: process.resourceUsage().maxRSS,
    };
  }
  if (values.report) writeFileSync(values.report, JSON.stringify(report));
  else console.log(JSON.stringify(report));
  // Exit now: an engine that leaves a handle open must not stretch the measured time.
  process.exit(report.ok ? 0 : 1);
}

void main();
