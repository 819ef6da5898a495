// `defineJob`: a batch job as a job file's default export. The job names itself, its window
// period and zone, where its output goes, and a `run` that builds the window's DataFrame(s).

import type { DataFrame } from "../api/dataframe.js";
import { ConfigError } from "../errors.js";
import type { Session } from "../session.js";
import { type Period, parseDuration, parsePeriod } from "./period.js";
import { jobZone, type Window, type WindowClock } from "./window.js";

/** What a job's `run` returns: one DataFrame, or several by output name. */
export type JobResult = DataFrame | Readonly<Record<string, DataFrame>>;

/** What a job's `run` receives for one window. */
export interface JobContext {
  /** The session the job runs in (shared by the windows of one `kindling run`). */
  readonly spark: Session;
  /** The window being processed: [start, end) as Dates, plus its id and label. */
  readonly window: Window;
  /** The command-line arguments after `--`. */
  readonly args: readonly string[];
  /** 1 for the first attempt of this window, 2 for the first retry, ... */
  readonly attempt: number;
  /** The job's name. */
  readonly jobName: string;
}

/** Where and how a job's output is written. */
export interface JobOutput {
  /**
   * The output directory (relative to the working directory). Each window is written under
   * `<path>/window_start=<UTC instant>/`; a job returning named DataFrames writes each under
   * `<path>/<name>/window_start=.../`.
   */
  readonly path: string;
  /**
   * Partition columns below the window directory; for named outputs, either one list for all
   * or a list per output name.
   */
  readonly partitionBy?: readonly string[] | Readonly<Record<string, readonly string[]>>;
}

/** A job as written in a job file (the argument of `defineJob`). */
export interface JobSpec {
  /** The job's name (shown in logs, the run log and the manifest). */
  readonly name: string;
  /** The window period: `"15m"`, `"1h"`, `"1d"`, `"1w"`, `"1mo"` ... */
  readonly every: string;
  /** The zone windows are aligned in (IANA name or offset); default `"UTC"`. */
  readonly timeZone?: string;
  /** How long after a window ends it still counts as open (late data): `"2h"`; default `"0"`. */
  readonly lateness?: string;
  readonly output: JobOutput;
  /** Session configuration for the job (`kindling.*` keys); `--conf` on the command line wins. */
  readonly conf?: Readonly<Record<string, string | number | boolean>>;
  /** Builds the window's output. May be async. */
  run(ctx: JobContext): JobResult | Promise<JobResult>;
}

/** Marks a `defineJob` result (a registered symbol, so it survives separate module instances). */
export const JOB_BRAND: unique symbol = Symbol.for("kindling.batch.job") as never;

/** A checked job: the spec plus its parsed period, zone and lateness. */
export interface Job extends JobSpec {
  readonly [JOB_BRAND]: true;
  readonly timeZone: string;
  readonly clock: WindowClock;
  readonly period: Period;
  /** Lateness in milliseconds. */
  readonly latenessMs: number;
}

/**
 * Declares a batch job (the default export of a job file). Checks the spec now, so a mistake
 * in a job file is reported when the file is loaded, naming the field at fault.
 */
export function defineJob(spec: JobSpec): Job {
  if (spec === null || typeof spec !== "object") throw new ConfigError("defineJob: expected a job object");
  const where = typeof spec.name === "string" && spec.name !== "" ? `job "${spec.name}"` : "defineJob";
  if (typeof spec.name !== "string" || spec.name.trim() === "") {
    throw new ConfigError(`${where}: "name" must be a non-empty string`);
  }
  if (typeof spec.run !== "function")
    throw new ConfigError(`${where}: "run" must be a function ({ spark, window, args }) => DataFrame`);
  if (typeof spec.every !== "string")
    throw new ConfigError(`${where}: "every" must be a period such as "1h" or "1d"`);
  const period = withContext(where, () => parsePeriod(spec.every));
  const timeZone = spec.timeZone ?? "UTC";
  withContext(where, () => jobZone(timeZone));
  const latenessMs = withContext(where, () => parseDuration(spec.lateness ?? "0", "lateness"));
  const out = spec.output;
  if (out === null || typeof out !== "object" || typeof out.path !== "string" || out.path.trim() === "") {
    throw new ConfigError(`${where}: "output.path" must be a non-empty string (the output directory)`);
  }
  checkPartitionBy(where, out.partitionBy);
  return Object.freeze({
    ...spec,
    timeZone,
    period,
    latenessMs,
    clock: Object.freeze({ period, timeZone }),
    [JOB_BRAND]: true as const,
  });
}

function checkPartitionBy(where: string, pb: JobOutput["partitionBy"]): void {
  if (pb === undefined) return;
  const isList = (x: unknown) => Array.isArray(x) && x.every((c) => typeof c === "string" && c !== "");
  const lists: unknown[] | null = Array.isArray(pb)
    ? [pb]
    : typeof pb === "object" && pb !== null
      ? Object.values(pb)
      : null;
  if (lists === null || !lists.every(isList)) {
    throw new ConfigError(
      `${where}: "output.partitionBy" must be a list of column names (or such lists by output name)`,
    );
  }
  for (const l of lists as string[][]) {
    if (l.some((c) => c.toLowerCase() === "window_start")) {
      throw new ConfigError(`${where}: "output.partitionBy" must not name window_start (Kindling adds it)`);
    }
  }
}

function withContext<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${where}: ${err.message}`);
    throw err;
  }
}

/** True for a `defineJob` result (from any copy of the module). */
export function isJob(x: unknown): x is Job {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[JOB_BRAND] === true;
}

/** The partition columns of one named output (`""` for the single, unnamed one). */
export function partitionColumnsFor(job: Job, outputName: string): readonly string[] {
  const pb = job.output.partitionBy;
  if (pb === undefined) return [];
  if (Array.isArray(pb)) return pb as readonly string[];
  return (pb as Readonly<Record<string, readonly string[]>>)[outputName] ?? [];
}
