// Reading one Parquet split. Row groups whose requested columns are flat primitives in the
// common codecs and encodings are decoded in JS straight into Kindling columns (read-js.ts);
// the others stream through parquet-wasm with only the requested columns decoded, each wasm
// RecordBatch crossing to Arrow JS as IPC bytes and becoming a Kindling Batch in the
// dataset's types.
import { openAsBlob } from "node:fs";
import * as arrow from "apache-arrow";
import type { FileMetaData } from "hyparquet";
import type { ParquetFile, RecordBatch as WasmRecordBatch } from "parquet-wasm";
import { columnFromArrow } from "../../columnar/arrow.js";
import { type Batch, batchOf, type Column, nullColumn } from "../../columnar/column.js";
import { DataError } from "../../errors.js";
import type { Field, Schema } from "../../types/data-type.js";
import type { ReadRequest } from "../source.js";
import { binaryAsUtf8, conformColumn } from "./conform.js";
import { corrupt, readMetadata } from "./metadata.js";
import { JsChunkReader, jsReadableGroup } from "./read-js.js";
import { type ParquetColumn, unsupportedReason } from "./schema.js";
import { keptRowGroups, matchColumns } from "./splits.js";
import { noteTrap, parquetWasm, parquetWasmPoisoned, trapGuard } from "./wasm.js";

/** Streams the batches of one Parquet split with exactly the requested columns, in order. */
export async function* readParquetSplit(req: ReadRequest): AsyncGenerator<Batch> {
  const { source, split } = req;
  const path = source.files[split.file]!.path;
  const meta = await readMetadata(path);
  const matched = matchColumns(source, split.file, meta);
  const fields = req.columns.map((i) => source.dataSchema.fields[i]!);
  const schema: Schema = { fields };
  const cols = req.columns.map((i) => matched[i]);
  for (let k = 0; k < fields.length; k++) checkReadable(fields[k]!, cols[k], path);
  for (const rg of split.rowGroups) {
    if (!Number.isInteger(rg) || rg < 0 || rg >= meta.row_groups.length) {
      throw new DataError(`Parquet file ${path} has no row group ${rg} (was it rewritten after planning?)`);
    }
  }
  // Usually planning pruned already; this keeps a split planned without the filters honest too.
  const rowGroups = keptRowGroups(source, meta, matched, req.filters, split.rowGroups);
  if (rowGroups.length === 0) return;
  const batchSize = Math.max(1, req.batchSize | 0);
  const names = [
    ...new Set(cols.filter((c): c is ParquetColumn => c !== undefined).map((c) => c.field.name)),
  ];
  if (names.length === 0) {
    yield* withoutDecoding(meta, rowGroups, schema, batchSize);
    return;
  }
  const expected = rowGroups.reduce((n, rg) => n + Number(meta.row_groups[rg]!.num_rows), 0);
  let seen = 0;
  // Distinct file columns to decode, and where each requested field finds its column.
  const present = [
    ...new Map(
      cols.filter((c): c is ParquetColumn => c !== undefined).map((c) => [c.field.name, c]),
    ).values(),
  ];
  const slot = cols.map((c) => (c ? present.findIndex((p) => p.field.name === c.field.name) : -1));
  const hinted = meta.key_value_metadata?.some((e) => e.key === "ARROW:schema") === true;
  let js: JsChunkReader | null = null;
  try {
    for (let i = 0; i < rowGroups.length; ) {
      const rg = rowGroups[i]!;
      if (jsReadableGroup(meta, rg, present, hinted)) {
        // The JS decoder: column chunks read and decoded straight into Kindling columns.
        i++;
        const rows = Number(meta.row_groups[rg]!.num_rows);
        try {
          js ??= new JsChunkReader(path, present);
          js.open(meta, rg);
        } catch (e) {
          throw corrupt(path, e);
        }
        for (let s = 0; s < rows; s += batchSize) {
          const n = Math.min(batchSize, rows - s);
          let decodedCols: Column[];
          try {
            decodedCols = js.read(n);
          } catch (e) {
            throw corrupt(path, e);
          }
          const columns = fields.map((f, k): Column => {
            const at = slot[k]!;
            if (at < 0) return nullColumn(f.type, n);
            return conformColumn(decodedCols[at]!, f, path);
          });
          seen += n;
          yield batchOf(schema, columns, n);
        }
        continue;
      }
      // parquet-wasm for a run of row groups the JS decoder leaves alone.
      const run: number[] = [];
      while (i < rowGroups.length && !jsReadableGroup(meta, rowGroups[i]!, present, hinted))
        run.push(rowGroups[i++]!);
      for await (const table of decode(path, names, run, batchSize)) {
        for (const rb of table.batches) {
          const n = rb.numRows;
          const columns = fields.map((f, k): Column => {
            const c = cols[k];
            if (!c) return nullColumn(f.type, n); // the file lacks this column: nulls (as Spark)
            const child = rb.getChild(c.field.name);
            if (!child)
              throw new DataError(`Parquet file ${path}: decoder returned no column "${c.field.name}"`);
            return conformColumn(decoded(child, f.name, path), f, path);
          });
          seen += n;
          yield batchOf(schema, columns, n);
        }
      }
    }
  } finally {
    js?.close();
  }
  if (seen !== expected) {
    throw new DataError(
      `Parquet file ${path}: read ${seen} rows from row groups that hold ${expected} (corrupt file?)`,
    );
  }
}

