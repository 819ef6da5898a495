// DataFrame: an immutable, lazy query. Transformations analyze eagerly and return a new
// DataFrame over a new logical plan; actions (collect, count, show, write...) run a job.
import type * as arrow from "apache-arrow";
import { batchesToTable } from "../columnar/arrow.js";
import { concatBatches } from "../columnar/ops.js";
import { AnalysisError } from "../errors.js";
import { isAggregateFunction } from "../exec/agg/accumulators.js";
import { commonType } from "../expr/coercion.js";
import { E, type Expr, exprName } from "../expr/expr.js";
import { planAggregation } from "../plan/aggregates.js";
import { resolveExpr, resolveName, resolvePredicate, resolveProjection } from "../plan/analyzer.js";
import { type LogicalPlan, newPlanId } from "../plan/logical.js";
import { hasWindow, planWindows } from "../plan/windows.js";
import type { Session } from "../session.js";
import { type Field, type Schema, typeEquals, typeName } from "../types/data-type.js";
import { Column, type ColumnOrName, nameToExpr } from "./column.js";
import { GroupedData } from "./grouped.js";
import { joinOnExpr, joinUsing, parseJoinType } from "./join.js";
import { batchToRows } from "./rows.js";
import { setOperation } from "./set-ops.js";
import { formatSchemaTree, formatShow } from "./show.js";
import { DataFrameWriter } from "./writer.js";

/** Options of `collect()`. */
export interface CollectOptions {
  /** Return int64 columns as bigint instead of number (no ±2^53 limit). */
  readonly bigint?: boolean;
}

/** `explain()` modes, as in Spark. */
export type ExplainMode = "simple" | "extended" | "formatted";

/** A lazy, immutable distributed collection of rows with a schema. */
export class DataFrame {
  /** @internal */ readonly plan: LogicalPlan;

  /** @internal */
  constructor(
    readonly session: Session,
    plan: LogicalPlan,
  ) {
    this.plan = stampOrigins(plan);
  }

  /** The output schema. */
  get schema(): Schema {
    return this.plan.schema;
  }
  /** Column names, in order. */
  get columns(): string[] {
    return this.plan.schema.fields.map((f) => f.name);
  }
  /** [name, Spark type name] pairs. */
  get dtypes(): [string, string][] {
    return this.plan.schema.fields.map((f) => [f.name, typeName(f.type)]);
  }
  /** Prints the schema as a tree, as Spark does. */
  printSchema(): void {
    console.log(formatSchemaTree(this.schema));
  }

  /** A column of this DataFrame (checked now; bound to this DataFrame's plan). */
  col(name: string): Column {
    const i = resolveName(this.schema, name, undefined, this.plan.id);
    return new Column(E.column(this.schema.fields[i]!.name, undefined, this.plan.id));
  }

  // ---- transformations -------------------------------------------------------------------

  /** Projects columns: names, Columns, or "*". */
  select(...cols: (ColumnOrName | readonly ColumnOrName[])[]): DataFrame {
    const flat = cols.flat() as ColumnOrName[];
    return this.selectExprs(flat.map(nameToExpr));
  }

  /** Keeps rows where `condition` is true (null counts as false). */
  filter(condition: Column | string): DataFrame {
    if (typeof condition === "string") {
      throw new AnalysisError(
        `filter("${condition}"): SQL expression strings need the SQL front end; use col(...) expressions instead`,
      );
    }
    const cond = resolvePredicate(condition.expr, this.schema);
    return this.with({
      kind: "Filter",
      id: newPlanId(),
      input: this.plan,
      condition: cond,
      schema: this.schema,
    });
  }
  /** Alias of `filter`. */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Adds a column, or replaces the one with the same name (keeping its position). */
  withColumn(name: string, c: Column): DataFrame {
    return this.withColumns({ [name]: c });
  }

