// Unit tests of cluster shuffles without processes: block ids (only ids, never paths), the
// worker's block store (memory, spill, removal, expiry), the driver's registry of held map
// outputs, locality in the slot pool, the scheduler's recovery from lost map output (one
// recovery per loss, only the lost tasks, at most 4 stage attempts), and BlockChunk encoding.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BlockStore, MapOutputMissing } from "../../engine/exec/block-store.js";
import { type Executor, FetchFailedError } from "../../engine/exec/executor.js";
import { type LostOutput, runStage, type StageRequest } from "../../engine/exec/scheduler.js";
import { stageInputs } from "../../engine/exec/stage-inputs.js";
import type { FetchFailure } from "../../engine/exec/task.js";
import { decodeTask, encodeTaskResult } from "../../engine/plan/codec.js";
import type { PhysicalPlan } from "../../engine/plan/physical.js";
import { BlockChunk } from "../../proto/gen/cluster.js";
import { blockId, isNamespace, parseBlockId, WorkerBlockStore } from "../../worker/block-store.js";
import { encodeBlockChunk } from "../../worker/grpc/blocks-service.js";
import { SlotPool } from "../../worker/grpc/slots.js";

const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "kindling-blocks-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

async function readAll(store: WorkerBlockStore, id: string, chunk = 3): Promise<number[]> {
  const out: number[] = [];
  for await (const p of store.pieces(parseBlockId(id)!, chunk)) out.push(...p);
  return out;
}

describe("block ids", () => {
  it("parses exactly shuffle_<ns>_<shuffle>_<map>_<reduce>", () => {
    const k = { ns: "ab12", shuffleId: 3, mapIndex: 4, reduce: 5 };
    expect(blockId(k)).toBe("shuffle_ab12_3_4_5");
    expect(parseBlockId("shuffle_ab12_3_4_5")).toEqual(k);
    for (const bad of [
      "shuffle_ab12_3_4_../../etc/passwd",
      "../shuffle_ab12_3_4_5",
      "shuffle_ab12_3_4_5/..",
      "shuffle_AB_3_4_5",
      "shuffle_a.b_3_4_5",
      "shuffle_ab_3_4",
      "shuffle_ab_3_4_5_6",
      "shuffle_ab_-1_4_5",
      "shuffle_ab_1_2_3\n",
      "/etc/passwd",
      "",
    ])
      expect(parseBlockId(bad), bad).toBeNull();
    expect(isNamespace("0123abcdef")).toBe(true);
    expect(isNamespace("../x")).toBe(false);
    expect(isNamespace("")).toBe(false);
  });
});

describe("worker block store", () => {
  it("serves resident blocks, spills over budget and serves spilled ones, removes and expires", async () => {
    const dir = join(scratch(), "blocks");
    const store = new WorkerBlockStore(10, dir);
    store.put("ns", 0, 0, [bytes(4, 1), bytes(0, 0), bytes(5, 2)]);
    expect(store.counters()).toMatchObject({ heldBlocks: 3, heldBytes: 9, spilledBytes: 0 });
    expect(await readAll(store, "shuffle_ns_0_0_2")).toEqual([2, 2, 2, 2, 2]);
    // Over budget: the older output goes to a spill file, the new one stays.
    store.put("ns", 0, 1, [bytes(3, 3), bytes(3, 4), bytes(0, 0)]);
    expect(store.counters()).toMatchObject({ heldBlocks: 6, heldBytes: 15, spilledBytes: 9 });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(await readAll(store, "shuffle_ns_0_0_0", 2)).toEqual([1, 1, 1, 1]);
    expect(await readAll(store, "shuffle_ns_0_0_2", 2)).toEqual([2, 2, 2, 2, 2]);
    const into = new Uint8Array(5);
    await store.readInto(parseBlockId("shuffle_ns_0_0_2")!, into);
    expect([...into]).toEqual([2, 2, 2, 2, 2]);
    expect(store.sizeOf(parseBlockId("shuffle_ns_0_1_1")!)).toBe(3);
    expect(store.sizeOf(parseBlockId("shuffle_ns_0_2_1")!)).toBeNull();
    expect(store.sizeOf(parseBlockId("shuffle_other_0_0_0")!)).toBeNull();
    await expect(readAll(store, "shuffle_ns_0_9_0")).rejects.toThrow(/not held/);
    // Another driver's blocks are its own.
    store.put("other", 0, 0, [bytes(1, 9)]);
    expect(store.removeShuffles("ns", [0])).toEqual({ blocks: 6, bytes: 15 });
    expect(readdirSync(dir)).toHaveLength(0);
    expect(store.counters()).toMatchObject({
      heldBlocks: 1,
      heldBytes: 1,
      spilledBytes: 0,
      removedBlocks: 6,
    });
    expect(store.expire(60_000, Date.now() + 30_000)).toEqual([]);
    expect(store.expire(60_000, Date.now() + 120_000)).toEqual(["other"]);
    expect(store.counters().heldBlocks).toBe(0);
    store.clear();
  });
});

