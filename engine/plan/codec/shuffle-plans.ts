// Protobuf codec for the nodes that exchange data or need whole partitions: aggregation,
// shuffle write/read, sort, join, window, coalesce, expand. Merged into plans.ts's tables.
import * as pb from "../../../proto/gen/kindling.js";
import type { SortOrderExpr } from "../../expr/expr.js";
import type {
  AggregateCall,
  HashAggregateExec,
  JoinType,
  Partitioning,
  PhysicalPlan,
  WindowCall,
} from "../physical.js";
import { exprFromPb, exprToPb } from "./exprs.js";
import { CodecError, fromInt64, int32, need, schemaFromPb, schemaToPb, toInt64 } from "./values.js";

type Plan<K extends PhysicalPlan["kind"]> = Extract<PhysicalPlan, { kind: K }>;
type PbNode = NonNullable<pb.PhysicalPlan["node"]>;
type Node<C extends PbNode["$case"]> = Extract<PbNode, { $case: C }>["value"];

/** Injected by plans.ts to break the module cycle. */
export interface PlanCodec {
  toPb(p: PhysicalPlan): pb.PhysicalPlan;
  fromPb(m: pb.PhysicalPlan): PhysicalPlan;
}

const MODES: { readonly [M in HashAggregateExec["mode"]]: pb.AggregateMode } = {
  partial: pb.AggregateMode.AGGREGATE_MODE_PARTIAL,
  final: pb.AggregateMode.AGGREGATE_MODE_FINAL,
  complete: pb.AggregateMode.AGGREGATE_MODE_COMPLETE,
};
const JOINS: { readonly [J in JoinType]: pb.JoinType } = {
  inner: pb.JoinType.JOIN_TYPE_INNER,
  left: pb.JoinType.JOIN_TYPE_LEFT,
  right: pb.JoinType.JOIN_TYPE_RIGHT,
  full: pb.JoinType.JOIN_TYPE_FULL,
  left_semi: pb.JoinType.JOIN_TYPE_LEFT_SEMI,
  left_anti: pb.JoinType.JOIN_TYPE_LEFT_ANTI,
  cross: pb.JoinType.JOIN_TYPE_CROSS,
};

function fromEnum<K extends string>(table: { readonly [k in K]: number }, v: number, what: string): K {
  for (const k in table) if (table[k] === v) return k;
  throw new CodecError(`${what}: unknown enum value ${v}`);
}

const orderToPb = (o: SortOrderExpr) => exprToPb(o);
function orderFromPb(m: pb.Expr, what: string): SortOrderExpr {
  const e = exprFromPb(m);
  if (e.kind !== "SortOrder") throw new CodecError(`${what}: expected a sort order, got ${e.kind}`);
  return e;
}

const aggToPb = (a: AggregateCall): pb.AggregateCall => ({ fn: a.fn, args: a.args.map(exprToPb) });
const aggFromPb = (m: pb.AggregateCall): AggregateCall => ({ fn: m.fn, args: m.args.map(exprFromPb) });

function partitioningToPb(p: Partitioning): pb.Partitioning {
  switch (p.kind) {
    case "hash":
      return {
        kind: {
          $case: "hash",
          value: { keys: p.keys.map(exprToPb), numPartitions: int32(p.numPartitions, "hash.numPartitions") },
        },
      };
    case "range":
      return {
        kind: {
          $case: "range",
          value: {
            orders: p.orders.map(orderToPb),
            bounds: p.bounds,
            numPartitions: int32(p.numPartitions, "range.numPartitions"),
          },
        },
      };
    case "single":
      return { kind: { $case: "single", value: {} } };
    case "roundRobin":
      return {
        kind: {
          $case: "roundRobin",
          value: { numPartitions: int32(p.numPartitions, "roundRobin.numPartitions") },
        },
      };
    case "broadcast":
      return { kind: { $case: "broadcast", value: {} } };
  }
}

