// The fetching side of shuffles, on the worker that runs a reduce task: reads the task's input
// list (Task.inputs, without decoding its plan), takes the blocks that travelled beside the
// task, reads the ones this worker holds from its own store, and fetches the others from
// their holders with Blocks.FetchBlocks (one stream per holder, all holders at once). Fetched
// bytes land in one SharedArrayBuffer, shared with the pool thread without a copy, and reused
// by a later task once this one is done (fresh memory is slow to touch here). A holder
// that is unreachable, or answers without a block, fails the task with a typed
// FetchFailedError naming the worker, shuffle, map and reduce partition.
import type { ClientReadableStream, ServiceError } from "@grpc/grpc-js";
import { describeFetchFailure, FetchFailedError } from "../../engine/exec/executor.js";
import type { BlockLocation, FetchFailure } from "../../engine/exec/task.js";
import { decodeTaskInputs } from "../../engine/plan/codec.js";
import { type BlockChunk, BlocksClient } from "../../proto/gen/cluster.js";
import { type BlockKey, blockId, type WorkerBlockStore } from "../block-store.js";
import { signingInterceptor } from "./auth.js";
import { type ClientSecurity, describeStatus, isPeerLost } from "./clients.js";
import { CLIENT_OPTIONS, clientCredentials } from "./net.js";

/** This worker, as block locations name it. */
export interface Self {
  readonly id: string;
  readonly address: string;
}

/** What the fetcher counts (reported with heartbeats). */
export interface FetchCounters {
  fetchedRemoteBlocks: number;
  fetchedRemoteBytes: number;
  fetchedLocalBlocks: number;
  fetchedLocalBytes: number;
  fetchFailures: number;
}

/** One block to fetch, and where its bytes go. */
interface Wanted {
  readonly key: BlockKey;
  readonly loc: BlockLocation;
  readonly shuffleId: number;
  /** Its index in the task's flat input list. */
  readonly slot: number;
  view: Uint8Array;
  filled: number;
}

/** HTTP/2 flow-control window of block fetches. */
const FETCH_WINDOW_BYTES = 32 << 20;

/** The input blocks of one task; `release` once the task is over returns their buffer for reuse. */
export interface ResolvedInputs {
  readonly blocks: Uint8Array[];
  release(): void;
}

/** Spare fetch buffers kept for reuse, and the largest one kept. */
const MAX_SPARE = 4;
const MAX_SPARE_BYTES = 512 << 20;

/** A Blocks client for `host:port` (raised limits, keepalive, signed calls). */
export function blocksClient(address: string, sec: ClientSecurity): BlocksClient {
  return new BlocksClient(address, clientCredentials(sec.tls), {
    ...CLIENT_OPTIONS,
    // A large HTTP/2 receive window: with the default 64 KiB, fetch speed is bound by round trips.
    "grpc-node.flow_control_window": FETCH_WINDOW_BYTES,
    interceptors: [signingInterceptor(sec.secret)],
  });
}

/** Resolves reduce tasks' input blocks. */
export class BlockFetcher {
  private readonly clients = new Map<string, BlocksClient>();
  private readonly spare: SharedArrayBuffer[] = [];
  readonly counters: FetchCounters = {
    fetchedRemoteBlocks: 0,
    fetchedRemoteBytes: 0,
    fetchedLocalBlocks: 0,
    fetchedLocalBytes: 0,
    fetchFailures: 0,
  };

  constructor(
    private readonly store: WorkerBlockStore,
    private readonly security: ClientSecurity,
    private readonly self: () => Self,
  ) {}

