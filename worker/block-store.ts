// A worker's shuffle block store: the map outputs of the tasks it ran, kept for the reduce
// tasks that fetch them (from this worker's own pool, or from other workers over
// Blocks.FetchBlocks). In memory up to a budget, then spilled to files under the worker's
// scratch directory. Blocks are named by id only: `shuffle_<namespace>_<shuffle>_<map>_<reduce>`,
// parsed strictly, and never used to build a path (spill files are named by a counter), so no
// request can reach a file outside the store.
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";

/** What a block id names. */
export interface BlockKey {
  /** The driver's namespace ([0-9a-z]{1,40}): one per driver executor. */
  readonly ns: string;
  readonly shuffleId: number;
  readonly mapIndex: number;
  readonly reduce: number;
}

const NAMESPACE = /^[0-9a-z]{1,40}$/;
const BLOCK_ID = /^shuffle_([0-9a-z]{1,40})_(\d{1,9})_(\d{1,9})_(\d{1,9})$/;

/** True for a valid block namespace. */
export const isNamespace = (ns: string): boolean => NAMESPACE.test(ns);

/** The id of a block. */
export const blockId = (k: BlockKey): string => `shuffle_${k.ns}_${k.shuffleId}_${k.mapIndex}_${k.reduce}`;

/** Parses a block id; null for anything that is not exactly one. */
export function parseBlockId(id: string): BlockKey | null {
  const m = BLOCK_ID.exec(id);
  if (!m) return null;
  return { ns: m[1]!, shuffleId: Number(m[2]), mapIndex: Number(m[3]), reduce: Number(m[4]) };
}

/** One map task's blocks: resident views, or a spill file with the blocks back to back. */
interface StoredOutput {
  readonly sizes: readonly number[];
  readonly offsets: readonly number[];
  readonly bytes: number;
  blocks: readonly Uint8Array[] | null;
  spillPath: string | null;
}

/** Counters of the store, reported with heartbeats. */
export interface BlockStoreCounters {
  heldBlocks: number;
  heldBytes: number;
  spilledBytes: number;
  removedBlocks: number;
}

/** Map outputs by namespace and shuffle, then map index. */
export class WorkerBlockStore {
  private readonly outputs = new Map<string, Map<number, StoredOutput>>();
  /** Last time each namespace stored or launched something (for expiry of dead drivers). */
  private readonly lastUsed = new Map<string, number>();
  private resident = 0;
  private spilled = 0;
  private held = 0;
  private removed = 0;
  private spillSeq = 0;
  private dirMade = false;

  constructor(
    /** Bytes kept in memory before map outputs spill to `dir`. */
    private readonly budgetBytes: number,
    /** Spill directory (made on first use, inside the worker's scratch directory). */
    private readonly dir: string,
  ) {}

  /** Keeps the blocks of map task `mapIndex` (one per reduce partition), replacing older ones. */
  put(ns: string, shuffleId: number, mapIndex: number, blocks: readonly Uint8Array[]): void {
    const key = `${ns}/${shuffleId}`;
    let maps = this.outputs.get(key);
    if (!maps) this.outputs.set(key, (maps = new Map()));
    const old = maps.get(mapIndex);
    if (old) this.drop(old);
    const sizes = blocks.map((b) => b.byteLength);
    const offsets: number[] = [];
    let at = 0;
    for (const n of sizes) {
      offsets.push(at);
      at += n;
    }
    maps.set(mapIndex, { sizes, offsets, bytes: at, blocks: [...blocks], spillPath: null });
    this.resident += at;
    this.held += blocks.length;
    this.touch(ns);
    if (this.resident > this.budgetBytes) this.spillSome(maps.get(mapIndex)!);
  }

  /** The size of a block, or null when the store does not hold it. */
  sizeOf(k: BlockKey): number | null {
    const o = this.outputs.get(`${k.ns}/${k.shuffleId}`)?.get(k.mapIndex);
    const n = o?.sizes[k.reduce];
    return n === undefined ? null : n;
  }