function partitioningFromPb(m: pb.Partitioning): Partitioning {
  const k = need(m.kind, "Partitioning.kind");
  switch (k.$case) {
    case "hash":
      return { kind: "hash", keys: k.value.keys.map(exprFromPb), numPartitions: k.value.numPartitions };
    case "range":
      return {
        kind: "range",
        orders: k.value.orders.map((o) => orderFromPb(o, "range.orders")),
        bounds: new Uint8Array(k.value.bounds),
        numPartitions: k.value.numPartitions,
      };
    case "single":
      return { kind: "single" };
    case "roundRobin":
      return { kind: "roundRobin", numPartitions: k.value.numPartitions };
    case "broadcast":
      return { kind: "broadcast" };
  }
}

const windowCallToPb = (c: WindowCall): pb.WindowCall => ({
  fn: c.fn,
  args: c.args.map(exprToPb),
  frame: {
    range: c.frame.type === "range",
    ...(c.frame.start !== null ? { start: c.frame.start } : {}),
    ...(c.frame.end !== null ? { end: c.frame.end } : {}),
  },
});
const windowCallFromPb = (m: pb.WindowCall): WindowCall => {
  const f = need(m.frame, "WindowCall.frame");
  return {
    fn: m.fn,
    args: m.args.map(exprFromPb),
    frame: { type: f.range ? "range" : "rows", start: f.start ?? null, end: f.end ?? null },
  };
};

/** Encoders for the exchange-related node kinds. */
export function shuffleEncoders(c: PlanCodec) {
  return {
    HashAggregateExec: (p: Plan<"HashAggregateExec">): PbNode => ({
      $case: "hashAggregateExec",
      value: {
        input: c.toPb(p.input),
        mode: MODES[p.mode],
        keys: p.keys.map(exprToPb),
        aggs: p.aggs.map(aggToPb),
        schema: schemaToPb(p.schema),
      },
    }),
    ShuffleWriteExec: (p: Plan<"ShuffleWriteExec">): PbNode => ({
      $case: "shuffleWriteExec",
      value: {
        input: c.toPb(p.input),
        shuffleId: int32(p.shuffleId, "ShuffleWriteExec.shuffleId"),
        partitioning: partitioningToPb(p.partitioning),
        schema: schemaToPb(p.schema),
      },
    }),
    ShuffleReadExec: (p: Plan<"ShuffleReadExec">): PbNode => ({
      $case: "shuffleReadExec",
      value: {
        shuffleId: int32(p.shuffleId, "ShuffleReadExec.shuffleId"),
        numPartitions: int32(p.numPartitions, "ShuffleReadExec.numPartitions"),
        broadcast: p.broadcast,
        schema: schemaToPb(p.schema),
      },
    }),
    SortExec: (p: Plan<"SortExec">): PbNode => ({
      $case: "sortExec",
      value: {
        input: c.toPb(p.input),
        orders: p.orders.map(orderToPb),
        ...(p.limit !== null ? { limit: toInt64(p.limit, "SortExec.limit") } : {}),
        schema: schemaToPb(p.schema),
      },
    }),
    HashJoinExec: (p: Plan<"HashJoinExec">): PbNode => ({
      $case: "hashJoinExec",
      value: {
        left: c.toPb(p.left),
        right: c.toPb(p.right),
        joinType: JOINS[p.joinType],
        leftKeys: p.leftKeys.map(exprToPb),
        rightKeys: p.rightKeys.map(exprToPb),
        ...(p.condition !== null ? { condition: exprToPb(p.condition) } : {}),
        buildLeft: p.buildSide === "left",
        schema: schemaToPb(p.schema),
      },
    }),
    WindowExec: (p: Plan<"WindowExec">): PbNode => ({
      $case: "windowExec",
      value: {
        input: c.toPb(p.input),
        partitionBy: p.partitionBy.map(exprToPb),
        orderBy: p.orderBy.map(orderToPb),
        calls: p.calls.map(windowCallToPb),
        schema: schemaToPb(p.schema),
      },
    }),
    CoalesceExec: (p: Plan<"CoalesceExec">): PbNode => ({
      $case: "coalesceExec",
      value: {
        input: c.toPb(p.input),
        numPartitions: int32(p.numPartitions, "CoalesceExec.numPartitions"),
        schema: schemaToPb(p.schema),
      },
    }),
    ExpandExec: (p: Plan<"ExpandExec">): PbNode => ({
      $case: "expandExec",
      value: {
        input: c.toPb(p.input),
        countIndex: int32(p.countIndex, "ExpandExec.countIndex"),
        schema: schemaToPb(p.schema),
      },
    }),
  };
}

