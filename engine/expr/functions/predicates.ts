// Predicates: is_null, is_not_null, isnan, nanvl, and IN. `x IN (list)` casts every side to
// the common type (with string promotion, as Spark's InConversion); it is true on a match,
// null when there is no match but the value or a list element is null, false otherwise.
// A literal list becomes a set probed once per row.
import { type Column, i64Halves, i64IsSafe, readI64 } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, typeName } from "../../types/data-type.js";
import { widen } from "../coercion.js";
import type { LiteralValue } from "../expr.js";
import { decHalves, decNum, readDecimal } from "../kernels/decimal.js";
import { boolColumn, bytesEqual, utf8 } from "../kernels/util.js";
import { defineFunction, type Kernel } from "../registry.js";
import { argTypeError, checkArity, setNullRule } from "./common.js";
import { comparisonKernel } from "./comparison.js";
import { or3 } from "./logic.js";

const BOOL: DataType = { kind: "boolean" };
const F64: DataType = { kind: "float64" };

function nullTest(wantNull: boolean): Kernel {
  return (args, n) => {
    const a = args[0]!;
    const out = new Uint8Array(n);
    if (a.type.kind === "null") out.fill(wantNull ? 1 : 0);
    else if (a.valid === null) out.fill(wantNull ? 0 : 1);
    else {
      const v = a.valid;
      for (let i = 0; i < n; i++) out[i] = wantNull ? v[i]! ^ 1 : v[i]!;
    }
    return boolColumn(out, null, n);
  };
}

for (const [name, wantNull] of [
  ["is_null", true],
  ["is_not_null", false],
] as const) {
  defineFunction({
    name,
    resolve: (types) => {
      checkArity(name, types, 1);
      return { argTypes: [...types], result: BOOL };
    },
    compile: () => nullTest(wantNull),
  });
  setNullRule(name, "never");
}

function doubleArg(fn: string, t: DataType, i: number): DataType {
  if (
    t.kind === "float64" ||
    t.kind === "null" ||
    t.kind === "string" ||
    t.kind === "int32" ||
    t.kind === "int64"
  )
    return F64;
  if (t.kind === "decimal") return F64;
  throw argTypeError(fn, i, t, "double");
}

defineFunction({
  name: "isnan",
  resolve: (types) => {
    checkArity("isnan", types, 1);
    return { argTypes: [doubleArg("isnan", types[0]!, 0)], result: BOOL };
  },
  compile: () => (args, n) => {
    const a = args[0]!;
    const out = new Uint8Array(n);
    if (a.type.kind !== "null") {
      const v = a.values as Float64Array;
      const valid = a.valid;
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(v[i]!) && (valid === null || valid[i] === 1) ? 1 : 0;
    }
    return boolColumn(out, null, n);
  },
});
setNullRule("isnan", "never");

defineFunction({
  name: "nanvl",
  resolve: (types) => {
    checkArity("nanvl", types, 2);
    return { argTypes: [doubleArg("nanvl", types[0]!, 0), doubleArg("nanvl", types[1]!, 1)], result: F64 };
  },
  compile: () => (args, n) => {
    const [a, b] = args as [Column, Column];
    const out = new Float64Array(n);
    const valid = new Uint8Array(n);
    const av = a.type.kind === "null" ? null : (a.values as Float64Array);
    const bv = b.type.kind === "null" ? null : (b.values as Float64Array);
    for (let i = 0; i < n; i++) {
      const aOk = av !== null && (a.valid === null || a.valid[i] === 1);
      if (!aOk) continue;
      const x = av![i]!;
      if (!Number.isNaN(x)) {
        out[i] = x;
        valid[i] = 1;
      } else if (bv !== null && (b.valid === null || b.valid[i] === 1)) {
        out[i] = bv[i]!;
        valid[i] = 1;
      }
    }
    return { type: F64, length: n, valid, values: out };
  },
});
setNullRule("nanvl", "intolerant");

