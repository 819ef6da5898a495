// The README's first command runs this demo: it must work end to end on a fresh directory,
// and running it again must replace each day's window, not add to it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runDemo } from "../client/demo.js";
import { Session } from "../index.js";

const dir = mkdtempSync(join(tmpdir(), "kindling-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run demo", () => {
  it("ingests and reports every daily window, and re-runs idempotently", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await runDemo(dir);
      await runDemo(dir);
    } finally {
      log.mockRestore();
    }
    const spark = await Session.builder().master("local[2]").getOrCreate();
    try {
      const clean = spark.read.parquet(join(dir, "clean", "trips"));
      expect(clean.columns).toContain("window_start");
      expect(await clean.count()).toBe(94_069);
      const report = spark.read.parquet(join(dir, "report", "daily_revenue"));
      const rows = await report.groupBy("window_start").count().orderBy("window_start").collect();
      expect(rows.map((r) => (r.window_start as Date).toISOString())).toEqual([
        "2021-03-01T00:00:00.000Z",
        "2021-03-02T00:00:00.000Z",
        "2021-03-03T00:00:00.000Z",
      ]);
    } finally {
      await spark.stop();
    }
  });
});
