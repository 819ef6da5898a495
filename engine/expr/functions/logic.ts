// Boolean logic with SQL's three-valued semantics: and (false wins over null), or (true wins
// over null), not (null stays null).
import type { Column } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, typeName } from "../../types/data-type.js";
import { boolColumn } from "../kernels/util.js";
import { defineFunction } from "../registry.js";
import { checkArity, setNullRule } from "./common.js";

const BOOL: DataType = { kind: "boolean" };

function booleanArgs(fn: string, types: readonly DataType[], n: number): DataType[] {
  checkArity(fn, types, n);
  types.forEach((t, i) => {
    if (t.kind !== "boolean" && t.kind !== "null")
      throw new AnalysisError(`${fn}: argument ${i + 1} must be boolean, got ${typeName(t)}`);
  });
  return types.map(() => BOOL);
}

const vals = (c: Column, n: number): Uint8Array =>
  c.type.kind === "null" ? new Uint8Array(n) : (c.values as Uint8Array);
const valid = (c: Column, n: number): Uint8Array | null =>
  c.type.kind === "null" ? new Uint8Array(n) : c.valid;

/** Three-valued AND of two boolean columns. */
export function and3(a: Column, b: Column, n: number): Column {
  const x = vals(a, n);
  const y = vals(b, n);
  const xv = valid(a, n);
  const yv = valid(b, n);
  const out = new Uint8Array(n);
  if (xv === null && yv === null) {
    for (let i = 0; i < n; i++) out[i] = x[i]! & y[i]!;
    return boolColumn(out, null, n);
  }
  const ov = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const va = xv === null ? 1 : xv[i]!;
    const vb = yv === null ? 1 : yv[i]!;
    const t = va & x[i]! & vb & y[i]!;
    const f = (va & (x[i]! ^ 1)) | (vb & (y[i]! ^ 1));
    out[i] = t;
    ov[i] = t | f;
  }
  return boolColumn(out, ov, n);
}

/** Three-valued OR of two boolean columns. */
export function or3(a: Column, b: Column, n: number): Column {
  const x = vals(a, n);
  const y = vals(b, n);
  const xv = valid(a, n);
  const yv = valid(b, n);
  const out = new Uint8Array(n);
  if (xv === null && yv === null) {
    for (let i = 0; i < n; i++) out[i] = x[i]! | y[i]!;
    return boolColumn(out, null, n);
  }
  const ov = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const va = xv === null ? 1 : xv[i]!;
    const vb = yv === null ? 1 : yv[i]!;
    const t = (va & x[i]!) | (vb & y[i]!);
    const f = va & (x[i]! ^ 1) & vb & (y[i]! ^ 1);
    out[i] = t;
    ov[i] = t | f;
  }
  return boolColumn(out, ov, n);
}

defineFunction({
  name: "and",
  resolve: (types) => ({ argTypes: booleanArgs("and", types, 2), result: BOOL }),
  compile: () => (args, n) => and3(args[0]!, args[1]!, n),
});
setNullRule("and", "intolerant");

defineFunction({
  name: "or",
  resolve: (types) => ({ argTypes: booleanArgs("or", types, 2), result: BOOL }),
  compile: () => (args, n) => or3(args[0]!, args[1]!, n),
});
setNullRule("or", "intolerant");

defineFunction({
  name: "not",
  resolve: (types) => ({ argTypes: booleanArgs("not", types, 1), result: BOOL }),
  compile: () => (args, n) => {
    const a = args[0]!;
    const x = vals(a, n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = x[i]! ^ 1;
    return boolColumn(out, valid(a, n), n);
  },
});
setNullRule("not", "intolerant");