  /**
   * The block's bytes in pieces of at most `chunk` bytes (resident: views; spilled: read from
   * its file). Throws when the store does not hold it.
   */
  async *pieces(k: BlockKey, chunk: number): AsyncGenerator<Uint8Array> {
    const o = this.outputs.get(`${k.ns}/${k.shuffleId}`)?.get(k.mapIndex);
    const size = o?.sizes[k.reduce];
    if (!o || size === undefined) throw new Error(`block ${blockId(k)} is not held here`);
    if (o.blocks) {
      const b = o.blocks[k.reduce]!;
      for (let at = 0; at < size; at += chunk) yield b.subarray(at, Math.min(size, at + chunk));
      return;
    }
    const fh = await open(o.spillPath!, "r");
    try {
      const base = o.offsets[k.reduce]!;
      for (let at = 0; at < size; at += chunk) {
        const n = Math.min(chunk, size - at);
        const buf = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const r = await fh.read(buf, got, n - got, base + at + got);
          if (r.bytesRead === 0) throw new Error(`spill file of ${blockId(k)} is truncated`);
          got += r.bytesRead;
        }
        yield buf;
      }
    } finally {
      await fh.close();
    }
  }

  /** Copies a block into `into` (which has exactly its size). Throws when not held. */
  async readInto(k: BlockKey, into: Uint8Array): Promise<void> {
    let at = 0;
    for await (const p of this.pieces(k, 8 << 20)) {
      into.set(p, at);
      at += p.byteLength;
    }
  }

  /** Drops some shuffles of a namespace (or all of it); returns what was removed. */
  removeShuffles(ns: string, shuffleIds: readonly number[] | "all"): { blocks: number; bytes: number } {
    let blocks = 0;
    let bytes = 0;
    for (const [key, maps] of this.outputs) {
      const slash = key.indexOf("/");
      if (key.slice(0, slash) !== ns) continue;
      if (shuffleIds !== "all" && !shuffleIds.includes(Number(key.slice(slash + 1)))) continue;
      for (const o of maps.values()) {
        blocks += o.sizes.length;
        bytes += o.bytes;
        this.drop(o);
      }
      this.outputs.delete(key);
    }
    if (shuffleIds === "all") this.lastUsed.delete(ns);
    this.removed += blocks;
    return { blocks, bytes };
  }

  /** Notes that a driver namespace is in use (its tasks keep it from expiring). */
  touch(ns: string): void {
    this.lastUsed.set(ns, Date.now());
  }

  /**
   * Drops namespaces unused for `ttlMs` (drivers that died without removing their blocks);
   * returns the ones that still held blocks.
   */
  expire(ttlMs: number, now = Date.now()): string[] {
    const gone: string[] = [];
    for (const [ns, t] of this.lastUsed) {
      if (now - t < ttlMs) continue;
      if (this.removeShuffles(ns, "all").blocks > 0) gone.push(ns);
    }
    return gone;
  }

  counters(): BlockStoreCounters {
    return {
      heldBlocks: this.held,
      heldBytes: this.resident + this.spilled,
      spilledBytes: this.spilled,
      removedBlocks: this.removed,
    };
  }

  /** Drops everything and the spill directory. */
  clear(): void {
    for (const maps of this.outputs.values()) for (const o of maps.values()) this.drop(o);
    this.outputs.clear();
    this.lastUsed.clear();
    if (this.dirMade) rmSync(this.dir, { recursive: true, force: true });
    this.dirMade = false;
  }

  private drop(o: StoredOutput): void {
    if (o.blocks) this.resident -= o.bytes;
    else this.spilled -= o.bytes;
    this.held -= o.sizes.length;
    if (o.spillPath) rmSync(o.spillPath, { force: true });
    o.blocks = null;
    o.spillPath = null;
  }

  /** Spills resident outputs (oldest first, never `keep`) until under budget. */
  private spillSome(keep: StoredOutput): void {
    for (const maps of this.outputs.values()) {
      for (const o of maps.values()) {
        if (this.resident <= this.budgetBytes) return;
        if (!o.blocks || o === keep || o.bytes === 0) continue;
        o.spillPath = this.writeSpill(o.blocks);
        o.blocks = null;
        this.resident -= o.bytes;
        this.spilled += o.bytes;
      }
    }
  }

  private writeSpill(blocks: readonly Uint8Array[]): string {
    if (!this.dirMade) {
      mkdirSync(this.dir, { recursive: true });
      this.dirMade = true;
    }
    const path = join(this.dir, `map-${this.spillSeq++}.blocks`);
    const fd = openSync(path, "w");
    try {
      for (const b of blocks) {
        let at = 0;
        while (at < b.byteLength) at += writeSync(fd, b, at, b.byteLength - at);
      }
    } finally {
      closeSync(fd);
    }
    return path;
  }
}
