// Protobuf codec, leaf layer: data types, schemas and typed literal values, plus the checked
// number conversions every layer uses. Literals are encoded by their declared DataType (a JS
// number may be an int32, a date or a float64; a bigint an int64, a timestamp or a decimal),
// and decoding checks that the wire case matches that type.
import type * as pb from "../../../proto/gen/kindling.js";
import { KindlingError } from "../../errors.js";
import type { LiteralValue } from "../../expr/expr.js";
import type { DataType, Schema, TypeKind } from "../../types/data-type.js";

/** A message that cannot be decoded, or a value that does not fit its declared type or field. */
export class CodecError extends KindlingError {
  override readonly kind = "CodecError";
  override readonly name = "CodecError";
}

/** `x`, or a CodecError naming the missing message field. */
export function need<V>(x: V | undefined, what: string): V {
  if (x === undefined) throw new CodecError(`${what} is missing`);
  return x;
}

/** `n` checked to be an int32 (the wire type of counts and indices). */
export function int32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw new CodecError(`${what}: ${n} is not a 32-bit integer`);
  }
  return n;
}

/** A JS integer as a wire int64; it must be a safe integer. */
export function toInt64(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n)) throw new CodecError(`${what}: ${n} is not a safe integer`);
  return BigInt(n);
}

/** A wire int64 as a JS number; it must fit in ±2^53. */
export function fromInt64(b: bigint, what: string): number {
  const n = Number(b);
  if (!Number.isSafeInteger(n)) throw new CodecError(`${what}: ${b} does not fit in a JS number`);
  return n;
}

// ---- data types -------------------------------------------------------------------------

type TypeOf<K extends TypeKind> = Extract<DataType, { kind: K }>;
type PbType = NonNullable<pb.DataType["kind"]>;
type PbTypeCase = PbType["$case"];

const typeEncoders: { [K in TypeKind]: (t: TypeOf<K>) => PbType } = {
  null: () => ({ $case: "nullType", value: {} }),
  boolean: () => ({ $case: "booleanType", value: {} }),
  int32: () => ({ $case: "int32Type", value: {} }),
  int64: () => ({ $case: "int64Type", value: {} }),
  float64: () => ({ $case: "float64Type", value: {} }),
  string: () => ({ $case: "stringType", value: {} }),
  date: () => ({ $case: "dateType", value: {} }),
  timestamp: (t) => ({ $case: "timestampType", value: t.tz === null ? {} : { tz: t.tz } }),
  decimal: (t) => ({
    $case: "decimalType",
    value: { precision: int32(t.precision, "decimal precision"), scale: int32(t.scale, "decimal scale") },
  }),
  list: (t) => ({ $case: "listType", value: { element: dataTypeToPb(t.element) } }),
};

const typeDecoders: { [C in PbTypeCase]: (v: Extract<PbType, { $case: C }>["value"]) => DataType } = {
  nullType: () => ({ kind: "null" }),
  booleanType: () => ({ kind: "boolean" }),
  int32Type: () => ({ kind: "int32" }),
  int64Type: () => ({ kind: "int64" }),
  float64Type: () => ({ kind: "float64" }),
  stringType: () => ({ kind: "string" }),
  dateType: () => ({ kind: "date" }),
  timestampType: (v) => ({ kind: "timestamp", tz: v.tz ?? null }),
  decimalType: (v) => ({ kind: "decimal", precision: v.precision, scale: v.scale }),
  listType: (v) => ({ kind: "list", element: dataTypeFromPb(need(v.element, "ListType.element")) }),
};

export function dataTypeToPb(t: DataType): pb.DataType {
  return { kind: (typeEncoders[t.kind] as (t: DataType) => PbType)(t) };
}

export function dataTypeFromPb(m: pb.DataType): DataType {
  const k = need(m.kind, "DataType.kind");
  return (typeDecoders[k.$case] as (v: unknown) => DataType)(k.value);
}

export function schemaToPb(s: Schema): pb.Schema {
  return {
    fields: s.fields.map((f) => ({ name: f.name, type: dataTypeToPb(f.type), nullable: f.nullable })),
  };
}

export function schemaFromPb(m: pb.Schema): Schema {
  return {
    fields: m.fields.map((f) => ({
      name: f.name,
      type: dataTypeFromPb(need(f.type, `type of field "${f.name}"`)),
      nullable: f.nullable,
    })),
  };
}

// ---- literals ---------------------------------------------------------------------------

