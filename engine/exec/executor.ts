// The executor interface: the engine hands it encoded tasks and gets encoded results back.
// The local piscina pool (worker/pool.ts) and the cluster client (worker/grpc) implement it;
// the package entry wires one in, so engine/ never imports worker/ or client/.
//
// Where shuffle blocks live is the executor's business (docs/decisions/0005): the local pool
// returns a map task's blocks as bytes, which the driver's block store keeps and hands to
// reduce tasks beside their task; the cluster executor leaves them on the worker that ran the
// map task and returns only where they are (`EncodedTaskResult.holder`), and reduce tasks
// name them in `Task.inputs[].locations` for their worker to fetch.
import { KindlingError } from "../errors.js";
import type { FetchFailure } from "./task.js";

/**
 * What crosses to an executor for one task: the protobuf-encoded `Task` message
 * (proto/kindling.proto), which holds the stage's plan fragment and the partition index.
 */
export type EncodedTask = Uint8Array;

/** The worker that keeps a map task's blocks (cluster mode). */
export interface BlockHolder {
  readonly workerId: string;
  /** host:port of its Blocks service. */
  readonly address: string;
}

/** A task's answer: the protobuf-encoded `TaskResult` plus Arrow IPC payloads moved, not copied. */
export interface EncodedTaskResult {
  readonly result: Uint8Array;
  /**
   * Arrow IPC stream bytes: the task's output batches (collect: one stream), or one block per
   * reduce partition (shuffle, when the driver keeps the blocks; an empty array for an empty
   * partition). Empty for a map task whose blocks stayed with `holder`.
   */
  readonly data: readonly Uint8Array[];
  /** Set when a map task's blocks stayed on the executor (sizes in the result's `mapOutput`). */
  readonly holder?: BlockHolder;
}

export interface Executor {
  /** Task slots: how many tasks run at once. */
  readonly parallelism: number;
  /**
   * Runs one task; rejects with the task's error (message and stack preserved). `inputs` are
   * the shuffle blocks that travel beside the task, in the order its `Task.inputs` lists them
   * (skipping blocks that `locations` place on a worker); they are shared with the executor,
   * not copied (SharedArrayBuffer-backed in local mode). A reduce task that cannot fetch a
   * held block rejects with a `FetchFailedError`.
   */
  runTask(task: EncodedTask, inputs: readonly Uint8Array[], signal?: AbortSignal): Promise<EncodedTaskResult>;
  /**
   * Drops the blocks of finished shuffles wherever the executor keeps them (best effort, not
   * awaited). Absent when the driver keeps every block.
   */
  removeShuffles?(shuffleIds: readonly number[]): void;
  /**
   * Registers the listener told when workers holding blocks are lost (missed heartbeats, or
   * unreachable): the driver forgets their map outputs and recomputes them.
   */
  onHoldersLost?(listener: (workerIds: readonly string[]) => void): void;
  /** Releases threads or connections. */
  close(): Promise<void>;
}

/**
 * A reduce task could not fetch one of its input blocks (holder gone, or block missing).
 * Retryable at the stage level: the scheduler reruns the lost map tasks, then the task.
 */
export class FetchFailedError extends KindlingError {
  override readonly kind = "FetchFailed";
  override readonly name = "FetchFailedError";
  constructor(
    message: string,
    readonly fetchFailure: FetchFailure,
  ) {
    super(message);
  }
}

/** The standard message of a fetch failure. */
export function describeFetchFailure(f: FetchFailure, why: string): string {
  return `FetchFailed: block (shuffle ${f.shuffleId}, map ${f.mapIndex}, reduce ${f.reducePartition}) from worker ${f.workerId} at ${f.address}: ${why}`;
}

/** Creates an executor for a master URL such as `local[4]`; registered by the package entry. */
export type ExecutorFactory = (master: string, config: ReadonlyMap<string, string>) => Executor;

const factories: { match: (master: string) => boolean; create: ExecutorFactory }[] = [];

export function registerExecutorFactory(match: (master: string) => boolean, create: ExecutorFactory): void {
  factories.push({ match, create });
}

export function createExecutor(master: string, config: ReadonlyMap<string, string>): Executor {
  const f = factories.find((x) => x.match(master));
  if (!f)
    throw new Error(
      `no executor for master "${master}"; expected local, local[N], local[*] or kindling://host:port`,
    );
  return f.create(master, config);
}
