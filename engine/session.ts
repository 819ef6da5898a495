// Session: the entry point (`Session.builder().master("local[2]").getOrCreate()`). Owns the
// configuration, the executor (thread pool now, cluster later), cached data, and runs jobs:
// optimize → plan physically → run the stage's tasks → assemble results or commit output.
import { randomBytes } from "node:crypto";
import { join, resolve as resolvePath } from "node:path";
import * as arrow from "apache-arrow";
import type { ExplainMode } from "./api/dataframe.js";
import { DataFrame } from "./api/dataframe.js";
import { DataFrameReader } from "./api/reader.js";
import type { WriteSpec, WriteSummary } from "./api/writer.js";
import { batchesFromIPC, batchesToIPC, schemaFromArrow, tableToBatches } from "./columnar/arrow.js";
import { columnFromValues, type JsValue } from "./columnar/builders.js";
import type { Batch } from "./columnar/column.js";
import { concatBatches, sliceBatch } from "./columnar/ops.js";
import { RuntimeConfig } from "./config.js";
import { AnalysisError, ConfigError, TaskError, WriteError } from "./errors.js";
import { BlockStore } from "./exec/block-store.js";
import { ConsoleProgress, combineListeners, EventLog, type JobListener } from "./exec/events.js";
import { createExecutor, type Executor } from "./exec/executor.js";
import { packShared } from "./exec/operators/shuffle-write.js";
import { type CompletedTask, type LostOutput, runStage, type StageRequest } from "./exec/scheduler.js";
import { shufflesRead, stageInputs } from "./exec/stage-inputs.js";
import type { TaskOutput } from "./exec/task.js";
import type { CompileContext } from "./expr/registry.js";
import { FileCommitter } from "./io/commit.js";
import { explainPlans } from "./plan/explain.js";
import { type LogicalPlan, newPlanId, transformPlanUp } from "./plan/logical.js";
import { optimize } from "./plan/optimizer/index.js";
import {
  numPartitions,
  type Partitioning,
  type PhysicalPlan,
  type ShuffleReadExec,
} from "./plan/physical.js";
import { type PlannerEnv, planQuery } from "./plan/planner.js";
import { type DataType, type Field, type Schema, T } from "./types/data-type.js";
import { parseDDL } from "./types/ddl.js";

/** `spark.conf`: get and set configuration at runtime. */
export type RuntimeConf = Pick<RuntimeConfig, "get" | "set" | "unset" | "getInt">;

let active: Session | undefined;

/** Builds or returns the active session. */
export class SessionBuilder {
  private readonly settings = new Map<string, string>();

  appName(name: string): this {
    return this.config("kindling.app.name", name);
  }
  master(url: string): this {
    return this.config("kindling.master", url);
  }
  config(key: string, value: string | number | boolean): this {
    this.settings.set(key, String(value));
    return this;
  }

  /** Returns the active session (applying this builder's settings to it) or starts a new one. */
  async getOrCreate(): Promise<Session> {
    if (active && !active.stopped) {
      for (const [k, v] of this.settings) if (k !== "kindling.master") active.conf.set(k, v);
      return active;
    }
    const conf = new RuntimeConfig(this.settings);
    // KINDLING_MASTER overrides the master set in code (so a local script runs on a cluster).
    const envMaster = process.env.KINDLING_MASTER;
    if (envMaster) conf.set("kindling.master", envMaster);
    const executor = createExecutor(conf.get("kindling.master"), conf.entries());
    active = new Session(conf, executor);
    return active;
  }
}

/** A Kindling session: reads data, builds DataFrames, runs their jobs. */
export class Session {
  /** Cached subtrees and large in-memory relations, as readers of their pinned blocks. */
  private readonly pinned = new Map<string, ShuffleReadExec>();
  /** @internal */ stopped = false;
  private jobCounter = 0;
  private shuffleCounter = 0;
  /**
   * Shuffle map outputs of running jobs: their bytes in local mode, where the workers keep
   * them in cluster mode; and the blocks of cached partitions in every mode.
   */
  private readonly blocks: BlockStore;
  /** Lineage of the running jobs' shuffles: how to rerun a map task whose output was lost. */
  private readonly mapStages = new Map<number, MapStage>();
  /** Reruns of lost map tasks in progress, by shuffle. */
  private readonly rerunning = new Map<number, Promise<void>>();
  private readonly listeners: JobListener[] = [];
  private listener: JobListener = {};

