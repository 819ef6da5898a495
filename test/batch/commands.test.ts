// `kindling run` argument parsing and the `kindling windows` report (on hand-made outputs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatReport, windowsCommand } from "../../client/commands/windows.js";
import { lockPath, runLogPath } from "../../engine/batch/layout.js";
import { RunLock } from "../../engine/batch/lock.js";
import { parseRunArgs } from "../../engine/batch/run-args.js";
import { appendRunLog } from "../../engine/batch/run-log.js";
import { describeOutput } from "../../engine/batch/status.js";
import { windowDirName } from "../../engine/batch/window.js";

describe("parseRunArgs", () => {
  it("parses every option", () => {
    const a = parseRunArgs([
      "jobs/daily.ts",
      "--from",
      "2021-03-01",
      "--to=2021-04-01",
      "--retries",
      "5",
      "--retry-backoff",
      "250ms",
      "--parallel",
      "3",
      "--force",
      "--conf",
      "kindling.sql.shuffle.partitions=4",
      "--conf",
      "a.b=x=y",
      "--master",
      "local[2]",
      "--output",
      "/tmp/o",
      "--",
      "--region",
      "eu",
    ]);
    expect(a).toMatchObject({
      jobFile: "jobs/daily.ts",
      from: "2021-03-01",
      to: "2021-04-01",
      catchUp: false,
      force: true,
      retries: 5,
      backoffMs: 250,
      parallel: 3,
      master: "local[2]",
      output: "/tmp/o",
      conf: [
        ["kindling.sql.shuffle.partitions", "4"],
        ["a.b", "x=y"],
      ],
      jobArgs: ["--region", "eu"],
    });
    expect(parseRunArgs(["j.ts", "--window", "2021-03-14"])).toMatchObject({
      window: "2021-03-14",
      retries: 2,
      backoffMs: 1000,
      parallel: 1,
    });
    expect(
      parseRunArgs(["j.ts", "--catch-up", "--since", "2021-01-01", "--until", "2021-02-01"]),
    ).toMatchObject({
      catchUp: true,
      since: "2021-01-01",
      until: "2021-02-01",
    });
  });

  it("rejects bad combinations and values", () => {
    const bad = (argv: string[]) => () => parseRunArgs(argv);
    expect(bad(["--window", "2021-03-14"])).toThrow("missing the job file");
    expect(bad(["j.ts"])).toThrow("give exactly one of --window, --from/--to, or --catch-up");
    expect(bad(["j.ts", "--window", "a", "--catch-up", "--since", "b"])).toThrow(/exactly one/);
    expect(bad(["j.ts", "--from", "2021-03-01"])).toThrow("--from and --to go together");
    expect(bad(["j.ts", "--catch-up"])).toThrow("--catch-up needs --since <start>");
    expect(bad(["j.ts", "--window", "x", "--since", "y"])).toThrow("--since and --until go with --catch-up");
    expect(bad(["j.ts", "--window", "x", "--retries", "-1"])).toThrow(
      '--retries must be an integer ≥ 0, got "-1"',
    );
    expect(bad(["j.ts", "--window", "x", "--parallel", "0"])).toThrow(/--parallel must be an integer ≥ 1/);
    expect(bad(["j.ts", "--window", "x", "--retry-backoff", "soon"])).toThrow(
      /invalid --retry-backoff "soon"/,
    );
    expect(bad(["j.ts", "--window"])).toThrow("option --window needs a value");
    expect(bad(["j.ts", "--window", "x", "--window", "y"])).toThrow("option --window given more than once");
    expect(bad(["j.ts", "--window", "x", "--verbose"])).toThrow("unknown option --verbose");
    expect(bad(["j.ts", "--window", "x", "--force=yes"])).toThrow("option --force takes no value");
    expect(bad(["j.ts", "extra", "--window", "x"])).toThrow(
      /unexpected argument "extra" \(job arguments go after --\)/,
    );
    expect(bad(["j.ts", "--window", "x", "--conf", "novalue"])).toThrow(
      '--conf expects key=value, got "novalue"',
    );
  });
});

