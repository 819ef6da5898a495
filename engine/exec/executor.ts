// The executor interface: the engine hands it encoded tasks and gets encoded results back.
// The local piscina pool (worker/pool.ts) and, later, the cluster client implement it; the
// package entry wires one in, so engine/ never imports worker/ or client/.

/**
 * What crosses to an executor for one task: the protobuf-encoded `Task` message
 * (proto/kindling.proto), which holds the stage's plan fragment and the partition index.
 */
export type EncodedTask = Uint8Array;

/** A task's answer: the protobuf-encoded `TaskResult` plus Arrow IPC payloads moved, not copied. */
export interface EncodedTaskResult {
  readonly result: Uint8Array;
  /**
   * Arrow IPC stream bytes: the task's output batches (collect: one stream), or one block per
   * reduce partition (shuffle; an empty array for an empty partition).
   */
  readonly data: readonly Uint8Array[];
}

export interface Executor {
  /** Task slots: how many tasks run at once. */
  readonly parallelism: number;
  /**
   * Runs one task; rejects with the task's error (message and stack preserved). `inputs` are
   * the shuffle blocks the task reads, in the order its `Task.inputs` lists them; they are
   * shared with the executor, not copied (SharedArrayBuffer-backed in local mode).
   */
  runTask(task: EncodedTask, inputs: readonly Uint8Array[], signal?: AbortSignal): Promise<EncodedTaskResult>;
  /** Releases threads or connections. */
  close(): Promise<void>;
}

/** Creates an executor for a master URL such as `local[4]`; registered by the package entry. */
export type ExecutorFactory = (master: string, config: ReadonlyMap<string, string>) => Executor;

const factories: { match: (master: string) => boolean; create: ExecutorFactory }[] = [];

export function registerExecutorFactory(match: (master: string) => boolean, create: ExecutorFactory): void {
  factories.push({ match, create });
}

export function createExecutor(master: string, config: ReadonlyMap<string, string>): Executor {
  const f = factories.find((x) => x.match(master));
  if (!f) throw new Error(`no executor for master "${master}"; expected local, local[N], local[*] or kindling://host:port`);
  return f.create(master, config);
}
