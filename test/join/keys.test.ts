// Join keys: every key type on its own and in multi-column keys, nulls (never matching), NaN
// and -0.0, the direct-address and hashed integer indexes, and keys whose 32-bit hashes
// collide. Each case runs every way (build side, batch size, chunk bound) against the reference.
import { describe, expect, it } from "vitest";
import { stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { hashColumns } from "../../engine/exec/hash/keys.js";
import { JoinHashTable } from "../../engine/exec/join/hash-join.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import { checkAll, JOIN_TYPES, rng, rowsOf, runReference, side } from "./helpers.js";

describe("keys", () => {
  it("multi-column keys (int + string): a null in any column never matches", () => {
    const l = side(
      {
        a: { type: T.int32, values: [1, 1, 1, null, 2, 2, 3] },
        b: { type: T.string, values: ["x", "y", null, "x", "", "é", "x"] },
      },
      ["a", "b"],
    );
    const r = side(
      {
        a: { type: T.int32, values: [1, 1, 1, 1, 2, 2, null] },
        b: { type: T.string, values: ["x", "x", null, "y", "", "e", "x"] },
      },
      ["a", "b"],
    );
    expect(checkAll({ left: l, right: r, joinType: "inner" })).toEqual(rowsOf("0-0 0-1 1-3 4-4"));
    expect(checkAll({ left: l, right: r, joinType: "left_anti" })).toEqual([[2], [3], [5], [6]]);
    for (const joinType of JOIN_TYPES) checkAll({ left: l, right: r, joinType });
  });

  it("floats: NaN equals NaN, -0.0 equals 0.0, null never matches", () => {
    const l = side(
      { x: { type: T.float64, values: [Number.NaN, -0, 0, 1.5, null, Number.POSITIVE_INFINITY] } },
      ["x"],
    );
    const r = side({ x: { type: T.float64, values: [0, Number.NaN, -0, null, 1.5, -Number.NaN] } }, ["x"]);
    expect(checkAll({ left: l, right: r, joinType: "inner" })).toEqual(rowsOf("0-1 0-5 1-0 1-2 2-0 2-2 3-4"));
    expect(checkAll({ left: l, right: r, joinType: "left_anti" })).toEqual([[4], [5]]);
    for (const joinType of JOIN_TYPES) checkAll({ left: l, right: r, joinType });
  });

  it("NaN and -0.0 inside a multi-column key", () => {
    const l = side(
      { x: { type: T.float64, values: [Number.NaN, -0, 2] }, s: { type: T.string, values: ["a", "b", "c"] } },
      ["x", "s"],
    );
    const r = side(
      { x: { type: T.float64, values: [Number.NaN, 0, 2] }, s: { type: T.string, values: ["a", "b", "d"] } },
      ["x", "s"],
    );
    expect(checkAll({ left: l, right: r, joinType: "inner" })).toEqual(rowsOf("0-0 1-1"));
  });

  const typed: [string, Parameters<typeof side>[0]["x"], Parameters<typeof side>[0]["x"]][] = [
    [
      "int64 (beyond 2^53, negative)",
      { type: T.int64, values: [2n ** 62n, -1n, 2n ** 53n + 1n, null, 7n, 2n ** 53n] },
      { type: T.int64, values: [2n ** 53n + 1n, 2n ** 62n, 7n, 7n, null, -1n, 2n ** 53n + 2n] },
    ],
    [
      "timestamp",
      { type: T.timestamp, values: [0n, 1_600_000_000_000_000n, null, -5n] },
      { type: T.timestamp, values: [-5n, 0n, 0n, null] },
    ],
    ["date", { type: T.date, values: [0, 18000, null, -1] }, { type: T.date, values: [18000, -1, -1, null] }],
    [
      "boolean",
      { type: T.boolean, values: [true, false, null, true] },
      { type: T.boolean, values: [true, null, true] },
    ],
    [
      "string (unicode, empty, long)",
      { type: T.string, values: ["é", "", "a".repeat(100), null, "😀", "e"] },
      { type: T.string, values: ["", "é", "😀", "a".repeat(100), "a".repeat(99), null] },
    ],
    [
      "decimal",
      { type: T.decimal(20, 2), values: ["1.25", "-99999999999999.99", null, "0"] },
      { type: T.decimal(20, 2), values: ["0", "1.25", "1.26", "-99999999999999.99", null] },
    ],
    [
      "list<int32>",
      { type: T.list(T.int32), values: [[1, 2], [], null, [1, null]] },
      { type: T.list(T.int32), values: [[], [1, 2], [2, 1], [1, null]] },
    ],
  ];
  for (const [name, lx, rx] of typed)
    it(`single ${name} key`, () => {
      const l = side({ x: lx }, ["x"]);
      const r = side({ x: rx }, ["x"]);
      for (const joinType of JOIN_TYPES) checkAll({ left: l, right: r, joinType });
      expect(
        runReference({ left: l, right: r, joinType: "inner", buildSide: "right" }).length,
      ).toBeGreaterThan(0);
    });

  it("integer keys through the direct-address index and through hashing agree", () => {
    const kindOf = (type: DataType, values: unknown[]) => {
      const t = new JoinHashTable([type]);
      const s = side({ x: { type, values } }, ["x"]);
      t.add([s.batch.columns[1]!], s.batch);
      t.finish();
      return t.lookupKind;
    };
    const extremes = [2147483647, -2147483648, 0, -1, 1, null, 5, 2147483646];
    // [type, build values (left), probe values (right), the index the left values get]
    const cases: [DataType, unknown[], unknown[], "dense" | "hash"][] = [
      [T.int32, [3, 4, 5, null, 3, 1020], [5, 3, -1, 1021, 1020, null, 2147483647, -2147483648], "dense"],
      [T.int32, [2147483647, -2147483648, 0, null, 5], extremes, "hash"],
      [T.int32, [2147483647, 2147483646, 2147483647], extremes, "dense"],
      [T.int32, [-2147483648, -2147483647], [-2147483648, 2147483647, 0, -2147483647], "dense"],
      [
        T.int64,
        [5n, 6n, -3n, null],
        [5n, 5n + 2n ** 32n, -3n, -3n + 2n ** 32n, 6n - 2n ** 32n, 2n ** 62n],
        "dense",
      ],
      [
        T.int64,
        [5n, 5n + 2n ** 32n, -(2n ** 40n)],
        [5n, 5n + 2n ** 32n, 2n ** 32n, -(2n ** 40n), 6n],
        "hash",
      ],
      [T.timestamp, [0n, 1n], [1n, 2n, 0n, 2n ** 33n], "dense"],
      [T.boolean, [true, null], [false, true, null, true], "dense"],
    ];
    for (const [type, lv, rv, kind] of cases) {
      expect(
        kindOf(type, lv),
        JSON.stringify(lv, (_, v) => (typeof v === "bigint" ? `${v}` : v)),
      ).toBe(kind);
      for (const joinType of ["inner", "left_anti", "full"] as const)
        checkAll({
          left: side({ x: { type, values: lv } }, ["x"]),
          right: side({ x: { type, values: rv } }, ["x"]),
          joinType,
        });
    }
  });

  it("a null-typed key never matches", () => {
    const l = side({ x: { type: T.null, values: [null, null] } }, ["x"]);
    const r = side({ x: { type: T.null, values: [null] } }, ["x"]);
    expect(checkAll({ left: l, right: r, joinType: "left_anti" })).toEqual([[0], [1]]);
    expect(checkAll({ left: l, right: r, joinType: "full" })).toEqual(rowsOf("_-0 0-_ 1-_"));
  });

  /** Two row indexes of a column whose key hashes collide. */
  const collision = (c: Column): [number, number] => {
    const h = hashColumns([c], c.length);
    const seen = new Map<number, number>();
    for (let i = 0; i < c.length; i++) {
      const j = seen.get(h[i]!);
      if (j !== undefined) return [j, i];
      seen.set(h[i]!, i);
    }
    throw new Error("no collision");
  };

  it("int64 keys with equal 32-bit hashes do not match", () => {
    const n = 300_000;
    const r0 = rng(7);
    const big = new BigInt64Array(n);
    for (let i = 0; i < n; i++) big[i] = (BigInt(Math.floor(r0() * 2 ** 31)) << 32n) | BigInt(i);
    const [a, b] = collision({ type: T.int64, length: n, valid: null, values: big });
    const l = side({ x: { type: T.int64, values: [big[a]!, big[b]!, big[a]!] } }, ["x"]);
    const r = side({ x: { type: T.int64, values: [big[b]!, big[a]!] } }, ["x"]);
    expect(checkAll({ left: l, right: r, joinType: "inner" })).toEqual(rowsOf("0-1 1-0 2-1"));
    // The same two values inside a multi-column key (generic path).
    const l2 = side(
      { x: { type: T.int64, values: [big[a]!, big[b]!] }, y: { type: T.int32, values: [1, 1] } },
      ["x", "y"],
    );
    const r2 = side({ x: { type: T.int64, values: [big[b]!] }, y: { type: T.int32, values: [1] } }, [
      "x",
      "y",
    ]);
    expect(checkAll({ left: l2, right: r2, joinType: "inner" })).toEqual([[1, 0]]);
  });

  it("string keys with equal 32-bit hashes do not match", () => {
    const strs = Array.from({ length: 300_000 }, (_, i) => `k${i}`);
    const [a, b] = collision(stringColumnFromArray(strs));
    const l = side({ x: { type: T.string, values: [strs[a], strs[b], "z"] } }, ["x"]);
    const r = side({ x: { type: T.string, values: [strs[b], strs[a], strs[a]] } }, ["x"]);
    expect(checkAll({ left: l, right: r, joinType: "inner" })).toEqual(rowsOf("0-1 0-2 1-0"));
  });
});
