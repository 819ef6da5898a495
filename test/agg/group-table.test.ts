// GroupTable: dense group ids for every key type, nulls as one group, float normalisation,
// many groups over many batches, and correct handling of 32-bit hash collisions.
import { describe, expect, it } from "vitest";
import { columnFromValues, type JsValue, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { sliceColumn } from "../../engine/columnar/ops.js";
import { GroupTable } from "../../engine/exec/hash/group-table.js";
import { hashColumns } from "../../engine/exec/hash/keys.js";
import { type DataType, T } from "../../engine/types/data-type.js";
import { js, rng } from "./helpers.js";

/** A canonical string of a key value (NaN and null distinct, -0 as 0). */
function canon(v: unknown): string {
  if (v === null || v === undefined) return "<null>";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v === 0 ? 0 : v);
  if (v instanceof Date) return `D${v.getTime()}`;
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  return `${typeof v}:${String(v)}`;
}

/**
 * Feeds `cols` to a GroupTable in batches and checks: equal keys share a group id, different
 * keys never do, ids are dense in order of first appearance, and keys() returns each group's key.
 */
function checkGrouping(cols: Column[], batch = 65536): GroupTable {
  const n = cols[0]!.length;
  const table = new GroupTable(cols.map((c) => c.type));
  const vals = cols.map(js);
  const rowKey = (i: number) => vals.map((v) => canon(v[i])).join("|");
  const byKey = new Map<string, number>();
  const out = new Int32Array(batch);
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    table.insert(
      cols.map((c) => sliceColumn(c, s, e)),
      e - s,
      out,
    );
    for (let i = s; i < e; i++) {
      const k = rowKey(i);
      const g = out[i - s]!;
      const seen = byKey.get(k);
      if (seen === undefined) {
        if (g !== byKey.size) throw new Error(`row ${i} key ${k}: new group ${g}, expected ${byKey.size}`);
        byKey.set(k, g);
      } else if (seen !== g) throw new Error(`row ${i} key ${k}: group ${g}, earlier ${seen}`);
    }
  }
  expect(table.size).toBe(byKey.size);
  expect(new Set(byKey.values()).size).toBe(byKey.size);
  const keys = table.keys().map(js);
  for (const [k, g] of byKey) expect(keys.map((v) => canon(v[g])).join("|")).toBe(k);
  return table;
}

const intCol = (a: Int32Array, valid: Uint8Array | null = null, type: DataType = T.int32): Column => ({
  type,
  length: a.length,
  valid,
  values: a,
});

