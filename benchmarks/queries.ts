// The benchmark queries: a table of named jobs, each with a Kindling implementation (the
// DataFrame API) and the same job as DuckDB SQL, plus a DuckDB check that fingerprints a
// written output so the runner can confirm both engines computed the same thing. A new query
// is one more entry in QUERIES; nothing else needs to change.
//
// Only types come from the engine here (erased at run time), so the DuckDB side runs even
// when the engine does not build; kindling.ts loads the engine itself. Nothing here loads
// DuckDB either, so a Kindling job's process never pays for it.
import type { Session } from "../index.js";
import { TRIP_DUCKDB_TYPES, TRIP_SPARK_DDL } from "./trip-model.js";

/** The engine's package entry (`import * as k from "kindling"`), handed to each query. */
export type Kindling = typeof import("../index.js");

/** Where a query reads and writes: globs over the generated files and an output directory. */
export interface QueryIO {
  /** Glob over the trips Parquet files. */
  readonly tripsParquet: string;
  /** Glob over the trips CSV files (with a header). */
  readonly tripsCsv: string;
  readonly zonesParquet: string;
  readonly zonesCsv: string;
  /** Output directory for a query that writes; absent before the job, removed after. */
  readonly out: string;
}

/** What a query must meet against DuckDB (the issue's targets). */
export interface QueryTarget {
  /** Largest allowed ratio of Kindling's median whole-process time to DuckDB's. */
  readonly maxRatio: number;
  /** Largest allowed peak RSS of either engine's process, MiB. */
  readonly maxRssMiB: number;
}

/** One benchmark job. */
export interface BenchQuery {
  /** Short id used on the command line (`--queries a,b`). */
  readonly id: string;
  /** Descriptive snake_case name, also accepted by `--queries`. */
  readonly name: string;
  /** One line for the results table's legend. */
  readonly title: string;
  readonly input: "parquet" | "csv";
  readonly target?: QueryTarget;
  /**
   * The job on Kindling; resolves to its headline number (a count, or the rows written).
   * `k` is the engine module, `spark` a session already started with the chosen threads.
   */
  kindling(k: Kindling, spark: Session, io: QueryIO): Promise<number | null>;
  /** The job as DuckDB SQL statements, run in order; the last one's first value is the result. */
  duckdb(io: QueryIO): string[];
  /**
   * For a query that writes: DuckDB SQL over `io.out` whose single row fingerprints the
   * output (counts and rounded sums), compared between engines after the timed runs.
   */
  check?(io: QueryIO): string;
}

/** Quotes a string as a SQL literal ('it''s'). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** DuckDB's `columns={...}` argument of read_csv for a name-to-type map. */
export function duckdbColumns(types: Readonly<Record<string, string>>): string {
  return `{${Object.entries(types)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(", ")}}`;
}

// A glob over the Parquet files a query wrote (Kindling writes part files plus _SUCCESS;
// DuckDB writes one file).
const written = (io: QueryIO): string => sqlString(`${io.out}/*.parquet`);
const readTripsCsv = (io: QueryIO): string =>
  `read_csv(${sqlString(io.tripsCsv)}, header = true, delim = ',', quote = '"', ` +
  `columns = ${duckdbColumns(TRIP_DUCKDB_TYPES)})`;

