// The output committer: Spark's v1 commit protocol with a journaled job commit, so that a
// write either replaces/extends its output completely or leaves the old output as it was,
// even when the process is killed at any moment. See docs/decisions/0003-commit-protocol.md.
//
//   <out>/_temporary/<job>/attempt_<p>_<a>/...   a task attempt's files (the task writes them)
//   <out>/_temporary/<job>/task_<p>/...          the attempt that won task p (commitTask)
//   <out>/_temporary/<job>/new/...               all winning files, staged by commitJob
//   <out>/_temporary/<job>/old/...               old output moved aside by the commit
//   <out>/_temporary/<job>/_commit.json          the journal: its existence is the commit point
//   <out>/_temporary/<job>/_owner.<gen>.json     who holds the job (committer, then recoverers)
import { lstatSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { WriteError } from "../errors.js";
import type { WrittenFile } from "../exec/task.js";
import { CommitOps, SimulatedCrash, type StepHook } from "./commit/fs-ops.js";
import {
  cleanupJob,
  discardJob,
  isSafeRelative,
  type Journal,
  readJournal,
  rollForward,
  writeJournal,
} from "./commit/journal.js";
import { claimOwner, newOwner, type Owner, releaseOwner } from "./commit/owner.js";
import { type CommitPlan, planCommit, rollBack } from "./commit/plan.js";
import { type RecoverOptions, recoverCommits, TEMPORARY } from "./commit/recover.js";
import { isHiddenName } from "./files/glob.js";

export { SimulatedCrash, type StepHook } from "./commit/fs-ops.js";
export { hasCommitJournal, type RecoverOptions, recoverCommits } from "./commit/recover.js";

/** Spark's save modes as the committer sees them (`errorifexists` is `error`). */
export type WriteMode = "error" | "overwrite" | "append" | "ignore";

/** Options of a committer. */
export interface CommitterOptions {
  /** With overwrite: replace the whole output (static) or only the partitions written (dynamic). */
  readonly partitionOverwriteMode: "static" | "dynamic";
  /** Unique per job: names the staging directory (letters, digits, `-`, `_`, `.`). */
  readonly jobId: string;
  /** fsync files and directories (default true). */
  readonly durable?: boolean;
  /** Options for the recovery run before setup. */
  readonly recover?: RecoverOptions;
  /** Test hook called after every filesystem step; see `StepHook`. */
  readonly onStep?: StepHook;
}

/**
 *   new ──setupJob──▶ setup ──commitJob──▶ committed
 *    │                  ├──abortJob / failed commit──▶ aborted
 *    └─(ignore, data exists)─▶ skipped       (any) ──SimulatedCrash──▶ dead
 */
type CommitterState = "new" | "setup" | "skipped" | "committed" | "aborted" | "dead";

/** The directory name of a task attempt, shared with the write tasks. */
export const attemptDirName = (partition: number, attempt: number): string =>
  `attempt_${partition}_${attempt}`;

/** A file path a task may report: relative, no `..`, no hidden name that readers would skip. */
const checkWrittenPath = (rel: string): boolean =>
  isSafeRelative(rel) && rel.split("/").every((s) => !isHiddenName(s));

/** Runs one job's output commit (used by the driver; tasks only write into `attemptDir`). */
/** Extra small files to commit with the data, given what the job wrote: name (relative) → text. */
export type ExtraFiles = (written: {
  readonly files: readonly { readonly path: string; readonly rows: number; readonly bytes: number }[];
  readonly rows: number;
}) => Readonly<Record<string, string>>;

export class FileCommitter {
  /** The absolute output path. */
  readonly outputPath: string;
  private readonly ops: CommitOps;
  private state: CommitterState = "new";
  private owner: Owner | null = null;
  private readonly winners = new Map<number, { attempt: number; files: readonly WrittenFile[] }>();

  constructor(
    outputPath: string,
    readonly mode: WriteMode,
    private readonly opts: CommitterOptions,
  ) {
    this.outputPath = resolve(outputPath);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(opts.jobId)) {
      throw new WriteError(`invalid job id "${opts.jobId}": use letters, digits, "-", "_" and "."`);
    }
    this.ops = new CommitOps(opts.onStep, opts.durable ?? true);
  }

  /** `<out>/_temporary/<jobId>`: the job's staging directory. */
  get jobRoot(): string {
    return join(this.outputPath, TEMPORARY, this.opts.jobId);
  }

  /** Filesystem steps taken so far (for crash tests). */
  get steps(): number {
    return this.ops.steps;
  }

  /** `<jobRoot>/attempt_<p>_<a>`: where a task attempt writes (the task creates it). */
  attemptDir(taskPartition: number, attempt: number): string {
    return join(this.jobRoot, attemptDirName(taskPartition, attempt));
  }

  /**
   * Checks the mode against the existing output and creates the staging directory. Returns
   * false (skip the job) when the mode is "ignore" and data exists. Finishes any commit a
   * killed process left first. Throws a WriteError in "error" mode when data exists, and when
   * the output path is a file (unless ignoring). An output directory holding only
   * `_temporary` counts as empty, so a killed first run can simply be repeated.
   */
  setupJob(): boolean {
    this.expect("new", "set up");
    const out = this.outputPath;
    const st = statSync(out, { throwIfNoEntry: false });
    if (st !== undefined && !st.isDirectory()) {
      if (this.mode === "ignore") return this.skip();
      if (this.mode === "error") throw new WriteError(`path ${out} already exists (as a file)`);
      throw new WriteError(`output path ${out} is a file, not a directory`);
    }
    if (st !== undefined) {
      recoverCommits(out, { durable: this.opts.durable, ...this.opts.recover });
      const hasData = this.ops.list(out).some((n) => n !== TEMPORARY);
      if (hasData && this.mode === "ignore") return this.skip();
      if (hasData && this.mode === "error") {
        throw new WriteError(
          `path ${out} already exists; use mode("overwrite") to replace it or mode("append") to add to it`,
        );
      }
    }
    this.owner = newOwner();
    try {
      for (let tries = 0; ; tries++) {
        try {
          this.ops.mkdirp(join(out, TEMPORARY));
          this.ops.mkdirNew(this.jobRoot);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "EEXIST") {
            throw new WriteError(`job ${this.opts.jobId} already has a staging directory ${this.jobRoot}`);
          }
          // A concurrent recovery may remove an empty `_temporary` between our two mkdirs.
          if (code === "ENOENT" && tries < 3) continue;
          throw err;
        }
        if (claimOwner(this.ops, this.jobRoot, 1, this.owner)) break;
        // Or our job directory, while still empty: try again.
        if (tries >= 3 || this.ops.exists(this.jobRoot))
          throw new WriteError(`cannot claim the staging directory ${this.jobRoot}`);
      }
    } catch (err) {
      if (err instanceof SimulatedCrash) {
        this.die();
        throw err;
      }
      // A WriteError here means the directory belongs to another job with the same id.
      if (!(err instanceof WriteError) && this.ops.exists(this.jobRoot)) {
        this.guard(() => discardJob(this.ops, this.jobRoot));
      }
      this.finish("aborted");
      throw err;
    }
    this.state = "setup";
    return true;
  }

  /**
   * Commits one task attempt: the first attempt of a partition to commit wins and its
   * directory becomes `<jobRoot>/task_<p>`; a later or duplicate attempt's directory is
   * deleted and false returned. `files` (relative to the attempt directory) must exist.
   */
  commitTask(partition: number, attempt: number, files: readonly WrittenFile[]): boolean {
    this.expect("setup", `commit task ${partition}`);
    const dir = this.attemptDir(partition, attempt);
    const won = this.winners.get(partition);
    if (won !== undefined) {
      if (won.attempt === attempt) return true;
      this.guard(() => this.ops.rmTree(dir));
      return false;
    }
    for (const f of files) {
      if (!checkWrittenPath(f.path)) {
        throw new WriteError(
          `task ${partition} attempt ${attempt} reported an invalid file path "${f.path}"`,
        );
      }
      if (!(lstatSync(join(dir, f.path), { throwIfNoEntry: false })?.isFile() ?? false)) {
        throw new WriteError(
          `task ${partition} attempt ${attempt} reported ${f.path}, which is not in ${dir}`,
        );
      }
    }
    this.guard(() => {
      if (this.ops.exists(dir)) this.ops.rename(dir, join(this.jobRoot, `task_${partition}`));
    });
    this.winners.set(partition, { attempt, files: [...files] });
    return true;
  }

  /** Discards a failed or cancelled task attempt's files (a committed attempt is kept). */
  abortTask(partition: number, attempt: number): void {
    if (this.state !== "setup" || this.winners.get(partition)?.attempt === attempt) return;
    this.guard(() => this.ops.rmTree(this.attemptDir(partition, attempt)));
  }

  /**
   * Commits the job: stages the winning files in `<jobRoot>/new`, writes the journal (the
   * commit point), moves the replaced output aside and the new files in, writes `_SUCCESS`,
   * then deletes the staging directory. Returns the data files (relative to the output path,
   * sorted) and their row count. On an error the old output is restored and a WriteError thrown.
   */
  async commitJob(extraFiles?: ExtraFiles): Promise<{ files: string[]; rows: number }> {
    this.expect("setup", "commit");
    const ops = this.ops;
    const out = this.outputPath;
    const jobRoot = this.jobRoot;
    const staged = [...this.winners.entries()]
      .sort((a, b) => a[0] - b[0])
      .flatMap(([p, w]) => w.files.map((f) => ({ p, rel: f.path, rows: f.rows, bytes: f.bytes })));
    const files = staged.map((f) => f.rel);
    const rows = staged.reduce((n, f) => n + f.rows, 0);
    // Files the caller adds (a window's manifest) are staged with the data, so they appear in
    // the same atomic move, before _SUCCESS.
    const extra =
      extraFiles?.({ files: staged.map((f) => ({ path: f.rel, rows: f.rows, bytes: f.bytes })), rows }) ?? {};
    const kind = this.mode !== "overwrite" ? "append" : this.opts.partitionOverwriteMode;

    let plan: CommitPlan;
    let journal: Journal;
    try {
      ops.mkdirp(join(jobRoot, "new"));
      for (const [name, text] of Object.entries(extra)) {
        const dst = join(jobRoot, "new", name);
        ops.mkdirp(dirname(dst));
        ops.writeFile(dst, text);
        ops.fsyncFile(dst);
      }
      for (const f of staged) {
        const dst = join(jobRoot, "new", f.rel);
        if (ops.exists(dst)) throw new WriteError(`two tasks wrote the same file ${f.rel}`);
        ops.mkdirp(dirname(dst));
        ops.rename(join(jobRoot, `task_${f.p}`, f.rel), dst);
        ops.fsyncFile(dst);
      }
      plan = planCommit(ops, out, jobRoot, kind, [...files, ...Object.keys(extra)]);
      journal = { version: 1, jobId: this.opts.jobId, state: "committing", olds: plan.olds, news: plan.news };
      writeJournal(ops, jobRoot, journal);
    } catch (err) {
      // Nothing outside the staging directory has changed yet.
      throw this.fail(err, () => discardJob(ops, jobRoot));
    }
    try {
      rollForward(ops, out, jobRoot, journal);
    } catch (err) {
      // An error while marking the journal committed may come after the rename that did it:
      // then the commit has happened and must not be undone.
      if (err instanceof SimulatedCrash || !this.journalCommitted()) {
        throw this.fail(err, () => {
          rollBack(ops, out, jobRoot, plan, files);
          discardJob(ops, jobRoot);
        });
      }
    }
    try {
      cleanupJob(ops, jobRoot);
    } catch (err) {
      // Committed: a leftover staging directory is removed by the next recovery.
      if (err instanceof SimulatedCrash) {
        this.die();
        throw err;
      }
    }
    this.finish("committed");
    return { files: [...files].sort(), rows };
  }

  /**
   * Abandons the job: deletes its staging directory and leaves the existing output untouched.
   * After a commit that could not be rolled back, the journal is left for recovery instead.
   */
  abortJob(): void {
    if (this.state !== "setup") return;
    this.guard(() => {
      if (!this.ops.exists(join(this.jobRoot, "_commit.json"))) discardJob(this.ops, this.jobRoot);
    });
    this.finish("aborted");
  }

  private journalCommitted(): boolean {
    try {
      return readJournal(this.ops, this.jobRoot)?.state === "committed";
    } catch {
      return false;
    }
  }

  private expect(state: CommitterState, what: string): void {
    if (this.state !== state) throw new WriteError(`cannot ${what}: the write job is ${this.state}`);
  }

  private skip(): false {
    this.state = "skipped";
    return false;
  }

  private finish(state: CommitterState): void {
    this.state = state;
    if (this.owner !== null) releaseOwner(this.owner);
  }

  /** A simulated kill ends the committer on the spot: no cleanup, and its ownership lapses. */
  private die(): void {
    this.finish("dead");
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      if (err instanceof SimulatedCrash) this.die();
      throw err;
    }
  }

  /**
   * After a failed commit step: undo (unless the failure was a simulated kill), end the job,
   * and return the error to throw. If the undo itself fails, the journal stays behind and the
   * next recovery carries the commit forward instead.
   */
  private fail(err: unknown, undo: () => void): unknown {
    if (err instanceof SimulatedCrash) {
      this.die();
      return err;
    }
    let outcome = "the previous output is unchanged";
    try {
      undo();
    } catch (undoErr) {
      if (undoErr instanceof SimulatedCrash) {
        this.die();
        return undoErr;
      }
      outcome = `undoing it failed too (${(undoErr as Error).message}); the next reader or writer of the path will finish the commit`;
    }
    this.finish("aborted");
    return new WriteError(`commit of ${this.outputPath} failed: ${(err as Error).message}; ${outcome}`);
  }
}
