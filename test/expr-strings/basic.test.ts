import { describe, expect, it } from "vitest";
import "../../engine/expr/functions/strings.js";
import { T } from "../../engine/types/data-type.js";
import { colArg, evalFn, litArg, resolveFn } from "./helpers.js";

const S = (values: (string | null)[]) => colArg(T.string, values);
const I = (values: (number | null)[]) => colArg(T.int32, values);

describe("case functions", () => {
  it("upper/lower with ASCII, unicode, empty and null", () => {
    expect(evalFn("upper", [S(["abc", "Straße", "", null, "ñandú 1"])])).toEqual([
      "ABC",
      "STRASSE",
      "",
      null,
      "ÑANDÚ 1",
    ]);
    expect(evalFn("lower", [S(["ABC", "ÀÉÎ", "", null, "MiXeD"])])).toEqual([
      "abc",
      "àéî",
      "",
      null,
      "mixed",
    ]);
    expect(evalFn("upper", [S(["abc", "def"])])).toEqual(["ABC", "DEF"]);
  });
  it("initcap capitalises after spaces only", () => {
    expect(evalFn("initcap", [S(["hello wORLD", "a-b c_d", "élan vital", "", null, "  x"])])).toEqual([
      "Hello World",
      "A-b C_d",
      "Élan Vital",
      "",
      null,
      "  X",
    ]);
  });
  it("casts non-string arguments to string and rejects arrays", () => {
    expect(resolveFn("upper", [colArg(T.int32, [1])]).argTypes).toEqual([T.string]);
    expect(() => resolveFn("upper", [colArg(T.list(T.string), [["a"]])])).toThrow(/argument 1/);
    expect(() => resolveFn("upper", [])).toThrow(/takes 1/);
  });
  it("a NULL literal argument gives NULL", () => {
    expect(evalFn("upper", [litArg(T.string, null)])).toEqual([null]);
    expect(evalFn("upper", [colArg(T.null, [null, null])])).toEqual([null, null]);
  });
});

describe("trim and pad", () => {
  it("trims only spaces by default", () => {
    const v = S(["  a b  ", "\t x \t", "", null, "   ", " ünï "]);
    expect(evalFn("trim", [v])).toEqual(["a b", "\t x \t", "", null, "", "ünï"]);
    expect(evalFn("ltrim", [v])).toEqual(["a b  ", "\t x \t", "", null, "", "ünï "]);
    expect(evalFn("rtrim", [v])).toEqual(["  a b", "\t x \t", "", null, "", " ünï"]);
  });
  it("trims the characters of a trim string", () => {
    expect(evalFn("trim", [S(["xxhixyx", "yhi", null]), litArg(T.string, "xy")])).toEqual(["hi", "hi", null]);
    expect(evalFn("ltrim", [S(["ééaé", "aé"]), litArg(T.string, "é")])).toEqual(["aé", "aé"]);
    expect(evalFn("rtrim", [S(["abcc", "abc"]), S(["c", null])])).toEqual(["ab", null]);
  });
  it("lpad/rpad pad, truncate, and handle empty pads and negative lengths", () => {
    const v = S(["hi", "hello", "", null, "日本"]);
    expect(evalFn("lpad", [v, litArg(T.int32, 5), litArg(T.string, "ab")])).toEqual([
      "abahi",
      "hello",
      "ababa",
      null,
      "aba日本",
    ]);
    expect(evalFn("rpad", [v, litArg(T.int32, 5), litArg(T.string, "ab")])).toEqual([
      "hiaba",
      "hello",
      "ababa",
      null,
      "日本aba",
    ]);
    expect(evalFn("lpad", [v, litArg(T.int32, 3)])).toEqual([" hi", "hel", "   ", null, " 日本"]);
    expect(evalFn("rpad", [v, litArg(T.int32, 1), litArg(T.string, "")])).toEqual(["h", "h", "", null, "日"]);
    expect(evalFn("lpad", [v, litArg(T.int32, -1), litArg(T.string, "x")])).toEqual(["", "", "", null, ""]);
    expect(evalFn("lpad", [S(["a"]), I([null])])).toEqual([null]);
    expect(evalFn("lpad", [S(["a", "b"]), I([3, 2]), S(["é", "xy"])])).toEqual(["ééa", "xb"]);
  });
});

