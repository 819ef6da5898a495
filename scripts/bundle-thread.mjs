// Bundles the compiled worker-thread entry into one file (dist/worker/thread.bundle.js), so
// each pool thread loads one module instead of ~390 (measured: thread start 270-360 ms → 40-150 ms).
// piscina stays external (task replies must use the pool's own copy); parquet-wasm stays external
// (it loads its wasm relative to its package). worker/pool.ts uses the bundle only when it is
// not older than dist/worker/thread.js.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/worker/thread.js"],
  outfile: "dist/worker/thread.bundle.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["parquet-wasm", "piscina"],
  banner: {
    js: "import { createRequire as __kindlingRequire } from 'module'; const require = __kindlingRequire(import.meta.url);",
  },
  logLevel: "warning",
});
