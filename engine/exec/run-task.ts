// The task runner both executors host (a piscina thread now, a gRPC worker later): decodes a
// protobuf task, runs its partition, and returns an encoded result plus Arrow IPC payloads.
import { batchesToIPC } from "../columnar/arrow.js";
import type { Batch } from "../columnar/column.js";
import { decodeTask, encodeTaskResult } from "../plan/codec.js";
import type { ExecContext } from "./context.js";
import { execute } from "./execute.js";
import type { EncodedTaskResult } from "./executor.js";
import { runShuffleWrite } from "./operators/shuffle-write.js";
import { inputKey, type Task, type WrittenFile } from "./task.js";

/** Where a write task's attempt writes (the committer uses the same rule). */
export const attemptDirOf = (jobRoot: string, partition: number, attempt: number): string =>
  `${jobRoot}/attempt_${partition}_${attempt}`;

/** Runs one encoded task to completion; `blocks` are its shuffle inputs, in `Task.inputs` order. */
export async function runEncodedTask(
  bytes: Uint8Array,
  blocks: readonly Uint8Array[] = [],
  signal?: AbortSignal,
): Promise<EncodedTaskResult> {
  return runTask(decodeTask(bytes), blocks, signal);
}

/** Splits the flat list of blocks by shuffle, as `Task.inputs` describes it. */
function groupInputs(task: Task, blocks: readonly Uint8Array[]): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  let at = 0;
  for (const i of task.inputs) {
    out.set(inputKey(i.shuffleId, i.partition), blocks.slice(at, at + i.blocks));
    at += i.blocks;
  }
  if (at !== blocks.length) {
    throw new Error(
      `task ${task.stageId}.${task.partition}: ${blocks.length} input blocks, but its inputs list ${at}`,
    );
  }
  return out;
}

export async function runTask(
  task: Task,
  blocks: readonly Uint8Array[] = [],
  signal?: AbortSignal,
): Promise<EncodedTaskResult> {
  const started = performance.now();
  const written: WrittenFile[] = [];
  const attemptDir =
    task.plan.kind === "WriteFilesExec" ? attemptDirOf(task.plan.jobRoot, task.partition, task.attempt) : "";
  const ctx: ExecContext = {
    task,
    compile: { timeZone: task.timeZone, nowMicros: task.nowMicros },
    written,
    attemptDir,
    inputs: groupInputs(task, blocks),
    ...(signal ? { signal } : {}),
  };
  if (task.output === "shuffle") {
    if (task.plan.kind !== "ShuffleWriteExec")
      throw new Error("a shuffle task's plan must be a ShuffleWriteExec");
    const { blocks: out, numRows } = await runShuffleWrite(task.plan, task.partition, ctx);
    const result = encodeTaskResult({
      numRows,
      files: [],
      attemptDir: "",
      elapsedMs: performance.now() - started,
      // The sizes let a worker that keeps the blocks report them without sending them.
      mapOutput: { shuffleId: task.plan.shuffleId, blockSizes: out.map((b) => b.byteLength) },
    });
    return { result, data: out };
  }
  let numRows = 0;
  const batches: Batch[] = [];
  for await (const b of execute(task.plan, task.partition, ctx)) {
    numRows += b.numRows;
    if (task.output === "collect") batches.push(b);
  }
  if (task.output === "write") numRows = written.reduce((n, f) => n + f.rows, 0);
  const data = task.output === "collect" ? [batchesToIPC(task.plan.schema, batches)] : [];
  const result = encodeTaskResult({
    numRows,
    files: written,
    attemptDir,
    elapsedMs: performance.now() - started,
  });
  return { result, data };
}
