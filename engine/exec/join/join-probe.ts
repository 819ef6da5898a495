// The probe side of a hash join: looks each stream batch's keys up in a finished
// `JoinHashTable` and returns index pairs (probe row, build row), or the probe rows alone for
// semi/anti joins; tracks which build rows matched when the build side is preserved.
//
// How a probe batch turns into output (per probe row, after the key lookup):
//   key matches → candidates → residual mask → passing pairs
//                                            → none passed: (row, -1) if the probe side is preserved
// Semi emits a row once if any candidate passes, anti if none does (a null key has none).
// Candidates come out grouped by probe row in probe order, and within a row in build order.
// Output size is bounded by chunking (`probeChunks`): a row with more matches than the bound
// spans chunks, and its "did any pass" state carries over.
import type { Batch, Column } from "../../columnar/column.js";
import type { JoinType } from "../../plan/physical.js";
import type { JoinHashTable } from "./join-hash-table.js";
import {
  identityIndices,
  type JoinPairs,
  type JoinResidual,
  joinShape,
  type ProbeEmit,
} from "./join-shape.js";

// The probe's types live in join-shape.ts; re-exported here for importers of this module.
export {
  type JoinPairs,
  type JoinResidual,
  type JoinShape,
  joinShape,
  type ProbeEmit,
} from "./join-shape.js";

const EMPTY = new Int32Array(0);

/** The residual's mask over no candidates (the residual is not called then). */
const NO_MASK = new Uint8Array(0);

/** Probes stream batches against a finished `JoinHashTable`; see the file header and `joinShape`. */
export class JoinProbe {
  readonly emit: ProbeEmit;
  readonly probePreserved: boolean;
  readonly finalBuildOutput: "none" | "unmatched" | "matched";
  /** Per key id: matched (build tracking without a residual: a key match matches all its rows). */
  private readonly keyMatched: Uint8Array | null = null;
  /** Per build row: matched (build tracking with a residual). */
  private readonly buildMatched: Uint8Array | null = null;
  private ids = new Int32Array(0);

  constructor(
    private readonly table: JoinHashTable,
    readonly joinType: JoinType,
    readonly buildSide: "left" | "right",
    private readonly residual?: JoinResidual,
  ) {
    const shape = joinShape(joinType, buildSide);
    this.emit = shape.emit;
    this.probePreserved = shape.probePreserved;
    this.finalBuildOutput = shape.finalBuildOutput;
    table.rows; // throws unless the table is finished
    if (shape.finalBuildOutput !== "none") {
      if (residual === undefined) this.keyMatched = new Uint8Array(table.numKeys);
      else this.buildMatched = new Uint8Array(table.numRows);
    }
  }

  /** All the output of one probe batch (its `keys` evaluated over its first `numRows` rows). */
  probe(keys: readonly Column[], numRows: number, probeBatch?: Batch): JoinPairs {
    for (const r of this.probeChunks(keys, numRows, Number.POSITIVE_INFINITY, probeBatch)) return r;
    return { probe: EMPTY, build: this.emit === "pairs" ? EMPTY : null, n: 0 };
  }