describe("GroupTable", () => {
  it("groups 1M int32 rows into 100K groups with nulls as one group", () => {
    const r = rng(1);
    const n = 1_000_000;
    const a = new Int32Array(n);
    const valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.floor(r() * 100_000) - 50_000;
      valid[i] = r() < 0.01 ? 0 : 1;
    }
    const t = checkGrouping([intCol(a, valid)]);
    expect(t.size).toBeGreaterThan(99_000);
    expect(t.estimatedBytes()).toBeGreaterThan(100_000 * 8);
  });

  it("groups 1M string rows (100K distinct, unicode, empty vs null)", () => {
    const r = rng(2);
    const n = 1_000_000;
    const words = Array.from({ length: 100_000 }, (_, i) =>
      i === 0 ? "" : i % 7 === 0 ? `zoné-${i}-ünïcode` : `k${(i * 2654435761) % 1000003}`,
    );
    const vals = Array.from({ length: n }, () =>
      r() < 0.02 ? null : words[Math.floor(r() * words.length)]!,
    );
    checkGrouping([stringColumnFromArray(vals)]);
  });

  it("groups multi-column keys (string, int32, float64, boolean, date) with nulls", () => {
    const r = rng(3);
    const n = 300_000;
    const s: (string | null)[] = [];
    const i32: (number | null)[] = [];
    const f: (number | null)[] = [];
    const b: (boolean | null)[] = [];
    const d: (number | null)[] = [];
    const floats = [0, -0, Number.NaN, 1.5, -1.5, 1e300, Number.POSITIVE_INFINITY];
    for (let i = 0; i < n; i++) {
      s.push(r() < 0.05 ? null : `s${Math.floor(r() * 50)}`);
      i32.push(r() < 0.05 ? null : Math.floor(r() * 20));
      f.push(r() < 0.05 ? null : floats[Math.floor(r() * floats.length)]!);
      b.push(r() < 0.1 ? null : r() < 0.5);
      d.push(r() < 0.05 ? null : 18000 + Math.floor(r() * 3));
    }
    checkGrouping(
      [
        stringColumnFromArray(s),
        columnFromValues(T.int32, i32),
        columnFromValues(T.float64, f),
        columnFromValues(T.boolean, b),
        columnFromValues(T.date, d),
      ],
      10_000,
    );
  });

  it("groups int64, timestamp, decimal, float64 and boolean single keys", () => {
    const r = rng(4);
    const n = 200_000;
    const big = Array.from({ length: n }, () =>
      r() < 0.01
        ? null
        : BigInt(Math.floor(r() * 5000)) * 2n ** 33n - 2n ** 40n + BigInt(Math.floor(r() * 3)),
    );
    checkGrouping([columnFromValues(T.int64, big)], 30_000);
    checkGrouping([columnFromValues(T.timestampNtz, big)], 30_000);
    checkGrouping(
      [
        columnFromValues(
          T.decimal(38, 2),
          big.map((x) => (x === null ? null : x * 2n ** 60n)),
        ),
      ],
      30_000,
    );
    const fl = Array.from({ length: n }, () =>
      r() < 0.01 ? null : r() < 0.1 ? Number.NaN : r() < 0.1 ? -0 : Math.floor(r() * 1000) / 8,
    );
    const t = checkGrouping([columnFromValues(T.float64, fl)], 30_000);
    const keys = js(t.keys()[0]!);
    expect(keys.filter((k) => typeof k === "number" && Number.isNaN(k)).length).toBe(1);
    expect(keys.some((k) => Object.is(k, -0))).toBe(false);
    checkGrouping([columnFromValues(T.boolean, [true, null, false, true, null])]);
  });

  it("groups list keys and null-typed keys", () => {
    const lists: JsValue[] = [[1, 2], [2, 1], [1, 2], [], null, [null], [], [null], [1, 2, 3]];
    const t = checkGrouping([
      columnFromValues(T.list(T.int32), lists),
      stringColumnFromArray(lists.map(() => "x")),
    ]);
    expect(t.size).toBe(6);
    const nul: Column = { type: T.null, length: 3, valid: new Uint8Array(3) };
    expect(checkGrouping([nul, columnFromValues(T.int32, [1, 2, 1])]).size).toBe(2);
  });

  it("indexes small int ranges directly, re-framing as they grow either way, then hashes", () => {
    const r = rng(5);
    const n = 400_000;
    const up = new Int32Array(n);
    const down = new Int32Array(n);
    const upValid = new Uint8Array(n);
    const svc: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      up[i] = 18000 + Math.floor(i / 3000) + Math.floor(r() * 3); // dates creeping upwards
      down[i] = -Math.floor(i / 5000) - Math.floor(r() * 4); // and a range growing downwards
      upValid[i] = r() < 0.01 ? 0 : 1;
      svc.push(r() < 0.01 ? null : ["yellow", "green", "fhv", ""][Math.floor(r() * 4)]!);
    }
    // Past row 300K one column jumps far: the dense array would be too large, so hash mode.
    for (let i = 300_000; i < n; i += 7) up[i] = 5_000_000 - i;
    checkGrouping([intCol(up, upValid, T.date), intCol(down), stringColumnFromArray(svc)], 20_000);
    checkGrouping([intCol(up.subarray(0, 300_000), upValid.subarray(0, 300_000), T.date)], 7_000);
    checkGrouping([columnFromValues(T.boolean, [true, null, false]), intCol(new Int32Array([5, 5, -5]))]);
    // Values at both ends of int32: a batch far outside the frame must not wrap into it.
    const ends = Int32Array.from({ length: 64 }, (_, i) =>
      i < 32 ? 2147483647 - (i % 5) : i % 2 === 0 ? -2147483648 : 2147483647 - (i % 5),
    );
    checkGrouping([intCol(ends)], 8);
  });

  it("codes int64, timestamp and float64 keys by dictionary in direct mode, then hashes many", () => {
    const r = rng(6);
    const n = 200_000;
    const month = 2_592_000_000_000n;
    const ts = Array.from({ length: n }, (_, i) =>
      r() < 0.01 ? null : 1_609_459_200_000_000n + BigInt(Math.floor(i / 20_000)) * month,
    );
    const zone = Array.from({ length: n }, () => (r() < 0.01 ? null : 1 + Math.floor(r() * 265)));
    const fl = Array.from({ length: n }, () =>
      r() < 0.01 ? null : [0, -0, Number.NaN, 2.5, -7.25][Math.floor(r() * 5)]!,
    );
    checkGrouping(
      [
        columnFromValues(T.timestampNtz, ts),
        columnFromValues(T.int32, zone),
        columnFromValues(T.float64, fl),
      ],
      16_384,
    );
    // Distinct int64 values beyond any dense array: the table moves to hash mode mid-stream.
    const wide = Array.from({ length: n }, (_, i) =>
      i < 50_000 ? BigInt(i % 100) : BigInt(Math.floor(r() * 150_000)) * 2n ** 35n,
    );
    const t = checkGrouping([columnFromValues(T.int64, wide), columnFromValues(T.int32, zone)], 25_000);
    expect(t.size).toBeGreaterThan(100_000);
  });

  it("codes strings of every length, including short ones at the very end of the buffer", () => {
    const r = rng(7);
    const alphabet = "abcdéf\u00e9\u4e2d";
    const vals = Array.from({ length: 50_000 }, () => {
      if (r() < 0.02) return null;
      const len = Math.floor(r() * 14);
      let s = "";
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * 3)]!;
      return s;
    });
    checkGrouping([stringColumnFromArray(vals)], 101);
    checkGrouping(
      [
        stringColumnFromArray(vals),
        columnFromValues(
          T.int32,
          vals.map((v) => v?.length ?? 0),
        ),
      ],
      97,
    );
  });

  it("maps every row to group 0 without keys", () => {
    const t = new GroupTable([]);
    const out = new Int32Array(4).fill(9);
    t.insert([], 4, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    expect(t.size).toBe(1);
    expect(new GroupTable([]).size).toBe(0);
  });

  /** Values 0..n-1 of `cols(n)` whose hashes collide pairwise (a birthday search over 32 bits). */
  function collidingRows(make: (n: number) => Column[]): number[] {
    const n = 300_000;
    const cols = make(n);
    const h = hashColumns(cols, n);
    const seen = new Map<number, number>();
    const rows: number[] = [];
    for (let i = 0; i < n && rows.length < 8; i++) {
      const j = seen.get(h[i]!);
      if (j !== undefined) rows.push(j, i);
      else seen.set(h[i]!, i);
    }
    expect(rows.length).toBeGreaterThan(0);
    return rows;
  }

  it("keeps keys with colliding hashes apart (int64, generic and string paths)", () => {
    // A single int32 key cannot collide: its hash is a bijection of the 32-bit value.
    const seq = (n: number) => intCol(Int32Array.from({ length: n }, (_, i) => i));
    expect(new Set(hashColumns([seq(300_000)], 300_000)).size).toBe(300_000);
    const wide = (n: number) => [
      columnFromValues(
        T.int64,
        Array.from({ length: n }, (_, i) => BigInt(i) * 2654435761n + (BigInt(i) << 40n)),
      ),
    ];
    const single = collidingRows(wide);
    const all = wide(300_000)[0]!;
    const pick = (rows: number[]) =>
      columnFromValues(
        T.int64,
        rows.map((i) => (all.values as BigInt64Array)[i]!),
      );
    expect(checkGrouping([pick([...single, ...single])]).size).toBe(single.length);
    const two = (n: number) => [
      intCol(Int32Array.from({ length: n }, (_, i) => i % 1000)),
      intCol(
        Int32Array.from({ length: n }, (_, i) => Math.floor(i / 1000)),
        null,
        T.date,
      ),
    ];
    const pair = collidingRows(two);
    const rows = [...pair, ...[...pair].reverse()];
    const t2 = checkGrouping([
      intCol(Int32Array.from(rows, (i) => i % 1000)),
      intCol(
        Int32Array.from(rows, (i) => Math.floor(i / 1000)),
        null,
        T.date,
      ),
    ]);
    expect(t2.size).toBe(pair.length);
    const strs = collidingRows((n) => [stringColumnFromArray(Array.from({ length: n }, (_, i) => `v${i}`))]);
    const sc = stringColumnFromArray([...strs, ...strs].map((i) => `v${i}`));
    expect(checkGrouping([sc]).size).toBe(strs.length);
  });
});
