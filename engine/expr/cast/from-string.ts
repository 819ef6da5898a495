// Casts from string, parsing UTF-8 bytes in place with Spark's non-ANSI rules: surrounding
// whitespace and control characters are ignored, an invalid value becomes null. Integers
// accept a fractional part (truncated) but not an exponent; doubles take Java's syntax plus
// `inf`/`nan` spellings; decimals round half-up; booleans accept t/true/y/yes/1 and f/false/n/no/0.
import { type Column, i64Halves, writeI64 } from "../../columnar/column.js";
import type { DataType } from "../../types/data-type.js";
import { parseDateBytes, parseTimestampBytes, parseTimestampNtzBytes } from "../datetime/cast-parse.js";
import { zoneRules } from "../datetime/timezone.js";
import {
  divPow10HalfUp,
  divRound,
  fitsBig,
  POW10,
  POW10_BIG,
  writeDecimal,
  writeDecNum,
} from "../kernels/decimal.js";
import { isSpaceOrControl, writableValid } from "../kernels/util.js";
import type { CompileContext } from "../registry.js";

const decoder = new TextDecoder();
const TWO53 = 9007199254740992;

/** Parses an integral value per Spark's UTF8String.toLong; returns a number, a bigint (beyond 2^53) or null. */
export function parseIntegral(b: Uint8Array, s: number, e: number, bits: 32 | 64): number | bigint | null {
  let j = s;
  while (j < e && isSpaceOrControl(b[j]!)) j++;
  if (j === e) return null;
  let end = e;
  while (end > j && isSpaceOrControl(b[end - 1]!)) end--;
  const neg = b[j] === 0x2d;
  if (neg || b[j] === 0x2b) {
    if (end - j === 1) return null;
    j++;
  }
  while (j < end && b[j] === 0x30) j++;
  const start = j;
  while (j < end && b[j] !== 0x2e) {
    const d = b[j]! - 0x30;
    if (d < 0 || d > 9) return null;
    j++;
  }
  const intEnd = j;
  if (j < end) for (j++; j < end; j++) if (b[j]! < 0x30 || b[j]! > 0x39) return null;
  const nd = intEnd - start;
  if (nd > 19) return null;
  if (nd <= 15) {
    let v = 0;
    for (let k = start; k < intEnd; k++) v = v * 10 + (b[k]! - 0x30);
    if (neg) v = -v;
    if (bits === 32 && (v > 2147483647 || v < -2147483648)) return null;
    return v === 0 ? 0 : v;
  }
  if (bits === 32) return null;
  let v = 0n;
  for (let k = start; k < intEnd; k++) v = v * 10n + BigInt(b[k]! - 0x30);
  if (neg) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;
const JAVA_HEX_DOUBLE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/;

/** Parses a double as Spark does (Java's Double.parseDouble, then inf/nan spellings); NaN-boxed null is `null`. */
export function parseDouble(b: Uint8Array, s: number, e: number): number | null {
  let j = s;
  while (j < e && b[j]! <= 0x20) j++;
  let end = e;
  while (end > j && b[end - 1]! <= 0x20) end--;
  if (j === end) return null;
  // Fast path: [+-]digits[.digits] with at most 15 significant digits (m / 10^k is then exact).
  let k = j;
  const neg = b[k] === 0x2d;
  if (neg || b[k] === 0x2b) k++;
  let m = 0;
  let sig = 0;
  let digits = 0;
  let fracDigits = 0;
  let dot = false;
  let ok = true;
  for (; k < end; k++) {
    const c = b[k]!;
    if (c === 0x2e && !dot) {
      dot = true;
      continue;
    }
    const dg = c - 0x30;
    if (dg < 0 || dg > 9) {
      ok = false;
      break;
    }
    if (m !== 0 || dg !== 0) sig++;
    m = m * 10 + dg;
    digits++;
    if (dot) fracDigits++;
  }
  if (ok && digits > 0 && sig <= 15 && fracDigits <= 22) {
    const v = fracDigits > 0 ? m / POW10[fracDigits]! : m;
    return neg ? -v : v;
  }
  const str = decoder.decode(b.subarray(j, end));
  if (JAVA_DOUBLE.test(str)) {
    const last = str.charCodeAt(str.length - 1) | 0x20;
    return Number(last === 0x66 || last === 0x64 ? str.slice(0, -1) : str);
  }
  const hex = JAVA_HEX_DOUBLE.exec(str);
  if (hex !== null && (hex[2]! + (hex[3] ?? "")).length > 0) {
    const digits = hex[2]! + (hex[3] ?? "");
    const v = Number(BigInt(`0x${digits}`)) * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? "").length);
    return hex[1] === "-" ? -v : v;
  }
  switch (str.toLowerCase()) {
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Number.POSITIVE_INFINITY;
    case "-inf":
    case "-infinity":
      return Number.NEGATIVE_INFINITY;
    case "nan":
      return Number.NaN;
    default:
      return null;
  }
}