/** Decoders for the exchange-related wire cases. */
export function shuffleDecoders(c: PlanCodec) {
  const input = (m: pb.PhysicalPlan | undefined, what: string) => c.fromPb(need(m, `${what}.input`));
  const schema = (m: pb.Schema | undefined, what: string) => schemaFromPb(need(m, `${what}.schema`));
  return {
    hashAggregateExec: (v: Node<"hashAggregateExec">): PhysicalPlan => ({
      kind: "HashAggregateExec",
      input: input(v.input, "HashAggregateExec"),
      mode: fromEnum(MODES, v.mode, "HashAggregateExec.mode"),
      keys: v.keys.map(exprFromPb),
      aggs: v.aggs.map(aggFromPb),
      schema: schema(v.schema, "HashAggregateExec"),
    }),
    shuffleWriteExec: (v: Node<"shuffleWriteExec">): PhysicalPlan => ({
      kind: "ShuffleWriteExec",
      input: input(v.input, "ShuffleWriteExec"),
      shuffleId: v.shuffleId,
      partitioning: partitioningFromPb(need(v.partitioning, "ShuffleWriteExec.partitioning")),
      schema: schema(v.schema, "ShuffleWriteExec"),
    }),
    shuffleReadExec: (v: Node<"shuffleReadExec">): PhysicalPlan => ({
      kind: "ShuffleReadExec",
      shuffleId: v.shuffleId,
      numPartitions: v.numPartitions,
      broadcast: v.broadcast,
      schema: schema(v.schema, "ShuffleReadExec"),
    }),
    sortExec: (v: Node<"sortExec">): PhysicalPlan => ({
      kind: "SortExec",
      input: input(v.input, "SortExec"),
      orders: v.orders.map((o) => orderFromPb(o, "SortExec.orders")),
      limit: v.limit === undefined ? null : fromInt64(v.limit, "SortExec.limit"),
      schema: schema(v.schema, "SortExec"),
    }),
    hashJoinExec: (v: Node<"hashJoinExec">): PhysicalPlan => ({
      kind: "HashJoinExec",
      left: c.fromPb(need(v.left, "HashJoinExec.left")),
      right: c.fromPb(need(v.right, "HashJoinExec.right")),
      joinType: fromEnum(JOINS, v.joinType, "HashJoinExec.joinType"),
      leftKeys: v.leftKeys.map(exprFromPb),
      rightKeys: v.rightKeys.map(exprFromPb),
      condition: v.condition ? exprFromPb(v.condition) : null,
      buildSide: v.buildLeft ? "left" : "right",
      schema: schema(v.schema, "HashJoinExec"),
    }),
    windowExec: (v: Node<"windowExec">): PhysicalPlan => ({
      kind: "WindowExec",
      input: input(v.input, "WindowExec"),
      partitionBy: v.partitionBy.map(exprFromPb),
      orderBy: v.orderBy.map((o) => orderFromPb(o, "WindowExec.orderBy")),
      calls: v.calls.map(windowCallFromPb),
      schema: schema(v.schema, "WindowExec"),
    }),
    coalesceExec: (v: Node<"coalesceExec">): PhysicalPlan => ({
      kind: "CoalesceExec",
      input: input(v.input, "CoalesceExec"),
      numPartitions: v.numPartitions,
      schema: schema(v.schema, "CoalesceExec"),
    }),
    expandExec: (v: Node<"expandExec">): PhysicalPlan => ({
      kind: "ExpandExec",
      input: input(v.input, "ExpandExec"),
      countIndex: v.countIndex,
      schema: schema(v.schema, "ExpandExec"),
    }),
  };
}
