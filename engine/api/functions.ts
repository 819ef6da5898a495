// `functions as F`: Spark's SQL functions as Column builders. Names are camelCase for
// TypeScript (F.toDate, F.dateTrunc) with Spark's snake_case spelling as an alias where it
// differs (F.to_date), so PySpark code ports with only syntax changes.
import { E, type Expr } from "../expr/expr.js";
import {
  Column,
  type ColumnOrName,
  type ColumnOrValue,
  lit,
  literalExpr,
  nameToExpr,
  toExpr,
} from "./column.js";
import type { DataFrame } from "./dataframe.js";

const c = (x: ColumnOrName): Expr => nameToExpr(x);
const v = (x: ColumnOrValue): Expr => toExpr(x);
const call = (fn: string, ...args: Expr[]): Column => new Column(E.call(fn, ...args));
const S = (s: string): Expr => literalExpr(s);

/** Column builders, one per Spark function. */
export const functions = {
  col: (name: string) => new Column(nameToExpr(name)),
  column: (name: string) => new Column(nameToExpr(name)),
  lit,
  /** Calls any registered function by its Spark name (Spark's `call_function`): `F.call("months_between", a, b)`. */
  call: (name: string, ...args: ColumnOrValue[]) => call(name.toLowerCase(), ...args.map((a) => v(a))),
  /** Ascending order of a column (nulls first). */
  asc: (x: ColumnOrName) => new Column(E.sortOrder(c(x), true, true)),
  /** Descending order of a column (nulls last). */
  desc: (x: ColumnOrName) => new Column(E.sortOrder(c(x), false, false)),
  expr: (_sql: string): Column => {
    throw new Error("F.expr needs the SQL front end, which is not available yet");
  },

  // Conditional and null handling
  when: (condition: Column, value: ColumnOrValue) =>
    new Column({ kind: "CaseWhen", branches: [[condition.expr, v(value)]] }),
  coalesce: (...cols: ColumnOrName[]) => call("coalesce", ...cols.map(c)),
  greatest: (...cols: ColumnOrName[]) => call("greatest", ...cols.map(c)),
  least: (...cols: ColumnOrName[]) => call("least", ...cols.map(c)),
  isnull: (x: ColumnOrName) => call("is_null", c(x)),
  isnotnull: (x: ColumnOrName) => call("is_not_null", c(x)),
  isnan: (x: ColumnOrName) => call("isnan", c(x)),
  nanvl: (a: ColumnOrName, b: ColumnOrName) => call("nanvl", c(a), c(b)),
  nullif: (a: ColumnOrName, b: ColumnOrName) => call("nullif", c(a), c(b)),
  nvl: (a: ColumnOrName, b: ColumnOrName) => call("coalesce", c(a), c(b)),
  not: (x: ColumnOrName) => call("not", c(x)),

  // Math
  abs: (x: ColumnOrName) => call("abs", c(x)),
  round: (x: ColumnOrName, scale = 0) => call("round", c(x), literalExpr(scale)),
  bround: (x: ColumnOrName, scale = 0) => call("bround", c(x), literalExpr(scale)),
  floor: (x: ColumnOrName) => call("floor", c(x)),
  ceil: (x: ColumnOrName) => call("ceil", c(x)),
  sqrt: (x: ColumnOrName) => call("sqrt", c(x)),
  pow: (x: ColumnOrName | number, y: ColumnOrName | number) =>
    call("pow", typeof x === "number" ? literalExpr(x) : c(x), typeof y === "number" ? literalExpr(y) : c(y)),
  exp: (x: ColumnOrName) => call("exp", c(x)),
  /** log(x) is the natural logarithm; log(base, x) takes a numeric base first, as in Spark. */
  log: (a: ColumnOrName | number, b?: ColumnOrName) =>
    b === undefined
      ? call("log", c(a as ColumnOrName))
      : call("log", typeof a === "number" ? literalExpr(a) : c(a), c(b)),
  log10: (x: ColumnOrName) => call("log10", c(x)),
  log2: (x: ColumnOrName) => call("log2", c(x)),
  signum: (x: ColumnOrName) => call("signum", c(x)),
  pmod: (a: ColumnOrName, b: ColumnOrValue) => call("pmod", c(a), v(b)),

  // Strings
  upper: (x: ColumnOrName) => call("upper", c(x)),
  lower: (x: ColumnOrName) => call("lower", c(x)),
  trim: (x: ColumnOrName) => call("trim", c(x)),
  ltrim: (x: ColumnOrName) => call("ltrim", c(x)),
  rtrim: (x: ColumnOrName) => call("rtrim", c(x)),
  length: (x: ColumnOrName) => call("length", c(x)),
  substring: (x: ColumnOrName, pos: number, len: number) =>
    call("substring", c(x), literalExpr(pos), literalExpr(len)),
  concat: (...cols: ColumnOrName[]) => call("concat", ...cols.map(c)),
  concatWs: (sep: string, ...cols: ColumnOrName[]) => call("concat_ws", S(sep), ...cols.map(c)),
  split: (x: ColumnOrName, pattern: string, limit = -1) =>
    call("split", c(x), S(pattern), literalExpr(limit)),
  regexpReplace: (x: ColumnOrName, pattern: string | Column, replacement: string | Column) =>
    call("regexp_replace", c(x), v(pattern), v(replacement)),
  regexpExtract: (x: ColumnOrName, pattern: string, idx: number) =>
    call("regexp_extract", c(x), S(pattern), literalExpr(idx)),
  startswith: (x: ColumnOrName, prefix: ColumnOrValue) => call("startswith", c(x), v(prefix)),
  endswith: (x: ColumnOrName, suffix: ColumnOrValue) => call("endswith", c(x), v(suffix)),
  contains: (x: ColumnOrName, part: ColumnOrValue) => call("contains", c(x), v(part)),
  lpad: (x: ColumnOrName, len: number, pad: string) => call("lpad", c(x), literalExpr(len), S(pad)),
  rpad: (x: ColumnOrName, len: number, pad: string) => call("rpad", c(x), literalExpr(len), S(pad)),
  instr: (x: ColumnOrName, substr: string) => call("instr", c(x), S(substr)),
  reverse: (x: ColumnOrName) => call("reverse", c(x)),
  initcap: (x: ColumnOrName) => call("initcap", c(x)),
  repeat: (x: ColumnOrName, n: number) => call("repeat", c(x), literalExpr(n)),

  // Dates and times
  toDate: (x: ColumnOrName, format?: string) =>
    format === undefined ? call("to_date", c(x)) : call("to_date", c(x), S(format)),
  toTimestamp: (x: ColumnOrName, format?: string) =>
    format === undefined ? call("to_timestamp", c(x)) : call("to_timestamp", c(x), S(format)),
  dateTrunc: (unit: string, x: ColumnOrName) => call("date_trunc", S(unit), c(x)),
  trunc: (x: ColumnOrName, unit: string) => call("trunc", c(x), S(unit)),
  year: (x: ColumnOrName) => call("year", c(x)),
  quarter: (x: ColumnOrName) => call("quarter", c(x)),
  month: (x: ColumnOrName) => call("month", c(x)),
  dayofmonth: (x: ColumnOrName) => call("dayofmonth", c(x)),
  dayofweek: (x: ColumnOrName) => call("dayofweek", c(x)),
  dayofyear: (x: ColumnOrName) => call("dayofyear", c(x)),
  weekofyear: (x: ColumnOrName) => call("weekofyear", c(x)),
  hour: (x: ColumnOrName) => call("hour", c(x)),
  minute: (x: ColumnOrName) => call("minute", c(x)),
  second: (x: ColumnOrName) => call("second", c(x)),
  dateAdd: (x: ColumnOrName, days: number | Column) => call("date_add", c(x), v(days)),
  dateSub: (x: ColumnOrName, days: number | Column) => call("date_sub", c(x), v(days)),
  datediff: (end: ColumnOrName, start: ColumnOrName) => call("datediff", c(end), c(start)),
  addMonths: (x: ColumnOrName, months: number | Column) => call("add_months", c(x), v(months)),
  lastDay: (x: ColumnOrName) => call("last_day", c(x)),
  dateFormat: (x: ColumnOrName, format: string) => call("date_format", c(x), S(format)),
  unixTimestamp: (x?: ColumnOrName, format?: string) =>
    x === undefined
      ? call("unix_timestamp")
      : format === undefined
        ? call("unix_timestamp", c(x))
        : call("unix_timestamp", c(x), S(format)),
  fromUnixtime: (x: ColumnOrName, format?: string) =>
    format === undefined ? call("from_unixtime", c(x)) : call("from_unixtime", c(x), S(format)),
  currentDate: () => call("current_date"),
  currentTimestamp: () => call("current_timestamp"),
  makeDate: (y: ColumnOrName, m: ColumnOrName, d: ColumnOrName) => call("make_date", c(y), c(m), c(d)),

  // Aggregates (in agg(), select() without groupBy, or over a window)
  /** count(col) counts non-null values; count("*") counts rows. */
  count: (x: ColumnOrName) => call("count", c(x)),
  countDistinct: (x: ColumnOrName, ...more: ColumnOrName[]) => call("count_distinct", c(x), ...more.map(c)),
  approxCountDistinct: (x: ColumnOrName, rsd?: number) =>
    rsd === undefined
      ? call("approx_count_distinct", c(x))
      : call("approx_count_distinct", c(x), literalExpr(rsd)),
  sum: (x: ColumnOrName) => call("sum", c(x)),
  avg: (x: ColumnOrName) => call("avg", c(x)),
  mean: (x: ColumnOrName) => call("avg", c(x)),
  min: (x: ColumnOrName) => call("min", c(x)),
  max: (x: ColumnOrName) => call("max", c(x)),
  first: (x: ColumnOrName, ignoreNulls = false) =>
    ignoreNulls ? call("first", c(x), literalExpr(true)) : call("first", c(x)),
  last: (x: ColumnOrName, ignoreNulls = false) =>
    ignoreNulls ? call("last", c(x), literalExpr(true)) : call("last", c(x)),
  stddev: (x: ColumnOrName) => call("stddev", c(x)),
  stddevSamp: (x: ColumnOrName) => call("stddev_samp", c(x)),
  stddevPop: (x: ColumnOrName) => call("stddev_pop", c(x)),
  variance: (x: ColumnOrName) => call("variance", c(x)),
  varSamp: (x: ColumnOrName) => call("var_samp", c(x)),
  varPop: (x: ColumnOrName) => call("var_pop", c(x)),
  corr: (x: ColumnOrName, y: ColumnOrName) => call("corr", c(x), c(y)),
  collectList: (x: ColumnOrName) => call("collect_list", c(x)),
  collectSet: (x: ColumnOrName) => call("collect_set", c(x)),
  /** percentile_approx(col, percentage (or an array of them), accuracy = 10000). */
  percentileApprox: (x: ColumnOrName, percentage: number | number[], accuracy = 10000) =>
    call(
      "percentile_approx",
      c(x),
      Array.isArray(percentage)
        ? E.lit(percentage, { kind: "list", element: { kind: "float64" } })
        : literalExpr(percentage),
      literalExpr(accuracy),
    ),
  median: (x: ColumnOrName) => call("median", c(x)),

  // Window functions (use with .over(Window...))
  rowNumber: () => call("row_number"),
  rank: () => call("rank"),
  denseRank: () => call("dense_rank"),
  percentRank: () => call("percent_rank"),
  cumeDist: () => call("cume_dist"),
  ntile: (n: number) => call("ntile", literalExpr(n)),
  lag: (x: ColumnOrName, offset = 1, defaultValue: ColumnOrValue = null) =>
    call("lag", c(x), literalExpr(offset), v(defaultValue)),
  lead: (x: ColumnOrName, offset = 1, defaultValue: ColumnOrValue = null) =>
    call("lead", c(x), literalExpr(offset), v(defaultValue)),
  firstValue: (x: ColumnOrName, ignoreNulls = false) => call("first_value", c(x), literalExpr(ignoreNulls)),
  lastValue: (x: ColumnOrName, ignoreNulls = false) => call("last_value", c(x), literalExpr(ignoreNulls)),
  nthValue: (x: ColumnOrName, n: number) => call("nth_value", c(x), literalExpr(n)),

  /** Marks a DataFrame as small enough to broadcast to every task of a join. */
  broadcast: (df: DataFrame): DataFrame => df.hintBroadcast(),
};

