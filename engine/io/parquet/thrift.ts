// Thrift compact protocol, the encoding of Parquet page headers and footers: a small reader
// for page headers (the footer is parsed by hyparquet) and a writer for page headers and
// footers. Only what Parquet uses: structs, lists, i32/i64 (zigzag varints), binary, bool.

/** Compact-protocol type ids. */
export const TT = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

/** A cursor over compact-protocol bytes; every read is bounds-checked (a short buffer throws). */
export class ThriftReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Error("truncated Thrift data");
    return this.buf[this.pos++]!;
  }

  /** An unsigned varint of up to 53 bits, as a number. */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new Error("malformed Thrift varint");
  }

  /** A zigzag varint (i16/i32/i64 that fit a double exactly). */
  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** Skips a value of type `t`. */
  skip(t: number): void {
    switch (t) {
      case TT.TRUE:
      case TT.FALSE:
        return;
      case TT.BYTE:
        this.byte();
        return;
      case TT.I16:
      case TT.I32:
      case TT.I64:
        this.varint();
        return;
      case TT.DOUBLE:
        this.advance(8);
        return;
      case TT.BINARY:
        this.advance(this.varint());
        return;
      case TT.LIST:
      case TT.SET: {
        const h = this.byte();
        let n = h >> 4;
        if (n === 15) n = this.varint();
        const et = h & 15;
        for (let i = 0; i < n; i++) {
          if (et === TT.TRUE || et === TT.FALSE) this.byte();
          else this.skip(et);
        }
        return;
      }
      case TT.MAP: {
        const n = this.varint();
        if (n === 0) return;
        const kv = this.byte();
        for (let i = 0; i < n; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 15);
        }
        return;
      }
      case TT.STRUCT:
        this.struct(() => false);
        return;
      default:
        throw new Error(`malformed Thrift data (type ${t})`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new Error("truncated Thrift data");
    this.pos += n;
  }

  /**
   * Reads a struct: `field(id, type)` is called for each field and returns true when it read
   * the value itself; otherwise the value is skipped.
   */
  struct(field: (id: number, type: number) => boolean): void {
    let last = 0;
    for (;;) {
      const h = this.byte();
      const t = h & 15;
      if (t === TT.STOP) return;
      const delta = h >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      if (!field(id, t)) this.skip(t);
    }
  }
}

/** A growable byte buffer with compact-protocol writers; `struct` handles field-id deltas. */
export class ThriftWriter {
  buf = new Uint8Array(256);
  len = 0;
  private last: number[] = [];
  private lastId = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** The bytes written so far (a view; copy before reusing the writer). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
    this.last = [];
    this.lastId = 0;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v >= 128) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  /** A zigzag varint of an integer-valued number (exact up to 2^52). */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** A zigzag varint of a 64-bit integer. */
  zigzagBig(v: bigint): void {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (z >= 128n) {
      this.buf[this.len++] = Number(z & 127n) | 0x80;
      z >>= 7n;
    }
    this.buf[this.len++] = Number(z);
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A field header; then write the value with the matching method. */
  field(id: number, type: number): void {
    const delta = id - this.lastId;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastId = id;
  }

  i32(id: number, v: number): void {
    this.field(id, TT.I32);
    this.zigzag(v);
  }

  i64(id: number, v: number): void {
    this.field(id, TT.I64);
    this.zigzag(v);
  }

  bool(id: number, v: boolean): void {
    this.field(id, v ? TT.TRUE : TT.FALSE);
  }

  binary(id: number, b: Uint8Array): void {
    this.field(id, TT.BINARY);
    this.varint(b.length);
    this.raw(b);
  }

  string(id: number, s: string): void {
    this.binary(id, new TextEncoder().encode(s));
  }

  /** A list header (then write `n` elements without field headers). */
  listHeader(id: number, elemType: number, n: number): void {
    this.field(id, TT.LIST);
    if (n < 15) this.byte((n << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(n);
    }
  }

  /** Opens a struct (as field `id`, or as a list element when `id` is null); close with `end`. */
  begin(id: number | null): void {
    if (id !== null) this.field(id, TT.STRUCT);
    this.last.push(this.lastId);
    this.lastId = 0;
  }

  end(): void {
    this.byte(TT.STOP);
    this.lastId = this.last.pop() ?? 0;
  }
}
