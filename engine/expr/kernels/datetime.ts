// Printing of dates and timestamps as casts to string do (Spark's default formatters):
// `yyyy-MM-dd` and `yyyy-MM-dd HH:mm:ss[.f…]` with trailing zeros of the fraction dropped,
// written as ASCII bytes into a scratch buffer (no per-row strings).
import { civilFromDays } from "../datetime/calendar.js";

const civil = new Int32Array(3);

function put2(buf: Uint8Array, p: number, v: number): number {
  buf[p] = 0x30 + Math.floor(v / 10);
  buf[p + 1] = 0x30 + (v % 10);
  return p + 2;
}

function putYear(buf: Uint8Array, p: number, y: number): number {
  let yy = y;
  if (y < 0) {
    buf[p++] = 0x2d;
    yy = -y;
  } else if (y > 9999) buf[p++] = 0x2b;
  const s = String(yy).padStart(4, "0");
  for (let k = 0; k < s.length; k++) buf[p++] = s.charCodeAt(k);
  return p;
}

/** Writes `yyyy-MM-dd` of a day number into `buf` at `p`; returns the end position. */
export function formatDate(days: number, buf: Uint8Array, p: number): number {
  civilFromDays(days, civil);
  let q = putYear(buf, p, civil[0]!);
  buf[q++] = 0x2d;
  q = put2(buf, q, civil[1]!);
  buf[q++] = 0x2d;
  return put2(buf, q, civil[2]!);
}

/** Writes `yyyy-MM-dd HH:mm:ss[.f…]` (fraction without trailing zeros) of local µs; returns the end. */
export function formatTimestamp(localMicros: number, buf: Uint8Array, p: number): number {
  const days = Math.floor(localMicros / 86_400_000_000);
  let rem = localMicros - days * 86_400_000_000;
  let q = formatDate(days, buf, p);
  buf[q++] = 0x20;
  const us = rem % 1_000_000;
  rem = (rem - us) / 1_000_000;
  q = put2(buf, q, Math.floor(rem / 3600));
  buf[q++] = 0x3a;
  q = put2(buf, q, Math.floor(rem / 60) % 60);
  buf[q++] = 0x3a;
  q = put2(buf, q, rem % 60);
  if (us !== 0) {
    buf[q++] = 0x2e;
    let frac = us;
    let width = 6;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    const s = String(frac).padStart(width, "0");
    for (let k = 0; k < s.length; k++) buf[q++] = s.charCodeAt(k);
  }
  return q;
}
