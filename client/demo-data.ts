// Generates the demo's small taxi-like data lake: one gzipped CSV of trips per day, plus a
// zones table. Deterministic (seeded PRNG), so every fresh clone gets the same data.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BOROUGHS = ["Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island", "EWR"];
const SERVICES = ["yellow", "green", "fhv"];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");
const fmt = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
};

export interface DemoLake {
  readonly tripsDir: string;
  readonly zonesPath: string;
  readonly days: readonly string[];
  readonly rows: number;
}

/** Writes `days` days of trips (`rowsPerDay` each) from `start` (YYYY-MM-DD) under `root`. */
export function generateDemoLake(
  root: string,
  start = "2021-03-01",
  days = 3,
  rowsPerDay = 40_000,
): DemoLake {
  const rand = prng(42);
  const tripsDir = join(root, "trips");
  mkdirSync(tripsDir, { recursive: true });
  const names: string[] = [];
  const day0 = Date.parse(`${start}T00:00:00Z`);
  for (let d = 0; d < days; d++) {
    const dayMs = day0 + d * 86_400_000;
    const day = new Date(dayMs).toISOString().slice(0, 10);
    names.push(day);
    const lines = [
      "vendor_id,pickup_datetime,dropoff_datetime,passenger_count,trip_distance,pu_location_id,do_location_id," +
        "payment_type,fare_amount,tip_amount,total_amount,store_and_fwd_flag,service_type",
    ];
    for (let i = 0; i < rowsPerDay; i++) {
      const pickup = dayMs + Math.floor((rand() * 86_400_000) / 1000) * 1000;
      const distance = Math.round(Math.exp(rand() * 3) * 100 - 90) / 100;
      const dropoff = pickup + Math.floor(((distance * 3 + rand() * 10) * 60_000) / 1000) * 1000;
      const passengers = rand() < 0.02 ? "" : String(Math.floor(rand() * 5));
      const payment = rand() < 0.7 ? 1 : 2;
      const fare = Math.round((2.5 + Math.max(0, distance) * 2.5 + rand() * 2) * 100) / 100;
      const tip = payment === 1 ? Math.round(fare * rand() * 0.3 * 100) / 100 : 0;
      const total = Math.round((fare + tip + 0.5) * 100) / 100;
      lines.push(
        `${1 + Math.floor(rand() * 2)},${fmt(pickup)},${fmt(dropoff)},${passengers},${distance},` +
          `${1 + Math.floor(rand() * 265)},${1 + Math.floor(rand() * 265)},${payment},${fare},${tip},${total},` +
          `${rand() < 0.01 ? "Y" : "N"},${SERVICES[Math.floor(rand() * 3)]}`,
      );
    }
    writeFileSync(join(tripsDir, `trips-${day}.csv.gz`), gzipSync(`${lines.join("\n")}\n`));
  }
  const zones = ["location_id,borough,zone,service_zone"];
  for (let id = 1; id <= 265; id++) {
    const b = BOROUGHS[id % BOROUGHS.length]!;
    zones.push(`${id},${b},Zone ${id},${b === "Manhattan" ? "Yellow Zone" : "Boro Zone"}`);
  }
  const zonesPath = join(root, "zones.csv");
  writeFileSync(zonesPath, `${zones.join("\n")}\n`);
  return { tripsDir, zonesPath, days: names, rows: days * rowsPerDay };
}
