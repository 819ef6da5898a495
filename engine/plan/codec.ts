// The plan codec: plain-data tasks, plan fragments, expressions and schemas to protobuf bytes
// (proto/kindling.proto) and back. This is the only way a task reaches a thread or a remote
// worker. Decoding yields objects deep-equal to what was encoded: optional fields absent (not
// undefined), int64/timestamp/decimal literals as bigint, counts and offsets as numbers.
// The layers live in codec/: values (types, schemas, literals), exprs, plans.
import * as pb from "../../proto/gen/kindling.js";
import type { BlockLocation, FetchFailure, Task, TaskInput, TaskOutput, TaskResult } from "../exec/task.js";
import type { Expr } from "../expr/expr.js";
import type { Schema } from "../types/data-type.js";
import { exprFromPb, exprToPb } from "./codec/exprs.js";
import { enumFromPb, planFromPb, planToPb } from "./codec/plans.js";
import { CodecError, fromInt64, int32, need, schemaFromPb, schemaToPb, toInt64 } from "./codec/values.js";
import type { PhysicalPlan } from "./physical.js";

export { CodecError } from "./codec/values.js";

/** A task's failure as it crosses back to the driver. */
export interface TaskErrorInfo {
  /** `KindlingError.kind` (AnalysisError, DataError, ...), else the JS error's name (TypeError...). */
  readonly kind: string;
  readonly message: string;
  /** The stack as the executor saw it; "" when there was none. */
  readonly stack: string;
  /** Set when kind is "FetchFailed": the block that could not be fetched. */
  readonly fetchFailed?: FetchFailure;
}

