// Deterministic generator of the benchmark data: a taxi-like trips table (CSV with a header,
// and Parquet converted from it by DuckDB with typed columns) plus a 265-row zones table.
// A marker file makes re-runs skip generation when the same rows, seed and files exist.
//
// CLI: node dist/benchmarks/generate.js --rows 1000000 [--seed 42] [--files 1]
//        [--formats csv,parquet] [--out benchmarks/data] [--force]
// writes into <out>/trips-<rows>-s<seed>[-f<files>]/.
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { duckdbColumns, openDuckDB, sqlString } from "./duckdb.js";
import {
  MAX_ROW_BYTES,
  makeZones,
  TRIP_DUCKDB_TYPES,
  TripGenerator,
  ZONE_DUCKDB_TYPES,
  zonesCsv,
} from "./trip-model.js";

/** A data format the generator writes. */
export type DataFormat = "csv" | "parquet";

/** Options of `generateTrips`. */
export interface GenerateOptions {
  /** Number of trips rows. */
  readonly rows: number;
  /** PRNG seed; the same seed and rows give the same bytes. */
  readonly seed: number;
  /** Directory that receives the files (created if missing). */
  readonly outDir: string;
  /** Formats to keep; Parquet is converted from the CSV. Default both. */
  readonly formats?: readonly DataFormat[];
  /** Split the trips into this many files of consecutive rows (default 1). */
  readonly files?: number;
  /** Regenerate even if a matching marker exists. */
  readonly force?: boolean;
  /** Progress messages (default: none). */
  readonly log?: (message: string) => void;
}

/** What `generateTrips` produced: absolute paths of every file. */
export interface TripsDataset {
  readonly dir: string;
  readonly rows: number;
  readonly seed: number;
  readonly tripsCsv: readonly string[];
  readonly tripsParquet: readonly string[];
  readonly zonesCsv: string;
  readonly zonesParquet: string;
  /** True when existing files were reused (nothing generated). */
  readonly reused: boolean;
}

// Bump when the model changes so cached data is regenerated.
const MODEL_VERSION = 1;
const MARKER = "_generated.json";
const CHUNK_ROWS = 65536;

interface Marker {
  version: number;
  rows: number;
  seed: number;
  files: number;
  formats: DataFormat[];
}

/** The conventional dataset directory under a base directory for a row count and seed. */
export function datasetDir(base: string, rows: number, seed: number, files = 1): string {
  return resolve(base, `trips-${rows}-s${seed}${files > 1 ? `-f${files}` : ""}`);
}

function partName(i: number, ext: string): string {
  return `trips-${String(i).padStart(5, "0")}.${ext}`;
}

function describe(
  dir: string,
  rows: number,
  seed: number,
  files: number,
  formats: readonly DataFormat[],
  reused: boolean,
): TripsDataset {
  const list = (fmt: DataFormat): string[] =>
    formats.includes(fmt) ? Array.from({ length: files }, (_, i) => join(dir, fmt, partName(i, fmt))) : [];
  return {
    dir,
    rows,
    seed,
    tripsCsv: list("csv"),
    tripsParquet: list("parquet"),
    zonesCsv: join(dir, "zones.csv"),
    zonesParquet: join(dir, "zones.parquet"),
    reused,
  };
}

async function readMarker(dir: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MARKER), "utf8")) as Marker;
  } catch {
    return undefined;
  }
}

/** Writes the trips CSV files; rows go to files in order, so the bytes do not depend on `files`. */
async function writeTripsCsv(dir: string, rows: number, seed: number, files: number): Promise<void> {
  await mkdir(join(dir, "csv"), { recursive: true });
  const gen = new TripGenerator(seed, rows);
  // Two buffers: one is being written while the other fills.
  const bufs = [Buffer.alloc(CHUNK_ROWS * MAX_ROW_BYTES), Buffer.alloc(CHUNK_ROWS * MAX_ROW_BYTES)];
  let turn = 0;
  for (let f = 0; f < files; f++) {
    const end = Math.floor(((f + 1) * rows) / files);
    const fh = await open(join(dir, "csv", partName(f, "csv")), "w");
    try {
      await fh.write(TripGenerator.header());
      let pending: Promise<unknown> = Promise.resolve();
      while (rows - gen.remaining() < end) {
        const buf = bufs[turn]!;
        turn ^= 1;
        const n = gen.fill(buf, Math.min(CHUNK_ROWS, end - (rows - gen.remaining())));
        await pending;
        pending = fh.write(buf, 0, n);
      }
      await pending;
    } finally {
      await fh.close();
    }
  }
}

