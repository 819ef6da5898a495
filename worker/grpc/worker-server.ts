// `kindling worker`: serves the Worker service, runs tasks on its own pool of `--cores`
// threads (the LocalExecutor of local mode), keeps its map tasks' shuffle blocks (memory up
// to --block-memory, then spill files in its scratch directory) and serves them to other
// workers (the Blocks service), registers with the master under the address it advertises and
// heartbeats with its block counters; registers again when the master asks. Graceful shutdown
// refuses new tasks, leaves the master, lets running tasks finish (up to a grace period) and
// cleans its scratch directory.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { hostname, totalmem } from "node:os";
import { join, resolve } from "node:path";
import type { Server } from "@grpc/grpc-js";
import type { BlockCounters, MasterClient } from "../../proto/gen/cluster.js";
import { WorkerService } from "../../proto/gen/cluster.js";
import { WorkerBlockStore } from "../block-store.js";
import { LocalExecutor } from "../pool.js";
import { BLOCKS_SERVICE, blocksService, type ServeCounters } from "./blocks-service.js";
import { type ClientSecurity, callUnary, describeStatus, masterClient } from "./clients.js";
import { BlockFetcher } from "./fetch.js";
import {
  checkBind,
  defaultAdvertiseHost,
  formatHostPort,
  type HostPort,
  KINDLING_VERSION,
  requireHostPort,
  type TlsFiles,
} from "./net.js";
import { bindServer, newServer, shutdownServer } from "./serve.js";
import { TaskService } from "./task-service.js";

/** How `kindling worker` is started. */
export interface WorkerOptions {
  /** The master's `host:port`. */
  readonly master: string;
  readonly bind: HostPort;
  /** `host:port` others reach this worker at; port 0 (or absent) means the bound port. */
  readonly advertise: string | undefined;
  readonly cores: number;
  /** Scratch directory (spill files); a subdirectory per worker process is made and removed. */
  readonly dir: string;
  readonly secret: string | undefined;
  /** The server's TLS files. */
  readonly tls: TlsFiles;
  /** TLS towards the master (undefined: plaintext). */
  readonly clientTls: TlsFiles | undefined;
  /** This worker's own `kindling.testing.chaos` rules. */
  readonly chaos: string;
  /** How long to keep trying to reach the master at start. */
  readonly registerTimeoutMs: number;
  /** Bytes of shuffle blocks kept in memory before they spill to the scratch directory (default: a quarter of RAM, at most 2 GiB). */
  readonly blockMemoryBytes?: number;
  /** A driver's blocks are dropped after this long without a task from it (it died; default 1 h). */
  readonly blockTtlMs?: number;
  readonly log: (line: string) => void;
}

