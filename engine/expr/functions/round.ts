// round (HALF_UP) and bround (HALF_EVEN) as Spark computes them: integers round at a
// negative scale and wrap, doubles round their shortest decimal representation (Java's
// BigDecimal.valueOf(d), so round(1.005, 2) = 1.01 and round(-2.5) = -3), decimals round to
// a narrower scale with Spark 3.4+'s result type. NaN and infinities are returned as is.
import { type Column, i64Halves, i64IsSafe, nullColumn, readI64, writeI64 } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, isIntegral, typeName } from "../../types/data-type.js";
import {
  decHalves,
  decimal,
  decNum,
  divRound,
  fitsBig,
  MAX_PRECISION,
  POW10,
  POW10_BIG,
  type Rounding,
  readDecimal,
  writeDecimal,
  writeDecNum,
} from "../kernels/decimal.js";
import { writableValid } from "../kernels/util.js";
import { defineFunction } from "../registry.js";
import { argTypeError, checkArity, setNullRule } from "./common.js";

const TWO52 = 4503599627370496;

/** Rounds an integer-valued safe number to a multiple of 10^k (k > 0) with `mode`. */
function roundInt(v: number, k: number, mode: Rounding): number {
  if (k > 15) return 0;
  const p = POW10[k]!;
  const q = Math.trunc(v / p);
  const r = v - q * p;
  const twice = Math.abs(r) * 2;
  let up = false;
  if (twice > p) up = true;
  else if (twice === p) up = mode === "half_up" || Math.abs(q) % 2 === 1;
  return (up ? q + Math.sign(v) : q) * p;
}

/** round/bround of a double to `d` decimal places through its shortest decimal form. */
export function roundDouble(x: number, d: number, mode: Rounding): number {
  if (!Number.isFinite(x)) return x;
  if (d >= -22 && d <= 22) {
    const p = POW10[Math.abs(d)]!;
    const y = d >= 0 ? x * p : x / p;
    const a = Math.abs(y);
    if (a < TWO52) {
      const fl = Math.floor(a);
      const fr = a - fl;
      // Far from a tie, the binary value and its decimal form round the same way.
      if (Math.abs(fr - 0.5) > a * 1e-15 + 1e-9) {
        const k = fr > 0.5 ? fl + 1 : fl;
        if (k === 0) return 0;
        const m = y < 0 ? -k : k;
        return d >= 0 ? m / p : m * p;
      }
    }
  }
  const [mant, expS] = x.toExponential().split("e") as [string, string];
  const digits = mant.replace("-", "").replace(".", "");
  // x = ±digits × 10^shift
  const shift = Number(expS) - (digits.length - 1);
  let u = BigInt(digits);
  if (mant.startsWith("-")) u = -u;
  const toScale = shift + d; // unscaled at scale d = u × 10^(shift + d)
  if (toScale >= 0) return x;
  const r = divRound(u, 10n ** BigInt(-toScale), mode);
  return r === 0n ? 0 : Number(`${r}e${-d}`);
}

/** The result type of round/bround (Spark 3.4+: decimals keep room for a carry). */
export function roundResultType(t: DataType, d: number): DataType {
  if (t.kind !== "decimal") return t;
  const { precision: p, scale: s } = t;
  const intDigits = p - s + 1;
  if (d < 0) return decimal(Math.min(Math.max(intDigits, -d + 1), MAX_PRECISION), 0);
  const ns = Math.min(s, d);
  return decimal(Math.min(intDigits + ns, MAX_PRECISION), ns);
}

function scaleArg(
  fn: string,
  args: readonly { kind: string; value?: unknown }[],
  types: readonly DataType[],
): number {
  if (types.length < 2) return 0;
  const e = args[1];
  if (e === undefined || e.kind !== "Literal" || !isIntegral(types[1]!))
    throw new AnalysisError(`${fn}: the scale must be an integer literal, got ${typeName(types[1]!)}`);
  const v = Number(e.value);
  if (!Number.isInteger(v)) throw new AnalysisError(`${fn}: the scale must be an integer literal`);
  return v;
}

