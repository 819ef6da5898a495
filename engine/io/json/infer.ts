// JSON schema resolution: the `schema` option, or types inferred from a bounded sample of
// records, as Spark 3.5's JsonInferSchema does, mapped onto Kindling's types:
// - integers are bigint (decimal(p,0) beyond the bigint range, double beyond 38 digits),
//   other numbers double (decimal with prefersDecimal), true/false boolean, text string;
// - bigint and double merge to double; any other mix is string; nulls are skipped and an
//   all-null field is string (dropped with dropFieldIfAllNull);
// - arrays are array<element>, with nested objects and arrays as JSON text elements; objects
//   (Spark's structs, which Kindling lacks) are string columns holding the JSON text;
// - fields are sorted by name, as Spark sorts them; in PERMISSIVE mode a malformed sample
//   record adds the corrupt-record column, in FAILFAST mode it fails the inference.
// Spark reads every record to infer; Kindling samples `kindling.sql.csv.inferSchema.sampleRows`
// records (default 10000) from the first files.
import { AnalysisError, DataError } from "../../errors.js";
import { type DataType, field, type Schema, schemaOf, T } from "../../types/data-type.js";
import { parseDDL } from "../../types/ddl.js";
import { readSample } from "../csv/byte-source.js";
import { parseDecimalText } from "../csv/decimal.js";
import type { SourceFile } from "../source.js";
import type { JsonReadOptions } from "./options.js";
import { JsonNumber, parseJson } from "./parse.js";

type JType =
  | { readonly k: "null" | "bool" | "long" | "dbl" | "str" | "struct" }
  | { readonly k: "dec"; readonly p: number; readonly s: number }
  | { readonly k: "list"; readonly el: JType };

const NULL: JType = { k: "null" };
const STR: JType = { k: "str" };
const DBL: JType = { k: "dbl" };
const LONG: JType = { k: "long" };
const BOOL: JType = { k: "bool" };
const STRUCT: JType = { k: "struct" };

const decoder = new TextDecoder();

/** Checks a user schema for JSON: the corrupt-record column must be a nullable string. */
function checkJsonSchema(schema: Schema, o: JsonReadOptions): void {
  for (const f of schema.fields) {
    if (f.name === o.corruptColumn && (f.type.kind !== "string" || !f.nullable)) {
      throw new AnalysisError(`the field for corrupt records ("${f.name}") must be string type and nullable`);
    }
  }
}

/** Infers or parses the schema of JSON files. */
export function inferJsonSchema(files: readonly SourceFile[], o: JsonReadOptions): Schema {
  if (o.schema !== undefined) {
    const schema = parseDDL(o.schema);
    checkJsonSchema(schema, o);
    return schema;
  }
  if (files.length === 0)
    throw new AnalysisError("Unable to infer schema for JSON. It must be specified manually.");
  const fields = new Map<string, JType>();
  let rows = 0;
  let corrupt = false;
  const addRecord = (v: unknown, file: string, line: number): void => {
    const records = Array.isArray(v) ? v : [v];
    for (const r of records) {
      if (r === null) continue; // a null document is skipped, as in Spark
      if (r === null || typeof r !== "object" || Array.isArray(r) || r instanceof JsonNumber) {
        malformed(file, line, "a record must be a JSON object");
        continue;
      }
      for (const [k, x] of Object.entries(r)) {
        if (k !== "") fields.set(k, merge(fields.get(k) ?? NULL, inferValue(x, o)));
      }
      rows++;
    }
  };
  const malformed = (file: string, line: number, reason: string): void => {
    if (o.mode === "FAILFAST") {
      throw new DataError(
        `Malformed JSON record in ${file} at line ${line} during schema inference: ${reason}`,
      );
    }
    if (o.mode === "PERMISSIVE") corrupt = true;
  };
  for (const f of files) {
    if (o.multiLine) {
      const { bytes } = readSample(f.path, 1 << 30);
      const text = decoder.decode(bytes);
      if (text.trim() === "") continue;
      try {
        addRecord(parseJson(text, true), f.path, 1);
      } catch (e) {
        malformed(f.path, 1, (e as Error).message);
      }
    } else {
      let budget = 1 << 20;
      for (;;) {
        const { bytes, complete } = readSample(f.path, budget);
        const lines = splitLines(bytes, complete);
        if (!complete && lines.length < o.sampleRows - rows && budget < 256 << 20) {
          budget *= 4;
          continue;
        }
        for (const [text, line] of lines) {
          if (rows >= o.sampleRows) break;
          try {
            addRecord(parseJson(text, true), f.path, line);
          } catch (e) {
            malformed(f.path, line, (e as Error).message);
          }
        }
        break;
      }
    }
    if (rows >= o.sampleRows) break;
  }
  const out = [...fields.entries()]
    .filter(([, t]) => !(o.dropFieldIfAllNull && t.k === "null"))
    .map(([name, t]) => field(name, toType(t)));
  if (corrupt && !fields.has(o.corruptColumn)) out.push(field(o.corruptColumn, T.string));
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return schemaOf(out);
}

