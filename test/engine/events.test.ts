// Job, stage and task events: the JSON-lines event log and the progress bar's text.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConsoleProgress } from "../../engine/exec/events.js";
import { col, Session } from "../../index.js";

describe("events", () => {
  it("writes a JSON-lines event log of jobs, stages and tasks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kindling-events-"));
    const spark = await Session.builder()
      .master("local[2]")
      .config("kindling.eventLog.dir", dir)
      .getOrCreate();
    try {
      await spark.range(200_000).groupBy(col("id").mod(7).alias("k")).count().collect();
    } finally {
      await spark.stop();
    }
    const [file] = readdirSync(dir);
    const events = readFileSync(join(dir, file!), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe("JobStart");
    expect(kinds.at(-1)).toBe("JobEnd");
    expect(events.at(-1).status).toBe("succeeded");
    // A map stage and a result stage, each with its tasks.
    expect(kinds.filter((k) => k === "StageSubmitted").length).toBe(2);
    expect(events.filter((e) => e.event === "StageSubmitted").map((e) => e.kind)).toEqual([
      "shuffle",
      "collect",
    ]);
    expect(events.filter((e) => e.event === "TaskEnd").every((e) => e.status === "succeeded")).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders Spark's progress bar", () => {
    // 40 columns: 9 for "[Stage 2:", 15 for " (12 + 2) / 40]", a 16-wide bar 12/40 full.
    const bar = ConsoleProgress.render(2, { total: 40, done: 12, running: 2 }, 40);
    expect(bar).toBe(`[Stage 2:====>${" ".repeat(11)} (12 + 2) / 40]`);
    expect(bar.length).toBe(40);
    expect(ConsoleProgress.render(0, { total: 4, done: 4, running: 0 }, 30)).toMatch(
      /^\[Stage 0:=+ \(4 \+ 0\) \/ 4\]$/,
    );
  });
});
