// Merging sorted runs, top-k, range partitioning and the spilling external sorter, each checked
// against a stable in-memory sort of the same rows.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Batch } from "../../engine/columnar/column.js";
import { concatBatches, sliceBatch, takeBatch } from "../../engine/columnar/ops.js";
import type { KeyOrder } from "../../engine/exec/sort/compare.js";
import { ExternalSorter } from "../../engine/exec/sort/external-sorter.js";
import { interleaveBatches } from "../../engine/exec/sort/interleave.js";
import { mergeSortedRuns } from "../../engine/exec/sort/merge.js";
import { computeRangeBounds, rangePartitionIds } from "../../engine/exec/sort/range.js";
import { sortBatch } from "../../engine/exec/sort/sort.js";
import { TopK, topK, topKAsync } from "../../engine/exec/sort/top-k.js";
import { T } from "../../engine/types/data-type.js";
import { batchRows, randomBatch, refSort, rng, SORT_TYPES } from "./helpers.js";

const TYPES = [T.string, T.int32, T.float64, T.int64, T.decimal(20, 3), T.list(T.string), T.boolean, T.date];
const ORDERS: KeyOrder[] = [
  { index: 1, ascending: false, nullsFirst: false },
  { index: 0, ascending: true, nullsFirst: true },
  { index: 2, ascending: true, nullsFirst: false },
];

/** Cuts a batch into pieces of random sizes (some empty). */
function pieces(b: Batch, seed: number, max = 300): Batch[] {
  const r = rng(seed);
  const out: Batch[] = [];
  for (let s = 0; s < b.numRows; ) {
    const n = Math.floor(r() * max);
    out.push(sliceBatch(b, s, s + n));
    s += n;
  }
  return out;
}

const expected = (b: Batch, orders: readonly KeyOrder[]) => {
  const rows = batchRows(b);
  return refSort(b, orders).map((i) => rows[i]);
};

describe("mergeSortedRuns", () => {
  it("merges sorted runs into the stable sort of their concatenation", () => {
    const all = randomBatch(TYPES, 2500, 21, 6);
    const runs = pieces(all, 3, 700).map((p) => sortBatch(p, ORDERS));
    for (const batchSize of [1, 7, 1000, 5000]) {
      const out = [...mergeSortedRuns(runs, ORDERS, batchSize)];
      for (const o of out.slice(0, -1)) expect(o.numRows).toBe(batchSize);
      expect(batchRows(concatBatches(all.schema, out))).toEqual(expected(all, ORDERS));
    }
    expect([...mergeSortedRuns([], ORDERS, 10)]).toEqual([]);
  });

  it("interleaves rows of several batches", () => {
    const a = randomBatch(TYPES, 20, 1);
    const b = randomBatch(TYPES, 20, 2);
    const srcs = Int32Array.from([1, 0, 1, 1, 0]);
    const rows = Int32Array.from([19, 0, 3, 3, 7]);
    const got = interleaveBatches(a.schema, [a, b], srcs, rows, 5);
    const ra = batchRows(a);
    const rb = batchRows(b);
    expect(batchRows(got)).toEqual([rb[19], ra[0], rb[3], rb[3], ra[7]]);
  });
});

describe("topK", () => {
  it("equals a stable sort followed by a limit", async () => {
    const all = randomBatch(TYPES, 6000, 8, 5);
    const batches = pieces(all, 4, 900);
    const want = expected(all, ORDERS);
    for (const k of [0, 1, 5, 100, 4097, 5999, 6000, 10000]) {
      const got = topK(batches, ORDERS, k, all.schema);
      expect(batchRows(got)).toEqual(want.slice(0, k));
    }
    const asyncGot = await topKAsync(
      (async function* () {
        yield* batches;
      })(),
      ORDERS,
      50,
      all.schema,
    );
    expect(batchRows(asyncGot)).toEqual(want.slice(0, 50));
    expect(topK([], ORDERS, 3, all.schema).numRows).toBe(0);
  });

  it("prefilters on the first key of every type, both directions and null placements", () => {
    for (const [ti, t] of SORT_TYPES.entries()) {
      const all = randomBatch([t, T.int32, T.float64], 3000, 40 + ti, 6, 0.15);
      for (const ascending of [true, false])
        for (const nullsFirst of [true, false]) {
          const one: KeyOrder[] = [{ index: 0, ascending, nullsFirst }];
          const two: KeyOrder[] = [...one, { index: 1, ascending: !ascending, nullsFirst: !nullsFirst }];
          for (const orders of [one, two])
            for (const k of [1, 7, 40]) {
              const got = topK(pieces(all, 5 + k, 400), orders, k, all.schema);
              expect(batchRows(got)).toEqual(expected(all, orders).slice(0, k));
            }
        }
    }
  });

  it("keeps the earliest rows among ties", () => {
    const all = randomBatch([T.int32, T.int32], 5000, 9, 3, 0);
    const orders = [{ index: 0, ascending: true, nullsFirst: true }];
    const t = new TopK(all.schema, orders, 10);
    for (const p of pieces(all, 1, 200)) t.add(p);
    expect(batchRows(t.result())).toEqual(expected(all, orders).slice(0, 10));
    expect(t.estimatedBytes()).toBeGreaterThan(0);
  });
});