const BIG_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal (Java BigDecimal syntax) to the unscaled value at `scale`, half-up; null when invalid. */
export function parseDecimal(b: Uint8Array, s: number, e: number, scale: number): number | bigint | null {
  const str = decoder.decode(b.subarray(s, e)).trim();
  const m = BIG_DECIMAL.exec(str);
  if (m === null) return null;
  const intPart = m[2]!;
  const fracPart = m[3] ?? "";
  if (intPart.length + fracPart.length === 0) return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, "");
  const shift = exp - fracPart.length + scale;
  if (digits.length + shift > 40) return null; // certainly beyond 38 digits
  const neg = m[1] === "-";
  if (digits.length <= 15 && shift > -16 && shift < 16) {
    const v = Number(digits);
    const r = shift >= 0 ? v * POW10[shift]! : divPow10HalfUp(v, -shift);
    if (Math.abs(r) < TWO53) return neg ? -r : r;
  }
  const v = BigInt(digits);
  const r = shift >= 0 ? v * POW10_BIG[shift]! : divRound(v, 10n ** BigInt(-shift), "half_up");
  return neg ? -r : r;
}

const TRUE_STRINGS = new Set(["t", "true", "y", "yes", "1"]);
const FALSE_STRINGS = new Set(["f", "false", "n", "no", "0"]);

/** Casts a string column to `to` (boolean, int, bigint, double, decimal, date or timestamp). */
export function castFromString(c: Column, to: DataType, n: number, ctx: CompileContext): Column {
  const o = c.offsets!;
  const d = c.data!;
  const ov = writableValid(c.valid, n);
  switch (to.kind) {
    case "boolean": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (ov[i] === 0) continue;
        const len = o[i + 1]! - o[i]!;
        const str =
          len <= 16
            ? decoder
                .decode(d.subarray(o[i]!, o[i + 1]!))
                .trim()
                .toLowerCase()
            : "";
        if (TRUE_STRINGS.has(str)) out[i] = 1;
        else if (!FALSE_STRINGS.has(str)) ov[i] = 0;
      }
      return { type: to, length: n, valid: ov, values: out };
    }
    case "int32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (ov[i] === 0) continue;
        const v = parseIntegral(d, o[i]!, o[i + 1]!, 32);
        if (v === null) ov[i] = 0;
        else out[i] = v as number;
      }
      return { type: to, length: n, valid: ov, values: out };
    }
    case "int64": {
      const out = new BigInt64Array(n);
      const h = i64Halves(out);
      for (let i = 0; i < n; i++) {
        if (ov[i] === 0) continue;
        const v = parseIntegral(d, o[i]!, o[i + 1]!, 64);
        if (v === null) ov[i] = 0;
        else if (typeof v === "number") writeI64(h, i, v);
        else out[i] = v;
      }
      return { type: to, length: n, valid: ov, values: out };
    }
    case "float64": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (ov[i] === 0) continue;
        const v = parseDouble(d, o[i]!, o[i + 1]!);
        if (v === null) ov[i] = 0;
        else out[i] = v;
      }
      return { type: to, length: n, valid: ov, values: out };
    }
    case "decimal": {
      const out = new BigInt64Array(2 * n);
      const h = i64Halves(out);
      const limit = to.precision <= 15 ? POW10[to.precision]! : TWO53;
      for (let i = 0; i < n; i++) {
        if (ov[i] === 0) continue;
        const v = parseDecimal(d, o[i]!, o[i + 1]!, to.scale);
        if (v === null) ov[i] = 0;
        else if (typeof v === "number") {
          if (v < limit && v > -limit) writeDecNum(h, i, v);
          else ov[i] = 0;
        } else if (fitsBig(v, to.precision)) writeDecimal(out, i, v);
        else ov[i] = 0;
      }
      return { type: to, length: n, valid: ov, values: out };
    }
    case "date": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (ov[i] === 0) continue;
        const v = parseDateBytes(d, o[i]!, o[i + 1]!);
        if (Number.isNaN(v) || v > 2147483647 || v < -2147483648) ov[i] = 0;
        else out[i] = v;
      }
      return { type: to, length: n, valid: ov, values: out };
    }
    case "timestamp":
      return stringToTimestamp(c, to.tz, n, ctx, ov);
    default:
      throw new Error(`castFromString: unsupported target ${to.kind}`);
  }
}

function stringToTimestamp(
  c: Column,
  tz: string | null,
  n: number,
  ctx: CompileContext,
  ov: Uint8Array,
): Column {
  const o = c.offsets!;
  const d = c.data!;
  const out = new BigInt64Array(n);
  const h = i64Halves(out);
  const parsed = new Float64Array(2); // [epoch seconds (UTC, or wall-clock for NTZ), µs fraction]
  const session = tz === null ? null : zoneRules(ctx.timeZone);
  const nowSec = Math.floor(ctx.nowMicros / 1e6);
  for (let i = 0; i < n; i++) {
    if (ov[i] === 0) continue;
    const ok =
      session === null
        ? parseTimestampNtzBytes(d, o[i]!, o[i + 1]!, parsed)
        : parseTimestampBytes(d, o[i]!, o[i + 1]!, session, nowSec, parsed);
    if (!ok) {
      ov[i] = 0;
      continue;
    }
    const sec = parsed[0]!;
    if (Math.abs(sec) < 9e9) writeI64(h, i, sec * 1e6 + parsed[1]!);
    else {
      const v = BigInt(sec) * 1000000n + BigInt(parsed[1]!);
      if (v > 9223372036854775807n || v < -9223372036854775808n) ov[i] = 0;
      else out[i] = v;
    }
  }
  return { type: { kind: "timestamp", tz }, length: n, valid: ov, values: out };
}
