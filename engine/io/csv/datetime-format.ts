// Formatting dates and timestamps with a compiled Spark datetime pattern (see
// `datetime-pattern.ts`), in a zone or as wall-clock time.
import { civilFromDays } from "./datetime.js";
import { cap, DAYS, type DatePattern, MONTHS, type PTok } from "./datetime-pattern.js";
import { formatOffset, offsetAtUtc, type Zone } from "./timezone.js";

const pad = (v: number, n: number): string => {
  const s = String(Math.abs(v));
  return (v < 0 ? "-" : "") + (s.length >= n ? s : "0".repeat(n - s.length) + s);
};
const civil = [0, 0, 0];

function formatSeq(
  toks: readonly PTok[],
  days: number,
  sod: number,
  micros: number,
  off: number,
  zone: Zone | null,
): string {
  let out = "";
  const hour = Math.floor(sod / 3600);
  for (const tk of toks) {
    switch (tk.t) {
      case "lit":
        out += tk.text;
        break;
      case "num": {
        let v = 0;
        switch (tk.field) {
          case "year":
            v = civil[0]!;
            break;
          case "year2":
            v = ((civil[0]! % 100) + 100) % 100;
            break;
          case "month":
            v = civil[1]!;
            break;
          case "day":
            v = civil[2]!;
            break;
          case "hour":
            v = hour;
            break;
          case "hour12":
            v = hour % 12 === 0 ? 12 : hour % 12;
            break;
          case "hourK":
            v = hour % 12;
            break;
          case "hourk":
            v = hour === 0 ? 24 : hour;
            break;
          case "minute":
            v = Math.floor((sod % 3600) / 60);
            break;
          case "second":
            v = sod % 60;
            break;
        }
        out += pad(v, tk.count);
        break;
      }
      case "frac": {
        const s6 = pad(micros, 6);
        out += tk.count <= 6 ? s6.slice(0, tk.count) : s6 + "0".repeat(tk.count - 6);
        break;
      }
      case "monthName": {
        const name = cap(MONTHS[civil[1]! - 1]!);
        out += tk.full ? name : name.slice(0, 3);
        break;
      }
      case "dow": {
        const name = cap(DAYS[(((days + 3) % 7) + 7) % 7]!);
        out += tk.full ? name : name.slice(0, 3);
        break;
      }
      case "ampm":
        out += hour < 12 ? "AM" : "PM";
        break;
      case "offset": {
        const zForZero = tk.letter === "X" || (tk.letter === "Z" && tk.count === 5);
        if (tk.letter === "Z" && tk.count === 4) out += off === 0 ? "GMT" : "GMT" + formatOffset(off, false);
        else if ((tk.letter === "X" || tk.letter === "x") && tk.count === 1 && off % 3600 === 0)
          out += off === 0 && zForZero ? "Z" : formatOffset(off, false, false).slice(0, 3);
        else out += formatOffset(off, zForZero, tk.count === 3 || tk.count === 5);
        break;
      }
      case "zoneId":
      case "zoneName":
        out += zone === null ? "UTC" : zone.fixed === 0 && zone.id === "Z" ? "Z" : zone.id;
        break;
      case "opt":
        out += formatSeq(tk.toks, days, sod, micros, off, zone);
        break;
    }
  }
  return out;
}

/**
 * Formats an instant (`sec` UTC seconds + `micros`) in `zone`, or a wall-clock time
 * (timestamp_ntz, `zone` null: `sec` is local seconds).
 */
export function formatTimestamp(p: DatePattern, sec: number, micros: number, zone: Zone | null): string {
  const off = zone === null ? 0 : offsetAtUtc(zone, sec);
  const local = sec + off;
  const days = Math.floor(local / 86400);
  civilFromDays(days, civil);
  return formatSeq(p.toks, days, local - days * 86400, micros, off, zone);
}

/** Formats a date (days since the epoch). */
export function formatDate(p: DatePattern, days: number): string {
  civilFromDays(days, civil);
  return formatSeq(p.toks, days, 0, 0, 0, null);
}
