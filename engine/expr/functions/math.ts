// Math functions with Spark's types: abs keeps the type (int wraps), floor/ceil give bigint
// for doubles (decimal(p-s+1, 0) for decimals), the rest work on doubles. Logarithms of
// values at or below their asymptote are null, as in Spark (Hive). round/bround are in round.ts.
import { type Column, i64Halves } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import type { DataType } from "../../types/data-type.js";
import { writeI64Saturating } from "../cast/numeric.js";
import {
  decHalves,
  decimal,
  decNum,
  divRound,
  POW10_BIG,
  readDecimal,
  writeDecimal,
  writeDecNum,
} from "../kernels/decimal.js";
import { defineFunction } from "../registry.js";
import { argTypeError, checkArity, loopKernel, setNullRule } from "./common.js";

const F64: DataType = { kind: "float64" };
const I64: DataType = { kind: "int64" };

function toDouble(fn: string, t: DataType, i: number): DataType {
  switch (t.kind) {
    case "float64":
    case "int32":
    case "int64":
    case "decimal":
    case "string":
    case "null":
      return F64;
    default:
      throw argTypeError(fn, i, t, "numeric");
  }
}

// Unary double functions: [name, statement, may the result be null for a non-null input].
const UNARY: readonly (readonly [string, string, boolean])[] = [
  ["sqrt", "out[i] = Math.sqrt($0);", false],
  ["cbrt", "out[i] = Math.cbrt($0);", false],
  ["exp", "out[i] = Math.exp($0);", false],
  ["expm1", "out[i] = Math.expm1($0);", false],
  ["ln", "if ($0 <= 0) ov[i] = 0; else out[i] = Math.log($0);", true],
  ["log10", "if ($0 <= 0) ov[i] = 0; else out[i] = Math.log10($0);", true],
  ["log2", "if ($0 <= 0) ov[i] = 0; else out[i] = Math.log2($0);", true],
  ["log1p", "if ($0 <= -1) ov[i] = 0; else out[i] = Math.log1p($0);", true],
  ["sin", "out[i] = Math.sin($0);", false],
  ["cos", "out[i] = Math.cos($0);", false],
  ["tan", "out[i] = Math.tan($0);", false],
  ["asin", "out[i] = Math.asin($0);", false],
  ["acos", "out[i] = Math.acos($0);", false],
  ["atan", "out[i] = Math.atan($0);", false],
  ["sinh", "out[i] = Math.sinh($0);", false],
  ["cosh", "out[i] = Math.cosh($0);", false],
  ["tanh", "out[i] = Math.tanh($0);", false],
  ["degrees", "out[i] = $0 * 57.29577951308232;", false],
  ["radians", "out[i] = $0 * 0.017453292519943295;", false],
  ["signum", "out[i] = $0 > 0 ? 1 : $0 < 0 ? -1 : $0;", false],
  ["sign", "out[i] = $0 > 0 ? 1 : $0 < 0 ? -1 : $0;", false],
  ["rint", "out[i] = K.rint($0);", false],
];

/** Java's Math.rint: the nearest integer, ties to even. */
function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? (x < 0 ? -0 : 0) : r;
}
const KIT = { rint };

for (const [name, stmt, mayNull] of UNARY) {
  defineFunction({
    name,
    resolve: (types) => {
      checkArity(name, types, 1);
      return { argTypes: [toDouble(name, types[0]!, 0)], result: F64 };
    },
    compile: (_t, result, literals) => loopKernel({ result, stmt, mayNull, K: KIT }, literals),
  });
  setNullRule(name, mayNull ? "always" : "intolerant");
}

// Binary double functions.
const BINARY: readonly (readonly [string, string, boolean])[] = [
  ["pow", "out[i] = Math.pow($0, $1);", false],
  ["power", "out[i] = Math.pow($0, $1);", false],
  ["atan2", "out[i] = Math.atan2($0, $1);", false],
  ["hypot", "out[i] = Math.hypot($0, $1);", false],
];

for (const [name, stmt, mayNull] of BINARY) {
  defineFunction({
    name,
    resolve: (types) => {
      checkArity(name, types, 2);
      return { argTypes: [toDouble(name, types[0]!, 0), toDouble(name, types[1]!, 1)], result: F64 };
    },
    compile: (_t, result, literals) => loopKernel({ result, stmt, mayNull }, literals),
  });
  setNullRule(name, "intolerant");
}

// log(x) is the natural logarithm; log(base, x) = ln(x) / ln(base), null when either is <= 0.
defineFunction({
  name: "log",
  resolve: (types) => {
    checkArity("log", types, 1, 2);
    return { argTypes: types.map((t, i) => toDouble("log", t, i)), result: F64 };
  },
  compile: (argTypes, result, literals) =>
    loopKernel(
      {
        result,
        stmt:
          argTypes.length === 1
            ? "if ($0 <= 0) ov[i] = 0; else out[i] = Math.log($0);"
            : "if ($0 <= 0 || $1 <= 0) ov[i] = 0; else out[i] = Math.log($1) / Math.log($0);",
        mayNull: true,
      },
      literals,
    ),
});
setNullRule("log", "always");

