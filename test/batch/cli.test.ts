// `kindling run` and `kindling windows` as processes: exit codes, failing windows, bad job
// files, an output path that is a file, and a run killed (SIGKILL) in the middle of its write.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunLock } from "../../engine/batch/lock.js";
import { readManifest } from "../../engine/batch/manifest.js";
import { readRunLog } from "../../engine/batch/run-log.js";
import { windowDirName } from "../../engine/batch/window.js";
import { Session } from "../../index.js";
import { writeTripsCsv } from "./fixtures/trips.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = fileURLToPath(new URL("./fixtures/cli.ts", import.meta.url));
let dir: string;
let trips: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kindling-cli-"));
  trips = writeTripsCsv(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kindling(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A job file in the temp directory; `body` is the `run` function's source. */
function jobFile(name: string, body: string, extra = ""): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `import { defineJob, col, lit } from "kindling";
${extra}
export default defineJob({
  name: ${JSON.stringify(name)},
  every: "1d",
  output: { path: ${JSON.stringify(join(dir, "out-default"))}, partitionBy: ["service_type"] },
  run: ${body},
});
`,
  );
  return path;
}

const readTrips = `spark.read.option("header", true).option("inferSchema", true).csv(${JSON.stringify("TRIPS")})
      .where(col("pickup_datetime").geq(window.start).and(col("pickup_datetime").lt(window.end)))`;

