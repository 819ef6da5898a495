// Conversions between strings, numbers and date/time values: to_date, to_timestamp,
// date_format, from_unixtime, unix_timestamp, to_unix_timestamp. Formats are Spark datetime
// patterns; a literal format compiles once (an invalid one is an AnalysisError), a column of
// formats compiles each distinct value once. Unparseable input gives NULL (ANSI off; Spark's
// default policy would raise SparkUpgradeException where its legacy parser would succeed).
import { getString } from "../../columnar/builders.js";
import { type Column, i64Halves, writeI64 } from "../../columnar/column.js";
import { AnalysisError, DataError } from "../../errors.js";
import { type DataType, T } from "../../types/data-type.js";
import type { Expr } from "../expr.js";
import type { CompileContext, Kernel, ScalarFunction } from "../registry.js";
import { litString, RowWriter, resolveArgs, scalar } from "../strings/kernel-util.js";
import { floorDiv } from "./calendar.js";
import { type ByteSink, compileFormatter, type DateTimeFormatter } from "./format.js";
import { compactValid, DatetimeReader, timestampColumn, zonedResult } from "./inputs.js";
import { compileParser, type DateTimeParser } from "./parse.js";
import { compilePattern } from "./pattern.js";
import { type ZoneRules, zoneRules } from "./timezone.js";

/** Spark's default format of unix_timestamp and from_unixtime. */
export const DEFAULT_FORMAT = "yyyy-MM-dd HH:mm:ss";

/** Validates a literal format argument at analysis time. */
function checkFormat(fn: string, e: Expr | undefined, forParsing: boolean): void {
  if (e?.kind !== "Literal" || typeof e.value !== "string") return;
  try {
    if (forParsing) compileParser(e.value, zoneRules("UTC"));
    else compilePattern(e.value, false);
  } catch (err) {
    throw new AnalysisError(`${fn}: invalid datetime pattern '${e.value}': ${(err as Error).message}`);
  }
}

/** A compiled pattern per literal or per distinct row value (errors become DataError at run time). */
function patternSource<P>(fn: string, lit: string | undefined, make: (p: string) => P) {
  const fixed = lit === undefined ? null : make(lit);
  const cache = new Map<string, P>();
  return (col: Column | undefined, i: number): P => {
    if (fixed !== null) return fixed;
    const p = getString(col!, i);
    let v = cache.get(p);
    if (v === undefined) {
      try {
        v = make(p);
      } catch (err) {
        throw new DataError(`${fn}: invalid datetime pattern '${p}': ${(err as Error).message}`);
      }
      if (cache.size > 64) cache.clear();
      cache.set(p, v);
    }
    return v;
  };
}

const isNullAt = (c: Column | undefined, i: number) =>
  c !== undefined && c.valid !== null && c.valid[i] === 0;

/** Parses string column rows with a pattern into UTC seconds/µs; non-strings use the reader. */
function parseWithFormat(
  parser: (c: Column | undefined, i: number) => DateTimeParser,
  str: Column,
  fmt: Column | undefined,
  n: number,
  sec: Float64Array,
  us: Int32Array,
): Uint8Array {
  const valid = new Uint8Array(n);
  const o = str.offsets!;
  const d = str.data!;
  const out = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    if (isNullAt(str, i) || isNullAt(fmt, i)) continue;
    if (parser(fmt, i).parse(d, o[i]!, o[i + 1]!, out)) {
      valid[i] = 1;
      sec[i] = out[0]!;
      us[i] = out[1]!;
    }
  }
  return valid;
}

/** Shared shape of to_date / to_timestamp / unix_timestamp: (value[, format]). */
function parsingFn(
  name: string,
  result: (types: readonly DataType[]) => DataType,
  min: number,
  defaultFormat: string | null,
  finish: (sec: Float64Array, us: Int32Array, valid: Uint8Array, n: number, zone: ZoneRules) => Column,
  /** Without a format, how a non-string value (or a string when there is no default format) is read. */
  direct: (reader: DatetimeReader, c: Column, n: number, result: DataType) => Column,
): ScalarFunction {
  return scalar(
    name,
    (types, args) => {
      checkFormat(name, args[1], true);
      return { argTypes: resolveArgs(name, types, ["datetime", "string"], min, 2), result: result(types) };
    },
    (types, resultType, lits, ctx): Kernel => {
      const reader = new DatetimeReader(types[0]!, ctx);
      const zone = reader.zone;
      const fmtLit =
        types.length > 1 ? (lits[1] === undefined ? undefined : litString(lits[1])!) : defaultFormat;
      const useFormat = types[0]!.kind === "string" && (types.length > 1 || defaultFormat !== null);
      if (!useFormat) return ([c], n) => direct(reader, c!, n, resultType);
      const parser = patternSource(name, fmtLit ?? undefined, (p) => compileParser(p, zone));
      let sec = new Float64Array(0);
      let us = new Int32Array(0);
      return ([c, f], n) => {
        if (sec.length < n) {
          sec = new Float64Array(n);
          us = new Int32Array(n);
        }
        const valid = parseWithFormat(parser, c!, types.length > 1 ? f : undefined, n, sec, us);
        return finish(sec, us, valid, n, zone);
      };
    },
  );
}

function daysColumn(sec: Float64Array, valid: Uint8Array, n: number, zone: ZoneRules): Column {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) if (valid[i]) out[i] = floorDiv(sec[i]! + zone.offsetAt(sec[i]!), 86400);
  return { type: T.date, length: n, valid: compactValid(valid, n), values: out };
}

function secondsColumn(sec: Float64Array, valid: Uint8Array, n: number): Column {
  const values = new BigInt64Array(n);
  const h = i64Halves(values);
  for (let i = 0; i < n; i++) if (valid[i]) writeI64(h, i, sec[i]!);
  return { type: T.int64, length: n, valid: compactValid(valid, n), values };
}

