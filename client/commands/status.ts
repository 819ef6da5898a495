// `kindling status --master host:port [--json]`: the master's workers (address, state, cores,
// running tasks, last heartbeat, shuffle blocks held, served and fetched) and applications,
// as tables or as JSON.
import { ConfigError } from "../../engine/errors.js";
import {
  ApplicationState,
  applicationStateToJSON,
  ClusterStatus,
  WorkerState,
  workerStateToJSON,
} from "../../proto/gen/cluster.js";
import { callUnary, masterCallError, masterClient } from "../../worker/grpc/clients.js";
import { clientTlsFromEnv, formatHostPort, requireHostPort, secretFromEnv } from "../../worker/grpc/net.js";
import { flag, parseFlags } from "./master.js";

/** Usage of `kindling status`. */
export const STATUS_USAGE = `Usage: kindling status --master host:port [--json]

Prints the master's workers (cores, running tasks, last heartbeat) and applications.
Environment: KINDLING_SECRET; KINDLING_TLS_CA (and _CERT/_KEY) when the master serves TLS.
`;

/** Asks the master for its status. */
export async function fetchClusterStatus(master: string): Promise<ClusterStatus> {
  const address = formatHostPort(requireHostPort(master, "--master"));
  const client = masterClient(address, { secret: secretFromEnv(), tls: clientTlsFromEnv() });
  try {
    return await callUnary(client, client.getClusterStatus, {});
  } catch (e) {
    throw masterCallError(e, address, "the status request");
  } finally {
    client.close();
  }
}

const ago = (nowMs: bigint, thenMs: bigint): string => {
  const s = Number(nowMs - thenMs) / 1000;
  return s < 60
    ? `${s.toFixed(1)}s ago`
    : s < 3600
      ? `${(s / 60).toFixed(1)}m ago`
      : `${(s / 3600).toFixed(1)}h ago`;
};

/** Bytes as MiB with one decimal. */
const mib = (n: bigint): string => `${(Number(n) / 2 ** 20).toFixed(1)} MiB`;

const shortState = (s: string): string => s.replace(/^(WORKER|APPLICATION)_STATE_/, "");

/** Left-aligned columns under a header. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The status as text. */
export function formatClusterStatus(master: string, s: ClusterStatus): string {
  const alive = s.workers.filter((w) => w.state === WorkerState.WORKER_STATE_ALIVE);
  const running = s.applications.filter((a) => a.state === ApplicationState.APPLICATION_STATE_RUNNING);
  const cores = alive.reduce((n, w) => n + w.cores, 0);
  const out = [
    `Master ${master} (kindling ${s.version}), heartbeat ${Number(s.heartbeatIntervalMs)} ms, worker timeout ${Number(s.workerTimeoutMs)} ms`,
    "",
    `Workers: ${alive.length} alive, ${cores} cores`,
    table(
      [
        "ID",
        "ADDRESS",
        "STATE",
        "CORES",
        "RUNNING",
        "LAST HEARTBEAT",
        "SUCCEEDED",
        "FAILED",
        "BLOCKS HELD",
        "SERVED",
        "FETCHED",
        "HOST",
        "PID",
      ],
      s.workers.map((w) => [
        w.workerId,
        w.address,
        shortState(workerStateToJSON(w.state)),
        String(w.cores),
        String(w.runningTasks),
        ago(s.nowMs, w.lastHeartbeatMs),
        String(w.tasksSucceeded),
        String(w.tasksFailed),
        w.blocks ? `${w.blocks.heldBlocks} (${mib(w.blocks.heldBytes)})` : "-",
        w.blocks ? mib(w.blocks.servedBytes) : "-",
        w.blocks ? mib(w.blocks.fetchedRemoteBytes) : "-",
        w.host,
        String(w.pid),
      ]),
    ),
    "",
    `Applications: ${running.length} running`,
    table(
      ["ID", "NAME", "STATE", "HOST", "PID", "STARTED", "RUNNING TASKS", "SUCCEEDED", "FAILED"],
      s.applications.map((a) => [
        a.appId,
        a.name,
        shortState(applicationStateToJSON(a.state)),
        a.host,
        String(a.pid),
        new Date(Number(a.startedMs)).toISOString(),
        String(a.runningTasks),
        String(a.tasksSucceeded),
        String(a.tasksFailed),
      ]),
    ),
  ];
  return `${out.join("\n")}\n`;
}

/** `kindling status`. */
export async function runStatus(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, { master: "value", json: "boolean", help: "boolean" });
  if (flag(f, "help")) {
    process.stdout.write(STATUS_USAGE);
    return 0;
  }
  const master = flag(f, "master") ?? process.env.KINDLING_MASTER;
  if (!master) throw new ConfigError(`kindling status needs --master host:port\n\n${STATUS_USAGE}`);
  const s = await fetchClusterStatus(master);
  if (flag(f, "json") === "true") {
    process.stdout.write(`${JSON.stringify(ClusterStatus.toJSON(s), null, 2)}\n`);
  } else {
    process.stdout.write(formatClusterStatus(master, s));
  }
  return 0;
}
