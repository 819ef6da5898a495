// A synchronous unary call to the master, for the one place that needs it: the executor
// factory is synchronous (engine/exec/executor.ts), yet the driver must know the live workers
// (its parallelism sets the default shuffle partitions) and fail fast when the master is
// unreachable or refuses it. The call runs on a short-lived thread while this one blocks on
// Atomics.wait; the answer comes back through receiveMessageOnPort.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { ServiceError } from "@grpc/grpc-js";
import type { ClientSecurity } from "./clients.js";
import type { ConnectJob, ConnectReply } from "./connect-thread.js";

/** The compiled thread entry, or the TypeScript one under a TS loader (tests, tsx). */
function threadEntry(): { url: URL; execArgv: string[] } {
  const js = new URL("./connect-thread.js", import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js, execArgv: [] };
  return { url: new URL("./connect-thread.ts", import.meta.url), execArgv: ["--import", "tsx"] };
}

/** Calls `method` on `address` with encoded `request`, blocking until the answer; throws a ServiceError-like. */
export function callSync(
  address: string,
  method: string,
  request: Uint8Array,
  sec: ClientSecurity,
  deadlineMs: number,
): Uint8Array {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const { url, execArgv } = threadEntry();
  const job: Omit<ConnectJob, "port" | "flag"> & { port: unknown; flag: Int32Array } = {
    address,
    method,
    request,
    secret: sec.secret,
    tls: sec.tls,
    deadlineMs,
    port: port2,
    flag,
  };
  // The entry is loaded from a data: URL bootstrap, as piscina loads its workers: require()
  // first (on Node 20 a TS loader's require hook works in threads where its ESM hooks do not;
  // eval'd code gets neither), then import() (compiled ESM). A failure to load is reported
  // instead of leaving us waiting.
  const path = fileURLToPath(url);
  const bootstrap =
    'import { workerData as d } from "node:worker_threads";\n' +
    'import { createRequire } from "node:module";\n' +
    "const fail = (e) => {\n" +
    "  d.port.postMessage({ error: { code: -1, details: String((e && e.stack) || e) } });\n" +
    "  Atomics.store(d.flag, 0, 1);\n" +
    "  Atomics.notify(d.flag, 0);\n" +
    "};\n" +
    `try { createRequire(${JSON.stringify(path)})(${JSON.stringify(path)}); }\n` +
    `catch { import(${JSON.stringify(url.href)}).catch(fail); }\n`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    workerData: job,
    transferList: [port2 as never],
    execArgv,
  });
  worker.on("error", () => {});
  try {
    // The thread's own start-up (a TS loader compiles it on first use) comes on top of the deadline.
    const waited = Atomics.wait(flag, 0, 0, deadlineMs + 30_000);
    const msg = receiveMessageOnPort(port1)?.message as ConnectReply | undefined;
    if (waited === "timed-out" || !msg) {
      throw Object.assign(new Error("no answer from the connection thread"), {
        code: 4,
        details: "no answer from the connection thread",
      });
    }
    if ("error" in msg) {
      const e = new Error(msg.error.details) as Error & Partial<ServiceError>;
      e.code = msg.error.code;
      e.details = msg.error.details;
      throw e;
    }
    return msg.response;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
