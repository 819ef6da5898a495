// Per-batch conversion of a date/time argument (date, timestamp with or without zone, or a
// string read with Spark's cast rules) into plain arrays the kernels loop over: UTC instants,
// wall-clock seconds in the session zone, or day numbers. Buffers are reused across batches.
// µs values are split into seconds and a µs fraction through their 32-bit halves; only values
// beyond ±2^53 µs (after the year 2255) take a BigInt path.
import { type Column, i64Halves, i64IsSafe, readI64, writeI64 } from "../../columnar/column.js";
import { type DataType, T } from "../../types/data-type.js";
import type { CompileContext } from "../registry.js";
import { floorDiv } from "./calendar.js";
import { parseDateBytes, parseTimestampBytes } from "./cast-parse.js";
import { type ZoneRules, zoneRules } from "./timezone.js";

/** Seconds, µs fraction and validity per row. */
export interface SecondsView {
  readonly sec: Float64Array;
  readonly us: Int32Array;
  /** 1 = valid; always allocated (a fresh copy the caller may clear). */
  readonly valid: Uint8Array;
}

/** Day numbers and validity per row. */
export interface DaysView {
  readonly days: Int32Array;
  readonly valid: Uint8Array;
}

const BIG_US = 1_000_000n;

/** Splits row i of a µs column into (sec, us). */
export function splitMicros(
  values: BigInt64Array,
  h: Int32Array,
  i: number,
  sec: Float64Array,
  us: Int32Array,
): void {
  if (i64IsSafe(h, i)) {
    const v = readI64(h, i);
    const r = v % 1e6;
    const f = r < 0 ? r + 1e6 : r;
    us[i] = f;
    sec[i] = (v - f) / 1e6;
  } else {
    const v = values[i]!;
    let f = v % BIG_US;
    if (f < 0n) f += BIG_US;
    us[i] = Number(f);
    sec[i] = Number((v - f) / BIG_US);
  }
}

/** Writes sec * 1e6 + us as the i-th µs value. */
export function writeMicros(values: BigInt64Array, h: Int32Array, i: number, sec: number, us: number): void {
  const v = sec * 1e6 + us;
  if (v <= 9007199254740991 && v >= -9007199254740991) writeI64(h, i, v);
  else values[i] = BigInt(sec) * BIG_US + BigInt(us);
}

/** A timestamp column (with zone) from seconds + µs; rows with valid 0 are null. */
export function timestampColumn(
  sec: Float64Array,
  us: Int32Array | null,
  valid: Uint8Array | null,
  n: number,
  type: DataType = T.timestamp,
): Column {
  const values = new BigInt64Array(n);
  const h = i64Halves(values);
  let allValid = true;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) {
      allValid = false;
      continue;
    }
    writeMicros(values, h, i, sec[i]!, us === null ? 0 : us[i]!);
  }
  return { type, length: n, valid: allValid ? null : valid!.slice(0, n), values };
}

/** The result type of a function returning an instant: a zoned input keeps its zone label. */
export function zonedResult(input: DataType | undefined): DataType {
  return input !== undefined && input.kind === "timestamp" && input.tz !== null ? input : T.timestamp;
}

/** Fresh validity for n rows from a column's (all ones when it has none). */
function copyValid(c: Column, n: number): Uint8Array {
  return c.valid === null ? new Uint8Array(n).fill(1) : c.valid.slice(0, n);
}

/** Reads one date/time argument type in the session zone of `ctx`. */
export class DatetimeReader {
  /** The session zone's rules. */
  readonly zone: ZoneRules;
  private readonly nowSec: number;
  private sec = new Float64Array(0);
  private us = new Int32Array(0);
  private days = new Int32Array(0);
  private readonly parsed = new Float64Array(2);

  constructor(
    readonly type: DataType,
    ctx: CompileContext,
  ) {
    this.zone = zoneRules(ctx.timeZone);
    this.nowSec = Math.floor(ctx.nowMicros / 1e6);
  }

