// explain(): renders the logical, optimized and physical plans as Spark-style trees. The
// physical rendering shows the exchanges the planner will insert and numbers the stages they
// cut the plan into (each exchange's input is a stage that runs before its reader's stage).
import { type Expr, exprName } from "../expr/expr.js";
import { typeName } from "../types/data-type.js";
import type { LogicalPlan } from "./logical.js";
import { planChildren } from "./logical.js";
import { estimateBytes, groupingKeysOf } from "./plan-exchanges.js";

type Mode = "simple" | "extended" | "formatted";

/** What explain needs to know about the session to predict the physical plan. */
export interface ExplainSettings {
  readonly parallelism: number;
  readonly shufflePartitions: number;
  readonly broadcastThreshold: number;
}

function show(e: Expr): string {
  return exprName(e.kind === "Alias" ? e.child : e) + (e.kind === "Alias" ? ` AS ${e.name}` : "");
}
const list = (es: readonly Expr[]) => es.map(show).join(", ");
const names = (p: LogicalPlan) => p.schema.fields.map((f) => f.name).join(", ");

function logicalLine(p: LogicalPlan): string {
  switch (p.kind) {
    case "Scan": {
      const pushed = p.filters.length ? `, PushedFilters: [${list(p.filters)}]` : "";
      return `Relation ${p.source.format} [${names(p)}] ${p.source.rootPaths.join(", ")} (${p.source.files.length} files${pushed})`;
    }
    case "LocalRelation":
      return `LocalRelation [${names(p)}], ${p.numRows} rows`;
    case "Project":
      return `Project [${list(p.exprs)}]`;
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
    case "Aggregate":
      return `Aggregate [${list(p.keys)}], [${p.aggs.map((a) => `${a.fn}(${list(a.args)}) AS ${a.name}`).join(", ")}]`;
    case "Join":
      return `Join ${p.joinType}, [${list(p.leftKeys)}] = [${list(p.rightKeys)}]${p.condition ? `, ${show(p.condition)}` : ""}`;
    case "Sort":
      return `Sort [${list(p.orders)}], true`;
    case "Window":
      return `Window [${p.calls.map((c) => `${c.fn}(${list(c.args)}) AS ${c.name}`).join(", ")}], [${list(p.partitionBy)}], [${list(p.orderBy)}]`;
    case "Repartition":
      return p.shuffle ? `Repartition ${p.numPartitions} [${list(p.keys)}]` : `Coalesce ${p.numPartitions}`;
    case "Hint":
      return `ResolvedHint ${p.hint}`;
    case "Expand":
      return `Expand by column ${p.countIndex}`;
  }
}

function tree(p: LogicalPlan, prefix = "", childPrefix = ""): string[] {
  const out = [prefix + logicalLine(p)];
  const kids = planChildren(p);
  kids.forEach((k, i) => {
    const last = i === kids.length - 1;
    out.push(...tree(k, `${childPrefix}${last ? "+- " : ":- "}`, `${childPrefix}${last ? "   " : ":  "}`));
  });
  return out;
}

/** A node of the predicted physical tree. */
interface PNode {
  readonly line: string;
  readonly kids: readonly PNode[];
  /** An exchange: its input runs as a stage of its own. */
  readonly exchange?: boolean;
}

const node = (line: string, ...kids: PNode[]): PNode => ({ line, kids });
const exchange = (line: string, kid: PNode): PNode => ({ line, kids: [kid], exchange: true });

