// Window selection (--window, --from/--to, --catch-up), committed-window scanning, and job checks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineJob, isJob, partitionColumnsFor } from "../../engine/batch/job.js";
import { selectCatchUp, selectRange, selectWindow } from "../../engine/batch/select.js";
import { committedWindowIds, outputNames, scanWindows } from "../../engine/batch/state.js";
import { windowDirName } from "../../engine/batch/window.js";

const daily = defineJob({ name: "daily", every: "1d", output: { path: "x" }, run: () => ({}) as never });
const lateDaily = defineJob({
  name: "late",
  every: "1d",
  lateness: "2h",
  output: { path: "x" },
  run: () => ({}) as never,
});
const now = Date.parse("2021-03-14T10:00:00Z");
const labels = (ws: { label: string }[]) => ws.map((w) => w.label);

describe("selectWindow / selectRange", () => {
  it("accepts closed windows and refuses open ones without --force", () => {
    expect(selectWindow(daily, "2021-03-13", { nowMs: now }).label).toBe("2021-03-13");
    expect(() => selectWindow(daily, "2021-03-14", { nowMs: now })).toThrow(
      /window 2021-03-14 of job "daily" has not closed yet: it closes at 2021-03-15T00:00:00Z.*use --force/,
    );
    expect(selectWindow(daily, "2021-03-14", { nowMs: now, force: true }).label).toBe("2021-03-14");
    // With 2 hours of lateness, yesterday closes at 02:00 today.
    expect(() =>
      selectWindow(lateDaily, "2021-03-13", { nowMs: Date.parse("2021-03-14T01:00:00Z") }),
    ).toThrow(/closes at 2021-03-14T02:00:00Z \(its end plus the job's lateness of 2 h\)/);
  });

  it("selects every window of a range", () => {
    expect(labels(selectRange(daily, "2021-03-01", "2021-03-04", { nowMs: now }))).toEqual([
      "2021-03-01",
      "2021-03-02",
      "2021-03-03",
    ]);
    expect(() => selectRange(daily, "2021-03-01", "2021-03-04T12:00", { nowMs: now })).toThrow(
      /--to "2021-03-04T12:00" is not a window boundary/,
    );
    expect(() => selectRange(daily, "2021-03-04", "2021-03-01", { nowMs: now })).toThrow(
      /must be after --from/,
    );
    expect(() => selectRange(daily, "2021-03-10", "2021-03-16", { nowMs: now })).toThrow(
      /2021-03-14 .* has not closed yet/,
    );
    expect(selectRange(daily, "2021-03-10", "2021-03-16", { nowMs: now, force: true })).toHaveLength(6);
  });
});

describe("selectCatchUp", () => {
  it("selects closed windows without a committed output", () => {
    const committed = new Set(["2021-03-10T00:00:00Z", "2021-03-12T00:00:00Z"]);
    const s = selectCatchUp(daily, { since: "2021-03-09", nowMs: now, committed });
    expect(labels(s.windows)).toEqual(["2021-03-09", "2021-03-11", "2021-03-13"]);
    expect(s.committed).toBe(2);
  });

  it("stops at --until and respects lateness", () => {
    const none = new Set<string>();
    expect(
      labels(
        selectCatchUp(daily, { since: "2021-03-09", until: "2021-03-11", nowMs: now, committed: none })
          .windows,
      ),
    ).toEqual(["2021-03-09", "2021-03-10"]);
    // At 01:00 on the 14th, the 13th is still open for a job with 2 h lateness.
    const early = Date.parse("2021-03-14T01:00:00Z");
    expect(
      labels(selectCatchUp(lateDaily, { since: "2021-03-12", nowMs: early, committed: none }).windows),
    ).toEqual(["2021-03-12"]);
    // --until in the past does not cut off the window that ends at it.
    expect(
      labels(
        selectCatchUp(lateDaily, { since: "2021-03-11", until: "2021-03-13", nowMs: early, committed: none })
          .windows,
      ),
    ).toEqual(["2021-03-11", "2021-03-12"]);
  });

  it("an unaligned --since starts at the next window; --force includes the open one", () => {
    const none = new Set<string>();
    expect(
      labels(selectCatchUp(daily, { since: "2021-03-12T06:00", nowMs: now, committed: none }).windows),
    ).toEqual(["2021-03-13"]);
    expect(
      labels(selectCatchUp(daily, { since: "2021-03-13", nowMs: now, force: true, committed: none }).windows),
    ).toEqual(["2021-03-13", "2021-03-14"]);
    expect(() =>
      selectCatchUp(daily, { since: "2021-03-13", until: "2021-03-12", nowMs: now, committed: none }),
    ).toThrow(/--until must be after --since/);
    expect(() => selectCatchUp(daily, { since: "last week", nowMs: now, committed: none })).toThrow(
      /unknown window format "last week"/,
    );
  });
});

describe("scanWindows", () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), "kindling-scan-"));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const mkWindow = (base: string, id: string, opts: { success?: boolean; manifest?: object } = {}) => {
    const d = join(base, windowDirName(id));
    mkdirSync(d, { recursive: true });
    if (opts.success ?? true) writeFileSync(join(d, "_SUCCESS"), "");
    if (opts.manifest)
      writeFileSync(
        join(d, "_manifest.json"),
        JSON.stringify({ version: 1, window: { start: id }, ...opts.manifest }),
      );
    return d;
  };

  it("finds committed windows and ignores uncommitted ones", () => {
    mkWindow(out, "2021-03-01T00:00:00Z", { manifest: { rows: 5, outputs: [""] } });
    mkWindow(out, "2021-03-02T00:00:00Z", { success: false });
    mkdirSync(join(out, windowDirName("2021-03-02T00:00:00Z"), "_temporary"));
    mkWindow(out, "2021-03-03T00:00:00Z");
    mkdirSync(join(out, "_kindling"));
    writeFileSync(join(out, "window_start=garbage"), "");
    expect(outputNames(out)).toEqual([""]);
    const ws = scanWindows(out);
    expect([...ws.keys()]).toEqual(["2021-03-01T00:00:00Z", "2021-03-02T00:00:00Z", "2021-03-03T00:00:00Z"]);
    expect(ws.get("2021-03-01T00:00:00Z")).toMatchObject({ committed: true, rows: 5 });
    expect(ws.get("2021-03-02T00:00:00Z")!.committed).toBe(false);
    // Committed without a manifest (killed between commit and manifest): committed, rows unknown.
    expect(ws.get("2021-03-03T00:00:00Z")).toMatchObject({ committed: true, rows: null });
    expect([...committedWindowIds(out)]).toEqual(["2021-03-01T00:00:00Z", "2021-03-03T00:00:00Z"]);
  });

  it("a window of named outputs is committed when all of them are", () => {
    const both = { outputs: ["trips", "zones"], rows: 1 };
    mkWindow(join(out, "trips"), "2021-03-01T00:00:00Z", { manifest: both });
    mkWindow(join(out, "zones"), "2021-03-01T00:00:00Z", { manifest: both });
    mkWindow(join(out, "trips"), "2021-03-02T00:00:00Z", { manifest: both });
    expect(outputNames(out)).toEqual(["trips", "zones"]);
    const ws = scanWindows(out);
    expect(ws.get("2021-03-01T00:00:00Z")).toMatchObject({ committed: true, rows: 2 });
    expect(ws.get("2021-03-02T00:00:00Z")!.committed).toBe(false);
  });

  it("a missing output directory has no windows", () => {
    expect(scanWindows(join(out, "nope")).size).toBe(0);
  });
});

