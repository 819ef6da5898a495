// What a job commit moves, per save mode, and how a commit that failed (an error, not a kill)
// is undone before its journal is removed.
import { dirname, join } from "node:path";
import { WriteError } from "../../errors.js";
import type { CommitOps } from "./fs-ops.js";
import { SUCCESS } from "./journal.js";

/** Output entries a static overwrite keeps: other jobs' staging and Kindling's run log and lock. */
export const PRESERVED_ON_OVERWRITE: ReadonlySet<string> = new Set(["_temporary", "_kindling"]);

/** The renames of a commit, plus what a rollback needs to restore the old output exactly. */
export interface CommitPlan {
  /** Output entries moved aside (relative to the output path). */
  readonly olds: readonly string[];
  /** Staged entries moved in (relative to `<job>/new`). */
  readonly news: readonly string[];
  /** Output directories the commit creates (deepest first), removed again by a rollback. */
  readonly fresh: readonly string[];
  /** Whether a rollback removes `_SUCCESS` (the old output had none). */
  readonly removeSuccess: boolean;
}

/** How the old output is treated: replaced whole, replaced per written partition, or kept. */
export type CommitKind = "static" | "dynamic" | "append";

/**
 * Plans a commit of the staged files (`files`, relative paths, already under `<job>/new`).
 * Dynamic overwrite replaces each partition directory the job wrote (the directory of each
 * file); a job whose files are not in partition directories replaces the whole output, as
 * Spark does when there are no partition columns. Append refuses to replace a file.
 */
export function planCommit(
  ops: CommitOps,
  out: string,
  jobRoot: string,
  kind: CommitKind,
  files: readonly string[],
): CommitPlan {
  const newRoot = join(jobRoot, "new");
  let olds: string[];
  let news: string[];
  const partitioned = files.length === 0 || files.every((f) => f.includes("/"));
  if (kind === "dynamic" && partitioned) {
    news = [...new Set(files.map((f) => dirname(f)))].sort();
    olds = news.filter((d) => ops.exists(join(out, d)));
  } else if (kind === "static" || kind === "dynamic") {
    olds = ops.list(out).filter((n) => !PRESERVED_ON_OVERWRITE.has(n));
    news = ops.list(newRoot);
  } else {
    olds = [];
    news = ops.list(newRoot);
    const clash = files.find((f) => ops.exists(join(out, f)));
    if (clash !== undefined) throw new WriteError(`cannot append to ${out}: ${clash} already exists`);
  }
  const movedAside = (rel: string) => olds.some((o) => rel === o || rel.startsWith(`${o}/`));
  const absentAfterOlds = (rel: string) => movedAside(rel) || !ops.exists(join(out, rel));
  const fresh = new Set<string>();
  for (const f of files) {
    const segs = f.split("/");
    for (let i = 1; i < segs.length; i++) {
      const dir = segs.slice(0, i).join("/");
      if (absentAfterOlds(dir)) {
        fresh.add(dir);
        break;
      }
    }
  }
  const depth = (p: string) => p.split("/").length;
  return {
    olds,
    news,
    fresh: [...fresh].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1)),
    // A `_SUCCESS` moved aside comes back over the new one by rename; only a new one with no
    // old one to restore needs removing.
    removeSuccess: !ops.exists(join(out, SUCCESS)),
  };
}

/**
 * Undoes a partly carried-out commit in the committing process after an error: moves the new
 * files back to staging, removes the directories the commit created, and puts the old entries
 * back. Every step is repeatable; if this is killed, recovery carries the journal forward instead.
 */
export function rollBack(
  ops: CommitOps,
  out: string,
  jobRoot: string,
  plan: CommitPlan,
  files: readonly string[],
): void {
  const newRoot = join(jobRoot, "new");
  for (const rel of [...files].reverse()) {
    const src = join(out, rel);
    const dst = join(newRoot, rel);
    if (!ops.exists(src) || ops.exists(dst)) continue;
    ops.mkdirp(dirname(dst));
    ops.rename(src, dst);
  }
  for (const rel of plan.fresh) ops.removeEmptyDirs(join(out, rel));
  if (plan.removeSuccess) ops.unlink(join(out, SUCCESS));
  for (const rel of [...plan.olds].reverse()) {
    const src = join(jobRoot, "old", rel);
    const dst = join(out, rel);
    if (!ops.exists(src)) continue;
    // A directory the new output had emptied may stand in the way.
    ops.removeEmptyDirs(dst);
    ops.rename(src, dst);
  }
  ops.fsyncDir(out);
}
