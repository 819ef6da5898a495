// Shuffle fetch throughput between two worker processes on loopback: a child process serves a
// block store full of blocks with the workers' own Blocks service (signed calls, ~1 MiB
// chunks), and this process fetches them with the workers' own fetcher (worker/grpc/fetch.ts),
// exactly as a reduce task's worker does. Prints MB/s per round and the median, the CPU each
// side spent per MB, and the same transfer as bare gRPC (1 MiB messages, no protobuf, no
// copies of ours) on the same machine at the same time, as the ceiling to compare with.
//
// npx tsx benchmarks/shuffle-fetch.ts [--mib 512] [--block-kib 4096] [--rounds 5] [--holders 1]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client, Metadata } from "@grpc/grpc-js";
import * as pb from "../proto/gen/kindling.js";
import { WorkerBlockStore } from "../worker/block-store.js";
import { BLOCKS_SERVICE, blocksService } from "../worker/grpc/blocks-service.js";
import { BlockFetcher } from "../worker/grpc/fetch.js";
import { bindServer, newServer } from "../worker/grpc/serve.js";

const NS = "bench";
const identity = (b: Buffer): Buffer => b;
const RAW_SERVICE = {
  stream: {
    path: "/bench.Raw/Stream",
    requestStream: false,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
} as const;

/** Streams the raw service once; resolves with the bytes received. */
function rawFetch(client: Client): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const call = client.makeServerStreamRequest(
      RAW_SERVICE.stream.path,
      identity,
      identity,
      Buffer.alloc(0),
      new Metadata(),
    );
    call.on("data", (b: Buffer) => {
      n += b.byteLength;
    });
    call.on("error", reject);
    call.on("end", () => resolve(n));
  });
}

/** Child: holds `mib` MiB as map outputs of shuffle 0 (one block per map) and serves them. */
async function serve(mib: number, blockKiB: number): Promise<void> {
  const store = new WorkerBlockStore(2 ** 40, "/nonexistent-never-spilled");
  const size = blockKiB * 1024;
  const maps = Math.ceil((mib * 2 ** 20) / size);
  const chunk = new Uint8Array(new SharedArrayBuffer(size));
  chunk.set(randomBytes(Math.min(size, 1 << 20)));
  for (let m = 0; m < maps; m++) store.put(NS, 0, m, [chunk]);
  const server = newServer(process.env.KINDLING_SECRET, () => {});
  // Bare gRPC: the same bytes as 1 MiB messages with identity (de)serializers.
  const raw = Buffer.from(chunk.subarray(0, Math.min(size, 1 << 20)));
  const messages = Math.ceil((mib * 2 ** 20) / raw.byteLength);
  server.addService(RAW_SERVICE, {
    stream: (call: import("@grpc/grpc-js").ServerWritableStream<Buffer, Buffer>) => {
      let i = 0;
      const pump = () => {
        while (i < messages) {
          i++;
          if (!call.write(raw)) return void call.once("drain", pump);
        }
        call.end();
      };
      pump();
    },
  });
  server.addService(
    BLOCKS_SERVICE,
    blocksService(store, { servedBlocks: 0, servedBytes: 0 }, () => {}),
  );
  const port = await bindServer(server, { host: "127.0.0.1", port: 0 }, {});
  process.stdout.write(`serving ${maps} ${size} on ${port}\n`);
  // Asked for its CPU time, it reports and stays up (the parent then kills it).
  process.on("SIGUSR2", () => {
    const u = process.cpuUsage();
    process.stdout.write(`cpu ${(u.user + u.system) / 1000}\n`);
  });
  process.once("SIGTERM", () => process.exit(0));
}

