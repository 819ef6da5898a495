// Differential test against DuckDB on random data: sums, averages, moments, corr, medians,
// percentiles, distinct counts, min/max of strings and exact decimal sums, grouped by a
// nullable string key and an int key. Where DuckDB's semantics differ from Spark's, the
// query translates (each difference is noted beside its column); Spark's answer is what we check.
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnFromValues, stringColumnFromArray } from "../../engine/columnar/builders.js";
import type { Column } from "../../engine/columnar/column.js";
import { T } from "../../engine/types/data-type.js";
import { rng, runAgg } from "./helpers.js";

const N = 50_000;
const r = rng(2024);
const words = ["a", "b", "é", "😀", "\uFFFD", "zz", "a b", ""];
const ka = Array.from({ length: N }, () =>
  r() < 0.03 ? null : `g${Math.floor(r() * 30)}${words[Math.floor(r() * 3)]}`,
);
const kb = Array.from({ length: N }, () => Math.floor(r() * 4));
const x = Array.from({ length: N }, () => (r() < 0.1 ? null : (r() - 0.3) * 1000));
const y = Array.from({ length: N }, () => (r() < 0.1 ? null : Math.floor(r() * 2_000_000) - 1_000_000));
const du = Array.from({ length: N }, () => (r() < 0.1 ? null : BigInt(Math.floor(r() * 2e12) - 1e12)));
const s = Array.from({ length: N }, () =>
  r() < 0.1 ? null : `${words[Math.floor(r() * words.length)]}${Math.floor(r() * 50)}`,
);

const keys: Column[] = [stringColumnFromArray(ka), columnFromValues(T.int32, kb)];
const cols = {
  x: columnFromValues(T.float64, x),
  y: columnFromValues(T.int32, y),
  d: columnFromValues(T.decimal(15, 3), du),
  s: stringColumnFromArray(s),
};

let expected = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn = await db.connect();
  await conn.run(
    "CREATE TABLE t (rid INTEGER, ka VARCHAR, kb INTEGER, x DOUBLE, y INTEGER, du BIGINT, s VARCHAR)",
  );
  const app = await conn.createAppender("t");
  for (let i = 0; i < N; i++) {
    app.appendInteger(i);
    ka[i] === null ? app.appendNull() : app.appendVarchar(ka[i]!);
    app.appendInteger(kb[i]!);
    x[i] === null ? app.appendNull() : app.appendDouble(x[i]!);
    y[i] === null ? app.appendNull() : app.appendInteger(y[i]!);
    du[i] === null ? app.appendNull() : app.appendBigInt(du[i]!);
    s[i] === null ? app.appendNull() : app.appendVarchar(s[i]!);
    app.endRow();
  }
  app.closeSync();
  // percentile_approx: Spark's rank is ceil(p * n) in doubles (DuckDB's 0.1 literal is a decimal).
  const pct = (p: number) => `list_sort(list(x))[greatest(1, ceil(${p}::DOUBLE * count(x)))::BIGINT]`;
  const reader = await conn.runAndReadAll(`
    SELECT ka, kb,
      count(*) AS cnt, count(y) AS cnt_y,
      sum(y)::BIGINT AS sum_y, sum(x) AS sum_x, avg(y) AS avg_y, avg(x) AS avg_x,
      sum(du) AS sum_du, count(du) AS cnt_du,
      stddev_samp(x) AS sd_x, stddev_pop(y) AS sdp_y, var_samp(y) AS var_y, var_pop(x) AS varp_x,
      corr(x, y) AS corr_xy,
      median(x) AS med_x,
      ${pct(0.1)} AS p10, ${pct(0.5)} AS p50, ${pct(0.9)} AS p90,
      count(DISTINCT s) AS nd_s, count(DISTINCT y) AS nd_y,
      min(s) AS min_s, max(s) AS max_s, min(x) AS min_x, max(y) AS max_y,
      list(s ORDER BY rid) FILTER (WHERE s IS NOT NULL) AS list_s,
      first(y ORDER BY rid) AS first_y,
      last(s ORDER BY rid) FILTER (WHERE s IS NOT NULL) AS last_s
    FROM t GROUP BY ka, kb`);
  expected = new Map();
  for (const row of reader.getRowObjectsJS()) expected.set(JSON.stringify([row.ka, row.kb]), row);
  conn.closeSync();
});

