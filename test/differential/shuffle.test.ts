// Differential tests of the shuffle operators: the same queries on Kindling and DuckDB over the
// generated taxi-like data (60K trips over five days written to Parquet by DuckDB in row groups
// of 4000, read by Kindling in several splits) and the zones table. Where DuckDB's semantics
// differ from Spark's the SQL translates (see test/differences.md); DuckDB is always given an
// explicit null order, and rows are sorted before comparing when the order is unspecified.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoLake } from "../../client/demo-data.js";
import { col, type DataFrame, functions as F, Session, Window } from "../../index.js";
import { diffRows, normaliseRow, Oracle, type Row, sortRows } from "./duckdb.js";

let dir: string;
let spark: Session;
let duck: Oracle;
let parquetPath: string;
let zonesPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kindling-diff-shuffle-"));
  const lake = generateDemoLake(dir, "2021-02-26", 5, 12_000);
  zonesPath = lake.zonesPath;
  parquetPath = join(dir, "trips.parquet");
  duck = await Oracle.open();
  // rid: the row's position in the file, for first/last/collect_list order and as a tie-breaker.
  await duck.run(
    `COPY (SELECT row_number() OVER (ORDER BY pickup_datetime, vendor_id, pu_location_id, do_location_id, total_amount) AS rid, *
           FROM read_csv('${join(lake.tripsDir, "*.csv.gz")}', header = true) ORDER BY rid)
     TO '${parquetPath}' (FORMAT parquet, ROW_GROUP_SIZE 4000)`,
  );
  await duck.run(`CREATE TABLE trips AS SELECT * FROM read_parquet('${parquetPath}')`);
  await duck.run(`CREATE TABLE zones AS SELECT * FROM read_csv('${zonesPath}', header = true)`);
  await duck.run(
    `CREATE TABLE labels AS SELECT * FROM (VALUES (0, 'none'), (1, 'one'), (2, 'two'), (NULL, 'unknown')) v(passenger_count, label)`,
  );
  await Session.getActiveSession()?.stop();
  mkdirSync(join(dir, "events"));
  spark = await Session.builder()
    .master("local[2]")
    .config("kindling.eventLog.dir", join(dir, "events"))
    .config("kindling.sql.files.maxPartitionBytes", 200_000)
    .config("kindling.sql.shuffle.partitions", 5)
    .getOrCreate();
}, 120_000);

afterAll(async () => {
  await spark?.stop();
  duck?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const trips = () => spark.read.parquet(parquetPath);
const zones = () => spark.read.option("header", true).option("inferSchema", true).csv(zonesPath);
const labels = () =>
  spark.createDataFrame(
    [
      [0, "none"],
      [1, "one"],
      [2, "two"],
      [null, "unknown"],
    ],
    "passenger_count BIGINT, label STRING",
  );

/** Rows with lists as JSON text (sorted when `sets` names the column) so that they compare. */
function flatten(rows: Row[], sets: readonly string[] = []): Row[] {
  return rows.map((r) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) {
      if (!Array.isArray(v)) out[k] = v;
      else {
        const items = v.map((x) => (typeof x === "bigint" ? Number(x) : x));
        if (sets.includes(k)) items.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        out[k] = JSON.stringify(items);
      }
    }
    return out;
  });
}

interface Opts {
  readonly ordered?: boolean;
  readonly sets?: readonly string[];
  readonly eps?: number;
}

async function same(df: DataFrame, sql: string, opts: Opts = {}): Promise<Row[]> {
  const [mine, theirs] = await Promise.all([df.collect(), duck.rows(sql)]);
  const actual = flatten(mine.map(normaliseRow), opts.sets);
  const expected = flatten(theirs, opts.sets);
  const diff = opts.ordered
    ? diffRows(actual, expected, opts.eps)
    : diffRows(sortRows(actual), sortRows(expected), opts.eps);
  expect(diff, diff ?? "").toBeNull();
  expect(actual.length, "the query should return rows").toBeGreaterThan(0);
  return actual;
}

