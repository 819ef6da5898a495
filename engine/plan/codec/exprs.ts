// Protobuf codec for expression trees (engine/expr/expr.ts <-> kindling.Expr). One encoder per
// ExprKind and one decoder per wire case, each table exhaustive, so a new expression kind
// fails to compile until both directions handle it.
import type * as pb from "../../../proto/gen/kindling.js";
import type { Expr, ExprKind } from "../../expr/expr.js";
import { dataTypeFromPb, dataTypeToPb, int32, literalFromPb, literalToPb, need } from "./values.js";

type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;
type PbNode = NonNullable<pb.Expr["node"]>;
type PbCase = PbNode["$case"];

const encoders: { [K in ExprKind]: (e: ExprOf<K>) => PbNode } = {
  Column: (e) => ({
    $case: "column",
    value: {
      name: e.name,
      qualifier: e.qualifier,
      planId: e.planId === undefined ? undefined : int32(e.planId, "Column.planId"),
    },
  }),
  Ref: (e) => ({
    $case: "ref",
    value: {
      index: int32(e.index, "Ref.index"),
      name: e.name,
      type: dataTypeToPb(e.type),
      nullable: e.nullable,
    },
  }),
  Literal: (e) => ({
    $case: "literal",
    value: { value: literalToPb(e.value, e.type), type: dataTypeToPb(e.type) },
  }),
  Alias: (e) => ({ $case: "alias", value: { child: exprToPb(e.child), name: e.name } }),
  Call: (e) => ({ $case: "call", value: { fn: e.fn, args: e.args.map(exprToPb) } }),
  Cast: (e) => ({ $case: "cast", value: { child: exprToPb(e.child), to: dataTypeToPb(e.to) } }),
  CaseWhen: (e) => ({
    $case: "caseWhen",
    value: {
      branches: e.branches.map(([when, then]) => ({ condition: exprToPb(when), value: exprToPb(then) })),
      otherwise: e.otherwise === undefined ? undefined : exprToPb(e.otherwise),
    },
  }),
  SortOrder: (e) => ({
    $case: "sortOrder",
    value: { child: exprToPb(e.child), ascending: e.ascending, nullsFirst: e.nullsFirst },
  }),
  Star: (e) => ({ $case: "star", value: { qualifier: e.qualifier } }),
};

const decoders: { [C in PbCase]: (v: Extract<PbNode, { $case: C }>["value"]) => Expr } = {
  column: (v) => ({
    kind: "Column",
    name: v.name,
    ...(v.qualifier !== undefined ? { qualifier: v.qualifier } : {}),
    ...(v.planId !== undefined ? { planId: v.planId } : {}),
  }),
  ref: (v) => ({
    kind: "Ref",
    index: v.index,
    name: v.name,
    type: dataTypeFromPb(need(v.type, "Ref.type")),
    nullable: v.nullable,
  }),
  literal: (v) => {
    const type = dataTypeFromPb(need(v.type, "Literal.type"));
    return { kind: "Literal", value: literalFromPb(need(v.value, "Literal.value"), type), type };
  },
  alias: (v) => ({ kind: "Alias", child: exprFromPb(need(v.child, "Alias.child")), name: v.name }),
  call: (v) => ({ kind: "Call", fn: v.fn, args: v.args.map(exprFromPb) }),
  cast: (v) => ({
    kind: "Cast",
    child: exprFromPb(need(v.child, "Cast.child")),
    to: dataTypeFromPb(need(v.to, "Cast.to")),
  }),
  caseWhen: (v) => ({
    kind: "CaseWhen",
    branches: v.branches.map(
      (b) =>
        [
          exprFromPb(need(b.condition, "CaseWhen condition")),
          exprFromPb(need(b.value, "CaseWhen value")),
        ] as const,
    ),
    ...(v.otherwise !== undefined ? { otherwise: exprFromPb(v.otherwise) } : {}),
  }),
  sortOrder: (v) => ({
    kind: "SortOrder",
    child: exprFromPb(need(v.child, "SortOrder.child")),
    ascending: v.ascending,
    nullsFirst: v.nullsFirst,
  }),
  star: (v) => ({ kind: "Star", ...(v.qualifier !== undefined ? { qualifier: v.qualifier } : {}) }),
};

/** The wire message of an expression tree. */
export function exprToPb(e: Expr): pb.Expr {
  return { node: (encoders[e.kind] as (e: Expr) => PbNode)(e) };
}

/** The expression tree of a wire message. */
export function exprFromPb(m: pb.Expr): Expr {
  const node = need(m.node, "Expr.node (an expression kind this version does not know?)");
  return (decoders[node.$case] as (v: unknown) => Expr)(node.value);
}