describe("positions", () => {
  it("length counts code points", () => {
    expect(evalFn("length", [S(["abc", "", "日本語", "😀x", null])])).toEqual([3, 0, 3, 2, null]);
    expect(evalFn("octet_length", [S(["abc", "日本語", null])])).toEqual([3, 9, null]);
    expect(evalFn("bit_length", [S(["ab"])])).toEqual([16]);
  });
  it("substring follows Spark's 1-based, zero and negative position rules", () => {
    const v = S(["Spark SQL"]);
    const sub = (pos: number, len?: number) =>
      evalFn(
        "substring",
        len === undefined ? [v, litArg(T.int32, pos)] : [v, litArg(T.int32, pos), litArg(T.int32, len)],
      )[0];
    expect(sub(5)).toBe("k SQL");
    expect(sub(-3)).toBe("SQL");
    expect(sub(5, 1)).toBe("k");
    expect(sub(0, 2)).toBe("Sp");
    expect(sub(1, 2)).toBe("Sp");
    expect(sub(-100, 2)).toBe("");
    expect(sub(-10, 3)).toBe("Sp");
    expect(sub(100)).toBe("");
    expect(sub(2, 0)).toBe("");
    expect(sub(2, -1)).toBe("");
    expect(sub(-3, 2)).toBe("SQ");
    expect(
      evalFn("substring", [S(["日本語テキスト", "", null]), litArg(T.int32, 2), litArg(T.int32, 3)]),
    ).toEqual(["本語テ", "", null]);
    expect(evalFn("substring", [S(["😀ab😀", "x"]), I([-2, null]), I([5, 1])])).toEqual(["b😀", null]);
  });
  it("left and right", () => {
    const v = S(["hello", "日本語", "", null]);
    expect(evalFn("left", [v, litArg(T.int32, 2)])).toEqual(["he", "日本", "", null]);
    expect(evalFn("right", [v, litArg(T.int32, 2)])).toEqual(["lo", "本語", "", null]);
    expect(evalFn("left", [v, litArg(T.int32, -1)])).toEqual(["", "", "", null]);
    expect(evalFn("right", [v, litArg(T.int32, 0)])).toEqual(["", "", "", null]);
    expect(evalFn("right", [v, litArg(T.int32, 10)])).toEqual(["hello", "日本語", "", null]);
  });
  it("instr and locate", () => {
    expect(evalFn("instr", [S(["hello", "日本語本", "abc", "", null]), S(["l", "本", "", "", "a"])])).toEqual(
      [3, 2, 1, 1, null],
    );
    expect(evalFn("instr", [S(["abc"]), S(["z"])])).toEqual([0]);
    const str = S(["barfoobarbar", "日本語本", "abc", "abc"]);
    expect(evalFn("locate", [litArg(T.string, "bar"), str])).toEqual([1, 0, 0, 0]);
    expect(evalFn("locate", [S(["bar", "本", "b", ""]), str, litArg(T.int32, 2)])).toEqual([7, 2, 2, 1]);
    expect(evalFn("locate", [S(["bar"]), S(["bar"]), litArg(T.int32, 0)])).toEqual([0]);
    expect(evalFn("locate", [S(["bar"]), S(["bar"]), litArg(T.int32, null)])).toEqual([0]);
    expect(evalFn("locate", [S([null]), S(["bar"])])).toEqual([null]);
    expect(evalFn("locate", [S(["a"]), S(["bar"]), I([null])])).toEqual([0]);
  });
  it("reverse and ascii", () => {
    expect(evalFn("reverse", [S(["abc", "日本語", "a😀b", "", null])])).toEqual([
      "cba",
      "語本日",
      "b😀a",
      "",
      null,
    ]);
    expect(evalFn("ascii", [S(["abc", "", "é", "😀", null])])).toEqual([97, 0, 233, 0x1f600, null]);
  });
});

