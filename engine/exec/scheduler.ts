// The driver's task scheduler: runs every partition of a stage (or the given ones) on the
// executor, retrying a failed task up to `maxAttempts` times (Spark's spark.task.maxFailures),
// and returns the results in partition order. Deterministic input errors are not retried: a
// malformed file fails the same way every time.
//
// Lost shuffle output (cluster mode): a task that fails with FetchFailed, or whose inputs
// cannot be listed because a map output is missing, does not count as a task failure. The
// stage pauses its launches, `recover` reruns the lost map tasks, and the task runs again
// with fresh block locations; a stage survives `maxStageAttempts - 1` such recoveries (Spark's
// spark.stage.maxConsecutiveAttempts). Tasks that already succeeded are kept.
//
//   stage attempt:  running --(fetch failure)--> recovering --(lost maps rerun)--> running
//                                                          \--(4th attempt)--> failed
import { TaskError } from "../errors.js";
import { decodeTaskResult, encodeTask } from "../plan/codec.js";
import type { PhysicalPlan } from "../plan/physical.js";
import { numPartitions } from "../plan/physical.js";
import { MapOutputMissing } from "./block-store.js";
import type { JobListener } from "./events.js";
import { type BlockHolder, type Executor, FetchFailedError } from "./executor.js";
import type { FetchFailure, Task, TaskInput, TaskOutput, TaskResult } from "./task.js";

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
  /** The worker keeping a map task's blocks (cluster mode). */
  readonly holder?: BlockHolder;
}

/** Why a stage's tasks cannot read their inputs: a failed fetch, or outputs known to be lost. */
export type LostOutput =
  | { readonly kind: "fetchFailed"; readonly failure: FetchFailure; readonly message: string }
  | { readonly kind: "missing"; readonly shuffleId: number; readonly maps: readonly number[] };

export interface StageRequest {
  readonly jobId: string;
  readonly stageId: number;
  readonly plan: PhysicalPlan;
  readonly output: TaskOutput;
  readonly timeZone: string;
  readonly nowMicros: number;
  readonly batchSize: number;
  readonly maxAttempts: number;
  /** Stage attempts allowed when map outputs are lost (4 in Spark); 1 when absent. */
  readonly maxStageAttempts?: number;
  /** Only these partitions (rerunning lost map tasks); every partition when absent. */
  readonly partitions?: readonly number[];
  /** The first attempt number (reruns start above earlier attempts, so attempt ids stay unique). */
  readonly attemptBase?: number;
  /** Recomputes lost map outputs; without it a fetch failure is an ordinary task failure. */
  readonly recover?: (lost: LostOutput) => Promise<void>;
  readonly memoryBudget: number;
  readonly localDir: string;
  /** Progress and event-log listener. */
  readonly listener?: JobListener;
  /** The shuffle blocks partition p reads (none by default); may throw MapOutputMissing. */
  readonly inputsFor?: (partition: number) => TaskInputs;
  /** Called as each task succeeds (write jobs commit tasks here); returning false discards it. */
  readonly onTaskDone?: (t: CompletedTask) => boolean;
  /** Called when an attempt fails (write jobs abort the attempt's files). */
  readonly onTaskFailed?: (partition: number, attempt: number) => void;
}

/** Errors that fail the same way on every attempt, so a retry only wastes time. */
const NOT_RETRYABLE = new Set(["DataError", "AnalysisError", "ConfigError", "WriteError"]);

/** The lost output behind an error, or null when it is an ordinary failure. */
export function lostOutputOf(err: unknown): LostOutput | null {
  if (err instanceof MapOutputMissing) return { kind: "missing", shuffleId: err.shuffleId, maps: err.maps };
  const f = (err as { fetchFailure?: FetchFailure } | null)?.fetchFailure;
  if (err instanceof FetchFailedError || f)
    return { kind: "fetchFailed", failure: f!, message: (err as Error).message };
  return null;
}

/** Runs a stage: its partitions, with retries. Rejects with the first task that exhausts its attempts. */
export async function runStage(executor: Executor, req: StageRequest): Promise<CompletedTask[]> {
  const n = numPartitions(req.plan);
  const parts = req.partitions ?? Array.from({ length: n }, (_, i) => i);
  const results: CompletedTask[] = new Array(n);
  const l = req.listener;
  l?.onStageStart?.(req.jobId, req.stageId, parts.length, req.output);
  // The first error that fails the job; once set, no new task or attempt starts, and running
  // tasks finish on their own (killing a thread mid-task races with its reply).
  let failure: { error: unknown } | null = null;
  // Recoveries of lost map output: launches wait for the one in progress; an attempt that
  // launched before the last one finished just runs again.
  const maxStageAttempts = req.maxStageAttempts ?? 1;
  let stageAttempt = 0;
  let epoch = 0;
  let recovering: Promise<void> | null = null;
  const recoverFrom = async (lost: LostOutput, launchedEpoch: number, partition: number, attempt: number) => {
    if (recovering) return recovering;
    if (launchedEpoch < epoch) return;
    stageAttempt++;
    const what =
      lost.kind === "fetchFailed"
        ? lost.message
        : `shuffle ${lost.shuffleId}: the output of map task(s) ${lost.maps.join(", ")} is lost`;
    if (stageAttempt >= maxStageAttempts || !req.recover) {
      failure ??= {
        error: new TaskError(
          `Job aborted: stage ${req.stageId} failed ${stageAttempt} times because map output was lost; last failure (task ${req.stageId}.${partition}): ${what}`,
          req.stageId,
          partition,
          attempt,
          "FetchFailed",
          "",
        ),
      };
      return;
    }
    recovering = req.recover(lost).then(
      () => {},
      (e: unknown) => {
        failure ??= { error: e };
      },
    );
    await recovering;
    recovering = null;
    epoch++;
  };
  const runPartition = async (partition: number): Promise<void> => {
    let failures = 0;
    for (let attempt = req.attemptBase ?? 0; failure === null; attempt++) {
      if (recovering) await recovering;
      if (failure !== null) return;
      const launchedEpoch = epoch;
      let taskInputs: TaskInputs;
      try {
        taskInputs = req.inputsFor?.(partition) ?? NO_INPUTS;
      } catch (err) {
        const lost = lostOutputOf(err);
        if (!lost) {
          failure ??= { error: err };
          return;
        }
        await recoverFrom(lost, launchedEpoch, partition, attempt);
        continue;
      }
      const { inputs, blocks } = taskInputs;
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
          ...(encoded.holder ? { holder: encoded.holder } : {}),
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
        const lost = req.recover ? lostOutputOf(err) : null;
        if (lost) {
          // Not the task's fault: rerun the lost map tasks, then this one.
          await recoverFrom(lost, launchedEpoch, partition, attempt);
          continue;
        }
        if (NOT_RETRYABLE.has(kind)) {
          failure = { error: err };
          return;
        }
        failures++;
        if (failures >= req.maxAttempts) {
          failure = {
            error: new TaskError(
              `Job aborted: task ${req.stageId}.${partition} failed ${failures} times; last failure: ${e.message}`,
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
    while (failure === null && next < parts.length) await runPartition(parts[next++]!);
  };
  const lanes = Math.max(1, Math.min(parts.length, executor.parallelism));
  await Promise.all(Array.from({ length: lanes }, lane));
  l?.onStageEnd?.(req.jobId, req.stageId, failure === null);
  if (failure !== null) throw (failure as { error: unknown }).error;
  // In partition order (a rerun of some partitions returns only those).
  return req.partitions ? results.filter((t) => t !== undefined) : results;
}
