// The Kindling side of the benchmarks: starts a session with N local threads, runs one
// benchmark query's DataFrame job and stops the session. Loads the engine (../index.js)
// dynamically, so the rest of the benchmark code runs even while the engine does not.
import type { BenchQuery, Kindling, QueryIO } from "./queries.js";

/** Runs one query on Kindling with `local[threads]`; resolves to the query's headline number. */
export async function runKindlingQuery(
  query: BenchQuery,
  io: QueryIO,
  threads: number,
): Promise<number | null> {
  const k: Kindling = await import("../index.js");
  const spark = await k.Session.builder()
    .appName(`bench-${query.name}`)
    .master(`local[${threads}]`)
    .getOrCreate();
  try {
    return await query.kindling(k, spark, io);
  } finally {
    await spark.stop();
  }
}
