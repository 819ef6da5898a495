// What a hash join's probe produces, per join type and build side: the pair format, the
// residual condition's shape, and the table of supported (join type, build side) combinations.
import type { Batch } from "../../columnar/column.js";
import type { JoinType } from "../../plan/physical.js";

/** Matched rows of one probe batch: n pairs; `build[i]` = -1 for an unmatched preserved probe row; `build` null = probe rows only (semi/anti). Arrays may be longer than n. */
export interface JoinPairs {
  readonly probe: Int32Array;
  readonly build: Int32Array | null;
  readonly n: number;
}

/**
 * A non-equi condition over candidate pairs: returns a mask (1 = the condition is true; null
 * and false are 0) over the first n pairs (probe row probeIdx[i], build row buildIdx[i]).
 * `probeBatch` is whatever batch the caller passed to `probe` (to gather the probe columns).
 */
export type JoinResidual = (
  probeIdx: Int32Array,
  buildIdx: Int32Array,
  n: number,
  probeBatch: Batch | undefined,
) => Uint8Array;

/** What `probe` returns: pairs; probe rows that matched (semi) or did not (anti); or nothing ("mark": the build side is the output, see `buildRowsToEmit`). */
export type ProbeEmit = "pairs" | "semi" | "anti" | "mark";

/** How a (join type, build side) combination runs; see `joinShape`. */
export interface JoinShape {
  readonly emit: ProbeEmit;
  /** Unmatched probe rows are emitted with build = -1. */
  readonly probePreserved: boolean;
  /** What to emit from the build side after the last probe batch. */
  readonly finalBuildOutput: "none" | "unmatched" | "matched";
}

/**
 * The shape of every supported (join type, build side) combination — all of them:
 * - inner, cross: either side; pairs only (cross: a table with no key types).
 * - left + build right / right + build left: the probe side is preserved ((row, -1) pairs).
 * - left + build left / right + build right: the build side is preserved: pairs, then
 *   `unmatchedBuildRows()` at the end (never with a broadcast build side: each task would
 *   emit the unmatched rows again).
 * - full: either side; both preserved.
 * - left_semi / left_anti + build right: probe rows only (`build` null).
 * - left_semi / left_anti + build left: `probe` returns nothing; at the end emit
 *   `matchedBuildRows()` (semi) or `unmatchedBuildRows()` (anti; null keys included).
 */
export function joinShape(joinType: JoinType, buildSide: "left" | "right"): JoinShape {
  const right = buildSide === "right";
  switch (joinType) {
    case "inner":
    case "cross":
      return { emit: "pairs", probePreserved: false, finalBuildOutput: "none" };
    case "left":
      return { emit: "pairs", probePreserved: right, finalBuildOutput: right ? "none" : "unmatched" };
    case "right":
      return { emit: "pairs", probePreserved: !right, finalBuildOutput: right ? "unmatched" : "none" };
    case "full":
      return { emit: "pairs", probePreserved: true, finalBuildOutput: "unmatched" };
    case "left_semi":
      return right
        ? { emit: "semi", probePreserved: false, finalBuildOutput: "none" }
        : { emit: "mark", probePreserved: false, finalBuildOutput: "matched" };
    case "left_anti":
      return right
        ? { emit: "anti", probePreserved: false, finalBuildOutput: "none" }
        : { emit: "mark", probePreserved: false, finalBuildOutput: "unmatched" };
  }
}

let IDENTITY = new Int32Array(0);
/** A shared array with identity[i] = i for i < end (read-only: probe indices of fully matched rows). */
export function identityIndices(end: number): Int32Array {
  if (IDENTITY.length < end) {
    IDENTITY = new Int32Array(Math.max(end, 65536));
    for (let i = 0; i < IDENTITY.length; i++) IDENTITY[i] = i;
  }
  return IDENTITY;
}
