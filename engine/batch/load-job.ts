// Loads a job file (`.ts`, `.mts`, `.js`, `.mjs`) and returns its `defineJob` default export.
//
// The job's `import ... from "kindling"` must reach the module instance of the process that
// runs it (one Session registry, one executor factory), wherever the job file lives and
// whether or not `kindling` is installed beside it. So "kindling" is redirected to the
// package entry the caller passes (the CLI passes its own `dist/index.js`):
//   - for ES modules, a resolve hook registered with `module.register` (a data: URL module);
//   - for job files that tsx compiles to CommonJS (a `.ts` file outside a `"type": "module"`
//     package), `require("kindling")` is answered from the require cache with the entry's
//     already-loaded namespace.
// TypeScript goes through tsx's namespaced loader (`tsx/esm/api`), whose hooks must run after
// ours: registration order matters (the last registered hook runs first), so our hook is
// registered again after tsx's namespace is created.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import Module, { register } from "node:module";
import { extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";
import { isJob, type Job } from "./job.js";

/** A loaded job file. */
export interface LoadedJob {
  readonly job: Job;
  /** Absolute path of the job file. */
  readonly path: string;
  /** sha256 (hex) of the file's bytes. */
  readonly sha256: string;
}

const EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

interface TsxNamespace {
  import(specifier: string, parent: string): Promise<unknown>;
}

let redirectedTo: string | null = null;
let hookIsLast = false;
let tsxNamespace: TsxNamespace | null = null;

type ModuleInternals = typeof Module & {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};

/**
 * Makes `import "kindling"` (and `require("kindling")`) resolve to `entryUrl` in this process.
 * The entry is imported here; its namespace answers CommonJS requires.
 */
async function redirectKindling(entryUrl: string): Promise<void> {
  if (redirectedTo !== null) {
    if (redirectedTo !== entryUrl)
      throw new Error(`"kindling" already resolves to ${redirectedTo}, not ${entryUrl}`);
    return;
  }
  const ns = (await import(entryUrl)) as object;
  const M = Module as ModuleInternals;
  // The require-cache key only needs to be unique; the entry's path keeps stack traces readable.
  const key = `${fileURLToPath(entryUrl)}#kindling-cjs`;
  const cached = new Module(key);
  cached.filename = key;
  cached.loaded = true;
  cached.exports = ns;
  M._cache[key] = cached;
  const original = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    if (request === "kindling") return key;
    return original.call(this, request, ...rest);
  };
  redirectedTo = entryUrl;
}

function registerResolveHook(entryUrl: string): void {
  const source =
    "export async function resolve(specifier, context, next) {\n" +
    `  if (specifier === "kindling") return { url: ${JSON.stringify(entryUrl)}, shortCircuit: true };\n` +
    "  return next(specifier, context);\n" +
    "}\n";
  register(`data:text/javascript,${encodeURIComponent(source)}`);
  hookIsLast = true;
}

async function importJobModule(path: string, entryUrl: string): Promise<unknown> {
  const ext = extname(path);
  if (ext === ".ts" || ext === ".mts") {
    if (tsxNamespace === null) {
      const { register: tsxRegister } = await import("tsx/esm/api");
      tsxNamespace = tsxRegister({ namespace: `kindling-jobs-${process.pid}` });
      hookIsLast = false;
    }
    if (!hookIsLast) registerResolveHook(entryUrl);
    return tsxNamespace.import(pathToFileURL(path).href, import.meta.url);
  }
  if (!hookIsLast) registerResolveHook(entryUrl);
  return import(pathToFileURL(path).href);
}

/** The job of a module: its default export (unwrapping CommonJS interop), if it is a `defineJob` result. */
function jobOf(mod: unknown): unknown {
  let d = (mod as { default?: unknown } | null)?.default;
  if (!isJob(d) && d !== null && typeof d === "object" && "default" in d)
    d = (d as { default: unknown }).default;
  return d;
}

/** The export names of a module, seen through CommonJS interop (`{ default: module.exports }`). */
function exportNames(mod: unknown): string[] {
  if (mod === null || typeof mod !== "object") return [];
  const d = (mod as { default?: unknown }).default;
  if (d !== null && typeof d === "object" && (d as { __esModule?: unknown }).__esModule === true) {
    return Object.keys(d).filter((k) => k !== "__esModule");
  }
  return Object.keys(mod);
}

/**
 * Loads the job file at `file`. `entryUrl` is the package entry that `import "kindling"` in
 * the job must reach (the caller's own). ConfigErrors name the file for a missing or
 * unsupported file, a file that fails to load, and one that does not default-export a job.
 */
export async function loadJobFile(file: string, entryUrl: string | URL): Promise<LoadedJob> {
  const path = resolve(file);
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) throw new ConfigError(`job file ${path} does not exist`);
  if (!st.isFile()) throw new ConfigError(`job file ${path} is not a file`);
  if (!EXTENSIONS.has(extname(path))) {
    throw new ConfigError(`job file ${path} must end in .ts, .mts, .js or .mjs`);
  }
  const sha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
  const entry = String(entryUrl);
  await redirectKindling(entry);
  let mod: unknown;
  try {
    mod = await importJobModule(path, entry);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`job file ${path}: ${err.message}`);
    const e = err as Error;
    const wrapped = new ConfigError(
      `cannot load job file ${path}: ${e?.name ?? "Error"}: ${e?.message ?? String(err)}`,
    );
    (wrapped as { cause?: unknown }).cause = err;
    throw wrapped;
  }
  const job = jobOf(mod);
  if (!isJob(job)) {
    const names = exportNames(mod);
    const has = names.length ? `it exports ${names.map((n) => `"${n}"`).join(", ")}` : "it exports nothing";
    throw new ConfigError(
      `job file ${path} does not default-export a job (${has}); write \`export default defineJob({ name, every, output, run })\` with defineJob from "kindling"`,
    );
  }
  return { job, path, sha256 };
}

/** The package entry next to a module of this package: `index.js` under dist/, `index.ts` in a source checkout. */
export function packageEntryFrom(moduleUrl: string | URL, up: string): string {
  const js = new URL(`${up}index.js`, moduleUrl);
  if (statSync(fileURLToPath(js), { throwIfNoEntry: false }) !== undefined) return js.href;
  return new URL(`${up}index.ts`, moduleUrl).href;
}
