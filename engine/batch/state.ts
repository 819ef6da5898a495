// What an output directory holds, window by window: which windows are committed (their
// directory has the committer's `_SUCCESS`), with their manifests. Catch-up runs the windows
// that are not committed; `kindling windows` shows them. A commit that a killed run left
// half-done is finished first, as every reader does.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { hasCommitJournal, recoverCommits } from "../io/commit.js";
import { isHiddenName } from "../io/files/glob.js";
import { outputBase, SUCCESS } from "./layout.js";
import { readManifest, type WindowManifest } from "./manifest.js";
import { windowIdOfDir } from "./window.js";

/** One output's directory for one window. */
export interface WindowOutputState {
  readonly dir: string;
  /** The window's commit finished (`_SUCCESS` present). */
  readonly committed: boolean;
  readonly manifest: WindowManifest | null;
}

/** One window found in an output, across its outputs (by name, `""` for the single one). */
export interface WindowState {
  readonly id: string;
  readonly outputs: ReadonlyMap<string, WindowOutputState>;
  /** Committed: every output its manifests list (or, lacking manifests, every output of the directory) is committed. */
  readonly committed: boolean;
  /** Rows over the committed outputs (from manifests; null when a manifest is missing). */
  readonly rows: number | null;
}

const listDir = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** The names of the outputs in `output`: `""` when it holds window directories itself, plus named subdirectories that do. */
export function outputNames(output: string): string[] {
  const names: string[] = [];
  const top = listDir(output);
  if (top.some((n) => windowIdOfDir(n) !== null)) names.push("");
  for (const n of top) {
    if (isHiddenName(n) || n.includes("=") || !isDir(join(output, n))) continue;
    if (listDir(join(output, n)).some((c) => windowIdOfDir(c) !== null)) names.push(n);
  }
  return names;
}

/** Scans an output directory (recovering interrupted commits) and returns its windows by id. */
export function scanWindows(output: string, opts: { recover?: boolean } = {}): Map<string, WindowState> {
  const found = new Map<string, Map<string, WindowOutputState>>();
  const names = outputNames(output);
  for (const name of names) {
    const base = outputBase(output, name);
    for (const entry of listDir(base)) {
      const id = windowIdOfDir(entry);
      if (id === null) continue;
      const dir = join(base, entry);
      if (!isDir(dir)) continue;
      if ((opts.recover ?? true) && hasCommitJournal(dir)) recoverCommits(dir);
      const committed = existsSync(join(dir, SUCCESS));
      let per = found.get(id);
      if (per === undefined) found.set(id, (per = new Map()));
      per.set(name, { dir, committed, manifest: committed ? readManifest(dir) : null });
    }
  }
  const out = new Map<string, WindowState>();
  for (const id of [...found.keys()].sort()) {
    const outputs = found.get(id)!;
    const states = [...outputs.values()];
    const expected = new Set<string>();
    for (const s of states) for (const o of s.manifest?.outputs ?? []) expected.add(o);
    // Without any manifest (a run killed between commit and manifest), expect every output.
    if (expected.size === 0) for (const n of names) expected.add(n);
    const committed =
      states.some((s) => s.committed) && [...expected].every((o) => outputs.get(o)?.committed === true);
    let rows: number | null = 0;
    for (const s of states) {
      if (!s.committed) continue;
      rows = s.manifest === null || rows === null ? null : rows + s.manifest.rows;
    }
    out.set(id, { id, outputs, committed, rows: committed ? rows : null });
  }
  return out;
}

/** The ids of the committed windows of an output. */
export function committedWindowIds(output: string): Set<string> {
  const ids = new Set<string>();
  for (const [id, w] of scanWindows(output)) if (w.committed) ids.add(id);
  return ids;
}
