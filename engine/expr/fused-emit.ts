// Code generation and runtime of fused loops (see fused.ts for the IR): emits one loop body
// per validity shape, compiles it once, and runs it per batch. Generated source holds only
// synthetic identifiers (`c0`, `v0`, `k0`, `t0`): columns and constants arrive as parameters.
// Boolean combinations use `&` / `|` on precomputed locals (branch-free; nothing to
// short-circuit).
import { type Batch, type Column, i64Halves } from "../columnar/column.js";
import type { DataType } from "../types/data-type.js";
import type { CmpSym, FusedProgram, Node, Rep } from "./fused.js";

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
