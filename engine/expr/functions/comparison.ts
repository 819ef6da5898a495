// Comparisons: eq, neq, lt, le, gt, ge and eq_null_safe (<=>). Both sides are cast to
// Spark's comparison type (see coercion.ts); booleans meet numbers only in (in)equality,
// as the number. Doubles follow Spark: NaN = NaN and NaN is above every number. Loops are
// compiled per (operator, representation, literal side), so `x > 0.1` is one tight loop.
import type { Column } from "../../columnar/column.js";
import { i64Halves, nullColumn } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, isIntegral, isNumeric, typeName } from "../../types/data-type.js";
import { comparisonType } from "../coercion.js";
import type { Expr, LiteralValue } from "../expr.js";
import { decimalForLiteral, decimalForType, widerDecimal } from "../kernels/decimal.js";
import { compareDec } from "../kernels/row-compare.js";
import { boolColumn, compareBytes, utf8 } from "../kernels/util.js";
import { defineFunction, type Kernel } from "../registry.js";
import { checkArity, loopKernel, setNullRule } from "./common.js";

/** Comparison operators. */
export type CmpOp = "eq" | "neq" | "lt" | "le" | "gt" | "ge" | "eq_null_safe";

const BOOL: DataType = { kind: "boolean" };
const SYM: Record<Exclude<CmpOp, "eq_null_safe">, string> = {
  eq: "===",
  neq: "!==",
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
};

function intLiteral(e: Expr | undefined): number | bigint | null {
  if (e === undefined || e.kind !== "Literal" || !isIntegral(e.type)) return null;
  return typeof e.value === "number" || typeof e.value === "bigint" ? e.value : null;
}

/** The type both sides of a comparison are cast to; throws AnalysisError when incomparable. */
export function comparisonOperandType(
  fn: string,
  types: readonly DataType[],
  args: readonly Expr[],
): DataType {
  checkArity(fn, types, 2);
  const [a, b] = types as [DataType, DataType];
  const equality = fn === "eq" || fn === "neq" || fn === "eq_null_safe" || fn === "in" || fn === "nullif";
  if (equality && a.kind === "boolean" && isNumeric(b)) return b;
  if (equality && b.kind === "boolean" && isNumeric(a)) return a;
  // An integer literal against a decimal takes only its own digits (Spark's DecimalType.fromLiteral).
  if (a.kind === "decimal" && isIntegral(b)) {
    const v = intLiteral(args[1]);
    return widerDecimal(a, v !== null ? decimalForLiteral(v) : decimalForType(b)!);
  }
  if (b.kind === "decimal" && isIntegral(a)) {
    const v = intLiteral(args[0]);
    return widerDecimal(b, v !== null ? decimalForLiteral(v) : decimalForType(a)!);
  }
  const t = comparisonType(a, b);
  if (t === null || t.kind === "list")
    throw new AnalysisError(`${fn}: cannot compare ${typeName(a)} with ${typeName(b)}`);
  return t;
}

// Map from the sign of a comparison (-1, 0, 1 → index 0, 1, 2) to the result.
const BY_SIGN: Record<Exclude<CmpOp, "eq_null_safe">, readonly [number, number, number]> = {
  eq: [0, 1, 0],
  neq: [1, 0, 1],
  lt: [1, 0, 0],
  le: [1, 1, 0],
  gt: [0, 0, 1],
  ge: [0, 1, 1],
};

function floatStmt(op: Exclude<CmpOp, "eq_null_safe">): string {
  switch (op) {
    case "eq":
      return "out[i] = +($0 === $1 || ($0 !== $0 && $1 !== $1));";
    case "neq":
      return "out[i] = +!($0 === $1 || ($0 !== $0 && $1 !== $1));";
    case "lt":
      return "out[i] = +($0 < $1 || ($1 !== $1 && $0 === $0));";
    case "le":
      return "out[i] = +($0 <= $1 || $1 !== $1);";
    case "gt":
      return "out[i] = +($0 > $1 || ($0 !== $0 && $1 === $1));";
    case "ge":
      return "out[i] = +($0 >= $1 || $0 !== $0);";
  }
}

function i64Stmt(op: Exclude<CmpOp, "eq_null_safe">): string {
  switch (op) {
    case "eq":
      return "out[i] = +($h0 === $h1 && $l0 === $l1);";
    case "neq":
      return "out[i] = +($h0 !== $h1 || $l0 !== $l1);";
    default: {
      const s = SYM[op];
      const strict = s[0];
      return `out[i] = +($h0 ${strict} $h1 || ($h0 === $h1 && $l0 ${s} $l1));`;
    }
  }
}

/** The statement of a comparison loop for a fixed-width representation. */
function cmpStmt(op: Exclude<CmpOp, "eq_null_safe">, t: DataType): string {
  if (t.kind === "float64") return floatStmt(op);
  if (t.kind === "int64" || t.kind === "timestamp") return i64Stmt(op);
  return `out[i] = +($0 ${SYM[op]} $1);`;
}

