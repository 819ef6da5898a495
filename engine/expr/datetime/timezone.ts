// Time-zone offsets for IANA zones, computed with Intl.DateTimeFormat and cached so kernels
// never call Intl per row.
//
// The time line is cut into chunks of 2^24 s (~194 days). The first lookup in a chunk samples
// the offset every 2^19 s (~6 days) and binary-searches each change down to the second, storing
// the chunk's transitions. A lookup then checks a memo of the last constant interval (data is
// usually clustered), else finds the chunk in a Map and scans its few transitions. Two
// transitions less than ~6 days apart that cancel out would be missed; tzdb has none in
// practice. Fixed offsets (UTC, +05:30, GMT-8, Java's EST/MST/HST) skip all of this.
import { ConfigError } from "../../errors.js";
import { daysFromCivil } from "./calendar.js";

const CHUNK_BITS = 24;
const CHUNK = 2 ** CHUNK_BITS;
const STEP = 2 ** 19;
/** Intl (Date) cannot go beyond ±8.64e12 s; offsets past that are clamped to the edge. */
const MAX_SEC = 8.64e12 - 2 * 86400;

/** Offset rules of one zone: UTC → local and local → UTC, both in whole seconds. */
export interface ZoneRules {
  /** The zone id as given. */
  readonly id: string;
  /** The offset when the zone is fixed (UTC, +05:30), else null. */
  readonly fixedOffset: number | null;
  /** Offset (local − UTC) in seconds at the UTC instant `sec` (epoch seconds). */
  offsetAt(sec: number): number;
  /**
   * The UTC epoch second of local wall-clock second `localSec`, as java.time resolves it:
   * in an overlap the earlier instant, in a gap the time is moved later by the gap's length.
   */
  localToUtc(localSec: number): number;
}

class FixedZone implements ZoneRules {
  constructor(
    readonly id: string,
    readonly fixedOffset: number,
  ) {}
  offsetAt(_sec: number): number {
    return this.fixedOffset;
  }
  localToUtc(localSec: number): number {
    return localSec - this.fixedOffset;
  }
}

interface Chunk {
  readonly offset0: number;
  /** Pairs (instant, offset from then on), ascending. */
  readonly trans: number[];
}

class RegionZone implements ZoneRules {
  readonly fixedOffset = null;
  private readonly dtf: Intl.DateTimeFormat;
  private readonly chunks = new Map<number, Chunk>();
  private memoStart = 1;
  private memoEnd = 0;
  private memoOffset = 0;

