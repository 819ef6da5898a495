// Spark 3.5's text renderings: `show()` (Dataset.showString, cells rendered as ToPrettyString
// does), `printSchema()` (StructType.treeString), and the cast of one value to string
// (`formatValue`, Spark's Cast rules: Java's Double.toString, BigDecimal.toString, timestamps
// in the session zone with trailing fractional zeros trimmed).

import { getString, readDecimal } from "../columnar/builders.js";
import type { Batch, Column } from "../columnar/column.js";
import type { DataType, Schema } from "../types/data-type.js";
import { decimalToPlainString } from "./rows.js";

/** Options of `formatShow`, as `Dataset.show(n, truncate, vertical)` takes them. */
export interface ShowOptions {
  readonly n: number;
  readonly truncate: boolean | number;
  readonly vertical: boolean;
  /** More rows exist than `n` (the batch may also simply hold more than `n` rows). */
  readonly hasMore: boolean;
  readonly timeZone: string;
}

/** Java's `Double.toString`: `1.0`, `1.0E10`, `1.0E-5`, `NaN`, `Infinity`, `-0.0`. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Number.POSITIVE_INFINITY) return "Infinity";
  if (d === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const a = Math.abs(d);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split("e") as [string, string];
  return `${mant.includes(".") ? mant : `${mant}.0`}E${exp.startsWith("+") ? exp.slice(1) : exp}`;
}

/** Java's `BigDecimal.toString` of an unscaled value and scale (scientific below 1E-6, e.g. `0E-18`). */
export function decimalToJavaString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  const adjusted = digits.length - 1 - scale;
  if (adjusted >= -6) return decimalToPlainString(unscaled, scale);
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${neg ? "-" : ""}${m}E${adjusted}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `yyyy-MM-dd` of a day number (proleptic Gregorian, as Spark 3). */
export function formatDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const ys = y > 9999 ? `+${y}` : y < 0 ? `-${String(-y).padStart(4, "0")}` : String(y).padStart(4, "0");
  return `${ys}-${pad2(m)}-${pad2(d)}`;
}

const US_PER_DAY = 86_400_000_000n;