describe("the driver's registry of held map outputs", () => {
  const holder = (id: string) => ({ workerId: id, address: `${id}:1` });

  it("lists held blocks by location, keeps empty ones inline, and forgets a lost holder's", () => {
    const store = new BlockStore(1 << 20);
    store.declareShuffle(7, 3);
    store.putHeldMapOutput(7, 0, holder("w1"), [10, 0]);
    store.putHeldMapOutput(7, 1, holder("w2"), [20, 30]);
    expect(store.missingMaps(7)).toEqual([2]);
    expect(() => store.inputsOf(7, 0)).toThrow(MapOutputMissing);
    store.putHeldMapOutput(7, 2, holder("w1"), [0, 40]);
    const plan: PhysicalPlan = {
      kind: "ShuffleReadExec",
      shuffleId: 7,
      numPartitions: 2,
      broadcast: false,
      schema: { fields: [] },
    };
    const p0 = stageInputs(plan, 0, store);
    expect(p0.inputs[0]!.locations!.map((l) => [l.workerId, l.mapIndex, l.size])).toEqual([
      ["w1", 0, 10],
      ["w2", 1, 20],
      ["", 2, 0],
    ]);
    // Only the empty block travels beside the task.
    expect(p0.blocks.map((b) => b.byteLength)).toEqual([0]);
    expect(store.holders(7)).toEqual(["w1", "w2", "w1"]);
    expect(store.forgetHolder("w1")).toEqual(new Map([[7, [0, 2]]]));
    expect(store.missingMaps(7)).toEqual([0, 2]);
    expect(() => stageInputs(plan, 1, store)).toThrow(/map task\(s\) 0, 2 is lost/);
  });

  it("keeps local mode's blocks as bytes beside the task", () => {
    const store = new BlockStore(1 << 20);
    store.declareShuffle(1, 2);
    store.putMapOutput(1, 0, [bytes(2, 1), bytes(3, 2)]);
    store.putMapOutput(1, 1, [bytes(4, 3), bytes(5, 4)]);
    const got = store.inputsOf(1, 1);
    expect(got.locations).toBeUndefined();
    expect(got.blocks.map((b) => b.byteLength)).toEqual([3, 5]);
    expect(store.inputsOf(1, -1).blocks.map((b) => b.byteLength)).toEqual([2, 3, 4, 5]);
  });
});

describe("locality", () => {
  it("prefers the free worker holding most of a task's input, and never waits for it", async () => {
    const pool = new SlotPool(60_000, "m");
    pool.update([
      { id: "a", address: "a:1", cores: 2 },
      { id: "b", address: "b:1", cores: 1 },
    ]);
    const none = new Set<string>();
    const l1 = await pool.acquire(
      none,
      undefined,
      new Map([
        ["b", 100],
        ["a", 10],
      ]),
    );
    expect(l1.worker.id).toBe("b");
    // b is busy now: the task goes elsewhere at once.
    const l2 = await pool.acquire(none, undefined, new Map([["b", 100]]));
    expect(l2.worker.id).toBe("a");
    pool.release(l1);
    pool.release(l2);
  });
});

