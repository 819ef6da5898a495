// The format registry: maps a format name to its reader.
import { ConfigError } from "../errors.js";
import { csvReader } from "./csv/index.js";
import { jsonReader } from "./json/index.js";
import { parquetReader } from "./parquet/index.js";
import type { FileFormat, FormatReader } from "./source.js";

const READERS: { readonly [F in FileFormat]: FormatReader } = {
  csv: csvReader,
  parquet: parquetReader,
  json: jsonReader,
};

export function formatReader(format: string): FormatReader {
  const r = READERS[format.toLowerCase() as FileFormat];
  if (!r) throw new ConfigError(`unknown data source format "${format}"; expected csv, parquet or json`);
  return r;
}