/** A key for set membership: numbers (and safe int64s) as numbers, larger int64s/decimals as bigints. */
function literalKey(v: LiteralValue): number | bigint | string | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return v < 9007199254740992n && v > -9007199254740992n ? Number(v) : v;
  if (typeof v === "number" || typeof v === "string") return v;
  throw new AnalysisError("IN does not support list values");
}

/** A membership test for row i of `a`, with the column's views taken once per batch. */
function probeFor(
  t: DataType,
  a: Column,
  keys: Set<number | bigint | string>,
  strBytes: readonly Uint8Array[],
  decoder: { decode(b: Uint8Array): string },
): (i: number) => boolean {
  switch (t.kind) {
    case "boolean":
    case "int32":
    case "date":
    case "float64": {
      const v = a.values as Int32Array | Float64Array;
      return (i) => keys.has(v[i]!);
    }
    case "int64":
    case "timestamp": {
      const v = a.values as BigInt64Array;
      const h = i64Halves(v);
      return (i) => keys.has(i64IsSafe(h, i) ? readI64(h, i) : v[i]!);
    }
    case "decimal": {
      const h = decHalves(a);
      const v = a.values as BigInt64Array;
      return (i) => {
        const x = decNum(h, i);
        return keys.has(!Number.isNaN(x) ? x : readDecimal(v, i));
      };
    }
    case "string": {
      const o = a.offsets!;
      const d = a.data!;
      if (strBytes.length <= 16)
        return (i) => {
          for (const b of strBytes) if (bytesEqual(d, o[i]!, o[i + 1]!, b, 0, b.length)) return true;
          return false;
        };
      return (i) => keys.has(decoder.decode(d.subarray(o[i]!, o[i + 1]!)));
    }
    default:
      throw new AnalysisError(`IN over ${typeName(t)} is not supported`);
  }
}

function inLiteralKernel(t: DataType, list: readonly LiteralValue[]): Kernel {
  const keys = new Set<number | bigint | string>();
  let listHasNull = false;
  for (const v of list) {
    const k = literalKey(v);
    if (k === null) listHasNull = true;
    else keys.add(k);
  }
  const strBytes = t.kind === "string" ? [...keys].map((k) => utf8(k as string)) : [];
  const decoder = new TextDecoder();
  return (args, n) => {
    const a = args[0]!;
    const out = new Uint8Array(n);
    const valid = new Uint8Array(n);
    if (a.type.kind === "null") return boolColumn(out, valid, n);
    const av = a.valid;
    const probe = probeFor(t, a, keys, strBytes, decoder);
    for (let i = 0; i < n; i++) {
      if (av !== null && av[i] === 0) continue;
      if (probe(i)) {
        out[i] = 1;
        valid[i] = 1;
      } else if (!listHasNull) valid[i] = 1;
    }
    return boolColumn(out, valid, n);
  };
}

defineFunction({
  name: "in",
  resolve: (types) => {
    checkArity("in", types, 1, Number.POSITIVE_INFINITY);
    const t = widen(types);
    if (t === null)
      throw new AnalysisError(
        `in: cannot compare ${typeName(types[0]!)} with list of ${types.slice(1).map(typeName).join(", ")}`,
      );
    if (t.kind === "list") throw new AnalysisError("in: arrays are not supported");
    return { argTypes: types.map(() => t), result: BOOL };
  },
  compile: (argTypes, _result, literals) => {
    const t = argTypes[0]!;
    if (argTypes.length === 1) return (_args, n) => boolColumn(new Uint8Array(n), null, n);
    if (literals.slice(1).every((l) => l !== undefined))
      return inLiteralKernel(t, literals.slice(1) as LiteralValue[]);
    const eq = comparisonKernel("eq", t, [undefined, undefined]);
    return (args, n) => {
      let acc = eq([args[0]!, args[1]!], n);
      for (let k = 2; k < args.length; k++) acc = or3(acc, eq([args[0]!, args[k]!], n), n);
      return acc;
    };
  },
});
setNullRule("in", "intolerant");
