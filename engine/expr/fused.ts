// Fused code generation for numeric and boolean subtrees: a predicate such as
// `a > 0.1 AND (b < 5 OR c IS NULL)` becomes one loop over the batch that writes the
// selection mask, instead of one kernel (and one temporary array) per operator.
//
// The tree is first lowered to a small IR (inputs, constants, casts, comparisons, int/double
// arithmetic, three-valued AND/OR/NOT, null tests). Any subtree outside that set is evaluated
// by the regular kernels and enters the loop as an input column. Source is generated per
// "validity shape" (which inputs have a validity array in this batch), cached, and contains
// only synthetic identifiers (`c0`, `v0`, `k0`): values arrive as parameters. Boolean
// combinations use `&` / `|` on precomputed locals (branch-free; nothing to short-circuit).
import { type Batch, type Column, i64Halves } from "../columnar/column.js";
import type { DataType } from "../types/data-type.js";
import type { Expr, LiteralValue } from "./expr.js";

/** Value representation inside a fused loop. */
type Rep = "f64" | "i32" | "bool" | "i64";

/** Lowered expression nodes. */
type Node =
  | { op: "in"; k: number; rep: Rep }
  | { op: "const"; k: number; rep: Rep }
  | { op: "cast"; to: Rep; a: Node }
  | { op: "cmp"; sym: CmpSym; a: Node; b: Node }
  | { op: "arith"; sym: "+" | "-" | "*" | "/"; rep: "f64" | "i32"; a: Node; b: Node }
  | { op: "and" | "or"; a: Node; b: Node }
  | { op: "not" | "isnull" | "isnotnull" | "isnan"; a: Node };

type CmpSym = "eq" | "neq" | "lt" | "le" | "gt" | "ge";

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

/** Generated expressions of one node: value (or int64 halves) and a null test ("" = never null). */
interface Code {
  v: string;
  h?: string;
  l?: string;
  n: string;
  rep: Rep;
}

