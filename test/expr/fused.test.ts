// The fused loop compiler must agree with the kernel-by-kernel path on every tree shape:
// random boolean and numeric expressions over columns with nulls, NaN and large int64s.
import { describe, expect, it } from "vitest";
import type { JsValue } from "../../engine/columnar/builders.js";
import { compileExpr, compilePredicate, exprType } from "../../engine/expr/compile.js";
import type { Expr } from "../../engine/expr/expr.js";
import { T } from "../../engine/types/data-type.js";
import { batch, call, ctx, lit, ref, values } from "./helpers.js";

let seed = 7;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
const N = 300;
const gen = <X>(f: () => X): X[] => Array.from({ length: N }, f);
const B = batch({
  a: [
    T.float64,
    gen(() => (rnd() < 0.15 ? null : pick([Number.NaN, -0, 0.5, 1, -3.25, 7, 1e300]))) as JsValue[],
  ],
  b: [T.float64, gen(() => (rnd() < 0.15 ? null : pick([0, 1, 2.5, -1, Number.NaN]))) as JsValue[]],
  i: [T.int32, gen(() => (rnd() < 0.15 ? null : pick([0, 1, -1, 2147483647, -2147483648, 5]))) as JsValue[]],
  j: [T.int32, gen(() => pick([0, 3, -7, 100])) as JsValue[]],
  l: [
    T.int64,
    gen(() => (rnd() < 0.15 ? null : pick([0n, -1n, 2n ** 60n, -(2n ** 53n) - 1n, 5n]))) as JsValue[],
  ],
  d: [T.date, gen(() => (rnd() < 0.15 ? null : pick([0, 19000, -5]))) as JsValue[]],
  p: [T.boolean, gen(() => (rnd() < 0.2 ? null : rnd() < 0.5)) as JsValue[]],
  s: [T.string, gen(() => (rnd() < 0.2 ? null : pick(["a", "b"]))) as JsValue[]],
});

function numeric(depth: number): Expr {
  if (depth <= 0 || rnd() < 0.3) {
    return pick<() => Expr>([
      () => ref(B, "a"),
      () => ref(B, "b"),
      () => ref(B, "i"),
      () => ref(B, "j"),
      () => ref(B, "l"),
      () => lit(pick([0, 1, 2.5, -1, Number.NaN])),
      () => lit(pick([3, -2147483648])),
      () => lit(null, T.float64),
    ])();
  }
  return call(pick(["add", "subtract", "multiply", "divide"]), numeric(depth - 1), numeric(depth - 1));
}

function boolean(depth: number): Expr {
  if (depth <= 0 || rnd() < 0.2) {
    return pick<() => Expr>([
      () => ref(B, "p"),
      () => call(pick(["eq", "neq", "lt", "le", "gt", "ge"]), numeric(1), numeric(1)),
      () => call(pick(["lt", "eq"]), ref(B, "d"), lit(19000, T.date)),
      () => call("eq", ref(B, "s"), lit("a")),
      () => call(pick(["is_null", "is_not_null"]), numeric(1)),
      () => call("isnan", numeric(1)),
      () => lit(pick([true, false, null]), T.boolean),
    ])();
  }
  return pick<() => Expr>([
    () => call("and", boolean(depth - 1), boolean(depth - 1)),
    () => call("or", boolean(depth - 1), boolean(depth - 1)),
    () => call("not", boolean(depth - 1)),
    () => call(pick(["eq", "gt", "le"]), numeric(depth - 1), numeric(depth - 1)),
  ])();
}

const show = (e: Expr): string => JSON.stringify(e, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));

describe("fused loops agree with per-kernel evaluation", () => {
  it("on random predicates (masks) and boolean values", () => {
    for (let k = 0; k < 300; k++) {
      const e = boolean(4);
      const fused = compilePredicate(e, ctx)(B);
      const plain = compilePredicate(e, ctx, { fuse: false })(B);
      const asArray = (m: Uint8Array | null) => (m === null ? new Array(N).fill(1) : Array.from(m));
      expect(asArray(fused), show(e)).toEqual(asArray(plain));
      expect(values(compileExpr(e, ctx)(B)), show(e)).toEqual(
        values(compileExpr(e, ctx, { fuse: false })(B)),
      );
    }
  });

  it("on random numeric expressions", () => {
    for (let k = 0; k < 300; k++) {
      const e = numeric(4);
      const t = exprType(e);
      const fused = values(compileExpr(e, ctx)(B));
      const plain = values(compileExpr(e, ctx, { fuse: false })(B));
      expect(
        fused,
        `${JSON.stringify(e, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))} : ${t.kind}`,
      ).toEqual(plain);
    }
  });
});