  /**
   * Every input block of an encoded task, in `Task.inputs` order: `inline` are the ones that
   * travelled beside it. Rejects with FetchFailedError when a held block cannot be had.
   */
  async resolve(
    task: Uint8Array,
    inline: Uint8Array[],
    ns: string,
    signal: AbortSignal,
  ): Promise<ResolvedInputs> {
    const inputs = decodeTaskInputs(task);
    if (!inputs.some((i) => i.locations)) return { blocks: inline, release: () => {} };
    const out: Uint8Array[] = [];
    const wanted: Wanted[] = [];
    let next = 0;
    const takeInline = (): Uint8Array => {
      const b = inline[next++];
      if (!b) throw new Error(`the task lists more inline input blocks than the ${inline.length} it carries`);
      return b;
    };
    for (const i of inputs) {
      if (!i.locations) {
        for (let k = 0; k < i.blocks; k++) out.push(takeInline());
        continue;
      }
      for (const loc of i.locations) {
        if (!loc.workerId) {
          out.push(takeInline());
          continue;
        }
        const key = { ns, shuffleId: i.shuffleId, mapIndex: loc.mapIndex, reduce: loc.reducePartition };
        wanted.push({
          key,
          loc,
          shuffleId: i.shuffleId,
          slot: out.length,
          view: new Uint8Array(0),
          filled: 0,
        });
        out.push(new Uint8Array(0)); // replaced below
      }
    }
    if (next !== inline.length)
      throw new Error(`the task carries ${inline.length} inline input blocks but lists ${next}`);
    // One shared buffer for everything fetched: the pool thread reads it without a copy.
    const total = wanted.reduce((n, w) => n + w.loc.size, 0);
    const buffer = this.take(total);
    const shared = new Uint8Array(buffer, 0, total);
    let at = 0;
    for (const x of wanted) {
      x.view = shared.subarray(at, at + x.loc.size);
      out[x.slot] = x.view;
      at += x.loc.size;
    }
    const me = this.self();
    const local: Wanted[] = [];
    const byHolder = new Map<string, Wanted[]>();
    for (const x of wanted) {
      if (x.loc.workerId === me.id || x.loc.address === me.address) local.push(x);
      else {
        const l = byHolder.get(x.loc.address);
        if (l) l.push(x);
        else byHolder.set(x.loc.address, [x]);
      }
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.all([
        this.readLocal(local),
        ...[...byHolder].map(([address, xs]) => this.fetchFrom(address, xs, stop.signal)),
      ]).catch((e: unknown) => {
        stop.abort(e);
        throw e;
      });
    } catch (e) {
      if (e instanceof FetchFailedError) this.counters.fetchFailures++;
      // Not reused: a local read or a cancelled stream may still be writing into it.
      throw e;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    let released = false;
    return {
      blocks: out,
      release: () => {
        if (released) return;
        released = true;
        this.give(buffer);
      },
    };
  }

  /** A shared buffer of at least `n` bytes: a spare one not much larger, else a new one. */
  private take(n: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const len = this.spare[i]!.byteLength;
      if (len >= n && len <= 4 * n + (1 << 20) && (best < 0 || len < this.spare[best]!.byteLength)) best = i;
    }
    if (best >= 0) return this.spare.splice(best, 1)[0]!;
    return new SharedArrayBuffer(n);
  }

  /** Keeps a buffer whose task is over for the next fetch (the smallest ones go first when full). */
  private give(b: SharedArrayBuffer): void {
    if (b.byteLength === 0 || b.byteLength > MAX_SPARE_BYTES) return;
    this.spare.push(b);
    this.spare.sort((x, y) => y.byteLength - x.byteLength);
    if (this.spare.length > MAX_SPARE) this.spare.length = MAX_SPARE;
  }

  /** Closes the clients. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private async readLocal(xs: readonly Wanted[]): Promise<void> {
    for (const x of xs) {
      if (this.store.sizeOf(x.key) !== x.loc.size) {
        throw fetchFailed(x, false, "this worker no longer holds it");
      }
      await this.store.readInto(x.key, x.view);
      this.counters.fetchedLocalBlocks++;
      this.counters.fetchedLocalBytes += x.loc.size;
    }
  }

  private fetchFrom(address: string, xs: readonly Wanted[], signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const byId = new Map(xs.map((x) => [blockId(x.key), x]));
      let call: ClientReadableStream<BlockChunk>;
      try {
        call = this.client(address).fetchBlocks({ blockIds: [...byId.keys()] });
      } catch (e) {
        return reject(fetchFailed(xs[0]!, true, (e as Error).message));
      }
      let settled = false;
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => {
        call.cancel();
        finish(signal.reason ?? new Error("aborted"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      call.on("data", (c: BlockChunk) => {
        if (settled) return;
        const x = byId.get(c.blockId);
        const offset = Number(c.offset);
        if (!x || offset < 0 || offset + c.data.byteLength > x.view.byteLength) {
          call.cancel();
          return finish(fetchFailed(x ?? xs[0]!, false, `a malformed chunk for ${c.blockId.slice(0, 100)}`));
        }
        x.view.set(c.data, offset);
        x.filled += c.data.byteLength;
      });
      call.on("error", (e: ServiceError) => {
        if (settled) return;
        // NOT_FOUND names the block; anything else is about the holder.
        const named = [...byId.entries()].find(([id]) => e.details?.includes(id))?.[1];
        const first = named ?? xs.find((x) => x.filled < x.view.byteLength) ?? xs[0]!;
        if (isPeerLost(e)) this.dropClient(address);
        finish(fetchFailed(first, isPeerLost(e), describeStatus(e)));
      });
      call.on("end", () => {
        const short = xs.find((x) => x.filled !== x.view.byteLength);
        if (short)
          return finish(
            fetchFailed(
              short,
              false,
              `the stream ended after ${short.filled} of ${short.view.byteLength} bytes`,
            ),
          );
        for (const x of xs) {
          this.counters.fetchedRemoteBlocks++;
          this.counters.fetchedRemoteBytes += x.loc.size;
        }
        finish();
      });
    });
  }

  private client(address: string): BlocksClient {
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = blocksClient(address, this.security)));
    return c;
  }

  private dropClient(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
  }
}

function fetchFailed(x: Wanted, unreachable: boolean, why: string): FetchFailedError {
  const f: FetchFailure = {
    workerId: x.loc.workerId,
    address: x.loc.address,
    shuffleId: x.shuffleId,
    mapIndex: x.loc.mapIndex,
    reducePartition: x.loc.reducePartition,
    unreachable,
  };
  return new FetchFailedError(describeFetchFailure(f, why), f);
}
