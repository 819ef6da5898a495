// The Arrow schema that Arrow-based writers (arrow-rs, pyarrow, parquet-wasm, Polars) embed
// in a Parquet footer as `ARROW:schema`. arrow-rs, our decoder, follows it: a Date64 or a
// Timestamp(second) stored as plain INT64, a Duration, a LargeUtf8... so the footer mapping
// must follow it too, or the decoded type would not match the inferred schema.
import * as arrow from "apache-arrow";
import type { FileMetaData } from "hyparquet";

const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** The embedded Arrow schema of a file, or null when there is none (or it does not parse). */
export function arrowSchemaHint(meta: FileMetaData): arrow.Schema | null {
  const kv = meta.key_value_metadata?.find((e) => e.key === "ARROW:schema");
  if (!kv?.value) return null;
  try {
    // An encapsulated IPC schema message: followed by an end-of-stream marker it is a stream.
    const msg = Buffer.from(kv.value, "base64");
    const stream = new Uint8Array(msg.length + EOS.length);
    stream.set(msg);
    stream.set(EOS, msg.length);
    return arrow.tableFromIPC(stream).schema;
  } catch {
    return null; // a hint we cannot read is ignored, as arrow-rs ignores it
  }
}
