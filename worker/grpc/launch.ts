// One task attempt on one worker, from the driver's side: opens a LaunchTask stream, sends
// the header, the encoded task and the input blocks in ~1 MiB chunks (with backpressure),
// and reassembles the result and output blocks the worker streams back. The call has no
// overall deadline (tasks run for as long as they need); keepalive pings fail it when the
// worker vanishes. Aborting the signal cancels the call, which cancels the attempt.
import type { ClientDuplexStream, ServiceError } from "@grpc/grpc-js";
import type { EncodedTaskResult } from "../../engine/exec/executor.js";
import type {
  LaunchTaskHeader,
  LaunchTaskRequest,
  TaskUpdate,
  WorkerClient,
} from "../../proto/gen/cluster.js";
import type { TaskError } from "../../proto/gen/kindling.js";
import { allocPlain, ChunkAssembler, chunksOf, sizesFrom, writeAll } from "./chunks.js";

/** The worker ran the task and it failed: its error, as the task runner reported it. */
export class TaskFailedReply extends Error {
  constructor(readonly error: TaskError) {
    super(error.message);
  }
}

/** The worker answered, but not with a well-formed result (treated like a lost worker). */
export class BrokenReply extends Error {}

/** Largest result a worker may announce. */
const MAX_RESULT_BYTES = 2 ** 40;

/** A launch's answer: the task's result, and whether the worker kept its map output blocks. */
export interface LaunchResult extends EncodedTaskResult {
  readonly blocksHeld: boolean;
}

/** Runs one attempt on `client`; rejects with TaskFailedReply, BrokenReply or the call's ServiceError. */
export function launchTask(
  client: WorkerClient,
  header: LaunchTaskHeader,
  task: Uint8Array,
  inputs: readonly Uint8Array[],
  signal?: AbortSignal,
): Promise<LaunchResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const call: ClientDuplexStream<LaunchTaskRequest, TaskUpdate> = client.launchTask();
    let settled = false;
    const finish = (err: unknown, res?: LaunchResult) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const onAbort = () => {
      call.cancel();
      finish(signal!.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    let result: Uint8Array | undefined;
    let blocksHeld = false;
    let out: ChunkAssembler | undefined;
    let failure: TaskError | undefined;
    call.on("data", (u: TaskUpdate) => {
      try {
        switch (u.update?.$case) {
          case "result":
            result = u.update.value.result;
            blocksHeld = u.update.value.blocksHeld;
            out = new ChunkAssembler(
              sizesFrom(u.update.value.dataSizes, MAX_RESULT_BYTES, "task result"),
              allocPlain,
            );
            break;
          case "data":
            if (!out) throw new Error("output data before the result header");
            out.add(u.update.value);
            break;
          case "error":
            failure = u.update.value;
            break;
          default:
            break;
        }
      } catch (e) {
        call.cancel();
        finish(new BrokenReply(`bad reply stream: ${(e as Error).message}`));
      }
    });
    call.on("error", (e: ServiceError) => finish(e));
    call.on("end", () => {
      if (failure) return finish(new TaskFailedReply(failure));
      if (result === undefined || !out)
        return finish(new BrokenReply("the reply stream ended without a result"));
      if (!out.complete) return finish(new BrokenReply(`the reply stream ended early (${out.missing()})`));
      finish(null, { result, data: out.buffers, blocksHeld });
    });

    const messages = function* (): Generator<LaunchTaskRequest> {
      yield { part: { $case: "header", value: header } };
      for (const c of chunksOf(-1, task)) yield { part: { $case: "chunk", value: c } };
      for (let i = 0; i < inputs.length; i++) {
        for (const c of chunksOf(i, inputs[i]!)) yield { part: { $case: "chunk", value: c } };
      }
    };
    writeAll(call, messages(), signal).then(
      () => call.end(),
      // The call's own error (or the abort) settles the promise; nothing to add here.
      () => {},
    );
  });
}
