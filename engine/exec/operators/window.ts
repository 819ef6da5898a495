// WindowExec: evaluates window functions over one hash partition. The partition's rows are
// buffered (a pipeline breaker), sorted by (PARTITION BY, ORDER BY), and every call is
// evaluated over the sorted rows by the window kernels; output rows come out in that order.
import type { Batch, Column } from "../../columnar/column.js";
import { concatBatches, sliceBatch } from "../../columnar/ops.js";
import { AnalysisError } from "../../errors.js";
import { compileExpr, exprType } from "../../expr/compile.js";
import type { Expr, LiteralValue } from "../../expr/expr.js";
import type { PhysicalPlan, WindowExec } from "../../plan/physical.js";
import type { Field, Schema } from "../../types/data-type.js";
import { checkCancelled, type ExecContext } from "../context.js";
import type { KeyOrder } from "../sort/compare.js";
import { sortBatch } from "../sort/sort.js";
import { WindowEvaluator } from "../window/evaluate.js";
import type { WindowFunctionCall } from "../window/types.js";
import { splitAggregateArgs } from "./aggregate-params.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

const literal = (e: Expr | undefined): LiteralValue | undefined =>
  e === undefined
    ? undefined
    : e.kind === "Literal"
      ? e.value
      : e.kind === "Cast" && e.child.kind === "Literal"
        ? e.child.value
        : undefined;

/** The extra columns a window needs, appended after the input's, and the calls over them. */
function layoutCalls(p: WindowExec) {
  const extra: Expr[] = [];
  const width = p.input.schema.fields.length;
  const column = (e: Expr): number => {
    if (e.kind === "Ref") return e.index;
    extra.push(e);
    return width + extra.length - 1;
  };
  const partitionBy = p.partitionBy.map(column);
  const orderBy: KeyOrder[] = p.orderBy.map((o) => ({
    index: column(o.child),
    ascending: o.ascending,
    nullsFirst: o.nullsFirst,
  }));
  const calls: WindowFunctionCall[] = p.calls.map((c) => {
    switch (c.fn) {
      case "row_number":
      case "rank":
      case "dense_rank":
      case "percent_rank":
      case "cume_dist":
        return { fn: c.fn };
      case "ntile":
        return { fn: c.fn, buckets: Number(literal(c.args[0]) ?? 1) };
      case "lag":
      case "lead": {
        const off = literal(c.args[1]);
        const def = c.args[2];
        const hasDefault =
          def !== undefined && !(def.kind === "Literal" && def.value === null) && literal(def) !== null;
        return {
          fn: c.fn,
          args: [column(c.args[0]!)],
          offset: off === undefined ? 1 : Number(off),
          ...(hasDefault ? { defaultColumn: column(def!) } : {}),
        };
      }
      case "first_value":
      case "last_value":
        return { fn: c.fn, args: [column(c.args[0]!)], ignoreNulls: literal(c.args[1]) === true };
      case "nth_value":
        return { fn: c.fn, args: [column(c.args[0]!)], nth: Number(literal(c.args[1]) ?? 1) };
      default: {
        const split = splitAggregateArgs(c.fn, c.args);
        return { fn: c.fn, args: split.columns.map(column), params: split.params };
      }
    }
  });
  return { extra, partitionBy, orderBy, calls };
}

export async function* executeWindow(p: WindowExec, partition: number, ctx: ExecContext, run: Run) {
  const width = p.input.schema.fields.length;
  const { extra, partitionBy, orderBy, calls } = layoutCalls(p);
  const kernels = extra.map((e) => compileExpr(e, ctx.compile));
  const evalSchema: Schema = {
    fields: [
      ...p.input.schema.fields,
      ...extra.map((e, i): Field => ({ name: `_w${i}`, type: exprType(e), nullable: true })),
    ],
  };
  const held: Batch[] = [];
  for await (const b of run(p.input, partition, ctx)) {
    checkCancelled(ctx);
    held.push({
      schema: evalSchema,
      columns: [...b.columns, ...kernels.map((k) => k(b))],
      numRows: b.numRows,
    });
  }
  const all = concatBatches(evalSchema, held);
  if (all.numRows === 0) return;
  const keys: KeyOrder[] = [
    ...partitionBy.map((index) => ({ index, ascending: true, nullsFirst: true })),
    ...orderBy,
  ];
  const sorted = sortBatch(all, keys);
  const evaluator = new WindowEvaluator(sorted, { partitionBy, orderBy });
  const results: Column[] = calls.map((call, i) => {
    const frame = p.calls[i]!.frame;
    if (
      frame.type === "range" &&
      ((frame.start !== null && frame.start !== 0) || (frame.end !== null && frame.end !== 0)) &&
      orderBy.length !== 1
    ) {
      throw new AnalysisError(
        "a RANGE frame with offsets needs exactly one ORDER BY expression (numeric, date or timestamp)",
      );
    }
    return evaluator.evaluate(call, frame);
  });
  const out: Batch = {
    schema: p.schema,
    columns: [...sorted.columns.slice(0, width), ...results],
    numRows: sorted.numRows,
  };
  for (let s = 0; s < out.numRows; s += ctx.task.batchSize) {
    yield sliceBatch(out, s, Math.min(out.numRows, s + ctx.task.batchSize));
  }
}
