// The Parquet FormatReader: schema from footers (hyparquet, synchronous), splits from
// row-group statistics, data from parquet-wasm. See schema.ts for the placeholder convention
// for columns Kindling cannot read.
import { DataError } from "../../errors.js";
import type { Expr } from "../../expr/expr.js";
import type { Schema } from "../../types/data-type.js";
import type { FileSource, FormatReader, ReadRequest, SourceFile, Split } from "../source.js";
import { readMetadataSync } from "./metadata.js";
import { readParquetSplit } from "./read.js";
import { fileSchema, mergeSchema } from "./schema.js";
import { mappingOptions, planParquetSplits } from "./splits.js";

export { clearMetadataCache } from "./metadata.js";
export { type UnsupportedField, unsupportedReason } from "./schema.js";
export { parquetWasmMemoryBytes, parquetWasmPoisoned } from "./wasm.js";

/**
 * The schema of a set of Parquet files: every footer is read (synchronously, cached per
 * path + mtime) and the schemas merged; incompatible column types are a DataError naming
 * both files.
 */
export function inferParquetSchema(
  files: readonly SourceFile[],
  options: Readonly<Record<string, string>>,
): Schema {
  if (files.length === 0) throw new DataError("no Parquet files to infer a schema from");
  const opts = mappingOptions(options);
  const first = files[0]!.path;
  let schema = fileSchema(readMetadataSync(first), opts);
  for (let i = 1; i < files.length; i++) {
    const path = files[i]!.path;
    schema = mergeSchema(schema, first, fileSchema(readMetadataSync(path), opts), path);
  }
  return schema;
}

/** Reads Parquet files: footers for the schema and pruning, parquet-wasm for the data. */
export const parquetReader: FormatReader = {
  format: "parquet",
  inferSchema: inferParquetSchema,
  planSplits: (source: FileSource, filters: readonly Expr[], targetBytes: number): Promise<Split[]> =>
    planParquetSplits(source, filters, targetBytes),
  read: (req: ReadRequest) => readParquetSplit(req),
};
