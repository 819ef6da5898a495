// Gathered columns (a hash join's build-side output): rows of a source column copied only when
// a buffer is first read; spreading one copies real buffers; a group table codes a gathered
// string column through its source's rows, nulls and unmatched (-1) rows included.
import { describe, expect, it } from "vitest";
import { columnToJs } from "../../engine/api/rows.js";
import { columnFromValues, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { takeColumn } from "../../engine/columnar/ops.js";
import { GroupTable } from "../../engine/exec/hash/group-table.js";
import { gatheredColumn, gatherOf } from "../../engine/exec/join/gathered-column.js";
import { T } from "../../engine/types/data-type.js";

const values = (c: Column) => columnToJs(c, "x", { bigint: true });

describe("gatheredColumn", () => {
  const src = stringColumnFromArray(["Manhattan", null, "EWR", "", "Staten Island"]);
  const idx = Int32Array.from([4, 0, -1, 2, 1, 3, 0, 4]);

  it("reads as the gathered rows, and forgets its source once read", () => {
    const g = gatheredColumn(src, idx, idx.length);
    expect(gatherOf(g)?.source).toBe(src);
    expect(g.length).toBe(8);
    expect(values(g)).toEqual(values(takeColumn(src, idx)));
    expect(gatherOf(g)).toBeUndefined();
    expect(g.offsets).toBeInstanceOf(Int32Array);
  });

  it("copies real buffers when spread (as casts do)", () => {
    const ints = columnFromValues(T.int32, [7, null, 9]);
    const g = gatheredColumn(ints, Int32Array.from([2, 1, 0, -1]), 4);
    const spread: Column = { ...g, type: T.date };
    expect(spread.values).toBeInstanceOf(Int32Array);
    expect(Array.from(spread.valid!)).toEqual([1, 0, 1, 0]);
    expect(Array.from(spread.values as Int32Array).slice(0, 3)).toEqual([9, 0, 7]);
  });

  it("groups like the materialised column in a group table (single and multi-column keys)", () => {
    const g = gatheredColumn(src, idx, idx.length);
    const plain = takeColumn(src, idx);
    const a = new GroupTable([T.string]);
    const b = new GroupTable([T.string]);
    const outA = new Int32Array(8);
    const outB = new Int32Array(8);
    a.insert([g], 8, outA);
    b.insert([plain], 8, outB);
    expect(Array.from(outA)).toEqual(Array.from(outB));
    expect(values(a.keys()[0]!)).toEqual(values(b.keys()[0]!));
    // Twice from the same source (the next batch of a join): the source rows' codes are reused.
    a.insert([gatheredColumn(src, Int32Array.from([3, 3, 1, -1]), 4)], 4, outA);
    expect(Array.from(outA.subarray(0, 4))).toEqual([outB[5], outB[5], outB[2], outB[2]]);
    expect(a.size).toBe(b.size);
    const zone = columnFromValues(T.int32, [1, 1, 2, 2, 1, 1, 1, 1]);
    const m = new GroupTable([T.int32, T.string]);
    const out = new Int32Array(8);
    m.insert([zone, gatheredColumn(src, idx, 8)], 8, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 1, 0]);
    expect(values(m.keys()[1]!)).toEqual(["Staten Island", "Manhattan", null, "EWR", null, ""]);
  });
});
