// Test helpers for window kernels: build a batch from plain columns, sort it by partition and
// order keys (as the window operator will), evaluate calls, and read results back by row id.
import { columnFromValues, type JsValue } from "../../engine/columnar/builders.js";
import { type Batch, batchOf } from "../../engine/columnar/column.js";
import { takeBatch } from "../../engine/columnar/ops.js";
import type { KeyOrder } from "../../engine/exec/sort/compare.js";
import { sortIndices, sortKeysOf } from "../../engine/exec/sort/sort.js";
import { evaluateWindow } from "../../engine/exec/window/evaluate.js";
import type { FrameSpec, WindowFunctionCall } from "../../engine/exec/window/types.js";
import { type DataType, field, schemaOf } from "../../engine/types/data-type.js";
import { jsValues } from "../sort/helpers.js";

/** A batch from named columns of plain values. */
export function makeBatch(cols: Record<string, [DataType, JsValue[]]>): Batch {
  const names = Object.keys(cols);
  const n = cols[names[0]!]![1].length;
  return batchOf(
    schemaOf(names.map((k) => field(k, cols[k]![0]))),
    names.map((k) => columnFromValues(cols[k]![0], cols[k]![1])),
    n,
  );
}

/** Column index by name. */
export const idx = (b: Batch, name: string): number => b.schema.fields.findIndex((f) => f.name === name);

/** Plain values of a column (int64 as number when safe, bigint otherwise). */
export function plain(values: unknown[]): unknown[] {
  return values.map((v) => (typeof v === "bigint" && v <= 2n ** 53n && v >= -(2n ** 53n) ? Number(v) : v));
}

export interface RunSpec {
  readonly partitionBy: readonly string[];
  readonly orderBy: readonly { name: string; ascending?: boolean; nullsFirst?: boolean }[];
  readonly frame?: FrameSpec | null;
}

/**
 * Sorts the batch by (partition keys, order keys), evaluates `fn` and returns the results in
 * the ORIGINAL row order of `b` (so tests can index them by input row).
 */
export function runWindow(
  b: Batch,
  spec: RunSpec,
  fn: Omit<WindowFunctionCall, "args"> & { args?: string[]; defaultName?: string },
): unknown[] {
  const partitionBy = spec.partitionBy.map((n) => idx(b, n));
  const orderBy: KeyOrder[] = spec.orderBy.map((o) => {
    const ascending = o.ascending ?? true;
    return { index: idx(b, o.name), ascending, nullsFirst: o.nullsFirst ?? ascending };
  });
  const sortOrders: KeyOrder[] = [
    ...partitionBy.map((index) => ({ index, ascending: true, nullsFirst: true })),
    ...orderBy,
  ];
  const perm = sortIndices(sortKeysOf(b, sortOrders), b.numRows);
  const sorted = takeBatch(b, perm);
  const call: WindowFunctionCall = {
    ...fn,
    args: (fn.args ?? []).map((n) => idx(b, n)),
    defaultColumn: fn.defaultName === undefined ? undefined : idx(b, fn.defaultName),
  };
  const out = plain(jsValues(evaluateWindow(sorted, { partitionBy, orderBy, frame: spec.frame }, call)));
  const result = new Array<unknown>(b.numRows);
  for (let p = 0; p < perm.length; p++) result[perm[p]!] = out[p];
  return result;
}
