// Test helpers for the file listing and commit tests: temp directories, writing trees of
// files, and snapshots of a directory tree for exact comparisons.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A fresh temporary directory; `cleanup()` removes it. */
export function tempDir(prefix = "kindling-io-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files given as relative path → content (a path ending in `/` makes a directory). */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    if (rel.endsWith("/")) {
      mkdirSync(p, { recursive: true });
      continue;
    }
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/**
 * The tree under `root` as relative path → content (`<dir>` for directories), skipping
 * `_temporary` unless asked. A missing root is an empty tree.
 */
export function snapshot(root: string, opts: { withTemporary?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n === "_temporary" && rel === "" && !opts.withTemporary) continue;
      const p = join(dir, n);
      const r = rel === "" ? n : `${rel}/${n}`;
      if (statSync(p).isDirectory()) {
        out[`${r}/`] = "<dir>";
        walk(p, r);
      } else {
        out[r] = readFileSync(p, "utf8");
      }
    }
  };
  walk(root, "");
  return out;
}
