// Dense ranks of a string column's values in UTF-8 byte order, so that a string sort key
// becomes one 32-bit word for the radix sort. Few distinct values (checked on a sample): the
// GroupTable dictionary-encodes the column in one sequential pass and only the distinct
// strings are sorted. Many: an MSD sort of the rows over 11-byte chunks (one stable radix pass
// per chunk, recursing only into runs that still tie), with comparison sorts for short runs.
import type { Column } from "../../columnar/column.js";
import { sliceColumn } from "../../columnar/ops.js";
import { GroupTable } from "../hash/group-table.js";
import { compareBytes } from "./compare.js";
import { mergeSortSegment, radixSortPositions } from "./radix.js";

const SAMPLE = 16384;

/**
 * Dense ranks (0-based, ascending by UTF-8 bytes) of the strings in rows [0, n) of a string
 * column: equal strings share a rank. Null rows get an unspecified rank (the caller orders
 * nulls through a separate word and zeroes their value words).
 */
export function stringRanks(c: Column, n: number): Uint32Array {
  if (n > 2 * SAMPLE) {
    const table = new GroupTable([c.type]);
    const sample = sliceColumn(c, 0, SAMPLE);
    table.insert([sample], SAMPLE, new Int32Array(SAMPLE));
    if (table.size * 8 <= SAMPLE) {
      const gids = new Int32Array(n);
      table.insert([c], n, gids);
      const dict = table.keys()[0]!;
      const dictRanks = msdRanks(dict, dict.length);
      const ranks = new Uint32Array(n);
      for (let i = 0; i < n; i++) ranks[i] = dictRanks[gids[i]!]!;
      return ranks;
    }
  }
  return msdRanks(c, n);
}

/** Dense ranks by sorting the rows themselves (see the file header). */
export function msdRanks(c: Column, n: number): Uint32Array {
  const o = c.offsets!;
  const d = c.data!;
  const v = c.valid;
  const ranks = new Uint32Array(n);
  const rows = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (v === null || v[i] === 1) rows[m++] = i;
  if (m === 0) return ranks;
  // Skip the prefix every string shares (URLs, codes): it orders nothing.
  const f = rows[0]!;
  const fs = o[f]!;
  let common = o[f + 1]! - fs;
  for (let p = 1; p < m && common > 0; p++) {
    const r = rows[p]!;
    const s = o[r]!;
    const lim = Math.min(common, o[r + 1]! - s);
    let k = 0;
    while (k < lim && d[s + k] === d[fs + k]) k++;
    common = k;
  }
  // newValue[p] = 1 where the string at sorted position p differs from the one before it.
  const newValue = new Uint8Array(m);
  sortStringRange(o, d, rows, 0, m, common, new Int32Array(m), newValue);
  let rank = 0;
  for (let p = 0; p < m; p++) {
    rank += p > 0 ? newValue[p]! : 0;
    ranks[rows[p]!] = rank;
  }
  return ranks;
}

const CHUNK = 11;
const SMALL = 32;

/**
 * Sorts rows[start, end) (all valid, sharing their first `depth` bytes) by bytes: one radix
 * sort over the next 11 bytes plus a length code, then recursion into runs that tie and are
 * longer; short ranges take a comparison sort. Sets newValue inside the range (not at start).
 */
function sortStringRange(
  o: Int32Array,
  d: Uint8Array,
  rows: Int32Array,
  start: number,
  end: number,
  depth: number,
  tmp: Int32Array,
  newValue: Uint8Array,
): void {
  const m = end - start;
  if (m < 2) return;
  if (m <= SMALL) {
    const cmp = (a: number, b: number) =>
      compareBytes(d, o[a]! + depth, o[a + 1]!, d, o[b]! + depth, o[b + 1]!);
    mergeSortSegment(rows, start, end, cmp, tmp);
    for (let p = start + 1; p < end; p++) newValue[p] = cmp(rows[p - 1]!, rows[p]!) !== 0 ? 1 : 0;
    return;
  }
  const w0 = new Uint32Array(m);
  const w1 = new Uint32Array(m);
  const w2 = new Uint32Array(m);
  for (let p = 0; p < m; p++) {
    const r = rows[start + p]!;
    const s = o[r]! + depth;
    const len = o[r + 1]! - s;
    let a: number;
    let b: number;
    let c: number;
    // Bytes past the end read as 0; the length code (0..11, or 12 = longer) breaks those ties.
    if (len >= CHUNK) {
      a = (d[s]! << 24) | (d[s + 1]! << 16) | (d[s + 2]! << 8) | d[s + 3]!;
      b = (d[s + 4]! << 24) | (d[s + 5]! << 16) | (d[s + 6]! << 8) | d[s + 7]!;
      c = (d[s + 8]! << 24) | (d[s + 9]! << 16) | (d[s + 10]! << 8);
    } else {
      a = b = c = 0;
      for (let k = 0; k < 4; k++) a = (a << 8) | (k < len ? d[s + k]! : 0);
      for (let k = 4; k < 8; k++) b = (b << 8) | (k < len ? d[s + k]! : 0);
      for (let k = 8; k < CHUNK; k++) c = (c << 8) | (k < len ? d[s + k]! : 0);
      c <<= 8;
    }
    w0[p] = a >>> 0;
    w1[p] = b >>> 0;
    w2[p] = (c | (len > CHUNK ? CHUNK + 1 : len)) >>> 0;
  }
  const order = radixSortPositions([w0, w1, w2], m);
  const sorted = tmp.subarray(0, m);
  for (let p = 0; p < m; p++) sorted[p] = rows[start + order[p]!]!;
  rows.set(sorted, start);
  // Runs of equal words: a different run is a different string; a run with the "longer" length
  // code ties on these bytes only and is ordered by the rest.
  let p = 0;
  while (p < m) {
    const a = order[p]!;
    const x0 = w0[a]!;
    const x1 = w1[a]!;
    const x2 = w2[a]!;
    let q = p + 1;
    while (q < m) {
      const z = order[q]!;
      if (w0[z] !== x0 || w1[z] !== x1 || w2[z] !== x2) break;
      newValue[start + q++] = 0;
    }
    if (p > 0) newValue[start + p] = 1;
    if (q - p > 1 && (x2 & 0xff) === CHUNK + 1)
      sortStringRange(o, d, rows, start + p, start + q, depth + CHUNK, tmp, newValue);
    p = q;
  }
}
