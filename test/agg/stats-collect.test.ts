// Spark 3.5 semantics of the statistical aggregates, corr, collect_list/collect_set,
// count_distinct, approx_count_distinct, percentile_approx and median.
import { describe, expect, it } from "vitest";
import { columnFromValues, type JsValue, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { AnalysisError } from "../../engine/errors.js";
import { aggregateFunctions } from "../../engine/exec/agg/accumulators.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import { rng, runAgg, runGlobal } from "./helpers.js";

const col = (t: DataType, v: readonly JsValue[]): Column => columnFromValues(t, v);
const ints = (v: readonly (number | null)[]) => col(T.int32, v);
const dbls = (v: readonly (number | null)[]) => col(T.float64, v);
const close = (x: unknown, y: number) => expect(x as number).toBeCloseTo(y, 12);

describe("variance and standard deviation", () => {
  const v = dbls([1, 2, null, 3, 4]);
  it("compute sample and population moments, skipping nulls", () => {
    close(runGlobal("var_samp", [v]), 5 / 3);
    close(runGlobal("variance", [v]), 5 / 3);
    close(runGlobal("var_pop", [v]), 1.25);
    close(runGlobal("stddev_samp", [v]), Math.sqrt(5 / 3));
    close(runGlobal("stddev", [v]), Math.sqrt(5 / 3));
    close(runGlobal("stddev_pop", [v]), Math.sqrt(1.25));
    close(runGlobal("stddev", [v], { parts: 3 }), Math.sqrt(5 / 3));
  });
  it("give null for no values, and null (not NaN) for one value in the sample variants", () => {
    expect(runGlobal("stddev_samp", [dbls([null])])).toBe(null);
    expect(runGlobal("var_pop", [dbls([])])).toBe(null);
    expect(runGlobal("stddev_samp", [dbls([5])])).toBe(null);
    expect(runGlobal("var_samp", [dbls([5, null])], { parts: 2 })).toBe(null);
    expect(runGlobal("var_pop", [dbls([5])])).toBe(0);
    expect(Number.isNaN(runGlobal("stddev", [dbls([1, Number.NaN, 2])]))).toBe(true);
  });
  it("cast numbers and strings to double and reject booleans", () => {
    expect(aggregateFunctions.stddev!.resolve([T.decimal(10, 2)]).argTypes).toEqual([T.float64]);
    expect(aggregateFunctions.stddev!.resolve([T.string]).argTypes).toEqual([T.float64]);
    expect(() => aggregateFunctions.var_pop!.resolve([T.boolean])).toThrow(AnalysisError);
  });
});

describe("corr", () => {
  it("is ±1 for linear data and skips rows with a null", () => {
    const x = dbls([1, 2, 3, null, 4]);
    close(runGlobal("corr", [x, dbls([2, 4, 6, 8, 8])]), 1);
    close(runGlobal("corr", [x, dbls([-1, -2, -3, 0, -4])], { parts: 2 }), -1);
  });
  it("is null for fewer than two pairs and for a constant column", () => {
    expect(runGlobal("corr", [dbls([1]), dbls([2])])).toBe(null);
    expect(runGlobal("corr", [dbls([1, null]), dbls([null, 2])])).toBe(null);
    expect(runGlobal("corr", [dbls([1, 1, 1]), dbls([1, 2, 3])])).toBe(null);
    expect(() => aggregateFunctions.corr!.resolve([T.float64])).toThrow(AnalysisError);
  });
});

describe("collect_list and collect_set", () => {
  it("collect non-null values in input order (an empty list for a group with none)", () => {
    const g = runAgg(
      "collect_list",
      [stringColumnFromArray(["a", null, "b", "a", null])],
      [ints([1, 2, 1, 1, 2])],
      {
        batch: 2,
      },
    );
    expect([...g]).toEqual([
      ["[1]", ["a", "b", "a"]],
      ["[2]", []],
    ]);
    expect(runGlobal("collect_list", [ints([3, 1, 2])], { parts: 3 })).toEqual([3, 1, 2]);
    expect(runGlobal("collect_list", [ints([])])).toEqual([]);
  });
  it("collect distinct values (floats normalised) and lists", () => {
    const s = runGlobal("collect_set", [stringColumnFromArray(["a", "b", "a", null, "b", "c"])], {
      parts: 2,
    });
    expect((s as string[]).sort()).toEqual(["a", "b", "c"]);
    const f = runGlobal("collect_set", [dbls([0, -0, Number.NaN, Number.NaN, 1])]) as number[];
    expect(f.length).toBe(3);
    const l = runGlobal("collect_list", [col(T.list(T.int32), [[1], null, [2, 3]])], { parts: 2 });
    expect(l).toEqual([[1], [2, 3]]);
  });
});

describe("count_distinct", () => {
  it("counts distinct non-null values and tuples", () => {
    expect(runGlobal("count_distinct", [ints([1, 2, 1, null, 3])])).toBe(3n);
    expect(runGlobal("count_distinct", [dbls([0, -0, Number.NaN, Number.NaN])])).toBe(2n);
    const a = ints([1, 1, 1, 2, null, 2]);
    const b = stringColumnFromArray(["x", "y", "x", "x", "x", null]);
    expect(runGlobal("count_distinct", [a, b])).toBe(3n);
    expect(runGlobal("count_distinct", [a, b], { parts: 3 })).toBe(3n);
    expect(runGlobal("count_distinct", [ints([])])).toBe(0n);
    const g = runAgg("count_distinct", [ints([1, 1, 2, null])], [ints([7, 7, 8, 8])], { parts: 2 });
    expect([...g]).toEqual([
      ["[7]", 1n],
      ["[8]", 1n],
    ]);
  });
});

describe("approx_count_distinct", () => {
  it("is close to the true count, order-independent, and 0 without values", () => {
    expect(runGlobal("approx_count_distinct", [ints([null])])).toBe(0n);
    expect(runGlobal("approx_count_distinct", [ints([])])).toBe(0n);
    const small = runGlobal("approx_count_distinct", [ints([1, 2, 3, 2, 1, null])]);
    expect(small).toBe(3n);
    for (const d of [1000, 100_000]) {
      const r = rng(d);
      const vals = Array.from({ length: 2 * d }, (_, i) => (i < d ? `k${i}` : `k${Math.floor(r() * d)}`));
      const c = stringColumnFromArray(vals);
      const est = Number(runGlobal("approx_count_distinct", [c], { batch: 10_000 }));
      expect(Math.abs(est - d) / d).toBeLessThan(0.1);
      expect(runGlobal("approx_count_distinct", [c], { parts: 4 })).toBe(BigInt(est));
    }
  });
  it("takes Spark's relativeSD and rejects a bad one", () => {
    const r = runGlobal("approx_count_distinct", [ints(Array.from({ length: 5000 }, (_, i) => i))], {
      params: { relativeSD: 0.01 },
    });
    expect(Math.abs(Number(r) - 5000)).toBeLessThan(250);
    expect(() => aggregateFunctions.approx_count_distinct!.resolve([T.int32], { relativeSD: 0.5 })).toThrow(
      AnalysisError,
    );
  });
});

describe("percentile_approx and median", () => {
  it("answer Spark's documented examples", () => {
    // SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM VALUES (0), (1), (2), (10)
    expect(
      runGlobal("percentile_approx", [ints([0, 1, 2, 10])], {
        params: { percentage: [0.5, 0.4, 0.1], accuracy: 100 },
      }),
    ).toEqual([1, 1, 0]);
    // SELECT percentile_approx(col, 0.5, 100) FROM VALUES (0), (6), (7), (9), (10)
    expect(
      runGlobal("percentile_approx", [ints([0, 6, 7, 9, 10])], {
        params: { percentage: 0.5, accuracy: 100 },
      }),
    ).toBe(7);
    // SELECT median(col) FROM VALUES (0), (10)
    expect(runGlobal("median", [ints([0, 10])])).toBe(5);
  });
  it("pick the value of rank ceil(p·n), keep the input type, skip nulls", () => {
    const v = ints([...Array.from({ length: 100 }, (_, i) => 100 - i), null]);
    expect(
      runGlobal("percentile_approx", [v], { params: { percentage: [0, 0.25, 0.5, 0.99, 1] }, parts: 3 }),
    ).toEqual([1, 25, 50, 99, 100]);
    expect(
      runGlobal("percentile_approx", [col(T.date, ["2021-01-03", "2021-01-01", "2021-01-02"])], {
        params: { percentage: 0.5 },
      }),
    ).toEqual(new Date("2021-01-02"));
    expect(
      runGlobal("percentile_approx", [col(T.int64, [2n ** 60n + 1n, 2n ** 60n, null])], {
        params: { percentage: 0.5 },
      }),
    ).toBe(2n ** 60n);
    expect(
      runGlobal("percentile_approx", [col(T.decimal(20, 2), ["3.10", "-1.00", "2.50"])], {
        params: { percentage: 1 },
      }),
    ).toBe("3.10");
    expect(
      Number.isNaN(runGlobal("percentile_approx", [dbls([Number.NaN, 1, 2])], { params: { percentage: 1 } })),
    ).toBe(true);
    expect(runGlobal("percentile_approx", [ints([null])], { params: { percentage: [0.5] } })).toBe(null);
  });
  it("interpolate the median between neighbours (Spark's percentile)", () => {
    expect(runGlobal("median", [ints([4, 1, 3, 2])])).toBe(2.5);
    expect(runGlobal("median", [dbls([1, 2, 3, null])], { parts: 2 })).toBe(2);
    expect(runGlobal("median", [dbls([])])).toBe(null);
    const g = runAgg("median", [ints([1, 5, 7, 8, 9])], [stringColumnFromArray(["a", "b", "a", "b", "b"])]);
    expect([...g]).toEqual([
      ['["a"]', 4],
      ['["b"]', 8],
    ]);
  });
  it("validate the percentage and accuracy", () => {
    const p = aggregateFunctions.percentile_approx!;
    expect(() => p.resolve([T.int32])).toThrow(/percentage/);
    expect(() => p.resolve([T.int32], { percentage: 1.5 })).toThrow(AnalysisError);
    expect(() => p.resolve([T.int32], { percentage: 0.5, accuracy: 0 })).toThrow(AnalysisError);
    expect(() => p.resolve([T.boolean], { percentage: 0.5 })).toThrow(AnalysisError);
    expect(p.resolve([T.int32], { percentage: [0.5] }).result).toEqual(T.list(T.int32));
  });
});
