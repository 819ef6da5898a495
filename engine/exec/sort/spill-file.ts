// Spill files of sorted runs: a sequence of frames, each a 4-byte little-endian length and
// the Arrow IPC stream bytes of one batch (`batchesToIPC`). Written append-only, read back one
// frame at a time so a merge holds only the current batch of each run in memory.
import { type FileHandle, open } from "node:fs/promises";
import { batchesFromIPC, batchesToIPC } from "../../columnar/arrow.js";
import type { Batch } from "../../columnar/column.js";
import type { Schema } from "../../types/data-type.js";

/** Appends batches to a spill file. */
export class SpillWriter {
  private bytes = 0;
  private constructor(
    private readonly fh: FileHandle,
    private readonly schema: Schema,
  ) {}

  /** Creates (truncates) the file at `path`. */
  static async create(path: string, schema: Schema): Promise<SpillWriter> {
    return new SpillWriter(await open(path, "w"), schema);
  }

  /** Appends one batch as one frame. */
  async write(batch: Batch): Promise<void> {
    const ipc = batchesToIPC(this.schema, [batch]);
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, ipc.byteLength, true);
    await this.fh.write(head);
    await this.fh.write(ipc);
    this.bytes += 4 + ipc.byteLength;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.bytes;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Streams the batches of a spill file back, one frame at a time; closes the file at the end. */
export async function* readSpillFile(path: string): AsyncGenerator<Batch> {
  const fh = await open(path, "r");
  try {
    const head = new Uint8Array(4);
    let pos = 0;
    for (;;) {
      const h = await fh.read(head, 0, 4, pos);
      if (h.bytesRead === 0) return;
      if (h.bytesRead < 4) throw new Error(`spill file ${path} is truncated at byte ${pos}`);
      const len = new DataView(head.buffer).getUint32(0, true);
      const buf = new Uint8Array(len);
      const r = await fh.read(buf, 0, len, pos + 4);
      if (r.bytesRead < len)
        throw new Error(`spill file ${path} is truncated at byte ${pos + 4 + r.bytesRead}`);
      pos += 4 + len;
      for (const b of batchesFromIPC(buf).batches) yield b;
    }
  } finally {
    await fh.close();
  }
}
