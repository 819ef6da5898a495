// Drives a FileCommitter through a whole write job for tests: task attempts write their
// files, commit (or not), then the job commits.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type CommitterOptions, FileCommitter, type WriteMode } from "../../engine/io/commit.js";

/** One task attempt: its partition, attempt number and files (relative path → content). */
export interface AttemptSpec {
  readonly p: number;
  readonly a?: number;
  readonly files: Record<string, string>;
  /** Write the files but do not commit this attempt (a failed or lost attempt). */
  readonly uncommitted?: boolean;
}

/** Writes an attempt's files into its directory and returns what the task would report. */
export function writeAttempt(c: FileCommitter, t: AttemptSpec) {
  const dir = c.attemptDir(t.p, t.a ?? 0);
  mkdirSync(dir, { recursive: true });
  return Object.entries(t.files).map(([rel, content]) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
    return { path: rel, rows: content.length, bytes: content.length };
  });
}

let jobCounter = 0;

/** A fresh committer for `out` with a unique job id. */
export function committer(out: string, mode: WriteMode, opts: Partial<CommitterOptions> = {}): FileCommitter {
  return new FileCommitter(out, mode, {
    partitionOverwriteMode: "static",
    jobId: `job-${process.pid}-${++jobCounter}`,
    ...opts,
  });
}

/** Runs setup, the attempts (committing each unless marked), and the job commit. */
export async function runJob(
  out: string,
  mode: WriteMode,
  attempts: readonly AttemptSpec[],
  opts: Partial<CommitterOptions> = {},
): Promise<{ written: boolean; files: string[]; rows: number; committer: FileCommitter }> {
  const c = committer(out, mode, opts);
  if (!c.setupJob()) return { written: false, files: [], rows: 0, committer: c };
  for (const t of attempts) {
    const files = writeAttempt(c, t);
    if (!t.uncommitted) c.commitTask(t.p, t.a ?? 0, files);
  }
  const r = await c.commitJob();
  return { written: true, ...r, committer: c };
}