/** A running worker. */
export class WorkerNode {
  private workerId = "";
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeating = false;
  private lastHeartbeatError = "";
  private stopping: Promise<void> | undefined;
  private readonly expiryTimer: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    private readonly tasks: TaskService,
    private readonly blocks: BlockParts,
    private readonly executor: LocalExecutor,
    private readonly master: MasterClient,
    /** The bound port. */
    readonly port: number,
    /** The address registered with the master. */
    readonly address: string,
    private readonly scratch: string,
    private readonly options: WorkerOptions,
  ) {
    const ttl = options.blockTtlMs ?? DEFAULT_BLOCK_TTL_MS;
    this.expiryTimer = setInterval(
      () => {
        for (const ns of blocks.store.expire(ttl))
          options.log(`dropped the blocks of driver namespace ${ns}: no task from it for ${ttl} ms`);
      },
      Math.max(1_000, Math.min(60_000, ttl / 4)),
    );
    this.expiryTimer.unref();
  }

  /** Binds the port, starts the thread pool, and registers with the master. */
  static async start(options: WorkerOptions): Promise<WorkerNode> {
    const log = options.log;
    const warning = checkBind(options.bind.host, options.secret, Boolean(options.tls.cert), "worker");
    if (warning) log(`WARNING: ${warning}`);
    const scratch = join(resolve(options.dir), `worker-${process.pid}-${randomBytes(3).toString("hex")}`);
    mkdirSync(scratch, { recursive: true });
    // Spill files of tasks without kindling.local.dir go to the scratch directory: pool threads
    // copy the environment when they start, so os.tmpdir() there answers this directory.
    // (This sets TMPDIR for the whole process: a worker process is dedicated to its worker.)
    process.env.TMPDIR = scratch;
    const executor = new LocalExecutor(options.cores);
    const security: ClientSecurity = { secret: options.secret, tls: options.clientTls };
    // Who this worker is, for block locations that name it (its id changes if it re-registers).
    const self = { id: "", address: "" };
    const store = new WorkerBlockStore(
      options.blockMemoryBytes ?? defaultBlockMemory(),
      join(scratch, "blocks"),
    );
    const blocks: BlockParts = {
      store,
      fetcher: new BlockFetcher(store, security, () => self),
      served: { servedBlocks: 0, servedBytes: 0 },
      self,
    };
    const tasks = new TaskService(executor, options.chaos, log, blocks);
    const server = newServer(options.secret, log);
    server.addService(WorkerService, tasks.implementation());
    server.addService(BLOCKS_SERVICE, blocksService(store, blocks.served, log));
    const port = await bindServer(server, options.bind, options.tls);
    const adv = options.advertise ? requireHostPort(options.advertise, "--advertise", true) : undefined;
    const address = formatHostPort({
      host: adv?.host ?? defaultAdvertiseHost(options.bind.host),
      port: adv && adv.port !== 0 ? adv.port : port,
    });
    self.address = address;
    log(
      `worker ${KINDLING_VERSION} listening on ${options.bind.host}:${port} (advertised as ${address}), ${options.cores} cores`,
    );
    const master = masterClient(options.master, security);
    const node = new WorkerNode(server, tasks, blocks, executor, master, port, address, scratch, options);
    try {
      await node.register(options.registerTimeoutMs);
    } catch (e) {
      await node.close();
      throw e;
    }
    return node;
  }

  /** The id the master gave this worker. */
  get id(): string {
    return this.workerId;
  }

  /** Registers (retrying every second until `timeoutMs`), then heartbeats at the master's interval. */
  private async register(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    let lastError = "";
    for (;;) {
      try {
        const res = await callUnary(this.master, this.master.registerWorker, {
          address: this.address,
          cores: this.options.cores,
          memoryBytes: BigInt(totalmem()),
          version: KINDLING_VERSION,
          host: hostname(),
          pid: process.pid,
        });
        this.workerId = res.workerId;
        this.blocks.self.id = res.workerId;
        this.options.log(`registered with master ${this.options.master} as ${res.workerId}`);
        this.startHeartbeats(Number(res.heartbeatIntervalMs));
        return;
      } catch (e) {
        const why = describeStatus(e);
        if (/UNAUTHENTICATED|FAILED_PRECONDITION|INVALID_ARGUMENT/.test(why) || Date.now() >= until) {
          throw new Error(`cannot register with the master at ${this.options.master}: ${why}`);
        }
        if (why !== lastError) this.options.log(`waiting for the master at ${this.options.master}: ${why}`);
        lastError = why;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private startHeartbeats(intervalMs: number): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(50, intervalMs));
  }

  private async heartbeat(): Promise<void> {
    if (this.heartbeating || this.stopping) return;
    this.heartbeating = true;
    try {
      const res = await callUnary(this.master, this.master.heartbeat, {
        workerId: this.workerId,
        runningTasks: this.tasks.running,
        freeSlots: Math.max(0, this.options.cores - this.tasks.running),
        tasksSucceeded: this.tasks.succeeded,
        tasksFailed: this.tasks.failed,
        blocks: this.blockCounters(),
      });
      if (this.lastHeartbeatError) this.options.log("master reachable again");
      this.lastHeartbeatError = "";
      if (res.reregister && !this.stopping) {
        this.options.log(
          "the master does not know this worker (restarted, or declared it lost): registering again",
        );
        if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
        await this.register(this.options.registerTimeoutMs);
      }
    } catch (e) {
      const why = describeStatus(e);
      if (why !== this.lastHeartbeatError) this.options.log(`heartbeat failed: ${why}`);
      this.lastHeartbeatError = why;
    } finally {
      this.heartbeating = false;
    }
  }

  /** The block store's and the fetcher's counters, as heartbeats carry them. */
  blockCounters(): BlockCounters {
    const s = this.blocks.store.counters();
    const f = this.blocks.fetcher.counters;
    const served = this.blocks.served;
    return {
      heldBlocks: BigInt(s.heldBlocks),
      heldBytes: BigInt(s.heldBytes),
      spilledBytes: BigInt(s.spilledBytes),
      servedBlocks: BigInt(served.servedBlocks),
      servedBytes: BigInt(served.servedBytes),
      fetchedRemoteBlocks: BigInt(f.fetchedRemoteBlocks),
      fetchedRemoteBytes: BigInt(f.fetchedRemoteBytes),
      fetchedLocalBlocks: BigInt(f.fetchedLocalBlocks),
      fetchedLocalBytes: BigInt(f.fetchedLocalBytes),
      fetchFailures: BigInt(f.fetchFailures),
      removedBlocks: BigInt(s.removedBlocks),
    };
  }

  /** Graceful shutdown: refuse new tasks, leave the master, wait up to `graceMs` for running ones. */
  shutdown(graceMs = 30_000): Promise<void> {
    this.stopping ??= (async () => {
      this.tasks.draining = true;
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      if (this.workerId) {
        await callUnary(
          this.master,
          this.master.unregisterWorker,
          { workerId: this.workerId, reason: "shutdown" },
          2_000,
        ).catch((e: unknown) => this.options.log(`could not tell the master: ${describeStatus(e)}`));
      }
      const until = Date.now() + graceMs;
      if (this.tasks.running > 0) this.options.log(`waiting for ${this.tasks.running} running task(s)`);
      while (this.tasks.running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      await this.close();
      this.options.log("worker stopped");
    })();
    return this.stopping;
  }

  private async close(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    clearInterval(this.expiryTimer);
    await shutdownServer(this.server, 1_000);
    this.master.close();
    this.blocks.fetcher.close();
    this.blocks.store.clear();
    await this.executor.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** A worker's shuffle block parts: its store, its fetcher, what it served, and who it is. */
interface BlockParts {
  readonly store: WorkerBlockStore;
  readonly fetcher: BlockFetcher;
  readonly served: ServeCounters;
  readonly self: { id: string; address: string };
}

/** How long a driver's blocks outlive its last task on this worker. */
export const DEFAULT_BLOCK_TTL_MS = 3_600_000;

/** Block memory by default: a quarter of the machine's memory, at most 2 GiB. */
export const defaultBlockMemory = (): number => Math.min(2 ** 31, Math.floor(totalmem() / 4));
