// The JSON format: JSON lines (or one document per file with multiLine), schema inference
// from a sample, byte-range splits like CSV, gzip, and Spark's parse modes.
import type { Expr } from "../../expr/expr.js";
import type { Schema } from "../../types/data-type.js";
import { planTextSplits } from "../csv/index.js";
import type { FileSource, FormatReader, ReadRequest, SourceFile, Split } from "../source.js";
import { inferJsonSchema } from "./infer.js";
import { jsonReadOptions } from "./options.js";
import { readJsonSplit } from "./read.js";

/** The JSON FormatReader. */
export const jsonReader: FormatReader = {
  format: "json",
  inferSchema(files: readonly SourceFile[], options: Readonly<Record<string, string>>): Schema {
    return inferJsonSchema(files, jsonReadOptions(options));
  },
  async planSplits(source: FileSource, _filters: readonly Expr[], targetBytes: number): Promise<Split[]> {
    return planTextSplits(source, targetBytes);
  },
  read(req: ReadRequest) {
    return readJsonSplit(req);
  },
};
