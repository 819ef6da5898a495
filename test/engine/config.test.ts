// The configuration reference in docs/ lists exactly the keys the engine knows.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_ENTRIES, localThreads, RuntimeConfig } from "../../engine/config.js";

describe("configuration", () => {
  it("docs/configuration.md documents every key", () => {
    const doc = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    const documented = [...doc.matchAll(/^\| `(kindling\.[^`]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(CONFIG_ENTRIES.map((e) => e.key).sort());
  });

  it("rejects unknown kindling keys with the known ones listed", () => {
    const c = new RuntimeConfig();
    expect(() => c.set("kindling.sql.shufflePartitions", 4)).toThrow(
      /unknown configuration key.*kindling\.sql\.shuffle\.partitions/,
    );
    c.set("spark.whatever", "kept"); // non-kindling keys are kept, as Spark does
    expect(c.get("spark.whatever")).toBe("kept");
  });

  it("types values and falls back to defaults", () => {
    const c = new RuntimeConfig([["kindling.sql.batchSize", "1024"]]);
    expect(c.getInt("kindling.sql.batchSize")).toBe(1024);
    expect(c.get("kindling.sql.session.timeZone")).toBe("UTC");
    c.set("kindling.sql.batchSize", "lots");
    expect(() => c.getInt("kindling.sql.batchSize")).toThrow(/must be an integer, got "lots"/);
  });

  it("parses local masters", () => {
    expect(localThreads("local")).toBe(1);
    expect(localThreads("local[3]")).toBe(3);
    expect(localThreads("local[*]")).toBeGreaterThan(0);
    expect(localThreads("kindling://h:7077")).toBeNull();
    expect(() => localThreads("local[0]")).toThrow(/at least one thread/);
  });
});
