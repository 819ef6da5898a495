// Network plumbing shared by the master, the workers and the driver: master URLs and
// addresses, gRPC channel and server options (raised message limits, keepalive), TLS
// credentials from flags or the environment, and the loopback check.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { ChannelCredentials, type ChannelOptions, ServerCredentials } from "@grpc/grpc-js";
import { ConfigError } from "../../engine/errors.js";

/** The package version, so a mismatched worker or driver is refused with a clear message. */
export const KINDLING_VERSION: string = packageVersion();

/** Reads the version from the package's package.json (two levels up in a checkout, three under dist/). */
function packageVersion(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "kindling" && pkg.version) return pkg.version;
    } catch {
      // Not there: try one level further up.
    }
  }
  return "unknown";
}

/** Payload chunk size on every stream (gRPC's receive limit is 4 MiB including framing). */
export const CHUNK_BYTES = 1 << 20;

/** Receive and send limit on both sides: chunks are ~1 MiB, headers list sizes of many blocks. */
export const MAX_MESSAGE_BYTES = 64 << 20;

/** Deadline of every unary call. */
export const UNARY_DEADLINE_MS = 10_000;

/** Keepalive pings on long streams, so a vanished peer fails the call instead of hanging it. */
export const KEEPALIVE_TIME_MS = 10_000;
export const KEEPALIVE_TIMEOUT_MS = 10_000;

/** `host:port` (IPv6 as `[::1]:port`). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses `kindling://host:port` or `host:port`; null when `master` is neither. */
export function parseMasterUrl(master: string): HostPort | null {
  const rest = master.startsWith("kindling://")
    ? master.slice("kindling://".length).replace(/\/$/, "")
    : master;
  const m = HOST_PORT.exec(rest);
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

/** Like parseMasterUrl, but a bad value is a ConfigError naming what was expected. */
export function requireHostPort(value: string, what: string, allowPortZero = false): HostPort {
  const rest = value.startsWith("kindling://") ? value.slice("kindling://".length).replace(/\/$/, "") : value;
  const m = HOST_PORT.exec(rest);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535 || (port === 0 && !allowPortZero)) {
    throw new ConfigError(`${what} "${value}" is not an address; expected host:port or kindling://host:port`);
  }
  return { host: m[1]!, port };
}

/** `host:port` text, as gRPC targets and registrations use it. */
export const formatHostPort = (a: HostPort): string => `${a.host}:${a.port}`;

/** True for 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The host name other machines are told, when a server binds to every interface. */
export function defaultAdvertiseHost(bindHost: string): string {
  return bindHost === "0.0.0.0" || bindHost === "::" || bindHost === "[::]" ? hostname() : bindHost;
}

/** Channel options of every client: raised message limits and keepalive pings. */
export const CLIENT_OPTIONS: ChannelOptions = {
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
  "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
  "grpc.keepalive_permit_without_calls": 1,
  // A refused connection fails the call at once (no transparent retry on another attempt).
  "grpc.enable_retries": 0,
  "grpc.initial_reconnect_backoff_ms": 200,
  "grpc.max_reconnect_backoff_ms": 2_000,
};

/** Options of every server: the same limits, and keepalive towards its clients. */
export const SERVER_OPTIONS: ChannelOptions = {
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
  "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
};

/** PEM files for TLS: a server's certificate and key; a CA to verify the other side. */
export interface TlsFiles {
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
}

const readPem = (path: string, what: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
};

/** Server credentials: TLS when a certificate is given (client certificates required when a CA is). */
export function serverCredentials(tls: TlsFiles): ServerCredentials {
  if (!tls.cert && !tls.key) {
    if (tls.ca) throw new ConfigError("--tls-ca needs --tls-cert and --tls-key");
    return ServerCredentials.createInsecure();
  }
  if (!tls.cert || !tls.key) throw new ConfigError("TLS needs both --tls-cert and --tls-key");
  const ca = tls.ca ? readPem(tls.ca, "TLS CA file") : null;
  const pair = { cert_chain: readPem(tls.cert, "TLS certificate"), private_key: readPem(tls.key, "TLS key") };
  return ServerCredentials.createSsl(ca, [pair], ca !== null);
}

/**
 * Client TLS settings from the environment: KINDLING_TLS_CA (the CA that signed the servers'
 * certificates), KINDLING_TLS_CERT and KINDLING_TLS_KEY (a client certificate), or
 * KINDLING_TLS=1 (TLS with the system's roots). Undefined means plaintext.
 */
export function clientTlsFromEnv(env: NodeJS.ProcessEnv = process.env): TlsFiles | undefined {
  const ca = env.KINDLING_TLS_CA || undefined;
  const cert = env.KINDLING_TLS_CERT || undefined;
  const key = env.KINDLING_TLS_KEY || undefined;
  if (!ca && !cert && !key && env.KINDLING_TLS !== "1") return undefined;
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** Channel credentials: plaintext without TLS settings, else TLS (with a client certificate if given). */
export function clientCredentials(tls: TlsFiles | undefined): ChannelCredentials {
  if (!tls) return ChannelCredentials.createInsecure();
  if (Boolean(tls.cert) !== Boolean(tls.key))
    throw new ConfigError("a TLS client certificate needs both cert and key");
  return ChannelCredentials.createSsl(
    tls.ca ? readPem(tls.ca, "TLS CA file") : null,
    tls.key ? readPem(tls.key, "TLS key") : null,
    tls.cert ? readPem(tls.cert, "TLS certificate") : null,
  );
}

/**
 * Checks a server's bind address against its security settings: a non-loopback address
 * without a shared secret is refused; one without TLS gets a warning (returned).
 */
export function checkBind(
  host: string,
  secret: string | undefined,
  tls: boolean,
  who: string,
): string | null {
  if (isLoopback(host)) return null;
  if (!secret) {
    throw new ConfigError(
      `${who} refuses to bind ${host} (not a loopback address) without a shared secret: set KINDLING_SECRET on the ${who}, every worker and every client`,
    );
  }
  return tls
    ? null
    : `${who} bound to ${host} without TLS: its data (tasks, rows) travels in clear; pass --tls-cert and --tls-key`;
}

/** The shared secret from KINDLING_SECRET; undefined when unset or empty. */
export const secretFromEnv = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.KINDLING_SECRET || undefined;

/** Parses `500ms`, `10s`, `2m` or a bare number of milliseconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new ConfigError(`${what} "${text}" is not a duration; expected e.g. 500ms, 10s or 2m`);
  const n = Number(m[1]);
  return Math.round(m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n);
}

/** Parses a byte size: `1048576`, `512k`, `256m`, `2g` (binary units). */
export function parseBytes(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]i?b?)?$/i.exec(text.trim());
  if (!m) throw new ConfigError(`${what} "${text}" is not a size; expected e.g. 512m or 2g`);
  const unit = (m[2] ?? "").charAt(0).toLowerCase();
  const scale = unit === "k" ? 2 ** 10 : unit === "m" ? 2 ** 20 : unit === "g" ? 2 ** 30 : 1;
  return Math.floor(Number(m[1]) * scale);
}
