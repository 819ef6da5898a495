// Cluster shuffles, second cut: a map task's blocks stay on the worker that ran it and reduce
// tasks' workers fetch them from each other (the driver relays none); a worker SIGKILLed after
// the map stage costs only its own map tasks, which rerun, and the answer is local mode's;
// block ids that are not ids are refused; finished jobs leave no blocks behind.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchClusterStatus } from "../../client/commands/status.js";
import type { BlockStore } from "../../engine/exec/block-store.js";
import { col, type DataFrame, F, type JobListener, Session } from "../../index.js";
import { type BlockCounters, WorkerState } from "../../proto/gen/cluster.js";
import type { ClusterExecutor } from "../../worker/grpc/cluster-executor.js";
import { blocksClient } from "../../worker/grpc/fetch.js";
import { renderRows } from "../query-runner.js";
import { startCluster, type TestCluster, waitUntil } from "./harness.js";

const SECRET = randomBytes(16).toString("hex");
const saved = { secret: process.env.KINDLING_SECRET, master: process.env.KINDLING_MASTER };
let dir: string;
let cluster: TestCluster;
let expected: Map<string, string[]>;

/** Four CSV files of 20k events over 4000 keys: every reduce partition reads every map. */
function writeData(root: string): void {
  let seed = 777;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  mkdirSync(join(root, "events"));
  let id = 0;
  for (let f = 0; f < 4; f++) {
    const lines = ["id,k,v,tag"];
    for (let i = 0; i < 20_000; i++) {
      const k = Math.floor(rand() * 4000);
      lines.push(`${id++},${k},${Math.floor(rand() * 1_000_000) / 100},t${k % 37}`);
    }
    writeFileSync(join(root, "events", `part-${f}.csv`), `${lines.join("\n")}\n`);
  }
}

/** Shuffle-heavy queries: a wide group-by, a shuffled self-join, a global sort. */
function queries(spark: Session): Record<string, () => DataFrame> {
  const events = () => spark.read.option("header", true).option("inferSchema", true).csv(join(dir, "events"));
  return {
    groupBy: () =>
      events().groupBy("k").agg(F.count("*").alias("n"), F.sum("v").alias("s"), F.max("tag").alias("t")),
    join: () => {
      const a = events().groupBy("k").agg(F.count("*").alias("n"));
      const b = events().where(col("v").gt(5000)).select("k", "id");
      return a.join(b, "k").groupBy("n").agg(F.count("*").alias("c"), F.sum("id").alias("ids"));
    },
    sort: () => events().orderBy(col("v").desc(), col("id")).limit(100),
  };
}

async function run(spark: Session, names: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const qs = queries(spark);
  for (const name of names) {
    const rows = await renderRows(qs[name]!());
    out.set(name, name === "sort" ? rows : [...rows].sort());
  }
  return out;
}

async function clusterSession(conf: Record<string, string | number> = {}): Promise<Session> {
  await Session.getActiveSession()?.stop();
  const b = Session.builder()
    .appName("shuffle-test")
    .master(`kindling://${cluster.master}`)
    .config("kindling.sql.shuffle.partitions", 6)
    .config("kindling.sql.autoBroadcastJoinThreshold", -1);
  for (const [k, v] of Object.entries(conf)) b.config(k, v);
  return b.getOrCreate();
}

const executorOf = (s: Session) => (s as unknown as { executor: ClusterExecutor }).executor;
const blocksOf = (s: Session) => (s as unknown as { blocks: BlockStore }).blocks;

/** Block counters summed over the live workers, as of their last heartbeats. */
async function blockTotals(): Promise<Record<keyof BlockCounters, number>> {
  const s = await fetchClusterStatus(cluster.master);
  const sum = {} as Record<keyof BlockCounters, number>;
  for (const w of s.workers) {
    if (w.state !== WorkerState.WORKER_STATE_ALIVE || !w.blocks) continue;
    for (const [k, v] of Object.entries(w.blocks)) {
      const key = k as keyof BlockCounters;
      sum[key] = (sum[key] ?? 0) + Number(v);
    }
  }
  return sum;
}

/** Waits for two heartbeats (300 ms apart in tests) so that status shows fresh counters. */
const heartbeats = () => new Promise((r) => setTimeout(r, 800));

