// The filesystem operations of the commit protocol, each counted as a "step" so tests can
// stop a commit dead between any two of them (as a SIGKILL would) and check recovery.
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";

/** Thrown by a test hook to stop a commit dead: no cleanup, no rollback, as a SIGKILL. */
export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";
}

/**
 * Test hook called after each filesystem step with its number (from 1) and a label. Throwing
 * a `SimulatedCrash` kills the committer where it stands; any other error is treated as a
 * failed filesystem operation.
 */
export type StepHook = (step: number, label: string) => void;

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Counted, optionally durable filesystem operations. */
export class CommitOps {
  /** Steps taken so far. */
  steps = 0;

  constructor(
    private readonly hook: StepHook | undefined,
    /** fsync files and directories (off only to speed up tests that do not need it). */
    private readonly durable = true,
  ) {}

  private tick(label: string): void {
    this.steps++;
    this.hook?.(this.steps, label);
  }

  /** True when something (file, directory or link) is at `p`. */
  exists(p: string): boolean {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  }

  isDir(p: string): boolean {
    return lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }

  /** Sorted names in a directory; empty when it does not exist. */
  list(p: string): string[] {
    try {
      return readdirSync(p).sort();
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return [];
      throw err;
    }
  }

  /** `mkdir -p`: one step per directory created. */
  mkdirp(p: string): void {
    if (this.isDir(p)) return;
    const parent = dirname(p);
    if (parent !== p) this.mkdirp(parent);
    try {
      mkdirSync(p);
    } catch (err) {
      if (errno(err) !== "EEXIST") throw err;
      return;
    }
    this.tick(`mkdir ${p}`);
  }

  /** Creates a directory that must not exist yet. */
  mkdirNew(p: string): void {
    mkdirSync(p);
    this.tick(`mkdir ${p}`);
  }

  rename(from: string, to: string): void {
    renameSync(from, to);
    this.tick(`rename ${from} -> ${to}`);
  }

  /** Creates or truncates a file with `data`, fsyncs it (when durable). Exclusive when `exclusive`. */
  writeFile(p: string, data: string, exclusive = false): void {
    const fd = openSync(p, exclusive ? "wx" : "w");
    try {
      if (data.length > 0) writeSync(fd, data);
      if (this.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.tick(`write ${p}`);
  }

  /** Atomically replaces a file: write a temporary beside it, fsync, rename, fsync the directory. */
  replaceFile(p: string, data: string): void {
    const tmp = `${p}.tmp`;
    this.writeFile(tmp, data);
    this.rename(tmp, p);
    this.fsyncDir(dirname(p));
  }

  fsyncFile(p: string): void {
    if (this.durable) {
      const fd = openSync(p, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.tick(`fsync ${p}`);
  }

  /** fsync a directory so the renames in it are durable. */
  fsyncDir(p: string): void {
    if (this.durable) {
      let fd: number;
      try {
        fd = openSync(p, "r");
      } catch (err) {
        if (errno(err) === "ENOENT") return;
        throw err;
      }
      try {
        fsyncSync(fd);
      } catch (err) {
        // Some filesystems refuse fsync on a directory; the rename is still atomic there.
        if (errno(err) !== "EINVAL" && errno(err) !== "EISDIR" && errno(err) !== "EBADF") throw err;
      } finally {
        closeSync(fd);
      }
    }
    this.tick(`fsync ${p}`);
  }

  /** Removes a file if present. */
  unlink(p: string): void {
    try {
      unlinkSync(p);
    } catch (err) {
      if (errno(err) === "ENOENT") return;
      throw err;
    }
    this.tick(`unlink ${p}`);
  }

  /** Removes an empty directory if present; returns false when it is not empty. */
  rmdir(p: string): boolean {
    try {
      rmdirSync(p);
    } catch (err) {
      const code = errno(err);
      if (code === "ENOENT") return true;
      if (code === "ENOTEMPTY" || code === "EEXIST") return false;
      throw err;
    }
    this.tick(`rmdir ${p}`);
    return true;
  }

  /** `rm -rf`, one step per entry removed (children before their directory). */
  rmTree(p: string): void {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (!st.isDirectory()) {
      this.unlink(p);
      return;
    }
    for (const name of this.list(p)) this.rmTree(join(p, name));
    this.rmdir(p);
  }

  /** Removes the directories under `p` (and `p`) that hold no files; never removes a file. */
  removeEmptyDirs(p: string): void {
    if (!this.isDir(p)) return;
    for (const name of this.list(p)) this.removeEmptyDirs(join(p, name));
    this.rmdir(p);
  }

  /**
   * Moves `from` to `to`: a rename when `to` is free; when both are directories, their
   * contents merge (so a half-done merge can simply be repeated); a file replaces a file.
   */
  moveInto(from: string, to: string): void {
    const dst = lstatSync(to, { throwIfNoEntry: false });
    if (dst === undefined) {
      this.mkdirp(dirname(to));
      this.rename(from, to);
      return;
    }
    const srcIsDir = this.isDir(from);
    if (srcIsDir && dst.isDirectory()) {
      for (const name of this.list(from)) this.moveInto(join(from, name), join(to, name));
      this.rmdir(from);
      return;
    }
    if (srcIsDir || dst.isDirectory()) {
      throw new Error(`cannot move ${from} to ${to}: one is a directory and the other is not`);
    }
    this.rename(from, to);
  }
}
