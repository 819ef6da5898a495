// A column whose rows are rows of another column (`source` at `indices`, -1 = a null row),
// gathered only when one of its buffers is first read. A hash join's build-side output columns
// are made this way: the operators above a lookup join often read only some of them (an
// aggregation reads its keys and arguments), and a group table can code a gathered string
// column from its source's rows (`gatherOf`) without ever copying or hashing each row's bytes.
//
// The buffers are own enumerable getters, so spreading the column (`{ ...c, type }`, as casts
// do) reads them and copies real buffers; after the first read they become plain values.
import type { Column } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";

/** Where a gathered column's rows come from. */
export interface Gather {
  readonly source: Column;
  /** Row of `source` for each row (-1: null); at least `length` entries. */
  readonly indices: Int32Array;
}

const gathers = new WeakMap<Column, Gather>();
const BUFFERS = ["valid", "values", "offsets", "data", "child"] as const;

/** Rows `indices[0..n)` of `source` (-1 = null), gathered on first use; see the file header. */
export function gatheredColumn(source: Column, indices: Int32Array, n: number): Column {
  let done: Column | null = null;
  const col = {} as Record<string, unknown>;
  const materialise = (): Column => {
    if (done === null) {
      done = takeColumn(source, indices, n);
      gathers.delete(col as unknown as Column);
      for (const k of BUFFERS)
        Object.defineProperty(col, k, {
          value: done[k],
          enumerable: true,
          configurable: true,
          writable: false,
        });
    }
    return done;
  };
  col.type = source.type;
  col.length = n;
  for (const k of BUFFERS)
    Object.defineProperty(col, k, { get: () => materialise()[k], enumerable: true, configurable: true });
  const c = col as unknown as Column;
  gathers.set(c, { source, indices });
  return c;
}

/** The source rows of a column made by `gatheredColumn` that was not read yet (undefined otherwise). */
export function gatherOf(c: Column): Gather | undefined {
  return gathers.get(c);
}
