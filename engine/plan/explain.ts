// explain(): renders the logical, optimized and physical plans as Spark-style trees. The
// physical rendering marks stage boundaries: every stage runs one task per partition, and a
// subtree materialized by the driver (a limit below the root, a cache) is a stage of its own.
import { type Expr, exprName } from "../expr/expr.js";
import { typeName } from "../types/data-type.js";
import type { LogicalPlan } from "./logical.js";
import { planChildren } from "./logical.js";

type Mode = "simple" | "extended" | "formatted";

/** Renders expressions with Spark's names (`(a + 1)`, `upper(name)`); refs print as `name#ordinal`. */
function show(e: Expr): string {
  return exprName(e.kind === "Alias" ? e.child : e) + (e.kind === "Alias" ? ` AS ${e.name}` : "");
}

function logicalLine(p: LogicalPlan): string {
  switch (p.kind) {
    case "Scan": {
      const cols = p.schema.fields.map((f) => f.name).join(",");
      const pushed = p.filters.length ? `, PushedFilters: [${p.filters.map(show).join(", ")}]` : "";
      return `Relation ${p.source.format} [${cols}] ${p.source.rootPaths.join(", ")} (${p.source.files.length} files${pushed})`;
    }
    case "LocalRelation":
      return `LocalRelation [${p.schema.fields.map((f) => f.name).join(", ")}], ${p.numRows} rows`;
    case "Project":
      return `Project [${p.exprs.map(show).join(", ")}]`;
    case "Filter":
      return `Filter ${show(p.condition)}`;
    case "Limit":
      return `Limit ${p.n}`;
    case "Union":
      return "Union";
    case "Sample":
      return `Sample ${p.fraction}, ${p.withReplacement}, ${p.seed}`;
    case "Cache":
      return `InMemoryRelation ${p.cacheId}`;
  }
}

function tree(p: LogicalPlan, line: (p: LogicalPlan) => string, prefix = "", childPrefix = ""): string[] {
  const out = [prefix + line(p)];
  const kids = planChildren(p);
  kids.forEach((k, i) => {
    const last = i === kids.length - 1;
    out.push(...tree(k, line, `${childPrefix}${last ? "+- " : ":- "}`, `${childPrefix}${last ? "   " : ":  "}`));
  });
  return out;
}

/**
 * The physical plan as it will run: operators named `XxxExec`, stage ids, and the root-level
 * limit the driver finishes. Split counts are decided when the job runs (they need file footers).
 */
function physicalTree(p: LogicalPlan, parallelism: number): string[] {
  let nextStage = 0;
  const stages: string[][] = [];
  const render = (node: LogicalPlan, atRoot: boolean, prefix: string, childPrefix: string, stage: number): string[] => {
    const kids = planChildren(node);
    let line: string;
    switch (node.kind) {
      case "Scan":
        line = `ScanExec ${node.source.format} [${node.schema.fields.map((f) => f.name).join(",")}]${
          node.filters.length ? ` Filters: [${node.filters.map(show).join(", ")}]` : ""
        } Files: ${node.source.files.length}`;
        break;
      case "LocalRelation":
        line = `LocalScanExec [${node.schema.fields.map((f) => f.name).join(",")}] ${node.numRows} rows`;
        break;
      case "Project":
        line = `ProjectExec [${node.exprs.map(show).join(", ")}]`;
        break;
      case "Filter":
        line = `FilterExec ${show(node.condition)}`;
        break;
      case "Limit":
        if (!atRoot) {
          // Materialized by a sub-job: its own stage, read back as a local scan.
          const sub = nextStage++;
          stages.push([`Stage ${sub} (materialized by the driver):`, ...render(node, true, "", "", sub)]);
          return [`${prefix}LocalScanExec [materialized limit of stage ${sub}]`];
        }
        line = `LimitExec ${node.n} (per partition; the driver keeps the first ${node.n})`;
        break;
      case "Union":
        line = "UnionExec";
        break;
      case "Sample":
        line = `SampleExec fraction=${node.fraction} withReplacement=${node.withReplacement} seed=${node.seed}`;
        break;
      case "Cache": {
        const sub = nextStage++;
        stages.push([`Stage ${sub} (cached once as ${node.cacheId}):`, ...render(node.input, false, "", "", sub)]);
        return [`${prefix}LocalScanExec [cache ${node.cacheId} from stage ${sub}]`];
      }
    }
    const keepRoot = atRoot && (node.kind === "Project" || node.kind === "Limit");
    const out = [`${prefix}*(${stage}) ${line}`];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      out.push(...render(k, keepRoot, `${childPrefix}${last ? "+- " : ":- "}`, `${childPrefix}${last ? "   " : ":  "}`, stage));
    });
    return out;
  };
  const main = render(p, true, "", "", -1);
  const final = nextStage;
  const head = `Stage ${final} (final, ${parallelism} task slots): result to driver`;
  return [...stages.flat(), head, ...main.map((l) => l.replaceAll("*(-1)", `*(${final})`))];
}

/** The text of `df.explain(mode)`. */
export function explainPlans(parsed: LogicalPlan, optimized: LogicalPlan, mode: Mode, parallelism: number): string {
  const physical = ["== Physical Plan ==", ...physicalTree(optimized, parallelism)].join("\n");
  if (mode === "simple") return physical;
  const schema = parsed.schema.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ");
  return [
    "== Parsed Logical Plan ==",
    ...tree(parsed, logicalLine),
    "",
    "== Analyzed Logical Plan ==",
    schema,
    ...tree(parsed, logicalLine),
    "",
    "== Optimized Logical Plan ==",
    ...tree(optimized, logicalLine),
    "",
    physical,
  ].join("\n");
}
