// Window jobs end to end on the real engine: one window, a range, catch-up over committed
// windows, idempotent re-runs that replace exactly one window, empty windows, reading back.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob } from "../../engine/batch/job.js";
import { readManifest } from "../../engine/batch/manifest.js";
import { runWindows } from "../../engine/batch/runner.js";
import { selectCatchUp, selectRange } from "../../engine/batch/select.js";
import { committedWindowIds } from "../../engine/batch/state.js";
import { parseWindow, windowDirName } from "../../engine/batch/window.js";
import { col, Session } from "../../index.js";
import { writeTripsCsv } from "./fixtures/trips.js";

let dir: string;
let trips: string;
let spark: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kindling-e2e-"));
  trips = writeTripsCsv(dir);
  spark = await Session.builder().master("local[2]").getOrCreate();
});
afterAll(async () => {
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A daily job over the trips CSV; `green-only` in args drops the yellow trips. */
const tripsJob = (out: string) =>
  defineJob({
    name: "daily-trips",
    every: "1d",
    output: { path: out, partitionBy: ["service_type"] },
    run: ({ spark, window, args }) => {
      let df = spark.read
        .option("header", true)
        .option("inferSchema", true)
        .csv(trips)
        .where(col("pickup_datetime").geq(window.start).and(col("pickup_datetime").lt(window.end)));
      if (args.includes("green-only")) df = df.where(col("service_type").eq("green"));
      return df;
    },
  });

const NOW = Date.parse("2021-04-01T00:00:00Z");
const opts = (extra: object = {}) => ({ spark, backoffMs: 0, retries: 0, ...extra });
const wdir = (out: string, id: string) => join(out, windowDirName(id));

/** Every file under `root` (relative), with its mtime, skipping nothing. */
function snapshot(root: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else files.set(relative(root, p), st.mtimeMs);
    }
  };
  walk(root);
  return files;
}

async function readBack(out: string): Promise<string[]> {
  const rows = await spark.read.parquet(out).collect();
  return rows
    .map(
      (r) =>
        `${(r.window_start as Date).toISOString()}|${(r.pickup_datetime as Date).toISOString()}|${r.service_type}|${r.amount}`,
    )
    .sort();
}

