// The driver's executor for `kindling://host:port` masters: registers the application with
// the master, keeps the live workers' slots (refreshed by the application heartbeat), and runs
// each task on a free slot over a LaunchTask stream. A retry of a task goes to a worker it
// has not failed on when one exists; a worker whose call fails as unreachable is dropped
// (the master expires it in time). Shuffle blocks travel through the driver in this cut: the
// engine's block store stays the single store (docs/decisions/0005-cluster-first-cut.md).
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { status } from "@grpc/grpc-js";
import { ConfigError, KindlingError } from "../../engine/errors.js";
import type { EncodedTaskResult, Executor } from "../../engine/exec/executor.js";
import {
  type ApplicationHeartbeatResponse,
  type MasterClient,
  RegisterApplicationRequest,
  RegisterApplicationResponse,
  type WorkerClient,
  type WorkerInfo,
} from "../../proto/gen/cluster.js";
import { RemoteTaskError } from "../pool.js";
import { CHAOS_KEY, parseChaos } from "./chaos.js";
import {
  type ClientSecurity,
  callUnary,
  describeStatus,
  ExecutorLostError,
  isPeerLost,
  masterCallError,
  masterClient,
  workerClient,
} from "./clients.js";
import { callSync } from "./connect.js";
import { BrokenReply, launchTask, TaskFailedReply } from "./launch.js";
import {
  clientTlsFromEnv,
  KINDLING_VERSION,
  parseDuration,
  secretFromEnv,
  UNARY_DEADLINE_MS,
} from "./net.js";
import { SlotPool, type SlotWorker } from "./slots.js";
import { attemptLabel, peekTaskAttempt, taskKey } from "./task-key.js";

const NONE: ReadonlySet<string> = new Set();

/** Signals already allowed many listeners (the scheduler shares one across a stage's tasks). */
const widened = new WeakSet<AbortSignal>();

const toSlotWorkers = (ws: readonly WorkerInfo[]): SlotWorker[] =>
  ws.map((w) => ({ id: w.workerId, address: w.address, cores: w.cores }));

/** Runs tasks on a Kindling cluster. */
export class ClusterExecutor implements Executor {
  private readonly security: ClientSecurity;
  private readonly master: MasterClient;
  private readonly slots: SlotPool;
  private readonly clients = new Map<string, WorkerClient>();
  /** Workers each unfinished task failed on (by task key), to send its retry elsewhere. */
  private readonly failedOn = new Map<string, Set<string>>();
  private readonly chaos: string;
  private readonly appName: string;
  private appId: string;
  private readonly timer: NodeJS.Timeout;
  private heartbeating = false;
  private masterDown = "";
  private closed = false;
  private running = 0;
  private succeeded = 0n;
  private failed = 0n;

  constructor(
    /** The master's `host:port`. */
    readonly masterAddress: string,
    config: ReadonlyMap<string, string>,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.security = { secret: secretFromEnv(env), tls: clientTlsFromEnv(env) };
    this.chaos = config.get(CHAOS_KEY) ?? "";
    parseChaos(this.chaos); // a malformed setting fails here, not on every worker
    const waitMs = env.KINDLING_WORKER_WAIT
      ? parseDuration(env.KINDLING_WORKER_WAIT, "KINDLING_WORKER_WAIT")
      : 60_000;
    this.slots = new SlotPool(waitMs, masterAddress);
    this.appName = config.get("kindling.app.name") ?? "kindling";
    const request = RegisterApplicationRequest.encode({
      name: this.appName,
      host: hostname(),
      pid: process.pid,
      version: KINDLING_VERSION,
    }).finish();
    let res: RegisterApplicationResponse;
    try {
      const bytes = callSync(
        masterAddress,
        "/kindling.Master/RegisterApplication",
        request,
        this.security,
        UNARY_DEADLINE_MS,
      );
      res = RegisterApplicationResponse.decode(bytes);
    } catch (e) {
      throw masterCallError(e, masterAddress, "to register this application");
    }
    this.appId = res.appId;
    this.slots.update(toSlotWorkers(res.workers));
    this.master = masterClient(masterAddress, this.security);
    this.timer = setInterval(() => void this.heartbeat(), Math.max(100, Number(res.heartbeatIntervalMs)));
    this.timer.unref();
  }

  /** Task slots: the cores of the live workers (at least 1, so planning works before workers join). */
  get parallelism(): number {
    return Math.max(1, this.slots.totalCores);
  }

  /** The application id the master gave this driver. */
  get applicationId(): string {
    return this.appId;
  }

  /** Live workers this driver sends tasks to. */
  workers(): SlotWorker[] {
    return this.slots.usableWorkers();
  }

