// Fixtures for the plan codec tests: at least one instance of every data type, literal kind
// (with edge values), expression kind and physical plan node, and a task. The exhaustive kind
// tables make adding a kind to the TS unions fail to compile until a fixture covers it.
import type { Task } from "../../engine/exec/task.js";
import { E, type Expr, type ExprKind, type LiteralValue } from "../../engine/expr/expr.js";
import type { FileSource } from "../../engine/io/source.js";
import {
  type LimitExec,
  type LocalScanExec,
  type PhysicalKind,
  type PhysicalPlan,
  physicalChildren,
  type ScanExec,
} from "../../engine/plan/physical.js";
import { type DataType, field, schemaOf, T, type TypeKind } from "../../engine/types/data-type.js";

export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
export const DEC38 = 10n ** 38n - 1n; // 38 nines

/** Every type kind, with parameters varied. */
export const TYPES: DataType[] = [
  T.null,
  T.boolean,
  T.int32,
  T.int64,
  T.float64,
  T.string,
  T.date,
  T.timestamp,
  T.timestampNtz,
  { kind: "timestamp", tz: "America/New_York" },
  { kind: "timestamp", tz: "" },
  T.decimal(38, 10),
  T.decimal(10, 2),
  T.list(T.int64),
  T.list(T.list(T.decimal(38, 0))),
];

/** [value, type] pairs covering every literal kind and its edge values. */
export const LITERALS: [LiteralValue, DataType][] = [
  [null, T.null],
  ...TYPES.map((t): [LiteralValue, DataType] => [null, t]),
  [true, T.boolean],
  [false, T.boolean],
  [0, T.int32],
  [-(2 ** 31), T.int32],
  [2 ** 31 - 1, T.int32],
  [0n, T.int64],
  [I64_MIN, T.int64],
  [I64_MAX, T.int64],
  [Number.NaN, T.float64],
  [-0, T.float64],
  [0, T.float64],
  [Number.POSITIVE_INFINITY, T.float64],
  [Number.NEGATIVE_INFINITY, T.float64],
  [Number.MIN_VALUE, T.float64],
  [0.1 + 0.2, T.float64],
  ["", T.string],
  ['héllo, 世界 🌍 \u0000 "quoted"', T.string],
  [0, T.date],
  [-719162, T.date],
  [2932896, T.date],
  [I64_MIN, T.timestamp],
  [I64_MAX, T.timestampNtz],
  [1_615_680_000_000_000n, T.timestamp],
  [-DEC38, T.decimal(38, 10)],
  [DEC38, T.decimal(38, 0)],
  [-1n, T.decimal(10, 2)],
  [0n, T.decimal(10, 2)],
  [[], T.list(T.int64)],
  [[1n, null, I64_MIN], T.list(T.int64)],
  [[[-DEC38], [], null], T.list(T.list(T.decimal(38, 0)))],
];

export const a = E.ref(0, "a", T.int64, true);
export const b = E.ref(1, "b", T.string, false);

/** At least one of every expression kind, optional fields present and absent. */
export const EXPRS: Expr[] = [
  E.column("x"),
  E.column("x", "t"),
  E.column("x", undefined, 7),
  E.column("x", "t", 0),
  a,
  ...LITERALS.map(([v, t]) => E.lit(v, t)),
  E.alias(a, "renamed"),
  E.call("current_date"),
  E.call("add", a, E.lit(1n, T.int64)),
  E.cast(b, T.decimal(12, 3)),
  { kind: "CaseWhen", branches: [[E.call("gt", a, E.lit(0n, T.int64)), b]] },
  {
    kind: "CaseWhen",
    branches: [
      [E.lit(true, T.boolean), a],
      [E.lit(null, T.boolean), a],
    ],
    otherwise: a,
  },
  E.sortOrder(a, false, true),
  { kind: "Star" },
  { kind: "Star", qualifier: "t" },
];

export const schema = schemaOf([field("a", T.int64), field("b", T.string, false), field("d", T.date)]);