afterAll(() => {
  expected.clear();
});

/** Runs `name` both complete and split into 3 partials and compares with DuckDB's column via `check`. */
function compare(
  name: string,
  args: Column[],
  column: string,
  check: (got: unknown, want: unknown, row: Record<string, unknown>) => void,
  params?: object,
): void {
  for (const opts of [{}, { parts: 3, batch: 4096 }]) {
    const got = runAgg(name, args, keys, { ...opts, params: params as never });
    expect(got.size).toBe(expected.size);
    for (const [k, row] of expected) {
      if (!got.has(k)) throw new Error(`group ${k} missing`);
      check(got.get(k), row[column], row);
    }
  }
}

const exact = (got: unknown, want: unknown) => expect(got).toEqual(want);
const asBig = (got: unknown, want: unknown) =>
  expect(got).toEqual(want === null ? null : BigInt(want as never));
const approx = (got: unknown, want: unknown) => {
  if (want === null) expect(got).toBe(null);
  else expect(got as number).toBeCloseTo(want as number, 6);
};
const relative = (got: unknown, want: unknown) => {
  if (want === null) return expect(got).toBe(null);
  const w = want as number;
  expect(Math.abs((got as number) - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w)));
};

describe("aggregates against DuckDB", () => {
  it("count and count(col)", () => {
    compare("count", [], "cnt", asBig);
    compare("count", [cols.y], "cnt_y", asBig);
  });
  it("sum and avg", () => {
    compare("sum", [cols.y], "sum_y", asBig);
    compare("sum", [cols.x], "sum_x", relative);
    compare("avg", [cols.y], "avg_y", relative);
    compare("avg", [cols.x], "avg_x", relative);
  });
  it("exact decimal sum and avg (avg rounded half up at scale s + 4)", () => {
    compare("sum", [cols.d], "sum_du", (got, want) => {
      expect(got === null ? null : BigInt((got as string).replace(".", ""))).toEqual(
        want === null ? null : BigInt(want as never),
      );
    });
    compare("avg", [cols.d], "sum_du", (got, want, row) => {
      if (want === null) return expect(got).toBe(null);
      // sum at scale 3, result at scale 7: unscaled = HALF_UP(sum * 10^4 / count)
      const num = BigInt(want as never) * 10_000n;
      const den = BigInt(row.cnt_du as never);
      let q = num / den;
      const rem = num % den;
      if (2n * (rem < 0n ? -rem : rem) >= den) q += num < 0n ? -1n : 1n;
      expect(BigInt((got as string).replace(".", ""))).toBe(q);
    });
  });
  it("standard deviation, variance and corr", () => {
    compare("stddev_samp", [cols.x], "sd_x", relative);
    compare("stddev_pop", [cols.y], "sdp_y", relative);
    compare("var_samp", [cols.y], "var_y", relative);
    compare("var_pop", [cols.x], "varp_x", relative);
    compare("corr", [cols.x, cols.y], "corr_xy", relative);
  });
  it("median (interpolated) and percentile_approx (Spark's rank rule)", () => {
    compare("median", [cols.x], "med_x", approx);
    compare("percentile_approx", [cols.x], "p10", exact, { percentage: 0.1 });
    compare("percentile_approx", [cols.x], "p50", exact, { percentage: 0.5 });
    compare("percentile_approx", [cols.x], "p90", exact, { percentage: 0.9 });
  });
  it("distinct counts (exact and approximate)", () => {
    compare("count_distinct", [cols.s], "nd_s", asBig);
    compare("count_distinct", [cols.y], "nd_y", asBig);
    compare("approx_count_distinct", [cols.y], "nd_y", (got, want) => {
      const w = Number(want);
      expect(Math.abs(Number(got) - w)).toBeLessThanOrEqual(Math.max(2, 0.15 * w));
    });
  });
  it("min/max (strings by UTF-8 bytes), collect_list, first and last in input order", () => {
    compare("min", [cols.s], "min_s", exact);
    compare("max", [cols.s], "max_s", exact);
    compare("min", [cols.x], "min_x", exact);
    compare("max", [cols.y], "max_y", exact);
    compare("collect_list", [cols.s], "list_s", (got, want) => expect(got).toEqual(want ?? []));
    compare("first", [cols.y], "first_y", exact);
    compare("last", [cols.s], "last_s", exact, { ignoreNulls: true });
  });
});