function physical(p: LogicalPlan, s: ExplainSettings, atRoot: boolean): PNode {
  const n = s.shufflePartitions;
  switch (p.kind) {
    case "Scan":
      return node(
        `ScanExec ${p.source.format} [${names(p)}]${p.filters.length ? ` Filters: [${list(p.filters)}]` : ""} Files: ${p.source.files.length}`,
      );
    case "LocalRelation":
      return node(`LocalScanExec [${names(p)}] ${p.numRows} rows`);
    case "Project":
      return node(`ProjectExec [${list(p.exprs)}]`, physical(p.input, s, atRoot));
    case "Filter":
      return node(`FilterExec ${show(p.condition)}`, physical(p.input, s, false));
    case "Limit":
      if (p.input.kind === "Sort") {
        const orders = list(p.input.orders);
        return node(
          `SortExec [${orders}] top ${p.n}`,
          exchange(
            "Exchange SinglePartition",
            node(`SortExec [${orders}] top ${p.n} per partition`, physical(p.input.input, s, false)),
          ),
        );
      }
      if (atRoot)
        return node(
          `LimitExec ${p.n} (per partition; the driver keeps the first ${p.n})`,
          physical(p.input, s, true),
        );
      return node(
        `LimitExec ${p.n}`,
        exchange("Exchange SinglePartition", node(`LimitExec ${p.n}`, physical(p.input, s, false))),
      );
    case "Union":
      return node("UnionExec", ...p.inputs.map((i) => physical(i, s, false)));
    case "Sample":
      return node(
        `SampleExec fraction=${p.fraction} withReplacement=${p.withReplacement} seed=${p.seed}`,
        physical(p.input, s, false),
      );
    case "Cache":
      return node(`InMemoryTableScan ${p.cacheId}`, physical(p.input, s, false));
    case "Hint":
      return physical(p.input, s, atRoot);
    case "Aggregate":
      return aggregateNode(p, s);
    case "Join": {
      const left = physical(p.left, s, false);
      const right = physical(p.right, s, false);
      const cond = p.condition ? ` condition=${show(p.condition)}` : "";
      const keys = `[${list(p.leftKeys)}] = [${list(p.rightKeys)}]`;
      const hinted = p.right.kind === "Hint" || estimateBytes(p.right) <= s.broadcastThreshold;
      const buildRight = ["inner", "left", "left_semi", "left_anti", "cross"].includes(p.joinType);
      if (buildRight && hinted) {
        return node(
          `BroadcastHashJoinExec ${p.joinType} ${keys}${cond} build=right`,
          left,
          exchange("BroadcastExchange", right),
        );
      }
      return node(
        `ShuffledHashJoinExec ${p.joinType} ${keys}${cond}`,
        exchange(`Exchange hashpartitioning(${list(p.leftKeys)}, ${n})`, left),
        exchange(`Exchange hashpartitioning(${list(p.rightKeys)}, ${n})`, right),
      );
    }
    case "Sort":
      return node(
        `SortExec [${list(p.orders)}]`,
        exchange(`Exchange rangepartitioning(${list(p.orders)}, ${n})`, physical(p.input, s, false)),
      );
    case "Window": {
      const line = `WindowExec [${p.calls.map((c) => `${c.fn}(${list(c.args)}) AS ${c.name}`).join(", ")}]`;
      const keys = p.input.kind === "Aggregate" ? groupingKeysOf(p.input, p.partitionBy) : null;
      // Over an aggregation grouped by the PARTITION BY columns: its exchange, on those alone.
      if (p.input.kind === "Aggregate" && keys !== null) return node(line, aggregateNode(p.input, s, keys));
      return node(
        line,
        exchange(
          p.partitionBy.length
            ? `Exchange hashpartitioning(${list(p.partitionBy)}, ${n})`
            : "Exchange SinglePartition",
          physical(p.input, s, false),
        ),
      );
    }
    case "Repartition":
      if (!p.shuffle) return node(`CoalesceExec ${p.numPartitions}`, physical(p.input, s, false));
      return exchange(
        p.keys.length
          ? `Exchange hashpartitioning(${list(p.keys)}, ${p.numPartitions})`
          : `Exchange RoundRobinPartitioning(${p.numPartitions})`,
        physical(p.input, s, false),
      );
    case "Expand":
      return node(`ExpandExec by column ${p.countIndex}`, physical(p.input, s, false));
  }
}

/** partial aggregate → hash exchange (on the keys, or on `shuffleKeys` of them) → final aggregate. */
function aggregateNode(
  p: Extract<LogicalPlan, { kind: "Aggregate" }>,
  s: ExplainSettings,
  shuffleKeys?: readonly number[],
): PNode {
  const aggs = p.aggs.map((a) => `${a.fn}(${list(a.args)})`).join(", ");
  const hashKeys = shuffleKeys === undefined ? p.keys : shuffleKeys.map((k) => p.keys[k]!);
  const part = exchange(
    hashKeys.length
      ? `Exchange hashpartitioning(${list(hashKeys)}, ${s.shufflePartitions})`
      : "Exchange SinglePartition",
    node(`HashAggregateExec partial keys=[${list(p.keys)}] functions=[${aggs}]`, physical(p.input, s, false)),
  );
  return node(`HashAggregateExec final keys=[${list(p.keys)}] functions=[${aggs}]`, part);
}

/** Renders the tree with `*(stage)` markers; stages are numbered in the order they run. */
function render(root: PNode, parallelism: number): string[] {
  let next = 0;
  const stageOf = new Map<PNode, number>();
  const assign = (n: PNode, stage: () => number): void => {
    for (const k of n.kids) {
      if (n.exchange) {
        assign(k, () => stageOf.get(k)!);
        stageOf.set(k, next++);
      } else assign(k, stage);
    }
  };
  assign(root, () => -1);
  const finalStage = next;
  const lines: string[] = [`Stage ${finalStage} (final, ${parallelism} task slots): result to driver`];
  const walk = (n: PNode, stage: number, prefix: string, childPrefix: string): void => {
    lines.push(
      `${prefix}${n.exchange ? "" : `*(${stage}) `}${n.line}${n.exchange ? ` [stage ${stageOf.get(n.kids[0]!)}]` : ""}`,
    );
    n.kids.forEach((k, i) => {
      const last = i === n.kids.length - 1;
      const s = n.exchange ? stageOf.get(k)! : stage;
      walk(k, s, `${childPrefix}${last ? "+- " : ":- "}`, `${childPrefix}${last ? "   " : ":  "}`);
    });
  };
  walk(root, finalStage, "", "");
  return lines;
}

/** The text of `df.explain(mode)`. */
export function explainPlans(
  parsed: LogicalPlan,
  optimized: LogicalPlan,
  mode: Mode,
  settings: ExplainSettings,
): string {
  const phys = [
    "== Physical Plan ==",
    ...render(physical(optimized, settings, true), settings.parallelism),
  ].join("\n");
  if (mode === "simple") return phys;
  const schema = parsed.schema.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ");
  return [
    "== Parsed Logical Plan ==",
    ...tree(parsed),
    "",
    "== Analyzed Logical Plan ==",
    schema,
    ...tree(parsed),
    "",
    "== Optimized Logical Plan ==",
    ...tree(optimized),
    "",
    phys,
  ].join("\n");
}
