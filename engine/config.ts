// Configuration keys, Spark-style (`kindling.*`), each with its default and a line of doc.
// `Session.builder().config(k, v)`, `spark.conf.set(k, v)` and `--conf k=v` all land here.
import { availableParallelism } from "node:os";
import { ConfigError } from "./errors.js";

export interface ConfigEntry {
  readonly key: string;
  readonly default: string;
  readonly doc: string;
}

/** Every documented key. Unknown `kindling.*` keys are rejected; other keys are kept as-is (Spark does too). */
export const CONFIG_ENTRIES: readonly ConfigEntry[] = [
  { key: "kindling.app.name", default: "kindling", doc: "Application name shown in logs and explain." },
  {
    key: "kindling.master",
    default: "local[*]",
    doc: "Where tasks run: local, local[N] (N threads), local[*] (one thread per core), or a cluster master kindling://host:port.",
  },
  {
    key: "kindling.sql.session.timeZone",
    default: "UTC",
    doc: "Session time zone (IANA name) for timestamp functions and display.",
  },
  {
    key: "kindling.sql.shuffle.partitions",
    default: "",
    doc: "Partitions of a shuffle (aggregation, join, sort, window); empty means twice the task slots.",
  },
  {
    key: "kindling.sql.files.maxPartitionBytes",
    default: String(128 * 1024 * 1024),
    doc: "Largest input split in bytes (CSV byte ranges, Parquet row-group runs).",
  },
  { key: "kindling.sql.batchSize", default: "65536", doc: "Target rows per batch read from files." },
  {
    key: "kindling.sql.parquet.compression",
    default: "snappy",
    doc: "Default Parquet write codec: none, snappy, gzip, zstd, lz4, brotli.",
  },
  {
    key: "kindling.sql.sources.partitionOverwriteMode",
    default: "static",
    doc: "static: overwrite replaces the whole output; dynamic: only the partitions written.",
  },
  {
    key: "kindling.sql.csv.inferSchema.sampleRows",
    default: "10000",
    doc: "Rows sampled (from the first files) to infer CSV and JSON schemas.",
  },
  {
    key: "kindling.executor.memoryBudget",
    default: String(512 * 1024 * 1024),
    doc: "Bytes a task's aggregation, sort and join may hold before spilling to disk (a join fails instead).",
  },
  {
    key: "kindling.local.dir",
    default: "",
    doc: "Directory for spill files and spilled shuffle blocks; empty means the OS temp directory.",
  },
  {
    key: "kindling.shuffle.memoryBudget",
    default: String(1024 * 1024 * 1024),
    doc: "Bytes of shuffle blocks the driver keeps in memory before spilling them to kindling.local.dir.",
  },
  {
    key: "kindling.sql.autoBroadcastJoinThreshold",
    default: String(10 * 1024 * 1024),
    doc: "A join side estimated below this many bytes is broadcast to every task; -1 disables.",
  },
  {
    key: "kindling.ui.showProgress",
    default: "true",
    doc: "Show a console progress bar for stages running over half a second (only when stderr is a terminal).",
  },
  {
    key: "kindling.eventLog.dir",
    default: "",
    doc: "Directory for a JSON-lines event log of jobs, stages and tasks (one file per session); empty: off.",
  },
  {
    key: "kindling.executor.wasmMemoryLimit",
    default: String(1024 * 1024 * 1024),
    doc: "A thread whose Parquet wasm memory passes this many bytes is replaced after its task.",
  },
];

const DEFAULTS = new Map(CONFIG_ENTRIES.map((e) => [e.key, e.default]));

/** A mutable configuration map with typed getters (the object behind `spark.conf`). */
export class RuntimeConfig {
  private readonly values = new Map<string, string>();

  constructor(initial: Iterable<readonly [string, string]> = []) {
    for (const [k, v] of initial) this.set(k, v);
  }

  set(key: string, value: string | number | boolean): void {
    if (key.startsWith("kindling.") && !DEFAULTS.has(key) && !key.startsWith("kindling.testing.")) {
      throw new ConfigError(
        `unknown configuration key "${key}"; known keys: ${[...DEFAULTS.keys()].join(", ")}`,
      );
    }
    this.values.set(key, String(value));
  }

  get(key: string, fallback?: string): string {
    const v = this.values.get(key) ?? DEFAULTS.get(key) ?? fallback;
    if (v === undefined) throw new ConfigError(`configuration key "${key}" is not set`);
    return v;
  }

  getInt(key: string): number {
    const raw = this.get(key);
    const n = Number(raw);
    if (!Number.isInteger(n))
      throw new ConfigError(`configuration key "${key}" must be an integer, got "${raw}"`);
    return n;
  }

  unset(key: string): void {
    this.values.delete(key);
  }

  /** Explicitly set entries (not defaults). */
  entries(): Map<string, string> {
    return new Map(this.values);
  }
}

/** Parses `local`, `local[N]`, `local[*]` into a thread count. */
export function localThreads(master: string): number | null {
  if (master === "local") return 1;
  const m = /^local\[(\*|\d+)\]$/.exec(master);
  if (!m) return null;
  const n = m[1] === "*" ? availableParallelism() : Number(m[1]);
  if (n < 1) throw new ConfigError(`master "${master}" needs at least one thread`);
  return n;
}