/** Spark's snake_case spellings of the camelCase names above. */
const aliases = {
  to_date: functions.toDate,
  to_timestamp: functions.toTimestamp,
  date_trunc: functions.dateTrunc,
  date_add: functions.dateAdd,
  date_sub: functions.dateSub,
  add_months: functions.addMonths,
  last_day: functions.lastDay,
  date_format: functions.dateFormat,
  unix_timestamp: functions.unixTimestamp,
  from_unixtime: functions.fromUnixtime,
  current_date: functions.currentDate,
  current_timestamp: functions.currentTimestamp,
  make_date: functions.makeDate,
  concat_ws: functions.concatWs,
  regexp_replace: functions.regexpReplace,
  regexp_extract: functions.regexpExtract,
  power: functions.pow,
  ceiling: functions.ceil,
  count_distinct: functions.countDistinct,
  approx_count_distinct: functions.approxCountDistinct,
  stddev_samp: functions.stddevSamp,
  stddev_pop: functions.stddevPop,
  var_samp: functions.varSamp,
  var_pop: functions.varPop,
  collect_list: functions.collectList,
  collect_set: functions.collectSet,
  percentile_approx: functions.percentileApprox,
  row_number: functions.rowNumber,
  dense_rank: functions.denseRank,
  percent_rank: functions.percentRank,
  cume_dist: functions.cumeDist,
  first_value: functions.firstValue,
  last_value: functions.lastValue,
  nth_value: functions.nthValue,
  call_function: functions.call,
};

/** The functions namespace, `import { functions as F } from "kindling"`. */
export const F = { ...functions, ...aliases };
export type Functions = typeof F;
