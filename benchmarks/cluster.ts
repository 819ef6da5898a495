// A local cluster for the benchmark runner (`--cluster N`): a master and N workers started on
// this machine as child processes (ports 0, a fresh secret, scratch under the OS temp
// directory), from the compiled CLI when the runner is compiled, else from the sources
// through tsx. Jobs reach it through KINDLING_MASTER, which overrides the master set in code.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A running benchmark cluster. */
export interface BenchCluster {
  /** `127.0.0.1:port` of the master. */
  readonly master: string;
  /** What a job's process needs to run on it. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

function cli(): { script: string; execArgv: string[] } {
  const js = fileURLToPath(new URL("../client/cli.js", import.meta.url));
  if (existsSync(js)) return { script: js, execArgv: [] };
  return {
    script: fileURLToPath(new URL("../client/cli.ts", import.meta.url)),
    execArgv: ["--import", "tsx"],
  };
}

/** Starts a master and `workers` workers of `cores` cores each, and waits until all registered. */
export async function startBenchCluster(workers: number, cores: number): Promise<BenchCluster> {
  const secret = randomBytes(16).toString("hex");
  const env = { ...process.env, KINDLING_SECRET: secret };
  const dir = mkdtempSync(join(tmpdir(), "kindling-bench-cluster-"));
  const { script, execArgv } = cli();
  const procs: ChildProcess[] = [];
  const start = (args: string[], ready: RegExp): Promise<RegExpMatchArray> => {
    const child = spawn(process.execPath, [...execArgv, script, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    procs.push(child);
    let out = "";
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${ready} from kindling ${args[0]}:\n${out}`)),
        60_000,
      );
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = ready.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`kindling ${args[0]} exited with ${code}:\n${out}`));
      });
    });
  };
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once("exit", () => resolve());
            p.kill("SIGTERM");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const m = await start(["master", "--port", "0"], /kindling master listening on (\S+)/);
    const master = m[1]!;
    await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        start(
          ["worker", "--master", master, "--cores", String(cores), "--dir", join(dir, `w${i}`)],
          /kindling worker listening/,
        ),
      ),
    );
    return { master, env: { KINDLING_SECRET: secret, KINDLING_MASTER: `kindling://${master}` }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
