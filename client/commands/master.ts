// `kindling master [--host H] [--port P] [--tls-cert F --tls-key F [--tls-ca F]]
// [--heartbeat-interval 10s] [--worker-timeout 60s]`: runs the cluster manager until SIGTERM
// or SIGINT. Port 0 picks a free port; the line `kindling master listening on H:P` says which.
// Also holds the small flag parser the cluster commands share.
import { ConfigError } from "../../engine/errors.js";
import { MasterNode } from "../../worker/grpc/master-server.js";
import { parseDuration, requireHostPort, secretFromEnv } from "../../worker/grpc/net.js";

/** Usage of `kindling master`. */
export const MASTER_USAGE = `Usage: kindling master [options]

Options:
  --host H                 address to bind (default 127.0.0.1; beyond loopback needs KINDLING_SECRET)
  --port P                 port (default 7077; 0 picks a free one and prints it)
  --tls-cert F --tls-key F serve TLS with this certificate and key (PEM)
  --tls-ca F               require client certificates signed by this CA
  --heartbeat-interval D   how often workers and drivers report (default 10s)
  --worker-timeout D       silence after which a worker is declared lost (default 60s)

Environment: KINDLING_SECRET, the cluster's shared secret (every RPC is signed with it).
`;

/** Parsed command-line flags: values by name, positional arguments, and what follows `--`. */
export interface ParsedFlags {
  readonly values: Map<string, string[]>;
  readonly positional: string[];
  readonly rest: string[];
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` flags. `stopAtPositional` ends
 * flag parsing at the first positional argument (everything after it is `rest`).
 */
export function parseFlags(
  argv: readonly string[],
  known: Record<string, "value" | "boolean">,
  stopAtPositional = false,
): ParsedFlags {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return { values, positional, rest: argv.slice(i + 1) };
    if (!a.startsWith("--") || a === "-") {
      positional.push(a);
      if (stopAtPositional) {
        const after = argv.slice(i + 1);
        return { values, positional, rest: after[0] === "--" ? after.slice(1) : after };
      }
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = known[name];
    if (!kind)
      throw new ConfigError(
        `unknown option --${name}; expected ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(", ")}`,
      );
    let value: string;
    if (kind === "boolean") value = eq < 0 ? "true" : a.slice(eq + 1);
    else if (eq >= 0) value = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new ConfigError(`option --${name} needs a value`);
      value = argv[++i]!;
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, positional, rest: [] };
}

/** The last value of a flag. */
export const flag = (f: ParsedFlags, name: string): string | undefined => f.values.get(name)?.at(-1);

/** Resolves when the process gets SIGTERM or SIGINT. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off("SIGTERM", on);
      process.off("SIGINT", on);
      resolve(sig);
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
}

/** A log line with a timestamp, on stdout. */
export function logLine(who: string): (line: string) => void {
  return (line) => process.stdout.write(`${new Date().toISOString()} ${who}: ${line}\n`);
}

/** `kindling master`: returns the exit code after a graceful stop. */
export async function runMaster(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, {
    host: "value",
    port: "value",
    "tls-cert": "value",
    "tls-key": "value",
    "tls-ca": "value",
    "heartbeat-interval": "value",
    "worker-timeout": "value",
    help: "boolean",
  });
  if (flag(f, "help")) {
    process.stdout.write(MASTER_USAGE);
    return 0;
  }
  if (f.positional.length)
    throw new ConfigError(`kindling master takes no arguments, got "${f.positional[0]}"\n\n${MASTER_USAGE}`);
  const host = flag(f, "host") ?? "127.0.0.1";
  const bind = requireHostPort(
    `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${flag(f, "port") ?? "7077"}`,
    "--host/--port",
    true,
  );
  const heartbeatIntervalMs = parseDuration(flag(f, "heartbeat-interval") ?? "10s", "--heartbeat-interval");
  const workerTimeoutMs = parseDuration(flag(f, "worker-timeout") ?? "60s", "--worker-timeout");
  if (workerTimeoutMs <= heartbeatIntervalMs) {
    throw new ConfigError(
      `--worker-timeout (${workerTimeoutMs} ms) must be longer than --heartbeat-interval (${heartbeatIntervalMs} ms)`,
    );
  }
  const tlsCert = flag(f, "tls-cert");
  const tlsKey = flag(f, "tls-key");
  const tlsCa = flag(f, "tls-ca");
  const log = logLine("master");
  const node = await MasterNode.start({
    bind,
    secret: secretFromEnv(),
    tls: {
      ...(tlsCert ? { cert: tlsCert } : {}),
      ...(tlsKey ? { key: tlsKey } : {}),
      ...(tlsCa ? { ca: tlsCa } : {}),
    },
    heartbeatIntervalMs,
    workerTimeoutMs,
    log,
  });
  process.stdout.write(`kindling master listening on ${bind.host}:${node.port}\n`);
  const sig = await untilSignal();
  log(`${sig}: stopping`);
  await node.stop();
  return 0;
}
