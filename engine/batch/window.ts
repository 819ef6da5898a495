// Batch windows: [start, end) intervals aligned to a job's period in its time zone, and the
// `--window` / `--from` / `--to` forms that name them.
//
// Alignment, in the job's zone (UTC unless the job says otherwise):
//   - days start at local midnight (a DST day is 23 or 25 hours long);
//   - weeks start on Monday at local midnight, as ISO weeks do;
//   - months start on the 1st at local midnight; `3mo` windows start in Jan, Apr, Jul, Oct;
//   - minute and hour windows tile each local day from its midnight in steps of exactly the
//     period, so on a 23-hour day the last `2h` window is 1 hour long and every `1h` window is
//     exactly one hour (its local label follows the wall clock: 00:00, 01:00, 03:00 ...).
// Times are handled as integer epoch seconds; the zone rules come from the engine's cache.
import { ConfigError } from "../errors.js";
import {
  civilFromDays,
  daysFromCivil,
  floorDiv,
  isoDayOfWeek,
  isValidDate,
} from "../expr/datetime/calendar.js";
import { parseOffset, tryZoneRules, type ZoneRules } from "../expr/datetime/timezone.js";
import { escapePathName } from "../io/partition-path.js";
import type { Period } from "./period.js";

/** One window of a job, as the job's `run` receives it. */
export interface Window {
  /** First instant of the window (inclusive). */
  readonly start: Date;
  /** First instant after the window (exclusive). */
  readonly end: Date;
  /** The start as a UTC instant, `2021-03-14T05:00:00Z`: names the window's directory and log lines. */
  readonly id: string;
  /** The start in the job's zone, as `--window` accepts it: `2021-03-14`, `2021-03`, `2021-03-14T10:00Z`. */
  readonly label: string;
  /** The job's period (`1d`). */
  readonly period: string;
  /** The job's time zone (`UTC`, `America/New_York`). */
  readonly timeZone: string;
}

/** How a job's windows are laid out: its period in its zone. */
export interface WindowClock {
  readonly period: Period;
  readonly timeZone: string;
}

/** The zone rules of a job's zone, or a ConfigError naming it. */
export function jobZone(timeZone: string): ZoneRules {
  const z = tryZoneRules(timeZone);
  if (z === null) {
    throw new ConfigError(
      `unknown time zone "${timeZone}"; use an IANA name such as "UTC" or "Europe/Berlin", or an offset like "+02:00"`,
    );
  }
  return z;
}

/** Epoch second where local day `days` begins (the first valid instant when midnight is in a DST gap). */
function dayStart(zone: ZoneRules, days: number): number {
  return zone.localToUtc(days * 86400);
}

/** The local day (days since the epoch) whose [start, next start) holds `sec`. */
function localDayOf(zone: ZoneRules, sec: number): number {
  let d = floorDiv(sec + zone.offsetAt(sec), 86400);
  while (sec >= dayStart(zone, d + 1)) d++;
  while (sec < dayStart(zone, d)) d--;
  return d;
}

const civil = new Int32Array(3);

