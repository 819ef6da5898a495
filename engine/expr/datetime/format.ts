// Formats local date-times with a compiled Spark datetime pattern (date_format, from_unixtime).
// Output goes as ASCII/UTF-8 bytes into a reused scratch buffer, then into a string builder:
// no per-row strings for the common numeric patterns.
import { civilFromDays, floorDiv, isoDayOfWeek } from "./calendar.js";
import {
  AMPM,
  compilePattern,
  DAYS_LONG,
  DAYS_SHORT,
  ERAS_LONG,
  ERAS_SHORT,
  hasEra,
  MONTHS_LONG,
  MONTHS_SHORT,
  type PatternItem,
  QUARTERS_LONG,
} from "./pattern.js";
import type { ZoneRules } from "./timezone.js";

/** Where formatted bytes go (a StringColumnBuilder is one). */
export interface ByteSink {
  appendBytes(src: Uint8Array, start: number, end: number): void;
}

/** A compiled formatter: appends one formatted value per call. */
export interface DateTimeFormatter {
  /**
   * Appends the text of the instant `utcSec` (+ `micros`) whose wall clock in the zone is
   * `localSec` with offset `offset` (seconds).
   */
  append(out: ByteSink, localSec: number, micros: number, utcSec: number, offset: number): void;
}

const ymd = new Int32Array(3);

class Formatter implements DateTimeFormatter {
  private buf: Uint8Array;
  private pos = 0;
  private readonly era: boolean;
  private readonly zoneNames = new Map<number, string>();
  // Fields of the current row.
  private y = 0;
  private mo = 0;
  private d = 0;
  private days = 0;
  private sod = 0;
  private us = 0;
  private off = 0;
  private utc = 0;

  constructor(
    private readonly items: readonly PatternItem[],
    private readonly zone: ZoneRules,
  ) {
    this.era = hasEra(items);
    this.buf = new Uint8Array(256);
  }

  append(out: ByteSink, localSec: number, micros: number, utcSec: number, offset: number): void {
    this.days = floorDiv(localSec, 86400);
    this.sod = localSec - this.days * 86400;
    civilFromDays(this.days, ymd);
    this.y = ymd[0]!;
    this.mo = ymd[1]!;
    this.d = ymd[2]!;
    this.us = micros;
    this.off = offset;
    this.utc = utcSec;
    this.pos = 0;
    this.emit(this.items);
    out.appendBytes(this.buf, 0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  private ascii(s: string): number {
    this.ensure(s.length * 3);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) this.buf[this.pos++] = c;
      else {
        const bytes = new TextEncoder().encode(s.slice(i));
        this.buf.set(bytes, this.pos);
        this.pos += bytes.length;
        return this.pos;
      }
    }
    return this.pos;
  }

  /** Writes a non-negative integer padded with zeros to `width` digits. */
  private num(v: number, width: number): number {
    this.ensure(24);
    const b = this.buf;
    if (v < 100 && width <= 2) {
      // The common case (months, days, hours...): no digit counting.
      if (v >= 10 || width === 2) b[this.pos++] = 0x30 + ((v / 10) | 0);
      b[this.pos++] = 0x30 + (v % 10);
      return this.pos;
    }
    let digits = 1;
    for (let p = 10; p <= v && digits < 20; p *= 10) digits++;
    for (let k = digits; k < width; k++) b[this.pos++] = 0x30;
    const end = this.pos + digits;
    let x = v;
    for (let k = end - 1; k >= this.pos; k--) {
      b[k] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    }
    this.pos = end;
    return end;
  }

  private year(v: number, count: number): number {
    if (count === 2) return this.num(Math.abs(v) % 100, 2);
    if (v < 0) {
      this.ascii("-");
      return this.num(-v, count);
    }
    if (count >= 4 && v >= 10 ** count) this.ascii("+");
    return this.num(v, count);
  }

  private emit(items: readonly PatternItem[]): void {
    for (const it of items) {
      if (it.kind === "literal") {
        const lit = it.bytes;
        this.ensure(lit.length);
        const b = this.buf;
        for (let k = 0; k < lit.length; k++) b[this.pos++] = lit[k]!;
      } else if (it.kind === "optional") this.emit(it.items);
      else this.field(it.letter, it.count);
    }
  }