  /** @internal */
  constructor(
    private readonly config: RuntimeConfig,
    private readonly executor: Executor,
  ) {
    this.blocks = new BlockStore(
      config.getInt("kindling.shuffle.memoryBudget"),
      config.get("kindling.local.dir") || undefined,
    );
    // Map outputs on a lost worker are forgotten now and rerun when a stage next needs them.
    executor.onHoldersLost?.((ids) => {
      for (const id of ids) this.blocks.forgetHolder(id);
    });
    if (config.get("kindling.ui.showProgress") === "true" && process.stderr.isTTY)
      this.addListener(new ConsoleProgress());
    const logDir = config.get("kindling.eventLog.dir");
    if (logDir) {
      const name = `${config.get("kindling.app.name")}-${new Date().toISOString().replaceAll(":", "-")}-${process.pid}.jsonl`;
      this.addListener(new EventLog(join(logDir, name)));
    }
  }

  /** Adds a listener of job, stage and task events (progress bars, event logs, tests). */
  addListener(l: JobListener): void {
    this.listeners.push(l);
    this.listener = combineListeners(this.listeners);
  }

  /** Removes a listener added with `addListener`. */
  removeListener(l: JobListener): void {
    const i = this.listeners.indexOf(l);
    if (i >= 0) this.listeners.splice(i, 1);
    this.listener = combineListeners(this.listeners);
  }

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  /** The active session, if any. */
  static getActiveSession(): Session | undefined {
    return active && !active.stopped ? active : undefined;
  }

  get conf(): RuntimeConf {
    return this.config;
  }

  /** Task slots of the executor. */
  get parallelism(): number {
    return this.executor.parallelism;
  }

  /** A reader for CSV, Parquet and JSON files. */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /**
   * A DataFrame from JS rows (objects or arrays) or an Arrow table. Without a schema, types are
   * inferred from the values (integers that fit → int, other numbers → double, bigint → bigint,
   * Date → timestamp, string, boolean).
   */
  createDataFrame(
    data: readonly (Record<string, unknown> | readonly unknown[])[] | arrow.Table,
    schema?: Schema | string | string[],
  ): DataFrame {
    let batches: Batch[];
    let s: Schema;
    if (data instanceof arrow.Table) {
      batches = tableToBatches(data);
      s = batches[0]?.schema ?? schemaFromArrow(data.schema);
    } else {
      const rows = data;
      const names: string[] | undefined = Array.isArray(schema) ? schema : undefined;
      const given =
        typeof schema === "string"
          ? parseDDL(schema)
          : schema && !Array.isArray(schema)
            ? (schema as Schema)
            : undefined;
      const colNames =
        given?.fields.map((f) => f.name) ??
        names ??
        (rows.length && !Array.isArray(rows[0])
          ? Object.keys(rows[0] as object)
          : ((rows[0] as unknown[] | undefined)?.map((_, i) => `_${i + 1}`) ?? []));
      const valuesOf = (j: number, name: string): JsValue[] =>
        rows.map((r) => (Array.isArray(r) ? r[j] : (r as Record<string, unknown>)[name]) as JsValue);
      const fields: Field[] = colNames.map((name, j) => {
        const g = given?.fields[j];
        return g ?? { name, type: inferType(valuesOf(j, name), name), nullable: true };
      });
      s = { fields };
      const columns = fields.map((f, j) => columnFromValues(f.type, valuesOf(j, f.name)));
      batches = [{ schema: s, columns, numRows: rows.length }];
    }
    const numRows = batches.reduce((n, b) => n + b.numRows, 0);
    const ipc = batchesToIPC(s, batches);
    return new DataFrame(this, { kind: "LocalRelation", id: newPlanId(), ipc, numRows, schema: s });
  }