describe("defineJob", () => {
  const run = () => ({}) as never;
  it("checks the spec, naming the field", () => {
    expect(() => defineJob({ name: "", every: "1d", output: { path: "x" }, run })).toThrow(
      /"name" must be a non-empty string/,
    );
    expect(() => defineJob({ name: "j", every: "daily", output: { path: "x" }, run })).toThrow(
      /job "j": invalid window period "daily"/,
    );
    expect(() =>
      defineJob({ name: "j", every: "1d", timeZone: "Nowhere/City", output: { path: "x" }, run }),
    ).toThrow(/job "j": unknown time zone "Nowhere\/City"/);
    expect(() =>
      defineJob({ name: "j", every: "1d", lateness: "a bit", output: { path: "x" }, run }),
    ).toThrow(/job "j": invalid lateness "a bit"/);
    expect(() => defineJob({ name: "j", every: "1d", output: { path: "" }, run })).toThrow(
      /"output.path" must be a non-empty string/,
    );
    expect(() =>
      defineJob({ name: "j", every: "1d", output: { path: "x", partitionBy: ["window_start"] }, run }),
    ).toThrow(/must not name window_start/);
    expect(() => defineJob({ name: "j", every: "1d", output: { path: "x" } } as never)).toThrow(
      /"run" must be a function/,
    );
  });

  it("returns a branded, parsed job", () => {
    const j = defineJob({
      name: "j",
      every: "1h",
      timeZone: "Europe/Paris",
      output: { path: "x", partitionBy: { a: ["k"] } },
      run,
    });
    expect(isJob(j)).toBe(true);
    expect(isJob({ ...j })).toBe(true);
    expect(isJob({ name: "j" })).toBe(false);
    expect(j.clock).toMatchObject({ timeZone: "Europe/Paris", period: { text: "1h" } });
    expect(partitionColumnsFor(j, "a")).toEqual(["k"]);
    expect(partitionColumnsFor(j, "b")).toEqual([]);
  });
});
