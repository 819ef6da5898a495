// DataFrameWriter: `df.write.mode(...).partitionBy(...).option(...).parquet(path)` / `.csv(path)`.
import { ConfigError } from "../errors.js";
import type { ExtraFiles } from "../io/commit.js";
import { resolveName } from "../plan/analyzer.js";
import type { DataFrame } from "./dataframe.js";

/** Spark's save modes. `errorifexists` is accepted as `error`. */
export type SaveMode = "error" | "errorifexists" | "overwrite" | "append" | "ignore";

/** What a write job reports. */
export interface WriteSummary {
  readonly path: string;
  readonly files: readonly string[];
  readonly rows: number;
  /** False when mode "ignore" found existing data and skipped the job. */
  readonly written: boolean;
}

/** The description of a write, handed to the session's job runner. */
export interface WriteSpec {
  readonly path: string;
  readonly format: "parquet" | "csv";
  readonly mode: "error" | "overwrite" | "append" | "ignore";
  readonly partitionBy: readonly number[];
  readonly options: Readonly<Record<string, string>>;
  /** Driver-side: small files committed atomically with the data (a window's manifest). */
  readonly extraFiles?: ExtraFiles;
}

/** Builder for a write; nothing runs until `parquet`, `csv` or `save` is awaited. */
export class DataFrameWriter {
  private saveMode: WriteSpec["mode"] = "error";
  private partitionCols: string[] = [];
  private readonly opts: Record<string, string> = {};
  private fmt: "parquet" | "csv" = "parquet";
  private extra: ExtraFiles | undefined;

  /** @internal */
  constructor(private readonly df: DataFrame) {}

  mode(m: SaveMode): this {
    const norm = m.toLowerCase();
    if (norm === "error" || norm === "errorifexists") this.saveMode = "error";
    else if (norm === "overwrite" || norm === "append" || norm === "ignore") this.saveMode = norm;
    else
      throw new ConfigError(
        `unknown save mode "${m}"; expected error, errorifexists, overwrite, append or ignore`,
      );
    return this;
  }

  partitionBy(...cols: (string | string[])[]): this {
    this.partitionCols = cols.flat();
    return this;
  }

  option(key: string, value: string | number | boolean): this {
    this.opts[key.toLowerCase()] = String(value);
    return this;
  }

  options(o: Readonly<Record<string, string | number | boolean>>): this {
    for (const [k, v] of Object.entries(o)) this.option(k, v);
    return this;
  }

  /** @internal Adds small files (e.g. a manifest) to the same atomic commit as the data. */
  withCommitFiles(extra: ExtraFiles): this {
    this.extra = extra;
    return this;
  }

  format(f: string): this {
    const norm = f.toLowerCase();
    if (norm !== "parquet" && norm !== "csv")
      throw new ConfigError(`unknown write format "${f}"; expected parquet or csv`);
    this.fmt = norm;
    return this;
  }

  parquet(path: string): Promise<WriteSummary> {
    this.fmt = "parquet";
    return this.save(path);
  }

  csv(path: string): Promise<WriteSummary> {
    this.fmt = "csv";
    return this.save(path);
  }

  save(path: string): Promise<WriteSummary> {
    const partitionBy = this.partitionCols.map((c) => resolveName(this.df.schema, c));
    if (partitionBy.length && partitionBy.length === this.df.schema.fields.length) {
      throw new ConfigError(
        "partitionBy: cannot use all columns for partitioning; at least one data column must remain",
      );
    }
    if (this.saveMode !== "error" && this.opts.partitionoverwritemode === undefined) {
      this.opts.partitionoverwritemode = this.df.session.conf.get(
        "kindling.sql.sources.partitionOverwriteMode",
      );
    }
    const spec: WriteSpec = {
      path,
      format: this.fmt,
      mode: this.saveMode,
      partitionBy,
      options: { ...this.opts },
      ...(this.extra ? { extraFiles: this.extra } : {}),
    };
    return this.df.session.runWrite(this.df.plan, spec);
  }
}
