// The driver's block store: the map outputs of every shuffle (one Arrow IPC block per reduce
// partition per map task). In local mode (and for cached partitions and large local relations
// in every mode) it holds the bytes, in memory up to a budget and spilled to a local directory
// beyond it; blocks are SharedArrayBuffer views, so handing one to a reduce task shares it
// instead of copying, and a spilled map output is read back into shared memory. In cluster
// mode a shuffle's map outputs stay on the workers that ran them and the store is their
// registry: which worker holds each map output and the size of each block. A lost worker's
// map outputs are forgotten (`forgetHolder`), and the scheduler reruns the missing map tasks.
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KindlingError } from "../errors.js";
import type { BlockHolder } from "./executor.js";
import type { BlockLocation } from "./task.js";

interface MapOutput {
  /** Resident blocks, or null when spilled or held by a worker. */
  blocks: Uint8Array[] | null;
  /** Byte sizes of the blocks (also for spilled and held outputs). */
  readonly sizes: number[];
  spillPath: string | null;
  /** The worker that keeps the blocks (cluster mode); absent when the driver has them. */
  readonly holder?: BlockHolder;
}

/** The blocks one reduce partition (or a broadcast read) takes from one shuffle. */
export interface ShuffleInputs {
  /** Blocks the driver holds, in order (they travel beside the task). */
  readonly blocks: Uint8Array[];
  /** One per block, in map order, when a worker holds any of them. */
  readonly locations?: BlockLocation[];
}

/** A shuffle read found map outputs missing (their worker was lost): they must be recomputed. */
export class MapOutputMissing extends KindlingError {
  override readonly kind = "MapOutputMissing";
  override readonly name = "MapOutputMissing";
  constructor(
    readonly shuffleId: number,
    readonly maps: readonly number[],
  ) {
    super(`shuffle ${shuffleId}: the output of map task(s) ${maps.join(", ")} is lost`);
  }
}

/** Map outputs by shuffle id, then map index (a hole is a lost or not yet run map task). */
export class BlockStore {
  private readonly shuffles = new Map<number, (MapOutput | undefined)[]>();
  /** Map task counts of the shuffles declared with `declareShuffle`. */
  private readonly mapCounts = new Map<number, number>();
  private resident = 0;
  private spillDir: string | null = null;
  private spills = 0;

  constructor(
    /** Bytes kept in memory before map outputs spill to disk. */
    private readonly budgetBytes: number,
    private readonly localDir: string = tmpdir(),
  ) {}

  /** Announces a shuffle of `numMaps` map tasks, so that missing outputs can be listed. */
  declareShuffle(shuffleId: number, numMaps: number): void {
    this.mapCounts.set(shuffleId, numMaps);
    if (!this.shuffles.has(shuffleId)) this.shuffles.set(shuffleId, []);
  }

  /** Records the blocks map task `mapIndex` of shuffle `shuffleId` produced. */
  putMapOutput(shuffleId: number, mapIndex: number, blocks: readonly Uint8Array[]): void {
    const maps = this.replacing(shuffleId, mapIndex);
    const sizes = blocks.map((b) => b.byteLength);
    maps[mapIndex] = { blocks: [...blocks], sizes, spillPath: null };
    this.resident += sum(sizes);
    if (this.resident > this.budgetBytes) this.spillSome(shuffleId, mapIndex);
  }

  /** Records that `holder` keeps the blocks of map task `mapIndex` (their sizes in reduce order). */
  putHeldMapOutput(shuffleId: number, mapIndex: number, holder: BlockHolder, sizes: readonly number[]): void {
    const maps = this.replacing(shuffleId, mapIndex);
    maps[mapIndex] = { blocks: null, sizes: [...sizes], spillPath: null, holder };
  }

  /** Forgets every map output `workerId` held; returns how many per shuffle. */
  forgetHolder(workerId: string): Map<number, number[]> {
    const lost = new Map<number, number[]>();
    for (const [id, maps] of this.shuffles) {
      for (let i = 0; i < maps.length; i++) {
        if (maps[i]?.holder?.workerId !== workerId) continue;
        maps[i] = undefined;
        const l = lost.get(id);
        if (l) l.push(i);
        else lost.set(id, [i]);
      }
    }
    return lost;
  }