/** Converts every trips CSV file to a Parquet file of the same index, with DuckDB. */
async function convertToParquet(dir: string, files: number): Promise<void> {
  await mkdir(join(dir, "parquet"), { recursive: true });
  const db = await openDuckDB();
  try {
    for (let f = 0; f < files; f++) {
      const src = join(dir, "csv", partName(f, "csv"));
      const dst = join(dir, "parquet", partName(f, "parquet"));
      await db.rows(
        `COPY (SELECT * FROM read_csv(${sqlString(src)}, header = true, delim = ',', quote = '"', ` +
          `columns = ${duckdbColumns(TRIP_DUCKDB_TYPES)})) ` +
          `TO ${sqlString(dst)} (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
      );
    }
    const zcsv = join(dir, "zones.csv");
    await db.rows(
      `COPY (SELECT * FROM read_csv(${sqlString(zcsv)}, header = true, columns = ${duckdbColumns(ZONE_DUCKDB_TYPES)})) ` +
        `TO ${sqlString(join(dir, "zones.parquet"))} (FORMAT parquet)`,
    );
  } finally {
    db.close();
  }
}

/**
 * Generates the trips and zones tables into `outDir` (see the file header), or reuses what a
 * previous call with the same rows, seed and files left there.
 */
export async function generateTrips(options: GenerateOptions): Promise<TripsDataset> {
  const { rows, seed } = options;
  const files = options.files ?? 1;
  const formats = options.formats ?? ["csv", "parquet"];
  const log = options.log ?? (() => {});
  const dir = resolve(options.outDir);
  if (!Number.isSafeInteger(rows) || rows < 0)
    throw new Error(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isSafeInteger(files) || files < 1)
    throw new Error(`files must be a positive integer, got ${files}`);

  const marker = options.force ? undefined : await readMarker(dir);
  const same =
    marker?.version === MODEL_VERSION &&
    marker.rows === rows &&
    marker.seed === seed &&
    marker.files === files;
  const have = new Set(same ? marker!.formats : []);
  const filesPresent = (fmt: DataFormat): boolean =>
    describe(dir, rows, seed, files, [fmt], false)[fmt === "csv" ? "tripsCsv" : "tripsParquet"].every((p) =>
      existsSync(p),
    );
  for (const fmt of [...have]) if (!filesPresent(fmt)) have.delete(fmt);
  if (formats.every((f) => have.has(f))) {
    log(`reusing ${rows} rows (seed ${seed}) in ${dir}`);
    return describe(dir, rows, seed, files, formats, true);
  }

  await rm(join(dir, MARKER), { force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  if (!have.has("csv")) {
    await rm(join(dir, "csv"), { recursive: true, force: true });
    await rm(join(dir, "parquet"), { recursive: true, force: true });
    have.clear();
    log(`writing ${rows} rows of CSV (seed ${seed}, ${files} file(s)) to ${dir}`);
    await writeTripsCsv(dir, rows, seed, files);
    have.add("csv");
  }
  await writeFile(join(dir, "zones.csv"), zonesCsv(makeZones()));
  log(`CSV done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (formats.includes("parquet") && !have.has("parquet")) {
    const t = performance.now();
    await convertToParquet(dir, files);
    have.add("parquet");
    log(`Parquet done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (!formats.includes("csv")) {
    // The CSV was only the source of the Parquet files.
    await rm(join(dir, "csv"), { recursive: true, force: true });
    have.delete("csv");
  }
  const written: Marker = { version: MODEL_VERSION, rows, seed, files, formats: [...have] };
  await writeFile(join(dir, MARKER), `${JSON.stringify(written, null, 2)}\n`);
  return describe(dir, rows, seed, files, formats, false);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "1000000" },
      seed: { type: "string", default: "42" },
      files: { type: "string", default: "1" },
      formats: { type: "string", default: "csv,parquet" },
      out: { type: "string", default: "benchmarks/data" },
      force: { type: "boolean", default: false },
    },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  const files = Number(values.files);
  const formats = values.formats.split(",").map((f) => f.trim()) as DataFormat[];
  for (const f of formats) if (f !== "csv" && f !== "parquet") throw new Error(`unknown format "${f}"`);
  const ds = await generateTrips({
    rows,
    seed,
    files,
    formats,
    outDir: datasetDir(values.out, rows, seed, files),
    force: values.force,
    log: (m) => console.log(m),
  });
  console.log(JSON.stringify(ds, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
