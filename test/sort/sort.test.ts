// Sorting one batch: every key type in both directions and null placements against a reference
// stable sort, multi-key mixed directions, stability, the string rank paths (dictionary and
// MSD, long shared prefixes, NUL bytes, non-ASCII), NaN/-0.0 ordering and the comparators.
import { describe, expect, it } from "vitest";
import { columnFromValues, stringColumnFromArray } from "../../engine/columnar/builders.js";
import { batchOf, type Column } from "../../engine/columnar/column.js";
import { compareDoubles, makeCrossComparator, makeRowComparator } from "../../engine/exec/sort/compare.js";
import { isSorted, sortBatch, sortIndices } from "../../engine/exec/sort/sort.js";
import { msdRanks, stringRanks } from "../../engine/exec/sort/string-ranks.js";
import { field, schemaOf, T } from "../../engine/types/data-type.js";
import { batchRows, jsValues, randomBatch, refSort, rng, SORT_TYPES } from "./helpers.js";

const DIRS = [
  { ascending: true, nullsFirst: true },
  { ascending: true, nullsFirst: false },
  { ascending: false, nullsFirst: true },
  { ascending: false, nullsFirst: false },
];

describe("sortIndices", () => {
  for (const type of SORT_TYPES) {
    for (const n of [0, 1, 10, 63, 64, 3000]) {
      it(`${JSON.stringify(type)} with ${n} rows`, () => {
        const b = randomBatch([type], n, n * 7 + 1);
        for (const d of DIRS) {
          const orders = [{ index: 0, ...d }];
          const got = Array.from(sortIndices([{ col: b.columns[0]!, ...d }], n));
          expect(got).toEqual(refSort(b, orders));
        }
      });
    }
  }

  it("multi-key with mixed directions is stable", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const types = [T.string, T.int32, T.float64, T.int64, T.boolean];
      const b = randomBatch(types, 2000, seed, 4, 0.2);
      const r = rng(seed);
      const orders = [0, 1, 2, 3].map((index) => ({ index, ascending: r() < 0.5, nullsFirst: r() < 0.5 }));
      const keys = orders.map((o) => ({ col: b.columns[o.index]!, ...o }));
      expect(Array.from(sortIndices(keys, b.numRows))).toEqual(refSort(b, orders));
      // Small input (comparator path) too.
      const small = batchOf(b.schema, b.columns, 40);
      expect(Array.from(sortIndices(keys, 40))).toEqual(refSort(small, orders));
    }
  });

  it("keeps equal keys in input order", () => {
    const n = 5000;
    const keys = columnFromValues(
      T.int32,
      Array.from({ length: n }, (_, i) => i % 3),
    );
    const perm = sortIndices([{ col: keys, ascending: false, nullsFirst: true }], n);
    for (let p = 1; p < n; p++) {
      const a = perm[p - 1]!;
      const b = perm[p]!;
      if (a % 3 === b % 3) expect(a).toBeLessThan(b);
    }
  });

  it("orders doubles: nulls, -Inf, numbers, -0.0 == 0.0 (stable), +Inf, NaN", () => {
    const vals = [
      Number.NaN,
      0,
      null,
      -0,
      Number.POSITIVE_INFINITY,
      -1,
      Number.NEGATIVE_INFINITY,
      -0,
      Number.NaN,
      0,
    ];
    for (const n of [vals.length, 200]) {
      const all = Array.from({ length: n }, (_, i) => vals[i % vals.length]!);
      const col = columnFromValues(T.float64, all);
      const perm = sortIndices([{ col, ascending: true, nullsFirst: true }], n);
      const sorted = Array.from(perm, (i) => all[i]);
      const firstRank = (x: number | null) =>
        x === null
          ? 0
          : x === Number.NEGATIVE_INFINITY
            ? 1
            : x === -1
              ? 2
              : x === 0
                ? 3
                : x === Number.POSITIVE_INFINITY
                  ? 4
                  : 5;
      for (let p = 1; p < n; p++)
        expect(firstRank(sorted[p - 1]!)).toBeLessThanOrEqual(firstRank(sorted[p]!));
      // -0.0 and 0.0 are equal: they keep input order among themselves.
      const zeros = Array.from(perm).filter((i) => all[i] === 0);
      expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
    }
    expect(compareDoubles(Number.NaN, Number.POSITIVE_INFINITY)).toBe(1);
    expect(compareDoubles(Number.NaN, Number.NaN)).toBe(0);
    expect(compareDoubles(-0, 0)).toBe(0);
  });
});

