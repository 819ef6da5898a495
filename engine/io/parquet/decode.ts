// Decoding one flat column chunk in JS: page headers (thrift), decompression, definition
// levels, and PLAIN / dictionary / DELTA_BINARY_PACKED values, straight into Kindling
// column buffers for any run of rows (batches need not follow page boundaries). Scratch
// buffers are kept per decoder and reused for every page and row group.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { decodeDelta } from "./delta.js";
import { decodeBitLevels, decodeHybrid } from "./encodings.js";
import { decompressPage } from "./page-codec.js";
import { PageValues, type Physical } from "./page-values.js";
import { ThriftReader, TT } from "./thrift.js";

/** What the decoder needs to know about a column chunk. */
export interface ChunkSpec {
  readonly physical: Physical;
  readonly type: DataType;
  /** 1 for an OPTIONAL column, 0 for REQUIRED. */
  readonly maxDef: number;
}

interface PageHeader {
  type: number;
  uncompressed: number;
  compressed: number;
  numValues: number;
  encoding: number;
  // V2
  numNulls: number;
  defBytes: number;
  repBytes: number;
  isCompressed: boolean;
}

const ENC_PLAIN = 0;
const ENC_PLAIN_DICTIONARY = 2;
const ENC_RLE = 3;
const ENC_DELTA_BINARY_PACKED = 5;
const ENC_RLE_DICTIONARY = 8;

function readHeader(buf: Uint8Array, pos: number, end: number): { h: PageHeader; pos: number } {
  const r = new ThriftReader(buf, pos, end);
  const h: PageHeader = {
    type: -1,
    uncompressed: -1,
    compressed: -1,
    numValues: 0,
    encoding: 0,
    numNulls: 0,
    defBytes: 0,
    repBytes: 0,
    isCompressed: true,
  };
  r.struct((id, t) => {
    if (id === 1 && t === TT.I32) h.type = r.zigzag();
    else if (id === 2 && t === TT.I32) h.uncompressed = r.zigzag();
    else if (id === 3 && t === TT.I32) h.compressed = r.zigzag();
    else if ((id === 5 || id === 7) && t === TT.STRUCT) {
      r.struct((fid, ft) => {
        if (fid === 1 && ft === TT.I32) h.numValues = r.zigzag();
        else if (fid === 2 && ft === TT.I32) h.encoding = r.zigzag();
        else return false;
        return true;
      });
    } else if (id === 8 && t === TT.STRUCT) {
      r.struct((fid, ft) => {
        if (ft === TT.TRUE || ft === TT.FALSE) {
          if (fid === 7) h.isCompressed = ft === TT.TRUE;
          return true;
        }
        if (ft !== TT.I32) return false;
        const v = r.zigzag();
        if (fid === 1) h.numValues = v;
        else if (fid === 2) h.numNulls = v;
        else if (fid === 4) h.encoding = v;
        else if (fid === 5) h.defBytes = v;
        else if (fid === 6) h.repBytes = v;
        return true;
      });
    } else return false;
    return true;
  });
  if (h.type < 0 || h.uncompressed < 0 || h.compressed < 0 || h.numValues < 0) {
    throw new Error("malformed page header");
  }
  return { h, pos: r.pos };
}