  private field(letter: string, n: number): number {
    const hour = Math.floor(this.sod / 3600);
    switch (letter) {
      case "G":
        return this.ascii((n === 4 ? ERAS_LONG : ERAS_SHORT)[this.y > 0 ? 1 : 0]!);
      case "y":
        return this.year(this.era && this.y <= 0 ? 1 - this.y : this.y, n);
      case "M":
        if (n === 3) return this.ascii(MONTHS_SHORT[this.mo - 1]!);
        if (n === 4) return this.ascii(MONTHS_LONG[this.mo - 1]!);
        return this.num(this.mo, n);
      case "Q":
      case "q": {
        const q = Math.floor((this.mo - 1) / 3) + 1;
        if (n === 3) return this.ascii(`Q${q}`);
        if (n === 4) return this.ascii(QUARTERS_LONG[q - 1]!);
        return this.num(q, n);
      }
      case "D":
        return this.num(this.days - daysFromJan1(this.y) + 1, n);
      case "d":
        return this.num(this.d, n);
      case "E":
        return this.ascii((n === 4 ? DAYS_LONG : DAYS_SHORT)[isoDayOfWeek(this.days) - 1]!);
      case "a":
        return this.ascii(AMPM[hour < 12 ? 0 : 1]!);
      case "h":
        return this.num(hour % 12 === 0 ? 12 : hour % 12, n);
      case "K":
        return this.num(hour % 12, n);
      case "k":
        return this.num(hour === 0 ? 24 : hour, n);
      case "H":
        return this.num(hour, n);
      case "m":
        return this.num(Math.floor(this.sod / 60) % 60, n);
      case "s":
        return this.num(this.sod % 60, n);
      case "S": {
        // Nano-of-second as 9 digits, truncated to n.
        this.ensure(9);
        const nanos = this.us * 1000;
        for (let k = 0, p = 100_000_000; k < n; k++, p /= 10)
          this.buf[this.pos++] = 0x30 + (Math.floor(nanos / p) % 10);
        return this.pos;
      }
      case "V":
        return this.ascii(this.zone.id);
      case "z":
        return this.ascii(this.zoneName(n === 4));
      case "O":
        return this.ascii(this.off === 0 ? "GMT" : `GMT${offsetText(this.off, n === 4 ? 2 : 1)}`);
      case "X":
      case "x": {
        if (letter === "X" && this.off === 0) return this.ascii("Z");
        const style = n === 1 ? 0 : n === 2 ? 3 : n === 3 ? 2 : n === 4 ? 5 : 4;
        return this.ascii(offsetText(this.off, style));
      }
      case "Z":
        if (n <= 3) return this.ascii(offsetText(this.off, 3));
        if (n === 4) return this.ascii(this.off === 0 ? "GMT" : `GMT${offsetText(this.off, 2)}`);
        return this.ascii(this.off === 0 ? "Z" : offsetText(this.off, 4));
    }
    return this.pos;
  }

  private zoneName(long: boolean): string {
    if (this.zone.fixedOffset !== null) {
      return this.zone.fixedOffset === 0 && !/^[+-]/.test(this.zone.id)
        ? "UTC"
        : offsetText(this.zone.fixedOffset, 2);
    }
    const key = this.off * 2 + (long ? 1 : 0);
    let name = this.zoneNames.get(key);
    if (name === undefined) {
      name = intlZoneName(this.zone.id, this.utc, long);
      this.zoneNames.set(key, name);
    }
    return name;
  }
}

/**
 * Locales tried for a short zone name: en-US knows the American abbreviations, the others
 * add CET/CEST, BST, AEDT, IST, SAST, SGT, JST (java.time prints these in Locale.US too).
 */
const NAME_LOCALES = ["en-US", "en-GB", "en-AU", "en-IN", "en-ZA", "en-SG", "ja-JP"];

/** The zone's name at an instant as java.time's `z` / `zzzz` would print it (cached by the caller). */
function intlZoneName(id: string, utcSec: number, long: boolean): string {
  const nameIn = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: id, timeZoneName: long ? "long" : "short" })
      .formatToParts(utcSec * 1000)
      .find((p) => p.type === "timeZoneName")?.value ?? id;
  if (long) return nameIn("en-US");
  for (const locale of NAME_LOCALES) {
    const name = nameIn(locale);
    if (/^[A-Z]{2,5}$/.test(name)) return name;
  }
  return nameIn("en-US");
}

function daysFromJan1(y: number): number {
  // Days of y-01-01 (inlined daysFromCivil for m = 1, d = 1).
  const yy = y - 1;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + 306 - 719468;
}

/**
 * An offset as text. Styles: 0 `+HH[mm]`, 1 `+H[:mm]` (GMT short), 2 `+HH:mm[:ss]`,
 * 3 `+HHmm`, 4 `+HH:mm[:ss]`, 5 `+HHmm[ss]`.
 */
export function offsetText(off: number, style: number): string {
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  const h = Math.floor(a / 3600);
  const m = Math.floor(a / 60) % 60;
  const s = a % 60;
  const p2 = (v: number) => (v < 10 ? `0${v}` : String(v));
  switch (style) {
    case 0:
      return `${sign}${p2(h)}${m !== 0 ? p2(m) : ""}`;
    case 1:
      return `${sign}${h}${m !== 0 || s !== 0 ? `:${p2(m)}` : ""}${s !== 0 ? `:${p2(s)}` : ""}`;
    case 2:
      return `${sign}${p2(h)}:${p2(m)}${s !== 0 ? `:${p2(s)}` : ""}`;
    case 3:
      return `${sign}${p2(h)}${p2(m)}`;
    case 4:
      return `${sign}${p2(h)}:${p2(m)}${s !== 0 ? `:${p2(s)}` : ""}`;
    default:
      return `${sign}${p2(h)}${p2(m)}${s !== 0 ? p2(s) : ""}`;
  }
}

/** Compiles a formatting pattern for the session zone `zone` (zone letters print that zone). */
export function compileFormatter(pattern: string, zone: ZoneRules): DateTimeFormatter {
  return new Formatter(compilePattern(pattern, false), zone);
}