describe("kindling run (processes)", () => {
  it("runs windows, reports a failing one with exit code 1, and the others still commit", () => {
    const job = jobFile(
      "flaky.ts",
      `({ spark, window }) => {
    if (window.label === "2021-03-02") throw new Error("no data for " + window.label);
    return ${readTrips.replace("TRIPS", trips)};
  }`,
    );
    const out = join(dir, "flaky-out");
    const r = kindling([
      "run",
      job,
      "--from",
      "2021-03-01",
      "--to",
      "2021-03-04",
      "--retries",
      "1",
      "--retry-backoff",
      "0",
      "--output",
      out,
      "--master",
      "local[1]",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("kindling run flaky.ts: 3 windows of 1d (UTC)");
    expect(r.stdout).toMatch(/2021-03-01 {2}ok {4}48 rows/);
    expect(r.stdout).toContain("2021-03-02  FAILED (attempt 1, retrying in 0 ms): no data for 2021-03-02");
    expect(r.stdout).toContain("2021-03-02  FAILED (attempt 2, giving up): no data for 2021-03-02");
    expect(r.stdout).toContain("2 of 3 windows succeeded (96 rows)");
    expect(existsSync(join(out, windowDirName("2021-03-01T00:00:00Z"), "_SUCCESS"))).toBe(true);
    expect(existsSync(join(out, windowDirName("2021-03-02T00:00:00Z")))).toBe(false);
    expect(existsSync(join(out, windowDirName("2021-03-03T00:00:00Z"), "_SUCCESS"))).toBe(true);
    expect(
      readRunLog(join(out, "_kindling", "runs.jsonl")).map((e) => `${e.label}#${e.attempt}:${e.status}`),
    ).toEqual([
      "2021-03-01#1:succeeded",
      "2021-03-02#1:failed",
      "2021-03-02#2:failed",
      "2021-03-03#1:succeeded",
    ]);
    expect(existsSync(join(out, "_kindling", "lock"))).toBe(false);

    const w = kindling(["windows", out]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/2021-03-02\s+failed\s+-\s+2\s+\S+\s+no data for 2021-03-02/);
    expect(w.stdout).toContain("2 committed, 1 failed, 0 missing");
    const json = JSON.parse(kindling(["windows", out, "--json"]).stdout);
    expect(json.windows.map((x: { status: string }) => x.status)).toEqual([
      "committed",
      "failed",
      "committed",
    ]);

    // A catch-up runs only the failed window (still failing), then the job is fixed.
    const c = kindling([
      "run",
      job,
      "--catch-up",
      "--since",
      "2021-03-01",
      "--until",
      "2021-03-04",
      "--retries",
      "0",
      "--output",
      out,
    ]);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain(
      "1 window of 1d (UTC) (catch-up through 2021-03-04T00:00:00Z; 2 already committed)",
    );
  });

  it("refuses bad input with exit code 2 and a clear message", () => {
    const good = jobFile("good.ts", `({ spark, window }) => ${readTrips.replace("TRIPS", trips)}`);
    const noDefault = join(dir, "nodefault.ts");
    writeFileSync(noDefault, "export const x = 1;\n");
    const fileOut = join(dir, "i-am-a-file");
    writeFileSync(fileOut, "x");
    const cases: [string[], RegExp][] = [
      [["run", good, "--window", "14/03/2021"], /unknown window format "14\/03\/2021"/],
      [
        ["run", good, "--window", "2021-03-14T10:00"],
        /window "2021-03-14T10:00" is not aligned to the job's period 1d/,
      ],
      [["run", good, "--window", "2999-01-01"], /has not closed yet.*use --force/],
      [
        ["run", noDefault, "--window", "2021-03-01"],
        /nodefault\.ts does not default-export a job \(it exports "x"\)/,
      ],
      [["run", join(dir, "absent.ts"), "--window", "2021-03-01"], /absent\.ts does not exist/],
      [
        ["run", good, "--window", "2021-03-01", "--output", fileOut],
        /output path .*i-am-a-file is a file, not a directory/,
      ],
      [["run", good], /give exactly one of --window, --from\/--to, or --catch-up/],
    ];
    for (const [args, message] of cases) {
      const r = kindling(args);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });

  it("is refused with exit code 3 while another run holds the output's lock", () => {
    const good = jobFile("locked.ts", `({ spark, window }) => ${readTrips.replace("TRIPS", trips)}`);
    const out = join(dir, "locked-out");
    mkdirSync(join(out, "_kindling"), { recursive: true });
    const lock = RunLock.acquire(join(out, "_kindling", "lock"), { job: "locked.ts" });
    try {
      const r = kindling(["run", good, "--window", "2021-03-01", "--output", out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(`LockHeldError: another run holds the lock .*process ${process.pid} on `),
      );
      expect(existsSync(join(out, windowDirName("2021-03-01T00:00:00Z")))).toBe(false);
    } finally {
      lock.release();
    }
  });
});

describe("a run killed in the middle of its write", () => {
  it("leaves the previous window output intact and nothing partial visible", async () => {
    const out = join(dir, "killed");
    const first = jobFile("first.ts", `({ spark, window }) => ${readTrips.replace("TRIPS", trips)}`);
    expect(kindling(["run", first, "--window", "2021-03-01", "--output", out]).code).toBe(0);
    const wdir = join(out, windowDirName("2021-03-01T00:00:00Z"));
    const before = readManifest(wdir)!;
    const beforeEntries = readdirSync(wdir).sort();

    // The second run writes millions of rows into the same window; kill it while it writes.
    const big = jobFile(
      "big.ts",
      `({ spark }) => spark.range(0, 6_000_000).withColumn("service_type", lit("green")).withColumn("amount", col("id").multiply(2))`,
    );
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", cli, "run", big, "--window", "2021-03-01", "--output", out],
      {
        cwd: root,
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    let alive = true;
    void exited.then(() => (alive = false));
    // Wait until its tasks are writing (an attempt directory in the window's staging area).
    const staging = join(wdir, "_temporary");
    const deadline = Date.now() + 60_000;
    const writing = () =>
      existsSync(staging) &&
      readdirSync(staging).some((j) => readdirSync(join(staging, j)).some((n) => n.startsWith("attempt_")));
    while (alive && !writing() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(alive, "the run finished before it could be killed").toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(alive, "the run finished before it could be killed").toBe(true);
    child.kill("SIGKILL");
    await exited;

    // Nothing of the killed run is visible: the window holds exactly what it held.
    expect(
      readdirSync(wdir)
        .filter((n) => n !== "_temporary")
        .sort(),
    ).toEqual(beforeEntries);
    expect(readManifest(wdir)).toEqual(before);
    const spark = await Session.builder().master("local[1]").getOrCreate();
    try {
      expect(await spark.read.parquet(out).count()).toBe(48);
    } finally {
      await spark.stop();
    }
    // The lock the killed run left is stale (its process is gone): the next run takes it over.
    expect(existsSync(join(out, "_kindling", "lock"))).toBe(true);
    const again = kindling(["run", first, "--window", "2021-03-01", "--output", out]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(readdirSync(wdir)).not.toContain("_temporary");
    expect(readManifest(wdir)!.rows).toBe(48);
  });
});