function stringKernel(
  op: Exclude<CmpOp, "eq_null_safe">,
  literals: readonly (LiteralValue | undefined)[],
): Kernel {
  const table = BY_SIGN[op];
  const lt = table[0];
  const eq = table[1];
  const gt = table[2];
  const lit = literals[1];
  const litBytes = typeof lit === "string" ? utf8(lit) : null;
  const equality = op === "eq" || op === "neq";
  return (args, n) => {
    const [a, b] = args as [Column, Column];
    if (a.type.kind === "null" || b.type.kind === "null") return nullColumn(BOOL, n);
    const out = new Uint8Array(n);
    const ao = a.offsets!;
    const ad = a.data!;
    if (litBytes !== null) {
      const ll = litBytes.length;
      for (let i = 0; i < n; i++) {
        const s = ao[i]!;
        const e = ao[i + 1]!;
        if (equality && e - s !== ll) out[i] = 1 - eq;
        else {
          const c = compareBytes(ad, s, e, litBytes, 0, ll);
          out[i] = c < 0 ? lt : c === 0 ? eq : gt;
        }
      }
    } else {
      const bo = b.offsets!;
      const bd = b.data!;
      for (let i = 0; i < n; i++) {
        const s = ao[i]!;
        const e = ao[i + 1]!;
        const t = bo[i]!;
        const u = bo[i + 1]!;
        if (equality && e - s !== u - t) out[i] = 1 - eq;
        else {
          const c = compareBytes(ad, s, e, bd, t, u);
          out[i] = c < 0 ? lt : c === 0 ? eq : gt;
        }
      }
    }
    return boolColumn(out, combine(a.valid, b.valid, n), n);
  };
}

function combine(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
  return out;
}

function decimalKernel(op: Exclude<CmpOp, "eq_null_safe">): Kernel {
  const [lt, eq, gt] = BY_SIGN[op];
  return (args, n) => {
    const [a, b] = args as [Column, Column];
    if (a.type.kind === "null" || b.type.kind === "null") return nullColumn(BOOL, n);
    const x = i64Halves(a.values as BigInt64Array);
    const y = i64Halves(b.values as BigInt64Array);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = compareDec(x, i, y, i);
      out[i] = c < 0 ? lt : c === 0 ? eq : gt;
    }
    return boolColumn(out, combine(a.valid, b.valid, n), n);
  };
}

/** The kernel of a (null-intolerant) comparison of two columns of type `t`. */
export function comparisonKernel(
  op: Exclude<CmpOp, "eq_null_safe">,
  t: DataType,
  literals: readonly (LiteralValue | undefined)[],
): Kernel {
  if (t.kind === "null") return (_a, n) => nullColumn(BOOL, n);
  if (t.kind === "string") return stringKernel(op, literals);
  if (t.kind === "decimal") return decimalKernel(op);
  if (t.kind === "list") throw new AnalysisError(`cannot compare ${typeName(t)} values`);
  return loopKernel({ result: BOOL, stmt: cmpStmt(op, t) }, literals);
}

/** eq_null_safe: like eq, but null <=> null is true and null <=> x is false (never null). */
function nullSafeKernel(t: DataType, literals: readonly (LiteralValue | undefined)[]): Kernel {
  const eq = comparisonKernel(
    "eq",
    t,
    literals.map((l) => (l === null ? undefined : l)),
  );
  return (args, n) => {
    const [a, b] = args as [Column, Column];
    const av = a.type.kind === "null" ? new Uint8Array(n) : a.valid;
    const bv = b.type.kind === "null" ? new Uint8Array(n) : b.valid;
    if (av === null && bv === null) return eq(args, n);
    const r =
      a.type.kind === "null" || b.type.kind === "null"
        ? new Uint8Array(n)
        : (
            eq(
              [
                { ...a, valid: null },
                { ...b, valid: null },
              ],
              n,
            ).values as Uint8Array
          ).slice();
    for (let i = 0; i < n; i++) {
      const x = av === null ? 1 : av[i]!;
      const y = bv === null ? 1 : bv[i]!;
      if ((x & y) === 0) r[i] = x === y ? 1 : 0;
    }
    return boolColumn(r, null, n);
  };
}

const FLIP: Record<Exclude<CmpOp, "eq_null_safe">, Exclude<CmpOp, "eq_null_safe">> = {
  eq: "eq",
  neq: "neq",
  lt: "gt",
  le: "ge",
  gt: "lt",
  ge: "le",
};

for (const op of ["eq", "neq", "lt", "le", "gt", "ge", "eq_null_safe"] as const) {
  defineFunction({
    name: op,
    resolve: (types, args) => {
      const t = comparisonOperandType(op, types, args);
      return { argTypes: [t, t], result: BOOL };
    },
    compile: (argTypes, _result, literals) => {
      const t = argTypes[0]!;
      // A literal on the left is turned around so that the loop specialises on the right.
      if (literals[0] !== undefined && literals[1] === undefined && op !== "eq_null_safe") {
        const flipped = FLIP[op];
        const k = comparisonKernel(flipped, t, [literals[1], literals[0]]);
        return (args, n) => k([args[1]!, args[0]!], n);
      }
      if (op === "eq_null_safe") return nullSafeKernel(t, literals);
      return comparisonKernel(op, t, literals);
    },
  });
  setNullRule(op, op === "eq_null_safe" ? "never" : "intolerant");
}
