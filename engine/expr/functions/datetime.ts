// The date/time function family (Spark 3.5 semantics, session time zone from the compile
// context): registers every date/time function. Kernels live in `../datetime/defs-*.ts`;
// calendar math, zone offsets and Spark datetime patterns in `../datetime/*`.

import type { DataType } from "../../types/data-type.js";
import { arithFunctions } from "../datetime/defs-arith.js";
import { convertFunctions } from "../datetime/defs-convert.js";
import { extractFunctions } from "../datetime/defs-extract.js";
import { miscFunctions } from "../datetime/defs-misc.js";
import { defineFunction, type ScalarFunction } from "../registry.js";
import { setNullRule } from "./common.js";

/** Every date/time function, in registration order. */
export const DATETIME_FUNCTIONS: readonly ScalarFunction[] = [
  ...extractFunctions,
  ...arithFunctions,
  ...convertFunctions,
  ...miscFunctions,
];

/** Functions that give NULL for some non-NULL input whatever the types (bad unit, format, date). */
const MAY_NULL = new Set([
  "next_day",
  "make_date",
  "trunc",
  "date_trunc",
  "to_date",
  "to_timestamp",
  "unix_timestamp",
  "to_unix_timestamp",
  "from_unixtime",
]);

/** Otherwise NULL in, NULL out, plus NULL for unparseable strings and NaN seconds. */
const byInputs = (nullable: readonly boolean[], types: readonly DataType[]): boolean =>
  nullable.some((x) => x) || types.some((t) => t.kind === "string" || t.kind === "float64");

for (const f of DATETIME_FUNCTIONS) {
  defineFunction(f);
  setNullRule(f.name, MAY_NULL.has(f.name) ? "always" : byInputs);
}
for (const name of ["current_date", "current_timestamp", "current_timezone"]) setNullRule(name, "never");
