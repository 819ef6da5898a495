// The same shuffle queries (aggregation, shuffled and broadcast joins, global sort and top-k,
// window functions, distinct and set operations) give identical results, float sums included,
// with 1, 2 and 4 threads and with 1, 3 and 8 shuffle partitions: map outputs reach each
// reduce task in map-index order, so nothing depends on the thread or partition count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, type DataFrame, functions as F, Session, Window } from "../../index.js";

const N = 18_000;

/** A seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows (id, k, g, x, d): `k` skewed (60% "hot"), nullable `g` and `x` (with NaN and -0.0). */
function makeRows(): unknown[][] {
  const r = prng(11);
  const rows: unknown[][] = [];
  for (let id = 0; id < N; id++) {
    const u = r();
    const k = u < 0.02 ? null : u < 0.62 ? "hot" : `k${Math.floor(r() * 200)}`;
    const g = r() < 0.05 ? null : Math.floor(r() * 10);
    const v = r();
    const x = v < 0.03 ? null : v < 0.035 ? Number.NaN : v < 0.04 ? -0 : Math.round(r() * 100000) / 100 - 200;
    const d = `2021-0${1 + Math.floor(r() * 3)}-1${Math.floor(r() * 10)}`;
    rows.push([id, k, g, x, d]);
  }
  return rows;
}

const ROWS = makeRows();
const DIM = [
  [0, "zero"],
  [1, "one"],
  [2, "two"],
  [3, "three"],
  [4, "four"],
  [5, "five"],
  [6, "six"],
  [null, "none"],
  [42, "unused"],
];

/** A canonical text per row: NaN, -0.0 and dates survive, unlike JSON.stringify. */
function canon(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  return JSON.stringify(v);
}

async function rows(df: DataFrame, ordered: boolean): Promise<string[]> {
  const out = (await df.collect()).map((r) => Object.values(r).map(canon).join("|"));
  return ordered ? out : out.sort();
}

type Query = (base: DataFrame, dim: DataFrame) => Promise<string[]>;

const QUERIES: Record<string, Query> = {
  aggregate: (b) =>
    rows(
      b
        .groupBy("k", "g")
        .agg(
          F.count("*"),
          F.count("x"),
          F.sum("x"),
          F.avg("x"),
          F.min("x"),
          F.max("x"),
          F.countDistinct("d"),
          F.first("id"),
          F.last("x", true),
          F.stddev("x"),
          F.percentileApprox("x", 0.5),
          F.max("d"),
        ),
      false,
    ),
  "global aggregate": (b) =>
    rows(
      b.agg(
        F.count("*"),
        F.sum("x"),
        F.avg("id"),
        F.countDistinct("k"),
        F.approxCountDistinct("id"),
        F.median("id"),
      ),
      false,
    ),
  pivot: (b) => rows(b.groupBy("g").pivot("k", ["hot", "k1", "k2"]).agg(F.sum("id"), F.count("x")), false),
  "shuffled joins": async (b, dim) => [
    ...(await rows(b.join(dim, "g", "left"), false)),
    ...(await rows(b.join(dim, "g", "full").groupBy("name").agg(F.count("*"), F.sum("x")), false)),
    ...(await rows(b.join(dim, "g", "left_anti").select("id"), false)),
    ...(await rows(b.join(dim, "g", "left_semi").agg(F.count("*")), false)),
  ],
  "join with a residual condition": async (b) => {
    const top = b.groupBy("k").agg(F.max("id").alias("mx")).withColumnRenamed("k", "k2");
    return rows(
      b
        .join(
          top,
          b
            .col("k")
            .eq(top.col("k2"))
            .and(b.col("id").gt(top.col("mx").minus(2000))),
        )
        .select("id", "k2", "mx"),
      false,
    );
  },
  "broadcast join": (b, dim) =>
    rows(b.join(F.broadcast(dim), "g").groupBy("name").agg(F.count("*"), F.sum("x")), false),
  sort: (b) => rows(b.orderBy(col("x").desc(), "id"), true),
  "multi-key sort with nulls first": (b) =>
    rows(b.orderBy(col("k").asc_nulls_last(), col("d").desc_nulls_first(), col("id")).select("id"), true),
  "top-k": (b) => rows(b.orderBy("k", col("d").desc(), "id").limit(50), true),
  window: (b) =>
    rows(
      b
        .withColumn("rn", F.rowNumber().over(Window.partitionBy("k").orderBy(col("x").desc(), "id")))
        .withColumn("rk", F.rank().over(Window.partitionBy("g").orderBy("d")))
        .withColumn("cs", F.sum("x").over(Window.partitionBy("g").orderBy("id").rowsBetween(-5, 0)))
        .withColumn("lg", F.lag("id").over(Window.partitionBy("k", "g").orderBy("id")))
        .where(col("rn").leq(20).or(col("id").mod(97).eq(0))),
      false,
    ),
  distinct: async (b) => [
    ...(await rows(b.select("k", "g").distinct(), false)),
    ...(await rows(b.dropDuplicates(["k", "g"]), false)),
    ...(await rows(b.select("g", "d").intersect(b.where(col("x").gt(0)).select("g", "d")), false)),
    ...(await rows(
      b
        .select("k")
        .exceptAll(b.where(col("g").eq(1)).select("k"))
        .groupBy("k")
        .count(),
      false,
    )),
    ...(await rows(b.select("g", "x").union(b.select("g", "x")).distinct().agg(F.count("*")), false)),
  ],
};

