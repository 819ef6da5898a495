// The columnar kernel of a hash join, in one import: the build side (`JoinHashTable`), the
// probe (`JoinProbe`, which says per join type and build side what it emits), and the output
// assembly. HashJoinExec drives them:
//
//   table = new JoinHashTable(keyTypes, buildSchema)
//   for each build batch: table.add(evaluatedKeys, batch)           // pipeline breaker
//   table.finish()
//   residual = condition && residualFromPredicate(table.rows, buildSide === "right", leftRightSchema, compiledPredicate)
//   probe = new JoinProbe(table, joinType, buildSide, residual?)
//   for each stream batch b: for (const pairs of probe.probeChunks(keys(b), b.numRows, 65536, b))
//     emit assembleJoinOutput(b, table.rows, pairs, buildSide === "right", schema)   // unless emit === "mark"
//   rows = probe.buildRowsToEmit()                                   // when finalBuildOutput !== "none"
//   emit assembleBuildRowsOutput(table.rows, rows, buildSide === "right", schema, probe.emit === "pairs")
//
// Semantics are Spark's: a null in any key never matches; NaN equals NaN and -0.0 equals 0.0;
// a residual (non-equi) condition decides, among key matches, what counts as a match.
export type { JoinType } from "../../plan/physical.js";
export { assembleBuildRowsOutput, assembleJoinOutput, residualFromPredicate } from "./assemble.js";
export { columnBytes, JoinHashTable } from "./join-hash-table.js";
export { JoinProbe } from "./join-probe.js";
export {
  type JoinPairs,
  type JoinResidual,
  type JoinShape,
  joinShape,
  type ProbeEmit,
} from "./join-shape.js";
export { type KeyPath, keyPathOf } from "./key-index.js";
