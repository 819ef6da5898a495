// Job, stage and task events: the console progress bar (Spark's
// `[Stage 2:=====>        (12 + 2) / 40]`, on a terminal only) and the JSON-lines event log.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** What the scheduler and session report as a job runs. */
export interface JobListener {
  onJobStart?(jobId: string, description: string): void;
  onJobEnd?(jobId: string, ok: boolean, error?: string): void;
  onStageStart?(jobId: string, stageId: number, numTasks: number, kind: string): void;
  onTaskStart?(jobId: string, stageId: number, partition: number, attempt: number): void;
  onTaskEnd?(
    jobId: string,
    stageId: number,
    partition: number,
    attempt: number,
    outcome: { ok: boolean; ms: number; rows?: number; error?: string },
  ): void;
  onStageEnd?(jobId: string, stageId: number, ok: boolean): void;
}

/** Fans events out to several listeners. */
export function combineListeners(ls: readonly JobListener[]): JobListener {
  const each =
    <K extends keyof JobListener>(k: K) =>
    (...args: Parameters<NonNullable<JobListener[K]>>) => {
      for (const l of ls) (l[k] as ((...a: unknown[]) => void) | undefined)?.(...args);
    };
  return {
    onJobStart: each("onJobStart"),
    onJobEnd: each("onJobEnd"),
    onStageStart: each("onStageStart"),
    onTaskStart: each("onTaskStart"),
    onTaskEnd: each("onTaskEnd"),
    onStageEnd: each("onStageEnd"),
  };
}

/** Appends one JSON object per event to `path`. */
export class EventLog implements JobListener {
  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }
  private write(event: string, fields: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  }
  onJobStart(jobId: string, description: string): void {
    this.write("JobStart", { jobId, description });
  }
  onJobEnd(jobId: string, ok: boolean, error?: string): void {
    this.write("JobEnd", { jobId, status: ok ? "succeeded" : "failed", ...(error ? { error } : {}) });
  }
  onStageStart(jobId: string, stageId: number, numTasks: number, kind: string): void {
    this.write("StageSubmitted", { jobId, stageId, numTasks, kind });
  }
  onTaskEnd(
    jobId: string,
    stageId: number,
    partition: number,
    attempt: number,
    o: { ok: boolean; ms: number; rows?: number; error?: string },
  ): void {
    this.write("TaskEnd", {
      jobId,
      stageId,
      partition,
      attempt,
      status: o.ok ? "succeeded" : "failed",
      ms: Math.round(o.ms),
      ...(o.rows !== undefined ? { rows: o.rows } : {}),
      ...(o.error ? { error: o.error } : {}),
    });
  }
  onStageEnd(jobId: string, stageId: number, ok: boolean): void {
    this.write("StageCompleted", { jobId, stageId, status: ok ? "succeeded" : "failed" });
  }
}

interface StageProgress {
  readonly total: number;
  done: number;
  running: number;
  readonly started: number;
}

/**
 * Spark's console progress bar: shown for stages running longer than `delayMs`, redrawn at
 * most every 200 ms on one line of `out`, cleared when the stage ends.
 */
export class ConsoleProgress implements JobListener {
  private readonly stages = new Map<number, StageProgress>();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly delayMs = 500,
    private readonly width = 80,
  ) {}

  onStageStart(_job: string, stageId: number, numTasks: number): void {
    this.stages.set(stageId, { total: numTasks, done: 0, running: 0, started: Date.now() });
  }
  onTaskStart(_job: string, stageId: number): void {
    const s = this.stages.get(stageId);
    if (s) s.running++;
    this.draw();
  }
  onTaskEnd(_job: string, stageId: number, _p: number, _a: number, o: { ok: boolean }): void {
    const s = this.stages.get(stageId);
    if (s) {
      s.running--;
      if (o.ok) s.done++;
    }
    this.draw();
  }
  onStageEnd(_job: string, stageId: number): void {
    this.stages.delete(stageId);
    if (this.drawn) {
      this.out.write(`\r${" ".repeat(this.width)}\r`);
      this.drawn = false;
    }
  }

  /** The bar text for one stage (exported shape for tests via `render`). */
  static render(stageId: number, s: { total: number; done: number; running: number }, width: number): string {
    const header = `[Stage ${stageId}:`;
    const tail = ` (${s.done} + ${s.running}) / ${s.total}]`;
    const w = Math.max(0, width - header.length - tail.length);
    const percent = s.total ? Math.floor((w * s.done) / s.total) : 0;
    const bar = "=".repeat(percent) + (percent < w ? ">" : "") + " ".repeat(Math.max(0, w - percent - 1));
    return header + bar + tail;
  }

  private draw(): void {
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    const shown = [...this.stages.entries()].filter(([, s]) => now - s.started >= this.delayMs);
    if (shown.length === 0) return;
    this.lastDraw = now;
    const per = Math.floor(this.width / shown.length);
    this.out.write(`\r${shown.map(([id, s]) => ConsoleProgress.render(id, s, per)).join("")}`);
    this.drawn = true;
  }
}
