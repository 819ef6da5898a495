// parquet-wasm, loaded once per thread (lazily, on the first read or write), plus the guard
// that turns a wasm trap into an error instead of a hang.
//
// Why the guard: parquet-wasm's async reader polls its Rust futures from `queueMicrotask`
// callbacks, so a panic on corrupt data (a `WebAssembly.RuntimeError: unreachable`) is
// thrown out of a microtask, where no caller can catch it, and the pending read never
// settles. We wrap `queueMicrotask` once so that a trap thrown there from parquet-wasm's code
// rejects every guarded read or write in flight on this thread (the instance is shared, so
// none of them can be trusted); anything else is rethrown unchanged. After a trap the
// instance is considered poisoned: the next `parquetWasm()` loads a fresh one.
import { createRequire } from "node:module";

/** The parquet-wasm module (its Node entry). */
export type ParquetWasm = typeof import("parquet-wasm");

const require = createRequire(import.meta.url);
// lib ES2023 without DOM types declares WebAssembly's types but not its values.
const { RuntimeError } = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } })
  .WebAssembly;
let loaded: ParquetWasm | null = null;
let poisoned = false;
let traps = 0;
const listeners = new Set<(e: unknown) => void>();

/** The thread's parquet-wasm instance, loaded (synchronously) on first use. */
export function parquetWasm(): ParquetWasm {
  if (loaded && !poisoned) return loaded;
  installTrapCatcher();
  const entry = require.resolve("parquet-wasm");
  // The Node entry is CommonJS: dropping it from the cache instantiates a fresh wasm module.
  if (loaded) delete require.cache[entry];
  loaded = require(entry) as ParquetWasm;
  poisoned = false;
  return loaded;
}

/** True once a wasm trap happened in this thread's instance (until it is reloaded). */
export function parquetWasmPoisoned(): boolean {
  return poisoned;
}

/** Bytes of wasm memory held by this thread's instance (0 when not loaded). */
export function parquetWasmMemoryBytes(): number {
  return loaded ? loaded.wasmMemory().buffer.byteLength : 0;
}

/** Records a trap thrown synchronously by a wasm call; returns whether `e` was one. */
export function noteTrap(e: unknown): boolean {
  if (e instanceof RuntimeError) {
    traps++;
    poisoned = true;
    return true;
  }
  return false;
}

/** A promise that rejects when parquet-wasm traps while the guard is open. */
export interface TrapGuard {
  readonly tripped: Promise<never>;
  close(): void;
}

/** Opens a guard; race every await on parquet-wasm against `tripped`, and close it when done. */
export function trapGuard(): TrapGuard {
  let listener: (e: unknown) => void = () => {};
  const tripped = new Promise<never>((_, reject) => {
    listener = reject;
  });
  tripped.catch(() => {}); // observed by the racing awaits, never unhandled
  listeners.add(listener);
  return { tripped, close: () => listeners.delete(listener) };
}

let installed = false;
function installTrapCatcher(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.queueMicrotask.bind(globalThis);
  globalThis.queueMicrotask = function queueMicrotask(callback: () => void): void {
    original(() => {
      try {
        callback();
      } catch (e) {
        // A trap while parquet-wasm work is in flight is taken for its own (the only wasm
        // module here that schedules microtasks); a trapped instance's leftover tasks may
        // trap again after its reads were failed, and must not take the process down.
        if (!(e instanceof RuntimeError) || (listeners.size === 0 && traps === 0)) throw e;
        traps++;
        poisoned = true;
        for (const l of [...listeners]) l(e);
      }
    });
  };
}
