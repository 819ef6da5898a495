// One column chunk of a Parquet file being written: rows are staged into data pages (V2:
// definition levels uncompressed, values compressed) as batches arrive; int32, date, double
// and string columns are dictionary-encoded until the dictionary passes 1 MiB (then PLAIN),
// int64 and timestamp columns DELTA_BINARY_PACKED, booleans PLAIN. Every buffer is reused
// from page to page and row group to row group: the hot path allocates almost nothing.
import type { Column } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { ColumnStats } from "./column-stats.js";
import { deltaMaxLength, encodeDeltaInt64 } from "./delta.js";
import { FixedDictionary, StringDictionary } from "./dictionary.js";
import { Bytes, dictionaryPage, ENC, packBytes, wordsOf } from "./encode-parts.js";
import { bitWidth, encodeBitLevels, encodeHybridPacked } from "./encodings.js";
import { compressPage, type PageCodec } from "./page-codec.js";
import { ThriftWriter } from "./thrift.js";

/** Rows per data page. */
export const PAGE_ROWS = 1 << 16;
const DICT_LIMIT = 1 << 20;

/** The finished chunk of one row group: pages to write plus what its metadata records. */
export interface EncodedChunk {
  readonly dictPage: Uint8Array | null;
  readonly pages: Uint8Array;
  readonly numValues: number;
  readonly uncompressedBytes: number;
  readonly compressedBytes: number;
  readonly encodings: number[];
  readonly stats: ColumnStats;
}

type Mode = "dict" | "plain" | "delta" | "bool";

/** Encodes one column's values, chunk after chunk (one per row group). */
export class ColumnChunkEncoder {
  private mode: Mode;
  private readonly initialMode: Mode;
  private readonly fixedDict: FixedDictionary | null;
  private readonly stringDict: StringDictionary | null;
  private readonly words: number; // 32-bit words per fixed-width value (0: string/bool)
  readonly stats: ColumnStats;
  // Page staging.
  private pageRows = 0;
  private pageValues = 0;
  private readonly levels = new Uint8Array(PAGE_ROWS);
  private readonly sel = new Int32Array(PAGE_ROWS);
  private readonly idx = new Int32Array(PAGE_ROWS + 8);
  private readonly staged = new Bytes(1 << 16);
  // Page assembly.
  private readonly raw = new Bytes(1 << 16);
  private readonly levelBytes = new Uint8Array(PAGE_ROWS / 8 + 16);
  private readonly header = new ThriftWriter();
  // Chunk state.
  private readonly pages = new Bytes(1 << 16);
  private numValues = 0;
  private uncompressed = 0;
  private compressed = 0;
  private usedPlain = false;
  private usedDict = false;

  constructor(
    readonly type: DataType,
    private readonly codec: PageCodec,
  ) {
    this.stats = new ColumnStats(type);
    switch (type.kind) {
      case "int32":
      case "date":
        this.initialMode = "dict";
        this.words = 1;
        break;
      case "float64":
        this.initialMode = "dict";
        this.words = 2;
        break;
      case "string":
        this.initialMode = "dict";
        this.words = 0;
        break;
      case "int64":
      case "timestamp":
        this.initialMode = "delta";
        this.words = 2;
        break;
      case "boolean":
        this.initialMode = "bool";
        this.words = 0;
        break;
      default:
        throw new Error(`no JS Parquet encoder for ${type.kind}`);
    }
    this.mode = this.initialMode;
    this.fixedDict = this.mode === "dict" && this.words > 0 ? new FixedDictionary(this.words as 1 | 2) : null;
    this.stringDict = this.mode === "dict" && this.words === 0 ? new StringDictionary() : null;
  }

  /** Appends rows [from, to) of `c`. */
  append(c: Column, from: number, to: number): void {
    while (from < to) {
      if (this.pageRows === 0 && this.mode === "dict" && this.dictBytes() > DICT_LIMIT) {
        this.mode = "plain";
      }
      const m = Math.min(to - from, PAGE_ROWS - this.pageRows);
      this.stage(c, from, from + m);
      from += m;
      if (this.pageRows === PAGE_ROWS) this.flushPage();
    }
  }

