// Parquet split planning: read every file's footer, drop the row groups whose statistics
// prove the pushed filters false, and group the rest (in file order) into the fewest splits
// of at most about `targetBytes` of compressed data, balanced in size. Depends only on the files, never on the thread count.
import type { FileMetaData } from "hyparquet";
import { DataError } from "../../errors.js";
import type { Expr } from "../../expr/expr.js";
import { typeName } from "../../types/data-type.js";
import type { FileSource, Split } from "../source.js";
import { readMetadata, rowGroupBytes, rowGroupStart } from "./metadata.js";
import { mayMatch } from "./prune.js";
import { fileColumns, type MappingOptions, type ParquetColumn, readableAs } from "./schema.js";
import { type ChunkStats, chunkStats } from "./stats.js";

/** Reader options that affect the Parquet mapping (keys are lower-cased by the DataFrameReader). */
export function mappingOptions(options: Readonly<Record<string, string>>): MappingOptions {
  return { binaryAsString: (options.binaryasstring ?? "false").toLowerCase() === "true" };
}

/**
 * For each dataset column, the file's column of that name (or undefined when the file lacks
 * it). A column whose type cannot be read as the dataset's is a DataError naming both files.
 */
export function matchColumns(
  source: FileSource,
  fileIndex: number,
  meta: FileMetaData,
): (ParquetColumn | undefined)[] {
  const cols = fileColumns(meta, mappingOptions(source.options));
  const byName = new Map(cols.map((c) => [c.field.name, c]));
  const path = source.files[fileIndex]!.path;
  return source.dataSchema.fields.map((f) => {
    const c = byName.get(f.name);
    if (c && !readableAs(c.field, f)) {
      const first = source.files[0]?.path ?? "the dataset schema";
      throw new DataError(
        `Parquet column "${f.name}" is ${typeName(c.field.type)} in ${path} but ${typeName(f.type)} in ${first}`,
      );
    }
    return c;
  });
}

/** Row groups of one file (all, or `candidates`) that may hold rows matching every filter. */
export function keptRowGroups(
  source: FileSource,
  meta: FileMetaData,
  columns: readonly (ParquetColumn | undefined)[],
  filters: readonly Expr[],
  candidates: readonly number[] = meta.row_groups.map((_, i) => i),
): number[] {
  const kept: number[] = [];
  const fields = source.dataSchema.fields;
  for (const rg of candidates) {
    const rows = Number(meta.row_groups[rg]!.num_rows);
    if (rows === 0) continue;
    if (filters.length > 0) {
      const memo = new Map<number, ChunkStats | null>();
      const lookup = (i: number): ChunkStats | null => {
        if (memo.has(i)) return memo.get(i)!;
        const f = fields[i];
        const c = columns[i];
        let s: ChunkStats | null = null;
        // A column the file lacks reads as all nulls.
        if (f && !c) s = { rows, nullCount: rows, min: null, max: null };
        else if (f && c) s = chunkStats(meta, rg, c, f.type);
        memo.set(i, s);
        return s;
      };
      if (!filters.every((e) => mayMatch(e, lookup))) continue;
    }
    kept.push(rg);
  }
  return kept;
}

/** Splits for every file of `source`: runs of kept row groups of about `targetBytes` compressed. */
export async function planParquetSplits(
  source: FileSource,
  filters: readonly Expr[],
  targetBytes: number,
): Promise<Split[]> {
  const metas = await mapLimited(source.files, 16, (f) => readMetadata(f.path));
  const splits: Split[] = [];
  for (let file = 0; file < metas.length; file++) {
    const meta = metas[file]!;
    const columns = matchColumns(source, file, meta);
    const kept = keptRowGroups(source, meta, columns, filters);
    // As few splits as `targetBytes` allows, of about equal size: a file of 1.8 targets makes
    // two splits of 0.9, not one of 1.0 and one of 0.8 (the slower task sets the job's time).
    const sizes = kept.map((rg) => rowGroupBytes(meta, rg));
    const total = sizes.reduce((a, b) => a + b, 0);
    const per = total / Math.max(1, Math.ceil(total / targetBytes));
    let run: number[] = [];
    let bytes = 0;
    let cum = 0;
    let cuts = 1;
    const flush = (): void => {
      if (run.length === 0) return;
      splits.push({ file, start: rowGroupStart(meta, run[0]!), length: bytes, rowGroups: run });
      run = [];
      bytes = 0;
    };
    kept.forEach((rg, k) => {
      const b = sizes[k]!;
      // Cut where the running total is nearest a multiple of the equal share.
      if (run.length > 0 && (cum + b / 2 > per * cuts || bytes + b > targetBytes)) {
        flush();
        while (per * cuts < cum + b / 2) cuts++;
      }
      run.push(rg);
      bytes += b;
      cum += b;
    });
    flush();
  }
  return splits;
}

/** `Promise.all(items.map(f))` with at most `limit` calls in flight (open file handles). */
async function mapLimited<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