/** unix_timestamp / to_unix_timestamp of a non-string: seconds of the instant (NTZ as UTC wall clock). */
function unixSecondsDirect(reader: DatetimeReader, c: Column, n: number): Column {
  const t = reader.type;
  const v = t.kind === "timestamp" && t.tz === null ? reader.locals(c, n) : reader.instants(c, n);
  return secondsColumn(v.sec, v.valid, n);
}

const toDateFn = parsingFn(
  "to_date",
  () => T.date,
  1,
  null,
  (sec, _us, valid, n, zone) => daysColumn(sec, valid, n, zone),
  (reader, c, n) => {
    const { days, valid } = reader.dayNumbers(c, n);
    return { type: T.date, length: n, valid: compactValid(valid, n), values: days.slice(0, n) };
  },
);

const toTimestampFn = parsingFn(
  "to_timestamp",
  (types) => zonedResult(types[0]),
  1,
  null,
  (sec, us, valid, n) => timestampColumn(sec, us, valid, n),
  (reader, c, n, result) => {
    const v = reader.instants(c, n);
    return timestampColumn(v.sec, v.us, v.valid, n, result);
  },
);

function unixTimestampFn(name: string, min: number): ScalarFunction {
  const inner = parsingFn(
    name,
    () => T.int64,
    1,
    DEFAULT_FORMAT,
    (sec, _us, valid, n) => secondsColumn(sec, valid, n),
    unixSecondsDirect,
  );
  if (min > 0) return inner;
  // unix_timestamp() with no argument: the query's "now".
  return {
    name,
    resolve: (types, args) =>
      types.length === 0 ? { argTypes: [], result: T.int64 } : inner.resolve(types, args),
    compile: (types, result, lits, ctx) => {
      if (types.length > 0) return inner.compile(types, result, lits, ctx);
      const now = Math.floor(ctx.nowMicros / 1e6);
      return (_a, n) => secondsColumn(new Float64Array(n).fill(now), new Uint8Array(n).fill(1), n);
    },
  };
}

/** Formats local wall-clock rows with a pattern per row (literal or column). */
function formatRows(
  formatter: (c: Column | undefined, i: number) => DateTimeFormatter,
  zone: ZoneRules,
  sec: Float64Array,
  us: Int32Array,
  valid: Uint8Array,
  fmt: Column | undefined,
  n: number,
  local: boolean,
): Column {
  const w = new RowWriter(n, n * 20);
  const sink: ByteSink = { appendBytes: (b, s, e) => w.put(b, s, e) };
  for (let i = 0; i < n; i++) {
    if (!valid[i] || isNullAt(fmt, i)) {
      w.endNull();
      continue;
    }
    const s = sec[i]!;
    // For NTZ values `sec` is the wall clock: find the instant only for zone letters.
    const utc = local ? zone.localToUtc(s) : s;
    const off = local ? s - utc : zone.offsetAt(s);
    formatter(fmt, i).append(sink, utc + off, us[i]!, utc, off);
    w.end();
  }
  return w.finish();
}

const dateFormatFn = scalar(
  "date_format",
  (types, args) => {
    checkFormat("date_format", args[1], false);
    return { argTypes: resolveArgs("date_format", types, ["datetime", "string"], 2), result: T.string };
  },
  (types, _r, lits, ctx): Kernel => {
    const reader = new DatetimeReader(types[0]!, ctx);
    const zone = reader.zone;
    const t = types[0]!;
    const ntz = t.kind === "timestamp" && t.tz === null;
    const formatter = patternSource(
      "date_format",
      lits[1] === undefined ? undefined : litString(lits[1])!,
      (p) => compileFormatter(p, zone),
    );
    return ([c, f], n) => {
      const v = ntz ? reader.locals(c!, n) : reader.instants(c!, n);
      return formatRows(formatter, zone, v.sec, v.us, v.valid, f, n, ntz);
    };
  },
);

const fromUnixtimeFn = scalar(
  "from_unixtime",
  (types, args) => {
    checkFormat("from_unixtime", args[1], false);
    return { argTypes: resolveArgs("from_unixtime", types, ["long", "string"], 1), result: T.string };
  },
  (types, _r, lits, ctx: CompileContext): Kernel => {
    const zone = zoneRules(ctx.timeZone);
    const lit = types.length > 1 ? (lits[1] === undefined ? undefined : litString(lits[1])!) : DEFAULT_FORMAT;
    const formatter = patternSource("from_unixtime", lit, (p) => compileFormatter(p, zone));
    return ([c, f], n) => {
      const values = c!.values as BigInt64Array;
      const h = i64Halves(values);
      const sec = new Float64Array(n);
      const valid = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (isNullAt(c, i)) continue;
        const s = h[2 * i + 1]! * 4294967296 + (h[2 * i]! >>> 0);
        // Beyond ±2^53 s the µs overflow in Spark (an error); here: NULL.
        if (Math.abs(s) > 9223372036854) continue;
        sec[i] = s;
        valid[i] = 1;
      }
      return formatRows(
        formatter,
        zone,
        sec,
        new Int32Array(n),
        valid,
        types.length > 1 ? f : undefined,
        n,
        false,
      );
    };
  },
);

/** to_date, to_timestamp, date_format, from_unixtime, unix_timestamp, to_unix_timestamp. */
export const convertFunctions: readonly ScalarFunction[] = [
  toDateFn,
  toTimestampFn,
  dateFormatFn,
  fromUnixtimeFn,
  unixTimestampFn("unix_timestamp", 0),
  unixTimestampFn("to_unix_timestamp", 1),
];