function decode<T>(fns: pb.MessageFns<T>, bytes: Uint8Array, what: string): T {
  try {
    return fns.decode(bytes);
  } catch (e) {
    throw new CodecError(`cannot decode ${what}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

const OUTPUTS: { [O in TaskOutput]: pb.TaskOutput } = {
  collect: pb.TaskOutput.TASK_OUTPUT_COLLECT,
  count: pb.TaskOutput.TASK_OUTPUT_COUNT,
  write: pb.TaskOutput.TASK_OUTPUT_WRITE,
  shuffle: pb.TaskOutput.TASK_OUTPUT_SHUFFLE,
};

/** Encodes a task (its plan fragment included) as a `kindling.Task` message. */
export function encodeTask(t: Task): Uint8Array {
  const m: pb.Task = {
    jobId: t.jobId,
    stageId: int32(t.stageId, "Task.stageId"),
    partition: int32(t.partition, "Task.partition"),
    attempt: int32(t.attempt, "Task.attempt"),
    plan: planToPb(t.plan),
    output: OUTPUTS[t.output],
    timeZone: t.timeZone,
    nowMicros: toInt64(t.nowMicros, "Task.nowMicros"),
    batchSize: int32(t.batchSize, "Task.batchSize"),
    inputs: t.inputs.map((i) => ({
      shuffleId: int32(i.shuffleId, "TaskInput.shuffleId"),
      blocks: int32(i.blocks, "TaskInput.blocks"),
      partition: int32(i.partition, "TaskInput.partition"),
      locations: (i.locations ?? []).map((l) => ({
        workerId: l.workerId,
        address: l.address,
        mapIndex: int32(l.mapIndex, "BlockLocation.mapIndex"),
        reducePartition: int32(l.reducePartition, "BlockLocation.reducePartition"),
        size: toInt64(l.size, "BlockLocation.size"),
      })),
    })),
    memoryBudget: toInt64(t.memoryBudget, "Task.memoryBudget"),
    localDir: t.localDir,
  };
  return pb.Task.encode(m).finish();
}

/** Decodes a `kindling.Task` message. */
export function decodeTask(b: Uint8Array): Task {
  const m = decode(pb.Task, b, "task");
  return {
    jobId: m.jobId,
    stageId: m.stageId,
    partition: m.partition,
    attempt: m.attempt,
    plan: planFromPb(need(m.plan, "Task.plan")),
    output: enumFromPb(OUTPUTS, m.output, "Task.output"),
    timeZone: m.timeZone,
    nowMicros: fromInt64(m.nowMicros, "Task.nowMicros"),
    batchSize: m.batchSize,
    inputs: m.inputs.map((i) => ({
      shuffleId: i.shuffleId,
      partition: i.partition,
      blocks: i.blocks,
      ...(i.locations.length ? { locations: i.locations.map(blockLocationFromPb) } : {}),
    })),
    memoryBudget: fromInt64(m.memoryBudget, "Task.memoryBudget"),
    localDir: m.localDir,
  };
}

/** Encodes a plan fragment as a `kindling.PhysicalPlan` message. */
export function encodePlan(p: PhysicalPlan): Uint8Array {
  return pb.PhysicalPlan.encode(planToPb(p)).finish();
}

/** Decodes a `kindling.PhysicalPlan` message. */
export function decodePlan(b: Uint8Array): PhysicalPlan {
  return planFromPb(decode(pb.PhysicalPlan, b, "plan"));
}

/** Encodes a task's result (row count, written files; never its batches). */
export function encodeTaskResult(r: TaskResult): Uint8Array {
  const m: pb.TaskResult = {
    numRows: toInt64(r.numRows, "TaskResult.numRows"),
    files: r.files.map((f) => ({
      path: f.path,
      rows: toInt64(f.rows, `rows of "${f.path}"`),
      bytes: toInt64(f.bytes, `bytes of "${f.path}"`),
    })),
    attemptDir: r.attemptDir,
    elapsedMs: r.elapsedMs,
    ...(r.mapOutput
      ? {
          mapOutput: {
            shuffleId: int32(r.mapOutput.shuffleId, "MapOutput.shuffleId"),
            blockSizes: r.mapOutput.blockSizes.map((n) => toInt64(n, "MapOutput.blockSizes")),
          },
        }
      : {}),
  };
  return pb.TaskResult.encode(m).finish();
}

/** Decodes a `kindling.TaskResult` message. */
export function decodeTaskResult(b: Uint8Array): TaskResult {
  const m = decode(pb.TaskResult, b, "task result");
  return {
    numRows: fromInt64(m.numRows, "TaskResult.numRows"),
    files: m.files.map((f) => ({
      path: f.path,
      rows: fromInt64(f.rows, `rows of "${f.path}"`),
      bytes: fromInt64(f.bytes, `bytes of "${f.path}"`),
    })),
    attemptDir: m.attemptDir,
    elapsedMs: m.elapsedMs,
    ...(m.mapOutput
      ? {
          mapOutput: {
            shuffleId: m.mapOutput.shuffleId,
            blockSizes: m.mapOutput.blockSizes.map((n) => fromInt64(n, "MapOutput.blockSizes")),
          },
        }
      : {}),
  };
}

/** Decodes only the inputs of an encoded `kindling.Task` (its plan fragment is skipped). */
export function decodeTaskInputs(b: Uint8Array): TaskInput[] {
  const m = decode(pb.TaskInputsOnly, b, "task inputs");
  return m.inputs.map((i) => ({
    shuffleId: i.shuffleId,
    partition: i.partition,
    blocks: i.blocks,
    ...(i.locations.length ? { locations: i.locations.map(blockLocationFromPb) } : {}),
  }));
}

function blockLocationFromPb(l: pb.BlockLocation): BlockLocation {
  return {
    workerId: l.workerId,
    address: l.address,
    mapIndex: l.mapIndex,
    reducePartition: l.reducePartition,
    size: fromInt64(l.size, "BlockLocation.size"),
  };
}

/** The kind, message and stack of anything a task threw (errors, strings, other values). */
export function taskErrorInfo(e: unknown): TaskErrorInfo {
  if (e instanceof Error) {
    const kind = (e as { kind?: unknown }).kind;
    const fetchFailed = (e as { fetchFailure?: FetchFailure }).fetchFailure;
    return {
      kind: typeof kind === "string" ? kind : e.name,
      message: e.message,
      stack: e.stack ?? "",
      ...(fetchFailed ? { fetchFailed } : {}),
    };
  }
  return { kind: "Error", message: describe(e), stack: "" };
}

function describe(v: unknown): string {
  if (typeof v === "string") return v;
  try {
    return (typeof v === "object" && v !== null ? JSON.stringify(v) : undefined) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Encodes a task's failure as a `kindling.TaskError` message. */
export function encodeTaskError(e: unknown): Uint8Array {
  return pb.TaskError.encode(taskErrorToPb(taskErrorInfo(e))).finish();
}

/** A task error as its protobuf message (the cluster's TaskUpdate carries it). */
export function taskErrorToPb(e: TaskErrorInfo): pb.TaskError {
  const f = e.fetchFailed;
  return {
    kind: e.kind,
    message: e.message,
    stack: e.stack,
    ...(f
      ? {
          fetchFailed: {
            workerId: f.workerId,
            address: f.address,
            shuffleId: int32(f.shuffleId, "FetchFailure.shuffleId"),
            mapIndex: int32(f.mapIndex, "FetchFailure.mapIndex"),
            reducePartition: int32(f.reducePartition, "FetchFailure.reducePartition"),
            unreachable: f.unreachable,
          },
        }
      : {}),
  };
}

/** A task error from its protobuf message. */
export function taskErrorFromPb(m: pb.TaskError): TaskErrorInfo {
  const f = m.fetchFailed;
  return {
    kind: m.kind,
    message: m.message,
    stack: m.stack,
    ...(f
      ? {
          fetchFailed: {
            workerId: f.workerId,
            address: f.address,
            shuffleId: f.shuffleId,
            mapIndex: f.mapIndex,
            reducePartition: f.reducePartition,
            unreachable: f.unreachable,
          },
        }
      : {}),
  };
}

/** Decodes a `kindling.TaskError` message. */
export function decodeTaskError(b: Uint8Array): TaskErrorInfo {
  return taskErrorFromPb(decode(pb.TaskError, b, "task error"));
}

/** Encodes one expression tree as a `kindling.Expr` message. */
export function encodeExpr(e: Expr): Uint8Array {
  return pb.Expr.encode(exprToPb(e)).finish();
}

/** Decodes a `kindling.Expr` message. */
export function decodeExpr(b: Uint8Array): Expr {
  return exprFromPb(decode(pb.Expr, b, "expression"));
}

/** Encodes a schema as a `kindling.Schema` message. */
export function encodeSchema(s: Schema): Uint8Array {
  return pb.Schema.encode(schemaToPb(s)).finish();
}

/** Decodes a `kindling.Schema` message. */
export function decodeSchema(b: Uint8Array): Schema {
  return schemaFromPb(decode(pb.Schema, b, "schema"));
}
