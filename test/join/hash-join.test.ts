// Semantics of the join kernel: every join type and build side, duplicates on both sides,
// null keys, multi-column keys, NaN and -0.0, residual conditions, empty sides, chunked
// output and hash collisions. Each case is checked against a nested-loop reference, and the
// basic ones against rows written out by hand.
import { describe, expect, it } from "vitest";
import { columnToJs } from "../../engine/api/rows.js";
import { stringColumnFromArray } from "../../engine/columnar/builders.js";
import { batchOf, type Column } from "../../engine/columnar/column.js";
import { sliceBatch } from "../../engine/columnar/ops.js";
import { hashColumns } from "../../engine/exec/hash/keys.js";
import {
  assembleJoinOutput,
  JoinHashTable,
  JoinProbe,
  type JoinType,
  joinShape,
  residualFromPredicate,
} from "../../engine/exec/join/hash-join.js";
import { compilePredicate, resolveCall } from "../../engine/expr/compile.js";
import { E } from "../../engine/expr/expr.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";
import {
  type IdRow,
  JOIN_TYPES,
  type JoinCase,
  rng,
  rowsOf,
  runKernel,
  runReference,
  type Side,
  side,
} from "./helpers.js";

const SIDES = ["left", "right"] as const;

/** Runs a case with both build sides, several batch sizes and chunk bounds; all must equal the reference. */
function checkAll(base: Omit<JoinCase, "buildSide">): IdRow[] {
  const expected = runReference({ ...base, buildSide: "right" });
  for (const buildSide of SIDES)
    for (const batchSize of [undefined, 1, 2, 3])
      for (const maxPairs of [undefined, 1, 2, 5]) {
        const c: JoinCase = { ...base, buildSide, batchSize, maxPairs };
        expect(runKernel(c).rows, JSON.stringify({ buildSide, batchSize, maxPairs })).toEqual(expected);
      }
  expect(runKernel({ ...base, buildSide: "right", copyKeys: true }).rows).toEqual(expected);
  return expected;
}

const L = side(
  {
    k: { type: T.int32, values: [1, 1, 2, null, 4, 2] },
    s: { type: T.string, values: ["a", "b", "c", "d", "e", "f"] },
  },
  ["k"],
);
const R = side(
  {
    k: { type: T.int32, values: [2, 1, 2, null, 5, 1] },
    v: { type: T.float64, values: [10, 20, 30, 40, 50, 60] },
  },
  ["k"],
);

describe("join types on an int key with duplicates and nulls on both sides", () => {
  const expected: Record<JoinType, IdRow[]> = {
    inner: rowsOf("0-1 0-5 1-1 1-5 2-0 2-2 5-0 5-2"),
    left: rowsOf("0-1 0-5 1-1 1-5 2-0 2-2 3-_ 4-_ 5-0 5-2"),
    right: rowsOf("_-3 _-4 0-1 0-5 1-1 1-5 2-0 2-2 5-0 5-2"),
    full: rowsOf("_-3 _-4 0-1 0-5 1-1 1-5 2-0 2-2 3-_ 4-_ 5-0 5-2"),
    left_semi: rowsOf("0 1 2 5"),
    left_anti: rowsOf("3 4"),
    cross: [],
  };
  for (const joinType of JOIN_TYPES.filter((j) => j !== "cross"))
    it(joinType, () => {
      expect(checkAll({ left: L, right: R, joinType })).toEqual(expected[joinType]);
    });

  it("cross: every pair, with no key columns", () => {
    const l: Side = { batch: L.batch, keys: [] };
    const r: Side = { batch: R.batch, keys: [] };
    const rows = checkAll({ left: l, right: r, joinType: "cross" });
    expect(rows.length).toBe(36);
    const filtered = checkAll({ left: l, right: r, joinType: "cross", residual: (a, b) => a + b === 5 });
    expect(filtered).toEqual(rowsOf("0-5 1-4 2-3 3-2 4-1 5-0"));
  });

  it("any join type on no keys is a nested-loop join over the residual", () => {
    const l: Side = { batch: L.batch, keys: [] };
    const r: Side = { batch: R.batch, keys: [] };
    for (const joinType of JOIN_TYPES)
      checkAll({ left: l, right: r, joinType, residual: (a, b) => a < b - 3 });
  });
});

