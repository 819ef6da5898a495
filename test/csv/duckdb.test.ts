// Kindling's CSV reader against DuckDB on generated files where their semantics agree:
// explicit column types, RFC 4180 quoting, no empty quoted strings (Spark reads "" as null,
// DuckDB as an empty string) and timestamps with a zone or read as wall-clock time.
import * as zlib from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvReader } from "../../engine/io/csv/index.js";
import { readRows, sourceOf, tempDir } from "./helpers.js";

const t = tempDir();
let conn: Awaited<ReturnType<DuckDBInstance["connect"]>>;
beforeAll(async () => {
  const db = await DuckDBInstance.create(":memory:");
  conn = await db.connect();
});
afterAll(() => {
  conn?.closeSync();
  t.rm();
});

/** A deterministic pseudo-random generator (so failures reproduce). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function generate(rows: number, seed: number, eol: string): string {
  const r = rng(seed);
  const words = ["alpha", "beta, gamma", 'quote "q"', "multi\nline", "ünïcode ✓", "tab\there", "x"];
  const lines = ["id,big,amount,label,flag,day,at"];
  for (let i = 0; i < rows; i++) {
    const big = Math.floor((r() - 0.5) * 2 ** 62);
    const amount =
      r() < 0.1
        ? ""
        : r() < 0.3
          ? `${((r() - 0.5) * 1e6).toExponential(r() * 10)}`
          : `${((r() - 0.5) * 1e4).toFixed(Math.floor(r() * 6))}`;
    const w = words[Math.floor(r() * words.length)]!;
    const label = r() < 0.1 ? "" : /[,"\n\t]/.test(w) ? `"${w.replaceAll('"', '""')}"` : w;
    const flag = r() < 0.1 ? "" : r() < 0.5 ? "true" : "false";
    const day =
      r() < 0.1
        ? ""
        : new Date(Date.UTC(1900 + Math.floor(r() * 200), Math.floor(r() * 12), 1 + Math.floor(r() * 28)))
            .toISOString()
            .slice(0, 10);
    const ms = Math.floor((r() - 0.3) * 4e12);
    const at = r() < 0.1 ? "" : new Date(ms).toISOString().replace("T", r() < 0.5 ? "T" : " ");
    lines.push([i, BigInt(big) * 3n, amount, label, flag, day, at].join(","));
  }
  return lines.join(eol) + eol;
}

const DDL = "id INT, big BIGINT, amount DOUBLE, label STRING, flag BOOLEAN, day DATE, at TIMESTAMP";

async function duck(path: string): Promise<unknown[][]> {
  const sql = `SELECT id, big, amount, label, flag, strftime(day, '%Y-%m-%d') AS day,
      CAST(epoch_us("at") AS VARCHAR) AS at_us
    FROM read_csv('${path}', header = true, quote = '"', escape = '"',
      columns = {'id': 'INTEGER', 'big': 'BIGINT', 'amount': 'DOUBLE', 'label': 'VARCHAR',
                 'flag': 'BOOLEAN', 'day': 'DATE', 'at': 'TIMESTAMP'})
    ORDER BY id`;
  const res = await conn.runAndReadAll(sql);
  return res.getRowsJS().map((row) =>
    row.map((v, k) => {
      if (typeof v === "bigint") return k === 1 && (v > 2n ** 53n || v < -(2n ** 53n)) ? v : Number(v);
      return v ?? null;
    }),
  );
}

async function kindling(path: string, size: number, targetBytes?: number): Promise<unknown[][]> {
  const src = sourceOf(csvReader, [{ path, size, partitionValues: [] }], { header: "true", schema: DDL });
  const rows = await readRows(csvReader, src, { targetBytes });
  return rows.map((r) => {
    const at = r[6] === null ? null : String(toMicros(r[6] as string));
    return [...r.slice(0, 6), at];
  });
}

function toMicros(s: string): bigint {
  const [date, frac = ""] = s.split(".");
  const ms = Date.parse(`${date!.replace(" ", "T")}Z`);
  return BigInt(ms) * 1000n + BigInt(frac.padEnd(6, "0") || "0");
}

describe("CSV reader vs DuckDB", () => {
  it("agrees on a generated file", async () => {
    const f = t.file("gen.csv", generate(3000, 7, "\n"));
    const expected = await duck(f.path);
    expect(expected.length).toBe(3000);
    expect(await kindling(f.path, f.size)).toEqual(expected);
  });

  it("agrees on a gzip file", async () => {
    const f = t.file("gen.csv.gz", zlib.gzipSync(generate(1000, 11, "\r\n")));
    expect(await kindling(f.path, f.size)).toEqual(await duck(f.path));
  });
});
