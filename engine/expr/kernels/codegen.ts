// Compiles small loop templates into monomorphic JavaScript functions, once per template.
//
// A template is a statement run for every row `i` of a batch. It names its arguments by
// tokens: `$0` is argument 0's value at row i, `$h0` / `$l0` the signed high / unsigned low
// 32-bit half of an int64-like value. An argument is either an array (a column's typed array;
// int64 columns pass their Int32Array halves) or a scalar (a literal), and the token expands
// to `a0[i]` or to the plain parameter accordingly. Templates come only from constant tables
// in Kindling's own source: no column name, string or literal ever enters generated code;
// values arrive as parameters.

/** An argument of a loop: a column's values (int64: its halves) or a scalar. */
export type LoopArg =
  | { readonly array: ArrayLike<number> }
  | { readonly v: number; readonly h: number; readonly l: number };

/** A compiled loop: `(n, out, ov, K, a0, h0, l0, a1, h1, l1, a2, h2, l2)`. */
export type LoopFn = (n: number, out: unknown, ov: Uint8Array | null, K: unknown, ...args: unknown[]) => void;

const cache = new Map<string, LoopFn>();

/** Compiles (or fetches) the loop for `stmt` with argument shapes, `a` (array) or `s` (scalar) per argument. */
export function compileLoop(stmt: string, shapes: string): LoopFn {
  const key = `${shapes}|${stmt}`;
  let fn = cache.get(key);
  if (fn !== undefined) return fn;
  const body = stmt.replace(/\$([hl]?)(\d)/g, (_m, part: string, d: string) => {
    const k = Number(d);
    const arr = shapes[k] === "a";
    if (part === "") return arr ? `a${k}[i]` : `a${k}`;
    if (part === "h") return arr ? `a${k}[2*i+1]` : `h${k}`;
    return arr ? `(a${k}[2*i]>>>0)` : `l${k}`;
  });
  fn = new Function(
    "n",
    "out",
    "ov",
    "K",
    "a0",
    "h0",
    "l0",
    "a1",
    "h1",
    "l1",
    "a2",
    "h2",
    "l2",
    `"use strict";\nfor (let i = 0; i < n; i++) {\n${body}\n}`,
  ) as LoopFn;
  cache.set(key, fn);
  return fn;
}

/** The shape string of loop arguments. */
export const shapesOf = (args: readonly LoopArg[]): string =>
  args.map((a) => ("array" in a ? "a" : "s")).join("");

/** Runs a compiled loop over `n` rows. */
export function runLoop(
  fn: LoopFn,
  n: number,
  out: unknown,
  ov: Uint8Array | null,
  K: unknown,
  args: readonly LoopArg[],
): void {
  const p: unknown[] = [];
  for (let k = 0; k < 3; k++) {
    const a = args[k];
    if (a === undefined) p.push(0, 0, 0);
    else if ("array" in a) p.push(a.array, 0, 0);
    else p.push(a.v, a.h, a.l);
  }
  fn(n, out, ov, K, ...p);
}

/** A scalar loop argument for a number (int64-like scalars also carry their halves). */
export function scalarArg(v: number): LoopArg {
  const hi = Math.floor(v / 4294967296);
  const lo = v - hi * 4294967296;
  return { v, h: hi | 0, l: lo >>> 0 };
}

/** A scalar loop argument for an int64 given as a bigint. */
export function scalarArgBig(v: bigint): LoopArg {
  const x = BigInt.asIntN(64, v);
  return { v: Number(x), h: Number(x >> 32n), l: Number(BigInt.asUintN(32, x)) };
}
