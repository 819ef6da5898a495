// Bytes of text files for the line-based readers (CSV, JSON lines): a refillable window over a
// byte range of a plain file or over a gunzipped stream, and bounded synchronous samples for
// schema inference.
import * as fs from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import * as zlib from "node:zlib";
import { DataError } from "../../errors.js";

/** Whether a path is gzip-compressed (by extension, as Hadoop's codec factory decides). */
export function isGzipPath(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** Fails on compression codecs Kindling cannot read (a clear error instead of garbage). */
export function checkCodec(path: string): void {
  if (/\.(bz2|zst|zstd|lz4|snappy|deflate|xz|zip|br)$/i.test(path)) {
    throw new DataError(`cannot read ${path}: only uncompressed and gzip (.gz) text files are supported`);
  }
}

const CHUNK = 2 * 1024 * 1024;

interface Pull {
  /** Reads into buf[off, off+len); returns bytes read, 0 at end of input. */
  read(buf: Uint8Array, off: number, len: number): Promise<number>;
  close(): Promise<void>;
}

class FilePull implements Pull {
  constructor(
    private readonly fh: FileHandle,
    private pos: number,
  ) {}
  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    const { bytesRead } = await this.fh.read(buf, off, len, this.pos);
    this.pos += bytesRead;
    return bytesRead;
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

class GzipPull implements Pull {
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private pendingPos = 0;
  constructor(
    private readonly path: string,
    private readonly stream: NodeJS.ReadableStream & { destroy(): void },
  ) {
    this.it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    if (this.pending === null || this.pendingPos >= this.pending.length) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.it.next();
      } catch (e) {
        throw new DataError(`cannot decompress ${this.path}: ${(e as Error).message}`);
      }
      if (r.done) return 0;
      this.pending = r.value;
      this.pendingPos = 0;
    }
    const n = Math.min(len, this.pending.length - this.pendingPos);
    buf.set(this.pending.subarray(this.pendingPos, this.pendingPos + n), off);
    this.pendingPos += n;
    return n;
  }
  async close(): Promise<void> {
    this.stream.destroy();
  }
}

/**
 * A window over the input: bytes buf[0, end) hold the file from `base` on. Readers consume
 * from `pos`; `fill` keeps buf[keep, end), moves it to the front and appends more input.
 */
export class ByteWindow {
  buf: Buffer;
  end = 0;
  /** File offset (uncompressed) of buf[0]. */
  base: number;
  eof = false;

