// Cluster mode end to end: a real master and three real workers on loopback (ports 0), a
// driver in this process. Queries give the same rows as local mode; a task failing twice by
// fault injection succeeds on its third attempt; one failing four times fails the job with its
// error; a retry avoids the worker it failed on; a worker SIGKILLed mid-job costs nothing but
// time; wrong secrets are refused; `kindling submit` and `kindling status` work.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchClusterStatus } from "../../client/commands/status.js";
import { col, type DataFrame, F, Session } from "../../index.js";
import { ApplicationState, WorkerState } from "../../proto/gen/cluster.js";
import { workerClient } from "../../worker/grpc/clients.js";
import { evalQuery, loadTables, parseQueryFile, renderRows } from "../query-runner.js";
import { kindling, startCluster, type TestCluster, waitUntil } from "./harness.js";

const SECRET = randomBytes(16).toString("hex");
const saved = { secret: process.env.KINDLING_SECRET, master: process.env.KINDLING_MASTER };
let dir: string;
let cluster: TestCluster;
let expected: Map<string, string[]>;

/** Four CSV files of sales and a small regions table. */
function writeData(root: string): void {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const regions = ["north", "south", "east", "west", "centre", "islands", "abroad"];
  mkdirSync(join(root, "sales"));
  let id = 0;
  for (let f = 0; f < 4; f++) {
    const lines = ["id,region,amount,qty"];
    for (let i = 0; i < 3000; i++) {
      const amount = (Math.floor(rand() * 100_000) / 100).toFixed(2);
      lines.push(
        `${id++},${regions[Math.floor(rand() * regions.length)]},${amount},${Math.floor(rand() * 20)}`,
      );
    }
    writeFileSync(join(root, "sales", `part-${f}.csv`), `${lines.join("\n")}\n`);
  }
  const countries = ["NL", "NL", "BE", "DE", "NL", "FR"];
  writeFileSync(
    join(root, "regions.csv"),
    `region,country\n${regions
      .slice(0, 6)
      .map((r, i) => `${r},${countries[i]}`)
      .join("\n")}\n`,
  );
}

/** The queries every mode must agree on; `sorted` ones are compared in order. */
function queries(spark: Session): Record<string, { df: () => DataFrame; sorted: boolean }> {
  const csv = (p: string) => spark.read.option("header", true).option("inferSchema", true).csv(join(dir, p));
  const sales = () => csv("sales");
  const regions = () => csv("regions.csv");
  return {
    filter: {
      df: () =>
        sales()
          .where(col("amount").gt(900).and(col("qty").lt(3)))
          .select("id", "region", "amount"),
      sorted: false,
    },
    groupBy: {
      df: () =>
        sales()
          .groupBy("region")
          .agg(F.sum("amount").alias("total"), F.count("*").alias("n"), F.max("qty").alias("mq")),
      sorted: false,
    },
    join: {
      df: () =>
        sales()
          .join(regions(), "region")
          .groupBy("country")
          .agg(F.sum("qty").alias("q"), F.count("*").alias("n")),
      sorted: false,
    },
    sort: { df: () => sales().orderBy(col("amount").desc(), col("id")).limit(50), sorted: true },
    distinct: { df: () => sales().select("region", "qty").distinct(), sorted: false },
  };
}

async function runAll(spark: Session, names?: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [name, q] of Object.entries(queries(spark))) {
    if (names && !names.includes(name)) continue;
    const rows = await renderRows(q.df());
    out.set(name, q.sorted ? rows : [...rows].sort());
  }
  return out;
}

/** SIGKILLs a worker once the master reports it running a task. */
async function killBusyWorker(): Promise<void> {
  let victim = -1;
  await waitUntil(
    async () => {
      const s = await fetchClusterStatus(cluster.master);
      const busy = s.workers.find((w) => w.state === WorkerState.WORKER_STATE_ALIVE && w.runningTasks > 0);
      if (!busy) return false;
      victim = cluster.workers.findIndex(
        (p) => p.child.exitCode === null && p.output().includes(`(${busy.workerId})`),
      );
      return victim >= 0;
    },
    10_000,
    "a busy worker",
  );
  cluster.workers[victim]!.child.kill("SIGKILL");
}

/** A session on the test cluster (after stopping any other). */
async function clusterSession(conf: Record<string, string> = {}): Promise<Session> {
  await Session.getActiveSession()?.stop();
  const b = Session.builder()
    .appName("cluster-test")
    .master(`kindling://${cluster.master}`)
    .config("kindling.sql.shuffle.partitions", 6);
  for (const [k, v] of Object.entries(conf)) b.config(k, v);
  return b.getOrCreate();
}