/** Emits the loop body for a validity shape (one flag per input: has a validity array). */
function emit(p: FusedProgram, hasValid: readonly boolean[], mode: "mask" | "value"): string {
  const lines: string[] = [];
  let tmp = 0;
  const local = (expr: string): string => {
    const name = `t${tmp++}`;
    lines.push(`const ${name} = ${expr};`);
    return name;
  };
  const or = (a: string, b: string): string => (a === "" ? b : b === "" ? a : `(${a} | ${b})`);
  const num = (c: Code): string => (c.rep === "bool" ? `(${c.v} ? 1 : 0)` : c.v);
  const go = (x: Node): Code => {
    switch (x.op) {
      case "in": {
        const n = hasValid[x.k] ? `v${x.k}[i] === 0` : "";
        if (x.rep === "i64") return { v: "", h: `c${x.k}[2*i+1]`, l: `(c${x.k}[2*i]>>>0)`, n, rep: "i64" };
        if (x.rep === "bool") return { v: `(c${x.k}[i] === 1)`, n, rep: "bool" };
        return { v: `c${x.k}[i]`, n, rep: x.rep };
      }
      case "const":
        if (x.rep === "i64") return { v: "", h: `kh${x.k}`, l: `kl${x.k}`, n: "", rep: "i64" };
        if (x.rep === "bool") return { v: `(k${x.k} === 1)`, n: "", rep: "bool" };
        return { v: `k${x.k}`, n: "", rep: x.rep };
      case "cast": {
        const a = go(x.a);
        if (x.to === "f64" && a.rep === "i64")
          return { v: local(`${a.h} * 4294967296 + ${a.l}`), n: a.n, rep: "f64" };
        if (x.to === "i64") {
          const v = local(a.v);
          return { v: "", h: `(${v} >> 31)`, l: `(${v} >>> 0)`, n: a.n, rep: "i64" };
        }
        return { v: a.v, n: a.n, rep: "f64" };
      }
      case "cmp": {
        const a = go(x.a);
        const b = go(x.b);
        const n = or(a.n, b.n);
        if (a.rep === "i64") {
          const ah = local(a.h!);
          const bh = local(b.h!);
          const al = local(a.l!);
          const bl = local(b.l!);
          const c = local(
            `${ah} < ${bh} ? -1 : ${ah} > ${bh} ? 1 : ${al} < ${bl} ? -1 : ${al} > ${bl} ? 1 : 0`,
          );
          return { v: local(`${c} ${SYM[x.sym]} 0`), n, rep: "bool" };
        }
        const av = local(num(a));
        const bv = local(num(b));
        if (a.rep === "f64") return { v: local(floatCmp(x.sym, av, bv)), n, rep: "bool" };
        return { v: local(`${av} ${SYM[x.sym]} ${bv}`), n, rep: "bool" };
      }
      case "arith": {
        const a = go(x.a);
        const b = go(x.b);
        const av = local(num(a));
        const bv = local(num(b));
        if (x.rep === "i32") {
          const e = x.sym === "*" ? `Math.imul(${av}, ${bv})` : `(${av} ${x.sym} ${bv}) | 0`;
          return { v: local(e), n: or(a.n, b.n), rep: "i32" };
        }
        if (x.sym === "/")
          return { v: local(`${av} / ${bv}`), n: or(or(a.n, b.n), `${bv} === 0`), rep: "f64" };
        return { v: local(`${av} ${x.sym} ${bv}`), n: or(a.n, b.n), rep: "f64" };
      }
      case "and":
      case "or": {
        const a = go(x.a);
        const b = go(x.b);
        const an = a.n === "" ? "false" : local(a.n);
        const bn = b.n === "" ? "false" : local(b.n);
        const av = local(a.v);
        const bv = local(b.v);
        const aT = `(!${an} & ${av})`;
        const bT = `(!${bn} & ${bv})`;
        const aF = `(!${an} & !${av})`;
        const bF = `(!${bn} & !${bv})`;
        if (a.n === "" && b.n === "")
          return { v: local(`${av} ${x.op === "and" ? "&" : "|"} ${bv}`), n: "", rep: "bool" };
        const t = local(x.op === "and" ? `${aT} & ${bT}` : `${aT} | ${bT}`);
        const f = local(x.op === "and" ? `${aF} | ${bF}` : `${aF} & ${bF}`);
        return { v: t, n: `(!${t} & !${f})`, rep: "bool" };
      }
      case "not": {
        const a = go(x.a);
        return { v: `!${local(a.v)}`, n: a.n, rep: "bool" };
      }
      case "isnan": {
        const a = go(x.a);
        const v = local(num(a));
        return { v: `(${v} !== ${v} & !${a.n === "" ? "false" : `(${a.n})`})`, n: "", rep: "bool" };
      }
      case "isnull":
      case "isnotnull": {
        const a = go(x.a);
        const isNull = a.n === "" ? "false" : `(${a.n})`;
        return { v: x.op === "isnull" ? isNull : `!${isNull}`, n: "", rep: "bool" };
      }
    }
  };
  const r = go(p.root);
  const n = r.n === "" ? "" : local(r.n);
  if (mode === "mask")
    lines.push(n === "" ? `out[i] = ${r.v} ? 1 : 0;` : `out[i] = (!${n} & ${r.v}) ? 1 : 0;`);
  else {
    if (r.rep === "i64") {
      lines.push(`out[2*i] = ${r.l} | 0;`, `out[2*i+1] = ${r.h};`);
    } else lines.push(`out[i] = ${r.rep === "bool" ? `(${r.v} ? 1 : 0)` : r.v};`);
    if (n !== "") lines.push(`if (${n}) ov[i] = 0;`);
  }
  return lines.join("\n");
}

const SYM: Record<CmpSym, string> = { eq: "===", neq: "!==", lt: "<", le: "<=", gt: ">", ge: ">=" };

function floatCmp(sym: CmpSym, a: string, b: string): string {
  switch (sym) {
    case "eq":
      return `(${a} === ${b} | (${a} !== ${a} & ${b} !== ${b}))`;
    case "neq":
      return `!(${a} === ${b} | (${a} !== ${a} & ${b} !== ${b}))`;
    case "lt":
      return `(${a} < ${b} | (${b} !== ${b} & ${a} === ${a}))`;
    case "le":
      return `(${a} <= ${b} | ${b} !== ${b})`;
    case "gt":
      return `(${a} > ${b} | (${a} !== ${a} & ${b} === ${b}))`;
    case "ge":
      return `(${a} >= ${b} | ${a} !== ${a})`;
  }
}

type LoopFn = (
  n: number,
  out: unknown,
  ov: Uint8Array | null,
  cols: readonly unknown[],
  consts: readonly unknown[],
) => void;

const sourceCache = new Map<string, LoopFn>();

