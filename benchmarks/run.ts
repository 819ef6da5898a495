// The benchmark runner: generates the data if needed, runs every query on each engine in
// fresh child processes (interleaving engines run by run), checks that the engines agree,
// prints the table and writes benchmarks/results/<date>-<rows>.{md,json}.
//
// npm run bench -- --rows 10000000 --threads 2 --runs 3 [--queries a,b] [--engines kindling,duckdb]
//   [--seed 42] [--files 1] [--data benchmarks/data] [--results benchmarks/results]
//   [--timeout 1800] [--time-v] [--keep-output] [--cluster N]
//
// --cluster N runs Kindling on a master and N workers started on this machine, each with
// threads/N cores (at least 1), instead of local[threads]; the report says so in its name.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BenchCluster, startBenchCluster } from "./cluster.js";
import { openDuckDB, toNumber } from "./duckdb.js";
import { type DataFormat, datasetDir, generateTrips, type TripsDataset } from "./generate.js";
import type { Engine } from "./job.js";
import { type Measurement, type RunSample, runJobOnce, summarize } from "./measure.js";
import { type BenchQuery, type QueryIO, selectQueries } from "./queries.js";
import { type BenchResults, compare, type QueryResult, resultsMarkdown, resultsTable } from "./report.js";

// The repository root: the nearest directory above this file with a package.json (works
// from benchmarks/ and from dist/benchmarks/).
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function ioFor(ds: TripsDataset, outBase: string, engine: Engine, q: BenchQuery): QueryIO {
  return {
    tripsParquet: join(ds.dir, "parquet", "*.parquet"),
    tripsCsv: join(ds.dir, "csv", "*.csv"),
    zonesParquet: ds.zonesParquet,
    zonesCsv: ds.zonesCsv,
    out: join(outBase, `${engine}-${q.name}`),
  };
}

async function environment(root: string): Promise<Record<string, string | number>> {
  const env: Record<string, string | number> = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  try {
    const pkg = JSON.parse(await readFile(join(root, "node_modules/@duckdb/node-api/package.json"), "utf8"));
    env.duckdbNodeApi = pkg.version;
  } catch {}
  try {
    env.commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      encoding: "utf8",
    }).trim();
  } catch {}
  return env;
}

