// The driver's view of the cluster's task slots: the live workers the master lists, how many
// of each worker's cores are busy with this driver's tasks, and which workers were lost.
// A task asks for a slot while naming the workers it already failed on; it gets a free slot
// elsewhere when one exists, waits when a worker it has not failed on is merely busy, and
// falls back to a worker it failed on only when no other live worker is left (Spark's
// per-task exclusion, best effort). Among free workers, a task prefers the one holding the
// most bytes of its input blocks (locality; it never waits for that worker).
import { ConfigError } from "../../engine/errors.js";

/** A worker as the pool knows it. */
export interface SlotWorker {
  readonly id: string;
  readonly address: string;
  readonly cores: number;
}

/** One slot held by one task. */
export interface Lease {
  readonly worker: SlotWorker;
}

interface Entry {
  readonly worker: SlotWorker;
  busy: number;
  /** A worker the master no longer lists: finishes its tasks, gets no new ones. */
  retired: boolean;
  lastUsed: number;
}

interface Waiter {
  readonly avoid: ReadonlySet<string>;
  /** Bytes of the task's input each worker holds. */
  readonly prefer: ReadonlyMap<string, number> | undefined;
  readonly resolve: (lease: Lease) => void;
  readonly reject: (err: unknown) => void;
  cleanup: () => void;
}

/** Slots of the live workers, handed to tasks in FIFO order. */
export class SlotPool {
  private readonly entries = new Map<string, Entry>();
  private readonly lost = new Set<string>();
  private waiters: Waiter[] = [];
  private uses = 0;

  constructor(
    /** How long a task waits when no live worker exists at all before failing. */
    private readonly noWorkerTimeoutMs: number,
    private readonly describeMaster: string,
  ) {}

  /** Replaces the worker list with the master's (workers lost here stay excluded). */
  update(live: readonly SlotWorker[]): void {
    const ids = new Set<string>();
    for (const w of live) {
      if (this.lost.has(w.id)) continue;
      ids.add(w.id);
      const e = this.entries.get(w.id);
      if (!e) this.entries.set(w.id, { worker: w, busy: 0, retired: false, lastUsed: 0 });
      else e.retired = false;
    }
    for (const [id, e] of this.entries) {
      if (ids.has(id)) continue;
      if (e.busy === 0) this.entries.delete(id);
      else e.retired = true;
    }
    this.dispatch();
  }

  /** Stops using a worker whose calls fail as unreachable (the master expires it in time). */
  markLost(id: string): void {
    this.lost.add(id);
    const e = this.entries.get(id);
    if (e) {
      if (e.busy === 0) this.entries.delete(id);
      else e.retired = true;
    }
    this.dispatch();
  }

  /** True when the pool has given up on this worker. */
  isLost(id: string): boolean {
    return this.lost.has(id);
  }

  /** Cores of the workers that take tasks. */
  get totalCores(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.retired) n += e.worker.cores;
    return n;
  }

  /** Workers that take tasks. */
  usableWorkers(): SlotWorker[] {
    return [...this.entries.values()].filter((e) => !e.retired).map((e) => e.worker);
  }

  /** Slots in use. */
  get busy(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.busy;
    return n;
  }

  /**
   * Waits for a free slot, preferring workers not in `avoid`, and among the free ones the
   * worker holding the most of the task's input (`prefer`: bytes by worker id).
   */
  acquire(
    avoid: ReadonlySet<string>,
    signal?: AbortSignal,
    prefer?: ReadonlyMap<string, number>,
  ): Promise<Lease> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { avoid, prefer, resolve, reject, cleanup: () => {} };
      const onAbort = () => {
        this.drop(waiter);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const timer = setInterval(() => {
        if (this.totalCores > 0) return;
        this.drop(waiter);
        reject(
          new ConfigError(
            `no live worker registered with the master at ${this.describeMaster} for ${this.noWorkerTimeoutMs} ms; start workers with \`kindling worker --master ${this.describeMaster}\``,
          ),
        );
      }, this.noWorkerTimeoutMs);
      timer.unref();
      waiter.cleanup = () => {
        clearInterval(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /** Gives a slot back. */
  release(lease: Lease): void {
    const e = this.entries.get(lease.worker.id);
    if (e) {
      e.busy--;
      if (e.retired && e.busy === 0) this.entries.delete(lease.worker.id);
    }
    this.dispatch();
  }

  private take(e: Entry): Lease {
    e.busy++;
    e.lastUsed = ++this.uses;
    return { worker: e.worker };
  }

  /** The free worker to use, or null to wait. */
  private pick(avoid: ReadonlySet<string>, prefer?: ReadonlyMap<string, number>): Entry | null {
    if (prefer?.size) {
      let local: Entry | null = null;
      let most = 0;
      for (const e of this.entries.values()) {
        const held = prefer.get(e.worker.id) ?? 0;
        if (e.retired || avoid.has(e.worker.id) || e.worker.cores - e.busy <= 0 || held <= most) continue;
        local = e;
        most = held;
      }
      if (local) return local;
    }
    let best: Entry | null = null;
    let fallback: Entry | null = null;
    let otherBusy = false;
    for (const e of this.entries.values()) {
      if (e.retired) continue;
      const free = e.worker.cores - e.busy;
      if (avoid.has(e.worker.id)) {
        if (free > 0 && (!fallback || better(e, fallback))) fallback = e;
        continue;
      }
      if (free <= 0) {
        otherBusy = true;
        continue;
      }
      if (!best || better(e, best)) best = e;
    }
    if (best) return best;
    return otherBusy ? null : fallback;
  }

  private dispatch(): void {
    for (const w of [...this.waiters]) {
      const e = this.pick(w.avoid, w.prefer);
      if (!e) continue;
      this.drop(w);
      w.resolve(this.take(e));
    }
  }

  private drop(w: Waiter): void {
    w.cleanup();
    this.waiters = this.waiters.filter((x) => x !== w);
  }
}

/** More free slots first; among equals, the one used least recently (spreads tasks). */
function better(a: Entry, b: Entry): boolean {
  const fa = a.worker.cores - a.busy;
  const fb = b.worker.cores - b.busy;
  return fa !== fb ? fa > fb : a.lastUsed < b.lastUsed;
}
