// The master's state: registered workers and applications, with liveness by heartbeat.
// Plain data and a clock passed in, so expiry is tested without waiting.
//
//   worker:       alive --(no heartbeat for workerTimeout)--> lost
//                       \--(UnregisterWorker)--------------> gone
//   application:  running --(no heartbeat for workerTimeout)--> lost
//                         \--(UnregisterApplication)----------> finished
import { randomBytes } from "node:crypto";
import {
  type ApplicationInfo,
  ApplicationState,
  type HeartbeatRequest,
  type RegisterApplicationRequest,
  type RegisterWorkerRequest,
  type WorkerInfo,
  WorkerState,
} from "../../proto/gen/cluster.js";

/** How many finished or lost entries status keeps showing. */
const KEEP_ENDED = 50;

/** Workers and applications known to the master. */
export class ClusterRegistry {
  private readonly workers = new Map<string, WorkerInfo>();
  private readonly apps = new Map<string, ApplicationInfo>();
  private workerSeq = 0;
  private appSeq = 0;
  private readonly stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");

  constructor(
    readonly heartbeatIntervalMs: number,
    readonly workerTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a worker and returns its new id (a re-registering worker gets a fresh one). */
  registerWorker(req: RegisterWorkerRequest): WorkerInfo {
    const now = BigInt(this.now());
    // The same address registering again means the old process is gone (restarted).
    for (const w of this.workers.values()) {
      if (w.address === req.address && w.state === WorkerState.WORKER_STATE_ALIVE)
        w.state = WorkerState.WORKER_STATE_GONE;
    }
    const id = `worker-${this.stamp}-${String(this.workerSeq++).padStart(4, "0")}-${randomBytes(2).toString("hex")}`;
    const info: WorkerInfo = {
      workerId: id,
      address: req.address,
      cores: req.cores,
      runningTasks: 0,
      freeSlots: req.cores,
      lastHeartbeatMs: now,
      registeredMs: now,
      state: WorkerState.WORKER_STATE_ALIVE,
      host: req.host,
      pid: req.pid,
      tasksSucceeded: 0n,
      tasksFailed: 0n,
      memoryBytes: req.memoryBytes,
    };
    this.workers.set(id, info);
    this.trim(this.workers, (w) => w.state !== WorkerState.WORKER_STATE_ALIVE);
    return info;
  }

  /** Records a heartbeat; false when the worker is unknown or was declared lost (it must re-register). */
  heartbeat(req: HeartbeatRequest): boolean {
    const w = this.workers.get(req.workerId);
    if (!w || w.state !== WorkerState.WORKER_STATE_ALIVE) return false;
    w.lastHeartbeatMs = BigInt(this.now());
    w.runningTasks = req.runningTasks;
    w.freeSlots = req.freeSlots;
    w.tasksSucceeded = req.tasksSucceeded;
    w.tasksFailed = req.tasksFailed;
    if (req.blocks) w.blocks = req.blocks;
    return true;
  }

  /** A worker leaving on purpose. */
  unregisterWorker(id: string): void {
    const w = this.workers.get(id);
    if (w && w.state === WorkerState.WORKER_STATE_ALIVE) w.state = WorkerState.WORKER_STATE_GONE;
  }

  registerApplication(req: RegisterApplicationRequest): ApplicationInfo {
    const now = BigInt(this.now());
    const id = `app-${this.stamp}-${String(this.appSeq++).padStart(4, "0")}`;
    const app: ApplicationInfo = {
      appId: id,
      name: req.name,
      host: req.host,
      pid: req.pid,
      state: ApplicationState.APPLICATION_STATE_RUNNING,
      startedMs: now,
      lastSeenMs: now,
      endedMs: 0n,
      runningTasks: 0,
      tasksSucceeded: 0n,
      tasksFailed: 0n,
    };
    this.apps.set(id, app);
    this.trim(this.apps, (a) => a.state !== ApplicationState.APPLICATION_STATE_RUNNING);
    return app;
  }

  /** Records a driver's heartbeat; false when the application is unknown or no longer running. */
  applicationHeartbeat(id: string, runningTasks: number, succeeded: bigint, failed: bigint): boolean {
    const a = this.apps.get(id);
    if (!a || a.state !== ApplicationState.APPLICATION_STATE_RUNNING) return false;
    a.lastSeenMs = BigInt(this.now());
    a.runningTasks = runningTasks;
    a.tasksSucceeded = succeeded;
    a.tasksFailed = failed;
    return true;
  }

  unregisterApplication(id: string): void {
    const a = this.apps.get(id);
    if (!a || a.state !== ApplicationState.APPLICATION_STATE_RUNNING) return;
    a.state = ApplicationState.APPLICATION_STATE_FINISHED;
    a.endedMs = BigInt(this.now());
    a.runningTasks = 0;
  }

  /** Declares workers and applications lost after the timeout without a heartbeat; returns the lost workers. */
  expire(): WorkerInfo[] {
    const now = this.now();
    const lost: WorkerInfo[] = [];
    for (const w of this.workers.values()) {
      if (
        w.state === WorkerState.WORKER_STATE_ALIVE &&
        now - Number(w.lastHeartbeatMs) > this.workerTimeoutMs
      ) {
        w.state = WorkerState.WORKER_STATE_LOST;
        lost.push(w);
      }
    }
    for (const a of this.apps.values()) {
      if (
        a.state === ApplicationState.APPLICATION_STATE_RUNNING &&
        now - Number(a.lastSeenMs) > this.workerTimeoutMs
      ) {
        a.state = ApplicationState.APPLICATION_STATE_LOST;
        a.endedMs = BigInt(now);
      }
    }
    return lost;
  }

  /** Live workers, oldest registration first. */
  liveWorkers(): WorkerInfo[] {
    return [...this.workers.values()].filter((w) => w.state === WorkerState.WORKER_STATE_ALIVE);
  }

  allWorkers(): WorkerInfo[] {
    return [...this.workers.values()];
  }

  applications(): ApplicationInfo[] {
    return [...this.apps.values()];
  }

  /** Drops the oldest ended entries beyond KEEP_ENDED. */
  private trim<T>(map: Map<string, T>, ended: (v: T) => boolean): void {
    let count = 0;
    for (const v of map.values()) if (ended(v)) count++;
    for (const [k, v] of map) {
      if (count <= KEEP_ENDED) break;
      if (ended(v)) {
        map.delete(k);
        count--;
      }
    }
  }
}
