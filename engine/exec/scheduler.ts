// The driver's task scheduler: runs every partition of a stage on the executor, retrying a
// failed task up to `maxAttempts` times (Spark's spark.task.maxFailures), and returns the
// results in partition order. Deterministic input errors are not retried: a malformed file
// fails the same way every time.
import { TaskError } from "../errors.js";
import { decodeTaskResult, encodeTask } from "../plan/codec.js";
import type { PhysicalPlan } from "../plan/physical.js";
import { numPartitions } from "../plan/physical.js";
import type { JobListener } from "./events.js";
import type { Executor } from "./executor.js";
import type { Task, TaskInput, TaskOutput, TaskResult } from "./task.js";

/** The shuffle blocks one task reads, and how they split by shuffle. */
export interface TaskInputs {
  readonly inputs: readonly TaskInput[];
  readonly blocks: readonly Uint8Array[];
}

const NO_INPUTS: TaskInputs = { inputs: [], blocks: [] };

/** One finished task. */
export interface CompletedTask {
  readonly partition: number;
  readonly attempt: number;
  readonly result: TaskResult;
  readonly data: readonly Uint8Array[];
}

export interface StageRequest {
  readonly jobId: string;
  readonly stageId: number;
  readonly plan: PhysicalPlan;
  readonly output: TaskOutput;
  readonly timeZone: string;
  readonly nowMicros: number;
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly memoryBudget: number;
  readonly localDir: string;
  /** Progress and event-log listener. */
  readonly listener?: JobListener;
  /** The shuffle blocks partition p reads (none by default). */
  readonly inputsFor?: (partition: number) => TaskInputs;
  /** Called as each task succeeds (write jobs commit tasks here); returning false discards it. */
  readonly onTaskDone?: (t: CompletedTask) => boolean;
  /** Called when an attempt fails (write jobs abort the attempt's files). */
  readonly onTaskFailed?: (partition: number, attempt: number) => void;
}

/** Errors that fail the same way on every attempt, so a retry only wastes time. */
const NOT_RETRYABLE = new Set(["DataError", "AnalysisError", "ConfigError", "WriteError"]);

/** Runs a stage: all of its partitions, with retries. Rejects with the first task that exhausts its attempts. */
export async function runStage(executor: Executor, req: StageRequest): Promise<CompletedTask[]> {
  const n = numPartitions(req.plan);
  const results: CompletedTask[] = new Array(n);
  const l = req.listener;
  l?.onStageStart?.(req.jobId, req.stageId, n, req.output);
  // The first error that fails the job; once set, no new task or attempt starts, and running
  // tasks finish on their own (killing a thread mid-task races with its reply).
  let failure: { error: unknown } | null = null;
  const runPartition = async (partition: number): Promise<void> => {
    const { inputs, blocks } = req.inputsFor?.(partition) ?? NO_INPUTS;
    for (let attempt = 0; failure === null; attempt++) {
      const task: Task = {
        jobId: req.jobId,
        stageId: req.stageId,
        partition,
        attempt,
        plan: req.plan,
        output: req.output,
        timeZone: req.timeZone,
        nowMicros: req.nowMicros,
        batchSize: req.batchSize,
        inputs,
        memoryBudget: req.memoryBudget,
        localDir: req.localDir,
      };
      const started = performance.now();
      l?.onTaskStart?.(req.jobId, req.stageId, partition, attempt);
      try {
        const encoded = await executor.runTask(encodeTask(task), blocks);
        const done: CompletedTask = {
          partition,
          attempt,
          result: decodeTaskResult(encoded.result),
          data: encoded.data,
        };
        l?.onTaskEnd?.(req.jobId, req.stageId, partition, attempt, {
          ok: true,
          ms: performance.now() - started,
          rows: done.result.numRows,
        });
        if (req.onTaskDone && !req.onTaskDone(done)) continue;
        results[partition] = done;
        return;
      } catch (err) {
        req.onTaskFailed?.(partition, attempt);
        const e = err as Error & { kind?: string };
        l?.onTaskEnd?.(req.jobId, req.stageId, partition, attempt, {
          ok: false,
          ms: performance.now() - started,
          error: e.message,
        });
        const kind = e.kind ?? e.name ?? "Error";
        if (failure !== null) return;
        if (NOT_RETRYABLE.has(kind)) {
          failure = { error: err };
          return;
        }
        if (attempt + 1 >= req.maxAttempts) {
          failure = {
            error: new TaskError(
              `Job aborted: task ${req.stageId}.${partition} failed ${attempt + 1} times; last failure: ${e.message}`,
              req.stageId,
              partition,
              attempt,
              kind,
              e.stack ?? "",
            ),
          };
          return;
        }
      }
    }
  };
  // At most one task per slot in flight, so that after a failure nothing more is launched.
  let next = 0;
  const lane = async (): Promise<void> => {
    while (failure === null && next < n) await runPartition(next++);
  };
  const lanes = Math.max(1, Math.min(n, executor.parallelism));
  await Promise.all(Array.from({ length: lanes }, lane));
  l?.onStageEnd?.(req.jobId, req.stageId, failure === null);
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