describe("assembled output", () => {
  it("lays out left ++ right, nulls for the missing side, in probe then build order", () => {
    const { batches } = runKernel({ left: L, right: R, joinType: "full", buildSide: "right" });
    const [b, tail] = batches;
    expect(b!.schema.fields.map((f) => f.name)).toEqual(["id", "k", "s", "id", "k", "v"]);
    const cols = b!.columns.map((c) => columnToJs(c, "x"));
    expect(cols[2]).toEqual(["a", "a", "b", "b", "c", "c", "d", "e", "f", "f"]);
    expect(cols[5]).toEqual([20, 60, 20, 60, 10, 30, null, null, 10, 30]);
    const nulls = [null, null];
    expect(tail!.columns.map((c) => columnToJs(c, "x"))).toEqual([
      nulls,
      nulls,
      nulls,
      [3, 4],
      [null, 5],
      [40, 50],
    ]);
  });

  it("puts the probe side right when the build side is left", () => {
    const { batches } = runKernel({ left: L, right: R, joinType: "right", buildSide: "left" });
    expect(batches[0]!.columns.map((c) => columnToJs(c, "x"))[2]).toEqual([
      "c",
      "f",
      "a",
      "b",
      "c",
      "f",
      null,
      null,
      "a",
      "b",
    ]);
  });

  it("semi/anti with the build side left emit the build rows at the end", () => {
    const semi = runKernel({ left: L, right: R, joinType: "left_semi", buildSide: "left" });
    expect(semi.batches.length).toBe(1);
    expect(columnToJs(semi.batches[0]!.columns[2]!, "s")).toEqual(["a", "b", "c", "f"]);
    const anti = runKernel({ left: L, right: R, joinType: "left_anti", buildSide: "left" });
    expect(columnToJs(anti.batches[0]!.columns[2]!, "s")).toEqual(["d", "e"]);
  });
});

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

describe("residual conditions", () => {
  // Residual over row ids: the pair matches when the left id is even or the right id is 5.
  const res = (l: number, r: number) => (l === 1 ? null : l % 2 === 0 || r === 5);
  const expected: Partial<Record<JoinType, IdRow[]>> = {
    inner: rowsOf("0-1 0-5 2-0 2-2"),
    // Row 5 (key 2) key-matches right rows 0 and 2, but the residual fails both: unmatched;
    // row 1's residual is null everywhere: unmatched too.
    left: rowsOf("0-1 0-5 1-_ 2-0 2-2 3-_ 4-_ 5-_"),
    right: rowsOf("_-3 _-4 0-1 0-5 2-0 2-2"),
    left_semi: rowsOf("0 2"),
    left_anti: rowsOf("1 3 4 5"),
  };
  for (const joinType of JOIN_TYPES.filter((j) => j !== "cross"))
    it(`${joinType} with a residual`, () => {
      const rows = checkAll({ left: L, right: R, joinType, residual: res });
      if (expected[joinType] !== undefined) expect(rows).toEqual(expected[joinType]);
    });

  it("a build row matched by keys but failing the residual everywhere is unmatched", () => {
    const rows = checkAll({ left: L, right: R, joinType: "full", residual: (l, r) => r !== 1 && l !== 1 });
    expect(rows).toContainEqual([null, 1]);
    expect(rows).toContainEqual([1, null]);
  });
});

