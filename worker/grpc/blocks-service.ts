// The Blocks service of a worker: streams the shuffle blocks its store holds to the workers
// running reduce tasks (FetchBlocks, ~1 MiB chunks with backpressure) and drops a driver's
// blocks when its job ends (RemoveShuffles). Calls are signed like every other (the server's
// interceptor checks them before a handler runs). A request names blocks by id only; an id of
// any other shape is refused with INVALID_ARGUMENT before the store is asked.
import { type ServerWritableStream, type ServiceError, status } from "@grpc/grpc-js";
import {
  type BlockChunk,
  type BlocksServer,
  BlocksService,
  type FetchBlocksRequest,
  type RemoveShufflesRequest,
  type RemoveShufflesResponse,
} from "../../proto/gen/cluster.js";
import { type BlockKey, isNamespace, parseBlockId, type WorkerBlockStore } from "../block-store.js";
import { CHUNK_BYTES } from "./net.js";
import { RpcError, unary } from "./serve.js";

/**
 * The Blocks service definition to serve: the generated one, with a BlockChunk encoder that
 * copies the payload once (the generic encoder copies it three times, which bounds a fetch).
 */
export const BLOCKS_SERVICE = {
  ...BlocksService,
  fetchBlocks: { ...BlocksService.fetchBlocks, responseSerialize: encodeBlockChunk },
} as const;

/**
 * Encodes a BlockChunk exactly as protobuf does (fields 1-4 in order), with one copy of `data`,
 * into a scratch buffer reused by the next call. That is safe because grpc-js (1.14, pinned)
 * calls a response serializer only from `serializeMessage`, which copies the bytes into the
 * framed message before returning; a fresh 1 MiB buffer per chunk cost a third of the
 * server's time in page faults.
 */
export function encodeBlockChunk(c: BlockChunk): Buffer {
  const id = Buffer.from(c.blockId, "utf8");
  const offset = c.offset;
  const size =
    (id.length ? 1 + varintSize(id.length) + id.length : 0) +
    (offset !== 0n ? 1 + varintSize(offset) : 0) +
    (c.data.byteLength ? 1 + varintSize(c.data.byteLength) + c.data.byteLength : 0) +
    (c.last ? 2 : 0);
  if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(size, 2 * scratch.length));
  const out = scratch;
  let at = 0;
  const varint = (v: number | bigint) => {
    let n = BigInt(v);
    while (n >= 0x80n) {
      out[at++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    out[at++] = Number(n);
  };
  if (id.length) {
    out[at++] = 0x0a;
    varint(id.length);
    at += id.copy(out, at);
  }
  if (offset !== 0n) {
    out[at++] = 0x10;
    varint(offset);
  }
  if (c.data.byteLength) {
    out[at++] = 0x1a;
    varint(c.data.byteLength);
    out.set(c.data, at);
    at += c.data.byteLength;
  }
  if (c.last) {
    out[at++] = 0x20;
    out[at++] = 1;
  }
  return out.subarray(0, size);
}

let scratch = Buffer.allocUnsafeSlow(CHUNK_BYTES + 256);

function varintSize(v: number | bigint): number {
  let n = BigInt(v);
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

/** Most block ids one FetchBlocks call may name. */
const MAX_IDS = 1 << 20;

/** What the service counts (reported with heartbeats). */
export interface ServeCounters {
  servedBlocks: number;
  servedBytes: number;
}

/** The Blocks service implementation over a worker's store. */
export function blocksService(
  store: WorkerBlockStore,
  counters: ServeCounters,
  log: (line: string) => void,
): BlocksServer {
  return {
    fetchBlocks: (call) => void serveFetch(call, store, counters, log),
    removeShuffles: unary((req: RemoveShufflesRequest): RemoveShufflesResponse => {
      if (!isNamespace(req.namespace))
        throw new RpcError(
          status.INVALID_ARGUMENT,
          `not a block namespace: ${JSON.stringify(req.namespace.slice(0, 60))}`,
        );
      const r = store.removeShuffles(req.namespace, req.all ? "all" : req.shuffleIds);
      return { removedBlocks: BigInt(r.blocks), removedBytes: BigInt(r.bytes) };
    }),
  };
}

async function serveFetch(
  call: ServerWritableStream<FetchBlocksRequest, BlockChunk>,
  store: WorkerBlockStore,
  counters: ServeCounters,
  log: (line: string) => void,
): Promise<void> {
  const fail = (code: status, details: string) => {
    const e: Partial<ServiceError> = { code, details, message: details };
    call.emit("error", e);
  };
  const ids = call.request.blockIds;
  if (ids.length > MAX_IDS) return fail(status.INVALID_ARGUMENT, `${ids.length} block ids in one request`);
  const keys: BlockKey[] = [];
  for (const id of ids) {
    const k = parseBlockId(id);
    if (!k) {
      log(`refused FetchBlocks: not a block id: ${JSON.stringify(id.slice(0, 100))}`);
      return fail(status.INVALID_ARGUMENT, `not a block id: ${JSON.stringify(id.slice(0, 100))}`);
    }
    keys.push(k);
  }
  // Every block must be here before anything streams: a missing one is a clean NOT_FOUND.
  for (let i = 0; i < keys.length; i++) {
    if (store.sizeOf(keys[i]!) === null) return fail(status.NOT_FOUND, `block ${ids[i]} not found`);
  }
  let cancelled = false;
  call.on("cancelled", () => {
    cancelled = true;
  });
  try {
    for (let i = 0; i < keys.length && !cancelled; i++) {
      const id = ids[i]!;
      const size = store.sizeOf(keys[i]!);
      if (size === null) return fail(status.NOT_FOUND, `block ${id} not found`);
      if (size === 0) {
        if (!call.write({ blockId: id, offset: 0n, data: new Uint8Array(0), last: true }))
          await drained(call);
        continue;
      }
      let offset = 0;
      for await (const piece of store.pieces(keys[i]!, CHUNK_BYTES)) {
        if (cancelled) return;
        const last = offset + piece.byteLength === size;
        const more = call.write({ blockId: id, offset: BigInt(offset), data: piece, last });
        offset += piece.byteLength;
        if (!more) await drained(call);
      }
      counters.servedBlocks++;
      counters.servedBytes += size;
    }
    call.end();
  } catch (e) {
    // Removed or spilled away mid-stream: the fetcher sees the block as missing.
    fail(status.NOT_FOUND, `block read failed: ${(e as Error).message}`);
  }
}

/** Resolves when the stream can take more, or when the call ends (cancelled, peer gone). */
function drained(call: ServerWritableStream<FetchBlocksRequest, BlockChunk>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.removeListener("drain", done);
      call.removeListener("close", done);
      call.removeListener("cancelled", done);
      resolve();
    };
    call.once("drain", done);
    call.once("close", done);
    call.once("cancelled", done);
  });
}
