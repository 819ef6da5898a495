// The frame kernels (count, sum, avg, min, max, first, last, the variance family) against the
// registry accumulators run over the same frames through the generic path: equal values, and
// bit-identical doubles where both add the frame's rows in the same order (Spark's order);
// long sliding double sums (compensated add/remove) agree up to rounding.
import { describe, expect, it } from "vitest";
import { takeBatch } from "../../engine/columnar/ops.js";
import { lookupAggregate } from "../../engine/exec/agg/accumulators.js";
import { sortIndices, sortKeysOf } from "../../engine/exec/sort/sort.js";
import { WindowEvaluator } from "../../engine/exec/window/evaluate.js";
import { genericFrameAggregate } from "../../engine/exec/window/generic-aggregate.js";
import type { FrameSpec } from "../../engine/exec/window/types.js";
import { T } from "../../engine/types/data-type.js";
import { jsValues, randomBatch } from "../sort/helpers.js";

const FRAMES: (FrameSpec | null)[] = [
  null,
  { type: "rows", start: null, end: null },
  { type: "rows", start: null, end: 0 },
  { type: "rows", start: -3, end: 2 },
  { type: "rows", start: 0, end: null },
  { type: "rows", start: 2, end: 6 },
  { type: "range", start: -2, end: 1 },
  { type: "range", start: 0, end: null },
];

describe("frame kernels equal the accumulators", () => {
  it("over random data, every frame shape", () => {
    // Columns: p (partition), o (order), x (double), i (int), s (string), l (int64).
    const raw = randomBatch([T.int32, T.int32, T.float64, T.int32, T.string, T.int64], 3000, 77, 12, 0.15);
    const b = {
      ...raw,
      columns: raw.columns.map((c, k) =>
        k === 2
          ? { ...c, values: (c.values as Float64Array).map((v) => (Number.isFinite(v) ? v % 1e6 : v)) }
          : c,
      ),
    };
    const orders = [
      { index: 0, ascending: true, nullsFirst: true },
      { index: 1, ascending: true, nullsFirst: true },
    ];
    const sorted = takeBatch(b, sortIndices(sortKeysOf(b, orders), b.numRows));
    const ev = new WindowEvaluator(sorted, { partitionBy: [0], orderBy: [orders[1]!] });
    const calls: [string, number[]][] = [
      ["count", []],
      ["count", [2]],
      ["count", [2, 4]],
      ["sum", [2]],
      ["sum", [3]],
      ["sum", [5]],
      ["avg", [2]],
      ["min", [2]],
      ["max", [4]],
      ["min", [5]],
      ["first", [4]],
      ["last", [2]],
      ["stddev_samp", [2]],
      ["var_pop", [2]],
    ];
    for (const frame of FRAMES) {
      const f = ev.boundsOf(frame ?? { type: "range", start: null, end: 0 });
      for (const [fn, args] of calls) {
        const fast = ev.evaluate({ fn, args }, frame);
        const cols = args.map((i) => sorted.columns[i]!);
        const slow = genericFrameAggregate(lookupAggregate(fn), cols, undefined, ev.layout, f);
        expect(fast.type, `${fn} ${JSON.stringify(frame)}`).toEqual(slow.type);
        const label = `${fn}(${args}) ${JSON.stringify(frame)}`;
        // Long sliding frames of double sums add and remove rows with compensation instead of
        // re-adding each frame: equal up to rounding, not bit for bit.
        const compensated =
          frame?.start === 0 && frame.end === null && (fn === "sum" || fn === "avg") && args[0] === 2;
        if (!compensated) expect(jsValues(fast), label).toEqual(jsValues(slow));
        else {
          const a = jsValues(fast) as (number | null)[];
          const e = jsValues(slow) as (number | null)[];
          a.forEach((x, r) => {
            const y = e[r]!;
            if (x === null || y === null || !Number.isFinite(x)) expect(x, label).toEqual(y);
            else expect(Math.abs(x - y), label).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
          });
        }
      }
    }
  });
});
