// Test helpers for the text readers: temp files, sources, and reading splits into plain rows.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { getString } from "../../engine/columnar/builders.js";
import { type Batch, type Column, i64Halves, i64IsSafe, readI64 } from "../../engine/columnar/column.js";
import { decimalText } from "../../engine/io/csv/write-format.js";
import type { FileSource, FormatReader, SourceFile } from "../../engine/io/source.js";
import type { Schema } from "../../engine/types/data-type.js";

/** A fresh temp directory; call `rm` to remove it. */
export function tempDir(): {
  dir: string;
  rm: () => void;
  file: (name: string, content: string | Uint8Array) => SourceFile;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindling-text-"));
  return {
    dir,
    rm: () => fs.rmSync(dir, { recursive: true, force: true }),
    file: (name, content) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return { path: p, size: fs.statSync(p).size, partitionValues: [] };
    },
  };
}

/** A FileSource over `files`, with the schema inferred by `reader` unless given. */
export function sourceOf(
  reader: FormatReader,
  files: SourceFile[],
  options: Record<string, string> = {},
  schema?: Schema,
): FileSource {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) lower[k.toLowerCase()] = v;
  return {
    format: reader.format,
    rootPaths: files.map((f) => f.path),
    files,
    dataSchema: schema ?? reader.inferSchema(files, lower),
    partitionSchema: { fields: [] },
    options: lower,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A JS value of row i: numbers, bigints beyond 2^53, strings, ISO-ish dates and timestamps. */
export function cell(c: Column, i: number): unknown {
  if (c.type.kind === "null" || (c.valid !== null && c.valid[i] === 0)) return null;
  switch (c.type.kind) {
    case "boolean":
      return (c.values as Uint8Array)[i] === 1;
    case "int32":
    case "float64":
      return (c.values as Int32Array | Float64Array)[i];
    case "int64": {
      const h = i64Halves(c.values as BigInt64Array);
      return i64IsSafe(h, i) ? readI64(h, i) : (c.values as BigInt64Array)[i];
    }
    case "date":
      return new Date((c.values as Int32Array)[i]! * 86400000).toISOString().slice(0, 10);
    case "timestamp": {
      const us = (c.values as BigInt64Array)[i]!;
      const ms = Number(us / 1000n) - (us % 1000n < 0n ? 1 : 0);
      const micros = Number(((us % 1000000n) + 1000000n) % 1000000n);
      const d = new Date(ms);
      const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      return micros === 0 ? base : `${base}.${pad(micros, 6)}`;
    }
    case "decimal":
      return decimalText(c.values as BigInt64Array, i, c.type.scale);
    case "string":
      return getString(c, i);
    case "list": {
      const o = c.offsets!;
      const out: unknown[] = [];
      for (let k = o[i]!; k < o[i + 1]!; k++) out.push(cell(c.child!, k));
      return out;
    }
  }
}

/** Rows of batches as arrays of values. */
export function rowsOf(batches: readonly Batch[]): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((c) => cell(c, i)));
  }
  return out;
}

/** Reads every split of a source (all columns unless given) and returns the batches. */
export async function readBatches(
  reader: FormatReader,
  source: FileSource,
  opts: { targetBytes?: number; columns?: number[]; batchSize?: number } = {},
): Promise<Batch[]> {
  const splits = await reader.planSplits(source, [], opts.targetBytes ?? 128 * 1024 * 1024);
  const columns = opts.columns ?? source.dataSchema.fields.map((_, i) => i);
  const out: Batch[] = [];
  for (const split of splits) {
    for await (const b of reader.read({
      source,
      split,
      columns,
      filters: [],
      batchSize: opts.batchSize ?? 65536,
    })) {
      out.push(b);
    }
  }
  return out;
}

/** Reads every split of a source into rows. */
export async function readRows(
  reader: FormatReader,
  source: FileSource,
  opts: { targetBytes?: number; columns?: number[]; batchSize?: number } = {},
): Promise<unknown[][]> {
  return rowsOf(await readBatches(reader, source, opts));
}

/** The schema as `name:type` strings, for compact assertions. */
export function schemaText(s: Schema): string[] {
  return s.fields.map((f) => `${f.name}:${typeNameOf(f.type)}`);
}

function typeNameOf(t: Schema["fields"][number]["type"]): string {
  switch (t.kind) {
    case "timestamp":
      return t.tz === null ? "timestamp_ntz" : "timestamp";
    case "decimal":
      return `decimal(${t.precision},${t.scale})`;
    case "list":
      return `array<${typeNameOf(t.element)}>`;
    default:
      return t.kind;
  }
}
