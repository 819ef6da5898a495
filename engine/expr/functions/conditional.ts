// Conditional functions: coalesce, nvl/ifnull, nvl2, if, nullif, greatest and least. Value
// arguments are cast to their common type (string promotion included, except for greatest
// and least, as Spark); greatest/least skip nulls and are null only when every argument is.
import type { Column } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, typeName } from "../../types/data-type.js";
import { castKernel } from "../cast.js";
import { widen } from "../coercion.js";
import { pickRows } from "../kernels/pick.js";
import { rowComparator } from "../kernels/row-compare.js";
import { defineFunction } from "../registry.js";
import { checkArity, setNullRule } from "./common.js";
import { comparisonKernel, comparisonOperandType } from "./comparison.js";

function common(fn: string, types: readonly DataType[], stringPromotion = true): DataType {
  const t = widen(types, stringPromotion);
  if (t === null)
    throw new AnalysisError(`${fn}: arguments have no common type: ${types.map(typeName).join(", ")}`);
  return t;
}

const isNullAt = (c: Column, i: number): boolean =>
  c.type.kind === "null" || (c.valid !== null && c.valid[i] === 0);

/** coalesce over columns of one type: the first non-null per row. */
export function coalesceColumns(cols: readonly Column[], type: DataType, n: number): Column {
  const first = cols[0]!;
  if (first.type.kind !== "null" && first.valid === null) return first;
  const which = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < cols.length; k++) {
      if (!isNullAt(cols[k]!, i)) {
        which[i] = k;
        break;
      }
    }
  }
  return pickRows(cols, which, type, n);
}

for (const name of ["coalesce", "nvl", "ifnull"] as const) {
  defineFunction({
    name,
    resolve: (types) => {
      if (name === "coalesce") checkArity(name, types, 1, Number.POSITIVE_INFINITY);
      else checkArity(name, types, 2);
      const t = common(name, types);
      return { argTypes: types.map(() => t), result: t };
    },
    compile: (_a, result) => (args, n) => coalesceColumns(args, result, n),
  });
  setNullRule(name, "all");
}

defineFunction({
  name: "nvl2",
  resolve: (types) => {
    checkArity("nvl2", types, 3);
    const t = common("nvl2", types.slice(1));
    return { argTypes: [types[0]!, t, t], result: t };
  },
  compile: (_a, result) => (args, n) => {
    const which = new Int32Array(n);
    for (let i = 0; i < n; i++) which[i] = isNullAt(args[0]!, i) ? 1 : 0;
    return pickRows(args.slice(1), which, result, n);
  },
});
setNullRule("nvl2", (nullable) => nullable[1]! || nullable[2]!);

defineFunction({
  name: "if",
  resolve: (types) => {
    checkArity("if", types, 3);
    const c = types[0]!;
    if (c.kind !== "boolean" && c.kind !== "null")
      throw new AnalysisError(`if: the condition must be boolean, got ${typeName(c)}`);
    const t = common("if", types.slice(1));
    return { argTypes: [{ kind: "boolean" }, t, t], result: t };
  },
  compile: (_a, result) => (args, n) => {
    const cond = args[0]!;
    const which = new Int32Array(n).fill(1);
    if (cond.type.kind !== "null") {
      const v = cond.values as Uint8Array;
      const cv = cond.valid;
      for (let i = 0; i < n; i++) if (v[i] === 1 && (cv === null || cv[i] === 1)) which[i] = 0;
    }
    return pickRows(args.slice(1), which, result, n);
  },
});
setNullRule("if", (nullable) => nullable[1]! || nullable[2]!);

defineFunction({
  name: "nullif",
  resolve: (types, args) => {
    checkArity("nullif", types, 2);
    comparisonOperandType("nullif", types, args);
    return { argTypes: [...types], result: types[0]! };
  },
  compile: (argTypes, result, _literals, ctx) => {
    const t = comparisonOperandType("nullif", argTypes, []);
    const ca = castKernel(argTypes[0]!, t, ctx);
    const cb = castKernel(argTypes[1]!, t, ctx);
    const eq = comparisonKernel("eq", t, [undefined, undefined]);
    return (args, n) => {
      const a = args[0]!;
      const same = eq([ca(a), cb(args[1]!)], n);
      const which = new Int32Array(n);
      const sv = same.values as Uint8Array | undefined;
      for (let i = 0; i < n; i++)
        which[i] = sv !== undefined && sv[i] === 1 && (same.valid === null || same.valid[i] === 1) ? -1 : 0;
      return pickRows([a], which, result, n);
    };
  },
});
setNullRule("nullif", "always");

for (const [name, sign] of [
  ["greatest", 1],
  ["least", -1],
] as const) {
  defineFunction({
    name,
    resolve: (types) => {
      checkArity(name, types, 2, Number.POSITIVE_INFINITY);
      const t = common(name, types, false);
      if (t.kind === "list") throw new AnalysisError(`${name}: arrays are not supported`);
      return { argTypes: types.map(() => t), result: t };
    },
    compile: (_a, result) => {
      const cmp = rowComparator(result);
      return (args, n) => {
        const which = new Int32Array(n).fill(-1);
        for (let i = 0; i < n; i++) {
          let best = -1;
          for (let k = 0; k < args.length; k++) {
            const c = args[k]!;
            if (isNullAt(c, i)) continue;
            if (best < 0 || sign * cmp(c, i, args[best]!, i) > 0) best = k;
          }
          which[i] = best;
        }
        return pickRows(args, which, result, n);
      };
    },
  });
  setNullRule(name, "all");
}