/** Thread counts, each with the shuffle partition counts it runs (every count meets two thread counts). */
const RUNS: [string, number[]][] = [
  ["local[1]", [1, 8]],
  ["local[2]", [1, 3, 8]],
  ["local[4]", [3, 8]],
];

const results = new Map<string, Map<string, string[] | Error>>();

beforeAll(async () => {
  await Session.getActiveSession()?.stop();
  for (const [master, partitionCounts] of RUNS) {
    // A new session per thread count; the shuffle partition count is read when a job is planned.
    const spark = await Session.builder()
      .master(master)
      .config("kindling.sql.autoBroadcastJoinThreshold", -1)
      .getOrCreate();
    // three input partitions: a union of three local relations
    const part = (i: number) =>
      spark.createDataFrame(
        ROWS.slice((i * N) / 3, ((i + 1) * N) / 3),
        "id INT, k STRING, g INT, x DOUBLE, d DATE",
      );
    const base = part(0).union(part(1)).union(part(2));
    const dim = spark.createDataFrame(DIM, "g INT, name STRING");
    for (const n of partitionCounts) {
      spark.conf.set("kindling.sql.shuffle.partitions", n);
      const byQuery = new Map<string, string[] | Error>();
      for (const [name, q] of Object.entries(QUERIES)) {
        byQuery.set(name, await q(base, dim).catch((e: Error) => e));
      }
      results.set(`${master}, ${n} shuffle partitions`, byQuery);
    }
    await spark.stop();
  }
}, 240_000);

afterAll(async () => {
  await Session.getActiveSession()?.stop();
});

describe("shuffle results do not depend on threads or shuffle partitions", () => {
  for (const name of Object.keys(QUERIES)) {
    it(name, () => {
      const [[refConfig, ref], ...rest] = [...results].map(([c, m]) => [c, m.get(name)!] as const);
      if (ref instanceof Error) throw ref;
      expect(ref.length).toBeGreaterThan(0);
      for (const [config, got] of rest) {
        if (got instanceof Error) throw new Error(`${config}: ${got.message}`);
        expect(got.length, `${config} vs ${refConfig}: row count`).toBe(ref.length);
        const i = got.findIndex((row, j) => row !== ref[j]);
        expect(i < 0 ? null : `row ${i}: ${got[i]} != ${ref[i]}`, `${config} vs ${refConfig}`).toBeNull();
      }
    });
  }

  it("the reference results are right where a plain computation can check them", () => {
    const ref = [...results.values()][0]!;
    // left join keeps every row (g = null and g in 7..9 have no match; the dim's null g matches nothing)
    const joins = ref.get("shuffled joins");
    if (joins === undefined || joins instanceof Error) throw joins ?? new Error("no result");
    const matched = ROWS.filter((r) => r[2] !== null && (r[2] as number) <= 6).length;
    expect(joins).toContain(`${matched}`);
    const anti = ROWS.length - matched;
    expect(joins.filter((r) => /^\d+$/.test(r)).length).toBe(anti + 1);
    // the global sort: x descending (NaN first, nulls last), then id
    const sorted = ref.get("sort");
    if (sorted === undefined || sorted instanceof Error) throw sorted ?? new Error("no result");
    const x = (v: unknown) =>
      v === null ? Number.NEGATIVE_INFINITY : Number.isNaN(v) ? Number.POSITIVE_INFINITY : (v as number);
    const want = [...ROWS]
      .sort(
        (a, b) =>
          x(b[3]) - x(a[3]) ||
          (a[3] === null ? 1 : 0) - (b[3] === null ? 1 : 0) ||
          (a[0] as number) - (b[0] as number),
      )
      .map((r) => r[0]);
    expect(sorted.map((r) => Number(r.split("|")[0]))).toEqual(want);
  });
});
