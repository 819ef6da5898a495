// Spark DDL strings: type names and aliases, NOT NULL, quoted names, errors naming the token.
import { describe, expect, it } from "vitest";
import { AnalysisError } from "../../engine/errors.js";
import { field, schemaOf, T } from "../../engine/types/data-type.js";
import { parseDDL, parseTypeName, schemaToDDL } from "../../engine/types/ddl.js";

describe("parseDDL", () => {
  it("parses the Spark example", () => {
    const s = parseDDL(
      "a INT, b STRING, c DECIMAL(10,2), d TIMESTAMP, e TIMESTAMP_NTZ, f DATE, g BIGINT NOT NULL, `weird name` DOUBLE, h ARRAY<STRING>",
    );
    expect(s).toEqual(
      schemaOf([
        field("a", T.int32),
        field("b", T.string),
        field("c", T.decimal(10, 2)),
        field("d", T.timestamp),
        field("e", T.timestampNtz),
        field("f", T.date),
        field("g", T.int64, false),
        field("weird name", T.float64),
        field("h", T.list(T.string)),
      ]),
    );
  });

  it("accepts every alias, case-insensitively", () => {
    const cases: [string, ReturnType<typeof parseTypeName>][] = [
      ["integer", T.int32],
      ["Int", T.int32],
      ["LONG", T.int64],
      ["bigint", T.int64],
      ["float", T.float64],
      ["real", T.float64],
      ["Double", T.float64],
      ["boolean", T.boolean],
      ["BOOL", T.boolean],
      ["string", T.string],
      ["varchar(20)", T.string],
      ["CHAR(3)", T.string],
      ["date", T.date],
      ["timestamp", T.timestamp],
      ["timestamp_ltz", T.timestamp],
      ["TimeStamp_NTZ", T.timestampNtz],
      ["decimal", T.decimal(10, 0)],
      ["numeric(5)", T.decimal(5, 0)],
      ["DEC(38, 10)", T.decimal(38, 10)],
      ["byte", T.int32],
      ["tinyint", T.int32],
      ["short", T.int32],
      ["smallint", T.int32],
      ["array<array<int>>", T.list(T.list(T.int32))],
      ["void", T.null],
    ];
    for (const [text, t] of cases) expect(parseTypeName(text), text).toEqual(t);
  });

  it("handles separators, colons, comments and struct<> wrapping", () => {
    const want = schemaOf([field("x", T.int32), field("y", T.string)]);
    expect(parseDDL("x int,y string")).toEqual(want);
    expect(parseDDL("  x: int ,  y:string  ")).toEqual(want);
    expect(parseDDL("struct<x: int, y: string>")).toEqual(want);
    expect(parseDDL("x int COMMENT 'the x', y string comment \"why\"")).toEqual(want);
    expect(parseDDL("")).toEqual(schemaOf([]));
    expect(parseDDL("struct int")).toEqual(schemaOf([field("struct", T.int32)]));
  });

  it("quotes names with backquotes (doubled backquote escapes)", () => {
    const s = parseDDL("`a``b` int, `x,y z` string, `select` date");
    expect(s.fields.map((f) => f.name)).toEqual(["a`b", "x,y z", "select"]);
  });

  it("round-trips through schemaToDDL", () => {
    const s = schemaOf([
      field("a b", T.decimal(12, 3), false),
      field("c`d", T.list(T.timestampNtz)),
      field("e", T.timestamp),
      field("_f1", T.int64),
    ]);
    expect(parseDDL(schemaToDDL(s))).toEqual(s);
  });

  it("names the bad token", () => {
    const bad = (s: string, re: RegExp) => {
      expect(() => parseDDL(s)).toThrow(AnalysisError);
      expect(() => parseDDL(s)).toThrow(re);
    };
    bad("a integr", /"integr" at position 2/);
    bad("a int b string", /expected end of input, found "b"/);
    bad("a decimal(10,", /expected a scale, found end of input/);
    bad("a decimal(40,2)", /precision 40/);
    bad("a decimal(5,6)", /scale 6 is larger than precision 5/);
    bad("a array<int", /expected ">"/);
    bad("a int not nul", /expected "NULL" after "NOT"/);
    bad("a map<string,int>", /"map"/);
    bad("a struct<b: int>", /"struct"/);
    bad("`unterminated int", /unterminated/);
    bad("a int, , b int", /expected a column name, found ","/);
    bad("a int; drop", /unexpected ";"/);
    expect(() => parseTypeName("int int")).toThrow(/expected end of input/);
  });
});