/** Runs `fn` with broadcast joins disabled, so every join is shuffled. */
async function shuffled<T>(fn: () => Promise<T>): Promise<T> {
  spark.conf.set("kindling.sql.autoBroadcastJoinThreshold", -1);
  try {
    return await fn();
  } finally {
    spark.conf.unset("kindling.sql.autoBroadcastJoinThreshold");
  }
}

describe("the issue's benchmark queries", () => {
  it("the data spans several input partitions and two months", async () => {
    expect(await trips().groupBy("service_type").count().count()).toBe(3);
    const [log] = readdirSync(join(dir, "events"));
    const events = readFileSync(join(dir, "events", log!), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const mapStage = events.find((e) => e.event === "StageSubmitted" && e.kind === "shuffle");
    expect(mapStage.numTasks).toBeGreaterThan(2);
    const [row] = await duck.rows(
      "SELECT count(*) AS n, count(DISTINCT month(pickup_datetime)) AS months FROM trips",
    );
    expect(row).toEqual({ n: 60_000, months: 2 });
  });

  it("1. revenue report: group by month, pickup zone and service", async () => {
    await same(
      trips()
        .withColumn("month", F.dateTrunc("month", col("pickup_datetime")))
        .groupBy("month", "pu_location_id", "service_type")
        .agg(
          F.sum("fare_amount").alias("fare"),
          F.sum("tip_amount").alias("tip"),
          F.sum("total_amount").alias("total"),
          F.avg("passenger_count").alias("avg_passengers"),
          F.avg("trip_distance").alias("avg_distance"),
          F.count("*").alias("trips"),
        ),
      `SELECT date_trunc('month', pickup_datetime) AS month, pu_location_id, service_type,
              sum(fare_amount) AS fare, sum(tip_amount) AS tip, sum(total_amount) AS total,
              avg(passenger_count) AS avg_passengers, avg(trip_distance) AS avg_distance, count(*) AS trips
       FROM trips GROUP BY ALL`,
    );
  });

  it("2. join with the zones and group by borough (broadcast and shuffled)", async () => {
    const sql = `SELECT borough, count(*) AS n, avg(total_amount) AS avg_total
                 FROM trips JOIN zones ON pu_location_id = location_id GROUP BY borough`;
    const q = (z: DataFrame) =>
      trips()
        .join(z, trips().col("pu_location_id").eq(z.col("location_id")))
        .groupBy("borough")
        .agg(F.count("*").alias("n"), F.avg("total_amount").alias("avg_total"));
    const z = zones();
    await same(q(F.broadcast(z)), sql);
    await shuffled(() => same(q(z), sql));
  });

  it("3. the 10 trips with the largest tip (all columns)", async () => {
    await same(
      trips().orderBy(col("tip_amount").desc(), col("pickup_datetime"), col("rid")).limit(10),
      "SELECT * FROM trips ORDER BY tip_amount DESC, pickup_datetime, rid LIMIT 10",
      { ordered: true },
    );
  });

  it("4. count of distinct (pickup, dropoff) pairs", async () => {
    const [row] = await duck.rows(
      "SELECT count(*) AS n FROM (SELECT DISTINCT pu_location_id, do_location_id FROM trips)",
    );
    expect(await trips().select("pu_location_id", "do_location_id").distinct().count()).toBe(row!.n);
    await same(
      trips().agg(F.countDistinct("pu_location_id", "do_location_id").alias("n")),
      "SELECT count(DISTINCT (pu_location_id, do_location_id)) AS n FROM trips",
    );
  });

  it("5. per pickup zone, the 3 days with the highest total (window rank)", async () => {
    const w = Window.partitionBy("pu_location_id").orderBy(col("total").desc());
    await same(
      trips()
        .withColumn("day", F.toDate(col("pickup_datetime")))
        .groupBy("pu_location_id", "day")
        // sums of cents, rounded to cents so that equal days tie in both engines
        .agg(F.round(F.sum("total_amount"), 2).alias("total"))
        .withColumn("rank", F.rank().over(w))
        .where(col("rank").leq(3)),
      `SELECT * FROM (
         SELECT *, rank() OVER (PARTITION BY pu_location_id ORDER BY total DESC) AS rank
         FROM (SELECT pu_location_id, CAST(pickup_datetime AS DATE) AS day, round(sum(total_amount), 2) AS total
               FROM trips GROUP BY 1, 2)) WHERE rank <= 3`,
    );
  });
});

describe("every aggregate function", () => {
  it("counts, sums, averages, min and max", async () => {
    await same(
      trips()
        .groupBy("pu_location_id")
        .agg(
          F.count("*").alias("n"),
          F.count("passenger_count").alias("n_pass"),
          F.countDistinct("do_location_id").alias("nd_do"),
          F.sum("fare_amount").alias("sum_fare"),
          F.sum("passenger_count").alias("sum_pass"),
          F.avg("fare_amount").alias("avg_fare"),
          F.mean("passenger_count").alias("mean_pass"),
          F.min("fare_amount").alias("min_fare"),
          F.max("tip_amount").alias("max_tip"),
          F.min("pickup_datetime").alias("first_pickup"),
          F.max("service_type").alias("max_service"),
          F.min("store_and_fwd_flag").alias("min_flag"),
        ),
      `SELECT pu_location_id, count(*) AS n, count(passenger_count) AS n_pass, count(DISTINCT do_location_id) AS nd_do,
              sum(fare_amount) AS sum_fare, sum(passenger_count) AS sum_pass, avg(fare_amount) AS avg_fare,
              avg(passenger_count) AS mean_pass, min(fare_amount) AS min_fare, max(tip_amount) AS max_tip,
              min(pickup_datetime) AS first_pickup, max(service_type) AS max_service, min(store_and_fwd_flag) AS min_flag
       FROM trips GROUP BY ALL`,
    );
  });

  it("count(DISTINCT a, b) skips rows with a null (DuckDB's row value does not)", async () => {
    await same(
      trips().groupBy("service_type").agg(F.countDistinct("passenger_count", "payment_type").alias("n")),
      `SELECT service_type,
              count(DISTINCT (passenger_count, payment_type)) FILTER (WHERE passenger_count IS NOT NULL AND payment_type IS NOT NULL) AS n
       FROM trips GROUP BY ALL`,
    );
  });

  it("global aggregates, and a global aggregate of no rows is one row", async () => {
    const aggs = (df: DataFrame) =>
      df.agg(
        F.count("*").alias("n"),
        F.sum("tip_amount").alias("tips"),
        F.avg("trip_distance").alias("dist"),
        F.max("rid").alias("mx"),
      );
    const sql = (where: string) =>
      `SELECT count(*) AS n, sum(tip_amount) AS tips, avg(trip_distance) AS dist, max(rid) AS mx FROM trips WHERE ${where}`;
    await same(aggs(trips()), sql("true"));
    await same(aggs(trips().where(col("fare_amount").lt(0))), sql("fare_amount < 0"));
    expect(await trips().where(col("fare_amount").lt(0)).groupBy("service_type").count().count()).toBe(0);
  });

  it("first and last follow the file order", async () => {
    await same(
      trips()
        .groupBy("do_location_id")
        .agg(
          F.first("fare_amount").alias("f"),
          F.last("rid").alias("l"),
          F.first("passenger_count").alias("fp"),
          F.first("passenger_count", true).alias("fpi"),
          F.last("passenger_count", true).alias("lpi"),
        ),
      `SELECT do_location_id, first(fare_amount ORDER BY rid) AS f, last(rid ORDER BY rid) AS l,
              first(passenger_count ORDER BY rid) AS fp,
              first(passenger_count ORDER BY rid) FILTER (WHERE passenger_count IS NOT NULL) AS fpi,
              last(passenger_count ORDER BY rid) FILTER (WHERE passenger_count IS NOT NULL) AS lpi
       FROM trips GROUP BY ALL`,
    );
  });

  it("standard deviations and variances", async () => {
    await same(
      trips()
        .groupBy("pu_location_id", "payment_type")
        .agg(
          F.stddev("fare_amount").alias("sd"),
          F.stddev_samp("tip_amount").alias("sds"),
          F.stddev_pop("total_amount").alias("sdp"),
          F.variance("trip_distance").alias("v"),
          F.var_samp("passenger_count").alias("vs"),
          F.var_pop("tip_amount").alias("vp"),
        ),
      `SELECT pu_location_id, payment_type, stddev_samp(fare_amount) AS sd, stddev_samp(tip_amount) AS sds,
              stddev_pop(total_amount) AS sdp, var_samp(trip_distance) AS v, var_samp(passenger_count) AS vs,
              var_pop(tip_amount) AS vp
       FROM trips GROUP BY ALL`,
      { eps: 1e-7 },
    );
  });

  it("corr (a constant column gives null in Spark, NaN in DuckDB)", async () => {
    await same(
      trips().groupBy("pu_location_id", "payment_type").agg(F.corr("fare_amount", "tip_amount").alias("c")),
      `SELECT pu_location_id, payment_type,
              CASE WHEN var_pop(fare_amount) FILTER (WHERE tip_amount IS NOT NULL) = 0
                     OR var_pop(tip_amount) FILTER (WHERE fare_amount IS NOT NULL) = 0 THEN NULL
                   ELSE corr(fare_amount, tip_amount) END AS c
       FROM trips GROUP BY ALL`,
      { eps: 1e-7 },
    );
  });

  it("collect_list (file order) and collect_set (compared sorted); all nulls give []", async () => {
    await same(
      trips()
        .where(col("pu_location_id").leq(4))
        .groupBy("pu_location_id", "vendor_id")
        .agg(
          F.collectList("passenger_count").alias("pl"),
          F.collectSet("do_location_id").alias("ds"),
          F.collectList(F.when(col("fare_amount").lt(0), col("rid"))).alias("none"),
        ),
      `SELECT pu_location_id, vendor_id,
              coalesce(list(passenger_count ORDER BY rid) FILTER (WHERE passenger_count IS NOT NULL), []) AS pl,
              list(DISTINCT do_location_id) AS ds,
              coalesce(list(rid) FILTER (WHERE fare_amount < 0), []) AS none
       FROM trips WHERE pu_location_id <= 4 GROUP BY ALL`,
      { sets: ["ds"] },
    );
  });

  it("median (interpolated) and percentile_approx (the value at rank ceil(p * n))", async () => {
    const pct = (c: string, p: number) =>
      `list_sort(list(${c}))[greatest(1, ceil(${p}::DOUBLE * count(${c})))::BIGINT]`;
    await same(
      trips()
        .groupBy("pu_location_id")
        .agg(
          F.median("trip_distance").alias("med"),
          F.percentileApprox("fare_amount", 0.5).alias("p50"),
          F.percentileApprox("tip_amount", [0.25, 0.9]).alias("ps"),
          F.percentileApprox("passenger_count", 0.1).alias("p10"),
        ),
      `SELECT pu_location_id, median(trip_distance) AS med, ${pct("fare_amount", 0.5)} AS p50,
              [${pct("tip_amount", 0.25)}, ${pct("tip_amount", 0.9)}] AS ps, ${pct("passenger_count", 0.1)} AS p10
       FROM trips GROUP BY ALL`,
    );
  });

  it("approx_count_distinct is within its error bound of the exact count", async () => {
    const mine = await trips()
      .groupBy("service_type")
      .agg(
        F.approxCountDistinct("rid").alias("a"),
        F.approxCountDistinct("do_location_id").alias("b"),
        F.approxCountDistinct("pickup_datetime", 0.01).alias("c"),
      )
      .collect();
    const exact = await duck.rows(
      "SELECT service_type, count(DISTINCT rid) AS a, count(DISTINCT do_location_id) AS b, count(DISTINCT pickup_datetime) AS c FROM trips GROUP BY ALL",
    );
    expect(mine.length).toBe(exact.length);
    for (const e of exact) {
      const m = mine.find((r) => r.service_type === e.service_type)!;
      // rsd 0.05 by default: allow three standard errors; 0.01 for c
      expect(Math.abs((m.a as number) - (e.a as number))).toBeLessThanOrEqual(0.15 * (e.a as number));
      expect(Math.abs((m.b as number) - (e.b as number))).toBeLessThanOrEqual(
        Math.max(2, 0.15 * (e.b as number)),
      );
      expect(Math.abs((m.c as number) - (e.c as number))).toBeLessThanOrEqual(0.03 * (e.c as number));
    }
  });

  it("aggregates over expressions and pivot", async () => {
    await same(
      trips()
        .groupBy(F.hour(col("pickup_datetime")).alias("h"))
        .agg(
          F.sum("tip_amount").divide(F.count("*")).alias("tip_per_trip"),
          F.sum(col("fare_amount").plus(col("tip_amount"))).alias("ft"),
          F.max("total_amount").minus(F.min("total_amount")).alias("spread"),
        ),
      `SELECT hour(pickup_datetime) AS h, sum(tip_amount) / count(*) AS tip_per_trip, sum(fare_amount + tip_amount) AS ft,
              max(total_amount) - min(total_amount) AS spread
       FROM trips GROUP BY ALL`,
    );
    await same(
      trips()
        .groupBy("pu_location_id")
        .pivot("service_type", ["yellow", "green", "fhv"])
        .agg(F.sum("total_amount")),
      `SELECT pu_location_id, sum(total_amount) FILTER (WHERE service_type = 'yellow') AS yellow,
              sum(total_amount) FILTER (WHERE service_type = 'green') AS green,
              sum(total_amount) FILTER (WHERE service_type = 'fhv') AS fhv
       FROM trips GROUP BY ALL`,
    );
    // Spark's pivot leaves a (key, value) pair without rows NULL, for count too
    await same(
      trips()
        .where(col("tip_amount").gt(6))
        .groupBy("pu_location_id")
        .pivot("service_type", ["yellow", "green", "fhv"])
        .count(),
      `SELECT pu_location_id, nullif(count(*) FILTER (WHERE service_type = 'yellow'), 0) AS yellow,
              nullif(count(*) FILTER (WHERE service_type = 'green'), 0) AS green,
              nullif(count(*) FILTER (WHERE service_type = 'fhv'), 0) AS fhv
       FROM trips WHERE tip_amount > 6 GROUP BY ALL`,
    );
  });
});

describe("every join type", () => {
  const few = () =>
    trips()
      .where(col("pu_location_id").leq(20))
      .select("rid", "pu_location_id", "passenger_count", "total_amount");
  const someZones = () => zones().where(col("location_id").between(10, 30)).select("location_id", "borough");
  const FEW =
    "(SELECT rid, pu_location_id, passenger_count, total_amount FROM trips WHERE pu_location_id <= 20)";
  const SOME = "(SELECT location_id, borough FROM zones WHERE location_id BETWEEN 10 AND 30)";
  const cols = "t.rid, t.pu_location_id, z.location_id, z.borough";

  for (const [how, duckHow] of [
    ["inner", "JOIN"],
    ["left", "LEFT JOIN"],
    ["right", "RIGHT JOIN"],
    ["full", "FULL JOIN"],
  ] as const) {
    it(`${how} join on an expression, with and without a residual condition, broadcast and shuffled`, async () => {
      const run = async () => {
        const t = few();
        const z = someZones();
        await same(
          t
            .join(z, t.col("pu_location_id").eq(z.col("location_id")), how)
            .select("rid", "pu_location_id", "location_id", "borough"),
          `SELECT ${cols} FROM ${FEW} t ${duckHow} ${SOME} z ON t.pu_location_id = z.location_id`,
        );
        await same(
          t
            .join(
              z,
              t
                .col("pu_location_id")
                .eq(z.col("location_id"))
                .and(t.col("total_amount").gt(z.col("location_id"))),
              how,
            )
            .select("rid", "pu_location_id", "location_id", "borough"),
          `SELECT ${cols} FROM ${FEW} t ${duckHow} ${SOME} z ON t.pu_location_id = z.location_id AND t.total_amount > z.location_id`,
        );
      };
      await run();
      await shuffled(run);
    });
  }

  it("left_semi and left_anti joins (and a null key never matches)", async () => {
    const run = async () => {
      const t = few();
      const z = someZones();
      for (const [how, not] of [
        ["left_semi", ""],
        ["left_anti", "NOT"],
      ] as const) {
        await same(
          t.join(z, t.col("pu_location_id").eq(z.col("location_id")).and(t.col("total_amount").gt(20)), how),
          `SELECT * FROM ${FEW} t WHERE ${not} EXISTS (SELECT 1 FROM ${SOME} z WHERE t.pu_location_id = z.location_id AND t.total_amount > 20)`,
        );
        await same(
          t.join(labels(), "passenger_count", how),
          `SELECT passenger_count, rid, pu_location_id, total_amount FROM ${FEW} t
           WHERE ${not} EXISTS (SELECT 1 FROM labels l WHERE l.passenger_count = t.passenger_count)`,
        );
      }
    };
    await run();
    await shuffled(run);
  });

  it("using-column joins on a nullable key: keys first, then the left's columns, then the right's", async () => {
    for (const [how, duckHow, key] of [
      ["inner", "JOIN", "t.passenger_count"],
      ["left", "LEFT JOIN", "t.passenger_count"],
      ["right", "RIGHT JOIN", "l.passenger_count"],
      ["full", "FULL JOIN", "coalesce(t.passenger_count, l.passenger_count)"],
    ] as const) {
      await shuffled(() =>
        same(
          few().where(col("pu_location_id").leq(3)).join(labels(), "passenger_count", how),
          `SELECT ${key} AS passenger_count, t.rid, t.pu_location_id, t.total_amount, l.label
           FROM (SELECT * FROM ${FEW} WHERE pu_location_id <= 3) t ${duckHow} labels l ON t.passenger_count = l.passenger_count`,
        ),
      );
    }
  });

  it("cross join", async () => {
    await same(
      trips()
        .where(col("pu_location_id").eq(1))
        .select("rid")
        .crossJoin(zones().where(col("location_id").leq(5)).select("zone")),
      "SELECT t.rid, z.zone FROM (SELECT rid FROM trips WHERE pu_location_id = 1) t CROSS JOIN (SELECT zone FROM zones WHERE location_id <= 5) z",
    );
  });

  it("a many-to-many self-shaped join over every row, shuffled", async () => {
    const a = trips().select(col("do_location_id").alias("k"), col("rid").alias("a"));
    const b = trips()
      .where(col("vendor_id").eq(1))
      .select(col("pu_location_id").alias("k"), col("rid").alias("b"));
    await shuffled(() =>
      same(
        a
          .join(b, "k")
          .groupBy("k")
          .agg(F.count("*").alias("n"), F.sum(col("a").minus(col("b"))).alias("d")),
        `SELECT k, count(*) AS n, sum(a - b) AS d
         FROM (SELECT do_location_id AS k, rid AS a FROM trips) JOIN (SELECT pu_location_id AS k, rid AS b FROM trips WHERE vendor_id = 1) USING (k)
         GROUP BY k`,
      ),
    );
  });
});

describe("sorting, distinct and set operations", () => {
  it("sorts with Spark's null order (DuckDB is given it explicitly)", async () => {
    const t = () => trips().select("rid", "passenger_count", "service_type", "tip_amount");
    await same(
      t().orderBy("passenger_count", "rid"),
      "SELECT rid, passenger_count, service_type, tip_amount FROM trips ORDER BY passenger_count ASC NULLS FIRST, rid",
      { ordered: true },
    );
    await same(
      t()
        .where(col("rid").mod(3).eq(0))
        .orderBy(
          col("passenger_count").desc(),
          col("service_type").desc(),
          col("tip_amount"),
          col("rid").desc(),
        ),
      `SELECT rid, passenger_count, service_type, tip_amount FROM trips WHERE rid % 3 = 0
       ORDER BY passenger_count DESC NULLS LAST, service_type DESC, tip_amount ASC NULLS FIRST, rid DESC`,
      { ordered: true },
    );
    await same(
      t().orderBy(col("passenger_count").asc_nulls_last(), col("rid").desc()).limit(100),
      "SELECT rid, passenger_count, service_type, tip_amount FROM trips ORDER BY passenger_count ASC NULLS LAST, rid DESC LIMIT 100",
      { ordered: true },
    );
    await same(
      t().orderBy(col("passenger_count").desc_nulls_first(), col("rid")).limit(1500),
      "SELECT rid, passenger_count, service_type, tip_amount FROM trips ORDER BY passenger_count DESC NULLS FIRST, rid LIMIT 1500",
      { ordered: true },
    );
  });

  it("distinct, dropDuplicates, intersect, exceptAll, subtract", async () => {
    const a = () => trips().where(col("tip_amount").gt(3)).select("pu_location_id", "passenger_count");
    const b = () => trips().where(col("fare_amount").lt(10)).select("pu_location_id", "passenger_count");
    const A = "(SELECT pu_location_id, passenger_count FROM trips WHERE tip_amount > 3)";
    const B = "(SELECT pu_location_id, passenger_count FROM trips WHERE fare_amount < 10)";
    await same(a().distinct(), `SELECT DISTINCT * FROM ${A}`);
    await same(
      a().dropDuplicates(["passenger_count"]).select("passenger_count"),
      `SELECT DISTINCT passenger_count FROM ${A}`,
    );
    await same(a().union(b()).distinct(), `SELECT * FROM ${A} UNION SELECT * FROM ${B}`);
    await same(a().intersect(b()), `SELECT * FROM ${A} INTERSECT SELECT * FROM ${B}`);
    await same(a().intersectAll(b()), `SELECT * FROM ${A} INTERSECT ALL SELECT * FROM ${B}`);
    await same(a().exceptAll(b()), `SELECT * FROM ${A} EXCEPT ALL SELECT * FROM ${B}`);
    await same(a().subtract(b()), `SELECT * FROM ${A} EXCEPT SELECT * FROM ${B}`);
  });

  it("window functions over the trips", async () => {
    const w = Window.partitionBy("pu_location_id").orderBy("pickup_datetime", "rid");
    await same(
      trips()
        .where(col("pu_location_id").leq(30))
        .select(
          "rid",
          F.rowNumber().over(w).alias("rn"),
          F.rank().over(Window.partitionBy("pu_location_id").orderBy("passenger_count")).alias("rk"),
          F.dense_rank()
            .over(Window.partitionBy("pu_location_id").orderBy(col("passenger_count").desc()))
            .alias("drk"),
          F.lag("total_amount", 1, 0).over(w).alias("prev"),
          F.lead("rid", 2).over(w).alias("next2"),
          F.sum("total_amount").over(w.rowsBetween(-2, 0)).alias("s3"),
          F.avg("tip_amount").over(Window.partitionBy("pu_location_id")).alias("avg_tip"),
          F.count("passenger_count").over(w).alias("running"),
        ),
      `SELECT rid,
              row_number() OVER w AS rn,
              rank() OVER (PARTITION BY pu_location_id ORDER BY passenger_count ASC NULLS FIRST) AS rk,
              dense_rank() OVER (PARTITION BY pu_location_id ORDER BY passenger_count DESC NULLS LAST) AS drk,
              lag(total_amount, 1, 0) OVER w AS prev,
              lead(rid, 2) OVER w AS next2,
              sum(total_amount) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3,
              avg(tip_amount) OVER (PARTITION BY pu_location_id) AS avg_tip,
              count(passenger_count) OVER w AS running
       FROM trips WHERE pu_location_id <= 30
       WINDOW w AS (PARTITION BY pu_location_id ORDER BY pickup_datetime, rid)`,
    );
  });
});
