// A task: one partition of one stage, as plain data. Encoded with plan/codec.ts into the
// protobuf `Task` message that crosses to a thread or a worker.
import type { PhysicalPlan } from "../plan/physical.js";

/**
 * What a task returns: its batches (collect), only a row count, the files it wrote, or one
 * Arrow IPC block per reduce partition (shuffle: the plan's root is a ShuffleWriteExec).
 */
export type TaskOutput = "collect" | "count" | "write" | "shuffle";

/**
 * Where one input block lives when a worker holds it (cluster mode): the worker that ran its
 * map task. `workerId` "" means the block travels beside the task (the driver holds it).
 */
export interface BlockLocation {
  readonly workerId: string;
  /** host:port of the holder's Blocks service. */
  readonly address: string;
  readonly mapIndex: number;
  readonly reducePartition: number;
  readonly size: number;
}

/**
 * The blocks of one reduce partition of a shuffle that a task reads: `blocks` byte arrays, in
 * map-index order. `partition` -1 means every block (a broadcast read). Without `locations`
 * every block travels beside the task (local mode); with them (one per block) the executor
 * fetches the ones a worker holds and the others travel beside the task, in order.
 */
export interface TaskInput {
  readonly shuffleId: number;
  readonly partition: number;
  readonly blocks: number;
  readonly locations?: readonly BlockLocation[];
}

/** The key of a task input in ExecContext.inputs. */
export const inputKey = (shuffleId: number, partition: number): string => `${shuffleId}:${partition}`;

export interface Task {
  readonly jobId: string;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  /** The stage's plan fragment; the task computes partition `partition` of its root. */
  readonly plan: PhysicalPlan;
  readonly output: TaskOutput;
  /** Session time zone and the query's fixed "now" (µs), so every task agrees. */
  readonly timeZone: string;
  readonly nowMicros: number;
  /** Target rows per batch. */
  readonly batchSize: number;
  /** Shuffle blocks the task reads, in the order they travel beside it. */
  readonly inputs: readonly TaskInput[];
  /** Bytes the task's operators may hold before aggregation and sort spill (`kindling.executor.memoryBudget`). */
  readonly memoryBudget: number;
  /** Directory for spill files (`kindling.local.dir`). */
  readonly localDir: string;
}

/** One file a write task produced, relative to its attempt directory. */
export interface WrittenFile {
  /** e.g. `pickup_date=2021-03-14/part-00003-<job>.snappy.parquet` */
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * A shuffle block a reduce task could not fetch (cluster mode): the holder was unreachable or no
 * longer held it. The scheduler reruns the map tasks whose output that worker held.
 */
export interface FetchFailure {
  readonly workerId: string;
  readonly address: string;
  readonly shuffleId: number;
  readonly mapIndex: number;
  readonly reducePartition: number;
  /** True when the holder could not be reached, false when it answered without the block. */
  readonly unreachable: boolean;
}

/** A map task's output: its shuffle and the byte size of each reduce partition's block. */
export interface MapOutputInfo {
  readonly shuffleId: number;
  readonly blockSizes: readonly number[];
}

export interface TaskResult {
  readonly numRows: number;
  readonly files: readonly WrittenFile[];
  /** Directory (absolute) the attempt wrote into, for the committer. */
  readonly attemptDir: string;
  readonly elapsedMs: number;
  /** Set by shuffle (map) tasks. */
  readonly mapOutput?: MapOutputInfo;
}