  /** A single-column (`id`, bigint) DataFrame of start..end (exclusive) by step. */
  range(start: number, end?: number, step = 1): DataFrame {
    const [lo, hi] = end === undefined ? [0, start] : [start, end];
    const n = Math.max(0, Math.ceil((hi - lo) / step));
    const values = new BigInt64Array(n);
    for (let i = 0; i < n; i++) values[i] = BigInt(lo + i * step);
    const schema: Schema = { fields: [{ name: "id", type: T.int64, nullable: false }] };
    const ipc = batchesToIPC(schema, [
      { schema, columns: [{ type: T.int64, length: n, valid: null, values }], numRows: n },
    ]);
    return new DataFrame(this, { kind: "LocalRelation", id: newPlanId(), ipc, numRows: n, schema });
  }

  /** Stops the executor; the session cannot run jobs afterwards. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pinned.clear();
    if (active === this) active = undefined;
    this.blocks.clear();
    await this.executor.close();
  }

  // ---- job execution (internal) ----------------------------------------------------------

  /** @internal Runs a plan and returns its batches in partition order. */
  async runCollect(plan: LogicalPlan): Promise<Batch[]> {
    return this.runJob("collect", async (job) => {
      const { plan: physical, finalLimit } = await planQuery(
        optimize(plan, job.ctx),
        this.plannerEnv(job),
        true,
      );
      const batches = await this.collectStage(job, physical);
      return finalLimit === null ? batches : limitBatches(batches, finalLimit);
    });
  }

  /** @internal Counts the rows of a plan without materializing its columns. */
  async runCount(plan: LogicalPlan): Promise<number> {
    return this.runJob("count", async (job) => {
      const counted: LogicalPlan = {
        kind: "Project",
        id: newPlanId(),
        input: plan,
        exprs: [],
        schema: { fields: [] },
      };
      const { plan: physical, finalLimit } = await planQuery(
        optimize(counted, job.ctx),
        this.plannerEnv(job),
        true,
      );
      const done = await this.stage(job, physical, "count");
      const total = done.reduce((n, t) => n + t.result.numRows, 0);
      return finalLimit === null ? total : Math.min(total, finalLimit);
    });
  }

  /** @internal Runs a write job through the commit protocol. */
  async runWrite(plan: LogicalPlan, spec: WriteSpec): Promise<WriteSummary> {
    const path = resolvePath(spec.path);
    if (spec.mode === "overwrite") assertNotReadingFrom(plan, path);
    return this.runJob(`write ${spec.format} ${path}`, (job) => this.writeJob(job, plan, spec, path));
  }

  private async writeJob(job: Job, plan: LogicalPlan, spec: WriteSpec, path: string): Promise<WriteSummary> {
    const committer = new FileCommitter(path, spec.mode, {
      partitionOverwriteMode: spec.options.partitionoverwritemode === "dynamic" ? "dynamic" : "static",
      jobId: job.id,
    });
    if (!committer.setupJob()) return { path, files: [], rows: 0, written: false };
    try {
      const { plan: input } = await planQuery(optimize(plan, job.ctx), this.plannerEnv(job), false);
      const options: Record<string, string> = { ...spec.options };
      if (spec.format === "parquet" && options.compression === undefined) {
        options.compression = this.config.get("kindling.sql.parquet.compression");
      }
      const physical: PhysicalPlan = {
        kind: "WriteFilesExec",
        input,
        format: spec.format,
        jobRoot: committer.jobRoot,
        partitionBy: spec.partitionBy,
        options,
        schema: { fields: [] },
      };
      await this.stage(job, physical, "write", {
        onTaskDone: (t) => committer.commitTask(t.partition, t.attempt, t.result.files),
        onTaskFailed: (p, a) => committer.abortTask(p, a),
      });
      const { files, rows } = await committer.commitJob(spec.extraFiles);
      return { path, files, rows, written: true };
    } catch (err) {
      committer.abortJob();
      throw err;
    }
  }

  /** Runs an action's job: events around it, and its shuffle blocks dropped at the end. */
  private async runJob<T>(description: string, body: (job: Job) => Promise<T>): Promise<T> {
    const job = this.newJob(description);
    try {
      const out = await body(job);
      this.endJob(job);
      return out;
    } catch (err) {
      this.endJob(job, err);
      throw err;
    }
  }