describe("string ranks", () => {
  const check = (values: string[]) => {
    const col = stringColumnFromArray(values);
    const distinct = [...new Set(values)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const rank = new Map(distinct.map((v, i) => [v, i]));
    const want = values.map((v) => rank.get(v));
    expect(Array.from(stringRanks(col, values.length))).toEqual(want);
    expect(Array.from(msdRanks(col, values.length))).toEqual(want);
  };

  it("ranks strings by UTF-8 bytes with shared prefixes, NUL bytes and non-ASCII", () => {
    const r = rng(5);
    const bases = [
      "",
      "\u0000",
      "a",
      "a\u0000",
      "ab\u0000\u0000\u0000\u0000\u0000\u0000\u0000x",
      "ab",
      "\uffff",
      "😀",
      "é",
      "z",
    ];
    const prefix = "https://example.com/path/";
    const values = Array.from({ length: 3000 }, () => {
      const b = bases[Math.floor(r() * bases.length)]!;
      const tail = Math.floor(r() * 40)
        .toString(36)
        .repeat(Math.floor(r() * 5));
      return r() < 0.5 ? prefix + b + tail : b + tail;
    });
    check(values);
    check(values.map((v) => prefix + v));
    check(["same", "same", "same"]);
    check([]);
  });

  it("takes the dictionary path for few distinct values and the MSD path for many", () => {
    const r = rng(9);
    const names = Array.from(
      { length: 300 },
      (_, i) => `Zone ${["North", "South"][i % 2]} district ${(i * 7919) % 300}`,
    );
    check(Array.from({ length: 40000 }, () => names[Math.floor(r() * names.length)]!));
    check(Array.from({ length: 40000 }, () => `k${Math.floor(r() * 1e9)}`));
  });

  it("sorts strings with nulls both ways", () => {
    const values = ["b", null, "a", "", null, "aa", "b"];
    const col = stringColumnFromArray(values);
    const idx = (asc: boolean, nf: boolean) =>
      Array.from(sortIndices([{ col, ascending: asc, nullsFirst: nf }], values.length), (i) => values[i]);
    expect(idx(true, true)).toEqual([null, null, "", "a", "aa", "b", "b"]);
    expect(idx(true, false)).toEqual(["", "a", "aa", "b", "b", null, null]);
    expect(idx(false, false)).toEqual(["b", "b", "aa", "a", "", null, null]);
    expect(idx(false, true)).toEqual([null, null, "b", "b", "aa", "a", ""]);
  });
});

describe("sortBatch and comparators", () => {
  it("sorts every column of a batch by its keys", () => {
    const b = randomBatch([T.int32, T.string, T.float64], 500, 3, 10);
    const orders = [
      { index: 1, ascending: true, nullsFirst: false },
      { index: 0, ascending: false, nullsFirst: true },
    ];
    const s = sortBatch(b, orders);
    const rows = batchRows(b);
    expect(batchRows(s)).toEqual(refSort(b, orders).map((i) => rows[i]));
    expect(isSorted(s, orders)).toBe(true);
  });

  it("compares rows across two batches", () => {
    const a: Column = columnFromValues(T.int64, [1n, null, -5n]);
    const b: Column = columnFromValues(T.int64, [null, 1n]);
    const cmp = makeCrossComparator([a], [b], [{ ascending: true, nullsFirst: true }]);
    expect(cmp(0, 1)).toBe(0);
    expect(cmp(0, 0)).toBeGreaterThan(0);
    expect(cmp(1, 0)).toBe(0);
    expect(cmp(2, 1)).toBeLessThan(0);
    const desc = makeCrossComparator([a], [b], [{ ascending: false, nullsFirst: false }]);
    expect(desc(2, 1)).toBeGreaterThan(0);
    expect(desc(1, 1)).toBeGreaterThan(0);
  });

  it("row comparator agrees with the reference on random rows", () => {
    const b = randomBatch(SORT_TYPES, 300, 11, 6);
    for (let k = 0; k < SORT_TYPES.length; k++) {
      const vals = jsValues(b.columns[k]!);
      const cmp = makeRowComparator([{ col: b.columns[k]!, ascending: true, nullsFirst: true }]);
      const one = batchOf(schemaOf([field("x", SORT_TYPES[k]!)]), [b.columns[k]!], b.numRows);
      const perm = refSort(one, [{ index: 0, ascending: true, nullsFirst: true }]);
      for (let p = 1; p < perm.length; p++)
        expect(cmp(perm[p - 1]!, perm[p]!), `${k}: ${vals[perm[p]!]}`).toBeLessThanOrEqual(0);
    }
  });
});
