import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recoverCommits } from "../../engine/io/commit.js";
import { committer, runJob, writeAttempt } from "./commit-helpers.js";
import { snapshot, tempDir, writeTree } from "./helpers.js";

let dir: string;
let out: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  out = join(dir, "out");
});
afterEach(() => cleanup());

const OLD = {
  "a=1/part-0-old.parquet": "old-a1",
  "a=2/part-0-old.parquet": "old-a2",
  _SUCCESS: "",
};

describe("FileCommitter modes", () => {
  it("writes a new output with _SUCCESS and no staging left", async () => {
    const r = await runJob(out, "error", [
      { p: 0, files: { "part-00000-j.parquet": "x" } },
      { p: 1, files: { "part-00001-j.parquet": "yy" } },
    ]);
    expect(r).toMatchObject({
      written: true,
      files: ["part-00000-j.parquet", "part-00001-j.parquet"],
      rows: 3,
    });
    expect(snapshot(out, { withTemporary: true })).toEqual({
      "part-00000-j.parquet": "x",
      "part-00001-j.parquet": "yy",
      _SUCCESS: "",
    });
  });

  it("error mode refuses an existing output; an output holding only _temporary counts as empty", async () => {
    writeTree(out, OLD);
    const c = committer(out, "error");
    expect(() => c.setupJob()).toThrow(/already exists/);
    expect(snapshot(out)).toEqual({ ...OLD, "a=1/": "<dir>", "a=2/": "<dir>" });
    const { dir: d2, cleanup: c2 } = tempDir();
    try {
      writeTree(d2, { "_temporary/": "" });
      expect((await runJob(d2, "error", [{ p: 0, files: { "f.parquet": "1" } }])).written).toBe(true);
    } finally {
      c2();
    }
  });

  it("refuses an output path that is a file (ignore mode skips it)", () => {
    writeFileSync(out, "x");
    expect(() => committer(out, "overwrite").setupJob()).toThrow(/is a file/);
    expect(() => committer(out, "append").setupJob()).toThrow(/is a file/);
    expect(() => committer(out, "error").setupJob()).toThrow(/already exists/);
    expect(committer(out, "ignore").setupJob()).toBe(false);
  });

  it("ignore mode skips the job when data exists and writes when it does not", async () => {
    writeTree(out, OLD);
    const r = await runJob(out, "ignore", [{ p: 0, files: { "new.parquet": "n" } }]);
    expect(r.written).toBe(false);
    expect(existsSync(join(out, "_temporary"))).toBe(false);
    const fresh = join(dir, "fresh");
    expect((await runJob(fresh, "ignore", [{ p: 0, files: { "new.parquet": "n" } }])).written).toBe(true);
    expect(snapshot(fresh)).toEqual({ "new.parquet": "n", _SUCCESS: "" });
  });

  it("append adds files, merging into existing partition directories", async () => {
    writeTree(out, OLD);
    await runJob(out, "append", [
      { p: 0, files: { "a=1/part-00000-new.parquet": "new-a1", "a=3/part-00000-new.parquet": "new-a3" } },
    ]);
    expect(snapshot(out)).toEqual({
      "a=1/": "<dir>",
      "a=1/part-0-old.parquet": "old-a1",
      "a=1/part-00000-new.parquet": "new-a1",
      "a=2/": "<dir>",
      "a=2/part-0-old.parquet": "old-a2",
      "a=3/": "<dir>",
      "a=3/part-00000-new.parquet": "new-a3",
      _SUCCESS: "",
    });
  });

  it("append refuses to replace a file of the same name and leaves the output as it was", async () => {
    writeTree(out, OLD);
    await expect(
      runJob(out, "append", [{ p: 0, files: { "a=1/part-0-old.parquet": "clash" } }]),
    ).rejects.toThrow(/already exists; the previous output is unchanged/);
    expect(snapshot(out, { withTemporary: true })).toEqual({ ...OLD, "a=1/": "<dir>", "a=2/": "<dir>" });
  });

  it("static overwrite replaces everything but other jobs' staging and _kindling", async () => {
    writeTree(out, {
      ...OLD,
      "loose.parquet": "l",
      ".hidden": "h",
      "_kindling/runs.jsonl": "log",
      "_temporary/other/x": "1",
    });
    await runJob(out, "overwrite", [{ p: 0, files: { "a=2/part-00000-new.parquet": "new-a2" } }]);
    expect(snapshot(out, { withTemporary: true })).toEqual({
      "_kindling/": "<dir>",
      "_kindling/runs.jsonl": "log",
      "_temporary/": "<dir>",
      "_temporary/other/": "<dir>",
      "_temporary/other/x": "1",
      "a=2/": "<dir>",
      "a=2/part-00000-new.parquet": "new-a2",
      _SUCCESS: "",
    });
  });

  it("dynamic overwrite replaces only the partitions written", async () => {
    writeTree(out, { ...OLD, "a=3/b=1/part-0-old.parquet": "old-a3" });
    const { dir: d2, cleanup: c2 } = tempDir();
    try {
      await runJob(
        out,
        "overwrite",
        [
          { p: 0, files: { "a=2/part-00000-new.parquet": "new-a2" } },
          {
            p: 1,
            files: { "a=4/part-00001-new.parquet": "new-a4", "a=2/part-00001-new.parquet": "new-a2b" },
          },
        ],
        { partitionOverwriteMode: "dynamic" },
      );
      expect(snapshot(out, { withTemporary: true })).toEqual({
        "a=1/": "<dir>",
        "a=1/part-0-old.parquet": "old-a1",
        "a=2/": "<dir>",
        "a=2/part-00000-new.parquet": "new-a2",
        "a=2/part-00001-new.parquet": "new-a2b",
        "a=3/": "<dir>",
        "a=3/b=1/": "<dir>",
        "a=3/b=1/part-0-old.parquet": "old-a3",
        "a=4/": "<dir>",
        "a=4/part-00001-new.parquet": "new-a4",
        _SUCCESS: "",
      });
      // Nested partitions: only the leaf directories written are replaced.
      writeTree(d2, { "x=1/y=1/old": "o11", "x=1/y=2/old": "o12" });
      await runJob(d2, "overwrite", [{ p: 0, files: { "x=1/y=2/new": "n12", "x=2/y=1/new": "n21" } }], {
        partitionOverwriteMode: "dynamic",
      });
      expect(snapshot(d2)).toEqual({
        "x=1/": "<dir>",
        "x=1/y=1/": "<dir>",
        "x=1/y=1/old": "o11",
        "x=1/y=2/": "<dir>",
        "x=1/y=2/new": "n12",
        "x=2/": "<dir>",
        "x=2/y=1/": "<dir>",
        "x=2/y=1/new": "n21",
        _SUCCESS: "",
      });
    } finally {
      c2();
    }
  });

  it("dynamic overwrite without partition directories replaces everything; with no files, nothing", async () => {
    writeTree(out, OLD);
    await runJob(out, "overwrite", [], { partitionOverwriteMode: "dynamic" });
    expect(snapshot(out)).toEqual({ ...OLD, "a=1/": "<dir>", "a=2/": "<dir>" });
    await runJob(out, "overwrite", [{ p: 0, files: { "part-0.parquet": "n" } }], {
      partitionOverwriteMode: "dynamic",
    });
    expect(snapshot(out)).toEqual({ "part-0.parquet": "n", _SUCCESS: "" });
  });
});

