// Compilation of resolved expressions into batch kernels (typing and `resolveCall` live in
// resolve.ts and are re-exported here). `compileExpr` turns a resolved tree into a closure
// built once per plan and run per batch; literal arguments are handed to kernel factories so
// hot comparisons and arithmetic specialise on the scalar, and numeric/boolean subtrees are
// fused into single loops (fused.ts). `compilePredicate` gives a selection mask where null
// counts as false.
import { type Batch, type Column, nullColumn } from "../columnar/column.js";
import { sliceColumn } from "../columnar/ops.js";
import { AnalysisError } from "../errors.js";
import { type DataType, typeEquals, typeName } from "../types/data-type.js";
import { castKernel } from "./cast.js";
import { type CallExpr, type CaseWhenExpr, E, type Expr, exprName, type LiteralValue } from "./expr.js";
import { FUSABLE, type LowerHost, lower } from "./fused.js";
import { fusedExpr, fusedPredicate } from "./fused-emit.js";
import { pickRows } from "./kernels/pick.js";
import { literalColumn, maskOf } from "./kernels/util.js";
import type { CompileContext } from "./registry.js";
import {
  caseWhenType,
  coercedArgs,
  coerceExpr,
  exprNullable,
  exprType,
  literalValueOf,
  lookup,
  resolveCall,
  resolveCaseWhen,
} from "./resolve.js";

export { coerceExpr, exprNullable, exprType, literalValueOf, resolveCall, resolveCaseWhen };

/** Evaluates an expression over a batch. */
export type Evaluator = (batch: Batch) => Column;

/** Per-compilation state: buffers of cached literal columns, which must not escape to outputs. */
interface Scope {
  readonly ctx: CompileContext;
  readonly literalBuffers: Set<ArrayBufferLike>;
  /** Fuse numeric/boolean subtrees into single loops (see fused.ts). */
  readonly fuse: boolean;
}

function literalEvaluator(value: LiteralValue, type: DataType, scope: Scope): Evaluator {
  let cached: Column | null = null;
  return (b) => {
    if (cached === null || cached.length !== b.numRows) {
      cached = literalColumn(type, value, b.numRows);
      for (const buf of [cached.values, cached.valid, cached.offsets, cached.data])
        if (buf) scope.literalBuffers.add(buf.buffer);
    }
    return cached;
  };
}

function compileCall(e: CallExpr, scope: Scope): Evaluator {
  const f = lookup(e.fn);
  const types = e.args.map(exprType);
  const r = f.resolve(types, e.args);
  // Tolerate trees whose arguments were not cast yet: cast them here.
  const args = e.args.map((a, i) =>
    r.argTypes[i] === undefined || typeEquals(types[i]!, r.argTypes[i]!) ? a : E.cast(a, r.argTypes[i]!),
  );
  const argTypes = args.map(exprType);
  const literals = args.map((a) => literalValueOf(a, scope.ctx));
  const kernel = f.compile(argTypes, r.result, literals, scope.ctx);
  const evals = args.map((a) => compileNode(a, scope));
  if (evals.length === 0) return (b) => kernel([], b.numRows);
  if (evals.length === 1) {
    const a0 = evals[0]!;
    return (b) => kernel([a0(b)], b.numRows);
  }
  if (evals.length === 2) {
    const a0 = evals[0]!;
    const a1 = evals[1]!;
    return (b) => kernel([a0(b), a1(b)], b.numRows);
  }
  return (b) =>
    kernel(
      evals.map((ev) => ev(b)),
      b.numRows,
    );
}

function compileCaseWhen(e: CaseWhenExpr, scope: Scope): Evaluator {
  const t = caseWhenType(e);
  const to = (x: Expr) => (typeEquals(exprType(x), t) ? x : E.cast(x, t));
  const conds = e.branches.map(([c]) => predicateNode(c, scope));
  const values = e.branches.map(([, v]) => compileNode(to(v), scope));
  const otherwise = e.otherwise === undefined ? null : compileNode(to(e.otherwise), scope);
  const k = e.branches.length;
  return (b) => {
    const n = b.numRows;
    const which = new Int32Array(n).fill(-1);
    const used = new Uint8Array(k + 1);
    let open = n;
    for (let j = 0; j < k && open > 0; j++) {
      const m = conds[j]!(b);
      for (let i = 0; i < n; i++) {
        if (which[i] === -1 && (m === null || m[i] === 1)) {
          which[i] = j;
          used[j] = 1;
          open--;
        }
      }
    }
    if (open > 0 && otherwise !== null) {
      for (let i = 0; i < n; i++) if (which[i] === -1) which[i] = k;
      used[k] = 1;
    }
    const cols: Column[] = [];
    for (let j = 0; j < k; j++) cols.push(used[j] ? values[j]!(b) : nullColumn(t, n));
    cols.push(used[k] ? otherwise!(b) : nullColumn(t, n));
    return pickRows(cols, which, t, n);
  };
}