beforeAll(async () => {
  process.env.KINDLING_SECRET = SECRET;
  delete process.env.KINDLING_MASTER;
  dir = mkdtempSync(join(tmpdir(), "kindling-shuffle-data-"));
  writeData(dir);
  const starting = startCluster(3, 1);
  try {
    const local = await Session.builder()
      .master("local[2]")
      .config("kindling.sql.shuffle.partitions", 6)
      .config("kindling.sql.autoBroadcastJoinThreshold", -1)
      .getOrCreate();
    expected = await run(local, ["groupBy", "join", "sort"]);
    await local.stop();
  } finally {
    cluster = await starting;
  }
}, 120_000);

afterAll(async () => {
  await Session.getActiveSession()?.stop();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (saved.secret === undefined) delete process.env.KINDLING_SECRET;
  else process.env.KINDLING_SECRET = saved.secret;
  if (saved.master !== undefined) process.env.KINDLING_MASTER = saved.master;
});

describe("cluster shuffles", () => {
  it("keeps map outputs on the workers and fetches them worker-to-worker, never through the driver", async () => {
    const before = await blockTotals();
    const spark = await clusterSession();
    expect(await run(spark, ["groupBy", "join", "sort"])).toEqual(expected);
    const relayed = executorOf(spark).transferStats();
    await spark.stop();
    // No input block crossed the driver, and every map output stayed where it was made.
    expect(relayed.inputBytes).toBe(0);
    expect(relayed.heldMapOutputs).toBeGreaterThan(0);
    await heartbeats();
    const after = await blockTotals();
    const fetched = after.fetchedRemoteBytes - (before.fetchedRemoteBytes ?? 0);
    const served = after.servedBytes - (before.servedBytes ?? 0);
    expect(fetched).toBeGreaterThan(100_000);
    // What reducers fetched from other workers is exactly what those workers served.
    expect(served).toBe(fetched);
    // Jobs remove their shuffles when they end: nothing is left on the workers.
    await waitUntil(async () => (await blockTotals()).heldBlocks === 0, 10_000, "blocks removed");
  });

  it("reruns only the lost map tasks when a worker dies after the map stage", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "kindling-shuffle-events-"));
    // Reduce tasks (stage 1) wait a moment, so the victim is surely dead when they fetch.
    const spark = await clusterSession({
      "kindling.eventLog.dir": logDir,
      "kindling.testing.chaos": "delay:300ms:stage=1",
    });
    expect(spark.parallelism).toBe(3);
    let victimMaps: number[] = [];
    let victim = "";
    const killer: JobListener = {
      onStageEnd: (_job, stageId, ok) => {
        if (stageId !== 0 || !ok || victim) return;
        // The first map stage is done: kill a worker that holds some (not all) of its outputs.
        const holders = blocksOf(spark).holders(0);
        const counts = new Map<string, number>();
        for (const h of holders) if (h) counts.set(h, (counts.get(h) ?? 0) + 1);
        victim = [...counts.keys()].find((w) => counts.get(w)! < holders.length) ?? "";
        victimMaps = holders.flatMap((h, i) => (h === victim ? [i] : []));
        // Its own start line ends with its id in parentheses (others may log its id too).
        const proc = cluster.workers.find(
          (p) => p.child.exitCode === null && p.output().includes(`(${victim})`),
        );
        proc?.child.kill("SIGKILL");
      },
    };
    spark.addListener(killer);
    const got = await run(spark, ["groupBy"]);
    await spark.stop();
    expect(victim).not.toBe("");
    expect(victimMaps.length).toBeGreaterThan(0);
    expect(got).toEqual(new Map([["groupBy", expected.get("groupBy")]]));
    // The event log: map tasks of stage 0 that succeeded twice are exactly the victim's.
    const [file] = readdirSync(logDir);
    const events = readFileSync(join(logDir, file!), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; stageId?: number; partition?: number; status?: string });
    const mapRuns = new Map<number, number>();
    for (const e of events) {
      if (e.event === "TaskEnd" && e.stageId === 0 && e.status === "succeeded")
        mapRuns.set(e.partition!, (mapRuns.get(e.partition!) ?? 0) + 1);
    }
    const rerun = [...mapRuns].filter(([, n]) => n > 1).map(([p]) => p);
    expect(rerun.sort()).toEqual([...victimMaps].sort());
    expect(mapRuns.size).toBeGreaterThan(victimMaps.length);
    // The map stage was resubmitted once, for the lost tasks only.
    expect(events.filter((e) => e.event === "StageSubmitted" && e.stageId === 0).length).toBe(2);
    rmSync(logDir, { recursive: true, force: true });
    await cluster.addWorker();
  }, 60_000);

  it("reruns a holder's map tasks when its blocks are gone (FetchFailed: not found)", async () => {
    const spark = await clusterSession({ "kindling.testing.chaos": "delay:300ms:stage=1" });
    const ex = executorOf(spark);
    let holder = "";
    let holderMaps: number[] = [];
    spark.addListener({
      onStageEnd: (_job, stageId, ok) => {
        if (stageId !== 0 || !ok || holder) return;
        // Drop one holder's blocks behind the driver's back, as a restarted worker would have.
        const holders = blocksOf(spark).holders(0);
        holder = holders.find((h) => h) ?? "";
        holderMaps = holders.flatMap((h, i) => (h === holder ? [i] : []));
        const w = ex.workers().find((x) => x.id === holder)!;
        const client = blocksClient(w.address, { secret: SECRET, tls: undefined });
        client.removeShuffles({ namespace: ex.blockNamespace, shuffleIds: [], all: true }, () =>
          client.close(),
        );
      },
    });
    const runs = new Map<number, number>();
    const failures: string[] = [];
    spark.addListener({
      onTaskEnd: (_job, stageId, partition, _attempt, o) => {
        if (stageId === 0 && o.ok) runs.set(partition, (runs.get(partition) ?? 0) + 1);
        if (stageId === 1 && !o.ok) failures.push(o.error ?? "");
      },
    });
    expect(await run(spark, ["groupBy"])).toEqual(new Map([["groupBy", expected.get("groupBy")]]));
    await spark.stop();
    expect(holderMaps.length).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures)
      expect(f).toMatch(
        new RegExp(`FetchFailed: block \\(shuffle 0, map \\d+, reduce \\d+\\) from worker ${holder}`),
      );
    expect(
      [...runs]
        .filter(([, n]) => n > 1)
        .map(([p]) => p)
        .sort(),
    ).toEqual(holderMaps.sort());
  });

  it("forgets the map outputs of a worker the master stops listing", async () => {
    const spark = await clusterSession();
    const ex = executorOf(spark);
    const [gone, ...rest] = ex.workers();
    const store = blocksOf(spark);
    store.declareShuffle(99, 2);
    store.putHeldMapOutput(99, 0, { workerId: gone!.id, address: gone!.address }, [10]);
    store.putHeldMapOutput(99, 1, { workerId: rest[0]!.id, address: rest[0]!.address }, [10]);
    // What a heartbeat answer without that worker (declared lost after missed heartbeats) does.
    (ex as unknown as { updateWorkers(ws: unknown[]): void }).updateWorkers(rest);
    expect(store.missingMaps(99)).toEqual([0]);
    expect(ex.workers().map((w) => w.id)).not.toContain(gone!.id);
    await spark.stop();
  });

  it("refuses block ids that are not ids, and unsigned fetches", async () => {
    const s = await fetchClusterStatus(cluster.master);
    const running = cluster.workers.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const w = s.workers.find(
      (x) =>
        x.state === WorkerState.WORKER_STATE_ALIVE &&
        running.some((p) => p.output().includes(`(${x.workerId})`)),
    )!;
    const fetch = (ids: string[], secret: string | null = SECRET) =>
      new Promise<number>((resolve) => {
        const client = blocksClient(w.address, { secret: secret ?? undefined, tls: undefined });
        const call = client.fetchBlocks({ blockIds: ids }, new Metadata());
        call.on("data", () => {});
        call.on("error", (e: ServiceError) => {
          client.close();
          resolve(e.code);
        });
        call.on("end", () => {
          client.close();
          resolve(status.OK);
        });
      });
    expect(await fetch(["shuffle_abc_0_0_../../../../etc/passwd"])).toBe(status.INVALID_ARGUMENT);
    expect(await fetch(["../../etc/passwd"])).toBe(status.INVALID_ARGUMENT);
    expect(await fetch(["shuffle_abc_0_0_0", "shuffle_../x_0_0_0"])).toBe(status.INVALID_ARGUMENT);
    expect(await fetch(["/etc/passwd"])).toBe(status.INVALID_ARGUMENT);
    // Well formed but not held: NOT_FOUND (what a reducer turns into FetchFailed).
    expect(await fetch(["shuffle_abc_0_0_0"])).toBe(status.NOT_FOUND);
    expect(await fetch(["shuffle_abc_0_0_0"], "not-the-secret")).toBe(status.UNAUTHENTICATED);
    expect(await fetch(["shuffle_abc_0_0_0"], null)).toBe(status.UNAUTHENTICATED);
  });
});
