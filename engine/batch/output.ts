import type { DataFrame } from "../api/dataframe.js";
import { ConfigError } from "../errors.js";
import { typeName } from "../types/data-type.js";
import { type Job, type JobResult, partitionColumnsFor } from "./job.js";
import { checkOutputDir, MANIFEST, windowDir } from "./layout.js";
import type { ManifestFile, WindowManifest } from "./manifest.js";
import { instantId, type Window } from "./window.js";

/** One output's written window. */
export interface WrittenOutput {
  readonly name: string;
  readonly dir: string;
  readonly rows: number;
  readonly files: readonly ManifestFile[];
}

/** Facts about the attempt that go into each manifest. */
export interface AttemptInfo {
  readonly attempt: number;
  readonly runId: string;
  readonly scriptSha256: string | null;
  readonly startedAtMs: number;
}

/** Writes a window's outputs (the runner's default; tests may substitute their own). */
export type WindowWriter = (
  job: Job,
  outputPath: string,
  window: Window,
  result: JobResult,
  info: AttemptInfo,
) => Promise<WrittenOutput[]>;

const isDataFrame = (x: unknown): x is DataFrame =>
  typeof x === "object" && x !== null && "write" in x && "schema" in x && "plan" in x;

/**
 * The named DataFrames of a job's result: `[["", df]]` for a single DataFrame. A ConfigError
 * names the job when the result is neither a DataFrame nor an object of DataFrames.
 */
export function namedOutputs(job: Job, result: unknown): [string, DataFrame][] {
  if (isDataFrame(result)) return [["", result]];
  const what = result === null ? "null" : Array.isArray(result) ? "an array" : typeof result;
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    throw new ConfigError(
      `job "${job.name}": run() returned ${what}; expected a DataFrame or an object of named DataFrames`,
    );
  }
  const entries = Object.entries(result as Record<string, unknown>);
  if (entries.length === 0)
    throw new ConfigError(`job "${job.name}": run() returned an empty object; expected DataFrames`);
  for (const [name, df] of entries) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || name.includes("=")) {
      throw new ConfigError(
        `job "${job.name}": output name "${name}" must be letters, digits, "_", "-" or "." (it names a directory)`,
      );
    }
    if (!isDataFrame(df)) {
      throw new ConfigError(`job "${job.name}": output "${name}" is not a DataFrame`);
    }
  }
  return entries as [string, DataFrame][];
}

/** The default WindowWriter: Parquet through the engine's committer, then the manifest. */
export const writeWindowOutputs: WindowWriter = async (job, outputPath, window, result, info) => {
  const outputs = namedOutputs(job, result);
  const names = outputs.map(([n]) => n);
  const written: WrittenOutput[] = [];
  for (const [name, df] of outputs) {
    const label = name === "" ? `job "${job.name}"` : `job "${job.name}", output "${name}"`;
    if (df.columns.some((c) => c.toLowerCase() === "window_start")) {
      throw new ConfigError(
        `${label}: the result has a column named window_start; Kindling adds it from the window directory, so rename or drop it`,
      );
    }
    const dir = checkOutputDir(windowDir(outputPath, name, window.id));
    const partitionBy = [...partitionColumnsFor(job, name)];
    // The manifest is staged with the data and appears in the same atomic commit, before _SUCCESS.
    let manifestFiles: ManifestFile[] = [];
    const manifestOf = (rows: number, committedAtMs: number): WindowManifest => ({
      version: 1,
      job: job.name,
      scriptSha256: info.scriptSha256,
      window: {
        start: window.id,
        end: instantId(Math.floor(window.end.getTime() / 1000)),
        label: window.label,
        period: window.period,
        timeZone: window.timeZone,
      },
      output: name,
      outputs: names,
      rows,
      files: manifestFiles,
      schema: df.schema.fields
        .filter((f) => !partitionBy.some((p) => p.toLowerCase() === f.name.toLowerCase()))
        .map((f) => ({ name: f.name, type: typeName(f.type), nullable: f.nullable })),
      partitionBy,
      attempt: info.attempt,
      runId: info.runId,
      startedAt: new Date(info.startedAtMs).toISOString(),
      committedAt: new Date(committedAtMs).toISOString(),
      durationMs: committedAtMs - info.startedAtMs,
    });
    const summary = await df.write
      .mode("overwrite")
      .option("partitionOverwriteMode", "static")
      .partitionBy(partitionBy)
      .withCommitFiles((w) => {
        manifestFiles = w.files
          .map((f) => ({ path: f.path, bytes: f.bytes }))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return { [MANIFEST]: `${JSON.stringify(manifestOf(w.rows, Date.now()), null, 2)}\n` };
      })
      .parquet(dir);
    const files = manifestFiles;
    written.push({ name, dir, rows: summary.rows, files });
  }
  return written;
};