  private grow(n: number): void {
    if (this.sec.length < n) {
      this.sec = new Float64Array(n);
      this.us = new Int32Array(n);
    }
  }

  /** UTC instants: zoned timestamps as they are; NTZ, dates and zone-less strings read in the session zone. */
  instants(c: Column, n: number): SecondsView {
    this.grow(n);
    const { sec, us } = this;
    const valid = copyValid(c, n);
    const t = this.type;
    if (t.kind === "timestamp") {
      const values = c.values as BigInt64Array;
      const h = i64Halves(values);
      for (let i = 0; i < n; i++) if (valid[i]) splitMicros(values, h, i, sec, us);
      if (t.tz === null) for (let i = 0; i < n; i++) if (valid[i]) sec[i] = this.zone.localToUtc(sec[i]!);
    } else if (t.kind === "date") {
      const d = c.values as Int32Array;
      for (let i = 0; i < n; i++) {
        if (!valid[i]) continue;
        sec[i] = this.zone.localToUtc(d[i]! * 86400);
        us[i] = 0;
      }
    } else {
      const o = c.offsets!;
      const data = c.data!;
      const p = this.parsed;
      for (let i = 0; i < n; i++) {
        if (!valid[i]) continue;
        if (parseTimestampBytes(data, o[i]!, o[i + 1]!, this.zone, this.nowSec, p)) {
          sec[i] = p[0]!;
          us[i] = p[1]!;
        } else valid[i] = 0;
      }
    }
    return { sec, us, valid };
  }

  /** Wall-clock seconds in the session zone (NTZ as it is). */
  locals(c: Column, n: number): SecondsView {
    const t = this.type;
    if (t.kind === "timestamp" && t.tz === null) {
      this.grow(n);
      const { sec, us } = this;
      const valid = copyValid(c, n);
      const values = c.values as BigInt64Array;
      const h = i64Halves(values);
      for (let i = 0; i < n; i++) if (valid[i]) splitMicros(values, h, i, sec, us);
      return { sec, us, valid };
    }
    if (t.kind === "date") {
      this.grow(n);
      const valid = copyValid(c, n);
      const d = c.values as Int32Array;
      for (let i = 0; i < n; i++) {
        this.sec[i] = d[i]! * 86400;
        this.us[i] = 0;
      }
      return { sec: this.sec, us: this.us, valid };
    }
    const v = this.instants(c, n);
    const z = this.zone;
    for (let i = 0; i < n; i++) if (v.valid[i]) v.sec[i] = v.sec[i]! + z.offsetAt(v.sec[i]!);
    return v;
  }

  /** Local day numbers (strings use Spark's string → date cast, which ignores any time part). */
  dayNumbers(c: Column, n: number): DaysView {
    const t = this.type;
    if (t.kind === "date") return { days: c.values as Int32Array, valid: copyValid(c, n) };
    if (this.days.length < n) this.days = new Int32Array(n);
    const days = this.days;
    if (t.kind === "string") {
      const valid = copyValid(c, n);
      const o = c.offsets!;
      const data = c.data!;
      for (let i = 0; i < n; i++) {
        if (!valid[i]) continue;
        const d = parseDateBytes(data, o[i]!, o[i + 1]!);
        if (Number.isNaN(d)) valid[i] = 0;
        else days[i] = d;
      }
      return { days, valid };
    }
    const v = this.locals(c, n);
    for (let i = 0; i < n; i++) if (v.valid[i]) days[i] = floorDiv(v.sec[i]!, 86400);
    return { days, valid: v.valid };
  }
}

/** Null-free validity becomes null (the Column convention); otherwise a trimmed copy. */
export function compactValid(valid: Uint8Array, n: number): Uint8Array | null {
  for (let i = 0; i < n; i++) if (valid[i] === 0) return valid.slice(0, n);
  return null;
}
