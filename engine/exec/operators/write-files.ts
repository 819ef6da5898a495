// WriteFilesExec: streams a task's rows into files under its attempt directory, one file per
// output partition directory (`key=value/...`). The committer later moves them into place.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { getString } from "../../columnar/builders.js";
import type { Batch, Column } from "../../columnar/column.js";
import { i64Halves, readI64 } from "../../columnar/column.js";
import { takeBatch } from "../../columnar/ops.js";
import type { LiteralValue } from "../../expr/expr.js";
import { writeCsv } from "../../io/csv/write.js";
import { ParquetFileWriter } from "../../io/parquet/write.js";
import { formatPartitionValue, partitionDirName } from "../../io/partition-path.js";
import type { PhysicalPlan, WriteFilesExec } from "../../plan/physical.js";
import type { Schema } from "../../types/data-type.js";
import { checkCancelled, type ExecContext } from "../context.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

interface Sink {
  write(b: Batch): void;
  close(): Promise<{ rows: number; bytes: number }>;
}

export async function* executeWriteFiles(p: WriteFilesExec, partition: number, ctx: ExecContext, run: Run) {
  const inSchema = p.input.schema;
  const partSet = new Set(p.partitionBy);
  const dataIdx = inSchema.fields.map((_, i) => i).filter((i) => !partSet.has(i));
  const dataSchema: Schema = { fields: dataIdx.map((i) => inSchema.fields[i]!) };
  const codec = (p.options.compression ?? (p.format === "parquet" ? "snappy" : "none")).toLowerCase();
  const ext =
    p.format === "parquet"
      ? `${codec === "none" || codec === "uncompressed" ? "" : `${codec}.`}parquet`
      : `csv${codec === "gzip" ? ".gz" : ""}`;
  const fileName = `part-${String(partition).padStart(5, "0")}-${ctx.task.jobId}.c000.${ext}`;
  const sinks = new Map<string, { sink: Sink; rel: string }>();

  const open = (dir: string): Sink => {
    const rel = dir ? `${dir}/${fileName}` : fileName;
    const abs = join(ctx.attemptDir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    const sink: Sink =
      p.format === "parquet"
        ? ParquetFileWriter.open(abs, dataSchema, { compression: codec })
        : csvSink(abs, dataSchema, p.options);
    sinks.set(dir, { sink, rel });
    return sink;
  };
  const sinkFor = (dir: string) => sinks.get(dir)?.sink ?? open(dir);
  const project = (b: Batch): Batch => ({
    schema: dataSchema,
    columns: dataIdx.map((i) => b.columns[i]!),
    numRows: b.numRows,
  });

  for await (const b of run(p.input, partition, ctx)) {
    checkCancelled(ctx);
    if (p.partitionBy.length === 0) {
      sinkFor("").write(project(b));
      continue;
    }
    for (const [dir, rows] of groupByPartition(b, p.partitionBy, ctx.compile.timeZone)) {
      sinkFor(dir).write(project(rows === null ? b : takeBatch(b, rows)));
    }
  }
  // A task with no rows and no partitioning still writes one (empty) file, as Spark does for
  // the first task, so that the output carries its schema.
  if (sinks.size === 0 && p.partitionBy.length === 0 && partition === 0) open("");
  for (const { sink, rel } of sinks.values()) {
    const { rows, bytes } = await sink.close();
    ctx.written.push({ path: rel, rows, bytes });
  }
}

/** Splits a batch by the values of its partition columns: directory → row indices (null: all rows). */
function groupByPartition(
  b: Batch,
  partCols: readonly number[],
  timeZone: string,
): Map<string, Int32Array | null> {
  const n = b.numRows;
  const codes = new Int32Array(n);
  const dirs: string[] = [];
  const keyToCode = new Map<string, number>();
  const perCol = partCols.map((c) => columnKeys(b.columns[c]!, timeZone));
  const names = partCols.map((c) => b.schema.fields[c]!.name);
  for (let i = 0; i < n; i++) {
    let key = "";
    for (const k of perCol) key += `${k.codes[i]},`;
    let code = keyToCode.get(key);
    if (code === undefined) {
      code = dirs.length;
      keyToCode.set(key, code);
      dirs.push(
        partitionDirName(
          names,
          perCol.map((k) => k.labels[k.codes[i]!]!),
        ),
      );
    }
    codes[i] = code;
  }
  const out = new Map<string, Int32Array | null>();
  if (dirs.length === 1) {
    out.set(dirs[0]!, null);
    return out;
  }
  const counts = new Int32Array(dirs.length);
  for (let i = 0; i < n; i++) counts[codes[i]!]!++;
  const lists = dirs.map((_, d) => new Int32Array(counts[d]!));
  const fill = new Int32Array(dirs.length);
  for (let i = 0; i < n; i++) {
    const d = codes[i]!;
    lists[d]![fill[d]!++] = i;
  }
  for (let d = 0; d < dirs.length; d++) out.set(dirs[d]!, lists[d]!);
  return out;
}

/** Dictionary-encodes one partition column: a code per row and the formatted value per code. */
function columnKeys(c: Column, timeZone: string): { codes: Int32Array; labels: (string | null)[] } {
  const n = c.length;
  const codes = new Int32Array(n);
  const labels: (string | null)[] = [];
  const seen = new Map<unknown, number>();
  const h =
    c.type.kind === "int64" || c.type.kind === "timestamp" ? i64Halves(c.values as BigInt64Array) : null;
  for (let i = 0; i < n; i++) {
    let v: LiteralValue;
    if (c.valid !== null && c.valid[i] === 0) v = null;
    else if (c.type.kind === "string") v = getString(c, i);
    else if (h) v = readI64(h, i);
    else if (c.type.kind === "boolean") v = c.values![i] === 1;
    else v = c.values![i] as number;
    let code = seen.get(v);
    if (code === undefined) {
      code = labels.length;
      seen.set(v, code);
      const lit = v === null ? null : h ? BigInt(v as number) : v;
      labels.push(lit === null ? null : formatPartitionValue(c.type, lit, timeZone));
    }
    codes[i] = code;
  }
  return { codes, labels };
}

/** CSV has no streaming writer: rows are buffered per file and written at close. */
function csvSink(path: string, schema: Schema, options: Readonly<Record<string, string>>): Sink {
  const batches: Batch[] = [];
  return {
    write: (b) => void batches.push(b),
    close: () => writeCsv(batches, path, schema, options),
  };
}
