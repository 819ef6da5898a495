// The arguments of `kindling run`: which windows (`--window`, `--from/--to`, `--catch-up
// --since [--until]`), retries, parallelism, session configuration, and the job's own arguments
// after `--`. Checked here so that mistakes are reported before any job file is loaded.
import { ConfigError } from "../errors.js";
import { parseOptions } from "./options.js";
import { parseDuration } from "./period.js";

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