export const source: FileSource = {
  format: "csv",
  rootPaths: ["lake/green", "lake/yellow/*.csv.gz"],
  files: [
    { path: "lake/green/d=2021-03-14/k=x/p.csv", size: 2 ** 40, partitionValues: [18700, "x", 3] },
    { path: "lake/green/d=__HIVE_DEFAULT_PARTITION__/k=/q.csv", size: 0, partitionValues: [null, "", null] },
  ],
  dataSchema: schemaOf([field("a", T.int64), field("b", T.string, false)]),
  partitionSchema: schemaOf([field("d", T.date), field("k", T.string), field("n", T.int32)]),
  options: { header: "true", sep: ";", "": "empty key", __proto__x: "ünï" },
};

export const scan: ScanExec = {
  kind: "ScanExec",
  source,
  splits: [
    { file: 0, start: 0, length: 128 * 2 ** 20, rowGroups: [] },
    { file: 0, start: 128 * 2 ** 20, length: -1, rowGroups: [] },
    { file: 1, start: 0, length: -1, rowGroups: [0, 1, 2] },
  ],
  columns: [0, 1, 2],
  filters: [E.call("is_not_null", a), E.call("eq", b, E.lit("ü", T.string))],
  schema,
};
export const local: LocalScanExec = {
  kind: "LocalScanExec",
  ipc: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3]),
  numPartitions: 3,
  schema,
};
export const filter: PhysicalPlan = {
  kind: "FilterExec",
  input: scan,
  condition: E.call("and", E.call("gt", a, E.lit(0n, T.int64)), E.call("like", b, E.lit("%x%", T.string))),
  schema,
};
export const project: PhysicalPlan = { kind: "ProjectExec", input: filter, exprs: EXPRS, schema };
export const limit: LimitExec = { kind: "LimitExec", input: local, n: 2 ** 53 - 1, schema };
export const sample: PhysicalPlan = {
  kind: "SampleExec",
  input: limit,
  fraction: 0.25,
  withReplacement: true,
  seed: -42,
  schema,
};
export const union: PhysicalPlan = { kind: "UnionExec", inputs: [project, sample, local], schema };
export const write: PhysicalPlan = {
  kind: "WriteFilesExec",
  input: union,
  format: "parquet",
  jobRoot: "/out/_temporary/job-1",
  partitionBy: [2],
  options: { compression: "zstd" },
  schema,
};
const read: PhysicalPlan = {
  kind: "ShuffleReadExec",
  shuffleId: 4,
  numPartitions: 8,
  broadcast: false,
  schema,
};
const broadcastRead: PhysicalPlan = {
  kind: "ShuffleReadExec",
  shuffleId: 5,
  numPartitions: 1,
  broadcast: true,
  schema,
};
export const partialAgg: PhysicalPlan = {
  kind: "HashAggregateExec",
  input: scan,
  mode: "partial",
  keys: [b, E.call("upper", b)],
  aggs: [
    { fn: "sum", args: [a] },
    { fn: "count", args: [] },
    { fn: "percentile_approx", args: [a, E.lit(0.5, T.float64), E.lit(10000, T.int32)] },
  ],
  schema,
};
export const shuffleWrites: PhysicalPlan[] = [
  {
    kind: "ShuffleWriteExec",
    input: partialAgg,
    shuffleId: 4,
    partitioning: { kind: "hash", keys: [b], numPartitions: 8 },
    schema,
  },
  {
    kind: "ShuffleWriteExec",
    input: local,
    shuffleId: 6,
    partitioning: {
      kind: "range",
      orders: [E.sortOrder(a, false, true)],
      bounds: new Uint8Array([1, 2, 3]),
      numPartitions: 4,
    },
    schema,
  },
  { kind: "ShuffleWriteExec", input: local, shuffleId: 7, partitioning: { kind: "single" }, schema },
  {
    kind: "ShuffleWriteExec",
    input: local,
    shuffleId: 8,
    partitioning: { kind: "roundRobin", numPartitions: 3 },
    schema,
  },
  { kind: "ShuffleWriteExec", input: local, shuffleId: 5, partitioning: { kind: "broadcast" }, schema },
];
export const finalAgg: PhysicalPlan = {
  kind: "HashAggregateExec",
  input: read,
  mode: "final",
  keys: [E.ref(0, "b", T.string, false)],
  aggs: [{ fn: "sum", args: [] }],
  schema,
};
export const sort: PhysicalPlan = {
  kind: "SortExec",
  input: finalAgg,
  orders: [E.sortOrder(a, true, true)],
  limit: null,
  schema,
};
export const topK: PhysicalPlan = {
  kind: "SortExec",
  input: sort,
  orders: [E.sortOrder(b, false, false)],
  limit: 10,
  schema,
};
export const join: PhysicalPlan = {
  kind: "HashJoinExec",
  left: topK,
  right: broadcastRead,
  joinType: "left_anti",
  leftKeys: [a, b],
  rightKeys: [a, b],
  condition: E.call("gt", a, E.lit(1n, T.int64)),
  buildSide: "right",
  schema,
};
export const joinNoCondition: PhysicalPlan = {
  ...join,
  joinType: "full",
  condition: null,
  buildSide: "left",
} as PhysicalPlan;
export const windowPlan: PhysicalPlan = {
  kind: "WindowExec",
  input: join,
  partitionBy: [b],
  orderBy: [E.sortOrder(a, true, true)],
  calls: [
    { fn: "rank", args: [], frame: { type: "range", start: null, end: 0 } },
    { fn: "sum", args: [a], frame: { type: "rows", start: -2, end: 2 } },
    { fn: "lag", args: [a, E.lit(1, T.int32)], frame: { type: "rows", start: null, end: null } },
  ],
  schema,
};
export const coalesce: PhysicalPlan = { kind: "CoalesceExec", input: windowPlan, numPartitions: 2, schema };
export const expand: PhysicalPlan = { kind: "ExpandExec", input: coalesce, countIndex: 1, schema };
export const PLANS: PhysicalPlan[] = [
  scan,
  local,
  filter,
  project,
  limit,
  sample,
  union,
  write,
  read,
  broadcastRead,
  partialAgg,
  ...shuffleWrites,
  finalAgg,
  sort,
  topK,
  join,
  joinNoCondition,
  windowPlan,
  coalesce,
  expand,
];

