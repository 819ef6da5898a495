// The string function family (Spark 3.5 semantics): registers every string function with
// the scalar function registry. The kernels live in `../strings/*`, one file per seam.

import { defineFunction, type ScalarFunction } from "../registry.js";
import { caseFunctions } from "../strings/case.js";
import { concatFunctions } from "../strings/concat.js";
import { likeFunctions } from "../strings/like.js";
import { regexFunctions } from "../strings/regex-fns.js";
import { searchFunctions } from "../strings/search.js";
import { substrFunctions } from "../strings/substr.js";
import { trimPadFunctions } from "../strings/trim-pad.js";
import { setNullRule } from "./common.js";

/** Every string function, in registration order. */
export const STRING_FUNCTIONS: readonly ScalarFunction[] = [
  ...caseFunctions,
  ...trimPadFunctions,
  ...substrFunctions,
  ...searchFunctions,
  ...concatFunctions,
  ...likeFunctions,
  ...regexFunctions,
];

for (const f of STRING_FUNCTIONS) {
  defineFunction(f);
  setNullRule(f.name, "intolerant");
}
// locate(substr, str, pos): a NULL position gives 0; concat_ws skips NULL parts.
setNullRule("locate", (nullable) => nullable[0]! || nullable[1]!);
setNullRule("concat_ws", (nullable) => nullable[0]!);
