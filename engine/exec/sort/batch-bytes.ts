// The memory estimate of batches that sorts and top-k account against the task's budget: the
// bytes of their typed arrays (validity, values, offsets, string data, list children).
import type { Batch, Column } from "../../columnar/column.js";

/** The sum of the byteLength of a column's typed arrays (a list includes its child). */
export function columnBytes(c: Column): number {
  let n = (c.valid?.byteLength ?? 0) + (c.values?.byteLength ?? 0);
  n += (c.offsets?.byteLength ?? 0) + (c.data?.byteLength ?? 0);
  if (c.child !== undefined) n += columnBytes(c.child);
  return n;
}

/** The sum of the byteLength of a batch's typed arrays. */
export function batchBytes(b: Batch): number {
  let n = 0;
  for (const c of b.columns) n += columnBytes(c);
  return n;
}
