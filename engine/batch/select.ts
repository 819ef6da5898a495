// Which windows a `kindling run` processes: one (`--window`), a range (`--from A --to B`), or
// the closed, uncommitted windows of a catch-up (`--catch-up --since A [--until B]`). A window
// is closed once its end plus the job's lateness has passed; an open window runs only with
// `--force`.
import { ConfigError } from "../errors.js";
import type { Job } from "./job.js";
import { formatDuration } from "./period.js";
import {
  instantId,
  nextWindow,
  parseWindow,
  parseWindowTime,
  type Window,
  windowContaining,
  windowsBetween,
} from "./window.js";

/** True when `w` has ended and the job's lateness has passed by `nowMs`. */
export function isClosed(job: Job, w: Window, nowMs: number): boolean {
  return w.end.getTime() + job.latenessMs <= nowMs;
}

function refuseOpen(job: Job, w: Window, nowMs: number): never {
  const closesAt = instantId(Math.floor((w.end.getTime() + job.latenessMs) / 1000));
  const lateness =
    job.latenessMs > 0 ? ` (its end plus the job's lateness of ${formatDuration(job.latenessMs)})` : "";
  throw new ConfigError(
    `window ${w.label} of job "${job.name}" has not closed yet: it closes at ${closesAt}${lateness}, ` +
      `${nowMs < w.start.getTime() ? "and has not even started" : "and now is"} ${instantId(Math.floor(nowMs / 1000))}; use --force to run it anyway`,
  );
}

/** The window `--window text` names; a ConfigError when it is unaligned, malformed, or open without `force`. */
export function selectWindow(job: Job, text: string, opts: { nowMs: number; force?: boolean }): Window {
  const w = parseWindow(job.clock, text);
  if (!opts.force && !isClosed(job, w, opts.nowMs)) refuseOpen(job, w, opts.nowMs);
  return w;
}

/**
 * The windows of `--from A --to B`: every window with A ≤ start and end ≤ B. Both must be
 * window boundaries; open windows need `force`.
 */
export function selectRange(
  job: Job,
  from: string,
  to: string,
  opts: { nowMs: number; force?: boolean },
): Window[] {
  const first = parseWindow(job.clock, from);
  const toMs = parseWindowTime(to, job.timeZone);
  const holding = windowContaining(job.clock, toMs);
  if (holding.start.getTime() !== toMs) {
    throw new ConfigError(
      `--to "${to}" is not a window boundary of the job's period ${job.period.text} (time zone ${job.timeZone}); ` +
        `the nearest boundaries are ${holding.label} and ${nextWindow(job.clock, holding).label}`,
    );
  }
  if (toMs <= first.start.getTime()) throw new ConfigError(`--to "${to}" must be after --from "${from}"`);
  const windows = windowsBetween(job.clock, first.start, toMs);
  if (!opts.force) {
    const open = windows.find((w) => !isClosed(job, w, opts.nowMs));
    if (open !== undefined) refuseOpen(job, open, opts.nowMs);
  }
  return windows;
}

/** What a catch-up selected, and what it passed over. */
export interface CatchUpSelection {
  readonly windows: Window[];
  /** Windows in range that are already committed. */
  readonly committed: number;
  /** The end of the range actually used: `until`, or earlier where windows have not closed yet. */
  readonly throughMs: number;
}

/**
 * The windows a catch-up runs: those starting at or after `since` and ending by `until`
 * (default now) that are closed (end + lateness ≤ now) and not in `committed` (window ids).
 * With `force` the closing rule is dropped and the window holding `until` is included.
 */
export function selectCatchUp(
  job: Job,
  opts: { since: string; until?: string; nowMs: number; force?: boolean; committed: ReadonlySet<string> },
): CatchUpSelection {
  const sinceMs = parseWindowTime(opts.since, job.timeZone);
  const untilMs = opts.until === undefined ? opts.nowMs : parseWindowTime(opts.until, job.timeZone);
  if (untilMs <= sinceMs) throw new ConfigError(`--until must be after --since "${opts.since}"`);
  let throughMs = untilMs;
  if (opts.force) {
    const holding = windowContaining(job.clock, untilMs - 1);
    throughMs = holding.end.getTime();
  } else {
    throughMs = Math.min(untilMs, opts.nowMs - job.latenessMs);
  }
  const all = windowsBetween(job.clock, sinceMs, throughMs);
  const windows = all.filter((w) => !opts.committed.has(w.id));
  return { windows, committed: all.length - windows.length, throughMs };
}