  /** Map tasks of a declared shuffle whose output is missing (never run, or lost). */
  missingMaps(shuffleId: number): number[] {
    const n = this.mapCounts.get(shuffleId);
    const maps = this.shuffles.get(shuffleId);
    if (n === undefined || !maps) return [];
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!maps[i]) out.push(i);
    return out;
  }

  /** The worker holding each map output of a shuffle ("" = the driver; undefined = missing). */
  holders(shuffleId: number): (string | undefined)[] {
    const maps = this.shuffles.get(shuffleId) ?? [];
    const n = Math.max(maps.length, this.mapCounts.get(shuffleId) ?? 0);
    return Array.from({ length: n }, (_, i) => {
      const m = maps[i];
      return m ? (m.holder?.workerId ?? "") : undefined;
    });
  }

  /**
   * The blocks reduce partition `reduce` reads from a shuffle, in map-index order; `reduce` -1
   * reads every block, map by map (a broadcast read). Throws MapOutputMissing when a map
   * output is lost.
   */
  inputsOf(shuffleId: number, reduce: number): ShuffleInputs {
    const maps = this.maps(shuffleId);
    const missing = this.missingMaps(shuffleId);
    for (let i = 0; i < maps.length; i++) if (!maps[i] && !missing.includes(i)) missing.push(i);
    if (missing.length) throw new MapOutputMissing(shuffleId, missing);
    const present = maps as MapOutput[];
    if (!present.some((m) => m.holder)) {
      // Local mode: the bytes travel beside the task.
      const blocks =
        reduce < 0
          ? present.flatMap((m) => this.blocksOf(m))
          : present.map((m) => this.blocksOf(m)[reduce] ?? new Uint8Array(0));
      return { blocks };
    }
    const blocks: Uint8Array[] = [];
    const locations: BlockLocation[] = [];
    const add = (m: MapOutput, mapIndex: number, r: number) => {
      const size = m.sizes[r] ?? 0;
      if (m.holder && size > 0) {
        locations.push({
          workerId: m.holder.workerId,
          address: m.holder.address,
          mapIndex,
          reducePartition: r,
          size,
        });
        return;
      }
      // Driver-held, or empty (nothing to fetch: an empty block never depends on its holder).
      locations.push({ workerId: "", address: "", mapIndex, reducePartition: r, size });
      blocks.push(m.holder ? new Uint8Array(0) : (this.blocksOf(m)[r] ?? new Uint8Array(0)));
    };
    present.forEach((m, i) => {
      if (reduce >= 0) add(m, i, reduce);
      else for (let r = 0; r < m.sizes.length; r++) add(m, i, r);
    });
    return { blocks, locations };
  }

  /** Total bytes of a shuffle's blocks. */
  shuffleBytes(shuffleId: number): number {
    return this.maps(shuffleId).reduce((n, m) => n + (m ? sum(m.sizes) : 0), 0);
  }

  /** Bytes currently in memory. */
  get residentBytes(): number {
    return this.resident;
  }

  /** Drops a shuffle's blocks (memory and spill files). */
  removeShuffle(shuffleId: number): void {
    for (const m of this.shuffles.get(shuffleId) ?? []) this.release(m);
    this.shuffles.delete(shuffleId);
    this.mapCounts.delete(shuffleId);
  }

  /** Drops everything, including the spill directory. */
  clear(): void {
    for (const id of [...this.shuffles.keys()]) this.removeShuffle(id);
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = null;
  }

  private maps(shuffleId: number): (MapOutput | undefined)[] {
    const maps = this.shuffles.get(shuffleId);
    if (!maps) throw new Error(`shuffle ${shuffleId} has no map output (was its stage run?)`);
    return maps;
  }

  /** The shuffle's map list, with the output being replaced at `mapIndex` released. */
  private replacing(shuffleId: number, mapIndex: number): (MapOutput | undefined)[] {
    let maps = this.shuffles.get(shuffleId);
    if (!maps) this.shuffles.set(shuffleId, (maps = []));
    const old = maps[mapIndex];
    if (old) this.release(old);
    return maps;
  }

  private release(m: MapOutput | undefined): void {
    if (m?.blocks) this.resident -= sum(m.sizes);
    if (m?.spillPath) rmSync(m.spillPath, { force: true });
  }

  /** Spills resident map outputs (oldest first, never the one just added) until under budget. */
  private spillSome(keepShuffle: number, keepMap: number): void {
    for (const [id, maps] of this.shuffles) {
      for (let i = 0; i < maps.length && this.resident > this.budgetBytes; i++) {
        const m = maps[i];
        if (!m?.blocks || (id === keepShuffle && i === keepMap)) continue;
        m.spillPath = this.writeSpill(m.blocks);
        m.blocks = null;
        this.resident -= sum(m.sizes);
      }
    }
  }

  private writeSpill(blocks: readonly Uint8Array[]): string {
    if (!this.spillDir) {
      this.spillDir = join(this.localDir, `kindling-blocks-${process.pid}-${Date.now().toString(36)}`);
      mkdirSync(this.spillDir, { recursive: true });
    }
    const path = join(this.spillDir, `map-${this.spills++}.blocks`);
    const fd = openSync(path, "w");
    try {
      for (const b of blocks) writeSync(fd, b);
    } finally {
      closeSync(fd);
    }
    return path;
  }

  private blocksOf(m: MapOutput): Uint8Array[] {
    if (m.blocks) return m.blocks;
    // Read a spilled output back into shared memory (not cached: it may be large).
    const total = sum(m.sizes);
    const shared = new Uint8Array(new SharedArrayBuffer(total));
    const fd = openSync(m.spillPath!, "r");
    try {
      let at = 0;
      while (at < total) at += readSync(fd, shared, at, total - at, at);
    } finally {
      closeSync(fd);
    }
    const out: Uint8Array[] = [];
    let at = 0;
    for (const s of m.sizes) {
      out.push(shared.subarray(at, at + s));
      at += s;
    }
    return out;
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