describe("range partitioning", () => {
  it("partitions sorted and concatenated in order give the global sort", () => {
    for (const [seed, parts] of [
      [1, 4],
      [2, 1],
      [3, 17],
      [4, 200],
    ] as const) {
      const all = randomBatch(TYPES, 3000, seed, 8);
      const sample = takeBatch(
        all,
        Int32Array.from({ length: 300 }, (_, i) => (i * 97) % 3000),
      );
      const keySample = { schema: all.schema, columns: all.columns, numRows: all.numRows };
      const bounds = computeRangeBounds(parts === 17 ? keySample : sample, ORDERS, parts);
      expect(bounds.numRows).toBeLessThanOrEqual(Math.max(0, parts - 1));
      expect(bounds.columns.length).toBe(ORDERS.length);
      // Bounds strictly increase.
      const bRows = batchRows(
        sortBatch(
          bounds,
          ORDERS.map((o, i) => ({ ...o, index: i })),
        ),
      );
      expect(batchRows(bounds)).toEqual(bRows);
      const ids = rangePartitionIds(all, bounds, ORDERS);
      const buckets: number[][] = Array.from({ length: bounds.numRows + 1 }, () => []);
      for (let i = 0; i < ids.length; i++) buckets[ids[i]!]!.push(i);
      const sortedParts = buckets.map((rows) => sortBatch(takeBatch(all, Int32Array.from(rows)), ORDERS));
      expect(batchRows(concatBatches(all.schema, sortedParts))).toEqual(expected(all, ORDERS));
    }
  });

  it("sends a row equal to a bound to the lower partition, nulls by their placement", () => {
    const all = randomBatch([T.int32], 1000, 5, 10, 0.1);
    const asc = [{ index: 0, ascending: true, nullsFirst: true }];
    const bounds = computeRangeBounds(all, asc, 4);
    const ids = rangePartitionIds(bounds, bounds, [{ index: 0, ascending: true, nullsFirst: true }]);
    expect(Array.from(ids)).toEqual(Array.from({ length: bounds.numRows }, (_, i) => i));
    const nullsLast = [{ index: 0, ascending: true, nullsFirst: false }];
    const b2 = computeRangeBounds(all, nullsLast, 4);
    const ids2 = rangePartitionIds(all, b2, nullsLast);
    for (let i = 0; i < all.numRows; i++)
      if (all.columns[0]!.valid![i] === 0) expect(ids2[i]).toBe(b2.numRows);
  });

  it("gives no bounds for an empty sample or one partition", () => {
    const all = randomBatch([T.string], 50, 5);
    expect(
      computeRangeBounds(sliceBatch(all, 0, 0), [{ index: 0, ascending: true, nullsFirst: true }], 8).numRows,
    ).toBe(0);
    expect(computeRangeBounds(all, [{ index: 0, ascending: true, nullsFirst: true }], 1).numRows).toBe(0);
    const ids = rangePartitionIds(
      all,
      computeRangeBounds(all, [{ index: 0, ascending: true, nullsFirst: true }], 1),
      [{ index: 0, ascending: true, nullsFirst: true }],
    );
    expect(Array.from(ids).every((p) => p === 0)).toBe(true);
  });
});

describe("ExternalSorter", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kindling-sort-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("spills several runs under a tiny budget and returns the in-memory sort", async () => {
    const all = randomBatch(TYPES, 5000, 31, 7);
    const sorter = new ExternalSorter(all.schema, ORDERS, 20_000, join(dir, "spill"), { batchSize: 333 });
    for (const p of pieces(all, 6, 400)) await sorter.add(p);
    expect(sorter.spillCount).toBeGreaterThan(3);
    const out: Batch[] = [];
    for await (const b of sorter.finish()) out.push(b);
    for (const o of out.slice(0, -1)) expect(o.numRows).toBe(333);
    expect(batchRows(concatBatches(all.schema, out))).toEqual(batchRows(sortBatch(all, ORDERS)));
    expect(await readdir(join(dir, "spill"))).toEqual([]);
    expect(sorter.spilledBytes).toBeGreaterThan(0);
  });

  it("sorts in memory when the data fits, and handles no input", async () => {
    const all = randomBatch(TYPES, 800, 32, 7);
    const sorter = new ExternalSorter(all.schema, ORDERS, 1 << 30, join(dir, "none"));
    for (const p of pieces(all, 7, 100)) await sorter.add(p);
    const out: Batch[] = [];
    for await (const b of sorter.finish()) out.push(b);
    expect(sorter.spillCount).toBe(0);
    expect(batchRows(concatBatches(all.schema, out))).toEqual(expected(all, ORDERS));
    const empty = new ExternalSorter(all.schema, ORDERS, 10, join(dir, "empty"));
    const none: Batch[] = [];
    for await (const b of empty.finish()) none.push(b);
    expect(none).toEqual([]);
  });

  it("removes its spill files when the output is abandoned early", async () => {
    const all = randomBatch(TYPES, 3000, 33, 7);
    const sorter = new ExternalSorter(all.schema, ORDERS, 10_000, join(dir, "early"), { batchSize: 100 });
    for (const p of pieces(all, 8, 500)) await sorter.add(p);
    expect(sorter.spillCount).toBeGreaterThan(1);
    for await (const b of sorter.finish()) {
      expect(b.numRows).toBe(100);
      break;
    }
    expect(await readdir(join(dir, "early"))).toEqual([]);
  });
});