  private dictBytes(): number {
    return this.fixedDict ? this.fixedDict.byteSize : this.stringDict ? this.stringDict.byteSize : 0;
  }

  private stage(c: Column, s: number, e: number): void {
    const n = e - s;
    const lv = this.levels;
    const at = this.pageRows;
    let rows: Int32Array | null = null;
    let cnt = n;
    if (c.valid === null) lv.fill(1, at, at + n);
    else {
      const v = c.valid;
      const sel = this.sel;
      cnt = 0;
      for (let i = s; i < e; i++) {
        const ok = v[i]!;
        lv[at + i - s] = ok;
        if (ok !== 0) sel[cnt++] = i;
      }
      if (cnt < n) rows = sel;
      else rows = null;
    }
    this.pageRows += n;
    if (cnt === 0) return;
    const vat = this.pageValues;
    this.pageValues += cnt;
    switch (this.mode) {
      case "dict":
        if (this.stringDict) this.stringDict.encode(c.offsets!, c.data!, rows, s, cnt, this.idx, vat);
        else this.fixedDict!.encode(wordsOf(c), rows, s, cnt, this.idx, vat);
        return;
      case "plain":
        if (this.words === 0) this.stagePlainStrings(c, rows, s, cnt);
        else this.stageWords(wordsOf(c), rows, s, cnt);
        return;
      case "delta":
        this.stageWords(wordsOf(c), rows, s, cnt);
        return;
      case "bool": {
        const src = c.values as Uint8Array;
        const at2 = this.staged.reserve(cnt);
        const dst = this.staged.buf;
        if (rows === null) dst.set(src.subarray(s, s + cnt), at2);
        else for (let k = 0; k < cnt; k++) dst[at2 + k] = src[rows[k]!]!;
        this.staged.len += cnt;
      }
    }
  }

  private stageWords(src: Int32Array, rows: Int32Array | null, s: number, cnt: number): void {
    const w = this.words;
    const at = this.staged.reserve(cnt * 4 * w);
    const dst = new Int32Array(this.staged.buf.buffer, 0, (this.staged.buf.length >> 2) - 0);
    const base = at >> 2;
    if (rows === null) dst.set(src.subarray(w * s, w * (s + cnt)), base);
    else if (w === 1) for (let k = 0; k < cnt; k++) dst[base + k] = src[rows[k]!]!;
    else
      for (let k = 0; k < cnt; k++) {
        const i = rows[k]!;
        dst[base + 2 * k] = src[2 * i]!;
        dst[base + 2 * k + 1] = src[2 * i + 1]!;
      }
    this.staged.len += cnt * 4 * w;
  }

  private stagePlainStrings(c: Column, rows: Int32Array | null, s: number, cnt: number): void {
    const o = c.offsets!;
    const d = c.data!;
    let bytes = 0;
    for (let k = 0; k < cnt; k++) {
      const i = rows === null ? s + k : rows[k]!;
      bytes += 4 + o[i + 1]! - o[i]!;
    }
    let p = this.staged.reserve(bytes);
    const dst = this.staged.buf;
    for (let k = 0; k < cnt; k++) {
      const i = rows === null ? s + k : rows[k]!;
      const a = o[i]!;
      const len = o[i + 1]! - a;
      dst[p] = len;
      dst[p + 1] = len >>> 8;
      dst[p + 2] = len >>> 16;
      dst[p + 3] = len >>> 24;
      p += 4;
      if (len < 16) for (let q = 0; q < len; q++) dst[p + q] = d[a + q]!;
      else dst.set(d.subarray(a, a + len), p);
      p += len;
    }
    this.staged.len = p;
  }

