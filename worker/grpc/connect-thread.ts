// The thread behind callSync (connect.ts): makes one unary call to the master with raw
// protobuf bytes, posts the answer back and wakes the blocked caller. No top-level await:
// under a TS loader this module may be loaded with require() (see connect.ts).
import { type MessagePort, workerData } from "node:worker_threads";
import { Client, Metadata } from "@grpc/grpc-js";
import { signingInterceptor } from "./auth.js";
import { CLIENT_OPTIONS, clientCredentials } from "./net.js";

/** What callSync hands this thread. */
export interface ConnectJob {
  readonly address: string;
  readonly method: string;
  readonly request: Uint8Array;
  readonly secret: string | undefined;
  readonly tls: { cert?: string; key?: string; ca?: string } | undefined;
  readonly deadlineMs: number;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

/** The answer: response bytes, or the failed call's status. */
export type ConnectReply = { response: Uint8Array } | { error: { code: number; details: string } };

function reply(job: ConnectJob, r: ConnectReply): void {
  job.port.postMessage(r);
  Atomics.store(job.flag, 0, 1);
  Atomics.notify(job.flag, 0);
}

function run(job: ConnectJob): void {
  try {
    const client = new Client(job.address, clientCredentials(job.tls), {
      ...CLIENT_OPTIONS,
      interceptors: [signingInterceptor(job.secret)],
    });
    const identity = (b: Buffer): Buffer => b;
    client.makeUnaryRequest(
      job.method,
      identity,
      identity,
      Buffer.from(job.request),
      new Metadata(),
      { deadline: new Date(Date.now() + job.deadlineMs) },
      (err, res) => {
        client.close();
        if (err) reply(job, { error: { code: err.code, details: err.details || err.message } });
        else reply(job, { response: new Uint8Array(res!) });
      },
    );
  } catch (e) {
    reply(job, {
      error: { code: -1, details: `${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}` },
    });
  }
}

if (workerData && (workerData as Partial<ConnectJob>).flag) run(workerData as ConnectJob);
