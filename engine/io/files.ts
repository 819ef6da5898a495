// Resolves the user's input paths (files, directories listed recursively, globs) into the
// sorted list of data files to read, with Hive `key=value` partition columns inferred from
// the directory names, as Spark's InMemoryFileIndex and PartitioningUtils do. Synchronous,
// since analysis is eager. Interrupted commits are finished before a directory is listed.
import { readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ConfigError, DataError } from "../errors.js";
import type { LiteralValue } from "../expr/expr.js";
import type { Schema } from "../types/data-type.js";
import { hasCommitJournal, recoverCommits } from "./commit.js";
import { expandGlob, globBase, hasGlob, isHiddenName } from "./files/glob.js";
import { type LeafSpec, parsePartitionSegments, resolvePartitions } from "./files/partition-infer.js";
import type { FileFormat, SourceFile } from "./source.js";

/** Options of `listSourceFiles`. */
export interface ListOptions {
  /** Session time zone, for partition timestamps written without an offset (default UTC). */
  readonly timeZone?: string;
  /** Spark's `basePath` option: partition columns are read from directories below it. */
  readonly basePath?: string;
  /** Infer partition column types (default true); false reads them all as strings. */
  readonly inferPartitionTypes?: boolean;
  /** Finish or roll back interrupted commits before listing (default true). */
  readonly recover?: boolean;
}

/** The data files found under some paths, and the partition columns of their directories. */
export interface ListedFiles {
  readonly files: SourceFile[];
  readonly partitionSchema: Schema;
}

/** Files no reader should see besides hidden ones: Hadoop checksums. */
const isSideFile = (name: string): boolean => name.endsWith(".crc");

/**
 * Lists the data files under `paths`: a file is read as given; a directory recursively,
 * skipping hidden names (`_x` unless it holds `=`, `.x`), `_temporary`, `*.crc` and empty
 * files; a glob (`*`, `?`, `[ab]`, `{a,b}`, `**`) by its matches. Every format reads every
 * such file, as Spark does. A path that matches nothing is a DataError
 * `Path does not exist: <path>`. Files come sorted by path, each once.
 *
 * Partition columns come from `key=value` directories between a base path and each file:
 * the directory given, the fixed part of a glob, or `basePath`. Values are percent-decoded,
 * `__HIVE_DEFAULT_PARTITION__` is null, types are inferred as Spark does.
 */
export function listSourceFiles(
  paths: readonly string[],
  format: FileFormat,
  opts: ListOptions = {},
): ListedFiles {
  void format; // every format reads every non-hidden file
  const lister = new Lister(opts.recover ?? true);
  const basePath = opts.basePath === undefined ? undefined : resolve(opts.basePath);
  for (const userPath of paths) {
    const abs = resolve(userPath);
    if (hasGlob(userPath)) {
      const base = basePath ?? globBase(abs);
      lister.checkPathAndAncestors(globBase(abs));
      const matches = expandGlob(abs, (d) => lister.visit(d));
      if (matches.length === 0) throw new DataError(`Path does not exist: ${userPath}`);
      for (const m of matches) lister.addRoot(m, checkBase(base, m), false);
      continue;
    }
    lister.checkPathAndAncestors(abs);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st === undefined) throw new DataError(`Path does not exist: ${userPath}`);
    lister.addRoot(abs, checkBase(basePath ?? (st.isDirectory() ? abs : dirname(abs)), abs), true);
  }
  const found = [...lister.found.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  // Partition specs per leaf directory, then per file.
  const specByDir = new Map<string, LeafSpec>();
  const leafOf = found.map(([path, f]) => {
    const dir = dirname(path);
    const key = `${f.base}\u0000${dir}`;
    let leaf = specByDir.get(key);
    if (leaf === undefined) {
      const rel = relative(f.base, dir);
      const segs = rel === "" || rel.startsWith("..") ? [] : rel.split(sep);
      leaf = { dir, spec: parsePartitionSegments(segs, dir) };
      specByDir.set(key, leaf);
    }
    return leaf;
  });
  const leaves = [...specByDir.values()];
  const { schema, values } = resolvePartitions(leaves, {
    timeZone: opts.timeZone ?? "UTC",
    inferTypes: opts.inferPartitionTypes ?? true,
  });
  const valuesOf = new Map<LeafSpec, LiteralValue[]>(leaves.map((l, i) => [l, values[i]!]));
  const files: SourceFile[] = found.map(([path, f], i) => ({
    path,
    size: f.size,
    partitionValues: valuesOf.get(leafOf[i]!) ?? [],
  }));
  return { files, partitionSchema: schema };
}

function checkBase(base: string, root: string): string {
  const rel = relative(base, root);
  if (rel.startsWith("..") || resolve(base, rel) !== root) {
    throw new ConfigError(`basePath ${base} is not a parent of the input path ${root}`);
  }
  return base;
}

/** Walks roots, collecting files; remembers the directories already checked for journals. */
class Lister {
  readonly found = new Map<string, { size: number; base: string }>();
  private readonly checked = new Set<string>();
  private readonly walkedReal = new Set<string>();

  constructor(private readonly recover: boolean) {}

  /** Finishes an interrupted commit whose output directory is `dir`, once per directory. */
  visit(dir: string): void {
    if (!this.recover || this.checked.has(dir)) return;
    this.checked.add(dir);
    if (hasCommitJournal(dir)) recoverCommits(dir);
  }

  /** A path may be an output or lie inside one (e.g. one partition of it): check it and its parents. */
  checkPathAndAncestors(p: string): void {
    let d = p;
    const chain: string[] = [];
    while (d !== dirname(d)) {
      chain.push(d);
      d = dirname(d);
    }
    chain.push(d);
    for (const a of chain.reverse()) this.visit(a);
  }

  addRoot(p: string, base: string, explicit: boolean): void {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (st.isDirectory()) this.walk(p, base);
    else if (st.isFile() && (explicit || st.size > 0)) this.add(p, st.size, base);
  }

  private add(p: string, size: number, base: string): void {
    if (!this.found.has(p)) this.found.set(p, { size, base });
  }

  private walk(dir: string, base: string): void {
    // Symlinked directories may form a cycle: walk each real directory once.
    const real = realpathSync(dir);
    if (this.walkedReal.has(real)) return;
    this.walkedReal.add(real);
    this.visit(dir);
    for (const name of readdirSync(dir).sort()) {
      if (isHiddenName(name) || isSideFile(name)) continue;
      const p = join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st === undefined) continue;
      if (st.isDirectory()) this.walk(p, base);
      else if (st.isFile() && st.size > 0) this.add(p, st.size, base);
    }
  }
}
