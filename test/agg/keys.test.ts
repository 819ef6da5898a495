// Key hashing: the same key gives the same hash in any batch, position and thread; floats
// are normalised (-0.0, NaNs); partition ids are Spark's Pmod; equality helpers.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { columnFromValues, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { concatColumns, takeColumn } from "../../engine/columnar/ops.js";
import {
  allValidMask,
  anyNullAt,
  hashColumns,
  keysEqual,
  partitionIds,
  valuesEqual,
} from "../../engine/exec/hash/keys.js";
import { T } from "../../engine/types/data-type.js";

const hashOf = (cols: Column[]) => Array.from(hashColumns(cols, cols[0]!.length));

describe("hashColumns", () => {
  it("gives a key the same hash wherever it sits in a batch", () => {
    const a = stringColumnFromArray(["x", "héllo wörld", null, "a much longer string than sixteen bytes"]);
    const b = columnFromValues(T.int64, [1n, -(2n ** 40n), 7n, 2n ** 62n]);
    const h = hashOf([a, b]);
    // The same rows reversed and embedded in a bigger batch.
    const idx = Int32Array.from([3, 0, 2, 1, 0]);
    const a2 = concatColumns([stringColumnFromArray(["pad"]), takeColumn(a, idx)]);
    const b2 = concatColumns([columnFromValues(T.int64, [0n]), takeColumn(b, idx)]);
    const h2 = hashOf([a2, b2]);
    expect(h2.slice(1)).toEqual([h[3], h[0], h[2], h[1], h[0]]);
  });

  it("is the same in a worker thread", async () => {
    const cols = [
      stringColumnFromArray(["a", "b", null, "ü"]),
      columnFromValues(T.float64, [1.5, -0, Number.NaN, null]),
      columnFromValues(T.decimal(20, 2), ["1.25", "-99999999999999.99", null, "0"]),
      columnFromValues(T.date, [0, 18000, null, -1]),
    ];
    // A JS trampoline loads the .ts entry through tsx's API inside the thread.
    const entry = new URL("./hash-worker.ts", import.meta.url).href;
    const code = `import("tsx/esm/api").then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
    const worker = new Worker(code, { eval: true });
    try {
      const remote = await new Promise<Int32Array>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.postMessage({ cols, n: 4 });
      });
      expect(Array.from(remote)).toEqual(hashOf(cols));
    } finally {
      await worker.terminate();
    }
  });

  it("keeps its values from one release to the next (shuffle compatibility)", () => {
    // Golden values: a change here changes partition assignment; do it on purpose only.
    const golden = hashOf([
      columnFromValues(T.int32, [0, 1, 42]),
      stringColumnFromArray(["", "a", "kindling"]),
    ]);
    expect(golden).toMatchInlineSnapshot(`
      [
        245598311,
        600696749,
        562395580,
      ]
    `);
  });

  it("normalises -0.0 to 0.0 and every NaN to one NaN", () => {
    const nans = new Float64Array(3);
    const w = new Uint32Array(nans.buffer);
    nans[0] = Number.NaN;
    w[2] = 1; // a signalling-style NaN payload
    w[3] = 0x7ff00000;
    w[4] = 0;
    w[5] = 0xfff80000; // negative quiet NaN
    const nanCol: Column = { type: T.float64, length: 3, valid: null, values: nans };
    const h = hashOf([nanCol]);
    expect(Number.isNaN(nans[1]!) && Number.isNaN(nans[2]!)).toBe(true);
    expect(new Set(h).size).toBe(1);
    const z = hashOf([columnFromValues(T.float64, [0, -0, 1, -1])]);
    expect(z[0]).toBe(z[1]);
    expect(z[2]).not.toBe(z[3]);
    expect(valuesEqual(nanCol, 0, nanCol, 2)).toBe(true);
    const zc = columnFromValues(T.float64, [0, -0]);
    expect(valuesEqual(zc, 0, zc, 1)).toBe(true);
  });

  it("uses both halves of int64 values and all four words of decimals", () => {
    const h = hashOf([columnFromValues(T.int64, [1n, 1n + 2n ** 32n, 1n + 2n ** 33n, -1n, 2n ** 32n - 1n])]);
    expect(new Set(h).size).toBe(5);
    const d = hashOf([columnFromValues(T.decimal(38, 0), [1n, 1n + 2n ** 64n, 1n + 2n ** 96n, -1n])]);
    expect(new Set(d).size).toBe(4);
  });

  it("hashes nulls to a fixed value per type position, and distinguishes column order", () => {
    const a = hashOf([columnFromValues(T.int32, [null, null]), stringColumnFromArray([null, null])]);
    expect(a[0]).toBe(a[1]);
    const x = hashOf([columnFromValues(T.int32, [1]), columnFromValues(T.int32, [2])]);
    const y = hashOf([columnFromValues(T.int32, [2]), columnFromValues(T.int32, [1])]);
    expect(x[0]).not.toBe(y[0]);
  });

  it("hashes strings by bytes, not by offsets, for every tail length", () => {
    const words = ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"];
    const one = hashOf([stringColumnFromArray(words)]);
    expect(new Set(one).size).toBe(words.length);
    for (let i = 0; i < words.length; i++)
      expect(hashOf([stringColumnFromArray(["zz", words[i]!])])[1]).toBe(one[i]);
  });

  it("hashes lists by their elements", () => {
    const l = columnFromValues(T.list(T.int32), [[1, 2], [2, 1], [1, 2], [], null, [null]]);
    const h = hashOf([l]);
    expect(h[0]).toBe(h[2]);
    expect(new Set([h[0], h[1], h[3], h[4], h[5]]).size).toBe(5);
  });

  it("spreads sequential keys evenly over partitions", () => {
    const n = 100_000;
    const col: Column = {
      type: T.int32,
      length: n,
      valid: null,
      values: Int32Array.from({ length: n }, (_, i) => i),
    };
    const parts = partitionIds(hashColumns([col], n), 8);
    const counts = new Array(8).fill(0);
    for (const p of parts) counts[p]++;
    for (const c of counts) expect(Math.abs(c - n / 8)).toBeLessThan(n / 8 / 10);
  });
});

describe("partitionIds", () => {
  it("is a non-negative modulo (Spark's Pmod)", () => {
    const p = partitionIds(Int32Array.from([-1, -7, 0, 7, 2147483647, -2147483648]), 5);
    expect(Array.from(p)).toEqual([4, 3, 0, 2, 2147483647 % 5, ((-2147483648 % 5) + 5) % 5]);
  });
});

describe("key equality", () => {
  it("compares typed values with grouping semantics (null equals null)", () => {
    const a = [stringColumnFromArray(["x", null, "y"]), columnFromValues(T.int64, [1n, 2n, 3n])];
    const b = [stringColumnFromArray([null, "x", "y"]), columnFromValues(T.int64, [2n, 1n, 4n])];
    expect(keysEqual(a, 0, b, 1)).toBe(true);
    expect(keysEqual(a, 1, b, 0)).toBe(true);
    expect(keysEqual(a, 2, b, 2)).toBe(false);
    expect(anyNullAt(a, 1)).toBe(true);
    expect(anyNullAt(a, 0)).toBe(false);
    expect(Array.from(allValidMask(b, 3))).toEqual([0, 1, 1]);
  });
});