  private constructor(
    private readonly pull: Pull,
    start: number,
    capacity: number,
  ) {
    this.base = start;
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /**
   * Opens a plain file at byte `start`, or a gzip file from its beginning. `expected` (bytes
   * likely to be read, -1 if unknown) sizes the first buffer so that small splits stay cheap.
   */
  static async open(path: string, start: number, expected = -1): Promise<ByteWindow> {
    checkCodec(path);
    if (isGzipPath(path)) {
      const stream = fs
        .createReadStream(path, { highWaterMark: CHUNK })
        .pipe(zlib.createGunzip({ chunkSize: 256 * 1024 }));
      return new ByteWindow(new GzipPull(path, stream), 0, CHUNK);
    }
    let fh: FileHandle;
    try {
      fh = await open(path, "r");
    } catch (e) {
      throw new DataError(`cannot open ${path}: ${(e as Error).message}`);
    }
    const cap = expected < 0 ? CHUNK : Math.min(CHUNK, Math.max(4096, expected + 4096));
    return new ByteWindow(new FilePull(fh, start), start, cap);
  }

  /**
   * Drops buf[0, keep), then reads until the buffer is full or the input ends. The buffer grows
   * when `keep` is 0 and it is already full (one record longer than the buffer). Returns the
   * number of bytes dropped, which callers subtract from their positions.
   */
  async fill(keep: number): Promise<number> {
    if (keep > 0) {
      this.buf.copy(this.buf, 0, keep, this.end);
      this.end -= keep;
      this.base += keep;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    while (!this.eof && this.end < this.buf.length) {
      const n = await this.pull.read(this.buf, this.end, this.buf.length - this.end);
      if (n === 0) this.eof = true;
      this.end += n;
      if (n > 0 && this.end >= Math.min(this.buf.length, CHUNK)) break;
    }
    return keep;
  }

  /** Releases the file or stream. */
  close(): Promise<void> {
    return this.pull.close();
  }
}

/**
 * Up to about `maxBytes` uncompressed bytes from the start of a file, read synchronously.
 * `complete` tells whether they are the whole file.
 */
export function readSample(path: string, maxBytes: number): { bytes: Uint8Array; complete: boolean } {
  checkCodec(path);
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (e) {
    throw new DataError(`cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (!isGzipPath(path)) {
      const n = Math.min(size, maxBytes);
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const r = fs.readSync(fd, buf, got, n - got, got);
        if (r === 0) break;
        got += r;
      }
      return { bytes: buf.subarray(0, got), complete: got >= size };
    }
    // gzip: inflate a compressed prefix; Z_SYNC_FLUSH returns what a truncated stream holds.
    // The prefix grows until it yields maxBytes, and is bisected when it inflates too much.
    const limit = Math.max(maxBytes * 8, 64 * 1024 * 1024);
    let good: Buffer = Buffer.alloc(0);
    let lo = 0;
    let hi = 0;
    let prefix = Math.min(size, Math.max(64 * 1024, maxBytes >> 3));
    for (let iter = 0; iter < 40 && prefix > lo; iter++) {
      const buf = Buffer.allocUnsafe(prefix);
      const got = fs.readSync(fd, buf, 0, prefix, 0);
      const whole = got >= size;
      let out: Buffer;
      try {
        out = zlib.gunzipSync(buf.subarray(0, got), {
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
          maxOutputLength: limit,
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ERR_BUFFER_TOO_LARGE") {
          throw new DataError(`cannot decompress ${path}: ${(e as Error).message}`);
        }
        hi = prefix;
        prefix = Math.floor((lo + hi) / 2);
        continue;
      }
      if (out.length >= maxBytes || whole) {
        return {
          bytes: out.subarray(0, Math.min(out.length, maxBytes)),
          complete: whole && out.length <= maxBytes,
        };
      }
      good = out;
      lo = prefix;
      prefix = hi > 0 ? Math.floor((lo + hi) / 2) : Math.min(size, prefix * 4);
    }
    return { bytes: good, complete: false };
  } finally {
    fs.closeSync(fd);
  }
}

/** The 1-based physical line number of byte `offset` of a plain file (counts LF, CR and CRLF). */
export function lineNumberAt(path: string, offset: number): number {
  const fd = fs.openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let line = 1;
    let pos = 0;
    let prevCR = false;
    while (pos < offset) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, offset - pos), pos);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const c = buf[i]!;
        if (c === 10) {
          if (!prevCR) line++;
          prevCR = false;
        } else if (c === 13) {
          line++;
          prevCR = true;
        } else {
          prevCR = false;
        }
      }
      pos += n;
    }
    return line;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Skips from the window's start through the first line terminator (LF, CR or CRLF) and returns
 * the position after it: a split that does not start at 0 begins at the next line start.
 */
export async function skipPartialLine(w: ByteWindow): Promise<number> {
  let p = 0;
  for (;;) {
    const b = w.buf;
    let i = p;
    while (i < w.end && b[i] !== 10 && b[i] !== 13) i++;
    if (i < w.end) {
      if (b[i] === 10) return i + 1;
      if (i + 1 < w.end) return b[i + 1] === 10 ? i + 2 : i + 1;
      if (w.eof) return i + 1;
      p = i - (await w.fill(i));
      continue;
    }
    if (w.eof) return w.end;
    p = 0;
    await w.fill(w.end);
  }
}
