// CSV options with Spark's names and defaults, parsed once per read or write.
//
// Keys are matched case-insensitively and values are strings, as Spark's DataFrameReader keeps
// them. Bad values are a ConfigError naming the option.
import { ConfigError } from "../../errors.js";
import { compilePattern, type DatePattern } from "./datetime-pattern.js";
import type { SpecialFloats } from "./numbers.js";
import { resolveZone, type Zone } from "./timezone.js";

/** Spark's parse modes for malformed records. */
export type ParseMode = "PERMISSIVE" | "DROPMALFORMED" | "FAILFAST";

const enc = new TextEncoder();

/** Options lower-cased by key. */
export function lowerKeys(options: Readonly<Record<string, string>>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(options)) m.set(k.toLowerCase(), String(v));
  return m;
}

/** A boolean option ("true"/"false", case-insensitive). */
export function boolOpt(o: Map<string, string>, key: string, dflt: boolean): boolean {
  const v = o.get(key.toLowerCase());
  if (v === undefined) return dflt;
  const l = v.trim().toLowerCase();
  if (l === "true") return true;
  if (l === "false") return false;
  throw new ConfigError(`option ${key} must be true or false, got "${v}"`);
}

/** An integer option. */
export function intOpt(o: Map<string, string>, key: string, dflt: number): number {
  const v = o.get(key.toLowerCase());
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`option ${key} must be a non-negative integer, got "${v}"`);
  return n;
}

/** Spark's delimiter text: `\t`, `\\u0001`-style escapes and multi-character separators. */
export function delimiterText(raw: string): string {
  if (raw.length === 0) throw new ConfigError("option delimiter cannot be empty");
  if (raw === "\\t") return "\t";
  if (raw === "\\\\") return "\\";
  if (/^\\u[0-9a-fA-F]{4}$/.test(raw)) return String.fromCharCode(Number.parseInt(raw.slice(2), 16));
  if (raw.length === 2 && raw[0] === "\\" && raw !== "\\\\") {
    throw new ConfigError(`option delimiter: unsupported special character "${raw}"`);
  }
  return raw;
}

/** A single-character option as its byte (-1 when disabled, i.e. empty or \u0000). */
export function charOpt(o: Map<string, string>, key: string, dflt: string): number {
  const v = o.get(key.toLowerCase()) ?? dflt;
  if (v.length === 0 || v === "\u0000") return -1;
  const s = v === "\\t" ? "\t" : v;
  if (s.length !== 1) throw new ConfigError(`option ${key} must be a single character, got "${v}"`);
  const c = s.charCodeAt(0);
  if (c >= 0x80) throw new ConfigError(`option ${key} must be an ASCII character, got "${v}"`);
  return c;
}

/** Resolves the `timeZone` option (default UTC). */
export function zoneOpt(o: Map<string, string>): Zone {
  const tzName = o.get("timezone") ?? "UTC";
  const zone = resolveZone(tzName);
  if (zone === null) throw new ConfigError(`option timeZone: unknown time zone "${tzName}"`);
  return zone;
}

/**
 * Parses `mode` (case-insensitive). Spark logs a warning and uses PERMISSIVE for an unknown
 * mode; Kindling makes it an error, since a typo would silently change what a job keeps.
 */
export function modeOpt(o: Map<string, string>): ParseMode {
  const raw = o.get("mode") ?? "PERMISSIVE";
  const m = raw.trim().toUpperCase();
  if (m === "PERMISSIVE" || m === "DROPMALFORMED" || m === "FAILFAST") return m;
  throw new ConfigError(`option mode: unknown parse mode "${raw}" (PERMISSIVE, DROPMALFORMED or FAILFAST)`);
}

/** Checks the `encoding`/`charset` option: only UTF-8 is supported. */
export function checkEncoding(o: Map<string, string>): void {
  const e = o.get("encoding") ?? o.get("charset");
  if (e !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(e.trim())) {
    throw new ConfigError(`option encoding: only UTF-8 is supported, got "${e}"`);
  }
}

