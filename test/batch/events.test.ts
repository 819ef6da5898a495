// Each run of a window job keeps a JSON-lines event log of its jobs, stages and tasks.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob } from "../../engine/batch/job.js";
import { eventLogPath } from "../../engine/batch/layout.js";
import { runWindows } from "../../engine/batch/runner.js";
import { parseWindow } from "../../engine/batch/window.js";
import { col, functions as F, Session } from "../../index.js";

let dir: string;
let spark: Session;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kindling-run-events-"));
  spark = await Session.builder().master("local[2]").getOrCreate();
});
afterAll(async () => {
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("run event log", () => {
  it("records the jobs, stages and tasks of a run under _kindling/events/<run>.jsonl", async () => {
    const out = join(dir, "out");
    const job = defineJob({
      name: "counts",
      every: "1d",
      output: { path: out },
      run: ({ spark }) =>
        spark.range(100_000).groupBy(col("id").mod(3).alias("k")).agg(F.count("*").alias("n")),
    });
    const s = await runWindows(job, [parseWindow(job.clock, "2021-03-01")], {
      spark,
      retries: 0,
      backoffMs: 0,
    });
    expect(s.ok).toBe(true);
    const events = readFileSync(eventLogPath(out, s.runId), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; status?: string; kind?: string });
    expect(events.filter((e) => e.event === "JobStart").length).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.event === "StageSubmitted" && e.kind === "shuffle")).toBe(true);
    expect(events.some((e) => e.event === "StageSubmitted" && e.kind === "write")).toBe(true);
    expect(events.filter((e) => e.event === "JobEnd").every((e) => e.status === "succeeded")).toBe(true);
  });
});
