// Writing one Parquet file. Flat schemas of the common types, uncompressed or snappy, go to
// the JS writer (write-js.ts: no wasm, no Arrow IPC, pages encoded as batches arrive).
// Anything else (decimals, lists, other codecs) streams through parquet-wasm's `transformParquetStream`
// (arrow-rs's ArrowWriter), which cuts row groups of `rowGroupRows` rows and emits each as
// bytes that go straight to the file, so a task never holds more than about one row group.
// Writer version 2, DELTA_BINARY_PACKED for int64/timestamp columns, statistics per chunk;
// timestamps are TIMESTAMP(MICROS) adjusted to UTC exactly when they carry a zone, dates
// DATE, decimals DECIMAL, strings UTF8 — files DuckDB, Spark, pyarrow and Polars read back.
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from "node:fs";
import * as arrow from "apache-arrow";
import type { RecordBatch as WasmRecordBatch, WriterProperties } from "parquet-wasm";
import { batchToArrow } from "../../columnar/arrow.js";
import type { Batch } from "../../columnar/column.js";
import { ConfigError, WriteError } from "../../errors.js";
import { type Schema, toArrowSchema } from "../../types/data-type.js";
import { noteTrap, parquetWasm, type TrapGuard, trapGuard } from "./wasm.js";
import { JsParquetWriter, jsWritable } from "./write-js.js";

/** Options of one Parquet file. */
export interface ParquetWriteOptions {
  /** none/uncompressed, snappy (default), gzip, zstd, lz4, brotli. */
  readonly compression: string;
  /** Rows per row group (default about 1M). */
  readonly rowGroupRows?: number;
}

/** The codecs accepted by the `compression` option. */
export const PARQUET_CODECS = ["none", "uncompressed", "snappy", "gzip", "zstd", "lz4", "brotli"] as const;

const DEFAULT_ROW_GROUP_ROWS = 1 << 20;
/** Small batches are gathered up to this many rows before crossing into wasm. */
const SEND_ROWS = 65536;

/** Streams batches into one Parquet file; `close()` flushes, fsyncs and reports the totals. */
export class ParquetFileWriter {
  private pending: Batch[] = [];
  private pendingRows = 0;
  private rows = 0;
  private bytes = 0;
  private controller: ReadableStreamDefaultController<WasmRecordBatch> | null = null;
  private drained: Promise<void> | null = null;
  private failure: unknown = null;
  private guard: TrapGuard | null = null;
  private closed = false;
  /** Every column written OPTIONAL, as Spark does, whatever the plan's nullability says. */
  private readonly arrowSchema: arrow.Schema;
  /** The JS writer, when it handles this schema and codec. */
  private js: JsParquetWriter | null = null;

  private constructor(
    private readonly path: string,
    /** The schema of the file being written. */
    readonly schema: Schema,
    private readonly props: () => WriterProperties,
    private fd: number,
  ) {
    this.arrowSchema = toArrowSchema({ fields: schema.fields.map((f) => ({ ...f, nullable: true })) });
  }

  /** Creates (truncates) the file at `path`; a bad `compression` is a ConfigError naming it. */
  static open(path: string, schema: Schema, opts: ParquetWriteOptions): ParquetFileWriter {
    if (schema.fields.length === 0) throw new WriteError(`cannot write Parquet file ${path} with no columns`);
    const props = writerProperties(schema, opts);
    const fd = openSync(path, "w");
    const w = new ParquetFileWriter(path, schema, props, fd);
    const codec = opts.compression.toLowerCase();
    const js = codec === "uncompressed" ? "none" : codec;
    if (jsWritable(schema, js)) {
      try {
        w.js = new JsParquetWriter(fd, schema, js, opts.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS);
      } catch (e) {
        w.discard();
        throw w.wrap(e);
      }
    }
    return w;
  }

  /** Queues a batch (its columns in the writer's schema order). */
  write(batch: Batch): void {
    this.check();
    if (batch.numRows === 0) return;
    if (this.js) {
      try {
        this.js.write(batch);
      } catch (e) {
        this.failure = this.wrap(e);
        throw this.failure;
      }
      this.rows += batch.numRows;
      return;
    }
    this.pending.push(batch);
    this.pendingRows += batch.numRows;
    this.rows += batch.numRows;
    if (this.pendingRows >= SEND_ROWS) this.send();
  }

  /** Writes the last row group and the footer, fsyncs, and returns rows and bytes written. */
  async close(): Promise<{ rows: number; bytes: number }> {
    this.check();
    this.closed = true;
    try {
      if (this.js) {
        this.js.finish();
        fsyncSync(this.fd);
        return { rows: this.rows, bytes: this.js.bytes };
      }
      this.send();
      if (this.controller) {
        this.controller.close();
        await this.drained;
        if (this.failure) throw this.failure;
      } else {
        this.writeEmpty();
      }
      fsyncSync(this.fd);
      return { rows: this.rows, bytes: this.bytes };
    } catch (e) {
      this.discard();
      throw e;
    } finally {
      this.release();
    }
  }

