// DataFrameReader: `spark.read.option(...).schema(...).csv|parquet|json|format().load(paths)`.
// Reading resolves the files and the schema now (a footer or a bounded sample), as Spark does.
import { AnalysisError, ConfigError } from "../errors.js";
import { listSourceFiles } from "../io/files.js";
import { formatReader } from "../io/formats.js";
import type { FileFormat, FileSource } from "../io/source.js";
import { newPlanId } from "../plan/logical.js";
import type { Session } from "../session.js";
import { type Schema, typeName } from "../types/data-type.js";
import { parseDDL } from "../types/ddl.js";
import { DataFrame } from "./dataframe.js";

/** Builder for reading files into a DataFrame. */
export class DataFrameReader {
  private fmt: FileFormat = "parquet";
  private readonly opts: Record<string, string> = {};
  private userSchema: Schema | undefined;

  /** @internal */
  constructor(private readonly session: Session) {}

  format(f: string): this {
    const norm = f.toLowerCase();
    if (norm !== "csv" && norm !== "parquet" && norm !== "json") {
      throw new ConfigError(`unknown data source format "${f}"; expected csv, parquet or json`);
    }
    this.fmt = norm;
    return this;
  }

  /** A reader option (Spark's names: header, inferSchema, sep, quote, mode, ...). Keys are case-insensitive. */
  option(key: string, value: string | number | boolean): this {
    this.opts[key.toLowerCase()] = String(value);
    return this;
  }

  options(o: Readonly<Record<string, string | number | boolean>>): this {
    for (const [k, v] of Object.entries(o)) this.option(k, v);
    return this;
  }

  /** The schema to read with, as a DDL string (`"a INT, b STRING"`) or a Schema; skips inference. */
  schema(s: string | Schema): this {
    this.userSchema = typeof s === "string" ? parseDDL(s) : s;
    return this;
  }

  csv(...paths: (string | string[])[]): DataFrame {
    return this.format("csv").load(...paths);
  }
  parquet(...paths: (string | string[])[]): DataFrame {
    return this.format("parquet").load(...paths);
  }
  json(...paths: (string | string[])[]): DataFrame {
    return this.format("json").load(...paths);
  }

  /** Reads the files at `paths` (files, directories or globs) in the chosen format. */
  load(...paths: (string | string[])[]): DataFrame {
    const flat = paths.flat();
    if (flat.length === 0) throw new AnalysisError("load() needs at least one path");
    const reader = formatReader(this.fmt);
    const timeZone = this.session.conf.get("kindling.sql.session.timeZone");
    const { files, partitionSchema } = listSourceFiles(flat, this.fmt, {
      timeZone,
      ...(this.opts.basepath !== undefined ? { basePath: this.opts.basepath } : {}),
    });
    const options: Record<string, string> = {
      timezone: timeZone,
      ...this.opts,
      "kindling.samplerows": this.session.conf.get("kindling.sql.csv.inferSchema.sampleRows"),
    };
    if (this.userSchema) options.schema = schemaToDDL(this.userSchema);
    let dataSchema = this.userSchema ?? reader.inferSchema(files, options);
    // Partition columns present in the data schema come from the directory names, as in Spark.
    const partNames = new Set(partitionSchema.fields.map((f) => f.name.toLowerCase()));
    if (!this.userSchema && partNames.size) {
      dataSchema = { fields: dataSchema.fields.filter((f) => !partNames.has(f.name.toLowerCase())) };
    }
    const source: FileSource = {
      format: this.fmt,
      rootPaths: flat,
      files,
      dataSchema,
      partitionSchema,
      options,
    };
    const schema: Schema = { fields: [...dataSchema.fields, ...partitionSchema.fields] };
    return new DataFrame(this.session, {
      kind: "Scan",
      id: newPlanId(),
      source,
      columns: null,
      filters: [],
      schema,
    });
  }
}

/** A Schema as a Spark DDL string, names back-quoted. */
export function schemaToDDL(s: Schema): string {
  return s.fields
    .map(
      (f) =>
        `\`${f.name.replaceAll("`", "``")}\` ${typeName(f.type).toUpperCase()}${f.nullable ? "" : " NOT NULL"}`,
    )
    .join(", ");
}
