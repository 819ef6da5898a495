// Test support for cluster tests: starts `kindling master` and `kindling worker` as real child
// processes on loopback (ports 0), waits for the lines that say they are up, and kills every
// process it started. Processes run the TypeScript sources through tsx, so no build is needed.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchClusterStatus } from "../../client/commands/status.js";
import { WorkerState } from "../../proto/gen/cluster.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** A child process with its output so far. */
export interface Proc {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `re` in the output (rejects after `ms` or on exit). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
}

/** Runs `kindling <args>` from the sources. */
export function kindling(args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "client", "cli.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, sig) => resolve(code ?? sig ?? -1)),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (!m) return false;
          done();
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${re} in:\n${out}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(onChange);
        };
        const onChange = () => void check();
        if (check()) return;
        listeners.add(onChange);
        void exited.then((code) => {
          if (check()) return;
          done();
          reject(new Error(`process exited (${code}) before printing ${re}:\n${out}`));
        });
      });
    },
  };
}

/** Polls `fn` until it returns true. */
export async function waitUntil(
  fn: () => Promise<boolean> | boolean,
  ms = 20_000,
  what = "condition",
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A master and its workers. */
export interface TestCluster {
  /** `127.0.0.1:port` of the master. */
  readonly master: string;
  readonly masterProc: Proc;
  readonly workers: Proc[];
  readonly env: NodeJS.ProcessEnv;
  /** Starts one more worker and waits until the master lists it. */
  addWorker(cores?: number, extra?: readonly string[]): Promise<Proc>;
  /** Live workers the master lists. */
  liveWorkers(): Promise<number>;
  /** Kills every process (SIGKILL) and removes the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts a master (short heartbeats) and `n` workers of `cores` cores, and waits until all are
 * registered. Children get this process's environment (KINDLING_SECRET included) plus `env`.
 */
export async function startCluster(
  n: number,
  cores: number,
  env: NodeJS.ProcessEnv = {},
): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "kindling-cluster-"));
  const procs: Proc[] = [];
  const masterProc = kindling(
    ["master", "--port", "0", "--heartbeat-interval", "300ms", "--worker-timeout", "3s"],
    env,
  );
  procs.push(masterProc);
  const m = await masterProc.waitFor(/kindling master listening on (\S+)/);
  const master = m[1]!;
  const workers: Proc[] = [];
  let started = 0;
  const liveWorkers = async () => {
    const s = await fetchClusterStatus(master);
    return s.workers.filter((w) => w.state === WorkerState.WORKER_STATE_ALIVE).length;
  };
  const spawnWorker = (c: number, extra: readonly string[]) => {
    const w = kindling(
      ["worker", "--master", master, "--cores", String(c), "--dir", join(dir, `w${started++}`), ...extra],
      env,
    );
    procs.push(w);
    workers.push(w);
    return w;
  };
  for (let i = 0; i < n; i++) spawnWorker(cores, []);
  await Promise.all(workers.map((w) => w.waitFor(/kindling worker listening/)));
  await waitUntil(async () => (await liveWorkers()) === n, 20_000, `${n} workers`);
  return {
    master,
    masterProc,
    workers,
    env,
    async addWorker(c = cores, extra = []) {
      // Wait for a worker id the master did not list before: counting live workers races with
      // the expiry of a worker that was just killed (it may drop out while the new one joins).
      const aliveIds = async () =>
        new Set(
          (await fetchClusterStatus(master)).workers
            .filter((x) => x.state === WorkerState.WORKER_STATE_ALIVE)
            .map((x) => x.workerId),
        );
      const before = await aliveIds();
      const w = spawnWorker(c, extra);
      await w.waitFor(/kindling worker listening/);
      await waitUntil(
        async () => [...(await aliveIds())].some((id) => !before.has(id)),
        20_000,
        "the new worker",
      );
      return w;
    },
    liveWorkers,
    async stop() {
      for (const p of procs)
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
      await Promise.all(procs.map((p) => p.exited));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
