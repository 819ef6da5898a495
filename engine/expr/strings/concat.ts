// concat (NULL if any argument is NULL), concat_ws (skips NULLs, flattens array<string>
// arguments), repeat and translate.
import { getString } from "../../columnar/builders.js";
import { type Column, nullColumn } from "../../columnar/column.js";
import { AnalysisError } from "../../errors.js";
import { type DataType, T, typeName } from "../../types/data-type.js";
import type { Kernel, ScalarFunction } from "../registry.js";
import {
  coerceArg,
  isAscii,
  litString,
  materializeLiterals,
  RowWriter,
  resolveArgs,
  scalar,
} from "./kernel-util.js";

const concatKernel: Kernel = (args, n) => {
  let bytes = 16;
  for (const a of args) bytes += a.offsets![n]!;
  const w = new RowWriter(n, bytes);
  for (let r = 0; r < n; r++) {
    let isNull = false;
    for (const a of args) {
      if (a.valid !== null && a.valid[r] === 0) {
        isNull = true;
        break;
      }
      w.put(a.data!, a.offsets![r]!, a.offsets![r + 1]!);
    }
    if (isNull) w.endNull();
    else w.end();
  }
  return w.finish();
};

/** concat_ws: argument 0 is the separator; null-typed arguments are skipped altogether. */
function concatWsKernel(types: readonly DataType[]): Kernel {
  const parts = types.map((t, i) => (i > 0 && t.kind !== "null" ? i : -1)).filter((i) => i > 0);
  return (args, n) => {
    const sep = args[0]!;
    let bytes = 16 + sep.offsets![n]! * 4;
    for (const i of parts)
      bytes += (args[i]!.child ?? args[i]!).offsets![args[i]!.child ? args[i]!.child!.length : n]!;
    const w = new RowWriter(n, bytes);
    const sd = sep.data!;
    const so = sep.offsets!;
    for (let r = 0; r < n; r++) {
      if (sep.valid !== null && sep.valid[r] === 0) {
        w.endNull();
        continue;
      }
      let first = true;
      const ss = so[r]!;
      const se = so[r + 1]!;
      for (const i of parts) {
        const a = args[i]!;
        if (a.valid !== null && a.valid[r] === 0) continue;
        const el = a.child;
        if (el === undefined) {
          if (!first) w.put(sd, ss, se);
          w.put(a.data!, a.offsets![r]!, a.offsets![r + 1]!);
          first = false;
          continue;
        }
        const eo = el.offsets!;
        for (let k = a.offsets![r]!; k < a.offsets![r + 1]!; k++) {
          if (el.valid !== null && el.valid[k] === 0) continue;
          if (!first) w.put(sd, ss, se);
          w.put(el.data!, eo[k]!, eo[k + 1]!);
          first = false;
        }
      }
      w.end();
    }
    return w.finish();
  };
}

const repeatKernel: Kernel = (args, n) => {
  const [str, times] = args as [Column, Column];
  const o = str.offsets!;
  const t = times.values as Int32Array;
  const w = new RowWriter(n, o[n]! + 16);
  for (let r = 0; r < n; r++) {
    if ((str.valid !== null && str.valid[r] === 0) || (times.valid !== null && times.valid[r] === 0)) {
      w.endNull();
      continue;
    }
    for (let k = 0; k < t[r]!; k++) w.put(str.data!, o[r]!, o[r + 1]!);
    w.end();
  }
  return w.finish();
};

/** Spark's translate dictionary: first occurrence wins; characters without a replacement are deleted (null). */
function buildDict(matching: string, replace: string): Map<string, string | null> {
  const dict = new Map<string, string | null>();
  const rep = [...replace];
  [...matching].forEach((m, i) => {
    if (!dict.has(m)) dict.set(m, i < rep.length ? rep[i]! : null);
  });
  return dict;
}

