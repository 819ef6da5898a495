// Kindling's logical data types: plain data, mapped one-to-one onto Arrow types at the edges.
import * as arrow from "apache-arrow";

/** A column's logical type. Timestamps are microseconds; `tz` null means wall-clock (Spark's TIMESTAMP_NTZ). */
export type DataType =
  | { readonly kind: "null" }
  | { readonly kind: "boolean" }
  | { readonly kind: "int32" }
  | { readonly kind: "int64" }
  | { readonly kind: "float64" }
  | { readonly kind: "string" }
  | { readonly kind: "date" }
  | { readonly kind: "timestamp"; readonly tz: string | null }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "list"; readonly element: DataType };

export type TypeKind = DataType["kind"];

/** Singleton instances of the parameterless types. */
export const T = {
  null: { kind: "null" },
  boolean: { kind: "boolean" },
  int32: { kind: "int32" },
  int64: { kind: "int64" },
  float64: { kind: "float64" },
  string: { kind: "string" },
  date: { kind: "date" },
  timestamp: { kind: "timestamp", tz: "UTC" },
  timestampNtz: { kind: "timestamp", tz: null },
  decimal: (precision: number, scale: number): DataType => ({ kind: "decimal", precision, scale }),
  list: (element: DataType): DataType => ({ kind: "list", element }),
} as const satisfies Record<string, DataType | ((...a: never[]) => DataType)>;

/** A named, typed column of a schema. */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  /** The DataFrame alias the column is reachable under (`df.alias("t")` → `col("t.x")`); analysis only. */
  readonly qualifier?: string;
  /** Plan ids of the DataFrames this column passed through unchanged (`df.col(x)` binding); analysis only. */
  readonly origins?: readonly number[];
}

/** An ordered list of fields. */
export interface Schema {
  readonly fields: readonly Field[];
}

export const field = (name: string, type: DataType, nullable = true): Field => ({ name, type, nullable });
export const schemaOf = (fields: readonly Field[]): Schema => ({ fields });

export function typeEquals(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "timestamp":
      return a.tz === (b as typeof a).tz;
    case "decimal":
      return a.precision === (b as typeof a).precision && a.scale === (b as typeof a).scale;
    case "list":
      return typeEquals(a.element, (b as typeof a).element);
    default:
      return true;
  }
}

export const isNumeric = (t: DataType): boolean =>
  t.kind === "int32" || t.kind === "int64" || t.kind === "float64" || t.kind === "decimal";
export const isIntegral = (t: DataType): boolean => t.kind === "int32" || t.kind === "int64";

/** Spark's simple type string: `int`, `bigint`, `double`, `string`, `timestamp`, `decimal(10,2)`... */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case "null":
      return "void";
    case "boolean":
      return "boolean";
    case "int32":
      return "int";
    case "int64":
      return "bigint";
    case "float64":
      return "double";
    case "string":
      return "string";
    case "date":
      return "date";
    case "timestamp":
      return t.tz === null ? "timestamp_ntz" : "timestamp";
    case "decimal":
      return `decimal(${t.precision},${t.scale})`;
    case "list":
      return `array<${typeName(t.element)}>`;
  }
}

/** The Arrow type used to store a Kindling type. */
export function toArrowType(t: DataType): arrow.DataType {
  switch (t.kind) {
    case "null":
      return new arrow.Null();
    case "boolean":
      return new arrow.Bool();
    case "int32":
      return new arrow.Int32();
    case "int64":
      return new arrow.Int64();
    case "float64":
      return new arrow.Float64();
    case "string":
      return new arrow.Utf8();
    case "date":
      return new arrow.DateDay();
    case "timestamp":
      return new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, t.tz);
    case "decimal":
      return new arrow.Decimal(t.scale, t.precision, 128);
    case "list":
      return new arrow.List(new arrow.Field("element", toArrowType(t.element), true));
  }
}

export function toArrowSchema(s: Schema): arrow.Schema {
  return new arrow.Schema(s.fields.map((f) => new arrow.Field(f.name, toArrowType(f.type), f.nullable)));
}

/**
 * The Kindling type that an Arrow type is normalised to on read (int8/16 widen to int32,
 * uint32 and float32 widen, ms/ns/s timestamps become µs, dictionaries decode, large_utf8 is utf8).
 * Returns null for types Kindling cannot represent (nested structs, maps...).
 */
export function fromArrowType(t: arrow.DataType): DataType | null {
  switch (t.typeId) {
    case arrow.Type.Null:
      return T.null;
    case arrow.Type.Bool:
      return T.boolean;
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      if (it.bitWidth < 32 || (it.bitWidth === 32 && it.isSigned)) return T.int32;
      if (it.bitWidth === 32) return T.int64; // uint32
      return T.int64; // int64 and uint64 (values beyond 2^63 wrap, as Spark reads them)
    }
    case arrow.Type.Float:
      return T.float64;
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
      return T.string;
    case arrow.Type.Date:
      return T.date;
    case arrow.Type.Timestamp:
      return { kind: "timestamp", tz: (t as arrow.Timestamp).timezone ?? null };
    case arrow.Type.Decimal: {
      const d = t as arrow.Decimal;
      return T.decimal(d.precision, d.scale);
    }
    case arrow.Type.Dictionary:
      return fromArrowType((t as arrow.Dictionary).dictionary);
    case arrow.Type.List: {
      const child = (t as arrow.List).children[0];
      const el = child ? fromArrowType(child.type) : null;
      return el ? T.list(el) : null;
    }
    default:
      return null;
  }
}
