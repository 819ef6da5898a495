// Time zones for text readers and writers: resolving Spark/Java zone ids (`Z`, `+01:00`,
// `UTC+1`, `Europe/Paris`, `PST`) and converting between wall-clock seconds and UTC seconds.
//
// Fixed offsets are plain arithmetic; region zones go through Intl once per 15-minute bucket
// (cached), so a column of timestamps in one zone costs a Map lookup per value.

/** A resolved zone: a fixed offset in seconds, or an IANA region. */
export interface Zone {
  readonly id: string;
  /** Offset from UTC in seconds for fixed-offset zones; null for region zones. */
  readonly fixed: number | null;
}

interface RegionState {
  readonly fmt: Intl.DateTimeFormat;
  readonly cache: Map<number, number>;
}

const regions = new Map<string, RegionState>();
const resolved = new Map<string, Zone | null>();

/** UTC as a Zone. */
export const UTC: Zone = { id: "UTC", fixed: 0 };

// Java's ZoneId.SHORT_IDS, which Spark consults for three-letter ids.
const SHORT_IDS: Readonly<Record<string, string>> = {
  EST: "-05:00",
  MST: "-07:00",
  HST: "-10:00",
  ACT: "Australia/Darwin",
  AET: "Australia/Sydney",
  AGT: "America/Argentina/Buenos_Aires",
  ART: "Africa/Cairo",
  AST: "America/Anchorage",
  BET: "America/Sao_Paulo",
  BST: "Asia/Dhaka",
  CAT: "Africa/Harare",
  CNT: "America/St_Johns",
  CST: "America/Chicago",
  CTT: "Asia/Shanghai",
  EAT: "Africa/Addis_Ababa",
  ECT: "Europe/Paris",
  IET: "America/Indiana/Indianapolis",
  IST: "Asia/Kolkata",
  JST: "Asia/Tokyo",
  MIT: "Pacific/Apia",
  NET: "Asia/Yerevan",
  NST: "Pacific/Auckland",
  PLT: "Asia/Karachi",
  PNT: "America/Phoenix",
  PRT: "America/Puerto_Rico",
  PST: "America/Los_Angeles",
  SST: "Pacific/Guadalcanal",
  VST: "Asia/Ho_Chi_Minh",
};

/** Parses `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss` into seconds; null if malformed. */
export function parseOffset(s: string): number | null {
  const m = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const h = Number(m[2]);
  const mi = m[3] ? Number(m[3]) : 0;
  const se = m[4] ? Number(m[4]) : 0;
  if (h > 18 || mi > 59 || se > 59) return null;
  const v = h * 3600 + mi * 60 + se;
  if (v > 18 * 3600) return null;
  return m[1] === "-" ? -v : v;
}

/** Formats an offset in seconds as `+hh:mm` (or `Z` when zero and `zForZero`). */
export function formatOffset(sec: number, zForZero: boolean, colon = true): string {
  if (sec === 0 && zForZero) return "Z";
  const a = Math.abs(sec);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const hh = h < 10 ? "0" + h : String(h);
  const mm = m < 10 ? "0" + m : String(m);
  return (sec < 0 ? "-" : "+") + hh + (colon ? ":" : "") + mm;
}

function regionOf(id: string): RegionState | null {
  let r = regions.get(id);
  if (r) return r;
  try {
    const fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: id,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    r = { fmt, cache: new Map() };
    regions.set(id, r);
    return r;
  } catch {
    return null;
  }
}

/** Resolves a Spark zone id; null when it names no zone. */
export function resolveZone(raw: string): Zone | null {
  const hit = resolved.get(raw);
  if (hit !== undefined) return hit;
  const z = resolveUncached(raw.trim());
  resolved.set(raw, z);
  return z;
}

function resolveUncached(s: string): Zone | null {
  if (s === "Z" || s === "UTC" || s === "GMT" || s === "UT" || s === "Etc/UTC" || s === "Etc/GMT") {
    return { id: s === "Z" ? "Z" : s, fixed: 0 };
  }
  if (s.startsWith("+") || s.startsWith("-")) {
    const off = parseOffset(s);
    return off === null ? null : { id: formatOffset(off, true), fixed: off };
  }
  const pre = /^(UTC|GMT|UT)([+-].*)$/.exec(s);
  if (pre) {
    const off = parseOffset(pre[2]!);
    return off === null ? null : { id: s, fixed: off };
  }
  const short = SHORT_IDS[s];
  if (short !== undefined) return resolveUncached(short);
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(s)) return null;
  if (regionOf(s) === null) return null;
  return { id: s, fixed: null };
}

function regionOffsetUncached(r: RegionState, utcSec: number): number {
  const ms = utcSec * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 0;
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let se = 0;
  let bc = false;
  for (const p of r.fmt.formatToParts(new Date(ms))) {
    switch (p.type) {
      case "year":
        y = Number(p.value);
        break;
      case "month":
        mo = Number(p.value);
        break;
      case "day":
        d = Number(p.value);
        break;
      case "hour":
        h = Number(p.value);
        break;
      case "minute":
        mi = Number(p.value);
        break;
      case "second":
        se = Number(p.value);
        break;
      case "era":
        bc = p.value === "BC" || p.value === "B";
        break;
    }
  }
  if (bc) y = 1 - y;
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  dt.setUTCHours(h, mi, se, 0);
  return Math.round((dt.getTime() - Math.floor(ms / 1000) * 1000) / 1000);
}

/** The zone's offset from UTC (seconds) at the UTC instant `utcSec`. */
export function offsetAtUtc(z: Zone, utcSec: number): number {
  if (z.fixed !== null) return z.fixed;
  const r = regionOf(z.id)!;
  const key = Math.floor(utcSec / 900);
  let off = r.cache.get(key);
  if (off === undefined) {
    off = regionOffsetUncached(r, key * 900);
    if (r.cache.size > 100_000) r.cache.clear();
    r.cache.set(key, off);
  }
  return off;
}

/**
 * The UTC seconds of a wall-clock time (`localSec` counted as if it were UTC) in zone `z`.
 * In a gap (spring forward) the time moves forward by the gap; in an overlap the earlier
 * offset wins, as java.time resolves them.
 */
export function localToUtc(z: Zone, localSec: number): number {
  if (z.fixed !== null) return localSec - z.fixed;
  const o1 = offsetAtUtc(z, localSec - offsetAtUtc(z, localSec));
  const t = localSec - o1;
  const o2 = offsetAtUtc(z, t);
  if (o2 === o1) {
    // Overlap: prefer the earlier instant (larger offset) when both are valid.
    const before = offsetAtUtc(z, t - 3 * 3600);
    if (before > o1 && offsetAtUtc(z, localSec - before) === before) return localSec - before;
    return t;
  }
  // Gap: the wall time does not exist; java.time shifts it forward by the gap length.
  return localSec - Math.min(o1, o2);
}
