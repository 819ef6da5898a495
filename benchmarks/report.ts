// Formatting of benchmark results: the side-by-side table (printed and written as markdown)
// and the JSON record written to benchmarks/results/.
import type { Measurement } from "./measure.js";
import type { BenchQuery } from "./queries.js";

/** Everything a benchmark run produced, as written to the JSON file. */
export interface BenchResults {
  readonly startedAt: string;
  readonly params: {
    readonly rows: number;
    readonly seed: number;
    readonly threads: number;
    readonly runs: number;
    readonly files: number;
    readonly engines: readonly string[];
  };
  readonly environment: Readonly<Record<string, string | number>>;
  readonly queries: readonly QueryResult[];
}

/** One query's measurements on every engine, and whether their outputs agree. */
export interface QueryResult {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly measurements: readonly Measurement[];
  /** Kindling's median whole-process time over DuckDB's. */
  readonly ratio?: number;
  /** "met" / "missed" against the query's target; absent without both engines. */
  readonly target?: "met" | "missed";
  /** "ok" when both engines' results and output fingerprints agree, else what differs. */
  readonly check?: string;
  /** The output fingerprint of each engine (from the query's check SQL). */
  readonly fingerprints?: Readonly<Record<string, readonly (number | null)[]>>;
}

/** Kindling/DuckDB ratio and target verdict for a query's measurements. */
export function compare(
  query: BenchQuery,
  ms: readonly Measurement[],
): { ratio?: number; target?: "met" | "missed" } {
  const k = ms.find((m) => m.engine === "kindling");
  const d = ms.find((m) => m.engine === "duckdb");
  if (!k || !d || k.medianS === undefined || d.medianS === undefined || !k.ok) {
    return k && !k.ok && query.target ? { target: "missed" } : {};
  }
  const ratio = k.medianS / d.medianS;
  if (!query.target) return { ratio };
  const met = ratio <= query.target.maxRatio && (k.peakRssMiB ?? Infinity) <= query.target.maxRssMiB;
  return { ratio, target: met ? "met" : "missed" };
}

const fmt = (v: number | undefined, digits: number): string => (v === undefined ? "-" : v.toFixed(digits));

/** The results table as aligned markdown (also what the runner prints). */
export function resultsTable(results: readonly QueryResult[], queries: readonly BenchQuery[]): string {
  const header = [
    "query",
    "engine",
    "median s",
    "min s",
    "max s",
    "job s",
    "peak RSS MiB",
    "kindling/duckdb",
    "target",
    "check",
  ];
  const rows: string[][] = [];
  for (const r of results) {
    const q = queries.find((x) => x.id === r.id);
    for (const m of r.measurements) {
      const first = m === r.measurements[0];
      const target = q?.target
        ? `<= ${q.target.maxRatio}x, < ${q.target.maxRssMiB} MiB: ${r.target ?? "-"}`
        : "-";
      rows.push([
        first ? `${r.id} ${r.name}` : "",
        m.engine,
        m.ok ? fmt(m.medianS, 2) : `FAILED${m.medianS === undefined ? "" : ` (median ${fmt(m.medianS, 2)})`}`,
        fmt(m.minS, 2),
        fmt(m.maxS, 2),
        fmt(m.medianJobS, 2),
        fmt(m.peakRssMiB, 0),
        m.engine === "kindling" ? fmt(r.ratio, 2) : "",
        first ? target : "",
        first ? (r.check ?? "-") : "",
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The full markdown report: parameters, table, query legend and any errors. */
export function resultsMarkdown(res: BenchResults, queries: readonly BenchQuery[]): string {
  const p = res.params;
  const env = Object.entries(res.environment)
    .map(([k, v]) => `- ${k}: ${v}`)
    .join("\n");
  const legend = res.queries.map((q) => `- **${q.id} ${q.name}**: ${q.title}`).join("\n");
  const errors = res.queries.flatMap((q) =>
    q.measurements.flatMap((m) =>
      m.samples.flatMap((s, i) =>
        s.ok
          ? []
          : [`### ${q.id} ${m.engine}, run ${i + 1}\n\n\`\`\`\n${s.error ?? "unknown error"}\n\`\`\``],
      ),
    ),
  );
  return [
    `# Benchmark results ${res.startedAt.slice(0, 10)}: ${p.rows.toLocaleString("en-US")} rows`,
    "",
    `${p.runs} run(s) per job, ${p.threads} thread(s) per engine, seed ${p.seed}, ${p.files} input file(s). ` +
      "Times are whole-process wall times of a fresh child process (median, min, max); " +
      "job s is the median time inside the process from engine start to stop; peak RSS is the " +
      "largest over the runs.",
    "",
    resultsTable(res.queries, queries),
    "",
    "## Queries",
    "",
    legend,
    "",
    "## Environment",
    "",
    env,
    ...(errors.length ? ["", "## Errors", "", ...errors] : []),
    "",
  ].join("\n");
}
