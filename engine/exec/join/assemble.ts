// Output batches of a hash join from index pairs: gathers the probe rows with `takeColumn`
// (none when every probe row is there once, in order: the probe batch's own columns are
// reused) and the build rows as gathered columns (an index of -1 gives a null row), copied
// only when something reads them; the columns are laid out left ++ right.
import { type Batch, batchOf, type Column, nullColumn } from "../../columnar/column.js";
import { takeColumn } from "../../columnar/ops.js";
import type { Schema } from "../../types/data-type.js";
import { gatheredColumn } from "./gathered-column.js";
import { identityIndices, type JoinPairs, type JoinResidual } from "./join-shape.js";

/**
 * The output batch of one probe result. With `pairs.build` (inner/outer/cross): the probe
 * columns gathered at `pairs.probe`, the build columns at `pairs.build` (-1 = nulls), laid out
 * left ++ right (`probeIsLeft` says which side the probe batch is). With `pairs.build` null
 * (semi/anti): the probe rows alone. `outSchema` names the output; its build-side field types
 * stand in when `buildRows` has no columns (an empty build side of unknown schema).
 */
export function assembleJoinOutput(
  probeBatch: Batch,
  buildRows: Batch,
  pairs: JoinPairs,
  probeIsLeft: boolean,
  outSchema: Schema,
): Batch {
  const n = pairs.n;
  const probeCols = isIdentity(pairs.probe, n, probeBatch.numRows)
    ? probeBatch.columns
    : probeBatch.columns.map((c) => takeColumn(c, pairs.probe, n));
  if (pairs.build === null) return batchOf(outSchema, probeCols, n);
  const buildIdx = pairs.build;
  const buildCols = sideColumns(buildRows, outSchema, probeIsLeft, probeCols.length).map((c) =>
    gatheredColumn(c, buildIdx, n),
  );
  return batchOf(outSchema, probeIsLeft ? [...probeCols, ...buildCols] : [...buildCols, ...probeCols], n);
}

/**
 * The output batch of build rows emitted after the last probe batch: the build columns at
 * `rows`, with the probe side's columns all null (`withProbeNulls`: unmatched rows of an outer
 * join) or absent (semi/anti with the build side left). `probeIsLeft` says which side the
 * probe batches were; `outSchema` gives the probe side's (null) column types.
 */
export function assembleBuildRowsOutput(
  buildRows: Batch,
  rows: Int32Array,
  probeIsLeft: boolean,
  outSchema: Schema,
  withProbeNulls: boolean,
): Batch {
  const n = rows.length;
  if (!withProbeNulls)
    return batchOf(
      outSchema,
      buildRows.columns.map((c) => takeColumn(c, rows, n)),
      n,
    );
  const fields = outSchema.fields;
  const nb = buildRows.columns.length;
  const np = fields.length - nb;
  const buildCols = buildRows.columns.map((c) => takeColumn(c, rows, n));
  const probeAt = probeIsLeft ? 0 : nb;
  const probeCols: Column[] = [];
  for (let i = 0; i < np; i++) probeCols.push(nullColumn(fields[probeAt + i]!.type, n));
  return batchOf(outSchema, probeIsLeft ? [...probeCols, ...buildCols] : [...buildCols, ...probeCols], n);
}

/** Are the first n probe indices exactly 0..n-1, covering a batch of `numRows` rows? */
function isIdentity(p: Int32Array, n: number, numRows: number): boolean {
  if (n !== numRows) return false;
  if (p.buffer === identityIndices(0).buffer && p.byteOffset === 0) return true;
  for (let i = 0; i < n; i++) if (p[i] !== i) return false;
  return true;
}

/** The build side's columns: `buildRows`' own, or empty columns of the output's types for a schema-less empty build. */
function sideColumns(
  buildRows: Batch,
  outSchema: Schema,
  probeIsLeft: boolean,
  probeCount: number,
): readonly Column[] {
  const nb = outSchema.fields.length - probeCount;
  if (buildRows.columns.length === nb || buildRows.numRows > 0) return buildRows.columns;
  const at = probeIsLeft ? probeCount : 0;
  return outSchema.fields.slice(at, at + nb).map((f) => nullColumn(f.type, 0));
}

/**
 * A `JoinResidual` from a compiled predicate over the combined row (left ++ right, as in
 * `combinedSchema`; for semi/anti joins too): gathers the candidate pairs into a batch and
 * evaluates the predicate on it (a null mask keeps all). The probe must be given its batch
 * (`probe(keys, n, batch)`).
 */
export function residualFromPredicate(
  buildRows: Batch,
  probeIsLeft: boolean,
  combinedSchema: Schema,
  predicate: (b: Batch) => Uint8Array | null,
): JoinResidual {
  return (probeIdx, buildIdx, n, probeBatch) => {
    if (probeBatch === undefined) throw new Error("join residual: probe() was not given the probe batch");
    const b = assembleJoinOutput(
      probeBatch,
      buildRows,
      { probe: probeIdx, build: buildIdx, n },
      probeIsLeft,
      combinedSchema,
    );
    return predicate(b) ?? new Uint8Array(n).fill(1);
  };
}
