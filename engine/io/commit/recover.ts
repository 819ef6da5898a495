// Recovery of commits interrupted by a killed process: readers and writers of an output path
// call `recoverCommits` before they look at it, so nobody ever sees a half-moved output.
import { lstatSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { KindlingError, WriteError } from "../../errors.js";
import { CommitOps, SimulatedCrash, type StepHook } from "./fs-ops.js";
import { cleanupJob, JOURNAL, readJournal, rollForward } from "./journal.js";
import { claimOwner, currentHolder, isOwnerAlive, isSameMachine, newOwner, releaseOwner } from "./owner.js";

/** The staging directory name under an output path. */
export const TEMPORARY = "_temporary";

/** Options of `recoverCommits` (all have defaults suited to readers and writers). */
export interface RecoverOptions {
  /** How long to wait for a live commit by another process to finish (ms, default 60 s). */
  readonly waitMs?: number;
  /** When a holder on another host counts as dead: its files this old (ms, default 10 min). */
  readonly staleMs?: number;
  /** Test hook, see `StepHook`. */
  readonly onStep?: StepHook;
  /** fsync (default true). */
  readonly durable?: boolean;
}

/** True when `dir/_temporary/<job>/_commit.json` exists for some job (cheap; for readers). */
export function hasCommitJournal(dir: string): boolean {
  const tmp = join(dir, TEMPORARY);
  let jobs: string[];
  try {
    jobs = readdirSync(tmp);
  } catch {
    return false;
  }
  return jobs.some((j) => lstatSync(join(tmp, j, JOURNAL), { throwIfNoEntry: false }) !== undefined);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/**
 * Finishes or rolls back whatever killed commits left under `<outputPath>/_temporary/`: a job
 * with a journal is carried forward to the new output; a job without one whose holder is dead
 * is deleted (the old output was never touched). Live jobs are left alone, except that a live
 * commit in another process is waited for (up to `waitMs`, then a WriteError). Idempotent, and
 * itself safe to interrupt at any point.
 */
export function recoverCommits(outputPath: string, opts: RecoverOptions = {}): void {
  const out = resolve(outputPath);
  const ops = new CommitOps(opts.onStep, opts.durable ?? true);
  const tmp = join(out, TEMPORARY);
  if (!ops.isDir(tmp)) return;
  for (const job of ops.list(tmp)) {
    const jobRoot = join(tmp, job);
    if (ops.isDir(jobRoot)) recoverJob(ops, out, jobRoot, opts);
  }
  // An empty `_temporary` is left by a job killed right after creating it.
  ops.rmdir(tmp);
}

function recoverJob(ops: CommitOps, out: string, jobRoot: string, opts: RecoverOptions): void {
  const waitMs = opts.waitMs ?? 60_000;
  const staleMs = opts.staleMs ?? 600_000;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = currentHolder(ops, jobRoot);
    const journalPath = join(jobRoot, JOURNAL);
    const journalStat = lstatSync(journalPath, { throwIfNoEntry: false });
    if (holder === null) {
      // No owner file: either a job between mkdir and its first owner file, or a cleanup
      // that got as far as the owner files. Only an empty directory is ours to remove.
      if (journalStat === undefined) ops.rmdir(jobRoot);
      else throw new WriteError(`commit journal ${journalPath} has no owner file; remove it by hand`);
      return;
    }
    const ageMs = Date.now() - Math.max(holder.mtimeMs, journalStat?.mtimeMs ?? 0);
    const alive = holder.owner !== null && isOwnerAlive(holder.owner, ageMs, staleMs);
    if (journalStat === undefined) {
      // A job that has not started committing: leave it unless its holder is surely dead
      // (a job on another host may run for hours before its commit).
      const surelyDead = holder.owner === null ? ageMs >= staleMs : isSameMachine(holder.owner) && !alive;
      if (!surelyDead) return;
    }
    if (alive) {
      if (Date.now() >= deadline) {
        const o = holder.owner!;
        throw new WriteError(
          `output ${out} is being committed by process ${o.pid} on ${o.host} (journal ${journalPath}); ` +
            "try again when it has finished",
        );
      }
      sleepSync(50);
      continue;
    }
    const me = newOwner();
    try {
      if (!claimOwner(ops, jobRoot, holder.gen + 1, me)) continue; // another recoverer won
      const journal = readJournal(ops, jobRoot);
      if (journal !== null) rollForward(ops, out, jobRoot, journal);
      cleanupJob(ops, jobRoot);
      return;
    } catch (err) {
      if (err instanceof SimulatedCrash || err instanceof KindlingError) throw err;
      throw new WriteError(`cannot finish the interrupted commit in ${jobRoot}: ${(err as Error).message}`);
    } finally {
      releaseOwner(me);
    }
  }
}
