// TLS by flags: a master serving TLS and requiring client certificates (--tls-ca), a worker
// registering with it over TLS with its certificate, and status clients with and without the
// CA. Master and worker run in this process (no driver here: the driver's synchronous
// connect would block the master it talks to).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchClusterStatus } from "../../client/commands/status.js";
import { WorkerState } from "../../proto/gen/cluster.js";
import { MasterNode } from "../../worker/grpc/master-server.js";
import { WorkerNode } from "../../worker/grpc/worker-server.js";

let dir: string;
let master: MasterNode | undefined;
let worker: WorkerNode | undefined;
const saved = { ...process.env };
const quiet = () => {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kindling-tls-"));
  // One self-signed certificate for 127.0.0.1 serves as server certificate, client
  // certificate and the CA that trusts both.
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"]
      .concat(["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=127.0.0.1"])
      .concat(["-addext", "subjectAltName=IP:127.0.0.1"]),
    { stdio: "ignore" },
  );
});

afterAll(async () => {
  await worker?.shutdown(1000);
  await master?.stop();
  rmSync(dir, { recursive: true, force: true });
  // The worker pointed TMPDIR at its scratch directory (a worker process owns its environment).
  for (const k of ["KINDLING_SECRET", "KINDLING_TLS_CA", "KINDLING_TLS_CERT", "KINDLING_TLS_KEY", "TMPDIR"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("TLS", () => {
  it("serves TLS with client certificates; a worker registers over it; a plaintext client is refused", async () => {
    const tls = { cert: join(dir, "cert.pem"), key: join(dir, "key.pem"), ca: join(dir, "cert.pem") };
    process.env.KINDLING_SECRET = "tls-test-secret";
    master = await MasterNode.start({
      bind: { host: "127.0.0.1", port: 0 },
      secret: "tls-test-secret",
      tls,
      heartbeatIntervalMs: 200,
      workerTimeoutMs: 2000,
      log: quiet,
    });
    const address = `127.0.0.1:${master.port}`;
    worker = await WorkerNode.start({
      master: address,
      bind: { host: "127.0.0.1", port: 0 },
      advertise: undefined,
      cores: 1,
      dir,
      secret: "tls-test-secret",
      tls,
      clientTls: tls,
      chaos: "",
      registerTimeoutMs: 5000,
      log: quiet,
    });
    delete process.env.KINDLING_TLS_CA;
    await expect(fetchClusterStatus(address)).rejects.toThrow(/cannot reach the master/);
    // The CA alone is not enough: the master asks for a client certificate.
    process.env.KINDLING_TLS_CA = tls.ca;
    await expect(fetchClusterStatus(address)).rejects.toThrow();
    process.env.KINDLING_TLS_CERT = tls.cert;
    process.env.KINDLING_TLS_KEY = tls.key;
    const s = await fetchClusterStatus(address);
    expect(s.workers.map((w) => [w.address, w.state])).toEqual([
      [worker.address, WorkerState.WORKER_STATE_ALIVE],
    ]);
  });
});
