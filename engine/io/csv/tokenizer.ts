// The CSV record tokenizer: finds the fields of one record in a byte buffer, without copying.
//
// Rules (univocity's as Spark configures them, plus RFC 4180 doubled quotes):
// - Records end at LF, CR or CRLF outside quotes; a quoted field may span lines.
// - A quote is special only at the start of a field (after leading blanks when
//   ignoreLeadingWhiteSpace). Inside a quoted field, `""` and escape+quote stand for a quote,
//   escape+escape for the escape character; a quote closes the field only when blanks and then
//   a delimiter, line end or end of input follow it, otherwise it is kept as text.
// - An unterminated quote at the end of input runs to the end of input.
// Each call reports field ranges (`fs`/`fe`, excluding the quotes) and flags (`F_QUOTED`,
// `F_ESCAPED` when the range must go through `unescapeField`). When the buffer ends before the
// record does, `next` returns -1 and the caller refills and calls again from the same start.

/** The field was quoted. */
export const F_QUOTED = 1;
/** The field holds escape sequences or doubled quotes: read it through `unescapeField`. */
export const F_ESCAPED = 2;

/** Tokenizer settings (bytes; -1 disables quote/escape). */
export interface TokenizerConfig {
  readonly delimiter: Uint8Array;
  readonly quote: number;
  readonly escape: number;
  readonly ignoreLeadingWhiteSpace: boolean;
  readonly ignoreTrailingWhiteSpace: boolean;
}

/** Splits records into field ranges. One instance per reader; not re-entrant. */
export class CsvTokenizer {
  /** Field starts, ends and flags of the last record; `n` fields. */
  fs = new Int32Array(64);
  fe = new Int32Array(64);
  ff = new Uint8Array(64);
  n = 0;
  /** End of the last record's content (before its line terminator). */
  contentEnd = 0;
  /** Line terminators inside quoted fields of the last record. */
  innerLines = 0;
  /** Whether the last record ended with a line terminator (false only at end of input). */
  terminated = true;
  private readonly d0: number;
  private readonly dlen: number;
  private readonly delim: Uint8Array;
  private readonly quote: number;
  private readonly escape: number;
  private readonly trimL: boolean;
  private readonly trimR: boolean;
  /** 1 for the bytes that end an unquoted field: the delimiter's first byte, CR and LF. */
  private readonly stop = new Uint8Array(256);
  /** The largest stop byte. */
  private readonly maxStop: number;

  constructor(c: TokenizerConfig) {
    this.delim = c.delimiter;
    this.d0 = c.delimiter[0]!;
    this.dlen = c.delimiter.length;
    this.quote = c.quote;
    this.escape = c.escape;
    this.trimL = c.ignoreLeadingWhiteSpace;
    this.trimR = c.ignoreTrailingWhiteSpace;
    this.stop[this.d0] = 1;
    this.stop[10] = 1;
    this.stop[13] = 1;
    this.maxStop = Math.max(this.d0, 13);
  }

  private push(s: number, e: number, f: number): void {
    const n = this.n;
    if (n === this.fs.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.fs = grow(this.fs);
      this.fe = grow(this.fe);
      const ff = new Uint8Array(this.ff.length * 2);
      ff.set(this.ff);
      this.ff = ff;
    }
    this.fs[n] = s;
    this.fe[n] = e;
    this.ff[n] = f;
    this.n = n + 1;
  }

  private delimAt(b: Uint8Array, i: number, end: number): boolean {
    if (b[i] !== this.d0) return false;
    if (this.dlen === 1) return true;
    if (i + this.dlen > end) return false;
    for (let k = 1; k < this.dlen; k++) if (b[i + k] !== this.delim[k]) return false;
    return true;
  }

  /**
   * Tokenizes the record starting at `p` in b[.., end). Returns the position after the record's
   * line terminator, or -1 when more input is needed (never when `eof`).
   */
  next(b: Uint8Array, p: number, end: number, eof: boolean): number {
    this.n = 0;
    this.innerLines = 0;
    const quote = this.quote;
    const esc = this.escape;
    const d0 = this.d0;
    let i = p;
    for (;;) {
      if (this.trimL) while (i < end && (b[i] === 32 || b[i] === 9)) i++;
      if (i < end && b[i] === quote) {
        i++;
        const start = i;
        let flags = F_QUOTED;
        let fieldEnd = -1;
        while (fieldEnd < 0) {
          if (i >= end) {
            if (!eof) return -1;
            fieldEnd = end;
            break;
          }
          const c = b[i]!;
          if (c === quote) {
            if (i + 1 >= end && !eof) return -1;
            if (i + 1 < end && b[i + 1] === quote) {
              flags |= F_ESCAPED;
              i += 2;
              continue;
            }
            let j = i + 1;
            while (j < end && (b[j] === 32 || b[j] === 9)) j++;
            if (j >= end) {
              if (!eof) return -1;
              fieldEnd = i;
              i = j;
            } else if (b[j] === 10 || b[j] === 13 || this.delimAt(b, j, end)) {
              if (this.dlen > 1 && j + this.dlen > end && !eof) return -1;
              fieldEnd = i;
              i = j;
            } else {
              i++;
            }
          } else if (c === esc) {
            if (i + 1 >= end && !eof) return -1;
            const nx = i + 1 < end ? b[i + 1] : -1;
            if (nx === quote || nx === esc) {
              flags |= F_ESCAPED;
              i += 2;
            } else {
              i++;
            }
          } else if (c === 10) {
            this.innerLines++;
            i++;
          } else if (c === 13) {
            if (i + 1 >= end && !eof) return -1;
            this.innerLines++;
            i += i + 1 < end && b[i + 1] === 10 ? 2 : 1;
          } else {
            i++;
          }
        }
        this.push(start, fieldEnd, flags);
      } else {
        const start = i;
        if (this.dlen === 1) {
          // Bytes above every stop byte (digits and letters, for a comma) skip the table.
          const stop = this.stop;
          const above = this.maxStop;
          while (i < end) {
            const c = b[i]!;
            if (c > above || stop[c] === 0) i++;
            else break;
          }
        } else {
          while (i < end) {
            const c = b[i]!;
            if (c === 10 || c === 13 || (c === d0 && this.delimAt(b, i, end))) break;
            i++;
          }
        }
        if (i >= end && !eof) return -1;
        let fe = i;
        if (this.trimR) while (fe > start && (b[fe - 1] === 32 || b[fe - 1] === 9)) fe--;
        this.push(start, fe, 0);
      }
      if (i >= end) {
        this.contentEnd = end;
        this.terminated = false;
        return end;
      }
      const c = b[i]!;
      if (c === 10) {
        this.contentEnd = i;
        this.terminated = true;
        return i + 1;
      }
      if (c === 13) {
        this.contentEnd = i;
        this.terminated = true;
        if (i + 1 < end) return b[i + 1] === 10 ? i + 2 : i + 1;
        if (!eof) return -1;
        return i + 1;
      }
      i += this.dlen;
    }
  }
}

/**
 * Copies the field bytes b[s, e) into `out` from 0, replacing `""`, escape+quote and
 * escape+escape by the second character. Returns the length written (`out` must hold e - s).
 */
export function unescapeField(
  b: Uint8Array,
  s: number,
  e: number,
  out: Uint8Array,
  quote: number,
  esc: number,
): number {
  let o = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (i + 1 < e) {
      const nx = b[i + 1]!;
      if ((c === quote && nx === quote) || (c === esc && (nx === quote || nx === esc))) {
        out[o++] = nx;
        i++;
        continue;
      }
    }
    out[o++] = c;
  }
  return o;
}