function lowerHost(scope: Scope): LowerHost {
  return {
    type: exprType,
    coercedArgs,
    literal: (x) => literalValueOf(x, scope.ctx),
    evaluator: (x) => compileNode(x, scope, false),
  };
}

/** A fused program for `e` when its root is a fusable call and at least `minOps` operators fuse. */
function tryLower(e: Expr, scope: Scope, minOps: number) {
  if (!scope.fuse || e.kind !== "Call" || !FUSABLE.has(e.fn)) return null;
  const p = lower(e, lowerHost(scope));
  return p !== null && p.ops >= minOps ? p : null;
}

function compileNode(e: Expr, scope: Scope, fuse = true): Evaluator {
  if (fuse) {
    const p = tryLower(e, scope, 2);
    if (p !== null) return fusedExpr(p, exprType(e));
  }
  switch (e.kind) {
    case "Ref": {
      const idx = e.index;
      return (b) => {
        const c = b.columns[idx];
        if (c === undefined)
          throw new Error(`column ${idx} (${e.name}) is missing from a batch of ${b.columns.length}`);
        return c;
      };
    }
    case "Literal":
      return literalEvaluator(e.value, e.type, scope);
    case "Alias":
    case "SortOrder":
      return compileNode(e.child, scope);
    case "Cast": {
      const v = literalValueOf(e, scope.ctx);
      if (v !== undefined) return literalEvaluator(v, e.to, scope);
      const child = compileNode(e.child, scope);
      const k = castKernel(exprType(e.child), e.to, scope.ctx);
      return (b) => k(child(b));
    }
    case "Call":
      return compileCall(e, scope);
    case "CaseWhen":
      return compileCaseWhen(e, scope);
    case "Column":
    case "Star":
      throw new AnalysisError(`expression ${exprName(e)} is not resolved`);
  }
}

function usesBuffers(c: Column, bufs: Set<ArrayBufferLike>): boolean {
  for (const buf of [c.values, c.valid, c.offsets, c.data]) if (buf && bufs.has(buf.buffer)) return true;
  return c.child !== undefined && usesBuffers(c.child, bufs);
}

/**
 * Compiles a resolved expression into a per-batch evaluator. The returned columns never share
 * buffers with the compiler's cached constants, so callers may keep or transfer them.
 */
export function compileExpr(e: Expr, ctx: CompileContext, options: CompileOptions = {}): Evaluator {
  const scope: Scope = { ctx, literalBuffers: new Set(), fuse: options.fuse ?? true };
  const ev = compileNode(e, scope);
  return (b) => {
    const c = ev(b);
    return scope.literalBuffers.size > 0 && usesBuffers(c, scope.literalBuffers)
      ? sliceColumn(c, 0, c.length)
      : c;
  };
}

/** Compiler switches (for tests and benchmarks). */
export interface CompileOptions {
  /** Fuse numeric/boolean subtrees into one loop (default true). */
  readonly fuse?: boolean;
}

/** A selection-mask evaluator: 1 = keep, null = keep all. */
export type PredicateEvaluator = (batch: Batch) => Uint8Array | null;

function predicateNode(e: Expr, scope: Scope): PredicateEvaluator {
  if (e.kind === "Alias") return predicateNode(e.child, scope);
  const lit = literalValueOf(e, scope.ctx);
  if (lit !== undefined) {
    if (lit === true) return () => null;
    return (b) => new Uint8Array(b.numRows);
  }
  const fused = tryLower(e, scope, 1);
  if (fused !== null) return fusedPredicate(fused);
  if (e.kind === "Call" && (e.fn === "and" || e.fn === "or") && e.args.length === 2) {
    const l = predicateNode(e.args[0]!, scope);
    const r = predicateNode(e.args[1]!, scope);
    if (e.fn === "and")
      return (b) => {
        const x = l(b);
        if (x === null) return r(b);
        const y = r(b);
        if (y === null) return x;
        const n = b.numRows;
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = x[i]! & y[i]!;
        return out;
      };
    return (b) => {
      const x = l(b);
      if (x === null) return null;
      const y = r(b);
      if (y === null) return null;
      const n = b.numRows;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = x[i]! | y[i]!;
      return out;
    };
  }
  const t = exprType(e);
  if (t.kind === "null") return (b) => new Uint8Array(b.numRows);
  if (t.kind !== "boolean")
    throw new AnalysisError(`a predicate must be boolean, got ${typeName(t)}: ${exprName(e)}`);
  const ev = compileNode(e, scope);
  return (b) => maskOf(ev(b), b.numRows);
}

/**
 * Compiles a resolved boolean expression into a selection mask per batch (null counts as
 * false). The mask may alias a boolean input column's values: treat it as read-only.
 */
export function compilePredicate(
  e: Expr,
  ctx: CompileContext,
  options: CompileOptions = {},
): PredicateEvaluator {
  return predicateNode(e, { ctx, literalBuffers: new Set(), fuse: options.fuse ?? true });
}
