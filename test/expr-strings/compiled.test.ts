// The string and date functions through the real resolver and compiler: implicit casts of
// arguments, literal arguments, nullability rules.
import { describe, expect, it } from "vitest";
import { columnFromValues } from "../../engine/columnar/builders.js";
import { batchOf } from "../../engine/columnar/column.js";
import { compileExpr, exprNullable, resolveCall } from "../../engine/expr/compile.js";
import { E, type Expr } from "../../engine/expr/expr.js";
import "../../engine/expr/functions/index.js";
import { field, schemaOf, T } from "../../engine/types/data-type.js";
import { toJs } from "./helpers.js";

const schema = schemaOf([
  field("i", T.int32),
  field("s", T.string),
  field("ts", T.timestamp),
  field("d", T.date),
]);
const batch = batchOf(
  schema,
  [
    columnFromValues(T.int32, [1, null, -3]),
    columnFromValues(T.string, ["2021-03-14 10:00:00", "x", null]),
    columnFromValues(T.timestamp, ["2021-03-14T15:30:00Z", null, "1969-07-20T20:17:40Z"]),
    columnFromValues(T.date, ["2020-02-29", "1900-01-01", null]),
  ],
  3,
);
const ref = (i: number) => E.ref(i, schema.fields[i]!.name, schema.fields[i]!.type, true);
const run = (fn: string, ...args: Expr[]) => {
  const { expr } = resolveCall(fn, args);
  return toJs(compileExpr(expr, { timeZone: "America/New_York", nowMicros: 0 })(batch));
};

describe("through the compiler", () => {
  it("casts numbers and dates to strings for string functions", () => {
    expect(run("concat", ref(0), E.lit("-", T.string), ref(3))).toEqual(["1-2020-02-29", null, null]);
    expect(run("length", ref(0))).toEqual([1, null, 2]);
    expect(run("upper", E.lit("abc", T.string))).toEqual(["ABC", "ABC", "ABC"]);
    expect(run("substring", ref(1), E.lit(1n, T.int64), E.lit("4", T.string))).toEqual(["2021", "x", null]);
    expect(run("lpad", ref(0), E.lit(3, T.int32), E.lit(0, T.int32))).toEqual(["001", null, "0-3"]);
  });
  it("reads strings, dates and timestamps for date functions in the session zone", () => {
    expect(run("year", ref(1))).toEqual([2021, null, null]);
    expect(run("hour", ref(2))).toEqual([11, null, 16]);
    expect(run("dayofmonth", ref(3))).toEqual([29, 1, null]);
    expect(run("date_add", ref(3), E.lit(1n, T.int64))).toEqual(["2020-03-01", "1900-01-02", null]);
    expect(run("date_format", ref(2), E.lit("yyyy-MM-dd HH:mm z", T.string))).toEqual([
      "2021-03-14 11:30 EDT",
      null,
      "1969-07-20 16:17 EDT",
    ]);
  });
  it("declares nullability", () => {
    const nn = E.ref(0, "i", T.int32, false);
    expect(exprNullable(resolveCall("upper", [nn]).expr)).toBe(false);
    expect(exprNullable(resolveCall("to_date", [E.ref(1, "s", T.string, false)]).expr)).toBe(true);
    expect(exprNullable(resolveCall("concat_ws", [E.lit(",", T.string), ref(1)]).expr)).toBe(false);
    expect(exprNullable(resolveCall("current_date", []).expr)).toBe(false);
  });
});