  /** Encodes the staged rows as one data page. */
  private flushPage(): void {
    const rows = this.pageRows;
    if (rows === 0) return;
    const nulls = rows - this.pageValues;
    const levelsLen = encodeBitLevels(this.levels, rows, this.levelBytes, 0, this.pageValues);
    const raw = this.raw;
    raw.len = 0;
    let values: Uint8Array;
    let valuesLen: number;
    let encoding: number;
    switch (this.mode) {
      case "dict": {
        const size = this.fixedDict ? this.fixedDict.size : this.stringDict!.size;
        const width = bitWidth(size - 1);
        raw.reserve(16 + Math.ceil(((this.pageValues + 8) * width) / 8) + 8);
        raw.buf[0] = width;
        valuesLen = encodeHybridPacked(this.idx, this.pageValues, width, raw.buf, 1);
        values = raw.buf;
        encoding = ENC.RLE_DICTIONARY;
        this.usedDict = true;
        break;
      }
      case "plain":
        values = this.staged.buf;
        valuesLen = this.staged.len;
        if (this.words === 0) this.stats.updatePlainStrings(values, valuesLen);
        else this.stats.updateWords(new Int32Array(values.buffer, 0, valuesLen >> 2), this.pageValues);
        encoding = ENC.PLAIN;
        this.usedPlain = true;
        break;
      case "delta": {
        const src = new Int32Array(this.staged.buf.buffer, 0, this.staged.len >> 2);
        this.stats.updateWords(src, this.pageValues);
        raw.reserve(deltaMaxLength(this.pageValues));
        valuesLen = encodeDeltaInt64(src, 0, this.pageValues, raw.buf, 0);
        values = raw.buf;
        encoding = ENC.DELTA_BINARY_PACKED;
        break;
      }
      default: {
        this.stats.updateBooleans(this.staged.buf, this.pageValues);
        raw.reserve(this.pageValues + 8);
        valuesLen = packBytes(this.staged.buf, this.pageValues, raw.buf);
        values = raw.buf;
        encoding = ENC.PLAIN;
      }
    }
    const comp = compressPage(this.codec, values, valuesLen);
    const h = this.header;
    h.reset();
    h.i32(1, 3); // DATA_PAGE_V2
    h.i32(2, levelsLen + valuesLen);
    h.i32(3, levelsLen + comp.len);
    h.begin(8);
    h.i32(1, rows);
    h.i32(2, nulls);
    h.i32(3, rows);
    h.i32(4, encoding);
    h.i32(5, levelsLen);
    h.i32(6, 0);
    if (this.codec === "none") h.bool(7, false);
    h.end();
    h.byte(0);
    const head = h.bytes();
    const total = head.length + levelsLen + comp.len;
    const at = this.pages.reserve(total);
    const dst = this.pages.buf;
    dst.set(head, at);
    dst.set(this.levelBytes.subarray(0, levelsLen), at + head.length);
    dst.set(comp.buf.subarray(0, comp.len), at + head.length + levelsLen);
    this.pages.len += total;
    this.uncompressed += head.length + levelsLen + valuesLen;
    this.compressed += total;
    this.numValues += rows;
    this.stats.nulls += nulls;
    this.pageRows = 0;
    this.pageValues = 0;
    this.staged.len = 0;
  }

  /** Closes the current chunk (row group) and returns it; the encoder is then ready for the next. */
  finish(): EncodedChunk {
    this.flushPage();
    let dictPage: Uint8Array | null = null;
    const encodings: number[] = [ENC.RLE];
    if (this.usedDict) {
      const d = dictionaryPage(this.fixedDict, this.stringDict, this.stats, this.codec, this.header);
      dictPage = d.page;
      this.uncompressed += d.rawSize - d.page.length;
      encodings.push(ENC.PLAIN, ENC.RLE_DICTIONARY);
    } else if (this.usedPlain || this.initialMode === "bool") encodings.push(ENC.PLAIN);
    if (this.initialMode === "delta") encodings.push(ENC.DELTA_BINARY_PACKED);
    return {
      dictPage,
      pages: this.pages.buf.subarray(0, this.pages.len),
      numValues: this.numValues,
      uncompressedBytes: this.uncompressed + (dictPage ? dictPage.length : 0),
      compressedBytes: this.compressed + (dictPage ? dictPage.length : 0),
      encodings,
      stats: this.stats,
    };
  }

  /** Clears the chunk state after its bytes were written. */
  reset(): void {
    this.pages.len = 0;
    this.numValues = 0;
    this.uncompressed = 0;
    this.compressed = 0;
    this.usedDict = false;
    this.usedPlain = false;
    this.mode = this.initialMode;
    this.fixedDict?.reset();
    this.stringDict?.reset();
    this.stats.reset();
  }
}
