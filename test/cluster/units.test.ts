// Unit tests of the cluster's parts that need no process: master URLs and bind checks, call
// signatures, fault-injection rules, the driver's slot pool (retry routing), chunk reassembly,
// the master's registry (expiry), and reading a task's attempt id from its bytes.
import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../engine/errors.js";
import { ApplicationState, WorkerState } from "../../proto/gen/cluster.js";
import { Task } from "../../proto/gen/kindling.js";
import { AUTH_HEADERS, addSignature, SignatureVerifier } from "../../worker/grpc/auth.js";
import { chaosFor, parseChaos } from "../../worker/grpc/chaos.js";
import { ChunkAssembler, chunksOf } from "../../worker/grpc/chunks.js";
import { checkBind, isLoopback, parseDuration, parseMasterUrl } from "../../worker/grpc/net.js";
import { ClusterRegistry } from "../../worker/grpc/registry.js";
import { SlotPool } from "../../worker/grpc/slots.js";
import { peekTaskAttempt, taskKey } from "../../worker/grpc/task-key.js";

describe("master URLs and binding", () => {
  it("accepts kindling://host:port and host:port, and nothing local", () => {
    expect(parseMasterUrl("kindling://10.0.0.5:7077")).toEqual({ host: "10.0.0.5", port: 7077 });
    expect(parseMasterUrl("host-1.example:7077")).toEqual({ host: "host-1.example", port: 7077 });
    expect(parseMasterUrl("[::1]:7077")).toEqual({ host: "[::1]", port: 7077 });
    for (const m of ["local", "local[2]", "local[*]", "host", "host:99999", "kindling://", "a:b"])
      expect(parseMasterUrl(m)).toBeNull();
  });

  it("refuses a non-loopback bind without a secret and warns without TLS", () => {
    expect(
      isLoopback("127.0.0.1") && isLoopback("::1") && isLoopback("localhost") && isLoopback("[::1]"),
    ).toBe(true);
    expect(isLoopback("0.0.0.0")).toBe(false);
    expect(checkBind("127.0.0.1", undefined, false, "master")).toBeNull();
    expect(() => checkBind("0.0.0.0", undefined, false, "master")).toThrow(
      /refuses to bind 0\.0\.0\.0.*KINDLING_SECRET/,
    );
    expect(checkBind("0.0.0.0", "s", false, "worker")).toMatch(/travels in clear/);
    expect(checkBind("0.0.0.0", "s", true, "worker")).toBeNull();
  });

  it("parses durations", () => {
    expect([
      parseDuration("250ms", "x"),
      parseDuration("2s", "x"),
      parseDuration("1m", "x"),
      parseDuration("40", "x"),
    ]).toEqual([250, 2000, 60000, 40]);
    expect(() => parseDuration("soon", "--grace")).toThrow(ConfigError);
  });
});

describe("call signatures", () => {
  const method = "/kindling.Master/Heartbeat";
  const signed = (secret: string, now = Date.now()) => {
    const md = new Metadata();
    addSignature(md, secret, method, now);
    return md;
  };

  it("accepts a call signed with the secret, once", () => {
    const v = new SignatureVerifier("s3cret");
    const md = signed("s3cret");
    expect(v.check(method, md)).toBeNull();
    expect(v.check(method, md)).toMatch(/replayed/);
  });

  it("refuses a wrong secret, a missing signature, another method and clock skew", () => {
    const v = new SignatureVerifier("s3cret");
    expect(v.check(method, signed("other"))).toMatch(/wrong signature/);
    expect(v.check(method, new Metadata())).toMatch(/no signature/);
    expect(v.check("/kindling.Worker/LaunchTask", signed("s3cret"))).toMatch(/wrong signature/);
    expect(v.check(method, signed("s3cret", Date.now() - 6 * 60_000))).toMatch(/5 minutes/);
    const md = signed("s3cret");
    md.set(AUTH_HEADERS.mac, "zz");
    expect(v.check(method, md)).toMatch(/wrong signature/);
  });
});

describe("fault injection", () => {
  const id = (stageId: number, partition: number, attempt: number) => ({
    jobId: "j",
    stageId,
    partition,
    attempt,
  });

  it("parses rules and names a bad one", () => {
    expect(parseChaos("")).toEqual([]);
    const [a, b, c] = parseChaos("taskError:0.3:seed=7, workerExit:0.1; delay:200ms:p=0.5:stage=2");
    expect(a).toMatchObject({ kind: "taskError", probability: 0.3, seed: 7 });
    expect(b).toMatchObject({ kind: "workerExit", probability: 0.1 });
    expect(c).toMatchObject({ kind: "delay", delayMs: 200, probability: 0.5, stage: 2 });
    expect(() => parseChaos("explode:1")).toThrow(/unknown kind "explode"/);
    expect(() => parseChaos("taskError:2")).toThrow(/between 0 and 1/);
    expect(() => parseChaos("taskError:1:color=red")).toThrow(/unknown option "color"/);
  });

  it("fails only the attempts below `attempts`", () => {
    const rules = parseChaos("taskError:1:attempts=2");
    expect([0, 1, 2, 3].map((a) => chaosFor(rules, id(0, 0, a)).fail)).toEqual([true, true, false, false]);
  });

  it("draws the same fate for the same attempt, about p of the time", () => {
    const rules = parseChaos("taskError:0.3:seed=7");
    let fails = 0;
    for (let p = 0; p < 2000; p++) {
      const f = chaosFor(rules, id(1, p, 0)).fail;
      expect(chaosFor(rules, id(1, p, 0)).fail).toBe(f);
      if (f) fails++;
    }
    expect(fails / 2000).toBeGreaterThan(0.25);
    expect(fails / 2000).toBeLessThan(0.35);
  });
});