  /**
   * The output of one probe batch in chunks of at most about `maxPairs` pairs (with a residual
   * in an outer join, up to `numRows` more for unmatched rows). Consume each chunk before
   * asking for the next, and finish one batch before probing the next.
   */
  *probeChunks(
    keys: readonly Column[],
    numRows: number,
    maxPairs = 65536,
    probeBatch?: Batch,
  ): Generator<JoinPairs> {
    if (numRows === 0) return;
    if (this.ids.length < numRows) this.ids = new Int32Array(Math.max(numRows, 1024));
    const ids = this.ids;
    this.table.lookup(keys, numRows, ids);
    if (this.residual === undefined && this.emit !== "pairs") {
      yield this.rowsWithoutResidual(ids, numRows);
      return;
    }
    const start = this.table.keyStart;
    const cap = Math.max(1, maxPairs);
    if (this.table.numKeys === this.table.keyRows.length) {
      // Unique build keys: at most one match per probe row, so a chunk is a run of rows.
      let carried = 0;
      for (let row = 0; row < numRows; row += cap) {
        const end = Math.min(numRows, row + cap);
        const cand = this.uniqueCandidates(ids, row, end);
        if (this.residual === undefined) yield cand;
        else {
          const mask = cand.n === 0 ? NO_MASK : this.residual(cand.probe, cand.build!, cand.n, probeBatch);
          const out = this.applyResidual(cand, mask, row, end, carried, numRows);
          carried = out.carried;
          yield out.pairs;
        }
      }
      return;
    }
    // Without a residual, an unmatched preserved row is one output; with one, outputs are bounded by candidates + rows.
    const unmatchedOut = this.residual === undefined && this.probePreserved;
    let row = 0;
    let off = 0;
    let carried = 0;
    while (row < numRows) {
      // Plan the chunk: from (row, off) to (r, o): rows before r complete, row r consumed up to match o.
      let r = row;
      let o = off;
      let total = 0;
      while (r < numRows) {
        const id = ids[r]!;
        const need = id >= 0 ? start[id + 1]! - start[id]! - o : unmatchedOut ? 1 : 0;
        if (total + need <= cap) {
          total += need;
          r++;
          o = 0;
          continue;
        }
        if (id >= 0) {
          o += cap - total; // a part of this row's matches fills the chunk
          total = cap;
        }
        break;
      }
      const cand = this.candidates(ids, numRows, row, off, r, o, total);
      if (this.residual === undefined) yield cand;
      else {
        const mask = total === 0 ? NO_MASK : this.residual(cand.probe, cand.build!, total, probeBatch);
        const out = this.applyResidual(cand, mask, row, r, carried, numRows);
        carried = out.carried;
        yield out.pairs;
      }
      row = r;
      off = o;
    }
  }

  /** Semi/anti/mark without a residual: a key match is a match. */
  private rowsWithoutResidual(ids: Int32Array, numRows: number): JoinPairs {
    if (this.emit === "mark") {
      const km = this.keyMatched!;
      for (let i = 0; i < numRows; i++) if (ids[i]! >= 0) km[ids[i]!] = 1;
      return { probe: EMPTY, build: null, n: 0 };
    }
    const semi = this.emit === "semi";
    let n = 0;
    for (let i = 0; i < numRows; i++) if (ids[i]! >= 0 === semi) n++;
    const out = new Int32Array(n);
    let p = 0;
    for (let i = 0; i < numRows; i++) if (ids[i]! >= 0 === semi) out[p++] = i;
    return { probe: out, build: null, n };
  }

  /**
   * The pairs of rows (row, off) .. (rEnd, oEnd) (`total` of them): key matches, plus
   * (row, -1) for unmatched preserved rows when there is no residual.
   */
  private candidates(
    ids: Int32Array,
    numRows: number,
    row: number,
    off: number,
    rEnd: number,
    oEnd: number,
    total: number,
  ): JoinPairs {
    const start = this.table.keyStart;
    const keyRows = this.table.keyRows;
    const P = new Int32Array(total);
    const B = new Int32Array(total);
    const km = this.keyMatched;
    const unmatchedOut = this.residual === undefined && this.probePreserved;
    const last = Math.min(rEnd, numRows - 1);
    let n = 0;
    for (let q = row; q <= last; q++) {
      const id = ids[q]!;
      if (id >= 0) {
        const s = start[id]!;
        const from = s + (q === row ? off : 0);
        const to = q === rEnd ? s + oEnd : start[id + 1]!;
        if (to <= from) continue;
        for (let k = from; k < to; k++) {
          P[n] = q;
          B[n++] = keyRows[k]!;
        }
        if (km !== null) km[id] = 1;
      } else if (unmatchedOut && q < rEnd) {
        P[n] = q;
        B[n++] = -1;
      }
    }
    return { probe: P, build: B, n };
  }

