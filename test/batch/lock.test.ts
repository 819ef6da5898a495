// The run lock: exclusive, refused while live, taken over when stale, heartbeats.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockHeldError, RunLock, readLock, staleReason } from "../../engine/batch/lock.js";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kindling-lock-"));
  path = join(dir, "lock");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deadPid = (): number => {
  const r = spawnSync(process.execPath, ["-e", ""]);
  return r.pid!;
};

const fakeLock = (over: Record<string, unknown>) =>
  writeFileSync(
    path,
    JSON.stringify({
      host: hostname(),
      pid: process.pid,
      job: "other",
      startedAt: new Date().toISOString(),
      heartbeat: new Date().toISOString(),
      intervalMs: 10_000,
      token: "t0",
      ...over,
    }),
  );

describe("RunLock", () => {
  it("is exclusive: a second run is refused while the first holds it", () => {
    const a = RunLock.acquire(path, { job: "daily" });
    expect(readLock(path)).toMatchObject({ host: hostname(), pid: process.pid, job: "daily" });
    let err: unknown;
    try {
      RunLock.acquire(path, { job: "daily" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LockHeldError);
    expect((err as Error).message).toMatch(
      new RegExp(`another run holds the lock .*job "daily", process ${process.pid} on ${hostname()}`),
    );
    expect((err as LockHeldError).holder?.token).toBe(a.info.token);
    a.release();
    const b = RunLock.acquire(path, { job: "daily" });
    expect(b.held).toBe(true);
    b.release();
    expect(readLock(path)).toBeNull();
  });

  it("takes over a lock whose process is gone", () => {
    const pid = deadPid();
    fakeLock({ pid });
    expect(staleReason(readLock(path)!)).toBe(`process ${pid} is gone`);
    const l = RunLock.acquire(path, { job: "daily" });
    expect(readLock(path)!.pid).toBe(process.pid);
    l.release();
  });

  it("takes over a lock whose heartbeat is three intervals old, even from another host", () => {
    fakeLock({ host: "elsewhere", pid: 1, heartbeat: new Date(Date.now() - 31_000).toISOString() });
    expect(staleReason(readLock(path)!)).toMatch(/last heartbeat was 31 s ago/);
    const l = RunLock.acquire(path, { job: "daily" });
    expect(readLock(path)!.host).toBe(hostname());
    l.release();
  });

  it("refuses a live lock of another host", () => {
    fakeLock({ host: "elsewhere", pid: 1, heartbeat: new Date(Date.now() - 5_000).toISOString() });
    expect(() => RunLock.acquire(path, { job: "daily" })).toThrow(/process 1 on elsewhere/);
    expect(readLock(path)!.host).toBe("elsewhere");
  });

  it("treats a half-written lock by its age", () => {
    writeFileSync(path, "");
    expect(() => RunLock.acquire(path, { job: "daily" })).toThrow(LockHeldError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const l = RunLock.acquire(path, { job: "daily" });
    l.release();
  });

  it("refreshes its heartbeat", async () => {
    const l = RunLock.acquire(path, { job: "daily", intervalMs: 30 });
    const first = readLock(path)!.heartbeat;
    await new Promise((r) => setTimeout(r, 120));
    const later = readLock(path)!;
    expect(Date.parse(later.heartbeat)).toBeGreaterThan(Date.parse(first));
    expect(later.token).toBe(l.info.token);
    l.release();
  });

  it("notices when another run took it over, and leaves that run's lock alone", () => {
    const l = RunLock.acquire(path, { job: "daily" });
    fakeLock({ token: "someone-else" });
    l.beat();
    expect(l.lost).toBe(true);
    l.release();
    expect(JSON.parse(readFileSync(path, "utf8")).token).toBe("someone-else");
  });
});
