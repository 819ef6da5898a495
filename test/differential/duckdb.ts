// The DuckDB oracle for differential tests: runs SQL and returns rows as plain values
// normalised the same way as Kindling's collect() output.
import { DuckDBInstance } from "@duckdb/node-api";

export type Row = Record<string, unknown>;

export class Oracle {
  private constructor(private readonly conn: Awaited<ReturnType<DuckDBInstance["connect"]>>) {}

  static async open(): Promise<Oracle> {
    const db = await DuckDBInstance.create(":memory:", { threads: "2" });
    return new Oracle(await db.connect());
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  async rows(sql: string): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) => normaliseRow(r as Row));
  }

  close(): void {
    this.conn.closeSync();
  }
}

/** Makes DuckDB's JS values comparable with Kindling's collect(): bigint → number, dates → ISO strings. */
export function normaliseRow(r: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) out[k] = normaliseValue(v);
  return out;
}

export function normaliseValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

/** Sorts rows by their JSON text so that unordered results compare. */
export function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Deep comparison with a relative tolerance for doubles; returns a description of the first difference. */
export function diffRows(actual: Row[], expected: Row[], eps = 1e-9): string | null {
  if (actual.length !== expected.length) return `row count ${actual.length} != ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const keys = Object.keys(e);
    if (Object.keys(a).join(",") !== keys.join(","))
      return `row ${i}: columns [${Object.keys(a)}] != [${keys}]`;
    for (const k of keys) {
      const x = a[k];
      const y = e[k];
      if (typeof x === "number" && typeof y === "number") {
        if (Number.isNaN(x) && Number.isNaN(y)) continue;
        if (Math.abs(x - y) <= eps * Math.max(1, Math.abs(x), Math.abs(y))) continue;
      } else if (x === y) continue;
      return `row ${i} column ${k}: ${JSON.stringify(x)} != ${JSON.stringify(y)}\n  actual: ${JSON.stringify(a)}\n  expected: ${JSON.stringify(e)}`;
    }
  }
  return null;
}
