// The plan codec: plain-data tasks, plan fragments, expressions and schemas to protobuf bytes
// (proto/kindling.proto) and back. This is the only way a task reaches a thread or a remote
// worker. Decoding yields objects deep-equal to what was encoded: optional fields absent (not
// undefined), int64/timestamp/decimal literals as bigint, counts and offsets as numbers.
// The layers live in codec/: values (types, schemas, literals), exprs, plans.
import * as pb from "../../proto/gen/kindling.js";
import type { Task, TaskOutput, TaskResult } from "../exec/task.js";
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
    inputs: m.inputs.map((i) => ({ shuffleId: i.shuffleId, partition: i.partition, blocks: i.blocks })),
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
  };
}

/** The kind, message and stack of anything a task threw (errors, strings, other values). */
export function taskErrorInfo(e: unknown): TaskErrorInfo {
  if (e instanceof Error) {
    const kind = (e as { kind?: unknown }).kind;
    return { kind: typeof kind === "string" ? kind : e.name, message: e.message, stack: e.stack ?? "" };
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
  return pb.TaskError.encode(taskErrorInfo(e)).finish();
}

/** Decodes a `kindling.TaskError` message. */
export function decodeTaskError(b: Uint8Array): TaskErrorInfo {
  const m = decode(pb.TaskError, b, "task error");
  return { kind: m.kind, message: m.message, stack: m.stack };
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
