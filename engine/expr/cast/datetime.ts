// Casts between dates and timestamps: a date becomes midnight in the session zone (for a
// zoned timestamp) or midnight wall-clock (TIMESTAMP_NTZ); a zoned timestamp becomes a date
// or a wall-clock time in the session zone, and back.
import { type Column, i64Halves, i64IsSafe, readI64, writeI64 } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { type ZoneRules, zoneRules } from "../datetime/timezone.js";
import type { CompileContext } from "../registry.js";

const DAY_US = 86_400_000_000;

/** Local wall-clock µs of a UTC µs instant in `zone`. */
export function utcToLocalMicros(zone: ZoneRules, micros: number): number {
  if (zone.fixedOffset !== null) return micros + zone.fixedOffset * 1e6;
  return micros + zone.offsetAt(Math.floor(micros / 1e6)) * 1e6;
}

/** UTC µs of a local wall-clock µs value in `zone` (java.time's gap/overlap resolution). */
export function localToUtcMicros(zone: ZoneRules, micros: number): number {
  if (zone.fixedOffset !== null) return micros - zone.fixedOffset * 1e6;
  const sec = Math.floor(micros / 1e6);
  return micros - (sec - zone.localToUtc(sec)) * 1e6;
}

function readMicros(vals: BigInt64Array, h: Int32Array, i: number): number {
  return i64IsSafe(h, i) ? readI64(h, i) : Number(vals[i]);
}

function writeMicros(out: BigInt64Array, h: Int32Array, i: number, v: number): void {
  if (Math.abs(v) < 9007199254740992) writeI64(h, i, v);
  else out[i] = BigInt(v);
}

/** Casts between date and timestamp types (either zone flavour). */
export function castDatetime(c: Column, to: DataType, n: number, ctx: CompileContext): Column {
  const from = c.type;
  const valid = c.valid;
  const session = (): ZoneRules => zoneRules(ctx.timeZone);
  if (from.kind === "date" && to.kind === "timestamp") {
    const v = c.values as Int32Array;
    const out = new BigInt64Array(n);
    const h = i64Halves(out);
    const zone = to.tz === null ? null : session();
    for (let i = 0; i < n; i++) {
      const local = v[i]! * 86400;
      const sec = zone === null ? local : zone.localToUtc(local);
      writeMicros(out, h, i, sec * 1e6);
    }
    return { type: to, length: n, valid, values: out };
  }
  if (from.kind === "timestamp" && to.kind === "date") {
    const vals = c.values as BigInt64Array;
    const h = i64Halves(vals);
    const out = new Int32Array(n);
    const zone = from.tz === null ? null : session();
    for (let i = 0; i < n; i++) {
      const us = readMicros(vals, h, i);
      out[i] = Math.floor((zone === null ? us : utcToLocalMicros(zone, us)) / DAY_US);
    }
    return { type: to, length: n, valid, values: out };
  }
  if (from.kind === "timestamp" && to.kind === "timestamp") {
    if ((from.tz === null) === (to.tz === null)) return { ...c, type: to };
    const vals = c.values as BigInt64Array;
    const h = i64Halves(vals);
    const out = new BigInt64Array(n);
    const oh = i64Halves(out);
    const zone = session();
    const toLocal = to.tz === null;
    for (let i = 0; i < n; i++) {
      const us = readMicros(vals, h, i);
      writeMicros(out, oh, i, toLocal ? utcToLocalMicros(zone, us) : localToUtcMicros(zone, us));
    }
    return { type: to, length: n, valid, values: out };
  }
  throw new Error(`castDatetime: unsupported cast ${from.kind} → ${to.kind}`);
}
