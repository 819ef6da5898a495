// Arithmetic: add, subtract, multiply, divide, mod (%), pmod, div (integral division),
// negate and positive, with Spark's coercion: strings become double, int+bigint is bigint,
// anything with double is double, `/` is always double unless a decimal is involved, decimals
// follow Spark's precision/scale rules (an integer literal counts with its own digits only).
// int and bigint wrap on overflow; division or modulo by zero is null.
import type { Column } from "../../columnar/column.js";
import { type DataType, isIntegral, isNumeric, typeEquals } from "../../types/data-type.js";
import { tightestCommonType } from "../coercion.js";
import type { Expr } from "../expr.js";
import { decimalForLiteral, decimalForType } from "../kernels/decimal.js";
import { defineFunction, type Kernel } from "../registry.js";
import { argTypeError, checkArity, loopKernel, setNullRule } from "./common.js";
import { type DecimalOp, decimalKernel, decimalResultType, negateDecimal } from "./decimal-arith.js";
import { I64_KIT } from "./int64-ops.js";

const F64: DataType = { kind: "float64" };
const I64: DataType = { kind: "int64" };

type BinOp = "add" | "subtract" | "multiply" | "divide" | "mod" | "pmod" | "div";

function operand(fn: string, i: number, t: DataType): DataType {
  if (t.kind === "string") return F64;
  if (t.kind === "null" || isNumeric(t)) return t;
  throw argTypeError(fn, i, t, "numeric");
}

function literalInt(e: Expr | undefined): number | bigint | null {
  if (e === undefined || e.kind !== "Literal" || !isIntegral(e.type)) return null;
  return typeof e.value === "number" || typeof e.value === "bigint" ? e.value : null;
}

/** The operand types and result type of a binary arithmetic operator (Spark's rules). */
export function arithmeticResolution(
  op: BinOp,
  types: readonly DataType[],
  args: readonly Expr[],
): { argTypes: DataType[]; result: DataType } {
  checkArity(op, types, 2);
  let a = operand(op, 0, types[0]!);
  let b = operand(op, 1, types[1]!);
  if (a.kind === "null" && b.kind === "null") a = b = F64;
  else if (a.kind === "null") a = b;
  else if (b.kind === "null") b = a;
  if (a.kind === "decimal" || b.kind === "decimal") {
    if (a.kind === "float64" || b.kind === "float64") {
      return { argTypes: [F64, F64], result: op === "div" ? I64 : F64 };
    }
    const lit = (t: DataType, e: Expr | undefined) => {
      if (t.kind === "decimal") return t;
      const v = literalInt(e);
      return v !== null ? decimalForLiteral(v) : decimalForType(t)!;
    };
    const da = lit(a, args[0]);
    const db = lit(b, args[1]);
    return { argTypes: [da, db], result: decimalResultType(op, da, db) };
  }
  if (op === "divide") return { argTypes: [F64, F64], result: F64 };
  if (op === "div") return { argTypes: [I64, I64], result: I64 };
  const t = typeEquals(a, b) ? a : tightestCommonType(a, b)!;
  return { argTypes: [t, t], result: t };
}

