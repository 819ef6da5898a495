// String functions against DuckDB on random strings (ASCII, accented, CJK, astral, empty,
// NULL) where DuckDB's semantics agree with Spark's. Known differences, translated here:
// DuckDB's concat treats NULL as '' (Spark: NULL) so `||` is used; DuckDB upper-cases 'ß' to
// 'ẞ' (Java: "SS") so the alphabet has no 'ß'; DuckDB's left/right count negative lengths from
// the other end and its substring treats position 0 differently, so those are not sampled.
import { afterAll, describe, expect, it } from "vitest";
import "../../engine/expr/functions/strings.js";
import { T } from "../../engine/types/data-type.js";
import { duck, duckRows } from "../expr-datetime/duck.js";
import { type Arg, colArg, evalFn, litArg } from "./helpers.js";

const ALPHABET = [..."abcABC xyz,-_%01éñÜ日本😀"];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const r = rng(7);
const strings: (string | null)[] = [];
for (let i = 0; i < 400; i++) {
  if (i % 37 === 0) strings.push(null);
  else if (i % 41 === 0) strings.push("");
  else {
    const len = Math.floor(r() * 12);
    let s = "";
    for (let k = 0; k < len; k++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
    strings.push(s);
  }
}
const ints = strings.map(() => Math.floor(r() * 8));
const others = strings.map((_, i) => strings[(i * 7 + 3) % strings.length]!);

const sqlString = (s: string | null) => (s === null ? "NULL" : `'${s.replaceAll("'", "''")}'`);

let rowsPromise: Promise<Record<string, unknown>[]> | null = null;
function duckResults(): Promise<Record<string, unknown>[]> {
  rowsPromise ??= (async () => {
    const values = strings
      .map((s, i) => `(${i}, ${sqlString(s)}, ${ints[i]}, ${sqlString(others[i]!)})`)
      .join(",");
    const exprs: Record<string, string> = {
      upper: "upper(s)",
      lower: "lower(s)",
      length: "length(s)",
      reverse: "reverse(s)",
      trim: "trim(s)",
      ltrim: "ltrim(s)",
      rtrim: "rtrim(s)",
      substring: "substring(s, n + 1, n)",
      lpad: "lpad(s, n + 2, 'xé')",
      rpad: "rpad(s, n + 2, 'xé')",
      instr: "instr(s, 'a')",
      startswith: "starts_with(s, 'a')",
      endswith: "ends_with(s, 'a')",
      contains: "contains(s, o)",
      replace: "replace(s, 'a', 'XY')",
      repeat: "repeat(s, n)",
      concat: "s || '|' || o",
      concat_ws: "concat_ws('-', s, o)",
      like1: "s LIKE '%a%'",
      like2: "s LIKE '_b%'",
      like3: "s LIKE '%日_'",
      left: "left(s, n)",
      right: "right(s, n)",
      split: "string_split(s, ',')",
      regexp_replace: "regexp_replace(s, '[0-9]+', '#', 'g')",
      rlike: "regexp_matches(s, '[a-c][^a-c]')",
      translate: "translate(s, 'aé日', 'A')",
    };
    const sel = Object.entries(exprs)
      .map(([k, e]) => `${e} AS ${k}`)
      .join(", ");
    return duckRows(`SELECT ${sel} FROM (VALUES ${values}) v(i, s, n, o) ORDER BY i`);
  })();
  return rowsPromise;
}

afterAll(async () => {
  (await duck()).closeSync();
});

const S = colArg(T.string, strings);
const O = colArg(T.string, others);
const N = colArg(T.int32, ints);
const N1 = colArg(
  T.int32,
  ints.map((n) => n + 1),
);
const N2 = colArg(
  T.int32,
  ints.map((n) => n + 2),
);
const str = (s: string) => litArg(T.string, s);

const CASES: [string, string, Arg[]][] = [
  ["upper", "upper", [S]],
  ["lower", "lower", [S]],
  ["length", "length", [S]],
  ["reverse", "reverse", [S]],
  ["trim", "trim", [S]],
  ["ltrim", "ltrim", [S]],
  ["rtrim", "rtrim", [S]],
  ["substring", "substring", [S, N1, N]],
  ["lpad", "lpad", [S, N2, str("xé")]],
  ["rpad", "rpad", [S, N2, str("xé")]],
  ["instr", "instr", [S, str("a")]],
  ["startswith", "startswith", [S, str("a")]],
  ["endswith", "endswith", [S, str("a")]],
  ["contains", "contains", [S, O]],
  ["replace", "replace", [S, str("a"), str("XY")]],
  ["repeat", "repeat", [S, N]],
  ["concat", "concat", [S, str("|"), O]],
  ["concat_ws", "concat_ws", [str("-"), S, O]],
  ["like1", "like", [S, str("%a%")]],
  ["like2", "like", [S, str("_b%")]],
  ["like3", "like", [S, str("%日_")]],
  ["left", "left", [S, N]],
  ["right", "right", [S, N]],
  ["split", "split", [S, str(",")]],
  ["regexp_replace", "regexp_replace", [S, str("[0-9]+"), str("#")]],
  ["rlike", "rlike", [S, str("[a-c][^a-c]")]],
  ["translate", "translate", [S, str("aé日"), str("A")]],
];

describe("string functions agree with DuckDB", () => {
  it.each(CASES)("%s", async (key, fn, args) => {
    const rows = await duckResults();
    const theirs = rows.map((row) => {
      const v = row[key];
      if (v === null || v === undefined) return null;
      if (typeof v === "boolean" || Array.isArray(v)) return v;
      return typeof v === "string" && /^(length|instr)$/.test(key) ? Number(v) : v;
    });
    expect(evalFn(fn, args)).toEqual(theirs);
  });
});
