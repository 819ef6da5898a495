// `kindling windows <output>`: what a window job's output holds, window by window — committed
// (with rows), failed (with the last error), missing — and who holds the run lock. `--json`
// prints the same as one JSON document for orchestrators.

import { parseOptions } from "../../engine/batch/options.js";
import { describeOutput, type OutputReport } from "../../engine/batch/status.js";
import { parseWindowTime } from "../../engine/batch/window.js";
import { ConfigError } from "../../engine/errors.js";

/** The usage text of `kindling windows`. */
export const WINDOWS_USAGE = `Usage: kindling windows <output> [--since <A>] [--until <B>] [--json]

Shows each window of a job's output: committed (rows), failed (last error) or missing,
and whether a run holds the output's lock. Times are UTC instants or dates (UTC).
`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The text form of a report. */
export function formatReport(r: OutputReport): string {
  const lines: string[] = [];
  const what = r.job === null ? "" : ` — job "${r.job}", every ${r.period} (${r.timeZone})`;
  lines.push(`${r.output}${what}`);
  if (r.lock !== null) {
    const l = r.lock;
    lines.push(
      l.stale === null
        ? `locked: a run of "${l.job}" is in progress (process ${l.pid} on ${l.host}, since ${l.startedAt}, heartbeat ${l.heartbeat})`
        : `stale lock left by process ${l.pid} on ${l.host} (${l.stale}); the next run takes it over`,
    );
  }
  if (r.windows.length === 0) {
    lines.push("no windows yet");
    return lines.join("\n");
  }
  const rows = [["WINDOW", "STATUS", "ROWS", "ATTEMPTS", "LAST RUN", "ERROR"]];
  for (const w of r.windows) {
    const note = w.status === "committed" && w.lastAttempt === "failed" ? "(last re-run failed) " : "";
    rows.push([
      w.label,
      w.status,
      w.rows === null ? "-" : w.rows.toLocaleString("en-US"),
      String(w.attempts),
      w.lastRun ?? "-",
      w.error === null ? "" : `${note}${w.error.split("\n")[0]}`,
    ]);
  }
  lines.push(table(rows));
  const count = (s: string) => r.windows.filter((w) => w.status === s).length;
  lines.push(`${count("committed")} committed, ${count("failed")} failed, ${count("missing")} missing`);
  return lines.join("\n");
}

/** `kindling windows ...`; returns the process exit code (2 for bad input). */
export async function windowsCommand(argv: readonly string[]): Promise<number> {
  try {
    const { values, flags, positionals, rest } = parseOptions(
      argv,
      new Set(["since", "until"]),
      new Set(["json"]),
    );
    if (positionals.length !== 1 || rest.length > 0)
      throw new ConfigError("give exactly one output directory");
    const since = values.get("since")?.[0];
    const until = values.get("until")?.[0];
    const report = describeOutput(positionals[0]!, {
      sinceMs: since === undefined ? undefined : parseWindowTime(since, "UTC"),
      untilMs: until === undefined ? undefined : parseWindowTime(until, "UTC"),
    });
    process.stdout.write(
      flags.has("json") ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`,
    );
    return 0;
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`kindling windows: ${e.message}\n\n${WINDOWS_USAGE}`);
    return err instanceof ConfigError ? 2 : 1;
  }
}
