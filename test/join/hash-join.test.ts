// Semantics of the join kernel: every join type and build side, duplicates and null keys on
// both sides, output assembly, residual conditions, empty sides, chunked output, and the
// table's and probe's API. Each case is checked against a nested-loop reference, and the
// basic ones against rows written out by hand. Key types are in keys.test.ts.
import { describe, expect, it } from "vitest";
import { columnToJs } from "../../engine/api/rows.js";
import { stringColumnFromArray } from "../../engine/columnar/builders.js";
import { batchOf } from "../../engine/columnar/column.js";
import { sliceBatch } from "../../engine/columnar/ops.js";
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
import { field, schemaOf, T } from "../../engine/types/data-type.js";
import {
  checkAll,
  type IdRow,
  JOIN_TYPES,
  rowsOf,
  runKernel,
  runReference,
  SIDES,
  type Side,
  side,
} from "./helpers.js";

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