/** A byte table for all-ASCII dictionaries: -1 keeps, -2 deletes, else the replacement byte. */
function asciiTable(dict: Map<string, string | null>): Int16Array | null {
  const table = new Int16Array(128).fill(-1);
  for (const [k, v] of dict) {
    if (k.charCodeAt(0) >= 0x80 || (v !== null && v.charCodeAt(0) >= 0x80)) return null;
    table[k.charCodeAt(0)] = v === null ? -2 : v.charCodeAt(0);
  }
  return table;
}

function translateKernel(litMatch: string | undefined, litRep: string | undefined): Kernel {
  let key = "";
  let dict = new Map<string, string | null>();
  let table: Int16Array | null = null;
  const setDict = (m: string, rp: string) => {
    if (`${m}\u0000${rp}` === key && key !== "") return;
    key = `${m}\u0000${rp}`;
    dict = buildDict(m, rp);
    table = asciiTable(dict);
  };
  if (litMatch !== undefined && litRep !== undefined) setDict(litMatch, litRep);
  return (args, n) => {
    const [src, m, rp] = args as [Column, Column, Column];
    const o = src.offsets!;
    const d = src.data!;
    const w = new RowWriter(n, o[n]! + 16);
    for (let r = 0; r < n; r++) {
      if ([src, m, rp].some((c) => c.valid !== null && c.valid[r] === 0)) {
        w.endNull();
        continue;
      }
      if (litMatch === undefined || litRep === undefined) setDict(getString(m, r), getString(rp, r));
      const s = o[r]!;
      const e = o[r + 1]!;
      const tb = table as Int16Array | null;
      if (tb !== null && isAscii(d, s, e)) {
        w.reserve(e - s);
        for (let i = s; i < e; i++) {
          const x = tb[d[i]!]!;
          if (x === -1) w.putByte(d[i]!);
          else if (x >= 0) w.putByte(x);
        }
      } else {
        let out = "";
        for (const ch of getString(src, r)) {
          const x = dict.get(ch);
          out += x === undefined ? ch : (x ?? "");
        }
        w.putString(out);
      }
      w.end();
    }
    return w.finish();
  };
}

/** concat(...), concat_ws(sep, ...), repeat(str, n), translate(src, matching, replace). */
export const concatFunctions: readonly ScalarFunction[] = [
  scalar(
    "concat",
    (types) => ({
      argTypes: resolveArgs("concat", types, ["string"], 0, Number.POSITIVE_INFINITY),
      result: T.string,
    }),
    (types) => (types.length === 0 ? (_a, n) => concatKernel([], n) : concatKernel),
  ),
  {
    name: "concat_ws",
    resolve(types) {
      if (types.length < 1) throw new AnalysisError("function concat_ws takes at least 1 argument(s), got 0");
      const argTypes = types.map((t, i) => {
        if (i > 0 && t.kind === "list") {
          if (t.element.kind !== "string" && t.element.kind !== "null")
            throw new AnalysisError(
              `function concat_ws: argument ${i + 1} has type ${typeName(t)}; arrays must hold strings`,
            );
          return t.element.kind === "null" ? T.list(T.string) : t;
        }
        return coerceArg("concat_ws", i, t, "string");
      });
      return { argTypes, result: T.string };
    },
    compile(types, _r, literals) {
      if (types[0]!.kind === "null" || literals[0] === null) return (_a, n) => nullColumn(T.string, n);
      const skip = types.map((t, i) => t.kind === "null" || (i > 0 && literals[i] === null));
      const kept = types.map((t, i) => (skip[i] ? T.null : t));
      const lits = literals.map((l, i) => (skip[i] ? undefined : l));
      return materializeLiterals(concatWsKernel(kept), kept, lits);
    },
  },
  scalar(
    "repeat",
    (types) => ({ argTypes: resolveArgs("repeat", types, ["string", "int"], 2), result: T.string }),
    () => repeatKernel,
  ),
  scalar(
    "translate",
    (types) => ({
      argTypes: resolveArgs("translate", types, ["string", "string", "string"], 3),
      result: T.string,
    }),
    (_t, _r, lits) =>
      translateKernel(
        lits[1] === undefined ? undefined : litString(lits[1])!,
        lits[2] === undefined ? undefined : litString(lits[2])!,
      ),
  ),
];