type PbLit = NonNullable<pb.LiteralValue["value"]>;
type PbLitCase = PbLit["$case"];
type NonNull = Exclude<LiteralValue, null>;

function mismatch(v: NonNull, t: DataType, expected: string): CodecError {
  const got = Array.isArray(v) ? "an array" : `${typeof v} ${String(v)}`;
  return new CodecError(`literal of type ${t.kind} must be ${expected}, got ${got}`);
}

function bigintOf(v: NonNull, t: DataType): bigint {
  if (typeof v !== "bigint") throw mismatch(v, t, "a bigint");
  return v;
}

function numberOf(v: NonNull, t: DataType): number {
  if (typeof v !== "number") throw mismatch(v, t, "a number");
  return v;
}

function int64Of(v: NonNull, t: DataType): bigint {
  const b = bigintOf(v, t);
  if (BigInt.asIntN(64, b) !== b) throw new CodecError(`literal of type ${t.kind}: ${b} overflows int64`);
  return b;
}

const literalEncoders: { [K in TypeKind]: (v: NonNull, t: TypeOf<K>) => PbLit } = {
  null: (v, t) => {
    throw mismatch(v, t, "null");
  },
  boolean: (v, t) => {
    if (typeof v !== "boolean") throw mismatch(v, t, "a boolean");
    return { $case: "boolValue", value: v };
  },
  int32: (v, t) => ({ $case: "int32Value", value: int32(numberOf(v, t), "int32 literal") }),
  int64: (v, t) => ({ $case: "int64Value", value: int64Of(v, t) }),
  float64: (v, t) => ({ $case: "float64Value", value: numberOf(v, t) }),
  string: (v, t) => {
    if (typeof v !== "string") throw mismatch(v, t, "a string");
    return { $case: "stringValue", value: v };
  },
  date: (v, t) => ({ $case: "dateValue", value: int32(numberOf(v, t), "date literal (days)") }),
  timestamp: (v, t) => ({ $case: "timestampValue", value: int64Of(v, t) }),
  decimal: (v, t) => ({ $case: "decimalValue", value: int128ToBytes(bigintOf(v, t)) }),
  list: (v, t) => {
    if (!Array.isArray(v)) throw mismatch(v, t, "an array");
    return { $case: "listValue", value: { elements: v.map((e) => literalToPb(e, t.element)) } };
  },
};

/** The wire case a non-null literal of each type uses. */
const literalCases: { [K in TypeKind]: PbLitCase | null } = {
  null: null,
  boolean: "boolValue",
  int32: "int32Value",
  int64: "int64Value",
  float64: "float64Value",
  string: "stringValue",
  date: "dateValue",
  timestamp: "timestampValue",
  decimal: "decimalValue",
  list: "listValue",
};

/** A literal value, encoded as its declared type says. */
export function literalToPb(v: LiteralValue, t: DataType): pb.LiteralValue {
  if (v === null) return { value: { $case: "nullValue", value: {} } };
  return { value: (literalEncoders[t.kind] as (v: NonNull, t: DataType) => PbLit)(v, t) };
}

/** A literal value of declared type `t`; the wire case must be null or the one `t` uses. */
export function literalFromPb(m: pb.LiteralValue, t: DataType): LiteralValue {
  const v = need(m.value, "LiteralValue.value");
  if (v.$case === "nullValue") return null;
  if (v.$case !== literalCases[t.kind])
    throw new CodecError(`literal of type ${t.kind} arrived as ${v.$case}`);
  switch (v.$case) {
    case "int64Value":
    case "timestampValue":
      return BigInt(v.value);
    case "decimalValue":
      return bytesToInt128(v.value);
    case "listValue": {
      const element = (t as TypeOf<"list">).element;
      return v.value.elements.map((e) => literalFromPb(e, element));
    }
    default:
      return v.value;
  }
}

/** A signed 128-bit integer as 16 bytes, little-endian two's complement. */
export function int128ToBytes(x: bigint): Uint8Array {
  if (BigInt.asIntN(128, x) !== x) throw new CodecError(`decimal literal ${x} overflows 128 bits`);
  let u = BigInt.asUintN(128, x);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

/** The inverse of `int128ToBytes`. */
export function bytesToInt128(b: Uint8Array): bigint {
  if (b.length !== 16) throw new CodecError(`decimal literal has ${b.length} bytes, expected 16`);
  let u = 0n;
  for (let i = 15; i >= 0; i--) u = (u << 8n) | BigInt(b[i]!);
  return BigInt.asIntN(128, u);
}
