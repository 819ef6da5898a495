// A small runner for query-test files (test/queries/*.kq), in the spirit of DataFusion's
// sqllogictest: each case is a DataFrame expression and the rows it must return.
//
//   # a comment
//   table trips = csv data/trips.csv header=true inferSchema=true
//   table people = json [{"name": "ann", "age": 31}, {"name": "bob", "age": null}]
//   table typed = ddl "id INT, name STRING" [[1, "a"], [2, null]]
//
//   query rowsort               -- or: query ordered  |  query error
//   t.trips.where(col("fare").gt(10)).select("vendor", "fare")
//   ----
//   1 | 12.5
//   2 | NULL
//
// The expression is JavaScript with `t` (the tables), `spark`, `col`, `lit`, `F`, `Window` in scope.
// Cells are compared as Spark's string cast of each value (`NULL` for null), joined by " | ".
// `query error` expects the text after ---- to occur in the error message.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatValue } from "../engine/api/show.js";
import { concatBatches } from "../engine/columnar/ops.js";
import { col, type DataFrame, F, lit, Session, Window } from "../index.js";

export interface QueryCase {
  readonly file: string;
  readonly line: number;
  readonly mode: "rowsort" | "ordered" | "error";
  readonly query: string;
  readonly expected: string[];
}

export interface TableDef {
  readonly name: string;
  readonly kind: "csv" | "parquet" | "json" | "ddl";
  readonly arg: string;
}

export interface QueryFile {
  readonly tables: TableDef[];
  readonly cases: QueryCase[];
}

/** Parses a .kq file. */
export function parseQueryFile(path: string): QueryFile {
  const lines = readFileSync(path, "utf8").split("\n");
  const tables: TableDef[] = [];
  const cases: QueryCase[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) {
      i++;
      continue;
    }
    const t = /^table\s+(\w+)\s*=\s*(csv|parquet|json|ddl)\s+(.*)$/.exec(line);
    if (t) {
      tables.push({ name: t[1]!, kind: t[2] as TableDef["kind"], arg: t[3]! });
      i++;
      continue;
    }
    const q = /^query\s+(rowsort|ordered|error)$/.exec(line);
    if (!q)
      throw new Error(
        `${path}:${i + 1}: expected "table ..." or "query rowsort|ordered|error", got: ${line}`,
      );
    const start = i + 1;
    i++;
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "----") body.push(lines[i++]!);
    if (i >= lines.length) throw new Error(`${path}:${start}: query without ---- separator`);
    i++;
    const expected: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "") expected.push(lines[i++]!.trim());
    cases.push({
      file: path,
      line: start,
      mode: q[1] as QueryCase["mode"],
      query: body.join("\n"),
      expected,
    });
  }
  return { tables, cases };
}

/** Builds the tables of a file. */
export function loadTables(
  spark: Session,
  file: string,
  defs: readonly TableDef[],
): Record<string, DataFrame> {
  const out: Record<string, DataFrame> = {};
  for (const d of defs) {
    if (d.kind === "json") {
      out[d.name] = spark.createDataFrame(JSON.parse(d.arg) as Record<string, unknown>[]);
    } else if (d.kind === "ddl") {
      const m = /^"([^"]*)"\s+(.*)$/.exec(d.arg);
      if (!m) throw new Error(`${file}: table ${d.name}: expected ddl "<schema>" [[...rows]]`);
      out[d.name] = spark.createDataFrame(JSON.parse(m[2]!) as unknown[][], m[1]!);
    } else {
      const [path, ...opts] = d.arg.split(/\s+/);
      let reader = spark.read;
      for (const o of opts) {
        const [k, v] = o.split("=");
        reader = reader.option(k!, v!);
      }
      const abs = resolve(dirname(file), path!);
      out[d.name] = d.kind === "csv" ? reader.csv(abs) : reader.parquet(abs);
    }
  }
  return out;
}

/** Evaluates a case's expression to a DataFrame. */
export function evalQuery(spark: Session, tables: Record<string, DataFrame>, query: string): DataFrame {
  const fn = new Function("t", "spark", "col", "lit", "F", "Window", `"use strict"; return (${query});`);
  return fn(tables, spark, col, lit, F, Window) as DataFrame;
}

/** The rows of a DataFrame as " | "-joined Spark strings. */
export async function renderRows(df: DataFrame, timeZone = "UTC"): Promise<string[]> {
  const batches = await df.session.runCollect(df.plan);
  const all = concatBatches(df.schema, batches);
  const rows: string[] = [];
  for (let r = 0; r < all.numRows; r++) {
    rows.push(
      all.columns
        .map((c, j) =>
          (c.valid !== null && c.valid[r] === 0) || c.type.kind === "null"
            ? "NULL"
            : formatValue(df.schema.fields[j]!.type, c, r, timeZone),
        )
        .join(" | "),
    );
  }
  return rows;
}

export { Session };
