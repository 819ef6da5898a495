// The taxi-like trips model behind the benchmark generator: a seeded PRNG, the zones table,
// and a row generator that formats CSV text in large chunks. Pure and deterministic: the same
// seed and row count always give the same bytes, however the rows are split into files.

/** Column names of the trips table, in file order. */
export const TRIP_COLUMNS = [
  "vendor_id",
  "pickup_datetime",
  "dropoff_datetime",
  "passenger_count",
  "trip_distance",
  "pu_location_id",
  "do_location_id",
  "payment_type",
  "fare_amount",
  "tip_amount",
  "total_amount",
  "store_and_fwd_flag",
  "service_type",
] as const;

/** DuckDB types of the trips columns (for typed CSV reads and the Parquet conversion). */
export const TRIP_DUCKDB_TYPES: Readonly<Record<(typeof TRIP_COLUMNS)[number], string>> = {
  vendor_id: "INTEGER",
  pickup_datetime: "TIMESTAMP",
  dropoff_datetime: "TIMESTAMP",
  passenger_count: "INTEGER",
  trip_distance: "DOUBLE",
  pu_location_id: "INTEGER",
  do_location_id: "INTEGER",
  payment_type: "INTEGER",
  fare_amount: "DOUBLE",
  tip_amount: "DOUBLE",
  total_amount: "DOUBLE",
  store_and_fwd_flag: "VARCHAR",
  service_type: "VARCHAR",
};

/** The same schema as a Spark DDL string, for `spark.read.schema(...)`. */
export const TRIP_SPARK_DDL =
  "vendor_id INT, pickup_datetime TIMESTAMP, dropoff_datetime TIMESTAMP, passenger_count INT, " +
  "trip_distance DOUBLE, pu_location_id INT, do_location_id INT, payment_type INT, " +
  "fare_amount DOUBLE, tip_amount DOUBLE, total_amount DOUBLE, store_and_fwd_flag STRING, " +
  "service_type STRING";

/** Column names and DuckDB types of the zones table. */
export const ZONE_DUCKDB_TYPES: Readonly<Record<string, string>> = {
  location_id: "INTEGER",
  borough: "VARCHAR",
  zone: "VARCHAR",
  service_zone: "VARCHAR",
};

/** xoshiro128** seeded through splitmix32: fast, 2^128 period, no Math.random. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r / 4294967296;
  }

  /** A standard normal deviate (Box-Muller, one of the pair). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One row of the zones table. */
export interface Zone {
  readonly locationId: number;
  readonly borough: string;
  readonly zone: string;
  readonly serviceZone: string;
}

const BOROUGH_BLOCKS: readonly [string, number][] = [
  ["EWR", 1],
  ["Bronx", 43],
  ["Manhattan", 69],
  ["Brooklyn", 61],
  ["Queens", 69],
  ["Staten Island", 20],
  ["Unknown", 2],
];
const NAME_A = ["North", "South", "East", "West", "Upper", "Lower", "Central", "Old", "New", "Little"];
const NAME_B = ["Park", "Heights", "Village", "Hill", "Harbor", "Point", "Gardens", "Square", "Bay", "Slope"];
const SPECIAL_ZONES: Readonly<Record<number, string>> = {
  1: "Newark Airport",
  132: "JFK Airport",
  138: "LaGuardia Airport",
  264: "Unknown",
  265: "Outside of NYC",
};

/** The 265 zones (location ids 1..265), the same for every seed. */
export function makeZones(): Zone[] {
  const zones: Zone[] = [];
  let id = 1;
  for (const [borough, count] of BOROUGH_BLOCKS) {
    for (let k = 0; k < count; k++, id++) {
      const special = SPECIAL_ZONES[id];
      const zone = special ?? `${NAME_A[k % 10]} ${borough.split(" ")[0]} ${NAME_B[Math.floor(k / 10)]}`;
      // The two city airports keep their real ids, which fall inside the Brooklyn block.
      const airport = special !== undefined && borough === "Brooklyn";
      const serviceZone =
        borough === "EWR"
          ? "EWR"
          : borough === "Unknown"
            ? "N/A"
            : airport
              ? "Airports"
              : borough === "Manhattan"
                ? "Yellow Zone"
                : "Boro Zone";
      zones.push({ locationId: id, borough: airport ? "Queens" : borough, zone, serviceZone });
    }
  }
  return zones;
}

