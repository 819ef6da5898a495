// Writing batches as one CSV file (optionally gzip-compressed), with Spark's writer options:
// header (false), sep/delimiter (","), quote ("), escape (\), escapeQuotes (true), quoteAll
// (false), nullValue (""), emptyValue (`""`), dateFormat (yyyy-MM-dd), timestampFormat
// (yyyy-MM-dd'T'HH:mm:ss.SSSXXX in the `timeZone` option, default UTC), timestampNTZFormat
// (yyyy-MM-dd'T'HH:mm:ss.SSS), lineSep (\n), compression (none/gzip), and
// ignoreLeadingWhiteSpace / ignoreTrailingWhiteSpace, which default to true for writing as in
// Spark (string values are written trimmed).
//
// A value is quoted when it holds the delimiter, a quote, CR or LF (or always with quoteAll);
// inside quotes a quote is written as escape+quote (`""` when escape is the quote), and an
// escape character that precedes a quote or another escape, or ends the value, is doubled,
// so Kindling's reader gets the value back exactly.
import { once } from "node:events";
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import type { Batch } from "../../columnar/column.js";
import { AnalysisError, ConfigError } from "../../errors.js";
import { type Schema, typeName } from "../../types/data-type.js";
import { lowerKeys } from "./options.js";
import { CsvTextWriter } from "./write-text.js";

/** What `writeCsv` wrote. */
export interface CsvWriteResult {
  readonly rows: number;
  /** Bytes of the file on disk (compressed size for gzip). */
  readonly bytes: number;
}

/** Writes `batches` (with `schema`) as a CSV file at `path`, replacing it. */
export async function writeCsv(
  batches: AsyncIterable<Batch> | Iterable<Batch>,
  path: string,
  schema: Schema,
  options: Readonly<Record<string, string>> = {},
): Promise<CsvWriteResult> {
  const w = await CsvFileWriter.open(path, schema, options);
  try {
    for await (const b of batches) await w.write(b);
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.close();
}

/** A CSV file written batch by batch, for writers that stream (`writeCsv` is built on it). */
export class CsvFileWriter {
  private rows = 0;
  private readonly flush: (chunk: Buffer) => Promise<void>;

  private constructor(
    private readonly path: string,
    private readonly text: CsvTextWriter,
    private readonly file: fs.WriteStream,
    private readonly target: NodeJS.WritableStream,
    private readonly failed: Promise<never>,
  ) {
    this.flush = async (chunk: Buffer): Promise<void> => {
      if (!target.write(chunk)) await Promise.race([once(target as NodeJS.EventEmitter, "drain"), failed]);
    };
  }

  /** Creates (or replaces) the file at `path` and writes the header when asked. */
  static async open(
    path: string,
    schema: Schema,
    options: Readonly<Record<string, string>> = {},
  ): Promise<CsvFileWriter> {
    for (const f of schema.fields) {
      if (f.type.kind === "list") {
        throw new AnalysisError(
          `CSV data source does not support ${typeName(f.type)} data type (column "${f.name}")`,
        );
      }
    }
    const text = new CsvTextWriter(options);
    const o = lowerKeys(options);
    const codec = (o.get("compression") ?? o.get("codec") ?? "none").toLowerCase();
    if (!["none", "uncompressed", "gzip"].includes(codec)) {
      throw new ConfigError(`option compression: unsupported codec "${codec}" (none, gzip)`);
    }
    const file = fs.createWriteStream(path);
    const gz = codec === "gzip" ? zlib.createGzip() : null;
    if (gz) gz.pipe(file);
    const failed = new Promise<never>((_, reject) => {
      file.on("error", reject);
      gz?.on("error", reject);
    });
    failed.catch(() => {});
    const w = new CsvFileWriter(path, text, file, gz ?? file, failed);
    if (text.header) {
      try {
        await text.writeHeader(schema, w.flush);
      } catch (e) {
        w.abort();
        throw e;
      }
    }
    return w;
  }

  /** Appends the rows of a batch. */
  async write(batch: Batch): Promise<void> {
    await this.text.writeBatch(batch, this.flush);
    this.rows += batch.numRows;
  }

  /** Finishes the file; returns the rows written and the file's size. */
  async close(): Promise<CsvWriteResult> {
    try {
      await this.text.flushAll(this.flush);
      this.target.end();
      await Promise.race([once(this.file, "close"), this.failed]);
    } catch (e) {
      this.abort();
      throw e;
    }
    return { rows: this.rows, bytes: fs.statSync(this.path).size };
  }

  /** Stops writing (after a failure); the partial file is left for the caller to remove. */
  abort(): void {
    this.file.destroy();
  }
}
