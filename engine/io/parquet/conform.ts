// Bringing a decoded column to the dataset's type: the Arrow type parquet-wasm produces may
// differ from the type the footer mapping gave (INT96 and legacy timestamps come without a
// zone, an Arrow schema hint may name another zone, another file of the dataset may have
// widened int32 to int64, a NULL-typed column stands in for a typed one).
import * as arrow from "apache-arrow";
import { type Column, i64Halves, nullColumn } from "../../columnar/column.js";
import { DataError } from "../../errors.js";
import { type DataType, type Field, typeEquals, typeName } from "../../types/data-type.js";

/** `col` as a column of `field.type`; a DataError naming the column and file when impossible. */
export function conformColumn(col: Column, field: Field, path: string): Column {
  const out = conform(col, field.type);
  if (!out) {
    throw new DataError(
      `column "${field.name}" of Parquet file ${path} decodes as ${typeName(col.type)}, expected ${typeName(field.type)}`,
    );
  }
  return out;
}

function conform(col: Column, to: DataType): Column | null {
  const from = col.type;
  if (typeEquals(from, to)) return col;
  if (from.kind === "null") return nullColumn(to, col.length);
  // Same µs instants or wall-clock values: only the label changes, never the values.
  if (from.kind === "timestamp" && to.kind === "timestamp") return { ...col, type: to };
  if (from.kind === "int32" && to.kind === "int64") return widenInt32(col, to);
  if (from.kind === "list" && to.kind === "list") {
    const child = conform(col.child!, to.element);
    return child ? { ...col, type: to, child } : null;
  }
  return null;
}

function widenInt32(col: Column, to: DataType): Column {
  const src = col.values as Int32Array;
  const out = new BigInt64Array(col.length);
  const h = i64Halves(out);
  for (let i = 0; i < col.length; i++) {
    const v = src[i]!;
    h[2 * i] = v;
    h[2 * i + 1] = v >> 31; // sign extension
  }
  return { type: to, length: col.length, valid: col.valid, values: out };
}

/** Binary data relabelled as UTF-8 (Spark's `binaryAsString`), inside lists too; other types unchanged. */
export function binaryAsUtf8(v: arrow.Vector): arrow.Vector {
  if (!hasBinary(v.type)) return v;
  return new arrow.Vector(v.data.map((d) => relabel(d as arrow.Data)));
}

function hasBinary(t: arrow.DataType): boolean {
  if (t.typeId === arrow.Type.Binary || t.typeId === arrow.Type.LargeBinary) return true;
  return t.typeId === arrow.Type.List && hasBinary((t as arrow.List).children[0]!.type);
}

function relabel(d: arrow.Data): arrow.Data {
  const t = d.type as arrow.DataType;
  const common = { offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap };
  if (t.typeId === arrow.Type.Binary) {
    return arrow.makeData({
      type: new arrow.Utf8(),
      ...common,
      valueOffsets: d.valueOffsets as Int32Array,
      data: d.values as Uint8Array,
    });
  }
  if (t.typeId === arrow.Type.LargeBinary) {
    return arrow.makeData({
      type: new arrow.LargeUtf8(),
      ...common,
      valueOffsets: d.valueOffsets as unknown as BigInt64Array,
      data: d.values as Uint8Array,
    });
  }
  if (t.typeId === arrow.Type.List) {
    const child = relabel(d.children[0]!);
    const type = new arrow.List(new arrow.Field("element", child.type, true));
    return arrow.makeData({ type, ...common, valueOffsets: d.valueOffsets as Int32Array, child });
  }
  return d;
}
