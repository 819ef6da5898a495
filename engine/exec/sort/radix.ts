// The two sorting engines under sortIndices: a stable LSD radix sort of positions by keys given
// as unsigned 32-bit words (most significant word first), and a stable merge sort of an index
// segment by a comparator for what words cannot express. Both are loops over typed arrays.
import type { RowComparator } from "./compare.js";

// 11-bit digits (three passes per word): 2048 buckets keep the scatter's write streams
// within the TLB, which measured faster than 8- or 16-bit digits on 10M rows.
const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
const PASSES = 3;

// Reused scratch histograms: touching fresh memory is slow on these machines.
const hist0 = new Int32Array(BUCKETS);
const hist1 = new Int32Array(BUCKETS);
const hist2 = new Int32Array(BUCKETS);

/**
 * The stable ascending order of positions 0..m-1 by their key words: `words[0][p]` is the most
 * significant word of position p, `words[words.length-1][p]` the least. Equal keys keep their
 * position order. A digit that every position shares costs no pass.
 */
export function radixSortPositions(words: readonly Uint32Array[], m: number): Int32Array {
  let pos = new Int32Array(m);
  for (let i = 0; i < m; i++) pos[i] = i;
  if (m < 2) return pos;
  let pos2 = new Int32Array(m);
  let cur = new Uint32Array(m);
  let cur2 = new Uint32Array(m);
  let identity = true;
  for (let w = words.length - 1; w >= 0; w--) {
    const src = words[w]!;
    // Histograms of the three digits, in any order: they decide which passes are needed.
    hist0.fill(0);
    hist1.fill(0);
    hist2.fill(0);
    for (let i = 0; i < m; i++) {
      const x = src[i]!;
      hist0[x & MASK]!++;
      hist1[(x >>> BITS) & MASK]!++;
      hist2[x >>> (2 * BITS)]!++;
    }
    const x0 = src[0]!;
    const need0 = hist0[x0 & MASK] !== m;
    const need1 = hist1[(x0 >>> BITS) & MASK] !== m;
    const need2 = hist2[x0 >>> (2 * BITS)] !== m;
    if (!need0 && !need1 && !need2) continue;
    if (identity) cur.set(src.subarray(0, m));
    else for (let i = 0; i < m; i++) cur[i] = src[pos[i]!]!;
    for (let pass = 0; pass < PASSES; pass++) {
      if (!(pass === 0 ? need0 : pass === 1 ? need1 : need2)) continue;
      const hist = pass === 0 ? hist0 : pass === 1 ? hist1 : hist2;
      const shift = pass * BITS;
      let sum = 0;
      for (let b = 0; b < BUCKETS; b++) {
        const c = hist[b]!;
        hist[b] = sum;
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const x = cur[i]!;
        const d = hist[(x >>> shift) & MASK]!++;
        cur2[d] = x;
        pos2[d] = pos[i]!;
      }
      const c = cur;
      cur = cur2;
      cur2 = c;
      const p = pos;
      pos = pos2;
      pos2 = p;
      identity = false;
    }
  }
  return pos;
}

const INSERTION = 24;

/**
 * Sorts `idx[start, end)` in place, stably, by a comparator of the values (row ids) stored in
 * it. `tmp` is scratch of at least idx.length entries (allocated when omitted).
 */
export function mergeSortSegment(
  idx: Int32Array,
  start: number,
  end: number,
  cmp: RowComparator,
  tmp: Int32Array = new Int32Array(idx.length),
): void {
  const n = end - start;
  if (n < 2) return;
  for (let s = start; s < end; s += INSERTION) insertionSort(idx, s, Math.min(s + INSERTION, end), cmp);
  if (n <= INSERTION) return;
  let src = idx;
  let dst = tmp;
  for (let width = INSERTION; width < n; width *= 2) {
    for (let lo = start; lo < end; lo += 2 * width) {
      const mid = Math.min(lo + width, end);
      const hi = Math.min(lo + 2 * width, end);
      let i = lo;
      let j = mid;
      let k = lo;
      // Already ordered halves (common on presorted input) copy straight through.
      if (mid < hi && cmp(src[mid - 1]!, src[mid]!) <= 0) {
        dst.set(src.subarray(lo, hi), lo);
        continue;
      }
      while (i < mid && j < hi) {
        const a = src[i]!;
        const b = src[j]!;
        if (cmp(b, a) < 0) {
          dst[k++] = b;
          j++;
        } else {
          dst[k++] = a;
          i++;
        }
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== idx) idx.set(src.subarray(start, end), start);
}

function insertionSort(idx: Int32Array, start: number, end: number, cmp: RowComparator): void {
  for (let i = start + 1; i < end; i++) {
    const x = idx[i]!;
    let j = i - 1;
    while (j >= start && cmp(idx[j]!, x) > 0) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = x;
  }
}
