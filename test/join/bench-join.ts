// Not a test: measures the join kernel on one thread. Run: npx tsx test/join/bench-join.ts
// 1. 10M probe rows (64K-row batches) against a 265-row build side (the taxi zones join), for
//    an int32, int64 (dense, and beyond 32 bits) and string key: key lookup + pairs, then
//    also assembling the output.
// 2. 1M x 1M unique keys (shuffled): int32 in a dense range (direct-address index), sparse
//    int32 (hash table), strings: build, then probe.
// Reports wall-clock and CPU ms (each the best of 3) per phase; CPU time is steadier on a
// shared machine.
import { stringColumnFromArray } from "../../engine/columnar/builders.js";
import { type Batch, batchOf, type Column } from "../../engine/columnar/column.js";
import { assembleJoinOutput, JoinHashTable, JoinProbe } from "../../engine/exec/join/hash-join.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";

const B = 65536;
let seed = 12345;
const next = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  return (seed >>> 8) & 0xffffff;
};

const int32Col = (a: Int32Array): Column => ({ type: T.int32, length: a.length, valid: null, values: a });
const int64Col = (a: Int32Array): Column => ({
  type: T.int64,
  length: a.length,
  valid: null,
  values: BigInt64Array.from(a, (x) => BigInt(x)),
});
const f64Col = (n: number): Column => ({
  type: T.float64,
  length: n,
  valid: null,
  values: Float64Array.from({ length: n }, () => next() / 1000),
});
const strCol = (a: Int32Array): Column => stringColumnFromArray(Array.from(a, (x) => `zone-${x}`));

function best(label: string, f: () => number): void {
  let ms = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  let out = 0;
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    out = f();
    ms = Math.min(ms, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  console.log(
    `${label.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms  cpu ${cpu.toFixed(0).padStart(6)} ms  (${out} rows)`,
  );
}

function buildTable(type: DataType, keys: Column, payload: Column[]): JoinHashTable {
  const schema = schemaOf([field("k", type), ...payload.map((_, i) => field(`p${i}`, payload[i]!.type))]);
  const t = new JoinHashTable([type]);
  t.add([keys], batchOf(schema, [keys, ...payload], keys.length));
  t.finish();
  return t;
}

// 1. 10M x 265.
const N = Number(process.argv[2] ?? 10_000_000);
const zoneIds = Int32Array.from({ length: 265 }, (_, i) => i + 1);
const probeZones: Int32Array[] = [];
for (let off = 0; off < N; off += B) {
  const n = Math.min(B, N - off);
  probeZones.push(Int32Array.from({ length: n }, () => 1 + (next() % 270))); // 5 of 270 zones miss
}
const int64Sparse = (a: Int32Array): Column => ({
  ...int64Col(a),
  values: BigInt64Array.from(a, (x) => BigInt(x) << 33n),
});
for (const [name, mk] of [
  ["int32", int32Col],
  ["int64", int64Col],
  ["int64 (> 2^32, hashed)", int64Sparse],
  ["string", strCol],
] as const) {
  const bk = mk(zoneIds);
  const table = buildTable(bk.type, bk, [strCol(zoneIds)]);
  const batches: Batch[] = probeZones.map((z) => {
    const k = mk(z);
    return batchOf(schemaOf([field("k", k.type), field("fare", T.float64)]), [k, f64Col(z.length)], z.length);
  });
  const outSchema = schemaOf([...batches[0]!.schema.fields, ...table.rows.schema.fields]);
  for (const jt of ["inner", "left"] as const) {
    best(`${N / 1e6}M x 265 ${name} key, ${jt}: probe (pairs)`, () => {
      const p = new JoinProbe(table, jt, "right");
      let rows = 0;
      for (const b of batches) rows += p.probe([b.columns[0]!], b.numRows).n;
      return rows;
    });
  }
  best(`${N / 1e6}M x 265 ${name} key, inner: probe + assemble output`, () => {
    const p = new JoinProbe(table, "inner", "right");
    let rows = 0;
    for (const b of batches)
      rows += assembleJoinOutput(b, table.rows, p.probe([b.columns[0]!], b.numRows), true, outSchema).numRows;
    return rows;
  });
}

// 2. 1M x 1M unique keys.
const M = 1_000_000;
const shuffled = (seedOff: number) => {
  const a = Int32Array.from({ length: M }, (_, i) => i);
  seed = 777 + seedOff;
  for (let i = M - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
};
const bIds = shuffled(0);
const pIds = shuffled(1);
const sparse = (a: Int32Array) => int32Col(Int32Array.from(a, (x) => x * 7919));
for (const [name, mk] of [
  ["int32 (dense range)", int32Col],
  ["int32 (sparse, hashed)", sparse],
  ["string", strCol],
] as const) {
  const bk = mk(bIds);
  const payload = [f64Col(M)];
  best(`1M x 1M unique ${name} keys: build`, () => buildTable(bk.type, bk, payload).numKeys);
  const table = buildTable(bk.type, bk, payload);
  const pk: Column[] = [];
  for (let off = 0; off < M; off += B) pk.push(mk(pIds.subarray(off, Math.min(M, off + B))));
  best(`1M x 1M unique ${name} keys: probe (pairs)`, () => {
    const p = new JoinProbe(table, "inner", "right");
    let rows = 0;
    for (const k of pk) rows += p.probe([k], k.length).n;
    return rows;
  });
}
