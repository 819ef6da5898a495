// What operators see while a task runs.
import type { CompileContext } from "../expr/registry.js";
import type { Task, WrittenFile } from "./task.js";

export interface ExecContext {
  readonly task: Task;
  readonly compile: CompileContext;
  /** Files written by a WriteFilesExec in this task (relative to `attemptDir`). */
  readonly written: WrittenFile[];
  /** `<jobRoot>/attempt_<partition>_<attempt>` for write tasks. */
  readonly attemptDir: string;
  /** Shuffle blocks (Arrow IPC) by `inputKey(shuffleId, partition)`, in map-index order. */
  readonly inputs: ReadonlyMap<string, readonly Uint8Array[]>;
  /** Cooperative cancellation, checked between batches. */
  readonly signal?: AbortSignal;
}

/** Throws when the task was cancelled. */
export function checkCancelled(ctx: ExecContext): void {
  if (ctx.signal?.aborted) throw new Error(`task ${ctx.task.stageId}.${ctx.task.partition} cancelled`);
}