  /** `candidates` for rows [row, end) when every build key is unique (`keyRows[id]` is its one row). */
  private uniqueCandidates(ids: Int32Array, row: number, end: number): JoinPairs {
    const keyRows = this.table.keyRows;
    const B = new Int32Array(end - row);
    const km = this.keyMatched;
    // Most probe batches of a lookup join match on every row: the probe side is then the
    // identity (a shared array), and only the build rows are written.
    let q = row;
    for (; q < end; q++) {
      const id = ids[q]!;
      if (id < 0) break;
      B[q - row] = keyRows[id]!;
      if (km !== null) km[id] = 1;
    }
    if (q === end) return { probe: identityIndices(end).subarray(row, end), build: B, n: end - row };
    const P = new Int32Array(end - row);
    let n = q - row;
    for (let i = 0; i < n; i++) P[i] = row + i;
    const unmatchedOut = this.residual === undefined && this.probePreserved;
    for (; q < end; q++) {
      const id = ids[q]!;
      if (id >= 0) {
        P[n] = q;
        B[n++] = keyRows[id]!;
        if (km !== null) km[id] = 1;
      } else if (unmatchedOut) {
        P[n] = q;
        B[n++] = -1;
      }
    }
    return { probe: P, build: B, n };
  }

  /** Applies the residual mask to the candidates of rows row..rEnd; see the file header. */
  private applyResidual(
    cand: JoinPairs,
    mask: Uint8Array,
    row: number,
    rEnd: number,
    carriedIn: number,
    numRows: number,
  ): { pairs: JoinPairs; carried: number } {
    const cp = cand.probe;
    const cb = cand.build!;
    const nc = cand.n;
    const last = Math.min(rEnd, numRows - 1);
    const rows = last - row + 1;
    const emit = this.emit;
    const pairs = emit === "pairs";
    const size = emit === "pairs" ? nc + (this.probePreserved ? rows : 0) : emit === "mark" ? 0 : rows;
    const outP = new Int32Array(size);
    const outB = pairs ? new Int32Array(size) : null;
    const bm = this.buildMatched;
    let p = 0;
    let n = 0;
    let carried = 0;
    for (let q = row; q <= last; q++) {
      let passed = q === row ? carriedIn : 0;
      for (; p < nc && cp[p] === q; p++) {
        if (mask[p] === 0) continue;
        passed = 1;
        if (outB !== null) {
          outP[n] = q;
          outB[n++] = cb[p]!;
        }
        if (bm !== null) bm[cb[p]!] = 1;
      }
      if (q === rEnd) {
        carried = passed; // partly consumed: the rest comes in the next chunk
        break;
      }
      if (passed === 0) {
        if (outB !== null && this.probePreserved) {
          outP[n] = q;
          outB[n++] = -1;
        } else if (emit === "anti") outP[n++] = q;
      } else if (emit === "semi") outP[n++] = q;
    }
    return { pairs: { probe: outP, build: outB, n }, carried };
  }

  /** Build rows that no probe row matched (after the last probe batch; right/full outer, anti with build left). */
  unmatchedBuildRows(): Int32Array {
    return this.buildRowsWhere(0);
  }

  /** Build rows that some probe row matched (semi with build left). */
  matchedBuildRows(): Int32Array {
    return this.buildRowsWhere(1);
  }

  /** The build rows to emit after the last probe batch, per `finalBuildOutput` (empty for "none"). */
  buildRowsToEmit(): Int32Array {
    if (this.finalBuildOutput === "none") return EMPTY;
    return this.buildRowsWhere(this.finalBuildOutput === "matched" ? 1 : 0);
  }

  private buildRowsWhere(matched: number): Int32Array {
    const km = this.keyMatched;
    const bm = this.buildMatched;
    if (km === null && bm === null)
      throw new Error(`join: ${this.joinType} with build side ${this.buildSide} does not track build rows`);
    const n = this.table.numRows;
    const rowKey = this.table.rowKey;
    const flag = new Uint8Array(n);
    let count = 0;
    for (let r = 0; r < n; r++) {
      const k = rowKey[r]!;
      const m = bm !== null ? bm[r]! : k >= 0 ? km![k]! : 0;
      if (m === matched) {
        flag[r] = 1;
        count++;
      }
    }
    const out = new Int32Array(count);
    let p = 0;
    for (let r = 0; r < n; r++) if (flag[r] === 1) out[p++] = r;
    return out;
  }
}