  async runTask(
    task: Uint8Array,
    inputs: readonly Uint8Array[],
    signal?: AbortSignal,
  ): Promise<EncodedTaskResult> {
    if (this.closed) throw new ConfigError("the cluster executor was closed");
    if (signal && !widened.has(signal)) {
      // Each waiting or running task listens for the stage's abort: more than Node's default 10.
      setMaxListeners(0, signal);
      widened.add(signal);
    }
    const id = peekTaskAttempt(task);
    const key = taskKey(id);
    const lease = await this.slots.acquire(this.failedOn.get(key) ?? NONE, signal);
    const w = lease.worker;
    this.running++;
    try {
      const header = {
        id,
        taskSize: BigInt(task.byteLength),
        inputSizes: inputs.map((b) => BigInt(b.byteLength)),
        appId: this.appId,
        chaos: this.chaos,
      };
      const res = await launchTask(this.client(w.address), header, task, inputs, signal);
      this.failedOn.delete(key);
      this.succeeded++;
      return res;
    } catch (err) {
      this.failed++;
      if (signal?.aborted) throw err;
      this.noteFailure(key, w.id);
      throw this.explain(err, w, attemptLabel(id));
    } finally {
      this.running--;
      this.slots.release(lease);
    }
  }

  /** Turns a failed launch into the error the scheduler sees (and drops a lost worker). */
  private explain(err: unknown, w: SlotWorker, what: string): Error {
    if (err instanceof TaskFailedReply) {
      const { kind, message, stack } = err.error;
      const e = new RemoteTaskError(kind, message, stack);
      e.stack = `${kind}: ${message}\n    (on worker ${w.id} at ${w.address})\n${stack.split("\n").slice(1).join("\n")}`;
      return e;
    }
    const code = (err as { code?: number }).code;
    if (code === status.UNAUTHENTICATED) {
      return new ConfigError(
        `worker ${w.id} at ${w.address} refused ${what}: ${describeStatus(err)}; KINDLING_SECRET must be the cluster's`,
      );
    }
    if (err instanceof BrokenReply || isPeerLost(err)) {
      this.slots.markLost(w.id);
      this.dropClient(w.address);
      return new ExecutorLostError(
        `worker ${w.id} at ${w.address} lost while running ${what}: ${err instanceof BrokenReply ? err.message : describeStatus(err)}`,
        w.id,
        w.address,
      );
    }
    return new KindlingError(`worker ${w.id} at ${w.address} failed ${what}: ${describeStatus(err)}`);
  }

  private noteFailure(key: string, workerId: string): void {
    let s = this.failedOn.get(key);
    if (!s) {
      // Entries of tasks whose job failed are never cleared by a success: keep the map bounded.
      if (this.failedOn.size >= 10_000) this.failedOn.clear();
      this.failedOn.set(key, (s = new Set()));
    }
    s.add(workerId);
  }

  private client(address: string): WorkerClient {
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = workerClient(address, this.security)));
    return c;
  }

  private dropClient(address: string): void {
    const c = this.clients.get(address);
    if (!c) return;
    this.clients.delete(address);
    c.close();
  }

  /** Reports progress, refreshes the worker list, and registers again if the master forgot us. */
  private async heartbeat(): Promise<void> {
    if (this.heartbeating || this.closed) return;
    this.heartbeating = true;
    try {
      const res: ApplicationHeartbeatResponse = await callUnary(
        this.master,
        this.master.applicationHeartbeat,
        {
          appId: this.appId,
          runningTasks: this.running,
          tasksSucceeded: this.succeeded,
          tasksFailed: this.failed,
        },
      );
      this.slots.update(toSlotWorkers(res.workers));
      if (!res.known && !this.closed) {
        const again = await callUnary(this.master, this.master.registerApplication, {
          name: this.appName,
          host: hostname(),
          pid: process.pid,
          version: KINDLING_VERSION,
        });
        this.appId = again.appId;
      }
      if (this.masterDown)
        process.stderr.write(`kindling: the master at ${this.masterAddress} is reachable again\n`);
      this.masterDown = "";
    } catch (e) {
      const why = describeStatus(e);
      // Keep using the workers we know; say so once.
      if (!this.masterDown)
        process.stderr.write(`kindling: cannot reach the master at ${this.masterAddress}: ${why}\n`);
      this.masterDown = why;
    } finally {
      this.heartbeating = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    // Final counters first, so status shows what the application did.
    const counters = {
      appId: this.appId,
      runningTasks: 0,
      tasksSucceeded: this.succeeded,
      tasksFailed: this.failed,
    };
    await callUnary(this.master, this.master.applicationHeartbeat, counters, 2_000).catch(() => {});
    await callUnary(this.master, this.master.unregisterApplication, { appId: this.appId }, 2_000).catch(
      () => {},
    );
    this.master.close();
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
