// In-place compaction of a batch by a mask: the kept rows are moved down inside the batch's
// own buffers (no allocation), row by row when the kept rows are scattered, and run by run
// (copyWithin) when they come in long runs, as after a selective-but-not-very filter.
import type { Batch, Column } from "./column.js";
import { batchOf } from "./column.js";
import { selectionFromMask, takeColumn, words, wordsPerRow } from "./ops.js";

/**
 * The rows of a batch whose mask byte is non-zero, compacted into the batch's own buffers
 * (no allocation; the result's arrays are prefixes of the input's). Only for a batch that
 * nothing else holds, such as one a scan just read; a column that appears twice is
 * compacted once. List columns are copied instead.
 */
export function compactBatchInPlace(b: Batch, mask: Uint8Array): Batch {
  const n = b.numRows;
  // A predicate's mask may be a boolean column's own values: copy it before moving rows.
  if (b.columns.some((c) => sharesBuffer(c, mask.buffer))) mask = mask.slice(0, n);
  // Runs of kept rows: few long runs are moved with copyWithin, many short ones row by row.
  let runs = 0;
  let kept = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const m = mask[i] !== 0 ? 1 : 0;
    kept += m;
    if (m > prev) runs++;
    prev = m;
  }
  if (kept === n) return b;
  let runAt: Int32Array | null = null;
  if (runs * 16 <= kept) {
    runAt = new Int32Array(2 * runs);
    let r = 0;
    let inRun = false;
    for (let i = 0; i < n; i++) {
      const m = mask[i] !== 0;
      if (m && !inRun) runAt[2 * r] = i;
      else if (!m && inRun) runAt[2 * r++ + 1] = i;
      inRun = m;
    }
    if (inRun) runAt[2 * r + 1] = n;
  }
  const done = new Map<Column, Column>();
  const columns = b.columns.map((c) => {
    let out = done.get(c);
    if (!out) {
      out = runAt !== null ? compactRuns(c, runAt, kept, mask) : compactColumnInPlace(c, mask, n, kept);
      done.set(c, out);
    }
    return out;
  });
  return batchOf(b.schema, columns, kept);
}

function sharesBuffer(c: Column, buf: ArrayBufferLike): boolean {
  if (
    c.values?.buffer === buf ||
    c.valid?.buffer === buf ||
    c.offsets?.buffer === buf ||
    c.data?.buffer === buf
  )
    return true;
  return c.child !== undefined && sharesBuffer(c.child, buf);
}

/** Moves each run [s, e) of `a` (in units of `w` elements per row) down to the write position. */
function moveRuns(
  a: { copyWithin(t: number, s: number, e: number): unknown },
  runs: Int32Array,
  w: number,
): void {
  let dst = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const s = runs[r]!;
    const e = runs[r + 1]!;
    if (dst !== s) a.copyWithin(w * dst, w * s, w * e);
    dst += e - s;
  }
}

/** compactColumnInPlace for long runs of kept rows. */
function compactRuns(c: Column, runs: Int32Array, kept: number, mask: Uint8Array): Column {
  const t = c.type;
  if (t.kind === "list") return takeColumn(c, selectionFromMask(mask, c.length));
  let valid = c.valid;
  if (valid !== null) {
    moveRuns(valid, runs, 1);
    valid = valid.subarray(0, kept);
  }
  if (t.kind === "null") return { type: t, length: kept, valid };
  if (t.kind === "string") {
    const o = c.offsets!;
    const d = c.data!;
    const base = o[0]!;
    let k = 0;
    let p = 0; // bytes written so far
    for (let r = 0; r < runs.length; r += 2) {
      const s = runs[r]!;
      const e = runs[r + 1]!;
      const from = o[s]!;
      const to = o[e]!;
      const shift = from - base - p;
      // Offsets first (o[k+1..] may overwrite o[s..e] only after they were read).
      for (let i = s; i < e; i++) o[++k] = o[i + 1]! - base - shift;
      if (from !== base + p) d.copyWithin(base + p, from, to);
      p += to - from;
    }
    o[0] = 0;
    if (base !== 0) d.copyWithin(0, base, base + p);
    return { type: t, length: kept, valid, offsets: o.subarray(0, kept + 1), data: d.subarray(0, p) };
  }
  if (t.kind === "float64" || wordsPerRow(t) === 0) {
    const v = c.values as Float64Array | Int32Array | Uint8Array;
    moveRuns(v, runs, 1);
    return { type: t, length: kept, valid, values: v.subarray(0, kept) };
  }
  const w = wordsPerRow(t);
  moveRuns(words(c.values!), runs, w);
  return { type: t, length: kept, valid, values: (c.values as BigInt64Array).subarray(0, (kept * w) >> 1) };
}

function compactColumnInPlace(c: Column, mask: Uint8Array, n: number, kept: number): Column {
  const t = c.type;
  if (t.kind === "list") return takeColumn(c, selectionFromMask(mask, n));
  let valid = c.valid;
  if (valid !== null) {
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i] !== 0) valid[k++] = valid[i]!;
    valid = valid.subarray(0, kept);
  }
  if (t.kind === "null") return { type: t, length: kept, valid };
  if (t.kind === "string") {
    const o = c.offsets!;
    const d = c.data!;
    let k = 0;
    let p = o[0]!;
    const base = p;
    let e = base;
    for (let i = 0; i < n; i++) {
      // Read the start before o[i] may have been rewritten (k <= i).
      const s = e;
      e = o[i + 1]!;
      if (mask[i] !== 0) {
        const len = e - s;
        if (p !== s) {
          if (len < 24) for (let q = 0; q < len; q++) d[p + q] = d[s + q]!;
          else d.copyWithin(p, s, e);
        }
        p += len;
        o[++k] = p - base;
      }
    }
    o[0] = 0;
    if (base !== 0) {
      d.copyWithin(0, base, p);
    }
    return { type: t, length: kept, valid, offsets: o.subarray(0, kept + 1), data: d.subarray(0, p - base) };
  }
  const w = wordsPerRow(t);
  if (w === 0) {
    const v = c.values as Uint8Array | Int32Array;
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i] !== 0) v[k++] = v[i]!;
    return { type: t, length: kept, valid, values: v.subarray(0, kept) };
  }
  if (t.kind === "float64") {
    const v = c.values as Float64Array;
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i] !== 0) v[k++] = v[i]!;
    return { type: t, length: kept, valid, values: v.subarray(0, kept) };
  }
  const v = words(c.values!);
  let k = 0;
  if (w === 2) {
    for (let i = 0; i < n; i++) {
      if (mask[i] !== 0) {
        v[2 * k] = v[2 * i]!;
        v[2 * k + 1] = v[2 * i + 1]!;
        k++;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (mask[i] !== 0) {
        for (let q = 0; q < w; q++) v[w * k + q] = v[w * i + q]!;
        k++;
      }
    }
  }
  const values = (c.values as BigInt64Array).subarray(0, (kept * w) >> 1);
  return { type: t, length: kept, valid, values };
}
