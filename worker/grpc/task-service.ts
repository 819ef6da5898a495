// The Worker service: receives a task attempt as a stream (header, encoded task and the input
// blocks the driver keeps, in ~1 MiB chunks), applies fault injection, fetches the input
// blocks other workers hold (fetch.ts), runs it on the worker's own thread pool (the same
// LocalExecutor and task runner as local mode), keeps a map task's output blocks in the
// worker's block store, and streams back the encoded result (and a collect task's batches),
// or the task's error. Cancelling the call aborts the attempt.
import { type ServerDuplexStream, type ServiceError, status } from "@grpc/grpc-js";
import { ConfigError } from "../../engine/errors.js";
import type { Executor } from "../../engine/exec/executor.js";
import { decodeTaskResult, taskErrorInfo, taskErrorToPb } from "../../engine/plan/codec.js";
import {
  type CancelTaskRequest,
  type LaunchTaskHeader,
  type LaunchTaskRequest,
  type TaskAttemptId,
  TaskState,
  type TaskStatusRequest,
  type TaskStatusResponse,
  type TaskUpdate,
  type WorkerServer,
} from "../../proto/gen/cluster.js";
import type { TaskError } from "../../proto/gen/kindling.js";
import { isNamespace, type WorkerBlockStore } from "../block-store.js";
import { ChaosError, type ChaosRule, chaosFor, parseChaos } from "./chaos.js";
import { allocPlain, allocShared, ChunkAssembler, chunksOf, sizesFrom, writeAll } from "./chunks.js";
import type { BlockFetcher } from "./fetch.js";
import { unary } from "./serve.js";
import { attemptLabel, peekTaskAttempt } from "./task-key.js";

/** Largest task plus inputs a launch may announce. */
const MAX_LAUNCH_BYTES = 2 ** 40;

/** One attempt this worker knows about. */
interface Attempt {
  readonly id: TaskAttemptId;
  state: TaskState;
  error?: TaskError;
  readonly controller: AbortController;
}

const attemptKey = (id: TaskAttemptId): string => `${id.jobId}/${id.stageId}/${id.partition}/${id.attempt}`;

/** Runs launched tasks on an executor and keeps their states for status queries. */
export class TaskService {
  private readonly attempts = new Map<string, Attempt>();
  private readonly chaosCache = new Map<string, ChaosRule[]>();
  running = 0;
  succeeded = 0n;
  failed = 0n;
  /** Set on shutdown: new launches are refused with UNAVAILABLE. */
  draining = false;

  constructor(
    private readonly executor: Executor,
    /** The worker's own chaos setting (`--chaos`), applied with the driver's. */
    private readonly workerChaos: string,
    private readonly log: (line: string) => void,
    /** Where map outputs stay and how input blocks are fetched (absent: blocks travel with tasks). */
    private readonly blocks?: { readonly store: WorkerBlockStore; readonly fetcher: BlockFetcher },
  ) {}

  /** The service implementation to add to a gRPC server. */
  implementation(): WorkerServer {
    return {
      launchTask: (call) => this.launch(call),
      getTaskStatus: unary((req: TaskStatusRequest): TaskStatusResponse => {
        const a = req.id ? this.attempts.get(attemptKey(req.id)) : undefined;
        return a
          ? { state: a.state, ...(a.error ? { error: a.error } : {}) }
          : { state: TaskState.TASK_STATE_UNSPECIFIED };
      }),
      cancelTask: unary((req: CancelTaskRequest) => {
        const a = req.id ? this.attempts.get(attemptKey(req.id)) : undefined;
        const found =
          a !== undefined &&
          (a.state === TaskState.TASK_STATE_RUNNING || a.state === TaskState.TASK_STATE_QUEUED);
        if (found) a.controller.abort(new Error(`cancelled: ${req.reason || "by the driver"}`));
        return { found };
      }),
    };
  }

  private launch(call: ServerDuplexStream<LaunchTaskRequest, TaskUpdate>): void {
    if (this.draining) {
      call.emit("error", serviceError(status.UNAVAILABLE, "the worker is shutting down"));
      return;
    }
    const controller = new AbortController();
    let header: LaunchTaskHeader | undefined;
    let asm: ChunkAssembler | undefined;
    let failed = false;
    const refuse = (why: string) => {
      failed = true;
      call.emit("error", serviceError(status.INVALID_ARGUMENT, why));
    };
    call.on("cancelled", () => controller.abort(new Error("the driver cancelled the call")));
    call.on("data", (req: LaunchTaskRequest) => {
      if (failed) return;
      try {
        if (req.part?.$case === "header") {
          if (header) throw new Error("a second launch header");
          header = req.part.value;
          if (header.blockNamespace && !isNamespace(header.blockNamespace))
            throw new Error(`not a block namespace: ${JSON.stringify(header.blockNamespace.slice(0, 60))}`);
          const sizes = sizesFrom([header.taskSize, ...header.inputSizes], MAX_LAUNCH_BYTES, "launch");
          // The task bytes (index -1) stay plain; input blocks are shared with the pool thread.
          asm = new ChunkAssembler(sizes, (n, i) => (i < 0 ? allocPlain(n, i) : allocShared(n, i)), -1);
        } else if (req.part?.$case === "chunk") {
          if (!asm) throw new Error("a chunk before the launch header");
          asm.add(req.part.value);
        }
      } catch (e) {
        refuse(`bad launch stream: ${(e as Error).message}`);
      }
    });
    call.on("end", () => {
      if (failed) return;
      if (!header || !asm) return refuse("the launch stream ended without a header");
      if (!asm.complete) return refuse(`the launch stream ended early (${asm.missing()})`);
      const [task, ...inputs] = asm.buffers;
      void this.run(call, header, task!, inputs, controller);
    });
  }