describe("window jobs on the engine", () => {
  it("runs one window and reads it back with window_start as a timestamp", async () => {
    const out = join(dir, "one");
    const job = tripsJob(out);
    const s = await runWindows(job, [parseWindow(job.clock, "2021-03-01")], opts({ scriptSha256: "f00d" }));
    expect(s.windows).toMatchObject([{ status: "succeeded", rows: 48, attempts: 1 }]);
    const w = wdir(out, "2021-03-01T00:00:00Z");
    expect(readdirSync(w).sort()).toEqual([
      "_SUCCESS",
      "_manifest.json",
      "service_type=green",
      "service_type=yellow",
    ]);
    const m = readManifest(w)!;
    expect(m).toMatchObject({
      job: "daily-trips",
      scriptSha256: "f00d",
      window: {
        start: "2021-03-01T00:00:00Z",
        end: "2021-03-02T00:00:00Z",
        label: "2021-03-01",
        period: "1d",
        timeZone: "UTC",
      },
      rows: 48,
      partitionBy: ["service_type"],
      attempt: 1,
      runId: s.runId,
    });
    expect(m.schema.map((f) => `${f.name}:${f.type}`)).toEqual([
      "pickup_datetime:timestamp",
      "amount:double",
    ]);
    expect(m.files.map((f) => f.path.split("/")[0])).toEqual(["service_type=green", "service_type=yellow"]);
    const back = spark.read.parquet(out);
    expect(back.schema.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      "pickup_datetime:timestamp",
      "amount:float64",
      "window_start:timestamp",
      "service_type:string",
    ]);
    const rows = await back.collect();
    expect(rows).toHaveLength(48);
    expect(new Set(rows.map((r) => (r.window_start as Date).toISOString()))).toEqual(
      new Set(["2021-03-01T00:00:00.000Z"]),
    );
    expect(await back.where(col("window_start").eq(new Date("2021-03-01T00:00:00Z"))).count()).toBe(48);
  });

  it("runs a range of windows", async () => {
    const out = join(dir, "range");
    const job = tripsJob(out);
    const s = await runWindows(job, selectRange(job, "2021-03-01", "2021-03-04", { nowMs: NOW }), opts());
    expect(s.windows.map((o) => [o.window.label, o.status, o.rows])).toEqual([
      ["2021-03-01", "succeeded", 48],
      ["2021-03-02", "succeeded", 48],
      ["2021-03-03", "succeeded", 48],
    ]);
    const back = await readBack(out);
    expect(back).toHaveLength(144);
    // Every row sits in the window that holds its pickup time.
    for (const r of back) {
      const [ws, pickup] = r.split("|") as [string, string];
      expect(pickup.slice(0, 10)).toBe(ws.slice(0, 10));
    }
  });

  it("catches up only the windows without committed output", async () => {
    const out = join(dir, "catchup");
    const job = tripsJob(out);
    await runWindows(
      job,
      [parseWindow(job.clock, "2021-03-01"), parseWindow(job.clock, "2021-03-03")],
      opts(),
    );
    const before = readManifest(wdir(out, "2021-03-01T00:00:00Z"))!.runId;
    const sel = selectCatchUp(job, {
      since: "2021-03-01",
      until: "2021-03-06",
      nowMs: NOW,
      committed: committedWindowIds(out),
    });
    expect(sel.windows.map((w) => w.label)).toEqual(["2021-03-02", "2021-03-04", "2021-03-05"]);
    expect(sel.committed).toBe(2);
    const s = await runWindows(job, sel.windows, opts({ parallel: 2 }));
    expect(s.ok).toBe(true);
    expect(readManifest(wdir(out, "2021-03-01T00:00:00Z"))!.runId).toBe(before);
    expect(committedWindowIds(out).size).toBe(5);
    expect(
      selectCatchUp(job, {
        since: "2021-03-01",
        until: "2021-03-06",
        nowMs: NOW,
        committed: committedWindowIds(out),
      }).windows,
    ).toEqual([]);
    expect(await readBack(out)).toHaveLength(48 * 4 + 24);
  });

  it("re-running a window replaces exactly that window", async () => {
    const out = join(dir, "rerun");
    const job = tripsJob(out);
    await runWindows(job, selectRange(job, "2021-03-01", "2021-03-04", { nowMs: NOW }), opts());
    const rowsBefore = await readBack(out);
    const snapBefore = snapshot(out);
    const target = parseWindow(job.clock, "2021-03-02");
    const again = await runWindows(job, [target], opts());
    expect(again.windows[0]!.rows).toBe(48);
    // Same rows; the other windows' files untouched; the re-run window has new files.
    expect(await readBack(out)).toEqual(rowsBefore);
    const snapAfter = snapshot(out);
    const inWindow = (p: string, id: string) => p.startsWith(`${windowDirName(id)}/`);
    for (const [p, mtime] of snapBefore) {
      if (inWindow(p, target.id) || p.startsWith("_kindling/")) continue;
      expect(snapAfter.get(p), p).toBe(mtime);
    }
    const dataFiles = (snap: Map<string, number>) =>
      [...snap.keys()].filter((p) => inWindow(p, target.id) && p.endsWith(".parquet"));
    expect(dataFiles(snapAfter)).toHaveLength(2);
    expect(dataFiles(snapAfter).filter((p) => snapBefore.has(p))).toEqual([]);
    expect(readManifest(wdir(out, target.id))!.runId).toBe(again.runId);

    // A re-run that no longer produces a partition removes it from that window only.
    await runWindows(job, [target], opts({ args: ["green-only"] }));
    expect(readdirSync(wdir(out, target.id)).filter((n) => !n.startsWith("_"))).toEqual([
      "service_type=green",
    ]);
    expect(readdirSync(wdir(out, "2021-03-01T00:00:00Z")).filter((n) => !n.startsWith("_"))).toEqual([
      "service_type=green",
      "service_type=yellow",
    ]);
    const greenOnly = await readBack(out);
    expect(greenOnly.filter((r) => r.startsWith("2021-03-02") && r.includes("|yellow|"))).toEqual([]);
    expect(greenOnly.filter((r) => r.startsWith("2021-03-01"))).toHaveLength(48);
  });

  it("a window without rows becomes an empty committed window", async () => {
    const out = join(dir, "empty");
    const job = tripsJob(out);
    await runWindows(job, [parseWindow(job.clock, "2021-03-01")], opts());
    const s = await runWindows(job, [parseWindow(job.clock, "2021-03-20")], opts());
    expect(s.windows[0]).toMatchObject({ status: "succeeded", rows: 0 });
    const w = wdir(out, "2021-03-20T00:00:00Z");
    expect(readManifest(w)).toMatchObject({ rows: 0 });
    expect(committedWindowIds(out).has("2021-03-20T00:00:00Z")).toBe(true);
    expect(await spark.read.parquet(out).count()).toBe(48);
  });

  it("writes named outputs as datasets of their own", async () => {
    const out = join(dir, "named");
    const job = defineJob({
      name: "named",
      every: "1d",
      output: { path: out, partitionBy: { trips: ["service_type"] } },
      run: ({ spark, window }) => {
        const t = spark.read
          .option("header", true)
          .option("inferSchema", true)
          .csv(trips)
          .where(col("pickup_datetime").geq(window.start).and(col("pickup_datetime").lt(window.end)));
        return { trips: t, big: t.where(col("amount").gt(10)).select("pickup_datetime", "amount") };
      },
    });
    const s = await runWindows(job, selectRange(job, "2021-03-01", "2021-03-03", { nowMs: NOW }), opts());
    // Trip i has amount (i % 17) + 0.5; day d holds trips 48d .. 48d + 47.
    const bigOf = (d: number) =>
      Array.from({ length: 48 }, (_, k) => (48 * d + k) % 17).filter((a) => a + 0.5 > 10).length;
    expect(s.windows.map((o) => o.rows)).toEqual([48 + bigOf(0), 48 + bigOf(1)]);
    expect(readdirSync(out).sort()).toEqual(["_kindling", "big", "trips"]);
    expect(readdirSync(wdir(join(out, "trips"), "2021-03-01T00:00:00Z")).sort()).toEqual([
      "_SUCCESS",
      "_manifest.json",
      "service_type=green",
      "service_type=yellow",
    ]);
    expect(readManifest(wdir(join(out, "big"), "2021-03-02T00:00:00Z"))).toMatchObject({
      output: "big",
      outputs: ["trips", "big"],
      rows: bigOf(1),
    });
    expect([...committedWindowIds(out)]).toEqual(["2021-03-01T00:00:00Z", "2021-03-02T00:00:00Z"]);
    expect(await spark.read.parquet(join(out, "trips")).count()).toBe(96);
    const big = spark.read.parquet(join(out, "big"));
    expect(big.columns).toEqual(["pickup_datetime", "amount", "window_start"]);
    expect(await big.count()).toBe(bigOf(0) + bigOf(1));
  });

  it("fails a window whose output is wrong, naming the problem, and runs the others", async () => {
    const out = join(dir, "bad");
    const job = defineJob({
      name: "bad",
      every: "1d",
      output: { path: out, partitionBy: ["no_such_column"] },
      run: ({ spark }) => spark.read.option("header", true).csv(trips),
    });
    const s = await runWindows(job, [parseWindow(job.clock, "2021-03-01")], opts());
    expect(s.windows[0]!.status).toBe("failed");
    expect(s.windows[0]!.error).toMatch(/no_such_column/);
    writeFileSync(join(dir, "a-file"), "x");
    await expect(
      runWindows(tripsJob(join(dir, "a-file")), [parseWindow(job.clock, "2021-03-01")], opts()),
    ).rejects.toThrow(/output path .*a-file is a file, not a directory/);
  });
});