function roundKernel(t: DataType, result: DataType, d: number, mode: Rounding) {
  return (args: readonly Column[], n: number): Column => {
    const c = args[0]!;
    if (c.type.kind === "null") return c;
    switch (t.kind) {
      case "int32": {
        if (d >= 0) return c;
        const v = c.values as Int32Array;
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = roundInt(v[i]!, -d, mode) | 0;
        return { type: result, length: n, valid: c.valid, values: out };
      }
      case "int64": {
        if (d >= 0) return c;
        const v = c.values as BigInt64Array;
        const h = i64Halves(v);
        const out = new BigInt64Array(n);
        const oh = i64Halves(out);
        for (let i = 0; i < n; i++) {
          const r = i64IsSafe(h, i) ? roundInt(readI64(h, i), -d, mode) : Number.NaN;
          if (Math.abs(r) < 9007199254740992) writeI64(oh, i, r === 0 ? 0 : r);
          else
            out[i] = BigInt.asIntN(64, -d > 38 ? 0n : divRound(v[i]!, POW10_BIG[-d]!, mode) * POW10_BIG[-d]!);
        }
        return { type: result, length: n, valid: c.valid, values: out };
      }
      case "float64": {
        const v = c.values as Float64Array;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = roundDouble(v[i]!, d, mode);
        return { type: result, length: n, valid: c.valid, values: out };
      }
      case "decimal": {
        const r = result as { kind: "decimal"; precision: number; scale: number };
        const s = t.scale;
        const k = s - Math.min(s, d); // digits removed from the unscaled value
        const h = decHalves(c);
        const vals = c.values as BigInt64Array;
        const out = new BigInt64Array(2 * n);
        const oh = i64Halves(out);
        const ov = writableValid(c.valid, n);
        const mul = d < 0 ? -d : 0; // zeros appended after dropping (negative scales)
        for (let i = 0; i < n; i++) {
          if (ov[i] === 0) continue;
          const x = decNum(h, i);
          if (!Number.isNaN(x) && k <= 15) {
            const q = k === 0 ? x : roundInt(x, k, mode) / POW10[k - mul]!;
            if (Math.abs(q) < POW10[Math.min(r.precision, 15)]! || r.precision > 15) {
              writeDecNum(oh, i, q === 0 ? 0 : q);
              continue;
            }
          }
          const big = readDecimal(vals, i);
          const q = divRound(big, POW10_BIG[k]!, mode) * POW10_BIG[mul]!;
          if (fitsBig(q, r.precision)) writeDecimal(out, i, q);
          else ov[i] = 0;
        }
        return { type: result, length: n, valid: ov, values: out };
      }
      default:
        throw new Error(`round: unsupported type ${t.kind}`);
    }
  };
}

for (const [name, mode] of [
  ["round", "half_up"],
  ["bround", "half_even"],
] as const) {
  defineFunction({
    name,
    resolve: (types, args) => {
      checkArity(name, types, 1, 2);
      let t = types[0]!;
      if (t.kind === "string" || t.kind === "null") t = { kind: "float64" };
      if (t.kind !== "int32" && t.kind !== "int64" && t.kind !== "float64" && t.kind !== "decimal")
        throw argTypeError(name, 0, types[0]!, "numeric");
      const d = scaleArg(name, args as never, types);
      const argTypes: DataType[] = types.length === 2 ? [t, { kind: "int32" }] : [t];
      return { argTypes, result: roundResultType(t, d) };
    },
    compile: (argTypes, result, literals) => {
      const d = literals.length > 1 ? Number(literals[1] ?? 0) : 0;
      if (literals.length > 1 && literals[1] === null) return (_args, n) => nullColumn(result, n);
      return roundKernel(argTypes[0]!, result, d, mode);
    },
  });
  setNullRule(name, (nullable, types) => nullable[0]! || types[0]!.kind === "decimal");
}
