// Parquet schema → Kindling schema: physical + logical (or legacy converted) types map onto
// Kindling's types; lists map to `list<T>`; what Kindling cannot represent (structs, maps,
// binary, time of day, UUID, intervals) becomes a placeholder field.
//
// Placeholder convention: a field of type `null` carrying an `unsupported` string that
// describes the Parquet type (`struct<a: bigint, b: string>`, `binary`...). Schema inference
// never fails on such a column; reading it fails with a DataError naming the column, and the
// analyzer can refuse it early with `unsupportedReason(field)`.

import * as arrow from "apache-arrow";
import { type FileMetaData, parquetSchema, type SchemaElement, type SchemaTree } from "hyparquet";
import { DataError } from "../../errors.js";
import {
  type DataType,
  type Field,
  fromArrowType,
  type Schema,
  T,
  typeEquals,
  typeName,
} from "../../types/data-type.js";
import { arrowSchemaHint } from "./arrow-hint.js";

/** A Field that stands for a column Kindling cannot read; `unsupported` describes its Parquet type. */
export interface UnsupportedField extends Field {
  readonly unsupported: string;
}

/** The Parquet type description of a placeholder field, or undefined for a readable field. */
export function unsupportedReason(f: Field): string | undefined {
  const u = (f as Partial<UnsupportedField>).unsupported;
  return typeof u === "string" ? u : undefined;
}

/** One top-level column of a Parquet file as Kindling sees it. */
export interface ParquetColumn {
  readonly field: Field;
  /** Index of its column chunk in each row group when it is a top-level primitive, else -1. */
  readonly leaf: number;
  /** The leaf's schema element (for statistics) when `leaf >= 0`. */
  readonly element: SchemaElement | null;
}

/** Options that change the mapping (Spark's `binaryAsString`). */
export interface MappingOptions {
  readonly binaryAsString: boolean;
}

type Mapped = { readonly type: DataType } | { readonly unsupported: string };

/** Maps a primitive schema element to a Kindling type, or describes why it cannot be read. */
export function mapPrimitive(el: SchemaElement, opts: MappingOptions): Mapped {
  const lt = el.logical_type;
  const ct = el.converted_type;
  const decimal = (): Mapped => {
    const precision = lt?.type === "DECIMAL" ? lt.precision : (el.precision ?? 0);
    const scale = lt?.type === "DECIMAL" ? lt.scale : (el.scale ?? 0);
    if (precision < 1 || precision > 38) return { unsupported: `decimal(${precision},${scale})` };
    return { type: T.decimal(precision, scale) };
  };
  if (lt?.type === "DECIMAL" || ct === "DECIMAL") return decimal();
  if (lt?.type === "NULL") return { type: T.null };
  switch (el.type) {
    case "BOOLEAN":
      return { type: T.boolean };
    case "INT32":
      if (lt?.type === "DATE" || ct === "DATE") return { type: T.date };
      if (lt?.type === "TIME" || ct === "TIME_MILLIS") return { unsupported: "time" };
      if (lt?.type === "INTEGER" && !lt.isSigned && lt.bitWidth === 32) return { type: T.int64 };
      if (ct === "UINT_32") return { type: T.int64 };
      return { type: T.int32 };
    case "INT64":
      if (lt?.type === "TIMESTAMP")
        return { type: { kind: "timestamp", tz: lt.isAdjustedToUTC ? "UTC" : null } };
      // Legacy converted types without a logical type are instants (parquet-format's rule).
      if (ct === "TIMESTAMP_MILLIS" || ct === "TIMESTAMP_MICROS") return { type: T.timestamp };
      if (lt?.type === "TIME" || ct === "TIME_MICROS") return { unsupported: "time" };
      return { type: T.int64 };
    case "INT96":
      return { type: T.timestamp };
    case "FLOAT":
    case "DOUBLE":
      return { type: T.float64 };
    case "BYTE_ARRAY":
      if (lt?.type === "STRING" || lt?.type === "ENUM" || lt?.type === "JSON") return { type: T.string };
      if (ct === "UTF8" || ct === "ENUM" || ct === "JSON") return { type: T.string };
      if (lt || ct) return { unsupported: (lt?.type ?? ct ?? "binary").toLowerCase() };
      return opts.binaryAsString ? { type: T.string } : { unsupported: "binary" };
    case "FIXED_LEN_BYTE_ARRAY":
      if (lt?.type === "FLOAT16") return { type: T.float64 };
      if (lt?.type === "UUID") return { unsupported: "uuid" };
      if (ct === "INTERVAL" || lt?.type === "INTERVAL") return { unsupported: "interval" };
      return { unsupported: `binary(${el.type_length ?? "?"})` };
    default:
      return { unsupported: String(el.type ?? "group").toLowerCase() };
  }
}