/** A decoded Arrow column as a Kindling column; an Arrow type Kindling lacks names the file too. */
function decoded(child: arrow.Vector, name: string, path: string): Column {
  try {
    return columnFromArrow(binaryAsUtf8(child), name);
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`Parquet file ${path}: ${e.message}`);
    throw e;
  }
}

function checkReadable(f: Field, c: ParquetColumn | undefined, path: string): void {
  const why = unsupportedReason(f) ?? (c ? unsupportedReason(c.field) : undefined);
  if (why !== undefined) {
    throw new DataError(
      `column "${f.name}" of Parquet file ${path} has type ${why}, which Kindling cannot read; leave it out of the selection`,
    );
  }
}

/** count(*) and friends: row counts from the footer, nothing decoded. */
function* withoutDecoding(
  meta: FileMetaData,
  rowGroups: readonly number[],
  schema: Schema,
  batchSize: number,
) {
  for (const rg of rowGroups) {
    const rows = Number(meta.row_groups[rg]!.num_rows);
    for (let s = 0; s < rows; s += batchSize) {
      const n = Math.min(batchSize, rows - s);
      yield batchOf(
        schema,
        schema.fields.map((f) => nullColumn(f.type, n)),
        n,
      );
    }
  }
}

/** The decoded Arrow tables (one per wasm RecordBatch) of `rowGroups`, projected to `names`. */
async function* decode(path: string, names: string[], rowGroups: number[], batchSize: number) {
  const pw = parquetWasm();
  const guard = trapGuard();
  // Settles with the guard: a trap inside parquet-wasm rejects instead of hanging.
  const guarded = <T>(p: Promise<T>): Promise<T> => Promise.race([p, guard.tripped]);
  let trapped = false;
  let file: ParquetFile | undefined;
  let reader: ReadableStreamDefaultReader<WasmRecordBatch> | undefined;
  try {
    try {
      file = await guarded(pw.ParquetFile.fromFile(await openAsBlob(path)));
      const stream = (await guarded(
        file.stream({ columns: names, rowGroups, batchSize }),
      )) as ReadableStream<WasmRecordBatch>;
      reader = stream.getReader();
    } catch (e) {
      throw failure(path, e);
    }
    for (;;) {
      let table: arrow.Table;
      try {
        const r = await guarded(reader!.read());
        if (r.done) break;
        table = arrow.tableFromIPC(r.value.intoIPCStream());
      } catch (e) {
        throw failure(path, e);
      }
      yield table;
    }
  } catch (e) {
    trapped = parquetWasmPoisoned();
    throw e;
  } finally {
    guard.close();
    // A trapped instance is left alone: it is replaced on the next use.
    if (!trapped) {
      reader?.cancel().catch(() => {});
      file?.free();
    }
  }
}

function failure(path: string, e: unknown): DataError {
  if (noteTrap(e)) return corrupt(path, new Error(`the Parquet decoder trapped (${(e as Error).message})`));
  return corrupt(path, e);
}
