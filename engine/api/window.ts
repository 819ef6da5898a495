// Window specifications: `Window.partitionBy("a").orderBy(col("b").desc()).rowsBetween(-2, 0)`,
// used as `F.rank().over(w)`. A spec is immutable plain data carried into the expression tree
// as a `window_spec` call, which the analyzer turns into a Window plan node.

import { AnalysisError } from "../errors.js";
import { E, type Expr } from "../expr/expr.js";
import type { WindowFrame } from "../plan/physical.js";
import { type ColumnOrName, literalExpr, nameToExpr } from "./column.js";

/** Frame bounds, as in Spark: `Window.unboundedPreceding`, `Window.currentRow`, or an offset. */
export type FrameBound = number;

/** An immutable window specification. */
export class WindowSpec {
  /** @internal */
  constructor(
    readonly partitionExprs: readonly Expr[] = [],
    readonly orderExprs: readonly Expr[] = [],
    readonly frame: WindowFrame | null = null,
  ) {}

  partitionBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec((cols.flat() as ColumnOrName[]).map(nameToExpr), this.orderExprs, this.frame);
  }

  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec(this.partitionExprs, (cols.flat() as ColumnOrName[]).map(nameToExpr), this.frame);
  }

  /** A frame of physical rows relative to the current row (negative: before). */
  rowsBetween(start: FrameBound, end: FrameBound): WindowSpec {
    return new WindowSpec(this.partitionExprs, this.orderExprs, frame("rows", start, end));
  }

  /** A frame of order-key values relative to the current row's (one numeric or date order key). */
  rangeBetween(start: FrameBound, end: FrameBound): WindowSpec {
    return new WindowSpec(this.partitionExprs, this.orderExprs, frame("range", start, end));
  }

  /** @internal The spec as an expression node (see engine/plan/windows.ts). */
  toExpr(): Expr {
    const f = this.frame;
    const frameArgs = f
      ? [
          literalExpr(f.type),
          literalExpr(f.start ?? Number.NEGATIVE_INFINITY),
          literalExpr(f.end ?? Number.POSITIVE_INFINITY),
        ]
      : [];
    return E.call(
      "window_spec",
      E.call("partition_by", ...this.partitionExprs),
      E.call("order_by", ...this.orderExprs),
      E.call("frame", ...frameArgs),
    );
  }
}

function frame(type: "rows" | "range", start: number, end: number): WindowFrame {
  if (Number.isNaN(start) || Number.isNaN(end) || start > end) {
    throw new AnalysisError(`${type}Between(${start}, ${end}): the frame start must not be after its end`);
  }
  const bound = (x: number) => (Number.isFinite(x) ? x : null);
  return { type, start: bound(start), end: bound(end) };
}

/** Builders of window specifications, as Spark's `Window` object. */
export const Window = {
  unboundedPreceding: Number.NEGATIVE_INFINITY,
  unboundedFollowing: Number.POSITIVE_INFINITY,
  currentRow: 0,
  partitionBy: (...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec =>
    new WindowSpec().partitionBy(...cols),
  orderBy: (...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec => new WindowSpec().orderBy(...cols),
  rowsBetween: (start: FrameBound, end: FrameBound): WindowSpec => new WindowSpec().rowsBetween(start, end),
  rangeBetween: (start: FrameBound, end: FrameBound): WindowSpec => new WindowSpec().rangeBetween(start, end),
} as const;
