// Decimal arithmetic kernels with Spark's result types: operands keep their own scales, the
// exact result is rounded half-up to the result scale, and a result beyond the result
// precision is null (non-ANSI). Rows whose unscaled values are below 2^53 take a double path
// that is exact; the others use BigInt.
import { type Column, i64Halves, nullColumn, writeI64 } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import {
  adjustPrecisionScale,
  decHalves,
  decNum,
  divPow10HalfUp,
  divRound,
  fitsBig,
  POW10,
  POW10_BIG,
  readDecimal,
  rescaleBig,
  writeDecimal,
  writeDecNum,
} from "../kernels/decimal.js";
import { andValid, writableValid } from "../kernels/util.js";

type Dec = { readonly kind: "decimal"; readonly precision: number; readonly scale: number };

/** Decimal arithmetic operators. */
export type DecimalOp = "add" | "subtract" | "multiply" | "divide" | "mod" | "pmod" | "div";

/** Spark's result type of a decimal operation (allowPrecisionLoss = true). */
export function decimalResultType(op: DecimalOp, a: Dec, b: Dec): DataType {
  const { precision: p1, scale: s1 } = a;
  const { precision: p2, scale: s2 } = b;
  switch (op) {
    case "add":
    case "subtract": {
      const s = Math.max(s1, s2);
      return adjustPrecisionScale(Math.max(p1 - s1, p2 - s2) + s + 1, s);
    }
    case "multiply":
      return adjustPrecisionScale(p1 + p2 + 1, s1 + s2);
    case "divide": {
      const s = Math.max(6, s1 + p2 + 1);
      return adjustPrecisionScale(p1 - s1 + s2 + s, s);
    }
    case "mod":
    case "pmod": {
      const s = Math.max(s1, s2);
      return adjustPrecisionScale(Math.min(p1 - s1, p2 - s2) + s, s);
    }
    case "div":
      return { kind: "int64" };
  }
}

const SAFE = 9007199254740992;

/** The exact BigInt result of `op` at `scale` (before the result rounding), or null (division by zero). */
function bigOp(
  op: DecimalOp,
  x: bigint,
  sa: number,
  y: bigint,
  sb: number,
): { v: bigint; scale: number } | null {
  const sm = Math.max(sa, sb);
  switch (op) {
    case "add":
      return { v: x * POW10_BIG[sm - sa]! + y * POW10_BIG[sm - sb]!, scale: sm };
    case "subtract":
      return { v: x * POW10_BIG[sm - sa]! - y * POW10_BIG[sm - sb]!, scale: sm };
    case "multiply":
      return { v: x * y, scale: sa + sb };
    case "divide":
      if (y === 0n) return null;
      // Java BigDecimal.divide(that, 38, HALF_UP), as Spark's Decimal./ does.
      return { v: divRound(x * POW10_BIG[38 + sb - sa]!, y, "half_up"), scale: 38 };
    case "mod":
    case "pmod": {
      if (y === 0n) return null;
      const a = x * POW10_BIG[sm - sa]!;
      const b = y * POW10_BIG[sm - sb]!;
      let r = a % b;
      if (op === "pmod" && r < 0n) r = (r + b) % b;
      return { v: r, scale: sm };
    }
    case "div":
      if (y === 0n) return null;
      return { v: (x * POW10_BIG[sb]!) / (y * POW10_BIG[sa]!), scale: 0 };
  }
}