  /** @internal The explain text for a plan. */
  explain(plan: LogicalPlan, mode: ExplainMode): string {
    const ctx = this.compileContext();
    const optimized = optimize(plan, ctx);
    const env = this.plannerEnv(this.newJob());
    return explainPlans(plan, optimized, mode, {
      parallelism: this.executor.parallelism,
      shufflePartitions: env.shufflePartitions,
      broadcastThreshold: env.broadcastThreshold,
    });
  }

  private plannerEnv(job: Job): PlannerEnv {
    const configured = this.config.get("kindling.sql.shuffle.partitions");
    const threshold = this.config.getInt("kindling.sql.autoBroadcastJoinThreshold");
    return {
      ctx: job.ctx,
      targetBytes: this.config.getInt("kindling.sql.files.maxPartitionBytes"),
      localRowsPerPartition: 65536,
      shufflePartitions: configured
        ? this.config.getInt("kindling.sql.shuffle.partitions")
        : 2 * this.executor.parallelism,
      broadcastThreshold: threshold < 0 ? -1 : threshold,
      exchange: (child, partitioning) => this.exchange(job, child, partitioning),
      collect: (plan) => this.collectStage(job, plan),
      localBlocks: (key, ipc, _numRows, schema) => {
        const known = this.pinned.get(key);
        if (known) return known;
        const all = concatBatches(schema, batchesFromIPC(ipc).batches);
        const parts: Uint8Array[] = [];
        for (let s = 0; s < Math.max(1, all.numRows); s += 65536) {
          parts.push(batchesToIPC(schema, [sliceBatch(all, s, Math.min(all.numRows, s + 65536))]));
        }
        return this.pin(key, parts, schema);
      },
      cached: async (cacheId, child) => {
        const known = this.pinned.get(cacheId);
        if (known) return known;
        const done = await this.stage(job, child, "collect");
        return this.pin(
          cacheId,
          done.map((t) => t.data[0] ?? new Uint8Array(0)),
          child.schema,
        );
      },
    };
  }

  /** Keeps per-partition blocks for the session's life; partition i of the reader reads block i. */
  private pin(key: string, parts: readonly Uint8Array[], schema: Schema): ShuffleReadExec {
    const shuffleId = this.shuffleCounter++;
    this.blocks.putMapOutput(shuffleId, 0, packShared([...parts]));
    const reader: ShuffleReadExec = {
      kind: "ShuffleReadExec",
      shuffleId,
      numPartitions: parts.length,
      broadcast: false,
      schema,
    };
    this.pinned.set(key, reader);
    return reader;
  }

  /** @internal Drops a cached subtree's blocks (`unpersist`). */
  uncache(cacheId: string): void {
    const reader = this.pinned.get(cacheId);
    if (!reader) return;
    this.pinned.delete(cacheId);
    this.blocks.removeShuffle(reader.shuffleId);
  }

  private compileContext(): CompileContext {
    return { timeZone: this.config.get("kindling.sql.session.timeZone"), nowMicros: Date.now() * 1000 };
  }

  /** Runs `child` as a map stage and returns the reader of its blocks. */
  private async exchange(
    job: Job,
    child: PhysicalPlan,
    partitioning: Partitioning,
  ): Promise<ShuffleReadExec> {
    const shuffleId = this.shuffleCounter++;
    job.shuffles.push(shuffleId);
    const root: PhysicalPlan = {
      kind: "ShuffleWriteExec",
      input: child,
      shuffleId,
      partitioning,
      schema: child.schema,
    };
    const ms: MapStage = { job, root, stageId: job.stageIds(), nextAttempt: 0 };
    this.mapStages.set(shuffleId, ms);
    this.blocks.declareShuffle(shuffleId, numPartitions(child));
    await this.stage(job, root, "shuffle", this.mapHooks(shuffleId, ms), ms.stageId);
    // Outputs lost while the stage ran (their worker died) are rerun before anything reads them.
    await this.ensureShuffle(shuffleId);
    const reduce =
      partitioning.kind === "hash" || partitioning.kind === "range" || partitioning.kind === "roundRobin"
        ? partitioning.numPartitions
        : 1;
    return {
      kind: "ShuffleReadExec",
      shuffleId,
      numPartitions: reduce,
      broadcast: partitioning.kind === "broadcast",
      schema: child.schema,
    };
  }

