// `kindling submit --master kindling://host:port job.ts [-- args...]`: runs a user's script
// (.ts through tsx's API, or .js/.mjs) in this process with KINDLING_MASTER set, so every
// session it builds, even one written with `local[2]`, runs its tasks on the cluster. The
// script's `import "kindling"` is answered by this CLI's own package entry (one module
// instance, so the cluster executor registered by the entry is the one the script uses).
// The script sees `process.argv` as `[node, job, ...args]`.

import { existsSync, statSync } from "node:fs";
import Module, { register } from "node:module";
import { extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { packageEntryFrom } from "../../engine/batch/index.js";
import { ConfigError } from "../../engine/errors.js";
import { Session } from "../../index.js";
import { requireHostPort } from "../../worker/grpc/net.js";
import { flag, parseFlags } from "./master.js";

/** Usage of `kindling submit`. */
export const SUBMIT_USAGE = `Usage: kindling submit --master kindling://host:port [options] job.ts [-- args...]

Runs the script with its sessions on the cluster (KINDLING_MASTER overrides the master set in
code). Script files may be .ts, .mts, .js or .mjs; args after the script reach it as
process.argv.slice(2).

Options:
  --master M      the master (kindling://host:port or host:port; default KINDLING_MASTER)
  --tls-ca F      trust the cluster's servers signed by this CA (sets KINDLING_TLS_CA)

Environment: KINDLING_SECRET, the cluster's shared secret.
`;

type ModuleInternals = typeof Module & {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};

/**
 * Makes `import "kindling"` / `require("kindling")` in scripts resolve to `entryUrl`. For ESM,
 * a resolve hook registered after tsx's (the last registered runs first, so the answer skips
 * tsx's namespacing and reaches the already-loaded entry); for CommonJS, the require cache.
 */
async function redirectKindling(entryUrl: string): Promise<void> {
  const ns = (await import(entryUrl)) as object;
  const M = Module as ModuleInternals;
  const key = `${fileURLToPath(entryUrl)}#kindling-cjs`;
  const cached = new Module(key);
  cached.filename = key;
  cached.loaded = true;
  cached.exports = ns;
  M._cache[key] = cached;
  const original = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    return request === "kindling" ? key : original.call(this, request, ...rest);
  };
}

function registerResolveHook(entryUrl: string): void {
  const source =
    "export async function resolve(specifier, context, next) {\n" +
    `  if (specifier === "kindling") return { url: ${JSON.stringify(entryUrl)}, shortCircuit: true };\n` +
    "  return next(specifier, context);\n" +
    "}\n";
  register(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** Imports a script file with "kindling" bound to this package's entry. */
async function importScript(path: string, entryUrl: string): Promise<void> {
  await redirectKindling(entryUrl);
  const ext = extname(path);
  if (ext === ".ts" || ext === ".mts") {
    const { register: tsxRegister } = await import("tsx/esm/api");
    const tsx = tsxRegister({ namespace: `kindling-submit-${process.pid}` });
    registerResolveHook(entryUrl);
    await tsx.import(pathToFileURL(path).href, import.meta.url);
    return;
  }
  registerResolveHook(entryUrl);
  await import(pathToFileURL(path).href);
}

/** `kindling submit`: runs the script; the exit code is the script's (0 unless it failed or set one). */
export async function runSubmit(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, { master: "value", "tls-ca": "value", help: "boolean" }, true);
  if (flag(f, "help")) {
    process.stdout.write(SUBMIT_USAGE);
    return 0;
  }
  const master = flag(f, "master") ?? process.env.KINDLING_MASTER;
  if (!master)
    throw new ConfigError(`kindling submit needs --master kindling://host:port\n\n${SUBMIT_USAGE}`);
  requireHostPort(master, "--master");
  const file = f.positional[0];
  if (!file) throw new ConfigError(`kindling submit needs a script file\n\n${SUBMIT_USAGE}`);
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new ConfigError(`script ${path} does not exist`);
  if (![".ts", ".mts", ".js", ".mjs"].includes(extname(path))) {
    throw new ConfigError(`script ${path} must end in .ts, .mts, .js or .mjs`);
  }
  process.env.KINDLING_MASTER = master;
  const ca = flag(f, "tls-ca");
  if (ca) process.env.KINDLING_TLS_CA = resolve(ca);
  process.argv = [process.argv[0]!, path, ...f.rest];
  try {
    await importScript(path, packageEntryFrom(import.meta.url, "../../"));
  } catch (e) {
    if (
      /Top-level await is currently not supported with the "cjs" output format/.test(
        String((e as Error)?.message),
      )
    ) {
      throw new ConfigError(
        `script ${path} uses top-level await but is compiled as CommonJS: name it .mts, or add "type": "module" to its package.json`,
      );
    }
    throw e;
  } finally {
    // A script that forgot spark.stop() must not leave the application registered.
    await Session.getActiveSession()?.stop();
  }
  const code = process.exitCode;
  return typeof code === "number" ? code : Number(code ?? 0) || 0;
}