describe("slot pool", () => {
  const workers = [
    { id: "a", address: "h:1", cores: 2 },
    { id: "b", address: "h:2", cores: 1 },
  ];

  it("spreads tasks and counts cores", async () => {
    const pool = new SlotPool(60_000, "m:1");
    pool.update(workers);
    expect(pool.totalCores).toBe(3);
    const l1 = await pool.acquire(new Set());
    const l2 = await pool.acquire(new Set());
    expect(new Set([l1.worker.id, l2.worker.id])).toEqual(new Set(["a", "b"]));
  });

  it("sends a retry elsewhere, waits for a busy other worker, falls back when none is left", async () => {
    const pool = new SlotPool(60_000, "m:1");
    pool.update(workers);
    const onB = await pool.acquire(new Set(["a"]));
    expect(onB.worker.id).toBe("b");
    // b is busy and the task already failed on a: it waits for b rather than going back to a.
    let got: string | undefined;
    const waiting = pool.acquire(new Set(["a"])).then((l) => (got = l.worker.id));
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toBeUndefined();
    pool.release(onB);
    await waiting;
    expect(got).toBe("b");
    // Failed on both: any free slot will do.
    expect((await pool.acquire(new Set(["a", "b"]))).worker.id).toBe("a");
  });

  it("stops using a lost worker even when the master still lists it", async () => {
    const pool = new SlotPool(60_000, "m:1");
    pool.update(workers);
    pool.markLost("a");
    pool.update(workers);
    expect(pool.totalCores).toBe(1);
    expect((await pool.acquire(new Set())).worker.id).toBe("b");
  });

  it("fails a task when no worker exists for the timeout, and honours abort", async () => {
    const pool = new SlotPool(50, "m:1");
    await expect(pool.acquire(new Set())).rejects.toThrow(/no live worker registered with the master at m:1/);
    const ac = new AbortController();
    const p = pool.acquire(new Set(), ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });
});

describe("chunks", () => {
  it("reassembles payloads of any size, in any chunk order", () => {
    const payloads = [
      new Uint8Array(0),
      Uint8Array.from({ length: 2500 }, (_, i) => i % 251),
      Uint8Array.of(7),
    ];
    const chunks = payloads.flatMap((p, i) => [...chunksOf(i, p, 1000)]);
    expect(chunks.length).toBe(4);
    const asm = new ChunkAssembler(payloads.map((p) => p.byteLength));
    for (const c of chunks.reverse()) asm.add(c);
    expect(asm.complete).toBe(true);
    expect(asm.buffers).toEqual(payloads);
  });

  it("refuses chunks outside the announced sizes and reports what is missing", () => {
    const asm = new ChunkAssembler([10]);
    expect(() => asm.add({ index: 0, offset: 5n, data: new Uint8Array(6), last: true })).toThrow(
      /outside its 10 bytes/,
    );
    expect(() => asm.add({ index: 1, offset: 0n, data: new Uint8Array(1), last: true })).toThrow(
      /only 1 were announced/,
    );
    asm.add({ index: 0, offset: 0n, data: new Uint8Array(4), last: false });
    expect(asm.complete).toBe(false);
    expect(asm.missing()).toBe("payload 0: 4/10 bytes");
  });
});

describe("master registry", () => {
  it("declares silent workers and applications lost, and asks a lost worker to register again", () => {
    let now = 1_000_000;
    const r = new ClusterRegistry(100, 1000, () => now);
    const w = r.registerWorker({
      address: "h:1",
      cores: 2,
      memoryBytes: 0n,
      version: "x",
      host: "h",
      pid: 1,
    });
    const app = r.registerApplication({ name: "a", host: "h", pid: 2, version: "x" });
    now += 900;
    expect(
      r.heartbeat({
        workerId: w.workerId,
        runningTasks: 1,
        freeSlots: 1,
        tasksSucceeded: 3n,
        tasksFailed: 0n,
      }),
    ).toBe(true);
    now += 900;
    expect(r.expire()).toEqual([]);
    expect(r.applications()[0]!.state).toBe(ApplicationState.APPLICATION_STATE_LOST);
    now += 200;
    expect(r.expire().map((x) => x.workerId)).toEqual([w.workerId]);
    expect(r.liveWorkers()).toEqual([]);
    expect(
      r.heartbeat({
        workerId: w.workerId,
        runningTasks: 0,
        freeSlots: 2,
        tasksSucceeded: 3n,
        tasksFailed: 0n,
      }),
    ).toBe(false);
    expect(r.allWorkers()[0]!.state).toBe(WorkerState.WORKER_STATE_LOST);
    expect(r.applicationHeartbeat(app.appId, 0, 0n, 0n)).toBe(false);
  });

  it("retires the old entry when an address registers again", () => {
    const r = new ClusterRegistry(100, 1000);
    const req = { address: "h:1", cores: 1, memoryBytes: 0n, version: "x", host: "h", pid: 1 };
    const a = r.registerWorker(req);
    const b = r.registerWorker(req);
    expect(a.workerId).not.toBe(b.workerId);
    expect(r.liveWorkers().map((w) => w.workerId)).toEqual([b.workerId]);
  });
});

describe("task attempt ids", () => {
  it("reads job, stage, partition and attempt without decoding the plan", () => {
    const bytes = Task.encode(
      Task.fromPartial({
        jobId: "job-1",
        stageId: 3,
        partition: 17,
        attempt: 2,
        localDir: "/tmp",
        batchSize: 9,
      }),
    ).finish();
    const id = peekTaskAttempt(bytes);
    expect(id).toEqual({ jobId: "job-1", stageId: 3, partition: 17, attempt: 2 });
    expect(taskKey(id)).toBe("job-1/3/17");
  });
});