/** Every benchmark query, in run order. */
export const QUERIES: readonly BenchQuery[] = [
  {
    id: "a",
    name: "parquet_filter_count",
    title: "Parquet scan + filter + count",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col } = k;
      return spark.read
        .parquet(io.tripsParquet)
        .where(col("passenger_count").gt(1).and(col("trip_distance").gt(5)))
        .count();
    },
    duckdb: (io) => [
      `SELECT count(*) FROM read_parquet(${sqlString(io.tripsParquet)}) ` +
        `WHERE passenger_count > 1 AND trip_distance > 5`,
    ],
  },
  {
    id: "b",
    name: "parquet_project_write",
    title: "Parquet scan + project + arithmetic + write Parquet",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col } = k;
      const summary = await spark.read
        .parquet(io.tripsParquet)
        .select(
          col("pickup_datetime"),
          col("pu_location_id"),
          col("do_location_id"),
          col("passenger_count"),
          col("trip_distance").multiply(1.609344).alias("trip_km"),
          col("fare_amount").plus(col("tip_amount")).alias("fare_and_tip"),
          col("total_amount").minus(col("fare_amount")).minus(col("tip_amount")).alias("surcharges"),
          col("passenger_count").multiply(col("pu_location_id")).plus(1).alias("int_mix"),
        )
        .write.mode("overwrite")
        .parquet(io.out);
      return summary.rows;
    },
    duckdb: (io) => [
      `COPY (SELECT pickup_datetime, pu_location_id, do_location_id, passenger_count, ` +
        `trip_distance * 1.609344 AS trip_km, fare_amount + tip_amount AS fare_and_tip, ` +
        `total_amount - fare_amount - tip_amount AS surcharges, ` +
        `passenger_count * pu_location_id + 1 AS int_mix ` +
        `FROM read_parquet(${sqlString(io.tripsParquet)})) ` +
        `TO ${sqlString(`${io.out}/part-0.parquet`)} (FORMAT parquet)`,
    ],
    check: (io) =>
      `SELECT count(*), count(passenger_count), round(sum(trip_km), 3), round(sum(fare_and_tip), 2), ` +
      `round(sum(surcharges), 2), sum(int_mix), sum(epoch(pickup_datetime)) FROM read_parquet(${written(io)})`,
  },
  {
    id: "c",
    name: "csv_etl_to_parquet",
    title: "CSV -> typed parse -> filter -> write Parquet (the ETL job)",
    input: "csv",
    target: { maxRatio: 1, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col } = k;
      const summary = await spark.read
        .option("header", true)
        .schema(TRIP_SPARK_DDL)
        .csv(io.tripsCsv)
        .where(col("trip_distance").gt(0).and(col("fare_amount").gt(0)))
        .write.mode("overwrite")
        .parquet(io.out);
      return summary.rows;
    },
    duckdb: (io) => [
      `COPY (SELECT * FROM ${readTripsCsv(io)} WHERE trip_distance > 0 AND fare_amount > 0) ` +
        `TO ${sqlString(`${io.out}/part-0.parquet`)} (FORMAT parquet)`,
    ],
    check: (io) =>
      `SELECT count(*), count(passenger_count), sum(vendor_id), round(sum(fare_amount), 2), ` +
      `round(sum(total_amount), 2), sum(epoch(pickup_datetime)), sum(epoch(dropoff_datetime)), ` +
      `count(*) FILTER (WHERE service_type = 'fhv'), count(*) FILTER (WHERE store_and_fwd_flag = 'Y') ` +
      `FROM read_parquet(${written(io)})`,
  },
  {
    id: "1",
    name: "revenue_report",
    title: "Revenue report: group by (month, pu_location_id, service_type), sums, averages, count",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col, functions: F } = k;
      const rows = await spark.read
        .parquet(io.tripsParquet)
        .groupBy(
          F.dateTrunc("month", col("pickup_datetime")).alias("month"),
          col("pu_location_id"),
          col("service_type"),
        )
        .agg(
          F.sum("fare_amount").alias("fare"),
          F.sum("tip_amount").alias("tips"),
          F.sum("total_amount").alias("total"),
          F.avg("passenger_count").alias("avg_passengers"),
          F.avg("trip_distance").alias("avg_distance"),
          F.count("*").alias("trips"),
        )
        .collect();
      return rows.length;
    },
    duckdb: (io) => [
      `SELECT count(*) FROM (SELECT date_trunc('month', pickup_datetime) AS month, pu_location_id, service_type, ` +
        `sum(fare_amount), sum(tip_amount), sum(total_amount), avg(passenger_count), avg(trip_distance), count(*) ` +
        `FROM read_parquet(${sqlString(io.tripsParquet)}) GROUP BY ALL)`,
    ],
  },
  {
    id: "2",
    name: "join_zones_by_borough",
    title: "Join with the zones table, group by borough (count, average total)",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col, functions: F } = k;
      const trips = spark.read.parquet(io.tripsParquet);
      const zones = spark.read.parquet(io.zonesParquet);
      const rows = await trips
        .join(zones, trips.col("pu_location_id").eq(zones.col("location_id")))
        .groupBy("borough")
        .agg(F.count("*").alias("trips"), F.avg("total_amount").alias("avg_total"))
        .collect();
      void col;
      return rows.length;
    },
    duckdb: (io) => [
      `SELECT count(*) FROM (SELECT borough, count(*), avg(total_amount) FROM read_parquet(${sqlString(io.tripsParquet)}) t ` +
        `JOIN read_parquet(${sqlString(io.zonesParquet)}) z ON t.pu_location_id = z.location_id GROUP BY borough)`,
    ],
  },
  {
    id: "3",
    name: "top10_tips",
    title: "The 10 trips with the largest tip (all columns)",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col } = k;
      const rows = await spark.read
        .parquet(io.tripsParquet)
        .orderBy(col("tip_amount").desc())
        .limit(10)
        .collect();
      return rows.length;
    },
    duckdb: (io) => [
      `SELECT count(*) FROM (SELECT * FROM read_parquet(${sqlString(io.tripsParquet)}) ORDER BY tip_amount DESC LIMIT 10)`,
    ],
  },
  {
    id: "4",
    name: "distinct_pairs",
    title: "Count of distinct (pu_location_id, do_location_id) pairs",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(_k, spark, io) {
      return spark.read
        .parquet(io.tripsParquet)
        .select("pu_location_id", "do_location_id")
        .distinct()
        .count();
    },
    duckdb: (io) => [
      `SELECT count(*) FROM (SELECT DISTINCT pu_location_id, do_location_id FROM read_parquet(${sqlString(io.tripsParquet)}))`,
    ],
  },
  {
    id: "5",
    name: "top3_days_per_zone",
    title: "Per pickup zone, the 3 days with the highest total amount (window rank)",
    input: "parquet",
    target: { maxRatio: 2, maxRssMiB: 2048 },
    async kindling(k, spark, io) {
      const { col, functions: F, Window } = k;
      const daily = spark.read
        .parquet(io.tripsParquet)
        .groupBy(col("pu_location_id"), F.toDate(col("pickup_datetime")).alias("day"))
        .agg(F.sum("total_amount").alias("total"));
      const w = Window.partitionBy("pu_location_id").orderBy(col("total").desc());
      const rows = await daily.withColumn("rank", F.rank().over(w)).where(col("rank").leq(3)).collect();
      return rows.length;
    },
    duckdb: (io) => [
      `SELECT count(*) FROM (SELECT * FROM (SELECT pu_location_id, day, total, rank() OVER (PARTITION BY pu_location_id ORDER BY total DESC) AS r ` +
        `FROM (SELECT pu_location_id, CAST(pickup_datetime AS DATE) AS day, sum(total_amount) AS total ` +
        `FROM read_parquet(${sqlString(io.tripsParquet)}) GROUP BY ALL)) WHERE r <= 3)`,
    ],
  },
];

/** Looks up queries by id or name ("a,b" or "parquet_filter_count"); throws on an unknown one. */
export function selectQueries(spec: string | undefined): BenchQuery[] {
  if (!spec) return [...QUERIES];
  return spec.split(",").map((s) => {
    const key = s.trim();
    const q = QUERIES.find((x) => x.id === key || x.name === key);
    if (!q)
      throw new Error(
        `unknown query "${key}"; known: ${QUERIES.map((x) => `${x.id} (${x.name})`).join(", ")}`,
      );
    return q;
  });
}
