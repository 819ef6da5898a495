// Client-side helpers: Master and Worker clients with the raised limits, keepalive, TLS from
// the settings and a signing interceptor; unary calls as promises with a deadline; and the
// translation of gRPC statuses into errors that say what to do.
import { type CallOptions, type Client, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { ConfigError, KindlingError } from "../../engine/errors.js";
import { MasterClient, WorkerClient } from "../../proto/gen/cluster.js";
import { signingInterceptor } from "./auth.js";
import { CLIENT_OPTIONS, clientCredentials, type TlsFiles, UNARY_DEADLINE_MS } from "./net.js";

/** How a process reaches the cluster: the shared secret and client TLS settings. */
export interface ClientSecurity {
  readonly secret: string | undefined;
  readonly tls: TlsFiles | undefined;
}

/** A Master client for `host:port`. */
export function masterClient(address: string, sec: ClientSecurity): MasterClient {
  return new MasterClient(address, clientCredentials(sec.tls), {
    ...CLIENT_OPTIONS,
    interceptors: [signingInterceptor(sec.secret)],
  });
}

/** A Worker client for `host:port`. */
export function workerClient(address: string, sec: ClientSecurity): WorkerClient {
  return new WorkerClient(address, clientCredentials(sec.tls), {
    ...CLIENT_OPTIONS,
    interceptors: [signingInterceptor(sec.secret)],
  });
}

/** A deadline `ms` from now. */
export const deadlineIn = (ms: number = UNARY_DEADLINE_MS): Date => new Date(Date.now() + ms);

type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  cb: (err: ServiceError | null, res: Res) => void,
) => unknown;

/** Calls a unary method with a deadline; rejects with the ServiceError. */
export function callUnary<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  req: Req,
  deadlineMs = UNARY_DEADLINE_MS,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, req, new Metadata(), { deadline: deadlineIn(deadlineMs) }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

/** True for a status that means the peer is gone or unreachable, not that the request was wrong. */
export function isPeerLost(err: unknown): boolean {
  const code = (err as ServiceError | undefined)?.code;
  return (
    code === status.UNAVAILABLE ||
    code === status.DEADLINE_EXCEEDED ||
    code === status.CANCELLED ||
    code === status.INTERNAL ||
    code === status.UNKNOWN
  );
}

/** The worker running a task vanished (its process died, its host became unreachable). */
export class ExecutorLostError extends KindlingError {
  override readonly kind = "ExecutorLost";
  override readonly name = "ExecutorLostError";
  constructor(
    message: string,
    readonly workerId: string,
    readonly address: string,
  ) {
    super(message);
  }
}

/** A status as text: `UNAVAILABLE: details`. */
export function describeStatus(err: unknown): string {
  const e = err as ServiceError;
  if (typeof e?.code !== "number") return (err as Error)?.message ?? String(err);
  return `${status[e.code] ?? e.code}: ${e.details || e.message}`;
}

/** Turns a refused or failed call to the master into an error that names the master and the fix. */
export function masterCallError(err: unknown, address: string, what: string): Error {
  const e = err as ServiceError;
  if (e?.code === status.UNAUTHENTICATED) {
    return new ConfigError(
      `the master at ${address} refused ${what}: UNAUTHENTICATED (${e.details}); set KINDLING_SECRET to the cluster's secret`,
    );
  }
  if (e?.code === status.UNAVAILABLE || e?.code === status.DEADLINE_EXCEEDED) {
    return new ConfigError(
      `cannot reach the master at ${address} (${describeStatus(err)}); is \`kindling master\` running there?`,
    );
  }
  return new ConfigError(`the master at ${address} failed ${what}: ${describeStatus(err)}`);
}
