// The local executor: a piscina pool of N threads running encoded tasks (`local[N]`).
// Tasks go in as protobuf bytes and results come back as transferred buffers; nothing is
// structured-cloned except the small task message.
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { localThreads } from "../engine/config.js";
import { KindlingError } from "../engine/errors.js";
import type { EncodedTaskResult, Executor } from "../engine/exec/executor.js";
import { decodeTaskError } from "../engine/plan/codec.js";
import type { ThreadReply, ThreadRequest } from "./thread.js";

/** An error re-raised on the driver with the task's original kind and stack. */
export class RemoteTaskError extends KindlingError {
  constructor(
    override readonly kind: string,
    message: string,
    remoteStack: string,
  ) {
    super(message);
    this.name = kind;
    this.stack = `${kind}: ${message}\n    (in task thread)\n${remoteStack.split("\n").slice(1).join("\n")}`;
  }
}

/**
 * The compiled thread entry, or the TypeScript one under a TS loader (tests, tsx). A
 * single-file bundle of the compiled entry (`thread.bundle.js`, when the build makes one)
 * is preferred: a thread then loads one module instead of ~400, which takes a third of the
 * time (measured 42-148 ms against 268-356 ms). It is used only when it is at least as new
 * as `thread.js`, so a later plain `tsc` build is never shadowed by a stale bundle.
 */
function threadEntry(): { filename: string; execArgv: string[] } {
  const js = new URL("./thread.js", import.meta.url);
  if (existsSync(fileURLToPath(js))) {
    const bundle = new URL("./thread.bundle.js", import.meta.url);
    if (freshBundle(fileURLToPath(bundle), fileURLToPath(js))) return { filename: bundle.href, execArgv: [] };
    return { filename: js.href, execArgv: [] };
  }
  return { filename: new URL("./thread.ts", import.meta.url).href, execArgv: ["--import", "tsx"] };
}

function freshBundle(bundle: string, entry: string): boolean {
  try {
    return statSync(bundle).mtimeMs >= statSync(entry).mtimeMs;
  } catch {
    return false;
  }
}

export class LocalExecutor implements Executor {
  private readonly pool: Piscina;

  constructor(readonly parallelism: number) {
    const { filename, execArgv } = threadEntry();
    this.pool = new Piscina({
      filename,
      minThreads: parallelism,
      maxThreads: parallelism,
      // One task per thread at a time: tasks are long and memory-heavy.
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      ...(execArgv.length ? { execArgv } : {}),
    });
  }

  async runTask(
    task: Uint8Array,
    inputs: readonly Uint8Array[],
    signal?: AbortSignal,
  ): Promise<EncodedTaskResult> {
    // Inputs are SharedArrayBuffer-backed blocks: posted, they are shared, never copied.
    const request: ThreadRequest = { task, inputs: [...inputs] };
    const reply = (await this.pool.run(request, signal ? { signal } : {})) as ThreadReply;
    if (reply.error) {
      const e = decodeTaskError(reply.error);
      throw new RemoteTaskError(e.kind, e.message, e.stack);
    }
    return { result: reply.result!, data: reply.data ?? [] };
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** Creates the executor for `local`, `local[N]` and `local[*]`. */
export function createLocalExecutor(master: string): Executor {
  const n = localThreads(master);
  if (n === null) throw new Error(`not a local master: ${master}`);
  return new LocalExecutor(n);
}
