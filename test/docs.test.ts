// The user docs stay in step with the engine: docs/functions.md names every registered scalar
// function, every aggregate, every window function and every `F.*` builder, and the README
// keeps its two quick-start commands. (docs/configuration.md is checked against
// CONFIG_ENTRIES in test/engine/config.test.ts.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { F } from "../engine/api/functions.js";
import { aggregateFunctions } from "../engine/exec/agg/accumulators.js";
import "../engine/expr/functions/index.js";
import { functionNames } from "../engine/expr/registry.js";

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

/** The names in inline code spans (`name` or `name(...)`) of a Markdown text, outside code blocks. */
function backticked(md: string): Set<string> {
  const prose = md.replace(/^```[\s\S]*?^```$/gm, "");
  const names = new Set<string>();
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) names.add(m[1]!.replace(/\(.*$/, "").trim());
  return names;
}

/** The window-only functions: the keys of the RANKING table in engine/plan/windows.ts. */
function windowFunctionNames(): string[] {
  const src = read("engine/plan/windows.ts");
  const table = /const RANKING[^\n]*= \{\n([\s\S]*?)\n\};/.exec(src);
  if (!table) throw new Error("engine/plan/windows.ts: the RANKING table was not found");
  return [...table[1]!.matchAll(/^\s*([a-z_]+):/gm)].map((m) => m[1]!);
}

describe("docs/functions.md", () => {
  const doc = read("docs/functions.md");
  const names = backticked(doc);
  const missing = (all: readonly string[]) => all.filter((n) => !names.has(n));

  it("names every registered scalar function", () => {
    const all = functionNames();
    expect(all.length).toBeGreaterThan(100);
    expect(missing(all)).toEqual([]);
  });

  it("names every aggregate function", () => {
    expect(missing(Object.keys(aggregateFunctions))).toEqual([]);
  });

  it("names every window function", () => {
    const all = windowFunctionNames();
    expect(all).toContain("row_number");
    expect(all.length).toBeGreaterThan(5);
    expect(missing(all)).toEqual([]);
  });

  it("names every F.* builder", () => {
    const undocumented = Object.keys(F).filter((k) => !doc.includes(`F.${k}`));
    expect(undocumented).toEqual([]);
  });
});

describe("README.md", () => {
  it("keeps exactly the two quick-start commands", () => {
    const readme = read("README.md");
    const quick = /## Quick start\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
    expect(quick).not.toBeNull();
    const commands = quick![1]!
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, "").trim())
      .filter((l) => l !== "");
    expect(commands).toEqual(["npm ci && npm run demo", "npm test"]);
  });
});
