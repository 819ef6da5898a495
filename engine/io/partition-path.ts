// Hive-style partition directory names (`a=1/b=x%3Ay`) as Spark writes and reads them:
// percent-escaping exactly as Spark's ExternalCatalogUtils, `__HIVE_DEFAULT_PARTITION__` for
// null, and partition values rendered as Spark's cast to string renders them.

import { WriteError } from "../errors.js";
import { civilFromDays, floorDiv } from "../expr/datetime/calendar.js";
import { zoneRules } from "../expr/datetime/timezone.js";
import type { LiteralValue } from "../expr/expr.js";
import type { DataType } from "../types/data-type.js";

/** The directory name of a null (or empty string) partition value. */
export const DEFAULT_PARTITION_NAME = "__HIVE_DEFAULT_PARTITION__";

// Spark's `charToEscape`: ASCII controls 0x01-0x1F, `"#%'*/:=?\`, 0x7F and `{[]^`.
const ESCAPED = new Uint8Array(128);
for (let c = 1; c <= 0x1f; c++) ESCAPED[c] = 1;
for (const ch of "\"#%'*/:=?\\\x7F{[]^") ESCAPED[ch.charCodeAt(0)] = 1;

/** Percent-escapes the characters Spark escapes in partition names and values (`:` → `%3A`). */
export function escapePathName(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && ESCAPED[c] === 1) out += `%${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += s[i];
  }
  return out;
}

/**
 * Undoes `escapePathName` as Spark does: each `%XX` (two characters Java's `parseInt(_, 16)`
 * accepts) becomes that UTF-16 code unit; any other `%` stays as it is.
 */
export function unescapePathName(s: string): string {
  if (!s.includes("%")) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "%" && i + 2 < s.length) {
      const hex = s.slice(i + 1, i + 3);
      // Java's parseInt also takes a sign: `%+A` decodes, `%-1` (negative) does not.
      if (/^\+?[0-9a-fA-F]+$/.test(hex)) {
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 3;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

/** `name=value` for one partition column; a null or empty value is the default partition. */
export function partitionSegment(name: string, value: string | null): string {
  const v = value === null || value === "" ? DEFAULT_PARTITION_NAME : escapePathName(value);
  return `${escapePathName(name)}=${v}`;
}

/** The relative directory of a partition: `partitionDirName(["a","b"], ["1","x:y"])` is `a=1/b=x%3Ay`. */
export function partitionDirName(names: readonly string[], values: readonly (string | null)[]): string {
  if (names.length !== values.length) {
    throw new Error(`partitionDirName: ${names.length} names but ${values.length} values`);
  }
  return names.map((n, i) => partitionSegment(n, values[i]!)).join("/");
}

/**
 * A partition value as Spark's cast to string writes it into a directory name (before
 * escaping): dates `yyyy-MM-dd`, timestamps `yyyy-MM-dd HH:mm:ss[.ffffff]` in `timeZone` (a
 * zone-less timestamp as its wall clock), doubles as Java's `Double.toString`. Null stays null.
 */
export function formatPartitionValue(type: DataType, value: LiteralValue, timeZone = "UTC"): string | null {
  if (value === null) return null;
  switch (type.kind) {
    case "null":
      return null;
    case "string":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "int32":
    case "int64":
      return typeof value === "bigint" ? value.toString() : String(Math.trunc(Number(value)));
    case "float64":
      return javaDoubleToString(Number(value));
    case "decimal":
      return decimalToString(BigInt(value as bigint | number), type.scale);
    case "date":
      return formatDate(Number(value));
    case "timestamp": {
      const us = BigInt(value as bigint | number);
      return formatTimestampMicros(us, type.tz === null ? "UTC" : timeZone);
    }
    case "list":
      throw new WriteError(`cannot partition by a column of type array; partition columns must be atomic`);
  }
}

/** Java's `Double.toString`: `1.0`, `1.5E10`, `1.0E-5`, `NaN`, `Infinity`, `-0.0`. */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mant, exp] = x.toExponential().split("e") as [string, string];
  const m = mant.includes(".") ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith("+") ? exp.slice(1) : exp}`;
}

/** An unscaled decimal as plain text: (12345n, 2) → `123.45`. */
function decimalToString(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const cut = digits.length - scale;
  return `${neg ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
const civil = new Int32Array(3);

/** Days since the epoch as `yyyy-MM-dd`. */
export function formatDate(days: number): string {
  civilFromDays(days, civil);
  return `${String(civil[0]).padStart(4, "0")}-${pad2(civil[1]!)}-${pad2(civil[2]!)}`;
}

/** µs since the epoch as `yyyy-MM-dd HH:mm:ss[.f]` in `timeZone` (fraction without trailing zeros). */
export function formatTimestampMicros(us: bigint, timeZone: string): string {
  const sec = Number(us / 1_000_000n) - (us % 1_000_000n < 0n ? 1 : 0);
  const frac = Number(((us % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const local = sec + zoneRules(timeZone).offsetAt(sec);
  const days = floorDiv(local, 86400);
  const sod = local - days * 86400;
  let s = `${formatDate(days)} ${pad2(Math.floor(sod / 3600))}:${pad2(Math.floor(sod / 60) % 60)}:${pad2(sod % 60)}`;
  if (frac !== 0) s += `.${String(frac).padStart(6, "0").replace(/0+$/, "")}`;
  return s;
}
