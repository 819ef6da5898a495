// Optimizer rules: each rewrites what it should, leaves the rest, and keeps the schema.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exprName } from "../../engine/expr/expr.js";
import type { LogicalPlan } from "../../engine/plan/logical.js";
import { combineFilters } from "../../engine/plan/optimizer/combine-filters.js";
import { optimize } from "../../engine/plan/optimizer/index.js";
import { col, lit, Session } from "../../index.js";

let spark: Session;
let dir: string;
let path: string;
const ctx = { timeZone: "UTC", nowMicros: 0 };

beforeAll(async () => {
  spark = await Session.builder().master("local[2]").getOrCreate();
  dir = mkdtempSync(join(tmpdir(), "kindling-opt-"));
  path = join(dir, "t");
  await spark
    .createDataFrame([
      { a: 1, b: "x", c: 1.5 },
      { a: 2, b: "y", c: 2.5 },
      { a: 3, b: null, c: 3.5 },
    ])
    .write.parquet(path);
});
afterAll(async () => {
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

const kinds = (p: LogicalPlan): string[] => {
  const out: string[] = [p.kind];
  if ("input" in p) out.push(...kinds(p.input));
  if (p.kind === "Union") for (const i of p.inputs) out.push(...kinds(i));
  return out;
};

describe("optimizer", () => {
  it("pushes filters through projections into the scan and prunes columns", () => {
    const df = spark.read
      .parquet(path)
      .select(col("a"), col("c").multiply(2).alias("c2"))
      .where(col("a").gt(1));
    const opt = optimize(df.plan, ctx);
    expect(kinds(opt)).toEqual(["Project", "Scan"]);
    const scan = (opt as { input: LogicalPlan }).input;
    if (scan.kind !== "Scan") throw new Error("expected scan");
    expect(scan.schema.fields.map((f) => f.name)).toEqual(["a", "c"]);
    expect(scan.filters.map(exprName)).toEqual(["(a > 1)"]);
    const shape = (p: LogicalPlan) => p.schema.fields.map((f) => [f.name, f.type, f.nullable]);
    expect(shape(opt)).toEqual(shape(df.plan));
  });

  it("combines adjacent filters", () => {
    const df = spark.read.parquet(path).where(col("a").gt(1)).where(col("b").isNotNull());
    const once = combineFilters.rewrite(df.plan);
    expect(kinds(once)).toEqual(["Filter", "Scan"]);
    if (once.kind !== "Filter") throw new Error("expected filter");
    expect(exprName(once.condition)).toBe("((a > 1) AND (b IS NOT NULL))");
  });

  it("folds constants and removes always-true filters", () => {
    const df = spark.read
      .parquet(path)
      .where(lit(1).plus(1).eq(2))
      .select(col("a").plus(lit(2).multiply(3)).alias("x"));
    const opt = optimize(df.plan, ctx);
    expect(kinds(opt)).toEqual(["Project", "Scan"]);
    if (opt.kind !== "Project") throw new Error("expected project");
    const x = opt.exprs[0]!;
    expect(exprName(x.kind === "Alias" ? x.child : x)).toBe("(a + 6)");
  });

  it("a count reads no columns", () => {
    const df = spark.read.parquet(path);
    const counted: LogicalPlan = {
      kind: "Project",
      id: -1,
      input: df.plan,
      exprs: [],
      schema: { fields: [] },
    };
    const opt = optimize(counted, ctx);
    const scan = (opt as { input: LogicalPlan }).input;
    expect(scan.kind).toBe("Scan");
    expect(scan.schema.fields).toEqual([]);
  });

  it("pushes a limit into each side of a union", () => {
    const t = spark.read.parquet(path);
    const opt = optimize(t.union(t).limit(2).plan, ctx);
    expect(kinds(opt)).toEqual(["Limit", "Union", "Limit", "Scan", "Limit", "Scan"]);
  });

  it("returns correct rows after all rewrites", async () => {
    const rows = await spark.read
      .parquet(path)
      .select(col("a"), col("b"), col("c").multiply(2).alias("c2"))
      .where(col("a").gt(1))
      .where(col("b").isNotNull())
      .select("c2")
      .collect();
    expect(rows).toEqual([{ c2: 5 }]);
  });

  it("explain shows the logical, optimized and physical plans with stages", () => {
    const df = spark.read.parquet(path).where(col("a").gt(1)).select("b").limit(5);
    const text = df.explainString("extended");
    expect(text).toContain("== Parsed Logical Plan ==");
    expect(text).toContain("== Optimized Logical Plan ==");
    expect(text).toContain("== Physical Plan ==");
    expect(text).toMatch(/Stage 0 \(final/);
    expect(text).toContain("Filters: [(a > 1)]");
    expect(df.explainString()).not.toContain("Parsed Logical Plan");
  });
});
