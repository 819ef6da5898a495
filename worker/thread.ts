// The piscina worker-thread entry: runs one encoded task and moves its result buffers back.
// Errors are returned as an encoded TaskError so their kind and stack survive the thread hop.
import { Piscina } from "piscina";
import { runEncodedTask } from "../engine/exec/run-task.js";
import { encodeTaskError } from "../engine/plan/codec.js";

/** What the pool sends a thread: the encoded task and the shuffle blocks it reads. */
export interface ThreadRequest {
  readonly task: Uint8Array;
  readonly inputs: readonly Uint8Array[];
}

/** The message a task returns to the pool. */
export interface ThreadReply {
  readonly result?: Uint8Array;
  readonly data?: Uint8Array[];
  readonly error?: Uint8Array;
}

export default async function runTaskInThread({ task, inputs }: ThreadRequest): Promise<ThreadReply> {
  try {
    const { result, data } = await runEncodedTask(task, inputs);
    // Move, don't clone: the IPC payloads can be hundreds of MiB.
    const transfer = [result, ...data]
      .map((d) => d.buffer)
      .filter((b, i, all): b is ArrayBuffer => b instanceof ArrayBuffer && all.indexOf(b) === i);
    // piscina only transfers objects marked by Piscina.move.
    return Piscina.move(
      new Movable({ result, data: [...data] }, transfer) as never,
    ) as unknown as ThreadReply;
  } catch (err) {
    return { error: encodeTaskError(err) };
  }
}

/** A reply whose buffers piscina transfers instead of cloning. */
class Movable {
  constructor(
    private readonly value: ThreadReply,
    private readonly transfer: ArrayBuffer[],
  ) {}
  get [Piscina.transferableSymbol](): ArrayBuffer[] {
    return this.transfer;
  }
  get [Piscina.valueSymbol](): ThreadReply {
    return this.value;
  }
}
