// The run lock of a window job's output: `<output>/_kindling/lock`, created exclusively
// (O_EXCL), holding host, pid and a heartbeat that the holder refreshes every interval. Another
// run is refused while the lock is live; a lock is stale (and taken over) when its process is
// gone (same host) or its heartbeat is three intervals old.
//
//   (none) ──acquire──▶ held ──release──▶ (none)
//                         └──(heartbeat finds another token)──▶ lost
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { KindlingError } from "../errors.js";

/** What a lock file holds. */
export interface LockInfo {
  readonly host: string;
  readonly pid: number;
  /** The job that holds it. */
  readonly job: string;
  readonly startedAt: string;
  /** The last heartbeat (ISO time); refreshed every `intervalMs`. */
  readonly heartbeat: string;
  readonly intervalMs: number;
  /** Random; tells this holder's lock from a later one at the same path. */
  readonly token: string;
}

/** Another live run holds the lock. */
export class LockHeldError extends KindlingError {
  override readonly kind = "LockHeldError";
  override readonly name = "LockHeldError";
  constructor(
    message: string,
    readonly holder: LockInfo | null,
  ) {
    super(message);
  }
}

/** Options of `RunLock.acquire`. */
export interface LockOptions {
  /** The job name recorded in the lock. */
  readonly job: string;
  /** Heartbeat interval (default 10 s); the lock is stale after 3 intervals without one. */
  readonly intervalMs?: number;
}

/** Reads a lock file; null when absent. An unreadable (half-written) lock gets its mtime as heartbeat. */
export function readLock(path: string): LockInfo | null {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const j = JSON.parse(text) as LockInfo;
    if (typeof j.pid === "number" && typeof j.host === "string" && typeof j.heartbeat === "string") return j;
  } catch {
    // fall through: a lock being created right now
  }
  const at = new Date(mtimeMs).toISOString();
  return { host: "?", pid: 0, job: "?", startedAt: at, heartbeat: at, intervalMs: 10_000, token: "" };
}

/** True when `pid` is a running process on this machine. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why a lock is stale (its process is gone, its heartbeat too old), or null while it is live. */
export function staleReason(info: LockInfo, nowMs = Date.now()): string | null {
  if (info.host === hostname() && info.pid > 0 && !processAlive(info.pid))
    return `process ${info.pid} is gone`;
  const age = nowMs - Date.parse(info.heartbeat);
  if (age > 3 * info.intervalMs) return `its last heartbeat was ${Math.round(age / 1000)} s ago`;
  return null;
}

/** A held run lock; refreshes its heartbeat until released. */
export class RunLock {
  private timer: NodeJS.Timeout | null = null;
  private state: "held" | "released" | "lost" = "held";
  // A process that exits (process.exit, a handled signal) while holding the lock gives it back.
  private readonly onExit = () => this.release();

  private constructor(
    readonly path: string,
    readonly info: LockInfo,
  ) {}

  /**
   * Takes the lock at `path`, taking over a stale one; throws LockHeldError (naming the
   * holder) while another run holds it.
   */
  static acquire(path: string, opts: LockOptions): RunLock {
    const intervalMs = opts.intervalMs ?? 10_000;
    for (let tries = 0; tries < 5; tries++) {
      const now = new Date().toISOString();
      const info: LockInfo = {
        host: hostname(),
        pid: process.pid,
        job: opts.job,
        startedAt: now,
        heartbeat: now,
        intervalMs,
        token: randomBytes(8).toString("hex"),
      };
      if (createExclusive(path, `${JSON.stringify(info)}\n`)) {
        const lock = new RunLock(path, info);
        lock.timer = setInterval(() => lock.beat(), intervalMs);
        lock.timer.unref();
        process.on("exit", lock.onExit);
        return lock;
      }
      const holder = readLock(path);
      if (holder === null) continue; // released meanwhile
      const stale = staleReason(holder);
      if (stale === null) {
        throw new LockHeldError(
          `another run holds the lock ${path}: job "${holder.job}", process ${holder.pid} on ${holder.host}, ` +
            `started ${holder.startedAt}, last heartbeat ${holder.heartbeat}; ` +
            `wait for it to finish (the lock counts as stale once that process is gone or after ${Math.round((3 * holder.intervalMs) / 1000)} s without a heartbeat)`,
          holder,
        );
      }
      takeOver(path, holder);
    }
    throw new LockHeldError(`could not take the lock ${path}: other runs keep taking it`, readLock(path));
  }

  /** True until released or lost. */
  get held(): boolean {
    return this.state === "held";
  }

  /** True when another run took the lock over (this run's heartbeats stopped in time). */
  get lost(): boolean {
    return this.state === "lost";
  }

  /** Refreshes the heartbeat now (the timer calls this every interval). */
  beat(): void {
    if (this.state !== "held") return;
    const cur = readLock(this.path);
    if (cur === null || cur.token !== this.info.token) {
      this.lose();
      return;
    }
    const tmp = `${this.path}.${this.info.token}.tmp`;
    try {
      const next = { ...this.info, heartbeat: new Date().toISOString() };
      writeFileDurable(tmp, `${JSON.stringify(next)}\n`);
      renameSync(tmp, this.path);
    } catch {
      // A missed heartbeat is retried at the next tick; three in a row make the lock stale.
      try {
        unlinkSync(tmp);
      } catch {}
    }
  }

  /** Stops the heartbeat and removes the lock if it is still this run's. */
  release(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    process.off("exit", this.onExit);
    if (this.state !== "held") return;
    this.state = "released";
    if (readLock(this.path)?.token === this.info.token) {
      try {
        unlinkSync(this.path);
      } catch {}
    }
  }

  private lose(): void {
    this.state = "lost";
    process.off("exit", this.onExit);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

function writeFileDurable(path: string, text: string): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `path` with O_EXCL and writes `text`; false when it exists. */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock without ever removing a live one: moves the lock aside, checks that the
 * moved file is the stale lock that was inspected, and puts it back otherwise.
 */
function takeOver(path: string, stale: LockInfo): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else removed it
    throw err;
  }
  const moved = readLock(aside);
  if (moved !== null && moved.token !== stale.token) {
    // A new holder took the lock between our read and our rename: give it back.
    try {
      linkSync(aside, path);
    } catch {}
  }
  try {
    unlinkSync(aside);
  } catch {}
}