describe("kindling windows", () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), "kindling-windows-"));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const entry = (window: string, attempt: number, status: "succeeded" | "failed", runId = "r1") => ({
    time: `2021-04-01T00:00:0${attempt}Z`,
    runId,
    job: "daily",
    window,
    windowEnd: "",
    label: window.slice(0, 10),
    period: "1d",
    timeZone: "UTC",
    attempt,
    status,
    rows: status === "succeeded" ? 7 : null,
    durationMs: 10,
    error: status === "failed" ? "DataError: bad row\nmore" : null,
    host: "h",
    pid: 1,
  });

  const commit = (id: string, rows: number) => {
    const d = join(out, windowDirName(id));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "_SUCCESS"), "");
    writeFileSync(
      join(d, "_manifest.json"),
      JSON.stringify({
        version: 1,
        job: "daily",
        scriptSha256: "abc",
        window: { start: id, end: "", label: id.slice(0, 10), period: "1d", timeZone: "UTC" },
        output: "",
        outputs: [""],
        rows,
      }),
    );
  };

  it("reports committed, failed and missing windows", () => {
    commit("2021-03-01T00:00:00Z", 7);
    commit("2021-03-04T00:00:00Z", 9);
    appendRunLog(runLogPath(out), entry("2021-03-01T00:00:00Z", 1, "succeeded"));
    appendRunLog(runLogPath(out), entry("2021-03-02T00:00:00Z", 1, "failed"));
    appendRunLog(runLogPath(out), entry("2021-03-02T00:00:00Z", 2, "failed"));
    // A later failed re-run of a committed window leaves it committed.
    appendRunLog(runLogPath(out), entry("2021-03-04T00:00:00Z", 1, "failed", "r2"));
    const r = describeOutput(out);
    expect(r).toMatchObject({ job: "daily", period: "1d", timeZone: "UTC", lock: null });
    expect(r.windows.map((w) => [w.label, w.status, w.rows, w.attempts, w.lastAttempt])).toEqual([
      ["2021-03-01", "committed", 7, 1, "succeeded"],
      ["2021-03-02", "failed", null, 2, "failed"],
      ["2021-03-03", "missing", null, 0, null],
      ["2021-03-04", "committed", 9, 1, "failed"],
    ]);
    expect(r.windows[0]!.scriptSha256).toBe("abc");
    const text = formatReport(r);
    expect(text).toContain(`${out} — job "daily", every 1d (UTC)`);
    expect(text).toMatch(/2021-03-02\s+failed\s+-\s+2\s+2021-04-01T00:00:02Z\s+DataError: bad row\n/);
    expect(text).toContain("(last re-run failed) DataError: bad row");
    expect(text).toContain("2 committed, 1 failed, 1 missing");
    // --since/--until extend or cut the range.
    const r2 = describeOutput(out, {
      sinceMs: Date.parse("2021-03-03T00:00:00Z"),
      untilMs: Date.parse("2021-03-07T00:00:00Z"),
    });
    expect(r2.windows.map((w) => [w.label, w.status])).toEqual([
      ["2021-03-03", "missing"],
      ["2021-03-04", "committed"],
      ["2021-03-05", "missing"],
      ["2021-03-06", "missing"],
    ]);
  });

  it("shows who holds the lock", () => {
    mkdirSync(join(out, "_kindling"));
    const l = RunLock.acquire(lockPath(out), { job: "daily" });
    try {
      expect(formatReport(describeOutput(out))).toMatch(
        /locked: a run of "daily" is in progress \(process \d+ on /,
      );
    } finally {
      l.release();
    }
    expect(formatReport(describeOutput(out))).toContain("no windows yet");
  });

  it("fails clearly for a missing output or bad arguments", async () => {
    expect(() => describeOutput(join(out, "nope"))).toThrow(/output .*nope does not exist/);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => errors.push(s)) as never;
    try {
      expect(await windowsCommand([join(out, "nope")])).toBe(2);
      expect(await windowsCommand([])).toBe(2);
      expect(await windowsCommand([out, "--since", "someday"])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join("")).toMatch(
      /does not exist[\s\S]*give exactly one output directory[\s\S]*unknown window format "someday"/,
    );
  });
});
