// The commit journal `<out>/_temporary/<job>/_commit.json` and the steps that carry it out.
//
//   (no journal) ──write+rename──▶ committing ──moves, _SUCCESS──▶ committed ──cleanup──▶ (gone)
//
// Before the journal exists the old output is untouched and the job directory is garbage.
// Once it exists, the commit only ever goes forward: every step is repeatable, so a recoverer
// redoes what is missing. "committing" moves old entries aside, then moves new ones in:
//   - an old entry is done when `<job>/old/<rel>` exists (renames are atomic, and nothing else
//     ever writes under old/), so a repeat never moves new data aside;
//   - a new entry is done when `<job>/new/<rel>` is gone (a half-merged directory still has
//     its source, and merging it again finishes it).
// Only after `_SUCCESS` is durable does the state become "committed"; from then on recovery
// only deletes the job directory (old data included), journal and owner files last.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DataError } from "../../errors.js";
import type { CommitOps } from "./fs-ops.js";

/** The name of the journal file inside a job directory. */
export const JOURNAL = "_commit.json";
/** The marker written into the output directory last. */
export const SUCCESS = "_SUCCESS";

/** The journal's states (see the diagram in this file's header). */
export type JournalState = "committing" | "committed";

/** What a commit does, relative to the output path and the job directory. */
export interface Journal {
  readonly version: 1;
  readonly jobId: string;
  readonly state: JournalState;
  /** Output entries (relative to the output path) moved aside to `<job>/old/<rel>`. */
  readonly olds: readonly string[];
  /** Staged entries (relative to `<job>/new/`) moved to `<output>/<rel>`, merging into existing directories. */
  readonly news: readonly string[];
}

/** Reads a job directory's journal, or null when it has none. */
export function readJournal(ops: CommitOps, jobRoot: string): Journal | null {
  const p = join(jobRoot, JOURNAL);
  if (!ops.exists(p)) return null;
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(p, "utf8")) as Journal;
  } catch (err) {
    throw new DataError(`commit journal ${p} is unreadable (${(err as Error).message})`);
  }
  const okList = (x: unknown) =>
    Array.isArray(x) && x.every((e) => typeof e === "string" && isSafeRelative(e));
  if (
    j.version !== 1 ||
    (j.state !== "committing" && j.state !== "committed") ||
    !okList(j.olds) ||
    !okList(j.news)
  ) {
    throw new DataError(`commit journal ${p} is not a Kindling version 1 journal`);
  }
  return j;
}

/** Durably writes (or atomically replaces) the journal. */
export function writeJournal(ops: CommitOps, jobRoot: string, j: Journal): void {
  ops.replaceFile(join(jobRoot, JOURNAL), `${JSON.stringify(j, null, 1)}\n`);
}

/** A relative path that stays inside its root: no absolute path, no `..`, no empty segment. */
export function isSafeRelative(rel: string): boolean {
  if (rel === "" || rel.startsWith("/")) return false;
  return rel.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/**
 * Carries a journal forward from whatever point it was interrupted at: finishes the moves,
 * writes `_SUCCESS` and marks the journal committed. Does not clean up (see `cleanupJob`).
 */
export function rollForward(ops: CommitOps, out: string, jobRoot: string, j: Journal): Journal {
  if (j.state === "committed") return j;
  const touched = new Set<string>();
  for (const rel of j.olds) {
    const src = join(out, rel);
    const dst = join(jobRoot, "old", rel);
    if (ops.exists(dst) || !ops.exists(src)) continue;
    ops.mkdirp(dirname(dst));
    ops.rename(src, dst);
    touched.add(dirname(src));
  }
  for (const rel of j.news) {
    const src = join(jobRoot, "new", rel);
    if (!ops.exists(src)) continue;
    ops.moveInto(src, join(out, rel));
    touched.add(dirname(join(out, rel)));
  }
  touched.add(out);
  for (const d of [...touched].sort()) ops.fsyncDir(d);
  ops.writeFile(join(out, SUCCESS), "");
  ops.fsyncDir(out);
  const done: Journal = { ...j, state: "committed" };
  writeJournal(ops, jobRoot, done);
  return done;
}

const isOwnerFile = (n: string) => n.startsWith("_owner.");
const isJournalFile = (n: string) => n === JOURNAL || n === `${JOURNAL}.tmp`;

/**
 * Deletes the job directory of a finished commit: data first, then the journal, then the
 * owner files, so a cleanup killed half-way still has its committed journal and is repeated.
 * Also removes `_temporary` when it is left empty.
 */
export function cleanupJob(ops: CommitOps, jobRoot: string): void {
  const names = ops.list(jobRoot);
  for (const n of names) if (!isOwnerFile(n) && !isJournalFile(n)) ops.rmTree(join(jobRoot, n));
  ops.unlink(join(jobRoot, `${JOURNAL}.tmp`));
  ops.unlink(join(jobRoot, JOURNAL));
  for (const n of names) if (isOwnerFile(n)) ops.unlink(join(jobRoot, n));
  ops.rmdir(jobRoot);
  ops.rmdir(dirname(jobRoot));
}

/**
 * Deletes the job directory of a commit that did not happen (or was rolled back): the journal
 * first, since from then on nothing in the directory may be carried forward.
 */
export function discardJob(ops: CommitOps, jobRoot: string): void {
  ops.unlink(join(jobRoot, JOURNAL));
  ops.unlink(join(jobRoot, `${JOURNAL}.tmp`));
  cleanupJob(ops, jobRoot);
}