/** Everything a CSV read needs, resolved once. */
export interface CsvReadOptions {
  readonly header: boolean;
  readonly delimiter: Uint8Array;
  readonly quote: number;
  readonly escape: number;
  readonly comment: number;
  readonly nullValue: Uint8Array;
  readonly emptyValue: Uint8Array;
  readonly ignoreLeadingWhiteSpace: boolean;
  readonly ignoreTrailingWhiteSpace: boolean;
  readonly inferSchema: boolean;
  readonly schema: string | undefined;
  readonly mode: ParseMode;
  readonly corruptColumn: string;
  readonly multiLine: boolean;
  /** Custom patterns (null: Spark's lenient default parsing). */
  readonly dateFormat: DatePattern | null;
  readonly timestampFormat: DatePattern | null;
  readonly timestampNTZFormat: DatePattern | null;
  readonly prefersDate: boolean;
  readonly zone: Zone;
  readonly special: SpecialFloats;
  readonly sampleRows: number;
}

/** Parses the reader options of a CSV source. */
export function csvReadOptions(options: Readonly<Record<string, string>>): CsvReadOptions {
  const o = lowerKeys(options);
  checkEncoding(o);
  const delim = delimiterText(o.get("sep") ?? o.get("delimiter") ?? ",");
  const pattern = (key: string): DatePattern | null => {
    const v = o.get(key.toLowerCase());
    return v === undefined ? null : compilePattern(v, key);
  };
  const lineSep = o.get("linesep");
  if (lineSep !== undefined && !["\n", "\r", "\r\n"].includes(lineSep)) {
    throw new ConfigError(
      `option lineSep: only \\n, \\r and \\r\\n are supported, got ${JSON.stringify(lineSep)}`,
    );
  }
  return {
    header: boolOpt(o, "header", false),
    delimiter: enc.encode(delim),
    quote: charOpt(o, "quote", '"'),
    escape: charOpt(o, "escape", "\\"),
    comment: charOpt(o, "comment", ""),
    nullValue: enc.encode(o.get("nullvalue") ?? ""),
    emptyValue: enc.encode(o.get("emptyvalue") ?? ""),
    ignoreLeadingWhiteSpace: boolOpt(o, "ignoreLeadingWhiteSpace", false),
    ignoreTrailingWhiteSpace: boolOpt(o, "ignoreTrailingWhiteSpace", false),
    inferSchema: boolOpt(o, "inferSchema", false),
    schema: o.get("schema"),
    mode: modeOpt(o),
    corruptColumn: o.get("columnnameofcorruptrecord") ?? "_corrupt_record",
    multiLine: boolOpt(o, "multiLine", false),
    dateFormat: pattern("dateFormat"),
    timestampFormat: pattern("timestampFormat"),
    timestampNTZFormat: pattern("timestampNTZFormat"),
    // Spark 3.4-3.5 call it prefersDate; later versions preferDate.
    prefersDate: boolOpt(o, o.has("preferdate") ? "preferDate" : "prefersDate", true),
    zone: zoneOpt(o),
    special: {
      nan: enc.encode(o.get("nanvalue") ?? "NaN"),
      posInf: enc.encode(o.get("positiveinf") ?? "Inf"),
      negInf: enc.encode(o.get("negativeinf") ?? "-Inf"),
    },
    sampleRows: sampleRowsOpt(o),
  };
}

/** Rows sampled for inference: `kindling.sql.csv.inferSchema.sampleRows` or `kindling.sampleRows`. */
export function sampleRowsOpt(o: Map<string, string>): number {
  const v = o.get("kindling.sql.csv.inferschema.samplerows") ?? o.get("kindling.samplerows");
  if (v === undefined) return 10000;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`sample rows must be a positive integer, got "${v}"`);
  return n;
}
