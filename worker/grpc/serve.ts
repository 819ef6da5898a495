// Server-side helpers for the master and the worker: a gRPC server with the raised limits and
// the signature check, binding (port 0 gives a free port), unary handlers that turn thrown
// errors into statuses, and shutdown that waits briefly before forcing.
import {
  Server,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from "@grpc/grpc-js";
import { ConfigError } from "../../engine/errors.js";
import { SignatureVerifier, verifyingInterceptor } from "./auth.js";
import { type HostPort, SERVER_OPTIONS, serverCredentials, type TlsFiles } from "./net.js";

/** A server that refuses unsigned calls when a secret is set. */
export function newServer(secret: string | undefined, log: (line: string) => void): Server {
  const interceptors = secret
    ? [
        verifyingInterceptor(new SignatureVerifier(secret), (method, why) =>
          log(`refused ${method}: UNAUTHENTICATED (${why})`),
        ),
      ]
    : [];
  return new Server({ ...SERVER_OPTIONS, interceptors });
}

/** Binds `server` to `host:port` and returns the real port. */
export function bindServer(server: Server, at: HostPort, tls: TlsFiles): Promise<number> {
  const creds = serverCredentials(tls);
  return new Promise((resolve, reject) => {
    server.bindAsync(`${at.host}:${at.port}`, creds, (err, port) => {
      if (err) reject(new ConfigError(`cannot listen on ${at.host}:${at.port}: ${err.message}`));
      else resolve(port);
    });
  });
}

/** An error that ends a call with a chosen gRPC status. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/** Turns any thrown value into a status for the caller. */
export function toServiceError(err: unknown): ServerErrorResponse {
  if (err instanceof RpcError)
    return { name: "RpcError", message: err.message, code: err.code, details: err.message };
  const e = err as Error;
  const message = `${e?.name ?? "Error"}: ${e?.message ?? String(err)}`;
  return { name: "Error", message, code: status.INTERNAL, details: message };
}

/** A unary handler from a function of the request (sync or async). */
export function unary<Req, Res>(fn: (req: Req) => Res | Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => callback(null, res),
        (err) => callback(toServiceError(err)),
      );
  };
}

/** Shuts a server down, letting calls finish for up to `graceMs`, then forcing. */
export function shutdownServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
