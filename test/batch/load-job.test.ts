// Loading job files (.ts as CommonJS or ESM, .mts, .js, .mjs) in a child process: the job's
// `import "kindling"` must reach the loader's own package entry, and bad files fail clearly.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("./fixtures/load-job-child.ts", import.meta.url));
const jobModule = new URL("../../engine/batch/job.ts", import.meta.url).href;
let dir: string;
let entry: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kindling-load-"));
  // A stand-in for the package entry: defineJob plus a marker of this module instance.
  entry = join(dir, "entry.mjs");
  writeFileSync(
    entry,
    `export { defineJob } from ${JSON.stringify(jobModule)};\nexport const instance = Symbol("entry");\n`,
  );
  mkdirSync(join(dir, "esm"));
  writeFileSync(join(dir, "esm", "package.json"), '{ "type": "module" }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const body = (name: string) => `import { defineJob, instance } from "kindling";
const n: string = ${JSON.stringify(name)};
export default defineJob({ name: n, every: "1d", output: { path: "out" }, run: () => instance as never });
`;

function load(file: string): { ok: boolean; name?: string; same?: boolean; sha256?: string; error?: string } {
  const out = execFileSync(process.execPath, ["--import", "tsx", child, entry, file], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("loadJobFile", () => {
  it.each([
    ["cjs.ts", ""],
    ["esm.ts", "esm"],
    ["job.mts", ""],
    ["runs.mjs", ""],
    ["esm-plain.js", "esm"],
  ])("loads %s and its import of kindling reaches the caller's instance", (name, sub) => {
    const file = join(dir, sub, name);
    const text = name.endsWith("js")
      ? body(name).replace(": string", "").replace(" as never", "")
      : body(name);
    writeFileSync(file, text);
    const r = load(file);
    expect(r).toMatchObject({ ok: true, name, same: true });
    expect(r.sha256).toBe(createHash("sha256").update(text).digest("hex"));
  });

  it("loads a job that imports another TypeScript module", () => {
    writeFileSync(join(dir, "esm", "helper.ts"), "export const jobName: string = 'with-helper';\n");
    writeFileSync(
      join(dir, "esm", "main.ts"),
      `import { defineJob, instance } from "kindling";\nimport { jobName } from "./helper.js";\nexport default defineJob({ name: jobName, every: "1h", output: { path: "o" }, run: () => instance as never });\n`,
    );
    expect(load(join(dir, "esm", "main.ts"))).toMatchObject({ ok: true, name: "with-helper", same: true });
  });

  it("rejects a file that does not default-export a job", () => {
    writeFileSync(join(dir, "nodefault.ts"), `export const job = { name: "x" };\n`);
    expect(load(join(dir, "nodefault.ts")).error).toMatch(
      /job file .*nodefault\.ts does not default-export a job \(it exports "job"\); write `export default defineJob/,
    );
    writeFileSync(join(dir, "plain.mjs"), `export default { name: "x", every: "1d" };\n`);
    expect(load(join(dir, "plain.mjs")).error).toMatch(
      /plain\.mjs does not default-export a job \(it exports "default"\)/,
    );
  });

  it("reports files that fail to load, are missing, or have another extension", () => {
    writeFileSync(join(dir, "throws.ts"), `throw new Error("boom at import");\n`);
    expect(load(join(dir, "throws.ts")).error).toMatch(
      /cannot load job file .*throws\.ts: Error: boom at import/,
    );
    writeFileSync(
      join(dir, "badspec.ts"),
      `import { defineJob } from "kindling";\nexport default defineJob({ name: "b", every: "2d", output: { path: "o" }, run: () => null as never });\n`,
    );
    expect(load(join(dir, "badspec.ts")).error).toMatch(/badspec\.ts: job "b": invalid window period "2d"/);
    expect(load(join(dir, "missing.ts")).error).toMatch(/job file .*missing\.ts does not exist/);
    writeFileSync(join(dir, "job.py"), "print(1)\n");
    expect(load(join(dir, "job.py")).error).toMatch(/must end in \.ts, \.mts, \.js or \.mjs/);
  });
});
