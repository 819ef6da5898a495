// Not a test: measures hash aggregation of 10M rows grouped by 3 keys (date, int32, string),
// in 64K-row batches, on one thread. Run: npx tsx test/agg/bench-groupby.ts [rows]
// Reports wall-clock and the process's CPU time (steadier on a shared machine).
import { stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { aggregateFunctions as A } from "../../engine/exec/agg/accumulators.js";
import { type AggCall, HashAggregator } from "../../engine/exec/agg/hash-aggregate.js";
import { GroupTable } from "../../engine/exec/hash/group-table.js";
import { T } from "../../engine/types/data-type.js";

const N = Number(process.argv[2] ?? 10_000_000);
const B = 65536;
let seed = 12345;
const next = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  return (seed >>> 8) & 0xffffff;
};
const services = ["yellow", "green", "fhv", "fhvhv"];
const batches: { n: number; keys: Column[]; fare: Column; dist: Column; pax: Column }[] = [];
for (let off = 0; off < N; off += B) {
  const n = Math.min(B, N - off);
  const month = new Int32Array(n);
  const zone = new Int32Array(n);
  const svc: string[] = [];
  const fare = new Float64Array(n);
  const dist = new Float64Array(n);
  const pax = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    month[i] = 18628 + 30 * (next() % 24);
    zone[i] = 1 + (next() % 265);
    svc.push(services[next() % 4]!);
    fare[i] = (next() % 10000) / 100;
    dist[i] = (next() % 3000) / 100;
    pax[i] = next() % 6;
  }
  batches.push({
    n,
    keys: [
      { type: T.date, length: n, valid: null, values: month },
      { type: T.int32, length: n, valid: null, values: zone },
      stringColumnFromArray(svc),
    ],
    fare: { type: T.float64, length: n, valid: null, values: fare },
    dist: { type: T.float64, length: n, valid: null, values: dist },
    pax: { type: T.int32, length: n, valid: null, values: pax },
  });
}
const keyTypes = [T.date, T.int32, T.string];

function time(label: string, f: () => number): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  let groups = 0;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage().user;
    groups = f();
    cpu.push((process.cpuUsage().user - c0) / 1000);
    wall.push(performance.now() - t0);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${label}: wall best ${wall[0]!.toFixed(0)} / median ${wall[2]!.toFixed(0)} ms, cpu median ${cpu[2]!.toFixed(0)} ms (${groups} groups)`,
  );
}

time("GroupTable.insert, 3 keys", () => {
  const t = new GroupTable(keyTypes);
  const out = new Int32Array(B);
  for (const b of batches) t.insert(b.keys, b.n, out);
  return t.size;
});

const calls: AggCall[] = [
  { def: A.sum!, argTypes: [T.float64] },
  { def: A.avg!, argTypes: [T.float64] },
  { def: A.avg!, argTypes: [T.int32] },
  { def: A.count!, argTypes: [] },
];
time("HashAggregator complete: sum, 2 avg, count", () => {
  const agg = new HashAggregator(keyTypes, calls, "complete");
  for (const b of batches) agg.addBatch(b.keys, [[b.fare], [b.dist], [b.pax], []], b.n);
  return agg.finish().numGroups;
});
time("HashAggregator partial (2 halves) + final", () => {
  const fin = new HashAggregator(keyTypes, calls, "final");
  const half = Math.ceil(batches.length / 2);
  for (const part of [batches.slice(0, half), batches.slice(half)]) {
    const agg = new HashAggregator(keyTypes, calls, "partial");
    for (const b of part) agg.addBatch(b.keys, [[b.fare], [b.dist], [b.pax], []], b.n);
    const st = agg.finish();
    fin.addStateBatch(st.keys, st.values, st.numGroups);
  }
  return fin.finish().numGroups;
});
const heavy: AggCall[] = [
  { def: A.min!, argTypes: [T.float64] },
  { def: A.max!, argTypes: [T.float64] },
  { def: A.stddev!, argTypes: [T.float64] },
  { def: A.count_distinct!, argTypes: [T.int32] },
];
time("HashAggregator complete: min, max, stddev, count_distinct", () => {
  const agg = new HashAggregator(keyTypes, heavy, "complete");
  for (const b of batches) agg.addBatch(b.keys, [[b.fare], [b.fare], [b.dist], [b.pax]], b.n);
  return agg.finish().numGroups;
});
