// Chunked payloads on gRPC streams: splitting byte arrays into ~1 MiB IpcChunk messages,
// writing messages with backpressure, and reassembling chunks into preallocated buffers whose
// sizes a header announced (a peer cannot make the receiver write outside them).
import type { IpcChunk } from "../../proto/gen/cluster.js";
import { CHUNK_BYTES } from "./net.js";

/** The chunks of one payload (`index` names it); an empty payload yields no chunk. */
export function* chunksOf(index: number, bytes: Uint8Array, size = CHUNK_BYTES): Generator<IpcChunk> {
  for (let at = 0; at < bytes.byteLength; at += size) {
    const end = Math.min(bytes.byteLength, at + size);
    yield { index, offset: BigInt(at), data: bytes.subarray(at, end), last: end === bytes.byteLength };
  }
}

/** The part of a gRPC stream (client or server side) that writing needs. */
export interface MessageSink<T> {
  write(message: T): boolean;
  once(event: "drain" | "close" | "error", listener: (...args: unknown[]) => void): unknown;
  removeListener(event: "drain" | "close" | "error", listener: (...args: unknown[]) => void): unknown;
}

/** Writes messages in order, waiting for `drain` whenever the stream pushes back. */
export async function writeAll<T>(
  sink: MessageSink<T>,
  messages: Iterable<T>,
  signal?: AbortSignal,
): Promise<void> {
  for (const m of messages) {
    if (signal?.aborted) throw signal.reason ?? new Error("aborted");
    if (!sink.write(m)) await drained(sink);
  }
}

function drained<T>(sink: MessageSink<T>): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      sink.removeListener("drain", onDrain);
      sink.removeListener("close", onClose);
      sink.removeListener("error", onError);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error("the stream closed while sending"));
    const onError = (e: unknown) => done(e ?? new Error("stream error"));
    sink.once("drain", onDrain);
    sink.once("close", onClose);
    sink.once("error", onError);
  });
}

/** Memory for received payloads: shared (handed to pool threads without a copy) or plain. */
export type Allocate = (bytes: number, index: number) => Uint8Array;
export const allocShared: Allocate = (n) => new Uint8Array(new SharedArrayBuffer(n));
export const allocPlain: Allocate = (n) => new Uint8Array(n);

/** Reassembles chunked payloads into buffers of announced sizes. */
export class ChunkAssembler {
  readonly buffers: Uint8Array[];
  private readonly filled: number[];

  constructor(
    readonly sizes: readonly number[],
    allocate: Allocate = allocPlain,
    /** Payload index `base` is buffers[0] (the launch stream uses -1 for the task bytes). */
    private readonly base = 0,
  ) {
    this.buffers = sizes.map((n, i) => (n === 0 ? new Uint8Array(0) : allocate(n, i + base)));
    this.filled = sizes.map(() => 0);
  }

  /** Copies one chunk into place; throws when it does not fit the announced sizes. */
  add(chunk: IpcChunk): void {
    const i = chunk.index - this.base;
    const buf = this.buffers[i];
    if (buf === undefined)
      throw new Error(`chunk for payload ${chunk.index}, but only ${this.sizes.length} were announced`);
    const offset = Number(chunk.offset);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + chunk.data.byteLength > buf.byteLength) {
      throw new Error(
        `chunk [${offset}, +${chunk.data.byteLength}) of payload ${chunk.index} is outside its ${buf.byteLength} bytes`,
      );
    }
    buf.set(chunk.data, offset);
    this.filled[i]! += chunk.data.byteLength;
  }

  /** True once every payload received its announced number of bytes. */
  get complete(): boolean {
    return this.filled.every((n, i) => n === this.sizes[i]);
  }

  /** Bytes received so far. */
  get receivedBytes(): number {
    return this.filled.reduce((a, b) => a + b, 0);
  }

  /** Describes what is missing, for an error message. */
  missing(): string {
    const gaps = this.sizes.flatMap((n, i) =>
      this.filled[i] === n ? [] : [`payload ${i + this.base}: ${this.filled[i]}/${n} bytes`],
    );
    return gaps.join(", ");
  }
}

/** Announced sizes (int64 on the wire) as numbers, refusing negative or absurd values. */
export function sizesFrom(values: readonly bigint[], limit: number, what: string): number[] {
  let total = 0;
  return values.map((v) => {
    const n = Number(v);
    total += n;
    if (!Number.isSafeInteger(n) || n < 0 || total > limit)
      throw new Error(`${what}: announced size ${v} is out of range`);
    return n;
  });
}