  /** Runs a plan's partitions and returns their batches in partition order. */
  private async collectStage(job: Job, plan: PhysicalPlan): Promise<Batch[]> {
    const done = await this.stage(job, plan, "collect");
    return done.flatMap((t) => t.data.flatMap((bytes) => batchesFromIPC(bytes).batches));
  }

  /** Registers each map task's output as it finishes (blocks, or where a worker keeps them). */
  private mapHooks(shuffleId: number, ms: MapStage): Pick<StageRequest, "onTaskDone" | "onTaskFailed"> {
    return {
      onTaskDone: (t: CompletedTask) => {
        ms.nextAttempt = Math.max(ms.nextAttempt, t.attempt + 1);
        if (t.holder) {
          this.blocks.putHeldMapOutput(
            shuffleId,
            t.partition,
            t.holder,
            t.result.mapOutput?.blockSizes ?? [],
          );
        } else {
          this.blocks.putMapOutput(shuffleId, t.partition, t.data);
        }
        return true;
      },
      onTaskFailed: (_p, attempt) => {
        ms.nextAttempt = Math.max(ms.nextAttempt, attempt + 1);
      },
    };
  }

  /**
   * Recomputes lost map output after a fetch failure (or a lost worker): forgets what the
   * failed holder kept, then reruns the missing map tasks of the shuffles the stage reads.
   */
  private async recover(lost: LostOutput, reads: ReadonlySet<number>): Promise<void> {
    if (lost.kind === "fetchFailed" && lost.failure.workerId) this.blocks.forgetHolder(lost.failure.workerId);
    for (const id of reads) await this.ensureShuffle(id);
  }

  /**
   * Reruns the map tasks of a shuffle whose output is missing: only those partitions, as more
   * attempts of the map stage (so the event log shows which tasks ran again). A rerun whose
   * own inputs were lost recovers them first (runStage's `recover`).
   */
  private ensureShuffle(shuffleId: number): Promise<void> {
    const inflight = this.rerunning.get(shuffleId);
    if (inflight) return inflight;
    const ms = this.mapStages.get(shuffleId);
    if (!ms || this.blocks.missingMaps(shuffleId).length === 0) return Promise.resolve();
    const run = (async () => {
      for (let round = 1; ; round++) {
        const missing = this.blocks.missingMaps(shuffleId);
        if (missing.length === 0) return;
        if (round > MAX_STAGE_ATTEMPTS) {
          throw new TaskError(
            `Job aborted: the output of map task(s) ${missing.join(", ")} of stage ${ms.stageId} (shuffle ${shuffleId}) was lost ${MAX_STAGE_ATTEMPTS} times`,
            ms.stageId,
            missing[0]!,
            ms.nextAttempt,
            "FetchFailed",
            "",
          );
        }
        await this.stage(ms.job, ms.root, "shuffle", this.mapHooks(shuffleId, ms), ms.stageId, {
          partitions: missing,
          attemptBase: ms.nextAttempt,
        });
      }
    })().finally(() => this.rerunning.delete(shuffleId));
    this.rerunning.set(shuffleId, run);
    return run;
  }

  private endJob(job: Job, err?: unknown): void {
    for (const id of job.shuffles) {
      this.blocks.removeShuffle(id);
      this.mapStages.delete(id);
    }
    if (job.shuffles.length) this.executor.removeShuffles?.(job.shuffles);
    if (job.description) {
      this.listener.onJobEnd?.(
        job.id,
        err === undefined,
        err === undefined ? undefined : String((err as Error).message ?? err),
      );
    }
  }