describe("recovery from lost map output", () => {
  const plan: PhysicalPlan = {
    kind: "ShuffleReadExec",
    shuffleId: 0,
    numPartitions: 3,
    broadcast: false,
    schema: { fields: [] },
  };
  const failure: FetchFailure = {
    workerId: "w9",
    address: "w9:1",
    shuffleId: 0,
    mapIndex: 1,
    reducePartition: 0,
    unreachable: true,
  };
  const request = (over: Partial<StageRequest>): StageRequest => ({
    jobId: "j",
    stageId: 1,
    plan,
    output: "count",
    timeZone: "UTC",
    nowMicros: 0,
    batchSize: 1024,
    maxAttempts: 4,
    maxStageAttempts: 4,
    memoryBudget: 1 << 20,
    localDir: "",
    ...over,
  });
  /** An executor whose tasks fail with FetchFailed while `broken()` says so. */
  const executor = (
    broken: (partition: number, attempt: number) => boolean,
  ): Executor & { runs: string[] } => {
    const runs: string[] = [];
    return {
      parallelism: 3,
      runs,
      async runTask(bytes) {
        const t = decodeTask(bytes);
        runs.push(`${t.partition}#${t.attempt}`);
        await new Promise((r) => setTimeout(r, 5));
        if (broken(t.partition, t.attempt)) throw new FetchFailedError("FetchFailed: gone", failure);
        return {
          result: encodeTaskResult({ numRows: 1, files: [], attemptDir: "", elapsedMs: 0 }),
          data: [],
        };
      },
      async close() {},
    };
  };

  it("recovers once when several tasks lose the same output, then reruns them", async () => {
    let lost = true;
    const recoveries: LostOutput[] = [];
    const ex = executor(() => lost);
    const done = await runStage(
      ex,
      request({
        recover: async (l) => {
          recoveries.push(l);
          await new Promise((r) => setTimeout(r, 20));
          lost = false;
        },
      }),
    );
    expect(done.map((t) => t.partition)).toEqual([0, 1, 2]);
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]).toMatchObject({ kind: "fetchFailed", failure });
    // Every task ran twice (the fetch failures do not count as task failures).
    expect(ex.runs.length).toBe(6);
  });

  it("recovers outputs known to be lost before launching, and runs only the given partitions", async () => {
    let missing = true;
    const seen: string[] = [];
    const ex = executor(() => false);
    const done = await runStage(
      ex,
      request({
        partitions: [2],
        attemptBase: 5,
        inputsFor: () => {
          if (missing) throw new MapOutputMissing(0, [1]);
          return { inputs: [], blocks: [] };
        },
        recover: async (l) => {
          seen.push(l.kind);
          missing = false;
        },
      }),
    );
    expect(done.map((t) => [t.partition, t.attempt])).toEqual([[2, 6]]);
    expect(seen).toEqual(["missing"]);
    expect(ex.runs).toEqual(["2#6"]);
  });

  it("fails the job after 4 stage attempts", async () => {
    let recoveries = 0;
    const err = await runStage(
      executor(() => true),
      request({
        recover: async () => {
          recoveries++;
        },
      }),
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(recoveries).toBe(3);
    expect(err?.message).toMatch(/stage 1 failed 4 times because map output was lost.*FetchFailed: gone/);
  });
});

describe("BlockChunk encoding", () => {
  it("is byte for byte protobuf's, chunk after chunk", () => {
    const chunks = [
      { blockId: "shuffle_ab_1_2_3", offset: 0n, data: new Uint8Array([1, 2, 3]), last: true },
      { blockId: "shuffle_ab_1_2_3", offset: 123456789012n, data: new Uint8Array(300).fill(7), last: false },
      { blockId: "", offset: 0n, data: new Uint8Array(0), last: false },
      { blockId: "shuffle_x_0_0_0", offset: 1n << 20n, data: new Uint8Array(3 << 20).fill(9), last: true },
    ];
    for (const c of chunks) {
      // The encoder reuses its buffer: compare before the next call.
      expect(Buffer.from(encodeBlockChunk(c)).equals(Buffer.from(BlockChunk.encode(c).finish()))).toBe(true);
    }
  });
});