  /** Adds or replaces several columns at once. */
  withColumns(cols: Readonly<Record<string, Column>> | ReadonlyMap<string, Column>): DataFrame {
    const entries = cols instanceof Map ? [...cols.entries()] : Object.entries(cols);
    const names = this.columns;
    const exprs: Expr[] = names.map((n) => E.column(n)); // by name: stars would also take window helpers
    for (const [name, c] of entries) {
      const at = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
      const e = E.alias(c.expr.kind === "Alias" ? c.expr.child : c.expr, name);
      if (at >= 0) exprs[at] = e;
      else {
        exprs.push(e);
        names.push(name);
      }
    }
    return this.selectExprs(exprs);
  }

  /** Renames a column; a no-op when it does not exist (as in Spark). */
  withColumnRenamed(existing: string, newName: string): DataFrame {
    const at = this.columns.findIndex((n) => n.toLowerCase() === existing.toLowerCase());
    if (at < 0) return this;
    return this.selectExprs(
      this.columns.map((n, i) => (i === at ? E.alias(E.column(n), newName) : E.column(n))),
    );
  }

  /** Drops columns by name or Column; unknown names are ignored (as in Spark). */
  drop(...cols: ColumnOrName[]): DataFrame {
    const drop = new Set<number>();
    for (const c of cols) {
      if (typeof c === "string") {
        this.columns.forEach((n, i) => {
          if (n.toLowerCase() === c.toLowerCase()) drop.add(i);
        });
      } else if (c.expr.kind === "Column") {
        drop.add(resolveName(this.schema, c.expr.name, c.expr.qualifier));
      } else {
        throw new AnalysisError("drop() takes column names or column references");
      }
    }
    if (drop.size === 0) return this;
    return this.selectExprs(this.columns.flatMap((n, i) => (drop.has(i) ? [] : [E.column(n)])));
  }

