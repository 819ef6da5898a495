// Hive partition discovery: parses `key=value` directory names into partition columns and
// infers their types as Spark's PartitioningUtils does (int → bigint → decimal → double →
// timestamp → date → string, widened across directories), then converts every value.

import { DataError } from "../../errors.js";
import { daysFromCivil, isValidDate } from "../../expr/datetime/calendar.js";
import { zoneRules } from "../../expr/datetime/timezone.js";
import type { LiteralValue } from "../../expr/expr.js";
import { type DataType, field, type Schema, T, typeName } from "../../types/data-type.js";
import { DEFAULT_PARTITION_NAME, unescapePathName } from "../partition-path.js";

/** The partition columns of one leaf directory: names and values (unescaped; null = default partition). */
export interface PartitionSpec {
  readonly names: readonly string[];
  readonly values: readonly (string | null)[];
}

/**
 * Reads the partition columns from the directory segments between a base path and a file,
 * as Spark walks up from the leaf: `k=v` segments count, and the walk stops at the first
 * plain segment above them (so `t/a=1/x/f` gives `a`, `t/x/a=1/f` gives `a` too).
 */
export function parsePartitionSegments(segments: readonly string[], dir: string): PartitionSpec {
  const names: string[] = [];
  const values: (string | null)[] = [];
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    const eq = seg.indexOf("=");
    if (eq < 0) {
      if (names.length > 0) break;
      continue;
    }
    const name = unescapePathName(seg.slice(0, eq));
    const raw = seg.slice(eq + 1);
    if (name === "") throw new DataError(`Empty partition column name in '${seg}' (directory ${dir})`);
    if (raw === "") throw new DataError(`Empty partition column value in '${seg}' (directory ${dir})`);
    names.push(name);
    values.push(raw === DEFAULT_PARTITION_NAME ? null : unescapePathName(raw));
  }
  names.reverse();
  values.reverse();
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase()))
      throw new DataError(`Duplicate partition column "${n}" in directory ${dir}`);
    seen.add(n.toLowerCase());
  }
  return { names, values };
}

const INT_RE = /^[+-]?\d+$/;
const BIG_DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DOUBLE_RE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Spark's partition pattern `yyyy-MM-dd HH:mm:ss[.S]`, plus ISO `T` and a zone (`Z`, ±hh:mm),
// so that an instant written as `2021-03-14T00%3A00%3A00Z` reads back as a timestamp.
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The integer value of a Java BigDecimal literal with scale ≤ 0 (`1e5`, `12.`), else null. */
function bigDecimalInteger(s: string): bigint | null {
  const m = BIG_DECIMAL_RE.exec(s);
  if (m === null) return null;
  const [intPart, fracPart = ""] = m[1]!.split(".") as [string, string?];
  const exp = m[2] === undefined ? 0 : Number(m[2].slice(1));
  const scale = fracPart.length - exp;
  if (scale > 0) return null;
  const unscaled = BigInt(`${intPart}${fracPart}` || "0") * 10n ** BigInt(-scale);
  return s.startsWith("-") ? -unscaled : unscaled;
}

/** A timestamp value's µs, or null when invalid; zone-less values are read in `tz`. */
export function parsePartitionTimestamp(s: string, tz: string): bigint | null {
  const m = TS_RE.exec(s);
  if (m === null) return null;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (!isValidDate(y!, mo!, d!) || h! > 23 || mi! > 59 || se! > 59) return null;
  const localSec = daysFromCivil(y!, mo!, d!) * 86400 + h! * 3600 + mi! * 60 + se!;
  let sec: number;
  if (m[8] === undefined) sec = zoneRules(tz).localToUtc(localSec);
  else if (m[8] === "Z") sec = localSec;
  else {
    const off =
      (Number(m[8].slice(1, 3)) * 3600 + Number(m[8].slice(4, 6)) * 60) * (m[8][0] === "-" ? -1 : 1);
    sec = localSec - off;
  }
  const frac = BigInt((m[7] ?? "").padEnd(6, "0").slice(0, 6) || "0");
  return BigInt(sec) * 1_000_000n + frac;
}

function parsePartitionDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

const decimalDigits = (v: bigint): number => (v < 0n ? -v : v).toString().length;