describe("search and replace", () => {
  it("startswith, endswith, contains", () => {
    const v = S(["hello", "", "日本語", null]);
    expect(evalFn("startswith", [v, litArg(T.string, "he")])).toEqual([true, false, false, null]);
    expect(evalFn("endswith", [v, litArg(T.string, "語")])).toEqual([false, false, true, null]);
    expect(evalFn("contains", [v, litArg(T.string, "")])).toEqual([true, true, true, null]);
    expect(evalFn("contains", [v, S(["ll", "x", "本", "a"])])).toEqual([true, false, true, null]);
    expect(evalFn("startswith", [S(["a"]), S([null])])).toEqual([null]);
  });
  it("replace", () => {
    expect(
      evalFn("replace", [
        S(["ABCabc", "aaa", "日本日本", "", null]),
        litArg(T.string, "a"),
        litArg(T.string, "xy"),
      ]),
    ).toEqual(["ABCxybc", "xyxyxy", "日本日本", "", null]);
    expect(evalFn("replace", [S(["abcabc"]), litArg(T.string, "bc")])).toEqual(["aa"]);
    expect(evalFn("replace", [S(["abc"]), litArg(T.string, ""), litArg(T.string, "x")])).toEqual(["abc"]);
    expect(evalFn("replace", [S(["日本日本"]), litArg(T.string, "本"), litArg(T.string, "-")])).toEqual([
      "日-日-",
    ]);
  });
});

describe("concat family", () => {
  it("concat is NULL when any argument is", () => {
    expect(evalFn("concat", [S(["a", "b", null]), S(["1", null, "3"]), litArg(T.string, "é")])).toEqual([
      "a1é",
      null,
      null,
    ]);
    expect(evalFn("concat", [])).toEqual([""]);
    expect(resolveFn("concat", [colArg(T.int32, [1]), colArg(T.string, ["x"])]).argTypes).toEqual([
      T.string,
      T.string,
    ]);
  });
  it("concat_ws skips NULLs and flattens arrays", () => {
    expect(evalFn("concat_ws", [litArg(T.string, "-"), S(["a", null, null]), S(["b", "c", null])])).toEqual([
      "a-b",
      "c",
      "",
    ]);
    expect(
      evalFn("concat_ws", [
        litArg(T.string, ", "),
        colArg(T.list(T.string), [["x", null, "y"], [], null]),
        S(["z", "z", "z"]),
      ]),
    ).toEqual(["x, y, z", "z", "z"]);
    expect(evalFn("concat_ws", [S([null]), S(["a"])])).toEqual([null]);
    expect(evalFn("concat_ws", [litArg(T.string, "/"), colArg(T.null, [null]), S(["a"])])).toEqual(["a"]);
    expect(evalFn("concat_ws", [litArg(T.string, "/")])).toEqual([""]);
  });
  it("repeat and translate", () => {
    expect(evalFn("repeat", [S(["ab", "日", "", null]), litArg(T.int32, 3)])).toEqual([
      "ababab",
      "日日日",
      "",
      null,
    ]);
    expect(evalFn("repeat", [S(["ab"]), litArg(T.int32, -1)])).toEqual([""]);
    expect(
      evalFn("translate", [S(["AaBbCc", "日本語", null]), litArg(T.string, "abc語"), litArg(T.string, "12")]),
    ).toEqual(["A1B2C", "日本", null]);
    expect(evalFn("translate", [S(["aaa"]), litArg(T.string, "aa"), litArg(T.string, "xy")])).toEqual([
      "xxx",
    ]);
    expect(evalFn("translate", [S(["abc", "abc"]), S(["a", "b"]), S(["日", ""])])).toEqual(["日bc", "ac"]);
  });
});