/** `yyyy-MM-dd HH:mm:ss[.ffffff]` of wall-clock µs (fraction shown only when non-zero, trailing zeros trimmed). */
export function formatWallMicros(us: bigint): string {
  let days = us / US_PER_DAY;
  let rem = us % US_PER_DAY;
  if (rem < 0n) {
    rem += US_PER_DAY;
    days -= 1n;
  }
  const r = Number(rem);
  const secs = Math.floor(r / 1e6);
  const frac = r % 1e6;
  let s = `${formatDate(Number(days))} ${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
  if (frac !== 0) s += `.${String(frac).padStart(6, "0").replace(/0+$/, "")}`;
  return s;
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();
const UTC_NAMES = new Set(["UTC", "Z", "GMT", "Etc/UTC", "Etc/GMT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu"]);

/** The offset in ms of `zone` (an IANA name, `UTC`, or `+hh:mm`) at the instant `ms`. */
export function zoneOffsetMs(zone: string, ms: number): number {
  if (UTC_NAMES.has(zone)) return 0;
  const fixed = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(zone);
  if (fixed !== null) {
    const sign = fixed[1] === "-" ? -1 : 1;
    return sign * (Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60 + Number(fixed[4] ?? 0)) * 1000;
  }
  let dtf = dtfCache.get(zone);
  if (dtf === undefined) {
    dtf = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    dtfCache.set(zone, dtf);
  }
  const p: Record<string, string> = {};
  for (const part of dtf.formatToParts(new Date(ms))) p[part.type] = part.value;
  const year = p.era === "BC" || p.era === "B" ? 1 - Number(p.year) : Number(p.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
  wall.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second));
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return wall.getTime() - whole;
}

/** A timestamp value as Spark prints it: NTZ as stored, a zoned instant in the session time zone. */
export function formatTimestamp(us: bigint, tz: string | null, timeZone: string): string {
  if (tz === null) return formatWallMicros(us);
  const q = us / 1000n;
  const ms = Number(us < 0n && q * 1000n !== us ? q - 1n : q);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return formatWallMicros(us);
  return formatWallMicros(us + BigInt(zoneOffsetMs(timeZone, ms)) * 1000n);
}

/**
 * Row i of a column cast to string as Spark does (`null`/`NULL` for nulls). With `pretty`
 * the rules are show()'s ToPrettyString: nulls (also inside arrays) print `NULL` and decimals
 * print plainly; without it they are Cast's: `null` inside arrays and BigDecimal.toString.
 */
export function formatValue(
  type: DataType,
  col: Column,
  i: number,
  timeZone: string,
  pretty = false,
): string {
  if (type.kind === "null" || (col.valid !== null && col.valid[i] === 0)) return pretty ? "NULL" : "null";
  switch (type.kind) {
    case "boolean":
      return (col.values as Uint8Array)[i] ? "true" : "false";
    case "int32":
      return String((col.values as Int32Array)[i]);
    case "int64":
      return String((col.values as BigInt64Array)[i]);
    case "float64":
      return formatDouble((col.values as Float64Array)[i]!);
    case "string":
      return getString(col, i);
    case "date":
      return formatDate((col.values as Int32Array)[i]!);
    case "timestamp":
      return formatTimestamp((col.values as BigInt64Array)[i]!, type.tz, timeZone);
    case "decimal": {
      const u = readDecimal(col.values as BigInt64Array, i);
      return pretty ? decimalToPlainString(u, type.scale) : decimalToJavaString(u, type.scale);
    }
    case "list": {
      const o = col.offsets!;
      const parts: string[] = [];
      for (let k = o[i]!; k < o[i + 1]!; k++)
        parts.push(formatValue(type.element, col.child!, k, timeZone, pretty));
      return `[${parts.join(", ")}]`;
    }
  }
}

/** Spark's escape of characters that would break the table layout (`\n` becomes `\\n`...). */
export function escapeMetaCharacters(s: string): string {
  return s
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\t", "\\t")
    .replaceAll("\f", "\\f")
    .replaceAll("\b", "\\b")
    .replaceAll("\u000B", "\\v")
    .replaceAll("\u0007", "\\a");
}

// The characters Spark's Utils.stringHalfWidth counts as two columns wide.
const FULL_WIDTH =
  /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6]/g;

/** Display width as Spark measures it: UTF-16 length plus one per full-width character. */
export function stringHalfWidth(s: string): number {
  const m = s.match(FULL_WIDTH);
  return s.length + (m === null ? 0 : m.length);
}

const padLeft = (s: string, width: number): string => " ".repeat(Math.max(0, width - stringHalfWidth(s))) + s;
const padRight = (s: string, width: number, ch = " "): string =>
  s + ch.repeat(Math.max(0, width - stringHalfWidth(s)));

/** The text of `df.show(n, truncate, vertical)`, exactly as Spark 3.5's `showString` (ends with "\n"). */
export function formatShow(schema: Schema, batch: Batch, opts: ShowOptions): string {
  const n = Math.max(0, Math.floor(opts.n));
  const truncate = opts.truncate === true ? 20 : opts.truncate === false ? 0 : Math.floor(opts.truncate);
  const shown = Math.min(n, batch.numRows);
  const hasMore = opts.hasMore || batch.numRows > n;
  const header = schema.fields.map((f) => escapeMetaCharacters(f.name));
  const rows: string[][] = [];
  for (let r = 0; r < shown; r++) {
    rows.push(
      schema.fields.map((f, c) => {
        const str = escapeMetaCharacters(formatValue(f.type, batch.columns[c]!, r, opts.timeZone, true));
        if (truncate > 0 && str.length > truncate) {
          // Spark shows no ellipsis when truncating to fewer than 4 characters.
          return truncate < 4 ? str.substring(0, truncate) : `${str.substring(0, truncate - 3)}...`;
        }
        return str;
      }),
    );
  }
  let out = "";
  const minWidth = 3;
  if (!opts.vertical) {
    const widths = header.map((h) => Math.max(minWidth, stringHalfWidth(h)));
    for (const row of rows)
      for (let c = 0; c < row.length; c++) widths[c] = Math.max(widths[c]!, stringHalfWidth(row[c]!));
    const line = (cells: string[]) =>
      `|${cells.map((s, c) => (truncate > 0 ? padLeft(s, widths[c]!) : padRight(s, widths[c]!))).join("|")}|\n`;
    const sep = `+${widths.map((w) => "-".repeat(w)).join("+")}+\n`;
    out += sep + line(header) + sep;
    for (const row of rows) out += line(row);
    out += sep;
  } else {
    let nameWidth = minWidth;
    for (const h of header) nameWidth = Math.max(nameWidth, stringHalfWidth(h));
    let dataWidth = minWidth;
    for (const row of rows) for (const s of row) dataWidth = Math.max(dataWidth, stringHalfWidth(s));
    rows.forEach((row, r) => {
      out += `${padRight(`-RECORD ${r}`, nameWidth + dataWidth + 5, "-")}\n`;
      out += `${row.map((s, c) => ` ${padRight(header[c]!, nameWidth)} | ${padRight(s, dataWidth)} `).join("\n")}\n`;
    });
  }
  if (opts.vertical && rows.length === 0) out += "(0 rows)\n";
  else if (hasMore) out += `only showing top ${n} ${n === 1 ? "row" : "rows"}\n`;
  return out;
}

/** Spark's `typeName` as printSchema shows it (`long`, `integer`, `array`...). */
function treeTypeName(t: DataType): string {
  switch (t.kind) {
    case "int32":
      return "integer";
    case "int64":
      return "long";
    case "null":
      return "void";
    case "list":
      return "array";
    case "timestamp":
      return t.tz === null ? "timestamp_ntz" : "timestamp";
    case "decimal":
      return `decimal(${t.precision},${t.scale})`;
    default:
      return t.kind === "float64" ? "double" : t.kind;
  }
}

/** The text of `printSchema()`: Spark's `root\n |-- name: string (nullable = true)\n` tree. */
export function formatSchemaTree(schema: Schema): string {
  let out = "root\n";
  const nested = (t: DataType, prefix: string): void => {
    if (t.kind !== "list") return;
    out += `${prefix}-- element: ${treeTypeName(t.element)} (containsNull = true)\n`;
    nested(t.element, `${prefix}    |`);
  };
  for (const f of schema.fields) {
    out += ` |-- ${escapeMetaCharacters(f.name)}: ${treeTypeName(f.type)} (nullable = ${f.nullable})\n`;
    nested(f.type, " |    |");
  }
  return out;
}