for (const [name, value] of [
  ["pi", Math.PI],
  ["e", Math.E],
] as const) {
  defineFunction({
    name,
    resolve: (types) => {
      checkArity(name, types, 0);
      return { argTypes: [], result: F64 };
    },
    compile: () => (_args, n) => ({
      type: F64,
      length: n,
      valid: null,
      values: new Float64Array(n).fill(value),
    }),
  });
  setNullRule(name, "never");
}

function absType(t: DataType): DataType {
  if (t.kind === "string" || t.kind === "null") return F64;
  if (t.kind === "int32" || t.kind === "int64" || t.kind === "float64" || t.kind === "decimal") return t;
  throw argTypeError("abs", 0, t, "numeric");
}

const ABS: Record<string, string> = {
  int32: "out[i] = $0 < 0 ? (-$0) | 0 : $0;",
  int64:
    "if ($h0 < 0) { const lo = 0 - $l0; out[2*i] = lo | 0; out[2*i+1] = (0 - $h0 - (lo < 0 ? 1 : 0)) | 0; } else { out[2*i] = $l0 | 0; out[2*i+1] = $h0; }",
  float64: "out[i] = Math.abs($0);",
};

defineFunction({
  name: "abs",
  resolve: (types) => {
    checkArity("abs", types, 1);
    const t = absType(types[0]!);
    return { argTypes: [t], result: t };
  },
  compile: (argTypes, result, literals) => {
    const t = argTypes[0]!;
    if (t.kind !== "decimal") return loopKernel({ result, stmt: ABS[t.kind]! }, literals);
    return (args, n) => {
      const c = args[0]!;
      if (c.type.kind === "null") return c;
      const h = decHalves(c);
      const vals = c.values as BigInt64Array;
      const out = new BigInt64Array(2 * n);
      const oh = i64Halves(out);
      for (let i = 0; i < n; i++) {
        const x = decNum(h, i);
        if (!Number.isNaN(x)) writeDecNum(oh, i, Math.abs(x));
        else {
          const v = readDecimal(vals, i);
          writeDecimal(out, i, v < 0n ? -v : v);
        }
      }
      return { type: result, length: n, valid: c.valid, values: out };
    };
  },
});
setNullRule("abs", "intolerant");

function floorCeilType(fn: string, t: DataType): { arg: DataType; result: DataType } {
  switch (t.kind) {
    case "decimal":
      return { arg: t, result: t.scale === 0 ? t : decimal(Math.min(t.precision - t.scale + 1, 38), 0) };
    case "int32":
    case "int64":
      return { arg: I64, result: I64 };
    case "float64":
    case "string":
    case "null":
      return { arg: F64, result: I64 };
    default:
      throw argTypeError(fn, 0, t, "numeric");
  }
}

for (const [name, mode] of [
  ["floor", "floor"],
  ["ceil", "ceil"],
  ["ceiling", "ceil"],
] as const) {
  defineFunction({
    name,
    resolve: (types) => {
      if (types.length === 2) throw new AnalysisError(`${name} with a scale argument is not supported`);
      checkArity(name, types, 1);
      const { arg, result } = floorCeilType(name, types[0]!);
      return { argTypes: [arg], result };
    },
    compile: (argTypes, result) => {
      const t = argTypes[0]!;
      const f = mode === "floor" ? Math.floor : Math.ceil;
      return (args, n): Column => {
        const c = args[0]!;
        if (c.type.kind === "null" || t.kind === "int64") return { ...c, type: result };
        if (t.kind === "float64") {
          const v = c.values as Float64Array;
          const out = new BigInt64Array(n);
          const oh = i64Halves(out);
          for (let i = 0; i < n; i++) writeI64Saturating(oh, i, f(v[i]!));
          return { type: result, length: n, valid: c.valid, values: out };
        }
        if (t.kind === "decimal") {
          if (t.scale === 0) return c;
          const h = decHalves(c);
          const vals = c.values as BigInt64Array;
          const out = new BigInt64Array(2 * n);
          const oh = i64Halves(out);
          const s = t.scale;
          const p = 10 ** s;
          for (let i = 0; i < n; i++) {
            const x = decNum(h, i);
            if (!Number.isNaN(x) && s <= 15) {
              // The division may round across an integer: step back by one where it did.
              let q = f(x / p);
              if (mode === "floor") {
                if (q * p > x) q--;
                else if ((q + 1) * p <= x) q++;
              } else if (q * p < x) q++;
              else if ((q - 1) * p >= x) q--;
              writeDecNum(oh, i, q === 0 ? 0 : q);
            } else writeDecimal(out, i, divRound(readDecimal(vals, i), POW10_BIG[s]!, mode));
          }
          return { type: result, length: n, valid: c.valid, values: out };
        }
        throw new Error(`${name}: unsupported type ${t.kind}`);
      };
    },
  });
  setNullRule(name, "intolerant");
}