const isListAnnotated = (el: SchemaElement): boolean =>
  el.logical_type?.type === "LIST" || el.converted_type === "LIST";
const isMapAnnotated = (el: SchemaElement): boolean =>
  el.logical_type?.type === "MAP" || el.converted_type === "MAP" || el.converted_type === "MAP_KEY_VALUE";

/** Maps any schema node (primitive or group) to a Kindling type; repetition is handled by the caller. */
function mapNode(node: SchemaTree, opts: MappingOptions): Mapped {
  const el = node.element;
  if (node.children.length === 0 && el.type !== undefined) return mapPrimitive(el, opts);
  if (isListAnnotated(el)) return mapList(node, opts);
  if (isMapAnnotated(el)) return { unsupported: "map" };
  const parts = node.children.map((c) => {
    const m = mapRepeated(c, opts);
    return `${c.element.name}: ${"type" in m ? typeName(m.type) : m.unsupported}`;
  });
  return { unsupported: `struct<${parts.join(", ")}>` };
}

/** A node that may itself be REPEATED (an unannotated repeated field is a list of it). */
function mapRepeated(node: SchemaTree, opts: MappingOptions): Mapped {
  const m = mapNode(node, opts);
  if (node.element.repetition_type !== "REPEATED" || !("type" in m)) return m;
  return { type: T.list(m.type) };
}

/** The LIST backward-compatibility rules of parquet-format's LogicalTypes.md. */
function mapList(node: SchemaTree, opts: MappingOptions): Mapped {
  if (node.children.length !== 1) return { unsupported: "list (malformed)" };
  const rep = node.children[0]!;
  if (rep.element.repetition_type !== "REPEATED") return { unsupported: "list (malformed)" };
  let element: Mapped;
  if (rep.children.length === 0) {
    element = mapPrimitive(rep.element, opts); // 2-level: repeated primitive is the element
  } else if (
    rep.children.length > 1 ||
    rep.element.name === "array" ||
    rep.element.name === `${node.element.name}_tuple`
  ) {
    element = mapNode({ ...rep, element: { ...rep.element, repetition_type: "REQUIRED" } }, opts);
  } else {
    element = mapRepeated(rep.children[0]!, opts); // 3-level: list { element }
  }
  if (!("type" in element)) return { unsupported: `list<${element.unsupported}>` };
  return { type: T.list(element.type) };
}

/** The top-level columns of a file, in file order. */
export function fileColumns(meta: FileMetaData, opts: MappingOptions): ParquetColumn[] {
  const root = parquetSchema(meta);
  const hint = arrowSchemaHint(meta);
  const out: ParquetColumn[] = [];
  let leaf = 0;
  for (const [index, child] of root.children.entries()) {
    const h = hint?.fields[index];
    const m = followHint(mapRepeated(child, opts), h?.name === child.element.name ? h.type : undefined);
    const nullable = child.element.repetition_type === "OPTIONAL";
    const field: Field =
      "type" in m
        ? { name: child.element.name, type: m.type, nullable }
        : ({
            name: child.element.name,
            type: T.null,
            nullable: true,
            unsupported: m.unsupported,
          } as UnsupportedField);
    const primitive = child.children.length === 0 && child.element.repetition_type !== "REPEATED";
    out.push({ field, leaf: primitive ? leaf : -1, element: primitive ? child.element : null });
    leaf += countLeaves(child);
  }
  return out;
}