/** Decodes the pages of one column chunk held in `buf[0, len)`. */
export class ChunkDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private len = 0;
  private pos = 0;
  private page = new Uint8Array(1 << 16);
  private levels = new Uint8Array(1 << 16);
  private pageRows = 0;
  private pageRow = 0;
  private codec = "UNCOMPRESSED";
  private readonly values: PageValues;

  constructor(private readonly spec: ChunkSpec) {
    this.values = new PageValues(spec.physical, spec.type);
  }

  /** Starts on a new chunk (the bytes must stay untouched until the next `reset`). */
  reset(buf: Uint8Array, len: number, codec: string): void {
    this.codec = codec;
    this.buf = buf;
    this.len = len;
    this.pos = 0;
    this.pageRows = 0;
    this.pageRow = 0;
    this.values.clearDictionary();
  }

  /** The next `n` rows as a column of the spec's type. */
  read(n: number): Column {
    const out = this.values.allocate(n);
    let valid: Uint8Array | null = null;
    let filled = 0;
    while (filled < n) {
      if (this.pageRow >= this.pageRows) this.nextDataPage();
      const m = Math.min(n - filled, this.pageRows - this.pageRow);
      if (this.spec.maxDef > 0) {
        const lv = this.levels;
        let nulls = 0;
        for (let i = this.pageRow; i < this.pageRow + m; i++) nulls += lv[i]! ^ 1;
        if (nulls > 0 && valid === null) {
          valid = new Uint8Array(n);
          valid.fill(1, 0, filled);
        }
        if (valid !== null) valid.set(lv.subarray(this.pageRow, this.pageRow + m), filled);
        this.values.take(out, filled, m, nulls > 0 ? lv : null, this.pageRow);
      } else this.values.take(out, filled, m, null, 0);
      this.pageRow += m;
      filled += m;
    }
    return this.values.finish(out, n, valid);
  }

  private ensurePage(size: number): void {
    if (this.page.length < size) this.page = new Uint8Array(Math.max(size, this.page.length * 2));
  }

  private nextDataPage(): void {
    for (;;) {
      if (this.pos >= this.len) throw new Error("column chunk ends before its rows do");
      const { h, pos } = readHeader(this.buf, this.pos, this.len);
      const bodyEnd = pos + h.compressed;
      if (bodyEnd > this.len) throw new Error("page overruns its column chunk");
      this.pos = bodyEnd;
      if (h.type === 2) {
        this.ensurePage(h.uncompressed);
        decompressPage(this.codec, this.buf, pos, bodyEnd, this.page, h.uncompressed);
        if (h.encoding !== ENC_PLAIN && h.encoding !== ENC_PLAIN_DICTIONARY) {
          throw new Error(`unsupported dictionary encoding ${h.encoding}`);
        }
        this.values.setDictionary(this.page, 0, h.uncompressed, h.numValues);
        continue;
      }
      if (h.type === 0) {
        this.dataPageV1(h, pos, bodyEnd);
        return;
      }
      if (h.type === 3) {
        this.dataPageV2(h, pos, bodyEnd);
        return;
      }
      // index pages and unknown page types are skipped
    }
  }

  private ensureLevels(n: number): void {
    if (this.levels.length < n) this.levels = new Uint8Array(Math.max(n, this.levels.length * 2));
  }

  private dataPageV1(h: PageHeader, pos: number, end: number): void {
    this.ensurePage(h.uncompressed);
    decompressPage(this.codec, this.buf, pos, end, this.page, h.uncompressed);
    const p = this.page;
    let at = 0;
    const n = h.numValues;
    this.ensureLevels(n);
    let nonNull = n;
    if (this.spec.maxDef > 0) {
      if (at + 4 > h.uncompressed) throw new Error("truncated definition levels");
      const len = (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
      at = 4 + len;
      if (at > h.uncompressed) throw new Error("definition levels overrun the page");
      nonNull = decodeBitLevels(p, 4, at, this.levels, 0, n);
    }
    this.startValues(h.encoding, p, at, h.uncompressed, nonNull);
    this.pageRows = n;
    this.pageRow = 0;
  }

  private dataPageV2(h: PageHeader, pos: number, end: number): void {
    const levelBytes = h.repBytes + h.defBytes;
    if (h.repBytes !== 0) throw new Error("repetition levels in a flat column");
    if (levelBytes > h.compressed) throw new Error("levels overrun the page");
    const n = h.numValues;
    this.ensureLevels(n);
    let nonNull = n;
    if (this.spec.maxDef > 0) nonNull = decodeBitLevels(this.buf, pos, pos + h.defBytes, this.levels, 0, n);
    const valuesSize = h.uncompressed - levelBytes;
    this.ensurePage(valuesSize);
    if (h.isCompressed) {
      decompressPage(this.codec, this.buf, pos + levelBytes, end, this.page, valuesSize);
    } else decompressPage("UNCOMPRESSED", this.buf, pos + levelBytes, end, this.page, valuesSize);
    this.startValues(h.encoding, this.page, 0, valuesSize, nonNull);
    this.pageRows = n;
    this.pageRow = 0;
  }

  private startValues(encoding: number, p: Uint8Array, at: number, end: number, n: number): void {
    const v = this.values;
    switch (encoding) {
      case ENC_PLAIN:
        v.plain(p, at, end, n);
        return;
      case ENC_PLAIN_DICTIONARY:
      case ENC_RLE_DICTIONARY: {
        if (n === 0) {
          v.indices(0);
          return;
        }
        if (at >= end) throw new Error("truncated dictionary indices");
        const width = p[at]!;
        if (width > 32) throw new Error("bad dictionary index width");
        const idx = v.indexScratch(n);
        decodeHybrid(p, at + 1, end, width, idx, 0, n);
        v.indices(n);
        return;
      }
      case ENC_RLE: {
        // Booleans (V2): 4-byte length, then the hybrid with width 1.
        if (this.spec.physical !== "BOOLEAN") throw new Error("RLE values for a non-boolean column");
        const idx = v.indexScratch(n);
        decodeHybrid(p, at + 4, end, 1, idx, 0, n);
        v.rleBooleans(n);
        return;
      }
      case ENC_DELTA_BINARY_PACKED: {
        const wide = this.spec.physical === "INT64";
        const w = v.wordScratch(wide ? 2 * n : n);
        decodeDelta(p, at, end, w, 0, n, wide);
        v.deltaWords(n);
        return;
      }
      default:
        throw new Error(`unsupported value encoding ${encoding}`);
    }
  }
}