  constructor(readonly id: string) {
    this.dtf = new Intl.DateTimeFormat("en-US", {
      timeZone: id,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** Offset straight from Intl (slow: only while filling a chunk). */
  private rawOffset(sec: number): number {
    const s = Math.max(-MAX_SEC, Math.min(MAX_SEC, sec));
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let se = 0;
    let bc = false;
    for (const p of this.dtf.formatToParts(s * 1000)) {
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
          bc = p.value.startsWith("B");
          break;
      }
    }
    if (bc) y = 1 - y;
    return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - s;
  }

  private chunk(index: number): Chunk {
    let c = this.chunks.get(index);
    if (c !== undefined) return c;
    const start = index * CHUNK;
    const offset0 = this.rawOffset(start);
    const trans: number[] = [];
    let prevT = start;
    let prevO = offset0;
    for (let t = start + STEP; t <= start + CHUNK; t += STEP) {
      const o = t === start + CHUNK ? this.rawOffset(t - 1) : this.rawOffset(t);
      const end = t === start + CHUNK ? t - 1 : t;
      let lo = prevT;
      let loO = prevO;
      // Several changes may hide in one step: find each first change in turn.
      while (loO !== o) {
        let a = lo;
        let b = end;
        while (b - a > 1) {
          const mid = Math.floor((a + b) / 2);
          if (this.rawOffset(mid) === loO) a = mid;
          else b = mid;
        }
        const ob = this.rawOffset(b);
        trans.push(b, ob);
        lo = b;
        loO = ob;
      }
      prevT = t;
      prevO = o;
    }
    c = { offset0, trans };
    this.chunks.set(index, c);
    return c;
  }

  offsetAt(sec: number): number {
    if (sec >= this.memoStart && sec < this.memoEnd) return this.memoOffset;
    const index = Math.floor(sec / CHUNK);
    const c = this.chunk(index);
    let start = index * CHUNK;
    let end = start + CHUNK;
    let off = c.offset0;
    const tr = c.trans;
    for (let i = 0; i < tr.length; i += 2) {
      if (tr[i]! <= sec) {
        start = tr[i]!;
        off = tr[i + 1]!;
      } else {
        end = tr[i]!;
        break;
      }
    }
    this.memoStart = start;
    this.memoEnd = end;
    this.memoOffset = off;
    return off;
  }

  localToUtc(localSec: number): number {
    // The offsets a day either side bracket any single transition near this wall time.
    const before = this.offsetAt(localSec - 86400);
    const after = this.offsetAt(localSec + 86400);
    if (before === after) {
      if (this.offsetAt(localSec - before) === before) return localSec - before;
    }
    const okBefore = this.offsetAt(localSec - before) === before;
    const okAfter = this.offsetAt(localSec - after) === after;
    if (okBefore && okAfter) return Math.min(localSec - before, localSec - after);
    if (okBefore) return localSec - before;
    if (okAfter) return localSec - after;
    // A gap: shift later by the gap, i.e. read the wall time with the offset before it.
    return localSec - before;
  }
}

/** Java's ZoneId.SHORT_IDS, which Spark accepts as zone ids. */
const SHORT_IDS: Record<string, string> = {
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
  EST: "-05:00",
  MST: "-07:00",
  HST: "-10:00",
};

/**
 * Parses an offset suffix as java.time's ZoneOffset.of does (plus Spark's `+h:mm` and
 * `+hh:m` forms): `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`. Returns seconds or null.
 */
export function parseOffset(s: string): number | null {
  const m = /^([+-])(\d{1,2})(?::?(\d{1,2}))?(?::?(\d{2}))?$/.exec(s);
  if (m === null) return null;
  const h = Number(m[2]);
  const mi = m[3] === undefined ? 0 : Number(m[3]);
  const se = m[4] === undefined ? 0 : Number(m[4]);
  if (h > 18 || mi > 59 || se > 59) return null;
  const total = h * 3600 + mi * 60 + se;
  if (total > 18 * 3600) return null;
  return m[1] === "-" ? -total : total;
}

const cache = new Map<string, ZoneRules | null>();

function build(id: string): ZoneRules | null {
  const trimmed = id.trim();
  if (trimmed === "") return null;
  const short = SHORT_IDS[trimmed];
  if (short !== undefined) return build(short);
  const upper = trimmed.toUpperCase();
  if (upper === "Z" || upper === "UTC" || upper === "GMT" || upper === "UT" || upper === "ETC/UTC") {
    return new FixedZone(trimmed, 0);
  }
  if (trimmed[0] === "+" || trimmed[0] === "-") {
    const o = parseOffset(trimmed);
    return o === null ? null : new FixedZone(trimmed, o);
  }
  const prefix = /^(UTC|GMT|UT)([+-].*)$/i.exec(trimmed);
  if (prefix !== null) {
    const o = parseOffset(prefix[2]!);
    return o === null ? null : new FixedZone(trimmed, o);
  }
  try {
    const zone = new RegionZone(trimmed);
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
    if (resolved === "UTC" || resolved === "Etc/UTC" || resolved === "Etc/GMT")
      return new FixedZone(trimmed, 0);
    return zone;
  } catch {
    return null;
  }
}

/** The rules of a zone id (IANA region, fixed offset, UTC/GMT prefixes, Java short ids), or null if unknown. Cached. */
export function tryZoneRules(id: string): ZoneRules | null {
  let z = cache.get(id);
  if (z === undefined) {
    z = build(id);
    cache.set(id, z);
  }
  return z;
}

/** Like `tryZoneRules`, but throws a ConfigError naming the zone when it is unknown (the session zone). */
export function zoneRules(id: string): ZoneRules {
  const z = tryZoneRules(id);
  if (z === null)
    throw new ConfigError(
      `unknown time zone "${id}" (kindling.sql.session.timeZone takes an IANA name such as "Europe/Berlin", "UTC" or an offset like "+05:30")`,
    );
  return z;
}