  private async run(
    call: ServerDuplexStream<LaunchTaskRequest, TaskUpdate>,
    header: LaunchTaskHeader,
    task: Uint8Array,
    inputs: Uint8Array[],
    controller: AbortController,
  ): Promise<void> {
    const id = peekTaskAttempt(task);
    const attempt: Attempt = { id, state: TaskState.TASK_STATE_RUNNING, controller };
    this.remember(attempt);
    this.running++;
    const signal = controller.signal;
    const ns = this.blocks ? header.blockNamespace : "";
    try {
      call.write({ update: { $case: "state", value: TaskState.TASK_STATE_RUNNING } });
      if (ns) this.blocks!.store.touch(ns);
      await this.applyChaos(header.chaos, id, signal);
      const resolved = ns ? await this.blocks!.fetcher.resolve(task, inputs, ns, signal) : undefined;
      let res: Awaited<ReturnType<Executor["runTask"]>>;
      try {
        res = await this.executor.runTask(task, resolved?.blocks ?? inputs, signal);
      } finally {
        // The task is over (done, failed or aborted): its fetched inputs' buffer can be reused.
        resolved?.release();
      }
      // A map task's blocks stay here; the driver learns their sizes from the result.
      const mapOutput = ns ? decodeTaskResult(res.result).mapOutput : undefined;
      if (mapOutput) this.blocks!.store.put(ns, mapOutput.shuffleId, id.partition, res.data);
      const data = mapOutput ? [] : res.data;
      const sizes = data.map((d) => BigInt(d.byteLength));
      const blocksHeld = mapOutput !== undefined;
      const messages = function* (): Generator<TaskUpdate> {
        yield { update: { $case: "result", value: { result: res.result, dataSizes: sizes, blocksHeld } } };
        for (let i = 0; i < data.length; i++) {
          for (const c of chunksOf(i, data[i]!)) yield { update: { $case: "data", value: c } };
        }
      };
      await writeAll(call, messages(), signal);
      attempt.state = TaskState.TASK_STATE_SUCCEEDED;
      this.succeeded++;
      call.end();
    } catch (err) {
      if (signal.aborted) {
        attempt.state = TaskState.TASK_STATE_CANCELLED;
        this.log(`${attemptLabel(id)} cancelled`);
        call.end();
        return;
      }
      this.failed++;
      const info = taskErrorToPb(taskErrorInfo(err));
      attempt.state = TaskState.TASK_STATE_FAILED;
      attempt.error = info;
      this.log(`${attemptLabel(id)} failed: ${info.kind}: ${info.message}`);
      call.write({ update: { $case: "error", value: info } });
      call.end();
    } finally {
      this.running--;
    }
  }

  private async applyChaos(driverChaos: string, id: TaskAttemptId, signal: AbortSignal): Promise<void> {
    const rules = [...this.rules(this.workerChaos), ...this.rules(driverChaos)];
    if (!rules.length) return;
    const plan = chaosFor(rules, id);
    if (plan.delayMs > 0) await sleep(plan.delayMs, signal);
    if (plan.exit) {
      this.log(`chaos: killing this worker before ${attemptLabel(id)}`);
      process.kill(process.pid, "SIGKILL");
    }
    if (plan.fail) throw new ChaosError(`chaos: injected failure of ${attemptLabel(id)}`);
  }

  private rules(text: string): ChaosRule[] {
    if (!text) return [];
    let r = this.chaosCache.get(text);
    if (!r) {
      try {
        r = parseChaos(text);
      } catch (e) {
        throw e instanceof ConfigError ? e : new ConfigError(String(e));
      }
      this.chaosCache.set(text, r);
    }
    return r;
  }

  /** Keeps the states of recent attempts (bounded) for GetTaskStatus. */
  private remember(a: Attempt): void {
    this.attempts.set(attemptKey(a.id), a);
    if (this.attempts.size > 1000) {
      for (const [k, v] of this.attempts) {
        if (this.attempts.size <= 800) break;
        if (v.state !== TaskState.TASK_STATE_RUNNING) this.attempts.delete(k);
      }
    }
  }
}

function serviceError(code: status, details: string): Partial<ServiceError> {
  return { code, details, message: details };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