  /** Gives up: closes and deletes the partial file. */
  abort(): void {
    this.closed = true;
    this.controller?.error(new WriteError("write aborted"));
    this.discard();
    this.release();
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new WriteError(`Parquet file ${this.path} is already closed`);
  }

  /** Moves the pending batches into wasm and onto the writer's input stream. */
  private send(): void {
    if (this.pending.length === 0) return;
    const pw = parquetWasm();
    const schema = this.arrowSchema;
    const ipc = arrow.tableToIPC(
      new arrow.Table(
        schema,
        this.pending.map((b) => batchToArrow(b, schema)),
      ),
      "stream",
    );
    this.pending = [];
    this.pendingRows = 0;
    try {
      const table = pw.Table.fromIPCStream(ipc);
      const batches = table.recordBatches();
      table.free();
      if (!this.controller) this.start(batches);
      else for (const b of batches) this.controller.enqueue(b);
    } catch (e) {
      this.failure = this.wrap(e);
      throw this.failure;
    }
  }

  /** Starts the wasm writer once the first batches exist (it takes the schema from them). */
  private start(first: WasmRecordBatch[]): void {
    const input = new ReadableStream<WasmRecordBatch>({
      start: (c) => {
        this.controller = c;
        for (const b of first) c.enqueue(b);
      },
    });
    const guard = trapGuard();
    this.guard = guard;
    const guarded = <T>(p: Promise<T>): Promise<T> => Promise.race([p, guard.tripped]);
    this.drained = (async () => {
      const out = (await guarded(
        parquetWasm().transformParquetStream(input, this.props()),
      )) as ReadableStream<Uint8Array>;
      const reader = out.getReader();
      for (;;) {
        const r = await guarded(reader.read());
        if (r.done) break;
        this.append(r.value);
      }
    })().catch((e) => {
      this.failure = this.wrap(e);
    });
  }

  /** A file of zero rows that still carries the schema. */
  private writeEmpty(): void {
    const pw = parquetWasm();
    try {
      const ipc = arrow.tableToIPC(new arrow.Table(this.arrowSchema), "stream");
      this.append(pw.writeParquet(pw.Table.fromIPCStream(ipc), this.props()));
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private append(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.bytes += chunk.length;
  }

  private wrap(e: unknown): WriteError {
    if (e instanceof WriteError) return e;
    const trapped = noteTrap(e);
    const why = e instanceof Error ? e.message : String(e);
    const err = new WriteError(
      `writing Parquet file ${this.path} failed: ${trapped ? "the encoder trapped: " : ""}${why}`,
    );
    (err as { cause?: unknown }).cause = e;
    return err;
  }

  private discard(): void {
    this.release();
    rmSync(this.path, { force: true });
  }

  private release(): void {
    this.guard?.close();
    this.guard = null;
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** Writer properties for a schema (built per use: wasm consumes them). */
function writerProperties(schema: Schema, opts: ParquetWriteOptions): () => WriterProperties {
  const codec = opts.compression.toLowerCase();
  if (!(PARQUET_CODECS as readonly string[]).includes(codec)) {
    throw new ConfigError(
      `unknown Parquet compression "${opts.compression}" (option "compression"); expected one of ${PARQUET_CODECS.join(", ")}`,
    );
  }
  const rowGroupRows = opts.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new ConfigError(`Parquet row group size must be a positive integer, got ${rowGroupRows}`);
  }
  return () => {
    const pw = parquetWasm();
    const C = pw.Compression;
    const compression = {
      none: C.UNCOMPRESSED,
      uncompressed: C.UNCOMPRESSED,
      snappy: C.SNAPPY,
      gzip: C.GZIP,
      zstd: C.ZSTD,
      lz4: C.LZ4_RAW,
      brotli: C.BROTLI,
    }[codec]!;
    let b = new pw.WriterPropertiesBuilder()
      .setCompression(compression)
      .setWriterVersion(pw.WriterVersion.V2)
      .setMaxRowGroupSize(rowGroupRows)
      .setStatisticsEnabled(pw.EnabledStatistics.Chunk);
    for (const f of schema.fields) {
      if (f.type.kind === "int64" || f.type.kind === "timestamp") {
        b = b
          .setColumnDictionaryEnabled(f.name, false)
          .setColumnEncoding(f.name, pw.Encoding.DELTA_BINARY_PACKED);
      }
    }
    return b.build();
  };
}
