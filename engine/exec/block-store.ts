// The driver's block store for local mode: the map outputs of every shuffle (one Arrow IPC
// block per reduce partition per map task), in memory up to a budget and spilled to a local
// directory beyond it. Blocks are SharedArrayBuffer views, so handing one to a reduce task
// shares it instead of copying; a spilled map output is read back into shared memory.
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface MapOutput {
  /** Resident blocks, or null when spilled. */
  blocks: Uint8Array[] | null;
  /** Byte sizes of the blocks (also for spilled outputs). */
  readonly sizes: number[];
  spillPath: string | null;
}

/** Map outputs by shuffle id, then map index. */
export class BlockStore {
  private readonly shuffles = new Map<number, MapOutput[]>();
  private resident = 0;
  private spillDir: string | null = null;
  private spills = 0;

  constructor(
    /** Bytes kept in memory before map outputs spill to disk. */
    private readonly budgetBytes: number,
    private readonly localDir: string = tmpdir(),
  ) {}

  /** Records the blocks map task `mapIndex` of shuffle `shuffleId` produced. */
  putMapOutput(shuffleId: number, mapIndex: number, blocks: readonly Uint8Array[]): void {
    let maps = this.shuffles.get(shuffleId);
    if (!maps) this.shuffles.set(shuffleId, (maps = []));
    const sizes = blocks.map((b) => b.byteLength);
    const old = maps[mapIndex];
    if (old?.blocks) this.resident -= sum(old.sizes);
    maps[mapIndex] = { blocks: [...blocks], sizes, spillPath: null };
    this.resident += sum(sizes);
    if (this.resident > this.budgetBytes) this.spillSome(shuffleId, mapIndex);
  }

  /** Block `reduce` of every map output of a shuffle, in map-index order. */
  reduceBlocks(shuffleId: number, reduce: number): Uint8Array[] {
    return this.maps(shuffleId).map((m) => this.blocksOf(m)[reduce] ?? new Uint8Array(0));
  }

  /** Every block of a shuffle, map by map (a broadcast read). */
  allBlocks(shuffleId: number): Uint8Array[] {
    return this.maps(shuffleId).flatMap((m) => this.blocksOf(m));
  }

  /** Total bytes of a shuffle's blocks (the broadcast-size check). */
  shuffleBytes(shuffleId: number): number {
    return this.maps(shuffleId).reduce((n, m) => n + sum(m.sizes), 0);
  }

  /** Bytes currently in memory. */
  get residentBytes(): number {
    return this.resident;
  }

  /** Drops a shuffle's blocks (memory and spill files). */
  removeShuffle(shuffleId: number): void {
    for (const m of this.shuffles.get(shuffleId) ?? []) {
      if (m.blocks) this.resident -= sum(m.sizes);
      if (m.spillPath) rmSync(m.spillPath, { force: true });
    }
    this.shuffles.delete(shuffleId);
  }

  /** Drops everything, including the spill directory. */
  clear(): void {
    for (const id of [...this.shuffles.keys()]) this.removeShuffle(id);
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = null;
  }

  private maps(shuffleId: number): MapOutput[] {
    const maps = this.shuffles.get(shuffleId);
    if (!maps) throw new Error(`shuffle ${shuffleId} has no map output (was its stage run?)`);
    return maps;
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