beforeAll(async () => {
  process.env.KINDLING_SECRET = SECRET;
  delete process.env.KINDLING_MASTER;
  dir = mkdtempSync(join(tmpdir(), "kindling-cluster-data-"));
  writeData(dir);
  const starting = startCluster(3, 1);
  try {
    const local = await Session.builder()
      .master("local[2]")
      .config("kindling.sql.shuffle.partitions", 6)
      .getOrCreate();
    expected = await runAll(local);
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

describe("cluster mode", () => {
  it("runs filter, group-by, join, sort and distinct with the same rows as local mode", async () => {
    const spark = await clusterSession();
    expect(spark.parallelism).toBe(3);
    expect(await runAll(spark)).toEqual(expected);
    // A shuffled join too (no broadcast).
    spark.conf.set("kindling.sql.autoBroadcastJoinThreshold", -1);
    expect(await runAll(spark, ["join"])).toEqual(new Map([["join", expected.get("join")]]));
    await spark.stop();
  });

  it("answers the query-test files as local mode does", async () => {
    const spark = await clusterSession();
    spark.conf.unset("kindling.sql.shuffle.partitions");
    const qdir = join(import.meta.dirname, "..", "queries");
    const t0 = Date.now();
    let n = 0;
    for (const f of readdirSync(qdir)
      .filter((x) => x.endsWith(".kq"))
      .sort()) {
      const path = join(qdir, f);
      const parsed = parseQueryFile(path);
      for (const c of parsed.cases) {
        const where = `${f}:${c.line}`;
        const tables = loadTables(spark, path, parsed.tables);
        if (c.mode === "error") {
          const message = await Promise.resolve()
            .then(() => renderRows(evalQuery(spark, tables, c.query)))
            .then(
              () => "",
              (e: unknown) => (e as Error).message,
            );
          expect(message, where).toContain(c.expected.join("\n"));
        } else {
          const rows = await renderRows(evalQuery(spark, tables, c.query));
          if (c.mode === "rowsort") expect([...rows].sort(), where).toEqual([...c.expected].sort());
          else expect(rows, where).toEqual(c.expected);
        }
        n++;
      }
    }
    console.log(`${n} query-test cases on the cluster in ${Date.now() - t0} ms`);
    await spark.stop();
    // A bound, not a timing assertion: ~25 s on a busy 2-core machine, more under a full test run.
  }, 180_000);

  it("retries a task that failed twice and succeeds on the third attempt", async () => {
    const spark = await clusterSession({ "kindling.testing.chaos": "taskError:1:attempts=2" });
    expect(await runAll(spark, ["groupBy"])).toEqual(new Map([["groupBy", expected.get("groupBy")]]));
    await spark.stop();
    const app = (await fetchClusterStatus(cluster.master)).applications.at(-1)!;
    expect(app.state).toBe(ApplicationState.APPLICATION_STATE_FINISHED);
    // Every task failed exactly twice before it succeeded.
    expect(app.tasksFailed).toBe(2n * app.tasksSucceeded);
  });

  it("fails the job with the task's error after four failed attempts", async () => {
    const spark = await clusterSession({
      "kindling.testing.chaos": "taskError:1:attempts=4:stage=0:partition=1",
    });
    const err = await renderRows(queries(spark).groupBy!.df()).then(
      () => null,
      (e: unknown) => e as Error,
    );
    await spark.stop();
    expect(err?.message).toMatch(/task 0\.1 failed 4 times; last failure: chaos: injected failure/);
  });

  it("sends a retry to a worker the task has not failed on", async () => {
    const bad = await cluster.addWorker(1, ["--chaos", "taskError:1"]);
    const spark = await clusterSession();
    expect(spark.parallelism).toBe(4);
    expect(await runAll(spark, ["groupBy", "join"])).toEqual(
      new Map([
        ["groupBy", expected.get("groupBy")],
        ["join", expected.get("join")],
      ]),
    );
    await spark.stop();
    const failures = [...bad.output().matchAll(/task (\d+\.\d+) \(attempt \d+, job (\S+)\) failed/g)].map(
      (m) => `${m[2]} ${m[1]}`,
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures).size).toBe(failures.length);
    bad.child.kill("SIGTERM");
    expect(await bad.exited).toBe(0);
    await waitUntil(async () => (await cluster.liveWorkers()) === 3, 10_000, "the bad worker to leave");
  });

  it("survives a worker killed with SIGKILL in the middle of a job", async () => {
    const spark = await clusterSession({ "kindling.testing.chaos": "delay:300ms" });
    const job = runAll(spark, ["groupBy", "join", "sort"]);
    await killBusyWorker();
    const got = await job;
    await spark.stop();
    expect(got).toEqual(
      new Map([
        ["groupBy", expected.get("groupBy")],
        ["join", expected.get("join")],
        ["sort", expected.get("sort")],
      ]),
    );
    // The killed worker's running attempts failed and were rerun elsewhere.
    expect((await fetchClusterStatus(cluster.master)).applications.at(-1)!.tasksFailed).toBeGreaterThan(0n);
    await waitUntil(
      async () => (await cluster.liveWorkers()) === 2,
      10_000,
      "the master to expire the killed worker",
    );
  });

  it("commits exactly one complete output when a worker is killed during a write", async () => {
    await cluster.addWorker();
    const live = await cluster.liveWorkers();
    const out = join(dir, "out");
    const spark = await clusterSession({ "kindling.testing.chaos": "delay:300ms" });
    const agg = (s: Session) =>
      s.read
        .option("header", true)
        .option("inferSchema", true)
        .csv(join(dir, "sales"))
        .groupBy("region", "qty")
        .agg(F.sum("amount").alias("total"));
    const write = agg(spark).write.mode("overwrite").partitionBy("region").parquet(out);
    await killBusyWorker();
    const summary = await write;
    expect(summary.written).toBe(true);
    await spark.stop();
    expect(existsSync(join(out, "_SUCCESS"))).toBe(true);
    expect(existsSync(join(out, "_temporary"))).toBe(false);
    const local = await Session.builder()
      .master("local[2]")
      .config("kindling.sql.shuffle.partitions", 6)
      .getOrCreate();
    const back = await renderRows(local.read.parquet(out).select("region", "qty", "total"));
    const want = await renderRows(agg(local).select("region", "qty", "total"));
    await local.stop();
    expect([...back].sort()).toEqual([...want].sort());
    await waitUntil(
      async () => (await cluster.liveWorkers()) === live - 1,
      10_000,
      "the master to expire the killed worker",
    );
  });

  it("refuses a wrong secret with UNAUTHENTICATED and runs nothing", async () => {
    process.env.KINDLING_SECRET = "not-the-secret";
    try {
      await expect(fetchClusterStatus(cluster.master)).rejects.toThrow(/UNAUTHENTICATED/);
      await Session.getActiveSession()?.stop();
      await expect(Session.builder().master(`kindling://${cluster.master}`).getOrCreate()).rejects.toThrow(
        /UNAUTHENTICATED/,
      );
    } finally {
      process.env.KINDLING_SECRET = SECRET;
    }
    // A task launch straight to a worker, signed with the wrong secret, never starts.
    const s = await fetchClusterStatus(cluster.master);
    const w = s.workers.find((x) => x.state === WorkerState.WORKER_STATE_ALIVE)!;
    for (const secret of ["not-the-secret", undefined]) {
      const client = workerClient(w.address, { secret, tls: undefined });
      const call = client.launchTask(new Metadata());
      const code = await new Promise<number>((resolve) => {
        call.on("error", (e: { code: number }) => resolve(e.code));
        call.on("data", () => {});
        call.end();
      });
      client.close();
      expect(code).toBe(status.UNAUTHENTICATED);
    }
    const after = (await fetchClusterStatus(cluster.master)).workers.find((x) => x.workerId === w.workerId)!;
    expect(after.tasksSucceeded + after.tasksFailed).toBe(w.tasksSucceeded + w.tasksFailed);
  });

  it("runs a script with kindling submit and lists it with kindling status", async () => {
    const jobDir = join(dir, "job");
    mkdirSync(jobDir);
    writeFileSync(join(jobDir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      join(jobDir, "job.ts"),
      [
        'import { Session, col, F } from "kindling";',
        'const spark = await Session.builder().appName("submitted").master("local[2]").getOrCreate();',
        'const n: number = await spark.read.option("header", true).csv(process.argv[2]!).where(col("qty").lt(5)).count();',
        'console.log(`master=${spark.conf.get("kindling.master")} slots=${spark.parallelism} rows=${n} args=${process.argv.slice(3).join(",")}`);',
        "await spark.stop();",
        "",
      ].join("\n"),
    );
    const live = await cluster.liveWorkers();
    const local = await Session.builder().master("local[2]").getOrCreate();
    const want = await local.read
      .option("header", true)
      .csv(join(dir, "sales"))
      .where(col("qty").lt(5))
      .count();
    await local.stop();
    const p = kindling([
      "submit",
      "--master",
      `kindling://${cluster.master}`,
      join(jobDir, "job.ts"),
      "--",
      join(dir, "sales"),
      "x",
      "y",
    ]);
    expect(await p.exited, p.output()).toBe(0);
    expect(p.output()).toContain(`master=kindling://${cluster.master} slots=${live} rows=${want} args=x,y`);
    const st = kindling(["status", "--master", cluster.master]);
    expect(await st.exited, st.output()).toBe(0);
    expect(st.output()).toMatch(new RegExp(`Workers: ${live} alive, ${live} cores`));
    expect(st.output()).toMatch(/submitted\s+FINISHED/);
  });
});
