// The driver's executor for `kindling://host:port` masters: registers the application with
// the master, keeps the live workers' slots (refreshed by the application heartbeat), and runs
// each task on a free slot over a LaunchTask stream, preferring the worker that holds most of
// its input blocks. A retry of a task goes to a worker it has not failed on when one exists; a
// worker whose call fails as unreachable is dropped (the master expires it in time).
// Shuffle blocks stay on the workers that ran the map tasks (docs/decisions/0005): a map
// task's result names its holder, reduce tasks' workers fetch the blocks themselves, and the
// engine is told when a holder is lost (it reruns the lost map tasks). Blocks of finished jobs
// are removed from the workers (RemoveShuffles).
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { Metadata, status } from "@grpc/grpc-js";
import { ConfigError, KindlingError } from "../../engine/errors.js";
import { type EncodedTaskResult, type Executor, FetchFailedError } from "../../engine/exec/executor.js";
import { decodeTaskInputs } from "../../engine/plan/codec.js";
import {
  type ApplicationHeartbeatResponse,
  type BlocksClient,
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
import { blocksClient } from "./fetch.js";
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
  /** This driver's block namespace on the workers (block ids start with it). */
  readonly blockNamespace = randomBytes(8).toString("hex");
  /** Workers that hold (or held) this driver's map outputs, by id: where RemoveShuffles goes. */
  private readonly holders = new Map<string, string>();
  private readonly blockClients = new Map<string, BlocksClient>();
  /** Workers seen alive, to notice the ones that disappear (their map outputs are lost). */
  private readonly known = new Set<string>();
  private readonly lostListeners: ((ids: readonly string[]) => void)[] = [];
  /** Bytes that travelled through the driver: input blocks sent with tasks, data received. */
  private readonly relayed = { inputBytes: 0, resultBytes: 0, heldMapOutputs: 0 };

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
    this.updateWorkers(toSlotWorkers(res.workers));
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
    const lease = await this.slots.acquire(this.failedOn.get(key) ?? NONE, signal, inputHolders(task));
    const w = lease.worker;
    this.running++;
    try {
      const header = {
        id,
        taskSize: BigInt(task.byteLength),
        inputSizes: inputs.map((b) => BigInt(b.byteLength)),
        appId: this.appId,
        chaos: this.chaos,
        blockNamespace: this.blockNamespace,
      };
      for (const b of inputs) this.relayed.inputBytes += b.byteLength;
      const res = await launchTask(this.client(w.address), header, task, inputs, signal);
      for (const b of res.data) this.relayed.resultBytes += b.byteLength;
      this.failedOn.delete(key);
      this.succeeded++;
      if (!res.blocksHeld) return { result: res.result, data: res.data };
      this.relayed.heldMapOutputs++;
      this.holders.set(w.id, w.address);
      return { result: res.result, data: res.data, holder: { workerId: w.id, address: w.address } };
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
      const { kind, message, stack, fetchFailed } = err.error;
      const at = `${kind}: ${message}\n    (on worker ${w.id} at ${w.address})\n${stack.split("\n").slice(1).join("\n")}`;
      if (fetchFailed) {
        // The holder is gone: stop using it, and let the engine forget its map outputs.
        if (fetchFailed.unreachable) this.workerLost(fetchFailed.workerId, fetchFailed.address);
        const e = new FetchFailedError(message, fetchFailed);
        e.stack = at;
        return e;
      }
      const e = new RemoteTaskError(kind, message, stack);
      e.stack = at;
      return e;
    }
    const code = (err as { code?: number }).code;
    if (code === status.UNAUTHENTICATED) {
      return new ConfigError(
        `worker ${w.id} at ${w.address} refused ${what}: ${describeStatus(err)}; KINDLING_SECRET must be the cluster's`,
      );
    }
    if (err instanceof BrokenReply || isPeerLost(err)) {
      this.workerLost(w.id, w.address);
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

  /** Registers the engine's listener of lost block holders. */
  onHoldersLost(listener: (workerIds: readonly string[]) => void): void {
    this.lostListeners.push(listener);
  }

  /** Bytes that crossed the driver (inputs sent with tasks, data received) and map outputs left on workers. */
  transferStats(): { inputBytes: number; resultBytes: number; heldMapOutputs: number } {
    return { ...this.relayed };
  }

  /** Drops finished shuffles' blocks from the workers holding this driver's blocks (not awaited). */
  removeShuffles(shuffleIds: readonly number[]): void {
    void this.removeOnWorkers({ namespace: this.blockNamespace, shuffleIds: [...shuffleIds], all: false });
  }

  private async removeOnWorkers(req: {
    namespace: string;
    shuffleIds: number[];
    all: boolean;
  }): Promise<void> {
    // Holders, and every live worker: one that re-registered under a new id may keep old blocks.
    const targets = new Map<string, string>();
    for (const [id, address] of this.holders) if (!this.slots.isLost(id)) targets.set(address, id);
    for (const w of this.slots.usableWorkers()) targets.set(w.address, w.id);
    await Promise.all(
      [...targets.keys()].map(async (address) => {
        const c = this.blocksClient(address);
        await new Promise<void>((resolve) =>
          c.removeShuffles(req, new Metadata(), { deadline: new Date(Date.now() + 2_000) }, () => resolve()),
        );
      }),
    );
  }

  /** A worker is gone (unreachable, or no longer listed by the master): no tasks, no blocks. */
  private workerLost(id: string, address: string): void {
    if (!this.slots.isLost(id)) this.slots.markLost(id);
    this.dropClient(address);
    this.holdersGone([id]);
  }

  private holdersGone(ids: readonly string[]): void {
    const gone = ids.filter((id) => this.known.delete(id) || this.holders.has(id));
    for (const id of gone) this.holders.delete(id);
    if (gone.length) for (const l of this.lostListeners) l(gone);
  }

  /** Takes the master's list of live workers; workers missing from it have lost their blocks. */
  private updateWorkers(live: SlotWorker[]): void {
    this.slots.update(live);
    const ids = new Set(live.map((w) => w.id));
    const gone = [...this.known].filter((id) => !ids.has(id));
    for (const id of ids) if (!this.slots.isLost(id)) this.known.add(id);
    if (gone.length) this.holdersGone(gone);
  }

  private blocksClient(address: string): BlocksClient {
    let c = this.blockClients.get(address);
    if (!c) this.blockClients.set(address, (c = blocksClient(address, this.security)));
    return c;
  }

  private client(address: string): WorkerClient {
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = workerClient(address, this.security)));
    return c;
  }

  private dropClient(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
    this.blockClients.get(address)?.close();
    this.blockClients.delete(address);
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
      this.updateWorkers(toSlotWorkers(res.workers));
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
    // This driver's blocks, wherever they are left (jobs remove their own as they end).
    await this.removeOnWorkers({ namespace: this.blockNamespace, shuffleIds: [], all: true });
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
    for (const c of this.blockClients.values()) c.close();
    this.blockClients.clear();
  }
}

/** Bytes of a task's input blocks each worker holds (none: a map task, or local-mode inputs). */
function inputHolders(task: Uint8Array): Map<string, number> | undefined {
  let out: Map<string, number> | undefined;
  for (const i of decodeTaskInputs(task)) {
    for (const l of i.locations ?? []) {
      if (!l.workerId) continue;
      out ??= new Map();
      out.set(l.workerId, (out.get(l.workerId) ?? 0) + l.size);
    }
  }
  return out;
}
