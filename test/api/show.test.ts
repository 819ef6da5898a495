import { describe, expect, it } from "vitest";
import {
  decimalToJavaString,
  formatDate,
  formatDouble,
  formatSchemaTree,
  formatShow,
  formatTimestamp,
  formatValue,
  stringHalfWidth,
} from "../../engine/api/show.js";
import { columnFromValues } from "../../engine/columnar/builders.js";
import { batchOf } from "../../engine/columnar/column.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";

const mk = (spec: [string, DataType, unknown[]][]) => {
  const schema = schemaOf(spec.map(([n, t]) => field(n, t)));
  const cols = spec.map(([, t, v]) => columnFromValues(t, v as never));
  return { schema, batch: batchOf(schema, cols, spec[0]?.[2].length ?? 0) };
};
const opts = { n: 20, truncate: true, vertical: false, hasMore: false, timeZone: "UTC" };

describe("formatShow", () => {
  it("prints Spark's table with right-aligned cells and NULL", () => {
    const { schema, batch } = mk([
      ["id", T.int64, [1n, 2n]],
      ["name", T.string, ["a", null]],
    ]);
    expect(formatShow(schema, batch, opts)).toBe(
      "+---+----+\n| id|name|\n+---+----+\n|  1|   a|\n|  2|NULL|\n+---+----+\n",
    );
  });

  it("left-aligns without truncation and truncates long cells", () => {
    const long = "abcdefghijklmnopqrstuvwxyz";
    const { schema, batch } = mk([["s", T.string, [long, "x"]]]);
    expect(formatShow(schema, batch, opts)).toBe(
      "+--------------------+\n|                   s|\n+--------------------+\n|abcdefghijklmnopq...|\n|                   x|\n+--------------------+\n",
    );
    expect(formatShow(schema, batch, { ...opts, truncate: false })).toBe(
      `+--------------------------+\n|s                         |\n+--------------------------+\n|${long}|\n|x                         |\n+--------------------------+\n`,
    );
    expect(formatShow(schema, batch, { ...opts, truncate: 3 })).toBe(
      "+---+\n|  s|\n+---+\n|abc|\n|  x|\n+---+\n",
    );
    expect(formatShow(schema, batch, { ...opts, truncate: 5 })).toContain("|ab...|");
  });

  it("prints the footer when more rows exist and clips to n", () => {
    const { schema, batch } = mk([["x", T.int32, [1, 2, 3]]]);
    const out = formatShow(schema, batch, { ...opts, n: 2 });
    expect(out).toBe("+---+\n|  x|\n+---+\n|  1|\n|  2|\n+---+\nonly showing top 2 rows\n");
    expect(formatShow(schema, batch, { ...opts, n: 1 })).toContain("only showing top 1 row\n");
    expect(formatShow(schema, batch, { ...opts, n: 3, hasMore: true })).toContain(
      "only showing top 3 rows\n",
    );
    expect(formatShow(schema, batch, { ...opts, n: 0 })).toBe(
      "+---+\n|  x|\n+---+\n+---+\nonly showing top 0 rows\n",
    );
  });

  it("handles empty batches, zero columns and all-null columns", () => {
    const { schema, batch } = mk([
      ["a", T.string, []],
      ["bb", T.float64, []],
    ]);
    expect(formatShow(schema, batch, opts)).toBe("+---+---+\n|  a| bb|\n+---+---+\n+---+---+\n");
    const z = schemaOf([]);
    expect(formatShow(z, batchOf(z, [], 2), opts)).toBe("++\n||\n++\n||\n||\n++\n");
    const nulls = mk([["n", T.null, [null, null]]]);
    expect(formatShow(nulls.schema, nulls.batch, opts)).toBe(
      "+----+\n|   n|\n+----+\n|NULL|\n|NULL|\n+----+\n",
    );
  });

  it("measures full-width characters as two columns", () => {
    const { schema, batch } = mk([["名前", T.string, ["日本語", "ab"]]]);
    expect(stringHalfWidth("日本語")).toBe(6);
    expect(formatShow(schema, batch, opts)).toBe(
      "+------+\n|  名前|\n+------+\n|日本語|\n|    ab|\n+------+\n",
    );
  });

  it("escapes meta characters", () => {
    const { schema, batch } = mk([["s", T.string, ["a\nb\tc"]]]);
    expect(formatShow(schema, batch, opts)).toBe("+-------+\n|      s|\n+-------+\n|a\\nb\\tc|\n+-------+\n");
  });

  it("prints vertical records", () => {
    const { schema, batch } = mk([
      ["age", T.int32, [2, 5]],
      ["name", T.string, ["Alice", "Bob"]],
    ]);
    expect(formatShow(schema, batch, { ...opts, vertical: true })).toBe(
      "-RECORD 0-----\n age  | 2     \n name | Alice \n-RECORD 1-----\n age  | 5     \n name | Bob   \n",
    );
    const e = mk([["x", T.int32, []]]);
    expect(formatShow(e.schema, e.batch, { ...opts, vertical: true })).toBe("(0 rows)\n");
    expect(formatShow(schema, batch, { ...opts, vertical: true, n: 1 })).toBe(
      "-RECORD 0-----\n age  | 2     \n name | Alice \nonly showing top 1 row\n",
    );
  });

  it("formats every type as show() does", () => {
    const { schema, batch } = mk([
      ["d", T.float64, [1, 1e10, 1e-5, Number.NaN, Number.NEGATIVE_INFINITY, -0, 0.1, 1234567.5]],
      ["b", T.boolean, [true, false, null, true, true, true, true, true]],
      ["dt", T.date, [18700, -1, 0, null, 1, 1, 1, 1]],
      ["ts", T.timestamp, [1615683723000000n, -1n, 1615683723500000n, 0n, 0n, 0n, 0n, 0n]],
      ["dec", T.decimal(38, 18), [0n, 1n, -(10n ** 18n), null, 0n, 0n, 0n, 0n]],
      ["arr", T.list(T.string), [["a", "b"], [], ["x", null], null, [], [], [], []]],
    ]);
    const out = formatShow(schema, batch, { ...opts, truncate: false }).split("\n");
    expect(out[3]).toBe(
      "|1.0      |true |2021-03-14|2021-03-14 01:02:03       |0.000000000000000000 |[a, b]   |",
    );
    expect(out[4]).toBe(
      "|1.0E10   |false|1969-12-31|1969-12-31 23:59:59.999999|0.000000000000000001 |[]       |",
    );
    expect(out[5]).toBe(
      "|1.0E-5   |NULL |1970-01-01|2021-03-14 01:02:03.5     |-1.000000000000000000|[x, NULL]|",
    );
    expect(out[6]).toBe(
      "|NaN      |true |NULL      |1970-01-01 00:00:00       |NULL                 |NULL     |",
    );
    expect(out[7]!.startsWith("|-Infinity|")).toBe(true);
    expect(out[8]!.startsWith("|-0.0     |")).toBe(true);
    expect(out[9]!.startsWith("|0.1      |")).toBe(true);
    expect(out[10]!.startsWith("|1234567.5|")).toBe(true);
  });
});

