// Text forms of values for the CSV writer, as Spark writes them: Java's Double.toString for
// doubles, plain decimals, and datetime patterns with fast paths for Spark's default
// `yyyy-MM-dd` and `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC.
import { readDecimal } from "../../columnar/builders.js";
import { i64IsSafe, readI64 } from "../../columnar/column.js";
import { civilFromDays } from "./datetime.js";
import { formatDate, formatTimestamp } from "./datetime-format.js";
import type { DatePattern } from "./datetime-pattern.js";
import type { Zone } from "./timezone.js";

/** Java's Double.toString: `1.0`, `0.001`, `1.0E7`, `1.234E-5`, `NaN`, `-Infinity`. */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    return s.includes(".") ? s : s + ".0";
  }
  const e = v.toExponential();
  const k = e.indexOf("e");
  let mant = e.slice(0, k);
  if (!mant.includes(".")) mant += ".0";
  const exp = e.slice(k + 1);
  return mant + "E" + (exp[0] === "+" ? exp.slice(1) : exp);
}

/** The i-th int64 of `halves`/`values` as decimal text. */
export function int64Text(h: Int32Array, values: BigInt64Array, i: number): string {
  return i64IsSafe(h, i) ? String(readI64(h, i)) : String(values[i]!);
}

/** A decimal's text with exactly `scale` fraction digits (`-12.30`), never in E-notation. */
export function decimalText(values: BigInt64Array, i: number, scale: number): string {
  const lo = values[2 * i]!;
  const hi = values[2 * i + 1]!;
  let u: bigint | number;
  if (
    (hi === 0n && lo >= 0n && lo < 9007199254740992n) ||
    (hi === -1n && lo < 0n && lo > -9007199254740992n)
  ) {
    u = Number(lo);
  } else {
    u = readDecimal(values, i);
  }
  const neg = u < 0;
  let digits = String(neg ? -u : u);
  if (scale === 0) return (neg ? "-" : "") + digits;
  if (digits.length <= scale) digits = "0".repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return (neg ? "-" : "") + digits.slice(0, cut) + "." + digits.slice(cut);
}

const two = (v: number): string => (v < 10 ? "0" + v : String(v));
const civil = [0, 0, 0];

function yearText(y: number): string {
  if (y >= 0 && y < 10000) return y < 1000 ? String(y).padStart(4, "0") : String(y);
  return y < 0 ? "-" + String(-y).padStart(4, "0") : "+" + y;
}

/** Formats dates: the default `yyyy-MM-dd` by hand, others through the pattern. */
export class DateText {
  private readonly fast: boolean;
  constructor(private readonly p: DatePattern) {
    this.fast = p.source === "yyyy-MM-dd";
  }
  format(days: number): string {
    if (!this.fast) return formatDate(this.p, days);
    civilFromDays(days, civil);
    return yearText(civil[0]!) + "-" + two(civil[1]!) + "-" + two(civil[2]!);
  }
}

/** Formats timestamps (µs) in a zone, or wall-clock for timestamp_ntz (`zone` null). */
export class TimestampText {
  private readonly fast: boolean;
  constructor(
    private readonly p: DatePattern,
    private readonly zone: Zone | null,
  ) {
    const utc = zone !== null && zone.fixed === 0;
    this.fast =
      (p.source === "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" && utc) ||
      (zone === null &&
        (p.source === "yyyy-MM-dd'T'HH:mm:ss.SSS" || p.source === "yyyy-MM-dd'T'HH:mm:ss[.SSS]"));
  }
  /** The i-th value of an int64 µs column. */
  format(h: Int32Array, values: BigInt64Array, i: number): string {
    let sec: number;
    let micros: number;
    if (i64IsSafe(h, i)) {
      const us = readI64(h, i);
      sec = Math.floor(us / 1e6);
      micros = us - sec * 1e6;
    } else {
      const us = values[i]!;
      let s = us / 1000000n;
      if (us < 0n && s * 1000000n !== us) s -= 1n;
      sec = Number(s);
      micros = Number(us - s * 1000000n);
    }
    if (!this.fast) return formatTimestamp(this.p, sec, micros, this.zone);
    const days = Math.floor(sec / 86400);
    const sod = sec - days * 86400;
    civilFromDays(days, civil);
    const ms = Math.floor(micros / 1000);
    const s =
      yearText(civil[0]!) +
      "-" +
      two(civil[1]!) +
      "-" +
      two(civil[2]!) +
      "T" +
      two(Math.floor(sod / 3600)) +
      ":" +
      two(Math.floor((sod % 3600) / 60)) +
      ":" +
      two(sod % 60) +
      "." +
      (ms < 10 ? "00" + ms : ms < 100 ? "0" + ms : String(ms));
    return this.zone === null ? s : s + "Z";
  }
}