describe("residualFromPredicate", () => {
  it("evaluates a compiled condition over the combined row", () => {
    // Combined row: id, k, s (left) ++ id, k, v (right). Condition: s <> 'b' AND v > 15.
    const combined = schemaOf([...L.batch.schema.fields, ...R.batch.schema.fields]);
    const ref = (i: number) => E.ref(i, combined.fields[i]!.name, combined.fields[i]!.type, true);
    const cond = resolveCall("and", [
      resolveCall("not", [resolveCall("eq", [ref(2), E.lit("b", T.string)]).expr]).expr,
      resolveCall("gt", [ref(5), E.lit(15, T.float64)]).expr,
    ]).expr;
    const pred = compilePredicate(cond, { timeZone: "UTC", nowMicros: 0 });
    const ls = columnToJs(L.batch.columns[2]!, "s");
    const rv = columnToJs(R.batch.columns[2]!, "v") as number[];
    for (const joinType of JOIN_TYPES.filter((j) => j !== "cross"))
      for (const buildSide of SIDES) {
        const base = {
          left: L,
          right: R,
          joinType,
          buildSide,
          residual: (l: number, r: number) => ls[l] !== "b" && rv[r]! > 15,
        };
        const got = runKernel({
          ...base,
          batchSize: 4,
          makeResidual: (rows, probeIsLeft) => residualFromPredicate(rows, probeIsLeft, combined, pred),
        });
        expect(got.rows, `${joinType} ${buildSide}`).toEqual(runReference(base));
      }
  });
});

describe("empty sides", () => {
  const empty = (s: Side): Side => ({ batch: sliceBatch(s.batch, 0, 0), keys: s.keys });
  it("empty build side, empty probe side, both empty", () => {
    for (const joinType of JOIN_TYPES.filter((j) => j !== "cross")) {
      checkAll({ left: empty(L), right: R, joinType });
      checkAll({ left: L, right: empty(R), joinType });
      checkAll({ left: empty(L), right: empty(R), joinType });
      checkAll({ left: L, right: empty(R), joinType, residual: () => true });
    }
    expect(checkAll({ left: L, right: empty(R), joinType: "left_anti" }).length).toBe(6);
    expect(
      checkAll({
        left: { batch: L.batch, keys: [] },
        right: { batch: empty(R).batch, keys: [] },
        joinType: "cross",
      }),
    ).toEqual([]);
  });

  it("a build side with no batches added, with or without a known schema", () => {
    for (const schema of [R.batch.schema, undefined]) {
      const table = new JoinHashTable([T.int32], schema);
      table.finish();
      expect(table.numRows).toBe(0);
      const probe = new JoinProbe(table, "left", "right");
      const pairs = probe.probe([L.batch.columns[1]!], L.batch.numRows);
      const out = assembleJoinOutput(
        L.batch,
        table.rows,
        pairs,
        true,
        schemaOf([...L.batch.schema.fields, ...R.batch.schema.fields]),
      );
      expect(out.numRows).toBe(6);
      expect(columnToJs(out.columns[5]!, "v")).toEqual([null, null, null, null, null, null]);
      expect(columnToJs(out.columns[2]!, "s")).toEqual(["a", "b", "c", "d", "e", "f"]);
    }
  });
});

describe("chunked output", () => {
  it("bounds each chunk and carries a row's state across chunks (skewed keys)", () => {
    const n = 60;
    const l = side(
      { k: { type: T.int32, values: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? i : 1)) } },
      ["k"],
    );
    const r = side(
      { k: { type: T.int32, values: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? i : 1)) } },
      ["k"],
    );
    const res = (a: number, b: number) => (a * 31 + b) % 97 === 0;
    for (const joinType of JOIN_TYPES.filter((j) => j !== "cross")) {
      const expected = runReference({ left: l, right: r, joinType, buildSide: "right", residual: res });
      const plain = runReference({ left: l, right: r, joinType, buildSide: "right" });
      for (const buildSide of SIDES)
        for (const maxPairs of [1, 7, 100, 1000]) {
          expect(runKernel({ left: l, right: r, joinType, buildSide, maxPairs, residual: res }).rows).toEqual(
            expected,
          );
          expect(runKernel({ left: l, right: r, joinType, buildSide, maxPairs, batchSize: 64 }).rows).toEqual(
            plain,
          );
        }
    }
  });

  it("without a residual a chunk holds at most maxPairs rows", () => {
    const n = 100;
    const l = side(
      { k: { type: T.int32, values: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : i + 1000)) } },
      ["k"],
    );
    const r = side(
      { k: { type: T.int32, values: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -i)) } },
      ["k"],
    );
    const table = new JoinHashTable([T.int32]);
    table.add([r.batch.columns[1]!], r.batch);
    table.finish();
    const probe = new JoinProbe(table, "left", "right");
    let total = 0;
    for (const c of probe.probeChunks([l.batch.columns[1]!], n, 13)) {
      expect(c.n).toBeLessThanOrEqual(13);
      expect(c.n).toBeGreaterThan(0);
      total += c.n;
    }
    expect(total).toBe(34 * 50 + 66);
  });
});

