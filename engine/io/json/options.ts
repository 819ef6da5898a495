// JSON reader options with Spark's names and defaults (keys case-insensitive, string values).
import { compilePattern, type DatePattern } from "../csv/datetime-pattern.js";
import {
  boolOpt,
  checkEncoding,
  lowerKeys,
  modeOpt,
  type ParseMode,
  sampleRowsOpt,
  zoneOpt,
} from "../csv/options.js";
import type { Zone } from "../csv/timezone.js";

/** Everything a JSON read needs, resolved once. */
export interface JsonReadOptions {
  readonly schema: string | undefined;
  readonly mode: ParseMode;
  readonly corruptColumn: string;
  /** One JSON document (an object or an array of objects) per file instead of one per line. */
  readonly multiLine: boolean;
  readonly dateFormat: DatePattern | null;
  readonly timestampFormat: DatePattern | null;
  readonly timestampNTZFormat: DatePattern | null;
  readonly zone: Zone;
  /** Infer every primitive as string. */
  readonly primitivesAsString: boolean;
  /** Infer floating-point numbers as decimals when they fit. */
  readonly prefersDecimal: boolean;
  /** Leave out columns that are null in every sampled record. */
  readonly dropFieldIfAllNull: boolean;
  readonly sampleRows: number;
}

/** Parses the reader options of a JSON source. */
export function jsonReadOptions(options: Readonly<Record<string, string>>): JsonReadOptions {
  const o = lowerKeys(options);
  checkEncoding(o);
  const pattern = (key: string): DatePattern | null => {
    const v = o.get(key.toLowerCase());
    return v === undefined ? null : compilePattern(v, key);
  };
  return {
    schema: o.get("schema"),
    mode: modeOpt(o),
    corruptColumn: o.get("columnnameofcorruptrecord") ?? "_corrupt_record",
    multiLine: boolOpt(o, "multiLine", false),
    dateFormat: pattern("dateFormat"),
    timestampFormat: pattern("timestampFormat"),
    timestampNTZFormat: pattern("timestampNTZFormat"),
    zone: zoneOpt(o),
    primitivesAsString: boolOpt(o, "primitivesAsString", false),
    prefersDecimal: boolOpt(o, "prefersDecimal", false),
    dropFieldIfAllNull: boolOpt(o, "dropFieldIfAllNull", false),
    sampleRows: sampleRowsOpt(o),
  };
}