/** Compares the engines' results and output fingerprints for one query. */
async function checkQuery(
  q: BenchQuery,
  ms: readonly Measurement[],
  ios: ReadonlyMap<Engine, QueryIO>,
): Promise<{ check?: string; fingerprints?: Record<string, (number | null)[]> }> {
  const done = ms.filter((m) => m.samples.length > 0 && m.samples.at(-1)!.ok);
  if (done.length === 0) return {};
  const problems: string[] = [];
  const results = new Set(done.map((m) => String(m.result)));
  if (results.size > 1)
    problems.push(`results differ: ${done.map((m) => `${m.engine} ${m.result}`).join(", ")}`);
  let fingerprints: Record<string, (number | null)[]> | undefined;
  if (q.check) {
    fingerprints = {};
    const db = await openDuckDB();
    try {
      for (const m of done) {
        try {
          const rows = await db.rows(q.check(ios.get(m.engine)!));
          fingerprints[m.engine] = (rows[0] ?? []).map(toNumber);
        } catch (err) {
          problems.push(`${m.engine} output unreadable: ${err instanceof Error ? err.message : err}`);
        }
      }
    } finally {
      db.close();
    }
    const prints = Object.values(fingerprints);
    const close = (a: number | null, b: number | null): boolean =>
      a === b ||
      (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
    if (
      prints.length > 1 &&
      !prints.every((p) => p.length === prints[0]!.length && p.every((v, i) => close(v, prints[0]![i]!)))
    ) {
      problems.push(`outputs differ: ${JSON.stringify(fingerprints)}`);
    }
  }
  if (done.length < 2) return { check: problems.length ? problems.join("; ") : "-", fingerprints };
  return { check: problems.length ? `MISMATCH: ${problems.join("; ")}` : "ok", fingerprints };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "1000000" },
      seed: { type: "string", default: "42" },
      threads: { type: "string", default: "2" },
      runs: { type: "string", default: "3" },
      files: { type: "string", default: "1" },
      queries: { type: "string" },
      engines: { type: "string", default: "kindling,duckdb" },
      data: { type: "string", default: "benchmarks/data" },
      results: { type: "string", default: "benchmarks/results" },
      timeout: { type: "string", default: "1800" },
      "time-v": { type: "boolean", default: false },
      "keep-output": { type: "boolean", default: false },
      cluster: { type: "string", default: "0" },
    },
  });
  const root = repoRoot();
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  const threads = Number(values.threads);
  const runs = Number(values.runs);
  const files = Number(values.files);
  const workers = Number(values.cluster);
  if (!Number.isInteger(workers) || workers < 0)
    throw new Error(`--cluster takes a worker count, got ${values.cluster}`);
  const queries = selectQueries(values.queries);
  const engines = values.engines.split(",").map((e) => e.trim()) as Engine[];
  for (const e of engines) if (e !== "kindling" && e !== "duckdb") throw new Error(`unknown engine "${e}"`);
  const dataBase = resolve(root, values.data);
  const outBase = join(dataBase, "out");
  const startedAt = new Date().toISOString();

  const formats = [...new Set(queries.map((q) => q.input))] as DataFormat[];
  const ds = await generateTrips({
    rows,
    seed,
    files,
    formats,
    outDir: datasetDir(dataBase, rows, seed, files),
    log: (m) => console.log(`[data] ${m}`),
  });

  let cluster: BenchCluster | undefined;
  if (workers > 0 && engines.includes("kindling")) {
    const cores = Math.max(1, Math.floor(threads / workers));
    cluster = await startBenchCluster(workers, cores);
    console.log(`[cluster] master ${cluster.master}, ${workers} workers x ${cores} cores`);
  }
  const results: QueryResult[] = [];
  try {
    for (const q of queries) {
      const ios = new Map(engines.map((e) => [e, ioFor(ds, outBase, e, q)] as const));
      const samples = new Map<Engine, RunSample[]>(engines.map((e) => [e, []]));
      // Engines alternate run by run so drift (page cache, thermal) does not favour one.
      for (let run = 1; run <= runs; run++) {
        for (const engine of engines) {
          const io = ios.get(engine)!;
          await rm(io.out, { recursive: true, force: true });
          await mkdir(dirname(io.out), { recursive: true });
          if (engine === "duckdb") await mkdir(io.out, { recursive: true });
          const s = await runJobOnce({
            engine,
            query: q.id,
            threads,
            io,
            timeoutMs: Number(values.timeout) * 1000,
            timeV: values["time-v"],
            ...(cluster && engine === "kindling" ? { env: cluster.env as Record<string, string> } : {}),
          });
          samples.get(engine)!.push(s);
          const rss = s.maxRssKiB === undefined ? "" : `, ${(s.maxRssKiB / 1024).toFixed(0)} MiB`;
          const what = s.ok
            ? `${(s.wallMs / 1000).toFixed(2)} s${rss}, result ${s.result}`
            : `FAILED: ${s.error?.split("\n")[0]}`;
          console.log(`[${q.id} ${q.name}] ${engine} run ${run}/${runs}: ${what}`);
        }
      }
      const ms = engines.map((e) => summarize(e, q.id, samples.get(e)!));
      const checked = await checkQuery(q, ms, ios);
      results.push({
        id: q.id,
        name: q.name,
        title: q.title,
        measurements: ms,
        ...compare(q, ms),
        ...checked,
      });
      if (!values["keep-output"])
        for (const io of ios.values()) await rm(io.out, { recursive: true, force: true });
    }
  } finally {
    await cluster?.stop();
  }

  const res: BenchResults = {
    startedAt,
    params: { rows, seed, threads, runs, files, engines, ...(workers > 0 ? { cluster: workers } : {}) },
    environment: await environment(root),
    queries: results,
  };
  console.log(`\n${resultsTable(results, queries)}\n`);
  const resultsDir = resolve(root, values.results);
  await mkdir(resultsDir, { recursive: true });
  const base = join(
    resultsDir,
    `${startedAt.slice(0, 10)}-${rows}${workers > 0 ? `-cluster${workers}` : ""}`,
  );
  await writeFile(`${base}.json`, `${JSON.stringify(res, null, 2)}\n`);
  await writeFile(`${base}.md`, resultsMarkdown(res, queries));
  console.log(`wrote ${base}.md and ${base}.json`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