/** Parent: starts `holders` servers and fetches everything from them, `rounds` times. */
async function measure(mib: number, blockKiB: number, rounds: number, holders: number): Promise<void> {
  process.env.KINDLING_SECRET ??= randomBytes(16).toString("hex");
  const self = fileURLToPath(import.meta.url);
  const children = Array.from({ length: holders }, () =>
    spawn(
      process.execPath,
      [...process.execArgv, self, "--serve", "--mib", String(mib / holders), "--block-kib", String(blockKiB)],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: process.env,
      },
    ),
  );
  try {
    const servers = await Promise.all(
      children.map(
        (c) =>
          new Promise<{ maps: number; size: number; port: number }>((resolve, reject) => {
            c.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
            c.stdout!.on("data", (d: Buffer) => {
              const m = /serving (\d+) (\d+) on (\d+)/.exec(d.toString());
              if (m) resolve({ maps: Number(m[1]), size: Number(m[2]), port: Number(m[3]) });
            });
          }),
      ),
    );
    // The task's input list: every block of every holder (reduce partition 0 of shuffle 0).
    const locations = servers.flatMap((s, h) =>
      Array.from({ length: s.maps }, (_, m) => ({
        workerId: `holder-${h}`,
        address: `127.0.0.1:${s.port}`,
        mapIndex: m,
        reducePartition: 0,
        size: BigInt(s.size),
      })),
    );
    const task = pb.TaskInputsOnly.encode({
      inputs: [{ shuffleId: 0, partition: 0, blocks: locations.length, locations }],
    }).finish();
    const total = locations.reduce((n, l) => n + Number(l.size), 0);
    const fetcher = new BlockFetcher(
      new WorkerBlockStore(0, "/nonexistent"),
      { secret: process.env.KINDLING_SECRET, tls: undefined },
      () => ({ id: "fetcher", address: "127.0.0.1:1" }),
    );
    const rates: number[] = [];
    const serverCpu = async (): Promise<number> => {
      const ms = await Promise.all(
        children.map(
          (c) =>
            new Promise<number>((resolve) => {
              const on = (d: Buffer) => {
                const m = /cpu ([\d.]+)/.exec(d.toString());
                if (!m) return;
                c.stdout!.off("data", on);
                resolve(Number(m[1]));
              };
              c.stdout!.on("data", on);
              c.kill("SIGUSR2");
            }),
        ),
      );
      return ms.reduce((a, b) => a + b, 0);
    };
    let cpu0 = { client: 0, server: 0 };
    let fetched = 0;
    for (let r = 0; r <= rounds; r++) {
      const t0 = performance.now();
      const got = await fetcher.resolve(task, [], NS, new AbortController().signal);
      const s = (performance.now() - t0) / 1000;
      if (got.blocks.reduce((n, b) => n + b.byteLength, 0) !== total) throw new Error("short fetch");
      got.release();
      const mbps = total / 1e6 / s;
      // Round 0 warms the connection and the allocator.
      if (r > 0) rates.push(mbps);
      if (r === 0) {
        const u = process.cpuUsage();
        cpu0 = { client: (u.user + u.system) / 1000, server: await serverCpu() };
      } else fetched += total;
      console.log(
        `round ${r}${r === 0 ? " (warm-up)" : ""}: ${(total / 2 ** 20).toFixed(0)} MiB in ${s.toFixed(3)} s = ${mbps.toFixed(0)} MB/s`,
      );
    }
    const u = process.cpuUsage();
    const clientMs = (u.user + u.system) / 1000 - cpu0.client;
    const serverMs = (await serverCpu()) - cpu0.server;
    // CPU cost does not depend on what else the machine runs, unlike wall time.
    console.log(
      `CPU per side: fetcher ${(fetched / 1e6 / (clientMs / 1000)).toFixed(0)} MB per CPU-second, server ${(fetched / 1e6 / (serverMs / 1000)).toFixed(0)} MB per CPU-second`,
    );
    rates.sort((a, b) => a - b);
    // The ceiling: bare gRPC between the same two processes, right after.
    const { signingInterceptor } = await import("../worker/grpc/auth.js");
    const { CLIENT_OPTIONS } = await import("../worker/grpc/net.js");
    const rawRates: number[] = [];
    for (const s of servers) {
      const client = new Client(
        `127.0.0.1:${s.port}`,
        (await import("@grpc/grpc-js")).credentials.createInsecure(),
        {
          ...CLIENT_OPTIONS,
          "grpc-node.flow_control_window": 32 << 20,
          interceptors: [signingInterceptor(process.env.KINDLING_SECRET)],
        },
      );
      for (let r = 0; r <= rounds; r++) {
        const t0 = performance.now();
        const n = await rawFetch(client);
        if (r > 0) rawRates.push(n / 1e6 / ((performance.now() - t0) / 1000));
      }
      client.close();
    }
    rawRates.sort((a, b) => a - b);
    console.log(
      `bare gRPC (1 MiB messages, same processes): median ${rawRates[rawRates.length >> 1]!.toFixed(0)} MB/s`,
    );
    console.log(
      `median ${rates[rates.length >> 1]!.toFixed(0)} MB/s over ${rounds} rounds (${holders} holder(s), ${blockKiB} KiB blocks)`,
    );
    fetcher.close();
  } finally {
    for (const c of children) c.kill("SIGTERM");
  }
}

const { values } = parseArgs({
  options: {
    serve: { type: "boolean", default: false },
    mib: { type: "string", default: "512" },
    "block-kib": { type: "string", default: "4096" },
    rounds: { type: "string", default: "5" },
    holders: { type: "string", default: "1" },
  },
});
const run = values.serve
  ? serve(Number(values.mib), Number(values["block-kib"]))
  : measure(Number(values.mib), Number(values["block-kib"]), Number(values.rounds), Number(values.holders));
run.catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
