// ScanExec: reads one split, appends Hive partition columns as constants, applies pushed filters.
// The pushed predicates are ANDed into one mask over the batch as read, and the batch (which
// only the scan holds) is compacted in place: no copy of the surviving rows.
import type { Batch, Column } from "../../columnar/column.js";
import { compactBatchInPlace } from "../../columnar/compact.js";
import { constantColumn } from "../../columnar/ops.js";
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
    let mask: Uint8Array | null = null;
    for (const pred of predicates) {
      const m = pred(batch);
      if (m === null) continue;
      // A kernel may reuse its mask buffer: copy it when another predicate follows.
      if (mask === null) mask = predicates.length === 1 ? m : m.slice(0, batch.numRows);
      else for (let i = 0; i < batch.numRows; i++) if (m[i] === 0) mask[i] = 0;
    }
    if (mask !== null) batch = compactBatchInPlace(batch, mask);
    if (batch.numRows > 0) yield batch;
  }
}
