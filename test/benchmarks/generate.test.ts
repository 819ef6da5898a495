// The benchmark data generator at a small scale: determinism (same seed, same bytes, whatever
// the file split), the typed Parquet conversion, plausible distributions and the cache marker.
// Never a timing assertion: benchmarks report figures, tests do not judge them.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DuckDB, openDuckDB } from "../../benchmarks/duckdb.js";
import { datasetDir, generateTrips } from "../../benchmarks/generate.js";
import { makeZones, TRIP_COLUMNS } from "../../benchmarks/trip-model.js";

const ROWS = 20_000;
let base: string;
let db: DuckDB;

async function sha(paths: readonly string[]): Promise<string> {
  const h = createHash("sha256");
  for (const p of paths) h.update(await readFile(p));
  return h.digest("hex");
}

// The CSV rows of every file, headers dropped, concatenated.
async function body(paths: readonly string[]): Promise<string> {
  let s = "";
  for (const p of paths) s += (await readFile(p, "utf8")).replace(/^[^\n]*\n/, "");
  return s;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "kindling-gen-test-"));
  db = await openDuckDB(1);
});

afterAll(async () => {
  db.close();
  await rm(base, { recursive: true, force: true });
});

describe("generateTrips", () => {
  it("writes the same bytes for the same seed, different bytes for another seed", async () => {
    const a = await generateTrips({ rows: ROWS, seed: 7, outDir: join(base, "a"), formats: ["csv"] });
    const b = await generateTrips({ rows: ROWS, seed: 7, outDir: join(base, "b"), formats: ["csv"] });
    const c = await generateTrips({ rows: ROWS, seed: 8, outDir: join(base, "c"), formats: ["csv"] });
    expect(a.reused).toBe(false);
    expect(await sha(a.tripsCsv)).toBe(await sha(b.tripsCsv));
    expect(await sha(a.tripsCsv)).not.toBe(await sha(c.tripsCsv));
    const text = await readFile(a.tripsCsv[0]!, "utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(TRIP_COLUMNS.join(","));
    expect(lines.length).toBe(ROWS + 1);
    expect(lines[1]).toMatch(
      /^[12],2021-\d\d-\d\d \d\d:\d\d:\d\d,20\d\d-\d\d-\d\d \d\d:\d\d:\d\d,\d?,\d+\.\d\d,\d+,\d+,[1-4],-?\d+\.\d\d,\d+\.\d\d,-?\d+\.\d\d,[YN],(yellow|green|fhv)$/,
    );
  });

  it("splits rows across files without changing them", async () => {
    const one = await generateTrips({ rows: ROWS, seed: 7, outDir: join(base, "a"), formats: ["csv"] });
    const three = await generateTrips({
      rows: ROWS,
      seed: 7,
      outDir: join(base, "f3"),
      formats: ["csv"],
      files: 3,
    });
    expect(three.tripsCsv).toHaveLength(3);
    expect(await body(three.tripsCsv)).toBe(await body(one.tripsCsv));
  });

  it("converts to typed Parquet with plausible distributions", async () => {
    const ds = await generateTrips({ rows: ROWS, seed: 42, outDir: datasetDir(base, ROWS, 42) });
    expect(ds.tripsParquet).toHaveLength(1);
    const f = ds.tripsParquet[0]!;
    const types = await db.rows(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${f}'))`,
    );
    expect(Object.fromEntries(types)).toEqual({
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
    });
    const [stats] = await db.rows(
      `SELECT count(*)::INT, (count(*) - count(passenger_count))::INT, min(pu_location_id), max(do_location_id),
        year(min(pickup_datetime))::INT, year(max(pickup_datetime))::INT, bool_and(dropoff_datetime > pickup_datetime),
        median(trip_distance), (count(*) FILTER (WHERE payment_type = 2 AND tip_amount <> 0))::INT,
        (count(*) FILTER (WHERE store_and_fwd_flag = 'Y'))::INT, count(DISTINCT service_type)::INT
       FROM read_parquet('${f}')`,
    );
    const [rows, nulls, minLoc, maxLoc, y0, y1, ordered, medDist, cashTips, flagY, services] =
      stats as number[];
    expect(rows).toBe(ROWS);
    expect(nulls / ROWS).toBeGreaterThan(0.005);
    expect(nulls / ROWS).toBeLessThan(0.015);
    expect(minLoc).toBeGreaterThanOrEqual(1);
    expect(maxLoc).toBeLessThanOrEqual(265);
    expect([y0, y1]).toEqual([2021, 2021]);
    expect(ordered).toBe(true);
    expect(medDist).toBeGreaterThan(1);
    expect(medDist).toBeLessThan(3);
    expect(cashTips).toBe(0);
    expect(flagY).toBeGreaterThan(0);
    expect(services).toBe(3);
    // The Parquet holds exactly the CSV's values.
    const [diff] = await db.rows(
      `SELECT count(*)::INT FROM (SELECT * FROM read_parquet('${f}') EXCEPT ALL
        SELECT * FROM read_csv('${ds.tripsCsv[0]}', header = true, auto_type_candidates = ['INTEGER', 'DOUBLE', 'TIMESTAMP', 'VARCHAR']))`,
    );
    expect(diff).toEqual([0]);
  });

  it("writes the 265 zones", async () => {
    const ds = await generateTrips({ rows: ROWS, seed: 42, outDir: datasetDir(base, ROWS, 42) });
    const rows = await db.rows(`SELECT * FROM read_parquet('${ds.zonesParquet}') ORDER BY location_id`);
    expect(rows).toHaveLength(265);
    expect(rows.map((r) => r[0])).toEqual(makeZones().map((z) => z.locationId));
    expect(rows[131]).toEqual([132, "Queens", "JFK Airport", "Airports"]);
    expect(new Set(rows.map((r) => r[2])).size).toBe(265);
  });

  it("reuses matching files and regenerates on force or another row count", async () => {
    const dir = join(base, "cache");
    const first = await generateTrips({ rows: 1000, seed: 1, outDir: dir });
    const again = await generateTrips({ rows: 1000, seed: 1, outDir: dir });
    expect(first.reused).toBe(false);
    expect(again.reused).toBe(true);
    const forced = await generateTrips({ rows: 1000, seed: 1, outDir: dir, force: true });
    expect(forced.reused).toBe(false);
    const other = await generateTrips({ rows: 1200, seed: 1, outDir: dir });
    expect(other.reused).toBe(false);
    const [count] = await db.rows(`SELECT count(*)::INT FROM read_parquet('${other.tripsParquet[0]}')`);
    expect(count).toEqual([1200]);
  });

  it("keeps only Parquet when asked", async () => {
    const ds = await generateTrips({ rows: 500, seed: 3, outDir: join(base, "pq"), formats: ["parquet"] });
    expect(ds.tripsCsv).toEqual([]);
    expect(existsSync(join(base, "pq", "csv"))).toBe(false);
    expect(existsSync(ds.tripsParquet[0]!)).toBe(true);
  });
});
