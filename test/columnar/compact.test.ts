// compactBatchInPlace: the kept rows of every column layout, in the batch's own buffers, and
// a column shared by two fields compacted once.
import { describe, expect, it } from "vitest";
import { columnFromValues } from "../../engine/columnar/builders.js";
import type { Batch, Column } from "../../engine/columnar/column.js";
import { compactBatchInPlace } from "../../engine/columnar/compact.js";
import { filterBatch } from "../../engine/columnar/ops.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import { batchColumns } from "../fixtures/parquet-fixtures.js";

const TYPES: [string, DataType, unknown[]][] = [
  ["i", T.int32, [1, null, 3, 4, 5, 6, null, 8]],
  ["l", T.int64, [1n, -2n, null, 9007199254740993n, 5n, 6n, 7n, -8n]],
  ["d", T.float64, [0.5, 1.5, 2.5, null, Number.NaN, -0, 6.5, 7.5]],
  ["s", T.string, ["a", "", null, "dddd", "long string of more than 24 bytes ok", "ü", "g", null]],
  ["b", T.boolean, [true, false, null, true, false, true, false, true]],
  ["ts", T.timestamp, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]],
  ["dec", T.decimal(20, 2), [1n, -2n, 3n, null, 5n, 6n, 7n, 8n]],
  ["lst", T.list(T.int32), [[1], [], null, [4, 5], [6], [7], [8], [9]]],
];

function batch(): Batch {
  const cols = TYPES.map(([, t, v]) => columnFromValues(t, v as never[]));
  return {
    schema: { fields: TYPES.map(([name, type]) => ({ name, type, nullable: true })) },
    columns: cols,
    numRows: 8,
  };
}

describe("compactBatchInPlace", () => {
  for (const mask of [
    [1, 0, 1, 1, 0, 1, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [1, 1, 1, 1, 1, 1, 1, 1],
    [0, 1, 0, 1, 0, 1, 0, 1],
  ]) {
    it(`keeps the rows of ${mask.join("")} like filterBatch does`, () => {
      const m = Uint8Array.from(mask);
      const expected = batchColumns([filterBatch(batch(), m)]);
      const out = compactBatchInPlace(batch(), m);
      expect(out.numRows).toBe(mask.reduce((a, b) => a + b, 0));
      if (out.numRows > 0) expect(batchColumns([out])).toEqual(expected);
    });
  }

  it("moves long runs of kept rows (every layout) like filterBatch", () => {
    const n = 2000;
    const big = (): Batch => {
      const cols = TYPES.map(([, t, v]) =>
        columnFromValues(t, Array.from({ length: n }, (_, i) => v[(i * 7) % 8]) as never[]),
      );
      return { schema: batch().schema, columns: cols, numRows: n };
    };
    for (const drop of [[0], [5, 6, 7, 999, 1999], [1000], [1, 700, 701, 1500]]) {
      const m = new Uint8Array(n).fill(1);
      for (const d of drop) m[d] = 0;
      const expected = batchColumns([filterBatch(big(), m)]);
      const out = compactBatchInPlace(big(), m);
      expect(out.numRows).toBe(n - drop.length);
      expect(batchColumns([out])).toEqual(expected);
    }
  });

  it("compacts a column shared by two fields once, and a string column with a non-zero first offset", () => {
    const s: Column = {
      type: T.string,
      length: 3,
      valid: null,
      offsets: Int32Array.of(2, 4, 5, 9),
      data: new TextEncoder().encode("xxabcdefg"),
    };
    const b: Batch = {
      schema: {
        fields: [
          { name: "a", type: T.string, nullable: true },
          { name: "b", type: T.string, nullable: true },
        ],
      },
      columns: [s, s],
      numRows: 3,
    };
    const out = compactBatchInPlace(b, Uint8Array.of(0, 1, 1));
    expect(batchColumns([out])).toEqual([
      ["c", "defg"],
      ["c", "defg"],
    ]);
    expect(out.columns[0]!.offsets![0]).toBe(0);
  });
});

describe("compactBatchInPlace with a mask that is a column's own buffer", () => {
  it("keeps the right rows of every column", () => {
    const flags = Uint8Array.of(1, 0, 1, 1, 0, 0, 1, 0);
    const b: Batch = {
      schema: {
        fields: [
          { name: "f", type: T.boolean, nullable: false },
          { name: "i", type: T.int32, nullable: false },
        ],
      },
      columns: [
        { type: T.boolean, length: 8, valid: null, values: flags },
        { type: T.int32, length: 8, valid: null, values: Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7) },
      ],
      numRows: 8,
    };
    const out = compactBatchInPlace(b, flags);
    expect(batchColumns([out])).toEqual([
      ["true", "true", "true", "true"],
      ["0", "2", "3", "6"],
    ]);
  });
});