/** The non-blank lines of a sample (the last one only when the sample is complete), with line numbers. */
function splitLines(b: Uint8Array, complete: boolean): [string, number][] {
  const out: [string, number][] = [];
  let p = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (p < b.length) {
    let e = p;
    while (e < b.length && b[e] !== 10 && b[e] !== 13) e++;
    if (e >= b.length && !complete) break;
    const text = decoder.decode(b.subarray(p, e));
    if (text.trim() !== "") out.push([text, line]);
    line++;
    p = e + (b[e] === 13 && b[e + 1] === 10 ? 2 : 1);
  }
  return out;
}

function inferValue(v: unknown, o: JsonReadOptions): JType {
  if (v === null || v === undefined) return NULL;
  // Spark treats "" like null when inferring (generators that write "" for null).
  if (typeof v === "string") return v === "" ? NULL : STR;
  if (typeof v === "boolean") return o.primitivesAsString ? STR : BOOL;
  if (v instanceof JsonNumber) return o.primitivesAsString ? STR : inferNumber(v.text, o);
  if (typeof v === "number") return o.primitivesAsString ? STR : Number.isInteger(v) ? LONG : DBL;
  if (Array.isArray(v)) {
    let el: JType = NULL;
    for (const x of v) el = merge(el, inferValue(x, o));
    return { k: "list", el };
  }
  return STRUCT;
}

function inferNumber(text: string, o: JsonReadOptions): JType {
  if (/^-?\d+$/.test(text)) {
    const digits = text.replace(/^-/, "").replace(/^0+(?=\d)/, "");
    if (digits.length <= 18) return LONG;
    const big = BigInt(text);
    if (big <= 9223372036854775807n && big >= -9223372036854775808n) return LONG;
    return digits.length <= 38 ? { k: "dec", p: digits.length, s: 0 } : DBL;
  }
  if (o.prefersDecimal && /^-?\d/.test(text)) {
    const d = parseDecimalText(new TextEncoder().encode(text), 0, text.length);
    if (d !== null && d.scale >= 0) {
      const p = Math.max(d.digits.length, d.scale, 1);
      if (p <= 38) return { k: "dec", p, s: d.scale };
    }
  }
  return DBL;
}

function merge(a: JType, b: JType): JType {
  if (a.k === "null") return b;
  if (b.k === "null") return a;
  if (a.k === "dec" && b.k === "dec") return widenDec(a.p, a.s, b.p, b.s);
  if (a.k === "list" && b.k === "list") return { k: "list", el: merge(a.el, b.el) };
  if (a.k === b.k) return a;
  const kinds = new Set([a.k, b.k]);
  if (kinds.has("dbl") && (kinds.has("long") || kinds.has("dec"))) return DBL;
  if (kinds.has("long") && kinds.has("dec")) {
    const d = (a.k === "dec" ? a : b) as { p: number; s: number };
    return widenDec(d.p, d.s, 20, 0);
  }
  return STR;
}

function widenDec(p1: number, s1: number, p2: number, s2: number): JType {
  const scale = Math.max(s1, s2);
  const range = Math.max(p1 - s1, p2 - s2);
  return range + scale > 38 ? DBL : { k: "dec", p: range + scale, s: scale };
}

function toType(t: JType): DataType {
  switch (t.k) {
    case "bool":
      return T.boolean;
    case "long":
      return T.int64;
    case "dbl":
      return T.float64;
    case "dec":
      return T.decimal(t.p, t.s);
    case "list":
      return T.list(t.el.k === "list" || t.el.k === "struct" ? T.string : toType(t.el));
    default:
      return T.string;
  }
}
