// `kindling worker --master host:port [--cores N] [--dir DIR] [--host H] [--port P]
// [--advertise host:port] [--tls-cert F --tls-key F [--tls-ca F]] [--chaos SPEC] [--grace D]`:
// runs tasks for the cluster until SIGTERM or SIGINT, then shuts down gracefully.
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../engine/errors.js";
import { CHAOS_KEY, parseChaos } from "../../worker/grpc/chaos.js";
import {
  clientTlsFromEnv,
  parseBytes,
  parseDuration,
  requireHostPort,
  secretFromEnv,
} from "../../worker/grpc/net.js";
import { WorkerNode } from "../../worker/grpc/worker-server.js";
import { flag, logLine, parseFlags, untilSignal } from "./master.js";

/** Usage of `kindling worker`. */
export const WORKER_USAGE = `Usage: kindling worker --master host:port [options]

Options:
  --master M               the master (host:port or kindling://host:port)
  --cores N                task slots, one pool thread each (default: this machine's cores)
  --dir DIR                scratch directory for spill files and spilled shuffle blocks (default: the
                           OS temp directory)
  --host H                 address to bind (default 127.0.0.1; beyond loopback needs KINDLING_SECRET)
  --port P                 port (default 0: a free one)
  --advertise H:P          the address drivers reach this worker at (default: host and bound port)
  --tls-cert F --tls-key F serve TLS; also the client certificate towards the master
  --tls-ca F               require client certificates signed by this CA; also trusts the master
  --chaos SPEC             fault injection for every task here (${CHAOS_KEY}, see docs/cluster.md)
  --conf k=v               only ${CHAOS_KEY} is read
  --block-memory SIZE      shuffle blocks kept in memory before spilling to --dir (default: a quarter
                           of RAM, at most 2g)
  --block-ttl D            drop a driver's blocks after this long without a task from it (default 60m)
  --grace D                how long SIGTERM waits for running tasks (default 30s)
  --register-timeout D     how long to keep trying to reach the master at start (default 60s)

Environment: KINDLING_SECRET (the cluster's secret); KINDLING_TLS_CA/_CERT/_KEY for TLS to the master.
`;

/** `kindling worker`: returns the exit code after a graceful stop. */
export async function runWorker(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, {
    master: "value",
    cores: "value",
    dir: "value",
    host: "value",
    port: "value",
    advertise: "value",
    "tls-cert": "value",
    "tls-key": "value",
    "tls-ca": "value",
    chaos: "value",
    conf: "value",
    grace: "value",
    "block-memory": "value",
    "block-ttl": "value",
    "register-timeout": "value",
    help: "boolean",
  });
  if (flag(f, "help")) {
    process.stdout.write(WORKER_USAGE);
    return 0;
  }
  if (f.positional.length)
    throw new ConfigError(`kindling worker takes no arguments, got "${f.positional[0]}"\n\n${WORKER_USAGE}`);
  const masterFlag = flag(f, "master") ?? process.env.KINDLING_MASTER;
  if (!masterFlag) throw new ConfigError(`kindling worker needs --master host:port\n\n${WORKER_USAGE}`);
  const master = requireHostPort(masterFlag, "--master");
  const coresText = flag(f, "cores") ?? String(availableParallelism());
  const cores = Number(coresText);
  if (!Number.isInteger(cores) || cores < 1)
    throw new ConfigError(`--cores must be a positive integer, got "${coresText}"`);
  const host = flag(f, "host") ?? "127.0.0.1";
  const bind = requireHostPort(
    `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${flag(f, "port") ?? "0"}`,
    "--host/--port",
    true,
  );
  let chaos = flag(f, "chaos") ?? "";
  for (const kv of f.values.get("conf") ?? []) {
    const eq = kv.indexOf("=");
    if (eq < 0) throw new ConfigError(`--conf expects key=value, got "${kv}"`);
    if (kv.slice(0, eq) !== CHAOS_KEY)
      throw new ConfigError(`kindling worker reads only ${CHAOS_KEY} from --conf, got "${kv.slice(0, eq)}"`);
    chaos = kv.slice(eq + 1);
  }
  parseChaos(chaos);
  const tlsCert = flag(f, "tls-cert");
  const tlsKey = flag(f, "tls-key");
  const tlsCa = flag(f, "tls-ca");
  const tls = {
    ...(tlsCert ? { cert: tlsCert } : {}),
    ...(tlsKey ? { key: tlsKey } : {}),
    ...(tlsCa ? { ca: tlsCa } : {}),
  };
  const log = logLine("worker");
  const node = await WorkerNode.start({
    master: `${master.host}:${master.port}`,
    bind,
    advertise: flag(f, "advertise"),
    cores,
    dir: flag(f, "dir") ?? join(tmpdir(), "kindling-worker"),
    secret: secretFromEnv(),
    tls,
    clientTls: clientTlsFromEnv() ?? (tlsCert ? tls : undefined),
    chaos,
    registerTimeoutMs: parseDuration(flag(f, "register-timeout") ?? "60s", "--register-timeout"),
    ...(flag(f, "block-memory")
      ? { blockMemoryBytes: parseBytes(flag(f, "block-memory")!, "--block-memory") }
      : {}),
    ...(flag(f, "block-ttl") ? { blockTtlMs: parseDuration(flag(f, "block-ttl")!, "--block-ttl") } : {}),
    log,
  });
  process.stdout.write(
    `kindling worker listening on ${bind.host}:${node.port} as ${node.address} (${node.id})\n`,
  );
  const sig = await untilSignal();
  log(`${sig}: shutting down gracefully`);
  await node.shutdown(parseDuration(flag(f, "grace") ?? "30s", "--grace"));
  return 0;
}
