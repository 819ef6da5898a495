// CSV schema rules shared by inference and reading: what a user schema may hold, and
// Spark's cleanup of header names.
import { AnalysisError } from "../../errors.js";
import { type Schema, typeName } from "../../types/data-type.js";
import type { CsvReadOptions } from "./options.js";

/** Checks a user schema for CSV: no nested types; the corrupt-record column must be a string. */
export function checkCsvSchema(schema: Schema, o: CsvReadOptions): void {
  for (const f of schema.fields) {
    if (f.type.kind === "list") {
      throw new AnalysisError(
        `CSV data source does not support ${typeName(f.type)} data type (column "${f.name}")`,
      );
    }
    if (f.name === o.corruptColumn && (f.type.kind !== "string" || !f.nullable)) {
      throw new AnalysisError(`the field for corrupt records ("${f.name}") must be string type and nullable`);
    }
  }
}

/** Spark's header cleanup: empty or null-valued names become `_c<i>`, duplicates get their index appended. */
export function safeHeader(names: readonly string[], nullValue: string): string[] {
  const lower = names.map((n) => n.toLowerCase());
  const counts = new Map<string, number>();
  for (const n of lower) counts.set(n, (counts.get(n) ?? 0) + 1);
  return names.map((n, i) => {
    if (n === "" || n === nullValue) return `_c${i}`;
    return counts.get(lower[i]!)! > 1 ? `${n}${i}` : n;
  });
}
