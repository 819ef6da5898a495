// The state of a window job's output, window by window, as `kindling windows` shows it:
// committed windows (from their directories and manifests), failed and missing ones (from the
// run log and the gaps between known windows), and who holds the run lock.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { lockPath, runLogPath } from "./layout.js";
import { type LockInfo, readLock, staleReason } from "./lock.js";
import { parsePeriod } from "./period.js";
import { type RunLogEntry, readRunLog } from "./run-log.js";
import { scanWindows } from "./state.js";
import { type WindowClock, windowContaining, windowsBetween } from "./window.js";

/**
 *   committed: the window's output is committed (a later failed re-run leaves it committed);
 *   failed:    not committed, and its last attempt failed;
 *   missing:   not committed, with no failed attempt (never run, or the run was killed).
 */
export type WindowStatus = "committed" | "failed" | "missing";

/** One row of `kindling windows`. */
export interface WindowReport {
  readonly window: string;
  readonly label: string;
  readonly status: WindowStatus;
  /** Rows of the committed output (null when unknown or not committed). */
  readonly rows: number | null;
  /** Attempts of the window's last run (from the run log), 0 when never logged. */
  readonly attempts: number;
  /** When the last attempt ended. */
  readonly lastRun: string | null;
  /** The last attempt's status, which may differ from `status` (a failed re-run of a committed window). */
  readonly lastAttempt: "succeeded" | "failed" | null;
  readonly error: string | null;
  /** The job file's sha256 of the committed output (first output's manifest). */
  readonly scriptSha256: string | null;
}

/** The whole report. */
export interface OutputReport {
  readonly output: string;
  readonly job: string | null;
  readonly period: string | null;
  readonly timeZone: string | null;
  readonly lock: (LockInfo & { readonly stale: string | null }) | null;
  readonly windows: readonly WindowReport[];
}

/**
 * Builds the report of an output directory. Missing windows are filled in between the first
 * and last known window (or `since`/`until`, epoch ms) when the period is known from a manifest
 * or the run log.
 */
export function describeOutput(
  output: string,
  opts: { sinceMs?: number; untilMs?: number } = {},
): OutputReport {
  const out = resolve(output);
  if (!existsSync(out)) throw new ConfigError(`output ${out} does not exist`);
  const scanned = scanWindows(out);
  const log = readRunLog(runLogPath(out));
  const lastRunOf = new Map<string, RunLogEntry[]>();
  for (const e of log) {
    const prev = lastRunOf.get(e.window);
    // Keep the attempts of the latest run of each window.
    if (prev === undefined || prev[0]!.runId !== e.runId) lastRunOf.set(e.window, [e]);
    else prev.push(e);
  }
  let meta: { job: string; period: string; timeZone: string } | null = null;
  const labels = new Map<string, string>();
  for (const w of scanned.values()) {
    for (const o of w.outputs.values()) {
      const m = o.manifest;
      if (m === null) continue;
      labels.set(w.id, m.window.label);
      meta ??= { job: m.job, period: m.window.period, timeZone: m.window.timeZone };
    }
  }
  for (const e of log) {
    if (!labels.has(e.window)) labels.set(e.window, e.label);
    meta = { job: e.job, period: e.period, timeZone: e.timeZone };
  }
  const ids = new Set<string>([...scanned.keys(), ...lastRunOf.keys()]);
  if (meta !== null) {
    const clock: WindowClock = { period: parsePeriod(meta.period), timeZone: meta.timeZone };
    const known = [...ids].sort();
    const from = opts.sinceMs ?? (known.length ? Date.parse(known[0]!) : undefined);
    const to =
      opts.untilMs ??
      (known.length
        ? windowContaining(clock, Date.parse(known[known.length - 1]!)).end.getTime()
        : undefined);
    if (from !== undefined && to !== undefined) {
      for (const w of windowsBetween(clock, from, to)) {
        ids.add(w.id);
        if (!labels.has(w.id)) labels.set(w.id, w.label);
      }
    }
  }
  const windows: WindowReport[] = [];
  for (const id of [...ids].sort()) {
    const t = Date.parse(id);
    if (opts.sinceMs !== undefined && t < opts.sinceMs) continue;
    if (opts.untilMs !== undefined && t >= opts.untilMs) continue;
    const s = scanned.get(id);
    const run = lastRunOf.get(id) ?? [];
    const last = run[run.length - 1];
    const committed = s?.committed ?? false;
    const status: WindowStatus = committed ? "committed" : last?.status === "failed" ? "failed" : "missing";
    const manifest = s ? ([...s.outputs.values()].find((o) => o.manifest !== null)?.manifest ?? null) : null;
    windows.push({
      window: id,
      label: labels.get(id) ?? id,
      status,
      rows: committed ? (s?.rows ?? null) : null,
      attempts: run.length,
      lastRun: last?.time ?? null,
      lastAttempt: last?.status ?? null,
      error: last?.status === "failed" ? last.error : null,
      scriptSha256: manifest?.scriptSha256 ?? null,
    });
  }
  const lock = readLock(lockPath(out));
  return {
    output: out,
    job: meta?.job ?? null,
    period: meta?.period ?? null,
    timeZone: meta?.timeZone ?? null,
    lock: lock === null ? null : { ...lock, stale: staleReason(lock) },
    windows,
  };
}
