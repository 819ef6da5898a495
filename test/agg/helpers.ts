// Test helpers for the aggregation kernels: run one aggregate call over key and argument
// columns, either in one "complete" aggregator or split into partial aggregators whose
// states a "final" aggregator merges, and read the results back as plain JS values.

import { columnToJs, decimalToPlainString } from "../../engine/api/rows.js";
import { readDecimal } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { sliceColumn } from "../../engine/columnar/ops.js";
import { aggregateFunctions } from "../../engine/exec/agg/accumulators.js";
import { type AggCall, HashAggregator } from "../../engine/exec/agg/hash-aggregate.js";
import type { AggParams } from "../../engine/exec/agg/types.js";

/** JS values of a column: int64 and timestamps (µs) as bigint, decimals as exact plain strings, lists as arrays. */
export function js(c: Column): unknown[] {
  if (c.type.kind === "timestamp") {
    const v = c.values as BigInt64Array;
    return Array.from({ length: c.length }, (_, i) => (c.valid !== null && c.valid[i] === 0 ? null : v[i]!));
  }
  if (c.type.kind === "decimal") {
    const t = c.type;
    return Array.from({ length: c.length }, (_, i) =>
      c.valid !== null && c.valid[i] === 0
        ? null
        : decimalToPlainString(readDecimal(c.values as BigInt64Array, i), t.scale),
    );
  }
  if (c.type.kind === "list") {
    const child = js(c.child!);
    const o = c.offsets!;
    return Array.from({ length: c.length }, (_, i) =>
      c.valid !== null && c.valid[i] === 0 ? null : child.slice(o[i], o[i + 1]),
    );
  }
  return columnToJs(c, "x", { bigint: c.type.kind === "int64" });
}

export interface RunOptions {
  params?: AggParams;
  /** Rows per input batch (default: everything in one batch). */
  batch?: number;
  /** Split the input into this many partial aggregations merged by a final one (default: complete mode). */
  parts?: number;
}

/** Slices [s, e) of several columns. */
const sliceAll = (cols: readonly Column[], s: number, e: number) => cols.map((c) => sliceColumn(c, s, e));

/**
 * Runs `name(args...)` grouped by `keys` and returns a map from the JSON of the key tuple to
 * the JS result value (one entry "[]" for a global aggregation).
 */
export function runAgg(
  name: string,
  args: readonly Column[],
  keys: readonly Column[],
  opts: RunOptions = {},
): Map<string, unknown> {
  const def = aggregateFunctions[name]!;
  const res = def.resolve(
    args.map((a) => a.type),
    opts.params,
  );
  const call: AggCall = { def, argTypes: res.argTypes, params: opts.params };
  const keyTypes = keys.map((k) => k.type);
  const n = args[0]?.length ?? keys[0]?.length ?? 0;
  const batch = opts.batch ?? Math.max(1, n);
  const feed = (agg: HashAggregator, s: number, e: number) => {
    for (let p = s; p < e; p += batch) {
      const q = Math.min(e, p + batch);
      agg.addBatch(sliceAll(keys, p, q), [sliceAll(args, p, q)], q - p);
    }
  };
  let out: { keys: Column[]; values: Column[]; numGroups: number };
  if (opts.parts === undefined) {
    const agg = new HashAggregator(keyTypes, [call], "complete");
    feed(agg, 0, n);
    out = agg.finish();
  } else {
    const fin = new HashAggregator(keyTypes, [call], "final");
    const per = Math.ceil(n / opts.parts);
    for (let k = 0; k < opts.parts; k++) {
      const part = new HashAggregator(keyTypes, [call], "partial");
      feed(part, Math.min(n, k * per), Math.min(n, (k + 1) * per));
      const st = part.finish();
      fin.addStateBatch(st.keys, st.values, st.numGroups);
    }
    out = fin.finish();
  }
  const keyVals = out.keys.map(js);
  const vals = js(out.values[0]!);
  const m = new Map<string, unknown>();
  for (let g = 0; g < out.numGroups; g++) m.set(JSON.stringify(keyVals.map((k) => k[g])), vals[g]);
  return m;
}

/** `runAgg` without keys: the single global value. */
export const runGlobal = (name: string, args: readonly Column[], opts: RunOptions = {}): unknown =>
  runAgg(name, args, [], opts).get("[]");

/** A deterministic pseudo-random generator (LCG) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
