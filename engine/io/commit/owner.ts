// Who holds a job's staging directory: the committer that created it, or a recoverer that
// took it over from a dead holder. Holders are numbered files `_owner.<gen>.json` created
// exclusively, so two recoverers of one dead job cannot both take it over: only one can
// create generation gen+1.
//
// A holder is alive when it is this process and still active, or a live process on the same
// host and pid namespace (checked with kill(pid, 0) and /proc start time against pid reuse).
// A holder on another host cannot be checked; it counts as dead once its files are `staleMs` old.
import { randomBytes } from "node:crypto";
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { CommitOps } from "./fs-ops.js";

/** The identity written into an owner file. */
export interface Owner {
  readonly host: string;
  readonly pid: number;
  /** `/proc/self/ns/pid` link text, or null off Linux. */
  readonly pidNs: string | null;
  /** Kernel boot id, or null off Linux. */
  readonly bootId: string | null;
  /** Process start time in clock ticks since boot (`/proc/<pid>/stat` field 22), or null. */
  readonly startTicks: string | null;
  /** Random per holder: distinguishes holders within one process. */
  readonly token: string;
}

const readOr = (f: () => string): string | null => {
  try {
    return f().trim();
  } catch {
    return null;
  }
};

function startTicksOf(pid: number | "self"): string | null {
  const stat = readOr(() => readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (stat === null) return null;
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}

const SELF = {
  host: hostname(),
  pid: process.pid,
  pidNs: readOr(() => readlinkSync("/proc/self/ns/pid")),
  bootId: readOr(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8")),
  startTicks: startTicksOf("self"),
};

/** Tokens of the holders alive in this thread (committers between setup and end, running recoveries). */
const active = new Set<string>();

/** A fresh identity for a new holder in this process, registered as active. */
export function newOwner(): Owner {
  const o = { ...SELF, token: randomBytes(8).toString("hex") };
  active.add(o.token);
  return o;
}

/** Marks a holder of this process as gone (finished, aborted, or killed in a test). */
export function releaseOwner(o: Owner): void {
  active.delete(o.token);
}

/** True when the holder ran on this machine and pid namespace, so its liveness can be checked. */
export const isSameMachine = (o: Owner): boolean => o.host === SELF.host && o.pidNs === SELF.pidNs;

/** Whether a holder is still running; `ageMs` is how long ago its files last changed. */
export function isOwnerAlive(o: Owner, ageMs: number, staleMs: number): boolean {
  if (!isSameMachine(o)) return ageMs < staleMs;
  if (o.bootId !== null && SELF.bootId !== null && o.bootId !== SELF.bootId) return false;
  if (o.pid === SELF.pid && o.startTicks === SELF.startTicks) return active.has(o.token);
  try {
    process.kill(o.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid is in use; by the same process only if it started at the same time.
  const ticks = startTicksOf(o.pid);
  return o.startTicks === null || ticks === null || ticks === o.startTicks;
}

const OWNER_RE = /^_owner\.(\d+)\.json$/;

/** The owner files of a job directory, by generation. */
export function ownerFiles(ops: CommitOps, jobRoot: string): { gen: number; name: string }[] {
  return ops
    .list(jobRoot)
    .map((name) => ({ name, m: OWNER_RE.exec(name) }))
    .filter((x) => x.m !== null)
    .map((x) => ({ gen: Number(x.m![1]), name: x.name }))
    .sort((a, b) => a.gen - b.gen);
}

/** The current holder (highest generation) and its generation, or null when there is none. */
export function currentHolder(
  ops: CommitOps,
  jobRoot: string,
): { gen: number; owner: Owner | null; mtimeMs: number } | null {
  const files = ownerFiles(ops, jobRoot);
  const last = files[files.length - 1];
  if (last === undefined) return null;
  const p = join(jobRoot, last.name);
  const mtimeMs = lstatSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  let owner: Owner | null = null;
  try {
    owner = JSON.parse(readFileSync(p, "utf8")) as Owner;
  } catch {
    // Created but not yet written (the holder died in between): counts as a dead holder.
  }
  return { gen: last.gen, owner, mtimeMs };
}

/** Tries to become holder generation `gen`; false when someone else already is. */
export function claimOwner(ops: CommitOps, jobRoot: string, gen: number, o: Owner): boolean {
  const p = join(jobRoot, `_owner.${gen}.json`);
  try {
    ops.writeFile(p, JSON.stringify(o), true);
    return true;
  } catch (err) {
    // EEXIST: another holder claimed it first; ENOENT: the job directory is gone meanwhile.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOENT") return false;
    throw err;
  }
}