/** The zones table as CSV text with a header. */
export function zonesCsv(zones: readonly Zone[]): string {
  let s = "location_id,borough,zone,service_zone\n";
  for (const z of zones) s += `${z.locationId},${z.borough},${z.zone},${z.serviceZone}\n`;
  return s;
}

const BOROUGH_WEIGHT: Readonly<Record<string, number>> = {
  EWR: 0.3,
  Bronx: 0.6,
  Manhattan: 12,
  Brooklyn: 2,
  Queens: 1.6,
  "Staten Island": 0.08,
  Unknown: 1.5,
};
// Trips by hour of day (relative), with the morning and evening peaks of city taxi data.
const HOUR_WEIGHTS = [
  3, 2, 1.4, 1, 0.9, 1, 2, 3.5, 4.5, 4.6, 4.6, 4.8, 5, 5.1, 5.5, 5.8, 5.9, 6.4, 6.8, 6.3, 5.6, 5.4, 5, 4,
];
const YEAR_START_MS = Date.UTC(2021, 0, 1);
/** Pickup days span all of 2021, in order through the file (as monthly taxi files are). */
export const TRIP_DAYS = 365;

function cdf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

function pick(table: Float64Array, u: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const ASCII = (s: string): Uint8Array => new TextEncoder().encode(s);
const SERVICE_BYTES = [ASCII(",yellow\n"), ASCII(",green\n"), ASCII(",fhv\n")];
const COMMA = 44;
const ZERO = 48;

/** Upper bound of one CSV line's bytes; a buffer for n rows needs n times this. */
export const MAX_ROW_BYTES = 160;

/**
 * Generates trips rows in order; `fill(buf, n)` writes the next n rows as CSV lines straight
 * into a byte buffer (no per-row strings: at 10M rows, string building is mostly GC).
 */
export class TripGenerator {
  private readonly rng: Prng;
  private readonly locCdf: Float64Array;
  private readonly hourCdf = cdf(HOUR_WEIGHTS);
  // "YYYY-MM-DD " for each day, 11 bytes each.
  private readonly dayBytes: Uint8Array;
  private row = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;

  constructor(
    seed: number,
    private readonly rows: number,
  ) {
    this.rng = new Prng(seed);
    // Zone popularity: a borough weight times a per-zone lognormal factor (seeded).
    const weights = makeZones().map((z) => BOROUGH_WEIGHT[z.borough]! * Math.exp(0.5 * this.rng.normal()));
    weights[131]! *= 8; // JFK
    weights[137]! *= 6; // LaGuardia
    this.locCdf = cdf(weights);
    // Dropoffs can run past the last pickup day, hence the two spare days.
    let days = "";
    for (let d = 0; d < TRIP_DAYS + 2; d++) {
      days += `${new Date(YEAR_START_MS + d * 86_400_000).toISOString().slice(0, 10)} `;
    }
    this.dayBytes = ASCII(days);
  }

  /** The CSV header line. */
  static header(): string {
    return `${TRIP_COLUMNS.join(",")}\n`;
  }

  /** Rows not yet generated. */
  remaining(): number {
    return this.rows - this.row;
  }

  private two(v: number): void {
    const b = this.buf;
    b[this.pos++] = ZERO + Math.floor(v / 10);
    b[this.pos++] = ZERO + (v % 10);
  }

  private uint(v: number): void {
    if (v >= 10) this.uint(Math.floor(v / 10));
    this.buf[this.pos++] = ZERO + (v % 10);
  }

  private money(v: number): void {
    if (v < 0) {
      this.buf[this.pos++] = 45; // "-"
      v = -v;
    }
    this.uint(Math.floor(v / 100));
    this.buf[this.pos++] = 46; // "."
    this.two(v % 100);
  }

  private timestamp(sec: number): void {
    const day = Math.floor(sec / 86400);
    let s = sec - day * 86400;
    this.buf.set(this.dayBytes.subarray(day * 11, day * 11 + 11), this.pos);
    this.pos += 11;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    this.two(h);
    this.buf[this.pos++] = 58; // ":"
    this.two(m);
    this.buf[this.pos++] = 58;
    this.two(s - m * 60);
  }

  /**
   * Writes the next `n` rows (fewer at the end) into `buf` as CSV lines and returns the
   * number of bytes written. `buf` must hold `n * MAX_ROW_BYTES` bytes.
   */
  fill(buf: Uint8Array, n: number): number {
    const r = this.rng;
    const end = Math.min(this.rows, this.row + n);
    this.buf = buf;
    this.pos = 0;
    for (; this.row < end; this.row++) {
      const day = Math.floor((this.row * TRIP_DAYS) / this.rows);
      const hour = pick(this.hourCdf, r.next());
      const pickup = day * 86400 + hour * 3600 + Math.floor(r.next() * 3600);
      const u = r.next();
      const service = u < 0.6 ? 0 : u < 0.75 ? 1 : 2;
      const vendor = r.next() < 0.34 ? 1 : 2;
      // Distance in hundredths of a mile: lognormal around 1.9 miles, 1% zero-length trips.
      const dist = r.next() < 0.01 ? 0 : Math.min(9999, Math.round(100 * Math.exp(0.64 + 0.85 * r.normal())));
      // Speed lognormal around 11 mph, plus a minute or two of pick-up time.
      const mph = Math.min(45, Math.max(2, 11 * Math.exp(0.35 * r.normal())));
      const seconds = Math.min(4 * 3600, Math.round(60 + (36 * dist) / mph + 90 * r.next()));
      const pc = r.next();
      // -1 is a null passenger_count (an empty CSV field).
      const passengers =
        pc < 0.01
          ? -1
          : pc < 0.02
            ? 0
            : pc < 0.72
              ? 1
              : pc < 0.86
                ? 2
                : pc < 0.9
                  ? 3
                  : pc < 0.92
                    ? 4
                    : pc < 0.97
                      ? 5
                      : 6;
      const pu = pick(this.locCdf, r.next()) + 1;
      const doLoc = r.next() < 0.12 ? pu : pick(this.locCdf, r.next()) + 1;
      const pt = r.next();
      const payment = pt < 0.7 ? 1 : pt < 0.97 ? 2 : pt < 0.985 ? 3 : 4;
      // Amounts in cents: metered fare from distance and time; tips mostly on card trips.
      let fare = 250 + Math.round(250 * (dist / 100) + (35 * seconds) / 60);
      if (payment === 4 && r.next() < 0.3) fare = -fare;
      const tip =
        payment === 1 && fare > 0 && r.next() < 0.85 ? Math.round(fare * (0.1 + 0.2 * r.next())) : 0;
      const tolls = r.next() < 0.05 ? 655 : 0;
      const congestion = service === 0 && r.next() < 0.8 ? 250 : 0;
      const total = fare + tip + tolls + congestion + (fare < 0 ? -80 : 80);
      const flag = r.next() < 0.01 ? 89 : 78; // "Y" : "N"

      const b = buf;
      b[this.pos++] = ZERO + vendor;
      b[this.pos++] = COMMA;
      this.timestamp(pickup);
      b[this.pos++] = COMMA;
      this.timestamp(pickup + seconds);
      b[this.pos++] = COMMA;
      if (passengers >= 0) b[this.pos++] = ZERO + passengers;
      b[this.pos++] = COMMA;
      this.money(dist);
      b[this.pos++] = COMMA;
      this.uint(pu);
      b[this.pos++] = COMMA;
      this.uint(doLoc);
      b[this.pos++] = COMMA;
      b[this.pos++] = ZERO + payment;
      b[this.pos++] = COMMA;
      this.money(fare);
      b[this.pos++] = COMMA;
      this.money(tip);
      b[this.pos++] = COMMA;
      this.money(total);
      b[this.pos++] = COMMA;
      b[this.pos++] = flag;
      const sb = SERVICE_BYTES[service]!;
      b.set(sb, this.pos);
      this.pos += sb.length;
    }
    return this.pos;
  }
}
