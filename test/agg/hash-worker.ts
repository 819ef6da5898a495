// Worker-thread side of the hashing stability test: hashes the columns it is sent and posts
// the hashes back (run under tsx's loader by keys.test.ts).
import { parentPort } from "node:worker_threads";
import type { Column } from "../../engine/columnar/column.js";
import { hashColumns } from "../../engine/exec/hash/keys.js";

parentPort!.on("message", (msg: { cols: Column[]; n: number }) => {
  parentPort!.postMessage(hashColumns(msg.cols, msg.n));
});
