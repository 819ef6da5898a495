// Time-zone offsets for the session zone and zone ids in timestamp strings, as Spark (java.time)
// resolves them: fixed offsets (`+08:00`, `UTC-5`, `GMT+05:30`, `Z`), Java's short ids
// (`PST`, `EST`...) and IANA region ids through Intl. Offsets are cached per hour of UTC time,
// so a batch costs a map lookup per row, not an Intl call.

/** A resolved time zone. */
export interface Zone {
  readonly id: string;
  /** The offset in seconds when the zone is a fixed offset, else null. */
  readonly fixed: number | null;
  /** The offset (seconds, local − UTC) in force at a UTC instant given in seconds. */
  offsetAt(utcSeconds: number): number;
}

// java.time.ZoneId.SHORT_IDS
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

class FixedZone implements Zone {
  constructor(
    readonly id: string,
    readonly fixed: number,
  ) {}
  offsetAt(): number {
    return this.fixed;
  }
}

const MAX_MS = 8.64e15;

class RegionZone implements Zone {
  readonly fixed = null;
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastOffset = 0;
  private readonly scratch = new Date(0);

  constructor(readonly id: string) {
    this.fmt = new Intl.DateTimeFormat("en-US", {
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

  private compute(sec: number): number {
    const ms = Math.max(-MAX_MS, Math.min(MAX_MS, sec * 1000));
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    let bc = false;
    for (const p of this.fmt.formatToParts(ms)) {
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
          s = Number(p.value);
          break;
        case "era":
          bc = p.value === "BC" || p.value === "B";
          break;
      }
    }
    const t = this.scratch;
    t.setTime(0);
    t.setUTCFullYear(bc ? 1 - y : y, mo - 1, d);
    t.setUTCHours(h, mi, s, 0);
    return Math.round((t.getTime() - Math.floor(ms / 1000) * 1000) / 1000);
  }

  offsetAt(sec: number): number {
    const b = Math.floor(sec / 3600);
    if (b === this.lastBucket) return this.lastOffset;
    let o = this.cache.get(b);
    if (o === undefined) {
      const o1 = this.compute(b * 3600);
      const o2 = this.compute(b * 3600 + 3599);
      if (o1 !== o2) return this.compute(Math.floor(sec));
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(b, o1);
      o = o1;
    }
    this.lastBucket = b;
    this.lastOffset = o;
    return o;
  }
}

const zones = new Map<string, Zone | null>();

/** Parses a fixed offset: `Z`, `UTC`, `+h`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, with optional UTC/GMT/UT prefix. */
function parseFixed(id: string): number | null {
  if (id === "Z" || id === "UTC" || id === "GMT" || id === "UT" || id === "Etc/UTC" || id === "Etc/GMT")
    return 0;
  const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(id);
  if (m === null) return null;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  const s = Number(m[4] ?? 0);
  if (h > 18 || mi > 59 || s > 59) return null;
  const v = h * 3600 + mi * 60 + s;
  return m[1] === "-" ? -v : v;
}

/** The zone for an id, or null when the id is not a valid zone. */
export function tryZone(id: string): Zone | null {
  let z = zones.get(id);
  if (z !== undefined) return z;
  const mapped = SHORT_IDS[id] ?? id;
  const fixed = parseFixed(mapped);
  if (fixed !== null) z = new FixedZone(id, fixed);
  else {
    try {
      z = new RegionZone(mapped);
    } catch {
      z = null;
    }
  }
  if (zones.size > 1000) zones.clear();
  zones.set(id, z);
  return z;
}

/** The zone for an id; throws when the id is unknown. */
export function zoneOf(id: string): Zone {
  const z = tryZone(id);
  if (z === null) throw new Error(`unknown time zone "${id}"`);
  return z;
}

/** Is this zone UTC (offset always 0)? */
export const isUtc = (z: Zone): boolean => z.fixed === 0;

/**
 * The UTC instant (seconds) of a local wall-clock time (seconds) in `zone`, as java.time's
 * ZonedDateTime.of resolves it: in an overlap the earlier offset, in a gap the time is moved
 * forward by the gap's length.
 */
export function localToUtcSeconds(zone: Zone, local: number): number {
  if (zone.fixed !== null) return local - zone.fixed;
  const before = zone.offsetAt(local - 86400);
  const after = zone.offsetAt(local + 86400);
  if (before === after) return local - before;
  const t1 = local - before;
  if (zone.offsetAt(t1) === before) return t1;
  const t2 = local - after;
  if (zone.offsetAt(t2) === after) return t2;
  return t1;
}

/** Local wall-clock µs of a UTC µs instant. */
export function utcToLocalMicros(zone: Zone, micros: number): number {
  if (zone.fixed !== null) return micros + zone.fixed * 1e6;
  return micros + zone.offsetAt(Math.floor(micros / 1e6)) * 1e6;
}

/** UTC µs of a local wall-clock µs value. */
export function localToUtcMicros(zone: Zone, micros: number): number {
  if (zone.fixed !== null) return micros - zone.fixed * 1e6;
  const sec = Math.floor(micros / 1e6);
  return micros - (sec - localToUtcSeconds(zone, sec)) * 1e6;
}
