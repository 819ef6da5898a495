// The DuckDB side of the benchmarks: opening an in-process DuckDB (@duckdb/node-api, a
// devDependency) with a fixed thread count, and running one benchmark query's SQL as a job.
// Used by the job child process (timed), the generator (CSV to Parquet) and the runner's
// output checks (untimed).
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { BenchQuery, QueryIO } from "./queries.js";

export { duckdbColumns, sqlString } from "./queries.js";

/** An open DuckDB connection and a way to close it. */
export interface DuckDB {
  readonly conn: DuckDBConnection;
  /** Runs SQL and returns its rows as plain JS values (BigInt for BIGINT, numbers for DOUBLE). */
  rows(sql: string): Promise<unknown[][]>;
  close(): void;
}

/** Opens an in-memory DuckDB; `threads` sets DuckDB's `threads` (default: all cores). */
export async function openDuckDB(threads?: number): Promise<DuckDB> {
  const options: Record<string, string> = {};
  if (threads !== undefined) options.threads = String(threads);
  const instance = await DuckDBInstance.create(":memory:", options);
  const conn = await instance.connect();
  return {
    conn,
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowsJS() as unknown[][];
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Converts a JS value that DuckDB returned (BigInt, number, null) to a number for reports. */
export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return v;
  return Number(v);
}

/**
 * Runs one query on DuckDB with `threads` threads, as the job child does. Each statement of the
 * query's SQL runs in order; the result is the first column of the last statement's first row
 * (a count, or the row count a COPY reports).
 */
export async function runDuckDBQuery(
  query: BenchQuery,
  io: QueryIO,
  threads: number,
): Promise<number | null> {
  const db = await openDuckDB(threads);
  try {
    let last: unknown[][] = [];
    for (const sql of query.duckdb(io)) last = await db.rows(sql);
    return toNumber(last[0]?.[0]);
  } finally {
    db.close();
  }
}