describe("formatValue and helpers", () => {
  it("formats doubles like Java", () => {
    expect(formatDouble(100)).toBe("100.0");
    expect(formatDouble(1e7)).toBe("1.0E7");
    expect(formatDouble(9999999.5)).toBe("9999999.5");
    expect(formatDouble(0.001)).toBe("0.001");
    expect(formatDouble(0.00099)).toBe("9.9E-4");
    expect(formatDouble(-1.5e300)).toBe("-1.5E300");
    expect(formatDouble(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(formatDouble(123456789)).toBe("1.23456789E8");
  });

  it("formats decimals like BigDecimal.toString for casts", () => {
    expect(decimalToJavaString(0n, 18)).toBe("0E-18");
    expect(decimalToJavaString(1000n, 10)).toBe("1.000E-7");
    expect(decimalToJavaString(-12345n, 2)).toBe("-123.45");
    expect(decimalToJavaString(1n, 6)).toBe("0.000001");
    const c = columnFromValues(T.decimal(38, 18), [0n]);
    expect(formatValue(T.decimal(38, 18), c, 0, "UTC")).toBe("0E-18");
    expect(formatValue(T.decimal(38, 18), c, 0, "UTC", true)).toBe("0.000000000000000000");
  });

  it("formats dates and timestamps, in the session zone for zoned timestamps", () => {
    expect(formatDate(0)).toBe("1970-01-01");
    expect(formatDate(-719528)).toBe("0000-01-01");
    expect(formatDate(2932896)).toBe("9999-12-31");
    expect(formatDate(-141714)).toBe("1582-01-01");
    const us = 1615683723000000n; // 2021-03-14 01:02:03 UTC
    expect(formatTimestamp(us, "UTC", "America/Los_Angeles")).toBe("2021-03-13 17:02:03");
    expect(formatTimestamp(us, null, "America/Los_Angeles")).toBe("2021-03-14 01:02:03");
    expect(formatTimestamp(us + 7_200_000_000n, "UTC", "America/Los_Angeles")).toBe("2021-03-13 19:02:03");
    expect(formatTimestamp(us + 10n, "UTC", "+05:30")).toBe("2021-03-14 06:32:03.00001");
    expect(formatTimestamp(-1n, "UTC", "Asia/Tokyo")).toBe("1970-01-01 08:59:59.999999");
    expect(formatTimestamp(-1_000_000n * 86400n * 365n * 100n, "UTC", "UTC")).toBe("1870-01-25 00:00:00");
    const c = columnFromValues(T.list(T.int32), [[1, null]]);
    expect(formatValue(T.list(T.int32), c, 0, "UTC")).toBe("[1, null]");
    expect(formatValue(T.list(T.int32), c, 0, "UTC", true)).toBe("[1, NULL]");
  });
});

describe("formatSchemaTree", () => {
  it("prints Spark's tree", () => {
    const s = schemaOf([
      field("id", T.int64, false),
      field("n", T.int32),
      field("name", T.string),
      field("ts", T.timestamp),
      field("ntz", T.timestampNtz),
      field("amt", T.decimal(10, 2)),
      field("tags", T.list(T.list(T.float64))),
    ]);
    expect(formatSchemaTree(s)).toBe(
      "root\n" +
        " |-- id: long (nullable = false)\n" +
        " |-- n: integer (nullable = true)\n" +
        " |-- name: string (nullable = true)\n" +
        " |-- ts: timestamp (nullable = true)\n" +
        " |-- ntz: timestamp_ntz (nullable = true)\n" +
        " |-- amt: decimal(10,2) (nullable = true)\n" +
        " |-- tags: array (nullable = true)\n" +
        " |    |-- element: array (containsNull = true)\n" +
        " |    |    |-- element: double (containsNull = true)\n",
    );
    expect(formatSchemaTree(schemaOf([]))).toBe("root\n");
  });
});
