// The window runner: runs a job for a list of windows under the output's run lock, in window
// order, up to `parallel` at once. Each window is attempted up to 1 + `retries` times with
// exponential backoff; every attempt is appended to the run log; a failing window never stops
// the others.
//
//   window: pending ──▶ attempt n ──ok──▶ succeeded
//                          └─error─▶ (n ≤ retries: wait backoff·2^(n-1)) ──▶ attempt n+1
//                                    (else) ──▶ failed
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { EventLog } from "../exec/events.js";
import type { Session } from "../session.js";
import type { Job } from "./job.js";
import { checkOutputDir, eventLogPath, kindlingDir, lockPath, runLogPath } from "./layout.js";
import { RunLock } from "./lock.js";
import { type AttemptInfo, type WindowWriter, writeWindowOutputs } from "./output.js";
import { appendRunLog } from "./run-log.js";
import { instantId, type Window } from "./window.js";

/** Options of `runWindows`. */
export interface RunnerOptions {
  readonly spark: Session;
  /** Arguments for the job (`-- ...` on the command line). */
  readonly args?: readonly string[];
  /** Retries after a failed attempt (default 2, so 3 attempts). */
  readonly retries?: number;
  /** Wait before the first retry in ms (default 1000), doubled for each further one, at most 60 s. */
  readonly backoffMs?: number;
  /** Windows run at once (default 1). */
  readonly parallel?: number;
  /** Overrides the job's `output.path`. */
  readonly outputPath?: string;
  /** sha256 of the job file, for the manifests. */
  readonly scriptSha256?: string | null;
  /** Heartbeat interval of the run lock (default 10 s). */
  readonly lockIntervalMs?: number;
  /** Progress events (the CLI prints them). */
  readonly onEvent?: (e: RunEvent) => void;
  /** @internal Replaces the Parquet writer (tests). */
  readonly writer?: WindowWriter;
}

/** What the runner reports while it works. */
export type RunEvent =
  | { readonly kind: "attempt"; readonly window: Window; readonly attempt: number }
  | {
      readonly kind: "succeeded";
      readonly window: Window;
      readonly attempt: number;
      readonly rows: number;
      readonly durationMs: number;
    }
  | {
      readonly kind: "failed";
      readonly window: Window;
      readonly attempt: number;
      readonly error: string;
      readonly durationMs: number;
      /** ms until the next attempt, or null when this was the last. */
      readonly retryInMs: number | null;
    };

/** The outcome of one window. */
export interface WindowOutcome {
  readonly window: Window;
  readonly status: "succeeded" | "failed";
  readonly attempts: number;
  /** Rows written by the successful attempt (0 when failed). */
  readonly rows: number;
  /** Over all attempts, backoff included. */
  readonly durationMs: number;
  /** The last attempt's error. */
  readonly error: string | null;
}

/** The result of `runWindows`. */
export interface RunSummary {
  readonly runId: string;
  readonly outputPath: string;
  readonly windows: readonly WindowOutcome[];
  /** True when every window succeeded. */
  readonly ok: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The message of an error, with its kind when it has one (`AnalysisError: column "x" ...`). */
export function errorText(err: unknown): string {
  if (err instanceof Error)
    return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

/**
 * Runs `job` for each of `windows` (sorted by start) and returns their outcomes. Takes the run
 * lock of the output first (a LockHeldError when another run holds it) and releases it at the end.
 */
export async function runWindows(
  job: Job,
  windows: readonly Window[],
  opts: RunnerOptions,
): Promise<RunSummary> {
  const outputPath = checkOutputDir(resolve(opts.outputPath ?? job.output.path));
  const runId = `${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  mkdirSync(kindlingDir(outputPath), { recursive: true });
  const lock = RunLock.acquire(lockPath(outputPath), { job: job.name, intervalMs: opts.lockIntervalMs });
  // The run's JSON-lines event log of jobs, stages and tasks, beside the run log.
  // (Test doubles of the session may not take listeners.)
  const events =
    typeof opts.spark.addListener === "function" ? new EventLog(eventLogPath(outputPath, runId)) : null;
  if (events) opts.spark.addListener(events);
  const ordered = [...windows].sort((a, b) => a.start.getTime() - b.start.getTime());
  const outcomes: WindowOutcome[] = new Array(ordered.length);
  try {
    let next = 0;
    const lane = async () => {
      while (next < ordered.length) {
        const i = next++;
        outcomes[i] = await runOneWindow(job, ordered[i]!, outputPath, runId, lock, opts);
      }
    };
    const k = Math.max(1, Math.min(opts.parallel ?? 1, ordered.length));
    await Promise.all(Array.from({ length: k }, lane));
  } finally {
    if (events) opts.spark.removeListener(events);
    lock.release();
  }
  return { runId, outputPath, windows: outcomes, ok: outcomes.every((o) => o.status === "succeeded") };
}

async function runOneWindow(
  job: Job,
  window: Window,
  outputPath: string,
  runId: string,
  lock: RunLock,
  opts: RunnerOptions,
): Promise<WindowOutcome> {
  const retries = Math.max(0, opts.retries ?? 2);
  const backoff = Math.max(0, opts.backoffMs ?? 1000);
  const write = opts.writer ?? writeWindowOutputs;
  const began = performance.now();
  let error: string | null = null;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const startedAtMs = Date.now();
    const t0 = performance.now();
    opts.onEvent?.({ kind: "attempt", window, attempt });
    let rows: number | null = null;
    try {
      if (lock.lost) throw new Error(`the run lock ${lock.path} was taken over by another run; stopping`);
      const result = await job.run({
        spark: opts.spark,
        window,
        args: opts.args ?? [],
        attempt,
        jobName: job.name,
      });
      const info: AttemptInfo = { attempt, runId, scriptSha256: opts.scriptSha256 ?? null, startedAtMs };
      const written = await write(job, outputPath, window, result, info);
      rows = written.reduce((n, w) => n + w.rows, 0);
      error = null;
    } catch (err) {
      error = errorText(err);
    }
    const durationMs = Math.round(performance.now() - t0);
    appendRunLog(runLogPath(outputPath), {
      time: new Date().toISOString(),
      runId,
      job: job.name,
      window: window.id,
      windowEnd: instantId(Math.floor(window.end.getTime() / 1000)),
      label: window.label,
      period: window.period,
      timeZone: window.timeZone,
      attempt,
      status: error === null ? "succeeded" : "failed",
      rows,
      durationMs,
      error,
      host: hostname(),
      pid: process.pid,
    });
    if (error === null) {
      opts.onEvent?.({ kind: "succeeded", window, attempt, rows: rows!, durationMs });
      return {
        window,
        status: "succeeded",
        attempts: attempt,
        rows: rows!,
        durationMs: Math.round(performance.now() - began),
        error: null,
      };
    }
    const last = attempt > retries || lock.lost;
    const waitMs = last ? null : Math.min(60_000, backoff * 2 ** (attempt - 1));
    opts.onEvent?.({ kind: "failed", window, attempt, error, durationMs, retryInMs: waitMs });
    if (waitMs === null) {
      return {
        window,
        status: "failed",
        attempts: attempt,
        rows: 0,
        durationMs: Math.round(performance.now() - began),
        error,
      };
    }
    if (waitMs > 0) await sleep(waitMs);
  }
  throw new Error("unreachable");
}
