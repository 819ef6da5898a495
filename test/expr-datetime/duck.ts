// A DuckDB connection for differential tests (DuckDB is the oracle where its semantics agree
// with Spark's).
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

let conn: Promise<DuckDBConnection> | null = null;

/** A shared in-memory DuckDB connection. */
export function duck(): Promise<DuckDBConnection> {
  conn ??= DuckDBInstance.create(":memory:").then((db) => db.connect());
  return conn;
}

/** Runs a query and returns its rows as JSON-ish objects (values as strings, NULL as null). */
export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const c = await duck();
  const r = await c.runAndReadAll(sql);
  return r.getRowObjectsJson() as Record<string, unknown>[];
}