function compileSource(p: FusedProgram, body: string): LoopFn {
  const pre: string[] = [];
  for (let k = 0; k < p.inputs.length; k++)
    pre.push(`const c${k} = cols[${2 * k}];`, `const v${k} = cols[${2 * k + 1}];`);
  p.consts.forEach((c, k) => {
    if (typeof c === "bigint")
      pre.push(`const kh${k} = consts[${3 * k + 1}];`, `const kl${k} = consts[${3 * k + 2}];`);
    else pre.push(`const k${k} = consts[${3 * k}];`);
  });
  const src = `"use strict";\n${pre.join("\n")}\nfor (let i = 0; i < n; i++) {\n${body}\n}`;
  let fn = sourceCache.get(src);
  if (fn !== undefined) return fn;
  fn = new Function("n", "out", "ov", "cols", "consts", src) as LoopFn;
  if (sourceCache.size > 500) sourceCache.clear();
  sourceCache.set(src, fn);
  return fn;
}

function flatConsts(p: FusedProgram): unknown[] {
  const out: unknown[] = [];
  for (const c of p.consts) {
    if (typeof c === "bigint") {
      const x = BigInt.asIntN(64, c);
      out.push(0, Number(x >> 32n), Number(BigInt.asUintN(32, x)));
    } else out.push(c, 0, 0);
  }
  return out;
}

function inputArrays(p: FusedProgram, b: Batch): { cols: unknown[]; shape: boolean[] } {
  const cols: unknown[] = [];
  const shape: boolean[] = [];
  for (const inp of p.inputs) {
    const c = inp.eval(b);
    const n = b.numRows;
    if (c.type.kind === "null") {
      // An untyped null column: zero values of the input's representation, all null.
      const zeros =
        inp.rep === "i64"
          ? new Int32Array(2 * n)
          : inp.rep === "f64"
            ? new Float64Array(n)
            : new Int32Array(n);
      cols.push(zeros, new Uint8Array(n));
      shape.push(true);
      continue;
    }
    const vals = c.values!;
    const valid = c.valid;
    cols.push(inp.rep === "i64" ? i64Halves(vals as BigInt64Array) : vals, valid);
    shape.push(valid !== null);
  }
  return { cols, shape };
}

/**
 * A mask evaluator running the fused loop (1 = keep; null counts as false). The returned mask
 * is valid until the evaluator's next call.
 */
export function fusedPredicate(p: FusedProgram): (b: Batch) => Uint8Array {
  const consts = flatConsts(p);
  let buf = new Uint8Array(0);
  const byShape = new Map<string, LoopFn>();
  return (b) => {
    const { cols, shape } = inputArrays(p, b);
    const key = shape.map((s) => (s ? "1" : "0")).join("");
    let fn = byShape.get(key);
    if (fn === undefined) {
      fn = compileSource(p, emit(p, shape, "mask"));
      byShape.set(key, fn);
    }
    // The mask buffer is reused from batch to batch: callers consume it before the next call.
    if (buf.length < b.numRows) buf = new Uint8Array(Math.max(b.numRows, 1024));
    const out = buf.length === b.numRows ? buf : buf.subarray(0, b.numRows);
    fn(b.numRows, out, null, cols, consts);
    return out;
  };
}

/** A column evaluator running the fused loop for a result of type `type`. */
export function fusedExpr(p: FusedProgram, type: DataType): (b: Batch) => Column {
  const consts = flatConsts(p);
  const byShape = new Map<string, { fn: LoopFn; nullable: boolean }>();
  return (b) => {
    const n = b.numRows;
    const { cols, shape } = inputArrays(p, b);
    const key = shape.map((s) => (s ? "1" : "0")).join("");
    let entry = byShape.get(key);
    if (entry === undefined) {
      const body = emit(p, shape, "value");
      entry = { fn: compileSource(p, body), nullable: body.includes("ov[i] = 0") };
      byShape.set(key, entry);
    }
    const values =
      type.kind === "float64"
        ? new Float64Array(n)
        : type.kind === "boolean"
          ? new Uint8Array(n)
          : type.kind === "int64" || type.kind === "timestamp"
            ? new BigInt64Array(n)
            : new Int32Array(n);
    const ov = entry.nullable ? new Uint8Array(n).fill(1) : null;
    entry.fn(n, values instanceof BigInt64Array ? i64Halves(values) : values, ov, cols, consts);
    return { type, length: n, valid: ov, values };
  };
}