export const task: Task = {
  jobId: "job-1",
  stageId: 3,
  partition: 17,
  attempt: 2,
  plan: write,
  output: "write",
  timeZone: "Europe/Paris",
  nowMicros: 1_700_000_000_123_456,
  batchSize: 65536,
  inputs: [
    { shuffleId: 4, partition: 17, blocks: 12 },
    { shuffleId: 5, partition: -1, blocks: 0 },
  ],
  memoryBudget: 512 * 2 ** 20,
  localDir: "/var/tmp/kindling",
};

// Exhaustive lists: adding a kind to the TS unions fails to compile here until a fixture exists.
export const ALL_TYPE_KINDS: { [K in TypeKind]: true } = {
  ...{ null: true, boolean: true, int32: true, int64: true, float64: true, string: true },
  ...{ date: true, timestamp: true, decimal: true, list: true },
};
export const ALL_EXPR_KINDS: { [K in ExprKind]: true } = {
  ...{ Column: true, Ref: true, Literal: true, Alias: true, Call: true },
  ...{ Cast: true, CaseWhen: true, SortOrder: true, Star: true },
};
export const ALL_PLAN_KINDS: { [K in PhysicalKind]: true } = {
  ...{ ScanExec: true, LocalScanExec: true, FilterExec: true, ProjectExec: true },
  ...{ LimitExec: true, UnionExec: true, SampleExec: true, WriteFilesExec: true },
  ...{ HashAggregateExec: true, ShuffleWriteExec: true, ShuffleReadExec: true, SortExec: true },
  ...{ HashJoinExec: true, WindowExec: true, CoalesceExec: true, ExpandExec: true },
};

export function planKinds(p: PhysicalPlan, out = new Set<string>()): Set<string> {
  out.add(p.kind);
  for (const c of physicalChildren(p)) planKinds(c, out);
  return out;
}