/** The type Spark infers for one partition value (null → the null type). */
export function inferValueType(v: string | null, tz: string): DataType {
  if (v === null) return T.null;
  if (INT_RE.test(v)) {
    const n = Number(v);
    if (n >= INT32_MIN && n <= INT32_MAX) return T.int32;
    const b = BigInt(v);
    if (b >= INT64_MIN && b <= INT64_MAX) return T.int64;
  }
  const dec = bigDecimalInteger(v);
  if (dec !== null && decimalDigits(dec) <= 38) return T.decimal(decimalDigits(dec), 0);
  if (DOUBLE_RE.test(v.trim())) return T.float64;
  if (parsePartitionTimestamp(v, tz) !== null) return T.timestamp;
  if (parsePartitionDate(v) !== null) return T.date;
  return T.string;
}

/** Spark's `findWiderTypeForPartitionColumn`: numeric widening, date+timestamp, else string. */
export function widerPartitionType(a: DataType, b: DataType): DataType {
  if (a.kind === b.kind && a.kind !== "decimal") return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  const rank = (t: DataType): number => ["int32", "int64", "decimal", "float64"].indexOf(t.kind);
  const [lo, hi] = rank(a) <= rank(b) ? [a, b] : [b, a];
  if (rank(lo) >= 0) {
    if (hi.kind === "float64") return lo.kind === "int32" ? T.float64 : T.string; // no precision loss
    if (hi.kind === "int64") return T.int64;
    if (hi.kind === "decimal") {
      const p = lo.kind === "int32" ? 10 : lo.kind === "int64" ? 20 : (lo as { precision: number }).precision;
      return T.decimal(Math.min(38, Math.max(p, hi.precision)), 0);
    }
  }
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has("date") && kinds.has("timestamp")) return T.timestamp;
  return T.string;
}

/** Converts an (unescaped) partition value to a literal of the column's final type. */
export function convertPartitionValue(
  v: string | null,
  t: DataType,
  tz: string,
  where: string,
): LiteralValue {
  if (v === null) return null;
  const bad = (): never => {
    throw new DataError(`cannot read partition value "${v}" as ${typeName(t)} (${where})`);
  };
  switch (t.kind) {
    case "string":
      return v;
    case "int32":
      return Number(v);
    case "int64":
      return BigInt(v);
    case "decimal":
      return bigDecimalInteger(v) ?? bad();
    case "float64":
      return Number(v.trim().replace(/[fFdD]$/, ""));
    case "date":
      return parsePartitionDate(v) ?? bad();
    case "timestamp": {
      const ts = parsePartitionTimestamp(v, tz);
      if (ts !== null) return ts;
      const days = parsePartitionDate(v);
      return days === null ? bad() : BigInt(zoneRules(tz).localToUtc(days * 86400)) * 1_000_000n;
    }
    default:
      return bad();
  }
}

/** One file's partition spec with its path (for messages). */
export interface LeafSpec {
  readonly dir: string;
  readonly spec: PartitionSpec;
}

/**
 * The partition schema and each leaf's typed values. Every leaf must have the same column
 * names in the same order (else a DataError naming the directories); types are inferred per
 * value and widened (`inferTypes` false makes every column a string, as Spark's
 * `partitionColumnTypeInference.enabled=false`); a column of only nulls is a string.
 */
export function resolvePartitions(
  leaves: readonly LeafSpec[],
  opts: { readonly timeZone: string; readonly inferTypes: boolean },
): { schema: Schema; values: LiteralValue[][] } {
  if (leaves.length === 0) return { schema: { fields: [] }, values: [] };
  const first = leaves[0]!.spec.names;
  const key = (names: readonly string[]) => names.map((n) => n.toLowerCase()).join("\u0000");
  const conflicting = leaves.filter((l) => key(l.spec.names) !== key(first));
  if (conflicting.length > 0) {
    const lists = new Map<string, string>();
    for (const l of leaves) {
      const k = key(l.spec.names);
      if (!lists.has(k)) lists.set(k, l.dir);
    }
    const detail = [...lists.entries()]
      .map(([k, dir], i) => `  #${i}: [${k.split("\u0000").filter(Boolean).join(", ")}] e.g. ${dir}`)
      .join("\n");
    throw new DataError(
      "Conflicting partition column names detected:\n" +
        `${detail}\n` +
        "Data files must live only in leaf directories, and directories at the same level must use the same partition column names.",
    );
  }
  const types = first.map((_, c) => {
    if (!opts.inferTypes) return T.string;
    let t: DataType = T.null;
    for (const l of leaves) t = widerPartitionType(t, inferValueType(l.spec.values[c]!, opts.timeZone));
    return t.kind === "null" ? T.string : t;
  });
  const schema: Schema = { fields: first.map((n, c) => field(n, types[c]!, true)) };
  const values = leaves.map((l) =>
    l.spec.values.map((v, c) => convertPartitionValue(v, types[c]!, opts.timeZone, l.dir)),
  );
  return { schema, values };
}
