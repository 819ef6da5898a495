// Fused code generation for numeric and boolean subtrees: a predicate such as
// `a > 0.1 AND (b < 5 OR c IS NULL)` becomes one loop over the batch that writes the
// selection mask, instead of one kernel (and one temporary array) per operator.
//
// The tree is first lowered to a small IR (inputs, constants, casts, comparisons, int/double
// arithmetic, three-valued AND/OR/NOT, null tests). Any subtree outside that set is evaluated
// by the regular kernels and enters the loop as an input column. Source is generated per
// "validity shape" (which inputs have a validity array in this batch) by fused-emit.ts.
import type { Batch, Column } from "../columnar/column.js";
import type { DataType } from "../types/data-type.js";
import type { Expr, LiteralValue } from "./expr.js";

/** Value representation inside a fused loop. */
export type Rep = "f64" | "i32" | "bool" | "i64";

/** Lowered expression nodes. */
export type Node =
  | { op: "in"; k: number; rep: Rep }
  | { op: "const"; k: number; rep: Rep }
  | { op: "cast"; to: Rep; a: Node }
  | { op: "cmp"; sym: CmpSym; a: Node; b: Node }
  | { op: "arith"; sym: "+" | "-" | "*" | "/"; rep: "f64" | "i32"; a: Node; b: Node }
  | { op: "and" | "or"; a: Node; b: Node }
  | { op: "not" | "isnull" | "isnotnull" | "isnan"; a: Node };

export type CmpSym = "eq" | "neq" | "lt" | "le" | "gt" | "ge";

/** A column evaluated by the regular kernels and fed to the loop. */
export interface FusedInput {
  readonly rep: Rep;
  readonly eval: (b: Batch) => Column;
}

/** What the lowering needs from the compiler. */
export interface LowerHost {
  /** The type of a resolved expression. */
  type(e: Expr): DataType;
  /** The arguments of a call after the coercion its type rule asks for. */
  coercedArgs(e: Expr & { kind: "Call" }): readonly Expr[];
  /** The value of `e` when known at compile time. */
  literal(e: Expr): LiteralValue | undefined;
  /** A regular evaluator for `e`. */
  evaluator(e: Expr): (b: Batch) => Column;
}

const repOf = (t: DataType): Rep | null => {
  switch (t.kind) {
    case "float64":
      return "f64";
    case "int32":
    case "date":
      return "i32";
    case "boolean":
      return "bool";
    case "int64":
    case "timestamp":
      return "i64";
    default:
      return null;
  }
};

const CMP = new Set(["eq", "neq", "lt", "le", "gt", "ge"]);
const ARITH: Record<string, "+" | "-" | "*" | "/"> = { add: "+", subtract: "-", multiply: "*", divide: "/" };

/** A fused program: its IR root, inputs and constants. */
export interface FusedProgram {
  readonly root: Node;
  readonly inputs: readonly FusedInput[];
  readonly consts: readonly (number | bigint)[];
  /** Number of operator nodes fused (inputs and constants excluded). */
  readonly ops: number;
}

/** Functions the fused loop implements (a tree is worth lowering only when its root is one). */
export const FUSABLE = new Set([
  "eq",
  "neq",
  "lt",
  "le",
  "gt",
  "ge",
  "add",
  "subtract",
  "multiply",
  "divide",
  "and",
  "or",
  "not",
  "isnan",
  "is_null",
  "is_not_null",
]);

/** Lowers `e` (of a numeric or boolean type) to a fused program, or null when nothing fuses. */
export function lower(e: Expr, host: LowerHost): FusedProgram | null {
  const inputs: FusedInput[] = [];
  const consts: (number | bigint)[] = [];
  let ops = 0;
  // The same column referenced twice is one input.
  const refInputs = new Map<number, number>();
  const input = (x: Expr, rep: Rep): Node => {
    if (x.kind === "Ref") {
      const k = refInputs.get(x.index);
      if (k !== undefined) return { op: "in", k, rep };
    }
    inputs.push({ rep, eval: host.evaluator(x) });
    if (x.kind === "Ref") refInputs.set(x.index, inputs.length - 1);
    return { op: "in", k: inputs.length - 1, rep };
  };
  const go = (x: Expr): Node | null => {
    const t = host.type(x);
    const rep = repOf(t);
    if (rep === null) return null;
    const lit = host.literal(x);
    if (
      lit !== undefined &&
      lit !== null &&
      (typeof lit === "number" || typeof lit === "bigint" || typeof lit === "boolean")
    ) {
      consts.push(
        rep === "i64"
          ? BigInt(typeof lit === "boolean" ? Number(lit) : lit)
          : typeof lit === "boolean"
            ? lit
              ? 1
              : 0
            : Number(lit),
      );
      return { op: "const", k: consts.length - 1, rep };
    }
    if (x.kind === "Alias") return go(x.child);
    if (x.kind === "Ref") return input(x, rep);
    if (x.kind === "Cast") {
      // Only plain numeric widenings (int → bigint/double, bigint → double); dates and
      // timestamps change units when cast, so they go through the cast kernels.
      const fk = host.type(x.child).kind;
      const ok =
        (fk === "int32" && (t.kind === "float64" || t.kind === "int64")) ||
        (fk === "int64" && t.kind === "float64");
      if (ok) {
        const a = go(x.child);
        if (a !== null) {
          ops++;
          return { op: "cast", to: rep, a };
        }
      }
      return input(x, rep);
    }
    if (x.kind !== "Call") return input(x, rep);
    const args = host.coercedArgs(x);
    // On failure, drop what the attempt added so no orphaned input is evaluated per batch.
    const mark = [inputs.length, consts.length, ops] as const;
    const attempt = (): Node | null => {
      if (CMP.has(x.fn) && args.length === 2 && repOf(host.type(args[0]!)) !== null) {
        const a = go(args[0]!);
        const b = a && go(args[1]!);
        return a && b ? { op: "cmp", sym: x.fn as CmpSym, a, b } : null;
      }
      if (x.fn in ARITH && args.length === 2 && (rep === "f64" || (rep === "i32" && x.fn !== "divide"))) {
        const a = go(args[0]!);
        const b = a && go(args[1]!);
        return a && b ? { op: "arith", sym: ARITH[x.fn]!, rep: rep as "f64" | "i32", a, b } : null;
      }
      if ((x.fn === "and" || x.fn === "or") && args.length === 2) {
        const a = go(args[0]!);
        const b = a && go(args[1]!);
        return a && b ? { op: x.fn, a, b } : null;
      }
      if ((x.fn === "not" || x.fn === "isnan") && args.length === 1) {
        const a = go(args[0]!);
        return a ? { op: x.fn, a } : null;
      }
      if ((x.fn === "is_null" || x.fn === "is_not_null") && args.length === 1 && repOf(host.type(args[0]!))) {
        const a = go(args[0]!);
        return a ? { op: x.fn === "is_null" ? "isnull" : "isnotnull", a } : null;
      }
      return null;
    };
    const node = attempt();
    if (node !== null) {
      ops++;
      return node;
    }
    inputs.length = mark[0];
    for (const [idx, k] of refInputs) if (k >= mark[0]) refInputs.delete(idx);
    consts.length = mark[1];
    ops = mark[2];
    return input(x, rep);
  };
  const root = go(e);
  if (root === null || ops === 0) return null;
  return { root, inputs, consts, ops };
}
