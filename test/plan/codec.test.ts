// Round-trip tests of the protobuf plan codec: every data type, literal kind, expression kind
// and physical node survives encode/decode exactly (deep- and strictly-equal, -0 and NaN
// included), encoding is deterministic, and bad input fails with a CodecError.
import { describe, expect, it } from "vitest";
import { DataError } from "../../engine/errors.js";
import type { TaskResult } from "../../engine/exec/task.js";
import { E, type Expr, forEachExpr, type LiteralValue } from "../../engine/expr/expr.js";
import { bytesToInt128, int128ToBytes } from "../../engine/plan/codec/values.js";
import {
  CodecError,
  decodeExpr,
  decodePlan,
  decodeSchema,
  decodeTask,
  decodeTaskError,
  decodeTaskResult,
  encodeExpr,
  encodePlan,
  encodeSchema,
  encodeTask,
  encodeTaskError,
  encodeTaskResult,
} from "../../engine/plan/codec.js";
import type { PhysicalPlan } from "../../engine/plan/physical.js";
import { type DataType, field, schemaOf, T } from "../../engine/types/data-type.js";
import * as pb from "../../proto/gen/kindling.js";
import {
  ALL_EXPR_KINDS,
  ALL_PLAN_KINDS,
  ALL_TYPE_KINDS,
  a,
  DEC38,
  EXPRS,
  I64_MAX,
  LITERALS,
  limit,
  local,
  PLANS,
  planKinds,
  scan,
  schema,
  source,
  TYPES,
  task,
} from "./codec-fixtures.js";

describe("plan codec round trip", () => {
  it("fixtures cover every type, expression and plan kind", () => {
    expect(new Set(TYPES.map((t) => t.kind))).toEqual(new Set(Object.keys(ALL_TYPE_KINDS)));
    const exprKinds = new Set<string>();
    for (const e of EXPRS) forEachExpr(e, (x) => exprKinds.add(x.kind));
    expect(exprKinds).toEqual(new Set(Object.keys(ALL_EXPR_KINDS)));
    const planKindsSeen = new Set<string>();
    for (const p of PLANS) planKinds(p, planKindsSeen);
    expect(planKindsSeen).toEqual(new Set(Object.keys(ALL_PLAN_KINDS)));
  });

  it("round-trips every data type as a schema", () => {
    const s = schemaOf(TYPES.map((t, i) => field(`c${i}`, t, i % 2 === 0)));
    expect(decodeSchema(encodeSchema(s))).toStrictEqual(s);
  });

  it("round-trips every literal with its exact JS type", () => {
    for (const [value, type] of LITERALS) {
      const e = E.lit(value, type);
      const back = decodeExpr(encodeExpr(e));
      expect(back).toStrictEqual(e);
      const v = (back as typeof e).value;
      expect(typeof v).toBe(typeof value);
      if (typeof value === "number") expect(Object.is(v, value)).toBe(true); // -0 and NaN
    }
  });

  it("round-trips every expression kind", () => {
    for (const e of EXPRS) expect(decodeExpr(encodeExpr(e))).toStrictEqual(e);
  });

  it("round-trips every physical plan node", () => {
    for (const p of PLANS) expect(decodePlan(encodePlan(p))).toStrictEqual(p);
  });

  it("round-trips a task, a task result and a task error", () => {
    expect(decodeTask(encodeTask(task))).toStrictEqual(task);
    const result: TaskResult = {
      numRows: 2 ** 40,
      files: [
        { path: "d=2021-03-14/part-00003-job-1.snappy.parquet", rows: 10, bytes: 4096 },
        { path: "d=__HIVE_DEFAULT_PARTITION__/part-00003-job-1.snappy.parquet", rows: 0, bytes: 0 },
      ],
      attemptDir: "/out/_temporary/job-1/attempt_3_17_2",
      elapsedMs: 12.5,
    };
    expect(decodeTaskResult(encodeTaskResult(result))).toStrictEqual(result);
    const empty: TaskResult = { numRows: 0, files: [], attemptDir: "", elapsedMs: 0 };
    expect(decodeTaskResult(encodeTaskResult(empty))).toStrictEqual(empty);
  });

  it("survives deep nesting (a 300-term OR chain under 100 projections)", () => {
    let cond: Expr = E.call("eq", a, E.lit(0n, T.int64));
    for (let i = 1; i < 300; i++) cond = E.call("or", cond, E.call("eq", a, E.lit(BigInt(i), T.int64)));
    let p: PhysicalPlan = { kind: "FilterExec", input: local, condition: cond, schema };
    for (let i = 0; i < 100; i++) p = { kind: "ProjectExec", input: p, exprs: [a], schema };
    expect(decodePlan(encodePlan(p))).toStrictEqual(p);
  });
});