describe("JoinHashTable and JoinProbe", () => {
  it("reports its shape, sizes and shares a key that is a batch column", () => {
    const table = new JoinHashTable([T.int32]);
    const a = sliceBatch(R.batch, 0, 3);
    const b = sliceBatch(R.batch, 3, 6);
    table.add([a.columns[1]!], a);
    table.add([b.columns[1]!], b);
    table.finish();
    expect(table.numRows).toBe(6);
    expect(table.numKeys).toBe(3);
    expect(table.path).toBe("i32");
    expect(table.keys[0]).toBe(table.rows.columns[1]);
    expect(table.estimatedBytes()).toBeGreaterThan(6 * 4 * 3);
    expect(() => table.add([R.batch.columns[1]!], R.batch)).toThrow(/after finish/);
    expect(() => new JoinProbe(new JoinHashTable([T.int32]), "inner", "right")).toThrow(/before finish/);
    const probe = new JoinProbe(table, "inner", "right");
    expect(() => probe.unmatchedBuildRows()).toThrow(/does not track/);
    expect(() => probe.probe([stringColumnFromArray(["a"])], 1)).toThrow(
      /probe key 0 is string, expected int32/,
    );
    expect(probe.buildRowsToEmit().length).toBe(0);
  });

  it("joinShape covers every join type and build side", () => {
    expect(joinShape("left", "right")).toEqual({
      emit: "pairs",
      probePreserved: true,
      finalBuildOutput: "none",
    });
    expect(joinShape("left", "left")).toEqual({
      emit: "pairs",
      probePreserved: false,
      finalBuildOutput: "unmatched",
    });
    expect(joinShape("right", "left")).toEqual({
      emit: "pairs",
      probePreserved: true,
      finalBuildOutput: "none",
    });
    expect(joinShape("full", "left")).toEqual({
      emit: "pairs",
      probePreserved: true,
      finalBuildOutput: "unmatched",
    });
    expect(joinShape("left_semi", "left")).toEqual({
      emit: "mark",
      probePreserved: false,
      finalBuildOutput: "matched",
    });
    expect(joinShape("left_anti", "right")).toEqual({
      emit: "anti",
      probePreserved: false,
      finalBuildOutput: "none",
    });
  });

  it("joins 100k distinct string keys (table growth) like a Map would", () => {
    const n = 100_000;
    const bk = Array.from({ length: n }, (_, i) => `key-${i * 3}`);
    const pk = Array.from({ length: n }, (_, i) => `key-${i}`);
    const b = batchOf(schemaOf([field("k", T.string)]), [stringColumnFromArray(bk)], n);
    const table = new JoinHashTable([T.string]);
    table.add([b.columns[0]!], b);
    table.finish();
    expect(table.numKeys).toBe(n);
    const pairs = new JoinProbe(table, "inner", "right").probe([stringColumnFromArray(pk)], n);
    expect(pairs.n).toBe(Math.ceil(n / 3));
    let bad = 0;
    for (let i = 0; i < pairs.n; i++) if (pairs.build![i]! * 3 !== pairs.probe[i]!) bad++;
    expect(bad).toBe(0);
  });
});
