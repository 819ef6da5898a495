// The CSV format: Spark-compatible options, schema inference from a sample, byte-range splits
// and a byte-level parser that writes straight into column buffers. `writeCsv` writes files.
import type { Expr } from "../../expr/expr.js";
import type { Schema } from "../../types/data-type.js";
import type { FileSource, FormatReader, ReadRequest, SourceFile, Split } from "../source.js";
import { isGzipPath } from "./byte-source.js";
import { inferCsvSchema } from "./infer.js";
import { boolOpt, csvReadOptions, lowerKeys } from "./options.js";
import { readCsvSplit } from "./read.js";

export { CsvFileWriter, type CsvWriteResult, writeCsv } from "./write.js";

/**
 * Cuts text files into line-aligned byte-range splits of `targetBytes` (readers realign them
 * to line starts); a gzip file, or any file when `multiLine` is true, is one split. Empty
 * files get no split. Shared by CSV and JSON lines.
 */
export function planTextSplits(source: FileSource, targetBytes: number): Split[] {
  const multiLine = boolOpt(lowerKeys(source.options), "multiLine", false);
  const splits: Split[] = [];
  source.files.forEach((f, i) => {
    if (f.size === 0) return;
    if (isGzipPath(f.path) || multiLine || targetBytes <= 0 || f.size <= targetBytes) {
      splits.push({ file: i, start: 0, length: -1, rowGroups: [] });
      return;
    }
    for (let s = 0; s < f.size; s += targetBytes) {
      splits.push({ file: i, start: s, length: Math.min(targetBytes, f.size - s), rowGroups: [] });
    }
  });
  return splits;
}

/** The CSV FormatReader. */
export const csvReader: FormatReader = {
  format: "csv",
  inferSchema(files: readonly SourceFile[], options: Readonly<Record<string, string>>): Schema {
    return inferCsvSchema(files, csvReadOptions(options));
  },
  async planSplits(source: FileSource, _filters: readonly Expr[], targetBytes: number): Promise<Split[]> {
    return planTextSplits(source, targetBytes);
  },
  read(req: ReadRequest) {
    return readCsvSplit(req);
  },
};