/** [start, end) in epoch seconds of the window holding `sec`. */
function boundsAt(clock: WindowClock, zone: ZoneRules, sec: number): [number, number] {
  const { period } = clock;
  const d = localDayOf(zone, sec);
  switch (period.unit) {
    case "minute":
    case "hour": {
      const ds = dayStart(zone, d);
      const de = dayStart(zone, d + 1);
      const p = period.seconds!;
      const start = ds + Math.floor((sec - ds) / p) * p;
      return [start, Math.min(start + p, de)];
    }
    case "day":
      return [dayStart(zone, d), dayStart(zone, d + 1)];
    case "week": {
      const monday = d - (isoDayOfWeek(d) - 1);
      return [dayStart(zone, monday), dayStart(zone, monday + 7)];
    }
    case "month": {
      civilFromDays(d, civil);
      const idx = civil[0]! * 12 + (civil[1]! - 1);
      const first = idx - (((idx % period.count) + period.count) % period.count);
      const next = first + period.count;
      const startDay = daysFromCivil(Math.floor(first / 12), (first % 12) + 1, 1);
      const endDay = daysFromCivil(Math.floor(next / 12), (next % 12) + 1, 1);
      return [dayStart(zone, startDay), dayStart(zone, endDay)];
    }
  }
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** `2021-03-14T05:00:00Z` for an epoch second. */
export function instantId(sec: number): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}Z`;
}

function offsetText(off: number): string {
  if (off === 0) return "Z";
  const a = Math.abs(off);
  return `${off < 0 ? "-" : "+"}${pad2(Math.floor(a / 3600))}:${pad2(Math.floor(a / 60) % 60)}`;
}

function localLabel(clock: WindowClock, zone: ZoneRules, sec: number): string {
  const off = zone.offsetAt(sec);
  const local = sec + off;
  const days = floorDiv(local, 86400);
  civilFromDays(days, civil);
  const date = `${String(civil[0]).padStart(4, "0")}-${pad2(civil[1]!)}-${pad2(civil[2]!)}`;
  const unit = clock.period.unit;
  if (unit === "month") return date.slice(0, 7);
  if (unit === "day" || unit === "week") return date;
  const sod = local - days * 86400;
  return `${date}T${pad2(Math.floor(sod / 3600))}:${pad2(Math.floor(sod / 60) % 60)}${offsetText(off)}`;
}

function makeWindow(clock: WindowClock, zone: ZoneRules, [s, e]: [number, number]): Window {
  return Object.freeze({
    start: new Date(s * 1000),
    end: new Date(e * 1000),
    id: instantId(s),
    label: localLabel(clock, zone, s),
    period: clock.period.text,
    timeZone: clock.timeZone,
  });
}

const toSec = (t: Date | number): number => Math.floor((t instanceof Date ? t.getTime() : t) / 1000);

/** The window that holds instant `t` (a Date or epoch milliseconds). */
export function windowContaining(clock: WindowClock, t: Date | number): Window {
  const zone = jobZone(clock.timeZone);
  return makeWindow(clock, zone, boundsAt(clock, zone, toSec(t)));
}

/** The window right after `w`. */
export function nextWindow(clock: WindowClock, w: Window): Window {
  return windowContaining(clock, w.end);
}

/**
 * The window that starts exactly at `t`; a ConfigError when `t` is not a window start, naming
 * the window that holds it and the next one. `text` is what the user typed (for the message).
 */
export function windowStartingAt(clock: WindowClock, t: Date | number, text = instantId(toSec(t))): Window {
  const w = windowContaining(clock, t);
  if (w.start.getTime() !== toSec(t) * 1000 || (t instanceof Date ? t.getTime() : t) % 1000 !== 0) {
    const next = nextWindow(clock, w);
    throw new ConfigError(
      `window "${text}" is not aligned to the job's period ${clock.period.text} (time zone ${clock.timeZone}); ` +
        `the window holding it starts at ${w.label} and the next one at ${next.label}`,
    );
  }
  return w;
}

/** Every window with from ≤ start and end ≤ to (epoch ms or Dates), in order. */
export function windowsBetween(clock: WindowClock, from: Date | number, to: Date | number): Window[] {
  const fromMs = from instanceof Date ? from.getTime() : from;
  const toMs = to instanceof Date ? to.getTime() : to;
  const out: Window[] = [];
  let w = windowContaining(clock, fromMs);
  if (w.start.getTime() < fromMs) w = nextWindow(clock, w);
  while (w.end.getTime() <= toMs) {
    out.push(w);
    w = nextWindow(clock, w);
  }
  return out;
}

const WINDOW_FORMS =
  "expected YYYY-MM-DD, YYYY-MM, or YYYY-MM-DDTHH:mm[:ss] with an optional Z or ±hh:mm offset (local time in the job's zone otherwise)";

/**
 * Parses a window start as typed on the command line into epoch milliseconds. Dates and
 * times without an offset are local to `timeZone`; a local time that does not exist (a DST
 * gap) is an error, and an ambiguous one (a DST overlap) means the earlier instant.
 */
export function parseWindowTime(text: string, timeZone: string): number {
  const zone = jobZone(timeZone);
  const s = String(text).trim();
  const m =
    /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.0+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?$/i.exec(
      s,
    );
  if (m === null) throw new ConfigError(`unknown window format "${text}"; ${WINDOW_FORMS}`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const d = m[3] === undefined ? 1 : Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const se = m[6] === undefined ? 0 : Number(m[6]);
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59 || se > 59) {
    throw new ConfigError(`invalid date or time in window "${text}"; ${WINDOW_FORMS}`);
  }
  const localSec = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  const zoneText = m[7];
  if (zoneText !== undefined) {
    const off = zoneText.toUpperCase() === "Z" ? 0 : parseOffset(zoneText);
    if (off === null)
      throw new ConfigError(`invalid offset "${zoneText}" in window "${text}"; ${WINDOW_FORMS}`);
    return (localSec - off) * 1000;
  }
  const sec = zone.localToUtc(localSec);
  if (sec + zone.offsetAt(sec) !== localSec) {
    throw new ConfigError(
      `window "${text}" is not a valid local time in ${timeZone} (it falls in a daylight-saving gap)`,
    );
  }
  return sec * 1000;
}

/** The window named by `text` (`--window`): parsed in the job's zone, which must be a window start. */
export function parseWindow(clock: WindowClock, text: string): Window {
  return windowStartingAt(clock, parseWindowTime(text, clock.timeZone), text);
}

/** The directory name of a window inside its output: `window_start=2021-03-14T05%3A00%3A00Z`. */
export function windowDirName(id: string): string {
  return `window_start=${escapePathName(id)}`;
}

/** The window id of a directory name made by `windowDirName`, or null for any other name. */
export function windowIdOfDir(name: string): string | null {
  const m = /^window_start=(\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}%3A\d{2}Z)$/.exec(name);
  return m === null ? null : m[1]!.replaceAll("%3A", ":");
}
