// `kindling master`: the cluster manager. Serves the Master service (worker registration,
// heartbeats and expiry, the application registry, status) on one gRPC port; tasks never
// pass through it: drivers send them to workers directly.
import { hostname } from "node:os";
import type { Server } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import {
  type ApplicationHeartbeatRequest,
  type ClusterStatus,
  type HeartbeatRequest,
  MasterService,
  type RegisterApplicationRequest,
  type RegisterWorkerRequest,
  type UnregisterApplicationRequest,
  type UnregisterWorkerRequest,
} from "../../proto/gen/cluster.js";
import { checkBind, type HostPort, KINDLING_VERSION, type TlsFiles } from "./net.js";
import { ClusterRegistry } from "./registry.js";
import { bindServer, newServer, RpcError, shutdownServer, unary } from "./serve.js";

/** How `kindling master` is started. */
export interface MasterOptions {
  readonly bind: HostPort;
  readonly secret: string | undefined;
  readonly tls: TlsFiles;
  /** How often workers and drivers report (told to them at registration). */
  readonly heartbeatIntervalMs: number;
  /** Silence after which a worker or an application is declared lost. */
  readonly workerTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** A running master. */
export class MasterNode {
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    readonly registry: ClusterRegistry,
    /** The bound port (the real one after port 0). */
    readonly port: number,
    private readonly options: MasterOptions,
  ) {
    const every = Math.max(50, Math.min(options.heartbeatIntervalMs, options.workerTimeoutMs / 4));
    this.timer = setInterval(() => {
      for (const w of registry.expire()) {
        options.log(
          `worker ${w.workerId} at ${w.address} lost: no heartbeat for ${options.workerTimeoutMs} ms`,
        );
      }
    }, every);
  }

  /** Binds the master's port and starts expiring silent workers. */
  static async start(options: MasterOptions): Promise<MasterNode> {
    const warning = checkBind(options.bind.host, options.secret, Boolean(options.tls.cert), "master");
    if (warning) options.log(`WARNING: ${warning}`);
    const registry = new ClusterRegistry(options.heartbeatIntervalMs, options.workerTimeoutMs);
    const server = newServer(options.secret, options.log);
    const log = options.log;
    server.addService(MasterService, {
      registerWorker: unary((req: RegisterWorkerRequest) => {
        if (req.version !== KINDLING_VERSION) {
          throw new RpcError(
            status.FAILED_PRECONDITION,
            `worker version ${req.version} does not match master version ${KINDLING_VERSION}`,
          );
        }
        if (req.cores < 1)
          throw new RpcError(status.INVALID_ARGUMENT, `a worker needs at least one core, got ${req.cores}`);
        const w = registry.registerWorker(req);
        log(
          `worker ${w.workerId} registered: ${req.address}, ${req.cores} cores (host ${req.host}, pid ${req.pid})`,
        );
        return { workerId: w.workerId, heartbeatIntervalMs: BigInt(options.heartbeatIntervalMs) };
      }),
      heartbeat: unary((req: HeartbeatRequest) => ({ reregister: !registry.heartbeat(req) })),
      unregisterWorker: unary((req: UnregisterWorkerRequest) => {
        registry.unregisterWorker(req.workerId);
        log(`worker ${req.workerId} left${req.reason ? `: ${req.reason}` : ""}`);
        return {};
      }),
      registerApplication: unary((req: RegisterApplicationRequest) => {
        if (req.version !== KINDLING_VERSION) {
          throw new RpcError(
            status.FAILED_PRECONDITION,
            `driver version ${req.version} does not match master version ${KINDLING_VERSION}`,
          );
        }
        const app = registry.registerApplication(req);
        log(`application ${app.appId} (${req.name}) started from ${req.host} pid ${req.pid}`);
        return {
          appId: app.appId,
          workers: registry.liveWorkers(),
          heartbeatIntervalMs: BigInt(options.heartbeatIntervalMs),
        };
      }),
      applicationHeartbeat: unary((req: ApplicationHeartbeatRequest) => {
        const known = registry.applicationHeartbeat(
          req.appId,
          req.runningTasks,
          req.tasksSucceeded,
          req.tasksFailed,
        );
        return { workers: registry.liveWorkers(), known };
      }),
      unregisterApplication: unary((req: UnregisterApplicationRequest) => {
        registry.unregisterApplication(req.appId);
        log(`application ${req.appId} finished`);
        return {};
      }),
      getClusterStatus: unary(
        (): ClusterStatus => ({
          workers: registry.allWorkers(),
          applications: registry.applications(),
          version: KINDLING_VERSION,
          nowMs: BigInt(Date.now()),
          heartbeatIntervalMs: BigInt(options.heartbeatIntervalMs),
          workerTimeoutMs: BigInt(options.workerTimeoutMs),
        }),
      ),
    });
    const port = await bindServer(server, options.bind, options.tls);
    log(`master ${KINDLING_VERSION} on ${hostname()} listening on ${options.bind.host}:${port}`);
    return new MasterNode(server, registry, port, options);
  }

  /** Stops serving (calls in flight get a moment to finish). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await shutdownServer(this.server, 2_000);
    this.options.log("master stopped");
  }
}
