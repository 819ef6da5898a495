// Per-group sums of doubles with the count of values added (sum, and avg's buffer), updated
// from int32, int64 or float64 columns by one loop per input type and validity, so each loop
// stays monomorphic. A count of 0 means the group saw no value (its sum is null).
import type { Column } from "../../columnar/column.js";
import { growF64, int64AsDoubles } from "./types.js";

/** Per-group double sums (in input order) and counts of the values added (avg's count; > 0 = seen). */
export class DoubleSums {
  sum = new Float64Array(0);
  cnt = new Float64Array(0);
  resize(n: number): void {
    this.sum = growF64(this.sum, n);
    this.cnt = growF64(this.cnt, n);
  }
  /** Adds the valid rows of an int32, int64 or float64 column (as doubles). */
  add(gids: Int32Array, n: number, c: Column): void {
    const v = c.valid;
    if (c.type.kind === "int64") addF64(this.sum, this.cnt, gids, n, int64AsDoubles(c, n), v);
    else if (c.type.kind === "float64") addF64(this.sum, this.cnt, gids, n, c.values as Float64Array, v);
    else addI32(this.sum, this.cnt, gids, n, c.values as Int32Array, v);
  }
  /** Validity of groups 0..n-1: valid where a value was added (null when all were). */
  seen(n: number): Uint8Array | null {
    const k = this.cnt;
    for (let g = 0; g < n; g++) {
      if (k[g] !== 0) continue;
      const valid = new Uint8Array(n);
      for (let h = 0; h < n; h++) valid[h] = k[h] !== 0 ? 1 : 0;
      return valid;
    }
    return null;
  }
  bytes(): number {
    return this.sum.byteLength + this.cnt.byteLength;
  }
}

// One loop per input array type and validity, so that each stays monomorphic.
function addF64(
  s: Float64Array,
  k: Float64Array,
  gids: Int32Array,
  n: number,
  a: Float64Array,
  v: Uint8Array | null,
): void {
  if (v === null) {
    for (let i = 0; i < n; i++) {
      const g = gids[i]!;
      s[g]! += a[i]!;
      k[g]!++;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (v[i] === 0) continue;
    const g = gids[i]!;
    s[g]! += a[i]!;
    k[g]!++;
  }
}

function addI32(
  s: Float64Array,
  k: Float64Array,
  gids: Int32Array,
  n: number,
  a: Int32Array,
  v: Uint8Array | null,
): void {
  if (v === null) {
    for (let i = 0; i < n; i++) {
      const g = gids[i]!;
      s[g]! += a[i]!;
      k[g]!++;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (v[i] === 0) continue;
    const g = gids[i]!;
    s[g]! += a[i]!;
    k[g]!++;
  }
}
