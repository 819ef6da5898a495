// The date/time function family (Spark 3.5 semantics, session time zone from the compile
// context): registers every date/time function. Kernels live in `../datetime/defs-*.ts`;
// calendar math, zone offsets and Spark datetime patterns in `../datetime/*`.
import { arithFunctions } from "../datetime/defs-arith.js";
import { convertFunctions } from "../datetime/defs-convert.js";
import { extractFunctions } from "../datetime/defs-extract.js";
import { miscFunctions } from "../datetime/defs-misc.js";
import { defineFunction, type ScalarFunction } from "../registry.js";

/** Every date/time function, in registration order. */
export const DATETIME_FUNCTIONS: readonly ScalarFunction[] = [
  ...extractFunctions,
  ...arithFunctions,
  ...convertFunctions,
  ...miscFunctions,
];

for (const f of DATETIME_FUNCTIONS) defineFunction(f);
