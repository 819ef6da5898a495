// `kindling run <job> --window X | --from A --to B | --catch-up --since A [--until B]`: runs a
// batch job file for its windows on local threads (or the `--master` given), each window's
// output committed atomically, failing windows retried, every attempt logged. Exit code: 0 when
// every window succeeded, 1 when one failed, 2 for bad input, 3 when another run holds the lock.

import {
  committedWindowIds,
  formatDuration,
  type Job,
  LockHeldError,
  loadJobFile,
  packageEntryFrom,
  type RunEvent,
  runWindows,
  selectCatchUp,
  selectRange,
  selectWindow,
  type Window,
} from "../../engine/batch/index.js";
import { checkOutputDir } from "../../engine/batch/layout.js";
import { parseRunArgs, RUN_USAGE, type RunArgs } from "../../engine/batch/run-args.js";
import { ConfigError, WriteError } from "../../engine/errors.js";
import { Session } from "../../index.js";

export { parseRunArgs, RUN_USAGE, type RunArgs };

function selectWindows(
  job: Job,
  args: RunArgs,
  outputPath: string,
  nowMs: number,
): { windows: Window[]; note: string } {
  if (args.window !== undefined)
    return { windows: [selectWindow(job, args.window, { nowMs, force: args.force })], note: "" };
  if (args.from !== undefined) {
    return { windows: selectRange(job, args.from, args.to!, { nowMs, force: args.force }), note: "" };
  }
  const s = selectCatchUp(job, {
    since: args.since!,
    until: args.until,
    nowMs,
    force: args.force,
    committed: committedWindowIds(outputPath),
  });
  const through = new Date(s.throughMs).toISOString().replace(/\.000Z$/, "Z");
  return { windows: s.windows, note: ` (catch-up through ${through}; ${s.committed} already committed)` };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function printEvent(e: RunEvent): void {
  const w = e.window.label;
  if (e.kind === "attempt") {
    if (e.attempt > 1) log(`  ${w}  attempt ${e.attempt}`);
  } else if (e.kind === "succeeded") {
    log(`  ${w}  ok    ${e.rows.toLocaleString("en-US")} rows in ${formatDuration(e.durationMs)}`);
  } else {
    const next = e.retryInMs === null ? "giving up" : `retrying in ${formatDuration(e.retryInMs)}`;
    log(`  ${w}  FAILED (attempt ${e.attempt}, ${next}): ${e.error}`);
  }
}

/** Options of `runCommand` for embedding and tests. */
export interface RunCommandOptions {
  /** The module a job's `import "kindling"` resolves to (default: this package's entry). */
  readonly entryUrl?: string;
}

/** `kindling run ...`; returns the process exit code. */
export async function runCommand(argv: readonly string[], opts: RunCommandOptions = {}): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (err) {
    process.stderr.write(`kindling run: ${(err as Error).message}\n\n${RUN_USAGE}`);
    return 2;
  }
  let spark: Session | undefined;
  // Exiting through process.exit lets the run lock remove itself (a SIGKILL leaves it stale).
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`kindling run: stopped by ${sig}; windows not committed are left as they were\n`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const { job, sha256 } = await loadJobFile(
      args.jobFile,
      opts.entryUrl ?? packageEntryFrom(import.meta.url, "../../"),
    );
    const outputPath = checkOutputDir(args.output ?? job.output.path);
    const { windows, note } = selectWindows(job, args, outputPath, Date.now());
    log(
      `kindling run ${job.name}: ${windows.length} window${windows.length === 1 ? "" : "s"} of ${job.period.text} (${job.timeZone})${note} → ${outputPath}`,
    );
    if (windows.length === 0) return 0;
    const builder = Session.builder().appName(job.name);
    for (const [k, v] of Object.entries(job.conf ?? {})) builder.config(k, v);
    for (const [k, v] of args.conf) builder.config(k, v);
    if (args.master !== undefined) builder.master(args.master);
    spark = await builder.getOrCreate();
    const summary = await runWindows(job, windows, {
      spark,
      args: args.jobArgs,
      retries: args.retries,
      backoffMs: args.backoffMs,
      parallel: args.parallel,
      outputPath,
      scriptSha256: sha256,
      onEvent: printEvent,
    });
    const failed = summary.windows.filter((o) => o.status === "failed");
    const rows = summary.windows.reduce((n, o) => n + o.rows, 0);
    log(
      `${summary.windows.length - failed.length} of ${summary.windows.length} windows succeeded (${rows.toLocaleString("en-US")} rows); run ${summary.runId}, log ${outputPath}/_kindling/runs.jsonl`,
    );
    for (const f of failed)
      log(
        `  failed: ${f.window.label} after ${f.attempts} attempt${f.attempts === 1 ? "" : "s"}: ${f.error}`,
      );
    return failed.length === 0 ? 0 : 1;
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`kindling run: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}\n`);
    if (process.env.KINDLING_DEBUG) process.stderr.write(`${e.stack}\n`);
    if (err instanceof LockHeldError) return 3;
    return err instanceof ConfigError || err instanceof WriteError ? 2 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await spark?.stop();
  }
}