describe("plan codec bytes", () => {
  it("encodes deterministically, whatever the order of option keys", () => {
    expect(encodeTask(task)).toEqual(encodeTask(task));
    expect(encodeTask(decodeTask(encodeTask(task)))).toEqual(encodeTask(task));
    for (const p of PLANS) expect(encodePlan(decodePlan(encodePlan(p)))).toEqual(encodePlan(p));
    const reordered: PhysicalPlan = {
      ...scan,
      source: { ...source, options: Object.fromEntries(Object.entries(source.options).reverse()) },
    };
    expect(encodePlan(reordered)).toEqual(encodePlan(scan));
  });

  it("keeps an option named __proto__ as an ordinary key", () => {
    const options = JSON.parse('{"__proto__": "p", "header": "true"}') as Record<string, string>;
    const p: PhysicalPlan = { ...scan, source: { ...source, options } };
    const back = decodePlan(encodePlan(p)) as typeof scan;
    expect(Object.entries(back.source.options)).toEqual([
      ["__proto__", "p"],
      ["header", "true"],
    ]);
  });

  it("writes decimals as 16 bytes little-endian two's complement", () => {
    expect([...int128ToBytes(1n)]).toEqual([1, ...new Array(15).fill(0)]);
    expect([...int128ToBytes(-1n)]).toEqual(new Array(16).fill(0xff));
    expect([...int128ToBytes(-256n)]).toEqual([0, ...new Array(15).fill(0xff)]);
    for (const x of [DEC38, -DEC38, 2n ** 127n - 1n, -(2n ** 127n)])
      expect(bytesToInt128(int128ToBytes(x))).toBe(x);
  });

  it("does not alias the input buffer in decoded local relations", () => {
    const bytes = encodePlan(local);
    const back = decodePlan(bytes) as typeof local;
    bytes.fill(0);
    expect(back.ipc).toStrictEqual(local.ipc);
  });
});

describe("plan codec errors", () => {
  it("carries the error kind, message and stack of what a task threw", () => {
    const data = new DataError("bad row at lake/x.csv:12");
    expect(decodeTaskError(encodeTaskError(data))).toStrictEqual({
      kind: "DataError",
      message: "bad row at lake/x.csv:12",
      stack: data.stack,
    });
    const type = new TypeError("x is not a function");
    expect(decodeTaskError(encodeTaskError(type))).toMatchObject({
      kind: "TypeError",
      message: type.message,
    });
    expect(decodeTaskError(encodeTaskError("boom"))).toStrictEqual({
      kind: "Error",
      message: "boom",
      stack: "",
    });
    expect(decodeTaskError(encodeTaskError({ code: 7 })).message).toBe('{"code":7}');
    expect(decodeTaskError(encodeTaskError(undefined)).message).toBe("undefined");
  });

  it("refuses values that do not fit their declared type", () => {
    const bad: [LiteralValue, DataType][] = [
      [1, T.int64],
      [1n, T.float64],
      [1.5, T.int32],
      [2 ** 31, T.date],
      [I64_MAX + 1n, T.int64],
      [2n ** 127n, T.decimal(38, 0)],
      ["1", T.boolean],
      [[1], T.int32],
      [true, T.null],
      [[1], T.list(T.string)],
    ];
    for (const [v, t] of bad) expect(() => encodeExpr(E.lit(v, t))).toThrow(CodecError);
    expect(() => encodeTask({ ...task, nowMicros: 2 ** 60 })).toThrow(CodecError);
    expect(() => encodePlan({ ...limit, n: 1.5 })).toThrow(CodecError);
    const shortValues = { ...source, files: [{ path: "p", size: 1, partitionValues: [] }] };
    expect(() => encodePlan({ ...scan, source: shortValues })).toThrow(/partition values/);
  });

  it("fails to decode truncated, empty or mistyped messages with a CodecError", () => {
    const bytes = encodeTask(task);
    expect(() => decodeTask(bytes.subarray(0, bytes.length - 5))).toThrow(CodecError);
    expect(() => decodePlan(new Uint8Array(0))).toThrow(/PhysicalPlan.node/);
    const int64AsInt32 = pb.Expr.encode({
      node: {
        $case: "literal",
        value: {
          type: { kind: { $case: "int64Type", value: {} } },
          value: { value: { $case: "int32Value", value: 1 } },
        },
      },
    }).finish();
    expect(() => decodeExpr(int64AsInt32)).toThrow(/arrived as int32Value/);
  });
});