/** A kernel for `op` over decimal(a) and decimal(b) giving `result`. */
export function decimalKernel(op: DecimalOp, a: Dec, b: Dec, result: DataType) {
  const sa = a.scale;
  const sb = b.scale;
  const sm = Math.max(sa, sb);
  const ma = POW10[sm - sa]!;
  const mb = POW10[sm - sb]!;
  const toLong = result.kind === "int64";
  const p = result.kind === "decimal" ? result.precision : 38;
  const s = result.kind === "decimal" ? result.scale : 0;
  const limit = p <= 15 ? POW10[p]! : SAFE;
  // Number path for one row: the exact result at scale s, or NaN when it cannot be done exactly.
  // One specialised function per operator, chosen once (no per-row dispatch).
  const finish = (r: number, rs: number): number => {
    if (!(Math.abs(r) < SAFE)) return Number.NaN;
    if (rs === s) return r;
    if (rs > s && rs - s <= 15) return divPow10HalfUp(r, rs - s);
    return Number.NaN;
  };
  const exactScaled = (v: number, m: number): number => {
    const r = v * m;
    return Math.abs(r) < SAFE ? r : Number.NaN;
  };
  let fast: (x: number, y: number) => number;
  switch (op) {
    case "add":
      fast = (x, y) => finish(exactScaled(x, ma) + exactScaled(y, mb), sm);
      break;
    case "subtract":
      fast = (x, y) => finish(exactScaled(x, ma) - exactScaled(y, mb), sm);
      break;
    case "multiply":
      fast = (x, y) => finish(x * y, sa + sb);
      break;
    case "mod":
    case "pmod":
      fast = (x, y) => {
        const xa = exactScaled(x, ma);
        const yb = exactScaled(y, mb);
        let r = xa % yb;
        if (op === "pmod" && r < 0) r = (r + yb) % yb;
        return finish(r, sm);
      };
      break;
    default:
      fast = () => Number.NaN;
  }
  const nullOnZero = op === "divide" || op === "mod" || op === "pmod" || op === "div";
  return (args: readonly Column[], n: number): Column => {
    const [ca, cb] = args as [Column, Column];
    if (ca.type.kind === "null" || cb.type.kind === "null") return nullColumn(result, n);
    const ha = decHalves(ca);
    const hb = decHalves(cb);
    const va = ca.values as BigInt64Array;
    const vb = cb.values as BigInt64Array;
    const ov = writableValid(andValid(ca.valid, cb.valid, n), n);
    const out = new BigInt64Array(toLong ? n : 2 * n);
    const oh = i64Halves(out);
    for (let i = 0; i < n; i++) {
      if (ov[i] === 0) continue;
      const x = decNum(ha, i);
      const y = decNum(hb, i);
      if (nullOnZero && y === 0) {
        ov[i] = 0;
        continue;
      }
      if (!toLong && !Number.isNaN(x) && !Number.isNaN(y)) {
        const r = fast(x, y);
        if (!Number.isNaN(r)) {
          if (r < limit && r > -limit) writeDecNum(oh, i, r === 0 ? 0 : r);
          else ov[i] = 0;
          continue;
        }
      }
      const res = bigOp(op, readDecimal(va, i), sa, readDecimal(vb, i), sb);
      if (res === null) {
        ov[i] = 0;
        continue;
      }
      if (toLong) {
        const v = BigInt.asIntN(64, res.v);
        if (v < 9007199254740992n && v > -9007199254740992n) writeI64(oh, i, Number(v));
        else out[i] = v;
        continue;
      }
      const v = rescaleBig(res.v, res.scale, s, "half_up");
      if (fitsBig(v, p)) writeDecimal(out, i, v);
      else ov[i] = 0;
    }
    return { type: result, length: n, valid: ov, values: out };
  };
}

/** Negation of a decimal column (cannot overflow). */
export function negateDecimal(c: Column, n: number): Column {
  if (c.type.kind === "null") return c;
  const h = decHalves(c);
  const vals = c.values as BigInt64Array;
  const out = new BigInt64Array(2 * n);
  const oh = i64Halves(out);
  for (let i = 0; i < n; i++) {
    const x = decNum(h, i);
    if (!Number.isNaN(x)) writeDecNum(oh, i, x === 0 ? 0 : -x);
    else writeDecimal(out, i, -readDecimal(vals, i));
  }
  return { type: c.type, length: n, valid: c.valid, values: out };
}
