// The aggregate function registry: every aggregate Kindling runs, by its canonical name, each
// with its type rule (`resolve`) and its columnar accumulator (`create`). The shapes
// (Accumulator, AggregateDef, AggParams, AggResolution) are defined in `types.ts`.
import { AnalysisError, closestMatch } from "../../errors.js";
import { avg } from "./avg.js";
import { collect_list, collect_set, count_distinct } from "./collect.js";
import { count, sum } from "./count-sum.js";
import { approx_count_distinct } from "./hll.js";
import { first, last, max, min } from "./min-max-first.js";
import { corr, stddev, stddev_pop, stddev_samp, var_pop, var_samp, variance } from "./moments.js";
import { median, percentile_approx } from "./percentile.js";
import type { AggregateDef } from "./types.js";

export type { Accumulator, AggParams, AggResolution, AggregateDef } from "./types.js";

/** Every aggregate function by name (`mean` is an alias of `avg`, `std` of `stddev`). */
export const aggregateFunctions: Readonly<Record<string, AggregateDef>> = {
  count,
  count_distinct,
  approx_count_distinct,
  sum,
  avg,
  mean: { ...avg, name: "mean" },
  min,
  max,
  first,
  last,
  stddev,
  std: { ...stddev, name: "std" },
  stddev_samp,
  stddev_pop,
  variance,
  var_samp,
  var_pop,
  corr,
  collect_list,
  collect_set,
  percentile_approx,
  median,
};

/** Is `name` an aggregate function? */
export const isAggregateFunction = (name: string): boolean => Object.hasOwn(aggregateFunctions, name);

/** The aggregate named `name`, or an AnalysisError that suggests the closest name. */
export function lookupAggregate(name: string): AggregateDef {
  const def = Object.hasOwn(aggregateFunctions, name) ? aggregateFunctions[name] : undefined;
  if (def !== undefined) return def;
  const best = closestMatch(name, Object.keys(aggregateFunctions));
  throw new AnalysisError(
    `unknown aggregate function ${name}${best !== undefined ? `; did you mean ${best}?` : ""}`,
  );
}