describe("FileCommitter tasks", () => {
  it("keeps only the first committed attempt of a partition", async () => {
    const c = committer(out, "error");
    c.setupJob();
    const a0 = writeAttempt(c, { p: 0, a: 0, files: { "part-00000-a0.parquet": "first" } });
    const a1 = writeAttempt(c, { p: 0, a: 1, files: { "part-00000-a1.parquet": "second" } });
    const b0 = writeAttempt(c, { p: 1, a: 0, files: { "part-00001-b0.parquet": "lost" } });
    const b1 = writeAttempt(c, { p: 1, a: 1, files: { "part-00001-b1.parquet": "retry" } });
    expect(c.commitTask(0, 1, a1)).toBe(true);
    expect(c.commitTask(0, 0, a0)).toBe(false); // late duplicate
    expect(c.commitTask(0, 1, a1)).toBe(true); // the same attempt again is idempotent
    c.abortTask(1, 0); // a failed attempt
    expect(c.commitTask(1, 1, b1)).toBe(true);
    expect(existsSync(c.attemptDir(0, 0))).toBe(false);
    expect(existsSync(c.attemptDir(1, 0))).toBe(false);
    void b0;
    const r = await c.commitJob();
    expect(r.files).toEqual(["part-00000-a1.parquet", "part-00001-b1.parquet"]);
    expect(snapshot(out, { withTemporary: true })).toEqual({
      "part-00000-a1.parquet": "second",
      "part-00001-b1.parquet": "retry",
      _SUCCESS: "",
    });
  });

  it("rejects file paths that escape the attempt or that readers would skip, and missing files", () => {
    const c = committer(out, "error");
    c.setupJob();
    writeAttempt(c, { p: 0, files: { "ok.parquet": "1" } });
    for (const bad of [
      "../x.parquet",
      "/abs.parquet",
      "a/../../x",
      "_hidden.parquet",
      ".dot",
      "_temporary/x",
    ]) {
      expect(() => c.commitTask(0, 0, [{ path: bad, rows: 1, bytes: 1 }])).toThrow(/invalid file path/);
    }
    expect(() => c.commitTask(0, 0, [{ path: "missing.parquet", rows: 1, bytes: 1 }])).toThrow(/not in/);
    expect(c.commitTask(0, 0, [{ path: "ok.parquet", rows: 1, bytes: 1 }])).toBe(true);
  });

  it("abortJob deletes the staging directory and leaves the old output untouched", async () => {
    writeTree(out, OLD);
    const c = committer(out, "overwrite");
    c.setupJob();
    c.commitTask(0, 0, writeAttempt(c, { p: 0, files: { "a=1/new.parquet": "n" } }));
    writeAttempt(c, { p: 1, files: { "a=2/new.parquet": "n" } });
    c.abortJob();
    expect(snapshot(out, { withTemporary: true })).toEqual({ ...OLD, "a=1/": "<dir>", "a=2/": "<dir>" });
    await expect(c.commitJob()).rejects.toThrow(/aborted/);
    expect(() => c.commitTask(2, 0, [])).toThrow(/aborted/);
  });

  it("refuses a reused job id", () => {
    const a = committer(out, "append", { jobId: "same" });
    a.setupJob();
    expect(() => committer(out, "append", { jobId: "same" }).setupJob()).toThrow(
      /already has a staging directory/,
    );
    expect(() => committer(out, "append", { jobId: "../x" })).toThrow(/invalid job id/);
    a.abortJob();
  });

  it("recovery leaves a live job's staging alone", () => {
    const c = committer(out, "error");
    c.setupJob();
    writeAttempt(c, { p: 0, files: { "f.parquet": "1" } });
    recoverCommits(out);
    expect(existsSync(c.attemptDir(0, 0))).toBe(true);
    c.abortJob();
    expect(existsSync(join(out, "_temporary"))).toBe(false);
  });
});
