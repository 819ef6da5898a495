// Reads which attempt of which task an encoded `kindling.Task` is (job, stage, partition,
// attempt: fields 1-4) without decoding its plan fragment, so the driver can route retries
// and the worker can label, log and fault-inject tasks for the price of a few varints.
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { TaskAttemptId } from "../../proto/gen/cluster.js";

/** Job, stage, partition and attempt of an encoded task. */
export function peekTaskAttempt(task: Uint8Array): TaskAttemptId {
  const id = { jobId: "", stageId: 0, partition: 0, attempt: 0 };
  const r = new BinaryReader(task);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.LengthDelimited) id.jobId = r.string();
    else if (field === 2 && wire === WireType.Varint) id.stageId = r.int32();
    else if (field === 3 && wire === WireType.Varint) id.partition = r.int32();
    else if (field === 4 && wire === WireType.Varint) id.attempt = r.int32();
    else r.skip(wire, field);
  }
  return id;
}

/** The task an attempt belongs to (every attempt of it shares the key). */
export const taskKey = (id: TaskAttemptId): string => `${id.jobId}/${id.stageId}/${id.partition}`;

/** `job/stage.partition#attempt`, for logs and errors. */
export const attemptLabel = (id: TaskAttemptId): string =>
  `task ${id.stageId}.${id.partition} (attempt ${id.attempt}, job ${id.jobId})`;