// Loop templates per operand representation (see kernels/codegen.ts for the tokens).
const INT32: Partial<Record<BinOp, string>> = {
  add: "out[i] = ($0 + $1) | 0;",
  subtract: "out[i] = ($0 - $1) | 0;",
  multiply: "out[i] = Math.imul($0, $1);",
  mod: "if ($1 === 0) ov[i] = 0; else out[i] = ($0 % $1) | 0;",
  pmod: "if ($1 === 0) ov[i] = 0; else { const r = ($0 % $1) | 0; out[i] = r < 0 ? (((r + $1) | 0) % $1) | 0 : r; }",
};
const FLOAT64: Partial<Record<BinOp, string>> = {
  add: "out[i] = $0 + $1;",
  subtract: "out[i] = $0 - $1;",
  multiply: "out[i] = $0 * $1;",
  divide: "if ($1 === 0) ov[i] = 0; else out[i] = $0 / $1;",
  mod: "if ($1 === 0) ov[i] = 0; else out[i] = $0 % $1;",
  pmod: "if ($1 === 0) ov[i] = 0; else { const r = $0 % $1; out[i] = r < 0 ? (r + $1) % $1 : r; }",
};
const I64_ZERO = "$h1 === 0 && $l1 === 0";
const INT64: Partial<Record<BinOp, string>> = {
  add: "{ const lo = $l0 + $l1; out[2*i] = lo | 0; out[2*i+1] = ($h0 + $h1 + (lo > 4294967295 ? 1 : 0)) | 0; }",
  subtract: "{ const lo = $l0 - $l1; out[2*i] = lo | 0; out[2*i+1] = ($h0 - $h1 - (lo < 0 ? 1 : 0)) | 0; }",
  multiply: "K.mul64(out, i, $h0, $l0, $h1, $l1);",
  mod: `if (${I64_ZERO}) ov[i] = 0; else K.mod64(out, i, $h0, $l0, $h1, $l1, false);`,
  pmod: `if (${I64_ZERO}) ov[i] = 0; else K.mod64(out, i, $h0, $l0, $h1, $l1, true);`,
  div: `if (${I64_ZERO}) ov[i] = 0; else K.div64(out, i, $h0, $l0, $h1, $l1);`,
};
const MAY_NULL = new Set<BinOp>(["divide", "mod", "pmod", "div"]);

function binaryKernel(
  op: BinOp,
  argTypes: readonly DataType[],
  result: DataType,
  literals: readonly unknown[],
): Kernel {
  const t = argTypes[0]!;
  if (t.kind === "decimal" && argTypes[1]!.kind === "decimal") {
    return decimalKernel(op as DecimalOp, t, argTypes[1] as typeof t, result);
  }
  const table = t.kind === "int32" ? INT32 : t.kind === "int64" ? INT64 : FLOAT64;
  const stmt = table[op];
  if (stmt === undefined) throw new Error(`${op} has no kernel for ${t.kind}`);
  return loopKernel({ result, stmt, mayNull: MAY_NULL.has(op), K: I64_KIT }, literals as never);
}

for (const op of ["add", "subtract", "multiply", "divide", "mod", "pmod", "div"] as const) {
  defineFunction({
    name: op,
    resolve: (types, args) => arithmeticResolution(op, types, args),
    compile: (argTypes, result, literals) => binaryKernel(op, argTypes, result, literals),
  });
  // Decimal results are null on overflow; division and modulo are null for a zero divisor.
  setNullRule(op, (nullable, types) =>
    MAY_NULL.has(op) || types.some((t) => t.kind === "decimal") ? true : nullable.some((x) => x),
  );
}

/** The operand type of a unary numeric function (strings and nulls become double). */
export function unaryNumeric(fn: string, types: readonly DataType[]): DataType {
  checkArity(fn, types, 1);
  const t = operand(fn, 0, types[0]!);
  return t.kind === "null" ? F64 : t;
}

const NEGATE: Record<string, string> = {
  int32: "out[i] = (-$0) | 0;",
  int64: "{ const lo = 0 - $l0; out[2*i] = lo | 0; out[2*i+1] = (0 - $h0 - (lo < 0 ? 1 : 0)) | 0; }",
  float64: "out[i] = -$0;",
};

defineFunction({
  name: "negate",
  resolve: (types) => {
    const t = unaryNumeric("negate", types);
    return { argTypes: [t], result: t };
  },
  compile: (argTypes, result, literals) => {
    const t = argTypes[0]!;
    if (t.kind === "decimal") return (args: readonly Column[], n: number) => negateDecimal(args[0]!, n);
    return loopKernel({ result, stmt: NEGATE[t.kind]! }, literals);
  },
});
setNullRule("negate", "intolerant");

defineFunction({
  name: "positive",
  resolve: (types) => {
    const t = unaryNumeric("positive", types);
    return { argTypes: [t], result: t };
  },
  compile: () => (args) => args[0]!,
});
setNullRule("positive", "intolerant");
