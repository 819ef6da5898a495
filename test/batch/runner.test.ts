// The window runner with a substitute writer: retries, run log, failures, parallelism, lock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineJob } from "../../engine/batch/job.js";
import { lockPath, runLogPath } from "../../engine/batch/layout.js";
import { LockHeldError, RunLock, readLock } from "../../engine/batch/lock.js";
import type { WindowWriter } from "../../engine/batch/output.js";
import { readRunLog } from "../../engine/batch/run-log.js";
import { type RunEvent, runWindows } from "../../engine/batch/runner.js";
import { parseWindow, windowsBetween } from "../../engine/batch/window.js";
import type { Session } from "../../engine/session.js";

let dir: string;
let out: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kindling-runner-"));
  out = join(dir, "out");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const spark = {} as Session;

/** A writer that records what it was asked to write and reports 10 rows per window. */
function recordingWriter(): { writer: WindowWriter; written: string[] } {
  const written: string[] = [];
  const writer: WindowWriter = async (_job, _path, window, result) => {
    written.push(`${window.label}:${String(result)}`);
    return [{ name: "", dir: "", rows: 10, files: [] }];
  };
  return { writer, written };
}

const job = (run: Parameters<typeof defineJob>[0]["run"]) =>
  defineJob({ name: "test-job", every: "1d", output: { path: "unused" }, run });

describe("runWindows", () => {
  it("runs a window, logs the attempt and releases the lock", async () => {
    const { writer, written } = recordingWriter();
    const j = job(({ window, args, attempt }) => `${window.id}|${args.join(",")}|${attempt}` as never);
    const w = parseWindow(j.clock, "2021-03-14");
    const s = await runWindows(j, [w], { spark, writer, outputPath: out, args: ["a", "b"], backoffMs: 0 });
    expect(s.ok).toBe(true);
    expect(s.windows).toMatchObject([{ status: "succeeded", attempts: 1, rows: 10, error: null }]);
    expect(written).toEqual(["2021-03-14:2021-03-14T00:00:00Z|a,b|1"]);
    const log = readRunLog(runLogPath(out));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      runId: s.runId,
      job: "test-job",
      window: "2021-03-14T00:00:00Z",
      windowEnd: "2021-03-15T00:00:00Z",
      label: "2021-03-14",
      period: "1d",
      timeZone: "UTC",
      attempt: 1,
      status: "succeeded",
      rows: 10,
      error: null,
      pid: process.pid,
    });
    expect(readLock(lockPath(out))).toBeNull();
  });

  it("retries a window that fails on its first attempt", async () => {
    const { writer } = recordingWriter();
    let calls = 0;
    const j = job(({ attempt }) => {
      calls++;
      if (attempt === 1) throw new Error("injected failure");
      return "ok" as never;
    });
    const events: RunEvent[] = [];
    const s = await runWindows(j, [parseWindow(j.clock, "2021-03-14")], {
      spark,
      writer,
      outputPath: out,
      backoffMs: 5,
      onEvent: (e) => events.push(e),
    });
    expect(calls).toBe(2);
    expect(s.windows[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(events.map((e) => `${e.kind}#${e.attempt}`)).toEqual([
      "attempt#1",
      "failed#1",
      "attempt#2",
      "succeeded#2",
    ]);
    expect(events[1]).toMatchObject({ error: "injected failure", retryInMs: 5 });
    const log = readRunLog(runLogPath(out));
    expect(log.map((e) => [e.attempt, e.status, e.rows, e.error])).toEqual([
      [1, "failed", null, "injected failure"],
      [2, "succeeded", 10, null],
    ]);
  });

  it("marks a window failed after its retries and still runs the others", async () => {
    const { writer, written } = recordingWriter();
    const j = job(({ window }) => {
      if (window.label === "2021-03-02") throw new TypeError("bad data on the 2nd");
      return "ok" as never;
    });
    const ws = windowsBetween(
      j.clock,
      Date.parse("2021-03-01T00:00:00Z"),
      Date.parse("2021-03-04T00:00:00Z"),
    );
    const s = await runWindows(j, ws, { spark, writer, outputPath: out, retries: 1, backoffMs: 0 });
    expect(s.ok).toBe(false);
    expect(s.windows.map((o) => [o.window.label, o.status, o.attempts])).toEqual([
      ["2021-03-01", "succeeded", 1],
      ["2021-03-02", "failed", 2],
      ["2021-03-03", "succeeded", 1],
    ]);
    expect(s.windows[1]!.error).toBe("TypeError: bad data on the 2nd");
    expect(written).toEqual(["2021-03-01:ok", "2021-03-03:ok"]);
    expect(readRunLog(runLogPath(out)).filter((e) => e.status === "failed")).toHaveLength(2);
  });

  it("runs up to `parallel` windows at once, reporting them in window order", async () => {
    const { writer } = recordingWriter();
    let running = 0;
    let most = 0;
    const j = job(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return "ok" as never;
    });
    const ws = windowsBetween(
      j.clock,
      Date.parse("2021-03-01T00:00:00Z"),
      Date.parse("2021-03-06T00:00:00Z"),
    );
    const s = await runWindows(j, [...ws].reverse(), { spark, writer, outputPath: out, parallel: 2 });
    expect(most).toBe(2);
    expect(s.windows.map((o) => o.window.label)).toEqual([
      "2021-03-01",
      "2021-03-02",
      "2021-03-03",
      "2021-03-04",
      "2021-03-05",
    ]);
  });

  it("is refused while another run holds the output's lock", async () => {
    const { writer, written } = recordingWriter();
    const j = job(() => "ok" as never);
    mkdirSync(join(out, "_kindling"), { recursive: true });
    const other = RunLock.acquire(lockPath(out), { job: "test-job" });
    try {
      await expect(
        runWindows(j, [parseWindow(j.clock, "2021-03-14")], { spark, writer, outputPath: out }),
      ).rejects.toThrow(LockHeldError);
      expect(written).toEqual([]);
    } finally {
      other.release();
    }
  });

  it("fails clearly when the output path is a file", async () => {
    writeFileSync(out, "not a directory");
    const j = job(() => "ok" as never);
    await expect(
      runWindows(j, [parseWindow(j.clock, "2021-03-14")], { spark, outputPath: out }),
    ).rejects.toThrow(`output path ${out} is a file, not a directory`);
  });

  it("fails a window whose job returns something other than DataFrames", async () => {
    const j = job(() => 42 as never);
    const s = await runWindows(j, [parseWindow(j.clock, "2021-03-14")], {
      spark,
      outputPath: out,
      retries: 0,
    });
    expect(s.windows[0]!.error).toBe(
      'ConfigError: job "test-job": run() returned number; expected a DataFrame or an object of named DataFrames',
    );
  });
});
