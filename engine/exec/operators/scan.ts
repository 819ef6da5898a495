// ScanExec: reads one split, appends Hive partition columns as constants, applies pushed filters.
import type { Batch, Column } from "../../columnar/column.js";
import { constantColumn, filterBatch } from "../../columnar/ops.js";
import { compilePredicate } from "../../expr/compile.js";
import { formatReader } from "../../io/formats.js";
import type { ScanExec } from "../../plan/physical.js";
import { checkCancelled, type ExecContext } from "../context.js";

export async function* executeScan(p: ScanExec, partition: number, ctx: ExecContext): AsyncGenerator<Batch> {
  const split = p.splits[partition];
  if (!split) return; // a scan over no files has one empty partition
  const { source } = p;
  const nData = source.dataSchema.fields.length;
  const file = source.files[split.file]!;
  // Data columns to read, in the order the reader returns them.
  const dataCols = p.columns.filter((c) => c < nData);
  const dataPos = new Map(dataCols.map((c, i) => [c, i]));
  const predicates = p.filters.map((f) => compilePredicate(f, ctx.compile));
  const reader = formatReader(source.format);
  const batches = reader.read({
    source,
    split,
    columns: dataCols,
    filters: [],
    batchSize: ctx.task.batchSize,
  });
  for await (const raw of batches) {
    checkCancelled(ctx);
    const columns: Column[] = p.columns.map((c, i) =>
      c < nData
        ? raw.columns[dataPos.get(c)!]!
        : constantColumn(p.schema.fields[i]!.type, file.partitionValues[c - nData] ?? null, raw.numRows),
    );
    let batch: Batch = { schema: p.schema, columns, numRows: raw.numRows };
    for (const pred of predicates) {
      const mask = pred(batch);
      if (mask !== null) batch = filterBatch(batch, mask);
    }
    if (batch.numRows > 0) yield batch;
  }
}
