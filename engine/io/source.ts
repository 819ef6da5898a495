// File sources: what a scan reads, how it is split into tasks, and the interface each
// format (CSV, Parquet, JSON lines) implements.
import type { Batch } from "../columnar/column.js";
import type { Expr, LiteralValue } from "../expr/expr.js";
import type { Schema } from "../types/data-type.js";

export type FileFormat = "csv" | "parquet" | "json";

/** One input file, with its Hive partition values (in `partitionSchema` order). */
export interface SourceFile {
  readonly path: string;
  readonly size: number;
  readonly partitionValues: readonly LiteralValue[];
}

/**
 * A resolved file source: the files found under the user's paths, the schema of the data in
 * the files and of the Hive `key=value` partition columns, and the reader options (strings,
 * as Spark's DataFrameReader keeps them, keys lower-cased).
 */
export interface FileSource {
  readonly format: FileFormat;
  /** The paths the user gave, for messages and explain. */
  readonly rootPaths: readonly string[];
  readonly files: readonly SourceFile[];
  readonly dataSchema: Schema;
  readonly partitionSchema: Schema;
  readonly options: Readonly<Record<string, string>>;
}

/**
 * A unit of input for one task: a byte range of a file (CSV, JSON lines) or a run of row
 * groups (Parquet). Splits depend only on the files, never on the thread count.
 */
export interface Split {
  /** Index into `FileSource.files`. */
  readonly file: number;
  readonly start: number;
  /** Byte length; -1 means to the end of the file. */
  readonly length: number;
  /** Parquet: the row groups this split reads (absolute indices); empty for other formats. */
  readonly rowGroups: readonly number[];
}

/** What a reader is asked to produce for one split. */
export interface ReadRequest {
  readonly source: FileSource;
  readonly split: Split;
  /** Indices into `source.dataSchema` of the columns to produce, in this order. */
  readonly columns: readonly number[];
  /**
   * Predicates over `dataSchema` (Refs index into dataSchema) that a reader MAY use to skip
   * data (row-group statistics). The scan still applies them row by row afterwards.
   */
  readonly filters: readonly Expr[];
  /** Target rows per batch (~65536). */
  readonly batchSize: number;
}

/** The interface each file format implements. Schema inference is synchronous (eager analysis). */
export interface FormatReader {
  readonly format: FileFormat;
  /** The data schema of the files (footer, or a bounded sample), honouring options like `schema`. */
  inferSchema(files: readonly SourceFile[], options: Readonly<Record<string, string>>): Schema;
  /** Cuts the files into splits of roughly `targetBytes`; may prune by `filters` (row-group stats). */
  planSplits(source: FileSource, filters: readonly Expr[], targetBytes: number): Promise<Split[]>;
  /** Streams the batches of one split, with exactly the requested columns. */
  read(req: ReadRequest): AsyncIterable<Batch>;
}
