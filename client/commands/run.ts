// `kindling run <job> --window X | --from A --to B | --catch-up --since A [--until B]`: runs a
// batch job file for its windows on local threads (or the `--master` given), each window's
// output committed atomically, failing windows retried, every attempt logged. Exit code: 0 when
// every window succeeded, 1 when one failed, 2 for bad input, 3 when another run holds the lock.
import { ConfigError, WriteError } from "../../engine/errors.js";
import {
  type Job,
  LockHeldError,
  type RunEvent,
  type Window,
  committedWindowIds,
  formatDuration,
  loadJobFile,
  packageEntryFrom,
  parseDuration,
  runWindows,
  selectCatchUp,
  selectRange,
  selectWindow,
} from "../../engine/batch/index.js";
import { checkOutputDir } from "../../engine/batch/layout.js";
import { parseOptions } from "../../engine/batch/options.js";
import { Session } from "../../index.js";

/** The usage text of `kindling run`. */
export const RUN_USAGE = `Usage: kindling run <job.ts|.js|.mjs> <windows> [options] [-- job arguments]

Windows (one of):
  --window <start>             the window starting at <start> (2021-03-14, 2021-03-14T10:00, ...Z)
  --from <A> --to <B>          every window in [A, B)
  --catch-up --since <A> [--until <B>]
                               every closed window from A to B (default now) with no committed output

Options:
  --force                      also run windows that have not closed yet
  --retries <n>                retries of a failing window (default 2)
  --retry-backoff <duration>   wait before the first retry, doubled after each (default 1s)
  --parallel <k>               windows run at once (default 1)
  --output <path>              write here instead of the job's output.path
  --master <url>               local[N] (default: the job's conf, else local[*]) or a cluster
  --conf <key>=<value>         session configuration (repeatable)
`;

/** Parsed `kindling run` arguments. */
export interface RunArgs {
  readonly jobFile: string;
  readonly window?: string;
  readonly from?: string;
  readonly to?: string;
  readonly catchUp: boolean;
  readonly since?: string;
  readonly until?: string;
  readonly force: boolean;
  readonly retries: number;
  readonly backoffMs: number;
  readonly parallel: number;
  readonly output?: string;
  readonly master?: string;
  readonly conf: readonly (readonly [string, string])[];
  readonly jobArgs: readonly string[];
}

const VALUE_OPTIONS = new Set([
  "window",
  "from",
  "to",
  "since",
  "until",
  "retries",
  "retry-backoff",
  "parallel",
  "output",
  "master",
  "conf",
]);
const FLAG_OPTIONS = new Set(["catch-up", "force"]);

function intOption(v: string | undefined, name: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

/** Parses and checks `kindling run` arguments (ConfigError on a mistake). */
export function parseRunArgs(argv: readonly string[]): RunArgs {
  const { values, flags, positionals, rest } = parseOptions(argv, VALUE_OPTIONS, FLAG_OPTIONS);
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    if (v !== undefined && v.length > 1) throw new ConfigError(`option --${name} given more than once`);
    return v?.[0];
  };
  if (positionals.length === 0) throw new ConfigError("missing the job file");
  if (positionals.length > 1)
    throw new ConfigError(`unexpected argument "${positionals[1]}" (job arguments go after --)`);
  const window = one("window");
  const from = one("from");
  const to = one("to");
  const since = one("since");
  const until = one("until");
  const catchUp = flags.has("catch-up");
  const modes = [window !== undefined, from !== undefined || to !== undefined, catchUp].filter(
    Boolean,
  ).length;
  if (modes !== 1) throw new ConfigError("give exactly one of --window, --from/--to, or --catch-up");
  if ((from === undefined) !== (to === undefined)) throw new ConfigError("--from and --to go together");
  if (catchUp && since === undefined) throw new ConfigError("--catch-up needs --since <start>");
  if (!catchUp && (since !== undefined || until !== undefined))
    throw new ConfigError("--since and --until go with --catch-up");
  const conf = (values.get("conf") ?? []).map((kv) => {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--conf expects key=value, got "${kv}"`);
    return [kv.slice(0, eq), kv.slice(eq + 1)] as const;
  });
  return {
    jobFile: positionals[0]!,
    window,
    from,
    to,
    catchUp,
    since,
    until,
    force: flags.has("force"),
    retries: intOption(one("retries"), "retries", 2, 0),
    backoffMs: parseDuration(one("retry-backoff") ?? "1s", "--retry-backoff"),
    parallel: intOption(one("parallel"), "parallel", 1, 1),
    output: one("output"),
    master: one("master"),
    conf,
    jobArgs: rest,
  };
}

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

/** `kindling run ...`; returns the process exit code. */
export async function runCommand(argv: readonly string[]): Promise<number> {
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
    const { job, sha256 } = await loadJobFile(args.jobFile, packageEntryFrom(import.meta.url, "../../"));
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