  /** The first `n` rows. */
  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0)
      throw new AnalysisError(`limit(${n}): the limit must be a non-negative integer`);
    return this.with({ kind: "Limit", id: newPlanId(), input: this.plan, n, schema: this.schema });
  }

  /** Union by position (Spark's `union`/`unionAll`: duplicates kept). Column types are widened. */
  union(other: DataFrame): DataFrame {
    const a = this.schema.fields;
    const b = other.schema.fields;
    if (a.length !== b.length) {
      throw new AnalysisError(
        `union: the inputs have ${a.length} and ${b.length} columns; union matches columns by position ` +
          `and needs the same number (use unionByName(other, true) to fill missing columns)`,
      );
    }
    const fields: Field[] = a.map((f, i) => {
      const g = b[i]!;
      const t = commonType(f.type, g.type);
      if (!t) {
        throw new AnalysisError(
          `union: column ${i + 1} has incompatible types ${typeName(f.type)} ("${f.name}") and ${typeName(g.type)} ("${g.name}")`,
        );
      }
      return { name: f.name, type: t, nullable: f.nullable || g.nullable };
    });
    const schema: Schema = { fields };
    const widen = (df: DataFrame): LogicalPlan => {
      if (df.schema.fields.every((f, i) => typeEquals(f.type, fields[i]!.type))) return df.plan;
      const exprs = df.schema.fields.map((f, i) => {
        const ref = E.ref(i, f.name, f.type, f.nullable);
        return typeEquals(f.type, fields[i]!.type) ? ref : E.alias(E.cast(ref, fields[i]!.type), f.name);
      });
      return {
        kind: "Project",
        id: newPlanId(),
        input: df.plan,
        exprs,
        schema: { fields: df.schema.fields.map((f, i) => ({ ...f, type: fields[i]!.type })) },
      };
    };
    const inputs = [this, other].flatMap((df) => {
      const p = widen(df);
      return p.kind === "Union" ? p.inputs : [p];
    });
    return this.with({ kind: "Union", id: newPlanId(), inputs, schema });
  }
  /** Alias of `union`. */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** Union matching columns by name; with `allowMissingColumns`, absent columns become null. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    const mine = this.columns;
    const theirs = other.columns;
    const lower = (s: string) => s.toLowerCase();
    const missingInOther = mine.filter((n) => !theirs.some((t) => lower(t) === lower(n)));
    const missingInThis = theirs.filter((n) => !mine.some((t) => lower(t) === lower(n)));
    if (!allowMissingColumns && (missingInOther.length || missingInThis.length)) {
      const n = missingInOther[0] ?? missingInThis[0];
      throw new AnalysisError(
        `unionByName: column "${n}" is missing from one input (this: [${mine.join(", ")}], other: [${theirs.join(", ")}]); ` +
          `pass allowMissingColumns=true to fill it with nulls`,
      );
    }
    const all = [...mine, ...missingInThis];
    const pick = (df: DataFrame, ref: DataFrame) =>
      df.selectExprs(
        all.map((n) => {
          const at = df.columns.findIndex((c) => lower(c) === lower(n));
          if (at >= 0) return E.column(df.columns[at]!);
          const t = ref.schema.fields[ref.columns.findIndex((c) => lower(c) === lower(n))]!.type;
          return E.alias(E.cast(E.lit(null, { kind: "null" }), t), n);
        }),
      );
    return pick(this, other).union(pick(other, this));
  }

  /** A random sample: `sample(fraction, seed?)` or `sample(withReplacement, fraction, seed?)`. */
  sample(a: number | boolean, b?: number, c?: number): DataFrame {
    const withReplacement = typeof a === "boolean" ? a : false;
    const fraction = typeof a === "boolean" ? b : a;
    const seed = typeof a === "boolean" ? c : b;
    if (fraction === undefined || !(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new AnalysisError(
        `sample: fraction must be in [0, 1] without replacement (>= 0 with), got ${fraction}`,
      );
    }
    return this.with({
      kind: "Sample",
      id: newPlanId(),
      input: this.plan,
      fraction,
      withReplacement,
      seed: seed ?? Math.floor(Math.random() * 2 ** 31),
      schema: this.schema,
    });
  }

  /** Keeps this DataFrame's partitions after they are first computed (in driver memory). */
  cache(): DataFrame {
    return this.persist();
  }
  persist(): DataFrame {
    if (this.plan.kind === "Cache") return this;
    const cacheId = `cache-${newPlanId()}`;
    return this.with({ kind: "Cache", id: newPlanId(), input: this.plan, cacheId, schema: this.schema });
  }
  /** Drops cached data. */
  unpersist(): DataFrame {
    if (this.plan.kind !== "Cache") return this;
    this.session.uncache(this.plan.cacheId);
    return new DataFrame(this.session, this.plan.input);
  }

  // ---- shuffles ------------------------------------------------------------------------------

  /** Groups rows by keys for `agg`, `count`, `sum`... (no keys: one global group). */
  groupBy(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, (cols.flat() as ColumnOrName[]).map(nameToExpr));
  }
  /** Alias of `groupBy`. */
  groupby(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return this.groupBy(...cols);
  }

  /** Aggregates over all rows: `df.agg(F.max("x"))` is `df.groupBy().agg(F.max("x"))`. */
  agg(...exprs: (Column | Readonly<Record<string, string>>)[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  /** Sorts globally: names or Columns, with `.desc()`, `.asc_nulls_last()`... (ascending, nulls first by default). */
  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const orders = (cols.flat() as ColumnOrName[]).map((c) => {
      const r = resolveExpr(nameToExpr(c), this.schema);
      return r.kind === "SortOrder" ? r : E.sortOrder(r, true, true);
    });
    if (orders.length === 0) throw new AnalysisError("orderBy() needs at least one column");
    return this.with({ kind: "Sort", id: newPlanId(), input: this.plan, orders, schema: this.schema });
  }
  /** Alias of `orderBy`. */
  sort(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    return this.orderBy(...cols);
  }

  /**
   * Joins with another DataFrame: `on` is a column name or names (one key column in the
   * output, Spark's `using`), or a boolean Column (`a.col("id").eq(b.col("id"))`). `how`:
   * inner (default), left, right, full/outer, left_semi, left_anti, cross.
   */
  join(other: DataFrame, on?: string | string[] | Column, how = "inner"): DataFrame {
    const t = parseJoinType(how);
    if (on === undefined)
      return this.with(joinOnExpr(this.plan, other.plan, null, t === "inner" ? "cross" : t));
    if (typeof on === "string" || Array.isArray(on)) {
      return this.with(joinUsing(this.plan, other.plan, typeof on === "string" ? [on] : on, t));
    }
    return this.with(joinOnExpr(this.plan, other.plan, on.expr, t));
  }

  /** The cartesian product with another DataFrame. */
  crossJoin(other: DataFrame): DataFrame {
    return this.with(joinOnExpr(this.plan, other.plan, null, "cross"));
  }

  /** Distinct rows. */
  distinct(): DataFrame {
    return this.with(
      planAggregation(
        this.plan,
        this.columns.map((n) => E.column(n)),
        [],
      ),
    );
  }

  /** The first row (in input order within each partition) of each distinct `subset` (default: all columns). */
  dropDuplicates(subset?: string[]): DataFrame {
    if (!subset || subset.length === 0) return this.distinct();
    const keys = subset.map((n) => this.schema.fields[resolveName(this.schema, n)]!.name);
    const rest = this.columns.filter((n) => !keys.includes(n));
    const grouped = planAggregation(
      this.plan,
      keys.map((k) => E.column(k)),
      rest.map((n) => E.alias(E.call("first", E.column(n)), n)),
    );
    return this.with(grouped).select(...this.columns);
  }
  /** Alias of `dropDuplicates`. */
  drop_duplicates(subset?: string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  /** Rows in both (distinct). */
  intersect(other: DataFrame): DataFrame {
    return setOperation(this, other, "intersect");
  }
  /** Rows in both, as many times as in both (min of the counts). */
  intersectAll(other: DataFrame): DataFrame {
    return setOperation(this, other, "intersectAll");
  }
  /** Rows of this one not in `other`, keeping duplicates (count difference). */
  exceptAll(other: DataFrame): DataFrame {
    return setOperation(this, other, "exceptAll");
  }
  /** Distinct rows of this one not in `other` (SQL EXCEPT). */
  subtract(other: DataFrame): DataFrame {
    return setOperation(this, other, "subtract");
  }

  /** Redistributes rows into `n` partitions by hash of `cols` (round-robin without columns). */
  repartition(n: number, ...cols: ColumnOrName[]): DataFrame {
    if (!Number.isInteger(n) || n < 1)
      throw new AnalysisError(`repartition(${n}): the number of partitions must be a positive integer`);
    const keys = cols.map((c) => resolveExpr(nameToExpr(c), this.schema));
    return this.with({
      kind: "Repartition",
      id: newPlanId(),
      input: this.plan,
      numPartitions: n,
      keys,
      shuffle: true,
      schema: this.schema,
    });
  }

  /** Fewer partitions without a shuffle (adjacent partitions are concatenated). */
  coalesce(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 1)
      throw new AnalysisError(`coalesce(${n}): the number of partitions must be a positive integer`);
    return this.with({
      kind: "Repartition",
      id: newPlanId(),
      input: this.plan,
      numPartitions: n,
      keys: [],
      shuffle: false,
      schema: this.schema,
    });
  }

  /** The same rows under an alias, so that `col("alias.column")` reaches them (e.g. in a self-join). */
  alias(name: string): DataFrame {
    const exprs = this.schema.fields.map((f, i) => E.ref(i, f.name, f.type, f.nullable));
    const schema = { fields: this.schema.fields.map((f) => ({ ...f, qualifier: name })) };
    return this.with({ kind: "Project", id: newPlanId(), input: this.plan, exprs, schema });
  }

  /** @internal Marks this DataFrame to be broadcast in joins (`F.broadcast(df)`). */
  hintBroadcast(): DataFrame {
    return this.with({
      kind: "Hint",
      id: newPlanId(),
      input: this.plan,
      hint: "broadcast",
      schema: this.schema,
    });
  }

  // ---- actions ---------------------------------------------------------------------------

  /** All rows as plain objects (int64 → number, timestamps and dates → Date). */
  async collect(opts: CollectOptions = {}): Promise<Record<string, unknown>[]> {
    const batches = await this.session.runCollect(this.plan);
    return batchToRows(concatBatches(this.schema, batches), opts);
  }

  /** The result as an Arrow table (exact int64 and µs timestamps). */
  async toArrow(): Promise<arrow.Table> {
    return batchesToTable(this.schema, await this.session.runCollect(this.plan));
  }

  /** The number of rows. */
  async count(): Promise<number> {
    return this.session.runCount(this.plan);
  }

  /** The first `n` rows. */
  async take(n: number, opts: CollectOptions = {}): Promise<Record<string, unknown>[]> {
    return this.limit(n).collect(opts);
  }
  async head(n = 1): Promise<Record<string, unknown>[]> {
    return this.take(n);
  }
  /** The first row, or undefined when empty. */
  async first(): Promise<Record<string, unknown> | undefined> {
    return (await this.take(1))[0];
  }

  /** Prints the first `n` rows as Spark's table; `truncate` cuts cells to 20 characters (or to a number). */
  async show(n: number | boolean = 20, truncate: boolean | number = true, vertical = false): Promise<void> {
    // show(false) means "do not truncate", as in Spark Scala.
    if (typeof n === "boolean") console.log(await this.showString(20, n, vertical));
    else console.log(await this.showString(n, truncate, vertical));
  }

  /** The text `show()` prints. */
  async showString(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    const batches = await this.session.runCollect(this.limit(n + 1).plan);
    const all = concatBatches(this.schema, batches);
    const timeZone = this.session.conf.get("kindling.sql.session.timeZone");
    return formatShow(this.schema, all, { n, truncate, vertical, hasMore: all.numRows > n, timeZone });
  }

  /** Prints the logical, optimized and physical plans (physical with stage boundaries). */
  explain(mode: ExplainMode | boolean = "simple"): void {
    console.log(this.explainString(mode));
  }
  explainString(mode: ExplainMode | boolean = "simple"): string {
    return this.session.explain(this.plan, mode === true ? "extended" : mode === false ? "simple" : mode);
  }

  /** Writes this DataFrame: `df.write.mode("overwrite").partitionBy("d").parquet(path)`. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }

  // ---- internals -------------------------------------------------------------------------

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }

  private selectExprs(exprs: Expr[]): DataFrame {
    if (exprs.some((e) => e.kind === "Call" && isAggregateFunction(e.fn)) && !hasWindow(exprs)) {
      // select(F.sum("x")) without groupBy is a global aggregation, as in Spark.
      const onlyAggs = exprs.every((e) => {
        const b = e.kind === "Alias" ? e.child : e;
        return b.kind === "Call" && isAggregateFunction(b.fn);
      });
      if (onlyAggs) return this.with(planAggregation(this.plan, [], exprs));
    }
    let input = this.plan;
    let list = exprs;
    if (hasWindow(exprs)) {
      // Window functions run in Window nodes below the projection; names keep Spark's text.
      const named = exprs.map((e) =>
        e.kind === "Alias" || e.kind === "Column" || e.kind === "Star" ? e : E.alias(e, exprName(e)),
      );
      ({ plan: input, exprs: list } = planWindows(this.plan, named));
    }
    const { exprs: resolved, schema } = resolveProjection(list, input.schema);
    return this.with({ kind: "Project", id: newPlanId(), input, exprs: resolved, schema });
  }

  /** @internal A DataFrame over another plan of the same session. */
  withPlan(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }
}

/** Records in each output field that it is reachable from this plan (for `df.col(x)` after joins). */
export function stampOrigins(plan: LogicalPlan): LogicalPlan {
  const fields = plan.schema.fields.map((f) =>
    f.origins?.includes(plan.id) ? f : { ...f, origins: [...(f.origins ?? []), plan.id] },
  );
  return { ...plan, schema: { fields } } as LogicalPlan;
}
