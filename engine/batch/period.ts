// Window periods (`every: "15m" | "1h" | "1d" | "1w" | "1mo"`) and plain durations (`lateness`,
// retry backoff). A period is calendar-aware (days, weeks and months follow the job's time
// zone); a duration is a fixed number of milliseconds.
import { ConfigError } from "../errors.js";

/** The unit of a window period. */
export type PeriodUnit = "minute" | "hour" | "day" | "week" | "month";

/** A parsed window period: `count` units (`15m` is 15 minutes). */
export interface Period {
  /** The text as the job wrote it, normalised (`"15m"`, `"1mo"`). */
  readonly text: string;
  readonly unit: PeriodUnit;
  readonly count: number;
  /** Length in seconds for minute and hour periods (which divide a day); null otherwise. */
  readonly seconds: number | null;
}

const UNIT_OF: Record<string, PeriodUnit> = {
  m: "minute",
  min: "minute",
  h: "hour",
  d: "day",
  w: "week",
  mo: "month",
};

const SUFFIX: Record<PeriodUnit, string> = { minute: "m", hour: "h", day: "d", week: "w", month: "mo" };

const PERIOD_HELP =
  'expected a count and a unit: "15m", "30m", "1h", "6h" (dividing a day), "1d", "1w" or "1mo", "3mo" (dividing a year)';

/**
 * Parses a window period. Minute and hour periods must divide a day (so every day is tiled the
 * same way), month periods must divide a year (`3mo` is quarters); days and weeks are single.
 */
export function parsePeriod(text: string): Period {
  const m = /^\s*(\d+)\s*(mo|min|m|h|d|w)\s*$/i.exec(String(text));
  if (m === null) throw new ConfigError(`invalid window period "${text}"; ${PERIOD_HELP}`);
  const count = Number(m[1]);
  const unit = UNIT_OF[m[2]!.toLowerCase()]!;
  const norm = `${count}${SUFFIX[unit]}`;
  if (count < 1) throw new ConfigError(`invalid window period "${text}": the count must be at least 1`);
  let seconds: number | null = null;
  switch (unit) {
    case "minute":
    case "hour":
      seconds = count * (unit === "minute" ? 60 : 3600);
      if (86400 % seconds !== 0) {
        throw new ConfigError(
          `invalid window period "${text}": a minute or hour period must divide a day (e.g. 15m, 20m, 1h, 2h, 3h, 4h, 6h, 8h, 12h)`,
        );
      }
      break;
    case "day":
    case "week":
      if (count !== 1) {
        throw new ConfigError(
          `invalid window period "${text}": only 1${SUFFIX[unit]} is supported for ${unit}s`,
        );
      }
      break;
    case "month":
      if (12 % count !== 0) {
        throw new ConfigError(
          `invalid window period "${text}": a month period must divide a year (1mo, 2mo, 3mo, 4mo, 6mo, 12mo)`,
        );
      }
      break;
  }
  return { text: norm, unit, count, seconds };
}

const DURATION_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a fixed duration into milliseconds: `"0"`, `"500ms"`, `"30s"`, `"15m"`, `"2h"`, `"1d"`,
 * or a sum such as `"1h30m"`. `what` names the option in the error message.
 */
export function parseDuration(text: string | number, what = "duration"): number {
  if (typeof text === "number") {
    if (!Number.isFinite(text) || text < 0)
      throw new ConfigError(`invalid ${what} ${text}: expected milliseconds ≥ 0`);
    return text;
  }
  const s = String(text).trim().toLowerCase();
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  let parts = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * DURATION_MS[m[2]!]!;
    pos = re.lastIndex;
    parts++;
  }
  if (parts === 0 || pos !== s.length) {
    throw new ConfigError(
      `invalid ${what} "${text}"; expected e.g. "0", "30s", "15m", "2h", "1d" or "1h30m"`,
    );
  }
  return Math.round(total);
}

/** A duration in milliseconds as short text: `1.2 s`, `3 min 5 s`, `250 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const min = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  return sec > 0 ? `${min} min ${sec} s` : `${min} min`;
}