/** The type arrow-rs will decode a column as when the file embeds an Arrow schema. */
function followHint(m: Mapped, hint: arrow.DataType | undefined): Mapped {
  if (!hint || !("type" in m)) return m;
  const t = fromArrowType(hint);
  if (t !== null) return { type: zonesToUtc(t) };
  // binaryAsString reads Binary as UTF-8: keep the footer's mapping.
  if ((m.type.kind === "string" || m.type.kind === "list") && isBinaryish(hint)) return m;
  return { unsupported: String(hint).toLowerCase() };
}

function isBinaryish(t: arrow.DataType): boolean {
  if (t.typeId === arrow.Type.Binary || t.typeId === arrow.Type.LargeBinary) return true;
  return t.typeId === arrow.Type.List && isBinaryish((t as arrow.List).children[0]!.type);
}

/** Kindling timestamps are wall-clock (no zone) or instants labelled UTC, whatever zone a writer named. */
function zonesToUtc(t: DataType): DataType {
  if (t.kind === "timestamp" && t.tz !== null && t.tz !== "UTC") return T.timestamp;
  if (t.kind === "list") return T.list(zonesToUtc(t.element));
  return t;
}

function countLeaves(n: SchemaTree): number {
  if (n.children.length === 0) return 1;
  let c = 0;
  for (const k of n.children) c += countLeaves(k);
  return c;
}

/** The Kindling schema of one file. */
export function fileSchema(meta: FileMetaData, opts: MappingOptions): Schema {
  return { fields: fileColumns(meta, opts).map((c) => c.field) };
}

/**
 * Can a file column `from` be read as the dataset's column `to`? Equal types, int32 widened
 * to int64, or a NULL-typed column read as nulls. Placeholders pass: they fail only if read.
 */
export function readableAs(from: Field, to: Field): boolean {
  if (unsupportedReason(from) !== undefined || unsupportedReason(to) !== undefined) return true;
  if (from.type.kind === "null") return true;
  const w = widened(from.type, to.type);
  return w !== null && typeEquals(w, to.type);
}

/** The common type of two file types, or null (int32 ∪ int64 = int64, list element-wise). */
export function widened(a: DataType, b: DataType): DataType | null {
  if (typeEquals(a, b)) return a;
  if ((a.kind === "int32" && b.kind === "int64") || (a.kind === "int64" && b.kind === "int32"))
    return T.int64;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (a.kind === "list" && b.kind === "list") {
    const e = widened(a.element, b.element);
    return e ? T.list(e) : null;
  }
  return null;
}

/**
 * Merges the schema of `nextPath` into the dataset's schema (first seen in `firstPath`):
 * columns in file order of first appearance, types widened, a column missing from some file
 * nullable. Incompatible types are a DataError naming both files.
 */
export function mergeSchema(acc: Schema, firstPath: string, next: Schema, nextPath: string): Schema {
  const fields = acc.fields.slice();
  const byName = new Map(fields.map((f, i) => [f.name, i]));
  const seen = new Set<string>();
  for (const f of next.fields) {
    seen.add(f.name);
    const i = byName.get(f.name);
    if (i === undefined) {
      byName.set(f.name, fields.length);
      fields.push({ ...f, nullable: true });
      continue;
    }
    const g = fields[i]!;
    const ur = unsupportedReason(g) ?? unsupportedReason(f);
    if (ur !== undefined) {
      fields[i] = { name: g.name, type: T.null, nullable: true, unsupported: ur } as UnsupportedField;
      continue;
    }
    const t = widened(g.type, f.type);
    if (!t) {
      throw new DataError(
        `Parquet files have incompatible types for column "${f.name}": ${typeName(g.type)} in ${firstPath} ` +
          `but ${typeName(f.type)} in ${nextPath}`,
      );
    }
    fields[i] = { name: g.name, type: t, nullable: g.nullable || f.nullable };
  }
  for (let i = 0; i < fields.length; i++)
    if (!seen.has(fields[i]!.name)) fields[i] = { ...fields[i]!, nullable: true };
  return { fields };
}