  private newJob(description = ""): Job {
    if (this.stopped)
      throw new ConfigError(
        "this session was stopped; create a new one with Session.builder().getOrCreate()",
      );
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}-${this.jobCounter++}`;
    let stage = 0;
    if (description) this.listener.onJobStart?.(id, description);
    return { id, ctx: this.compileContext(), stageIds: () => stage++, shuffles: [], description };
  }

  private stage(
    job: Job,
    plan: PhysicalPlan,
    output: TaskOutput,
    hooks: Pick<StageRequest, "onTaskDone" | "onTaskFailed"> = {},
    stageId: number = job.stageIds(),
    rerun: Pick<StageRequest, "partitions" | "attemptBase"> = {},
  ) {
    const readsShuffle = plan.kind === "ShuffleWriteExec" ? plan.input : plan;
    const reads = shufflesRead(readsShuffle);
    return runStage(this.executor, {
      listener: this.listener,
      inputsFor: (p) => stageInputs(readsShuffle, p, this.blocks),
      ...(reads.size ? { recover: (lost: LostOutput) => this.recover(lost, reads) } : {}),
      maxStageAttempts: MAX_STAGE_ATTEMPTS,
      memoryBudget: this.config.getInt("kindling.executor.memoryBudget"),
      localDir: this.config.get("kindling.local.dir"),
      jobId: job.id,
      stageId,
      plan,
      output,
      timeZone: job.ctx.timeZone,
      nowMicros: job.ctx.nowMicros,
      batchSize: this.config.getInt("kindling.sql.batchSize"),
      maxAttempts: 4,
      ...hooks,
      ...rerun,
    });
  }
}

/** Stage attempts when map output is lost (Spark's spark.stage.maxConsecutiveAttempts). */
const MAX_STAGE_ATTEMPTS = 4;

/** How to rerun a shuffle's map tasks: the job, the map stage's plan and id, the next attempt number. */
interface MapStage {
  readonly job: Job;
  readonly root: PhysicalPlan;
  readonly stageId: number;
  nextAttempt: number;
}

/** One action's job: its id, compile context, stage counter and the shuffles it made. */
interface Job {
  readonly id: string;
  readonly ctx: CompileContext;
  readonly stageIds: () => number;
  readonly shuffles: number[];
  /** Empty for internal jobs (explain) that report no events. */
  readonly description: string;
}

function limitBatches(batches: Batch[], n: number): Batch[] {
  const out: Batch[] = [];
  let left = n;
  for (const b of batches) {
    if (left <= 0) break;
    out.push(b.numRows > left ? sliceBatch(b, 0, left) : b);
    left -= b.numRows;
  }
  return out;
}

/** Spark refuses to overwrite a path the same query reads from: the old data would vanish mid-read. */
function assertNotReadingFrom(plan: LogicalPlan, out: string): void {
  transformPlanUp(plan, (p) => {
    if (p.kind === "Scan") {
      for (const f of p.source.files) {
        if (f.path === out || f.path.startsWith(`${out}/`)) {
          throw new WriteError(`Cannot overwrite path ${out}: it is also being read from (${f.path})`);
        }
      }
    }
    return p;
  });
}

function inferType(values: readonly JsValue[], name: string): DataType {
  let t: DataType | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let vt: DataType;
    if (typeof v === "boolean") vt = T.boolean;
    else if (typeof v === "bigint") vt = T.int64;
    else if (typeof v === "number")
      vt =
        Number.isInteger(v) && Math.abs(v) <= 2147483647
          ? T.int32
          : Number.isSafeInteger(v)
            ? T.int64
            : T.float64;
    else if (typeof v === "string") vt = T.string;
    else if (v instanceof Date) vt = T.timestamp;
    else
      throw new AnalysisError(
        `createDataFrame: cannot infer the type of column "${name}" from value ${String(v)}`,
      );
    if (!t) t = vt;
    else if (t.kind !== vt.kind) {
      const num = ["int32", "int64", "float64"];
      if (num.includes(t.kind) && num.includes(vt.kind))
        t = num.indexOf(t.kind) > num.indexOf(vt.kind) ? t : vt;
      else throw new AnalysisError(`createDataFrame: column "${name}" mixes ${t.kind} and ${vt.kind} values`);
    }
  }
  return t ?? T.null;
}
