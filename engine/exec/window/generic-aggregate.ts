// Any registry aggregate over frames, through its columnar Accumulator: a whole-partition frame
// is one group per partition; a running frame feeds one accumulator per partition the rows its
// next distinct frame adds and finishes it there (Spark's growing frame); a sliding frame
// gathers the rows of each distinct frame into a group of its own (Spark recomputes sliding
// frames too), in chunks of about a million gathered rows.
import type { Column } from "../../columnar/column.js";
import { concatColumns, sliceColumn, takeColumn } from "../../columnar/ops.js";
import type { AggParams, AggregateDef } from "../agg/types.js";
import type { FrameBounds } from "./frames.js";
import type { WindowLayout } from "./layout.js";

const CHUNK_ROWS = 1 << 20;

/** `def` over each row's frame, for argument columns already of the resolved argument types. */
export function genericFrameAggregate(
  def: AggregateDef,
  args: readonly Column[],
  params: AggParams | undefined,
  l: WindowLayout,
  f: FrameBounds,
): Column {
  const n = l.numRows;
  const argTypes = args.map((a) => a.type);
  const { lo, hi } = f;
  if (n === 0) return def.create(argTypes, params).finish(0);
  if (f.shape === "whole") {
    const acc = def.create(argTypes, params);
    acc.resize(l.numParts);
    acc.update(l.partOf, n, args);
    return takeColumn(acc.finish(l.numParts), l.partOf);
  }
  // Distinct frames: consecutive rows with equal bounds (peers of RANGE frames) share one.
  const frameOf = new Int32Array(n);
  const fLo: number[] = [];
  const fHi: number[] = [];
  for (let r = 0; r < n; r++) {
    if (r === 0 || lo[r] !== lo[r - 1] || hi[r] !== hi[r - 1]) {
      fLo.push(lo[r]!);
      fHi.push(hi[r]!);
    }
    frameOf[r] = fLo.length - 1;
  }
  const numFrames = fLo.length;
  const results: Column[] = [];
  if (f.shape === "running") {
    // Every frame of a partition starts at the partition start, so a new start is a new partition.
    let acc = def.create(argTypes, params);
    let curLo = -1;
    let added = 0;
    for (let fi = 0; fi < numFrames; fi++) {
      if (fLo[fi] !== curLo) {
        acc = def.create(argTypes, params);
        acc.resize(1);
        curLo = fLo[fi]!;
        added = curLo;
      }
      const b = fHi[fi]!;
      if (b > added) {
        const from = added;
        acc.update(
          new Int32Array(b - from),
          b - from,
          args.map((a) => sliceColumn(a, from, b)),
        );
        added = b;
      }
      results.push(acc.finish(1));
    }
  } else {
    let start = 0;
    while (start < numFrames) {
      let rows = 0;
      let end = start;
      while (end < numFrames && (end === start || rows + fHi[end]! - fLo[end]! <= CHUNK_ROWS)) {
        rows += fHi[end]! - fLo[end]!;
        end++;
      }
      const idx = new Int32Array(rows);
      const gids = new Int32Array(rows);
      let k = 0;
      for (let g = start; g < end; g++) {
        for (let i = fLo[g]!; i < fHi[g]!; i++) {
          idx[k] = i;
          gids[k++] = g - start;
        }
      }
      const acc = def.create(argTypes, params);
      acc.resize(end - start);
      acc.update(
        gids,
        rows,
        args.map((a) => takeColumn(a, idx)),
      );
      results.push(acc.finish(end - start));
      start = end;
    }
  }
  return takeColumn(concatColumns(results), frameOf);
}
