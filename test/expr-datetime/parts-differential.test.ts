// Date parts and date_trunc against DuckDB, in UTC and in DST-observing session zones, over
// random instants (1890-2100, negative µs included) and instants around DST transitions.
import { afterAll, describe, expect, it } from "vitest";
import "../../engine/expr/functions/datetime.js";
import { T } from "../../engine/types/data-type.js";
import { colArg, evalFn, litArg } from "../expr-strings/helpers.js";
import { duck, duckRows } from "./duck.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function sampleMicros(): bigint[] {
  const r = rng(42);
  const out: bigint[] = [];
  for (let k = 0; k < 1500; k++) {
    const sec = Math.floor(-2.5e9 + r() * 6.6e9);
    out.push(BigInt(sec) * 1_000_000n + BigInt(Math.floor(r() * 1e6)));
  }
  const transitions = [
    "2021-03-14T07:00:00Z",
    "2021-11-07T06:00:00Z",
    "2021-03-28T01:00:00Z",
    "2021-10-31T01:00:00Z",
  ];
  for (const t of transitions) {
    const base = BigInt(Date.parse(t)) * 1000n;
    for (let m = -150; m <= 150; m += 7) out.push(base + BigInt(m) * 60_000_000n + 123n);
  }
  out.push(0n, -1n, 1n, -86_400_000_000n, 951_782_400_000_000n /* 2000-02-29 */);
  return out;
}

/** The wall clock of an instant in a zone, to the second. */
function wallClock(ms: number, zone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(ms);
}

const PARTS = [
  "year",
  "quarter",
  "month",
  "dayofmonth",
  "dayofweek",
  "dayofyear",
  "weekofyear",
  "hour",
  "minute",
  "second",
];
const DUCK_PARTS: Record<string, string> = { dayofmonth: "day", dayofweek: "dayofweek" };
const UNITS = ["year", "quarter", "month", "week", "day", "hour", "minute", "second"];

afterAll(async () => {
  (await duck()).closeSync();
});

describe.each(["UTC", "America/New_York", "Europe/Berlin"])("in session zone %s", (zone) => {
  const micros = sampleMicros();
  const ctx = { timeZone: zone, nowMicros: 0 };

  async function duckTable(ntz: boolean) {
    const c = await duck();
    await c.run(`SET TimeZone='${zone}'`);
    const values = micros.map((us, i) => `(${i}, ${us})`).join(",");
    const ts = ntz ? "make_timestamp(us)" : "to_timestamp(0) + to_microseconds(us)";
    const cols = [
      ...PARTS.map((p) => `${DUCK_PARTS[p] ?? p}(ts) AS ${p}`),
      ...UNITS.map((u) => `epoch_us(date_trunc('${u}', ts)) AS t_${u}`),
    ];
    return duckRows(
      `SELECT i, ${cols.join(", ")} FROM (SELECT i, ${ts} AS ts FROM (VALUES ${values}) v(i, us)) ORDER BY i`,
    );
  }

  it("date parts of zoned timestamps", async () => {
    const rows = await duckTable(false);
    const arg = colArg(T.timestamp, micros);
    for (const p of PARTS) {
      const ours = evalFn(p, [arg], ctx);
      const theirs = rows.map((r) => Number(r[p]) + (p === "dayofweek" ? 1 : 0));
      expect([p, ours]).toEqual([p, theirs]);
    }
  });

  it("date_trunc of zoned timestamps", async () => {
    const rows = await duckTable(false);
    const arg = colArg(T.timestamp, micros);
    for (const u of UNITS) {
      const ours = evalFn("date_trunc", [litArg(T.string, u), arg], ctx);
      const theirs = rows.map((r) => {
        const us = BigInt(r[`t_${u}`] as string);
        const ms = Number(us / 1000n) - (us % 1000n < 0n ? 1 : 0);
        const frac = ((us % 1000000n) + 1000000n) % 1000000n;
        return `${new Date(ms).toISOString().slice(0, 19)}.${String(frac).padStart(6, "0")}Z`;
      });
      // Where the truncated wall time is ambiguous (a DST overlap), java.time keeps the earlier
      // (or the original) offset and DuckDB/ICU takes the later one: same wall clock, earlier instant.
      const wall = (iso: string) => wallClock(Date.parse(iso), zone);
      const adjusted = theirs.map((t, i) => {
        const o = ours[i] as string;
        return t !== o && wall(t) === wall(o) && Date.parse(o) < Date.parse(t) ? o : t;
      });
      expect([u, ours]).toEqual([u, adjusted]);
    }
  });

  it("date parts of wall-clock (NTZ) timestamps ignore the zone", async () => {
    const rows = await duckTable(true);
    const arg = colArg(T.timestampNtz, micros);
    for (const p of PARTS) {
      const ours = evalFn(p, [arg], ctx);
      const theirs = rows.map((r) => Number(r[p]) + (p === "dayofweek" ? 1 : 0));
      expect([p, ours]).toEqual([p, theirs]);
    }
  });
});
