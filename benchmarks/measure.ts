// Timing of whole jobs: each run is a fresh child process (job.ts) timed from spawn to exit,
// with its peak memory taken from the child's own getrusage report (process.resourceUsage()
// .maxRSS, all threads of the process) and optionally cross-checked with `/usr/bin/time -v`.
// A failed, crashed or timed-out run becomes a sample with an error, never an exception.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Engine, JobReport } from "./job.js";
import type { QueryIO } from "./queries.js";

/** One job to run in a child process. */
export interface JobSpec {
  readonly engine: Engine;
  /** Query id or name. */
  readonly query: string;
  readonly threads: number;
  readonly io: QueryIO;
  /** Kill the child after this long (default 30 minutes). */
  readonly timeoutMs?: number;
  /** Also read peak RSS from `/usr/bin/time -v` (when that binary exists). */
  readonly timeV?: boolean;
  /** Extra environment of the job (cluster mode: KINDLING_MASTER and KINDLING_SECRET). */
  readonly env?: Readonly<Record<string, string>>;
}

/** One timed run. */
export interface RunSample {
  readonly ok: boolean;
  /** Whole-process wall time, spawn to exit, ms. */
  readonly wallMs: number;
  /** The child's own job time (engine start to stop), ms. */
  readonly jobMs?: number;
  /** Peak RSS the child reported, KiB. */
  readonly maxRssKiB?: number;
  /** Peak RSS from /usr/bin/time -v, KiB, when asked for. */
  readonly timeVRssKiB?: number;
  readonly result?: number | null;
  readonly error?: string;
}

/** Summary of a job's runs (over the successful ones). */
export interface Measurement {
  readonly engine: Engine;
  readonly query: string;
  readonly samples: readonly RunSample[];
  /** True when every run succeeded. */
  readonly ok: boolean;
  readonly medianS?: number;
  readonly minS?: number;
  readonly maxS?: number;
  readonly medianJobS?: number;
  /** Largest peak RSS over the runs, MiB. */
  readonly peakRssMiB?: number;
  /** The headline result of the first successful run. */
  readonly result?: number | null;
  /** The first error, when any run failed. */
  readonly error?: string;
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// Running from compiled JS, the child is job.js; from the .ts sources (tsx, tests), job.ts
// under tsx's loader.
function childCommand(): { script: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  return self.endsWith(".ts")
    ? { script: fileURLToPath(new URL("./job.ts", import.meta.url)), execArgv: ["--import", "tsx"] }
    : { script: fileURLToPath(new URL("./job.js", import.meta.url)), execArgv: [] };
}

function tail(s: string, n = 4000): string {
  return s.length > n ? `...${s.slice(-n)}` : s;
}

/** Runs one job in a fresh child process and times it. */
export async function runJobOnce(spec: JobSpec): Promise<RunSample> {
  const reportDir = await mkdtemp(join(tmpdir(), "kindling-bench-"));
  const reportFile = join(reportDir, "report.json");
  const { script, execArgv } = childCommand();
  const nodeArgs = [
    ...execArgv,
    script,
    spec.engine,
    spec.query,
    "--threads",
    String(spec.threads),
    "--report",
    reportFile,
    "--trips-parquet",
    spec.io.tripsParquet,
    "--trips-csv",
    spec.io.tripsCsv,
    "--zones-parquet",
    spec.io.zonesParquet,
    "--zones-csv",
    spec.io.zonesCsv,
    "--out",
    spec.io.out,
  ];
  const timeV = spec.timeV === true && existsSync("/usr/bin/time");
  const [cmd, args] = timeV
    ? ["/usr/bin/time", ["-v", process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  try {
    let output = "";
    let timedOut = false;
    const started = performance.now();
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; wallMs: number }>(
      (resolve, reject) => {
        const child = spawn(cmd, args, {
          stdio: ["ignore", "pipe", "pipe"],
          ...(spec.env ? { env: { ...process.env, ...spec.env } } : {}),
        });
        const collect = (d: Buffer): void => {
          output = tail(output + d.toString("utf8"), 64_000);
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        const timer = setTimeout(
          () => {
            timedOut = true;
            child.kill("SIGKILL");
          },
          spec.timeoutMs ?? 30 * 60_000,
        );
        child.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
        child.on("exit", (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, wallMs: performance.now() - started });
        });
      },
    );
    const timeVRssKiB = timeV
      ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(output)?.[1])
      : undefined;
    let report: JobReport | undefined;
    try {
      report = JSON.parse(await readFile(reportFile, "utf8")) as JobReport;
    } catch {
      report = undefined;
    }
    if (timedOut)
      return {
        ok: false,
        wallMs: exit.wallMs,
        error: `timed out after ${(exit.wallMs / 1000).toFixed(1)} s`,
      };
    if (!report) {
      const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
      return {
        ok: false,
        wallMs: exit.wallMs,
        timeVRssKiB,
        error: `job ${how} without a report: ${tail(output)}`,
      };
    }
    return {
      ok: report.ok && exit.code === 0,
      wallMs: exit.wallMs,
      jobMs: report.jobMs,
      maxRssKiB: report.maxRssKiB,
      timeVRssKiB,
      result: report.result,
      error: report.error ?? (exit.code === 0 ? undefined : `exited with code ${exit.code}: ${tail(output)}`),
    };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/** Summarises runs into median/min/max seconds and peak RSS (successful runs only). */
export function summarize(engine: Engine, query: string, samples: readonly RunSample[]): Measurement {
  const good = samples.filter((s) => s.ok);
  const failed = samples.find((s) => !s.ok);
  const base = { engine, query, samples, ok: failed === undefined, error: failed?.error };
  if (good.length === 0) return base;
  const walls = good.map((s) => s.wallMs / 1000);
  const jobs = good.flatMap((s) => (s.jobMs === undefined ? [] : [s.jobMs / 1000]));
  const rss = good.map((s) => Math.max(s.maxRssKiB ?? 0, s.timeVRssKiB ?? 0) / 1024);
  return {
    ...base,
    medianS: median(walls),
    minS: Math.min(...walls),
    maxS: Math.max(...walls),
    medianJobS: jobs.length ? median(jobs) : undefined,
    peakRssMiB: Math.max(...rss),
    result: good[0]!.result,
  };
}
