// The task runner both executors host (a piscina thread now, a gRPC worker later): decodes a
// protobuf task, runs its partition, and returns an encoded result plus Arrow IPC payloads.
import { batchesToIPC } from "../columnar/arrow.js";
import type { Batch } from "../columnar/column.js";
import { decodeTask, encodeTaskResult } from "../plan/codec.js";
import type { EncodedTaskResult } from "./executor.js";
import type { ExecContext } from "./context.js";
import { execute } from "./execute.js";
import type { Task, WrittenFile } from "./task.js";

/** Where a write task's attempt writes (the committer uses the same rule). */
export const attemptDirOf = (jobRoot: string, partition: number, attempt: number): string =>
  `${jobRoot}/attempt_${partition}_${attempt}`;

/** Runs one encoded task to completion. */
export async function runEncodedTask(bytes: Uint8Array, signal?: AbortSignal): Promise<EncodedTaskResult> {
  return runTask(decodeTask(bytes), signal);
}

export async function runTask(task: Task, signal?: AbortSignal): Promise<EncodedTaskResult> {
  const started = performance.now();
  const written: WrittenFile[] = [];
  const attemptDir =
    task.plan.kind === "WriteFilesExec" ? attemptDirOf(task.plan.jobRoot, task.partition, task.attempt) : "";
  const ctx: ExecContext = {
    task,
    compile: { timeZone: task.timeZone, nowMicros: task.nowMicros },
    written,
    attemptDir,
    ...(signal ? { signal } : {}),
  };
  let numRows = 0;
  const batches: Batch[] = [];
  for await (const b of execute(task.plan, task.partition, ctx)) {
    numRows += b.numRows;
    if (task.output === "collect") batches.push(b);
  }
  if (task.output === "write") numRows = written.reduce((n, f) => n + f.rows, 0);
  const data = task.output === "collect" ? [batchesToIPC(task.plan.schema, batches)] : [];
  const result = encodeTaskResult({ numRows, files: written, attemptDir, elapsedMs: performance.now() - started });
  return { result, data };
}
