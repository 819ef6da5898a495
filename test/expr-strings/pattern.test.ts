import { describe, expect, it } from "vitest";
import "../../engine/expr/functions/strings.js";
import { translateJavaRegex } from "../../engine/expr/functions/regex.js";
import { compileLike } from "../../engine/expr/strings/like.js";
import { T } from "../../engine/types/data-type.js";
import { colArg, evalFn, litArg, resolveFn } from "./helpers.js";

const S = (values: (string | null)[]) => colArg(T.string, values);
const like = (s: string, p: string, esc = "\\") => {
  const b = new TextEncoder().encode(s);
  return compileLike(p, esc)(b, 0, b.length);
};

describe("like", () => {
  it("matches Spark's LIKE semantics", () => {
    const cases: [string, string, boolean][] = [
      ["abc", "abc", true],
      ["abc", "ab", false],
      ["abc", "a%", true],
      ["abc", "%c", true],
      ["abc", "%b%", true],
      ["abc", "%", true],
      ["", "%", true],
      ["", "", true],
      ["a", "", false],
      ["abc", "a_c", true],
      ["abc", "a__", true],
      ["abc", "a___", false],
      ["日本語", "日_語", true],
      ["日本語", "__語", true],
      ["日本語", "_", false],
      ["a%c", "a\\%c", true],
      ["abc", "a\\%c", false],
      ["a_c", "a\\_c", true],
      ["abc", "a\\_c", false],
      ["a\\c", "a\\\\c", true],
      ["abcabc", "%bc%bc", true],
      ["abcab", "%bc%bc", false],
      ["aXbYc", "a%b%c", true],
      ["ab", "a%b%c", false],
      ["mississippi", "%iss%ppi", true],
      ["mississippi", "m%s_i%i", true],
      ["abab", "%ab", true],
      ["aaa", "a%a%a", true],
      ["aa", "a%a%a", false],
      ["line1\nline2", "line1%", true],
      ["x😀y", "x_y", true],
    ];
    for (const [s, p, want] of cases) expect([s, p, like(s, p)]).toEqual([s, p, want]);
    expect(like("a/c", "a//c", "/")).toBe(true);
    expect(like("a%c", "a/%c", "/")).toBe(true);
  });
  it("rejects bad escapes", () => {
    expect(() => compileLike("a\\b")).toThrow(/not allowed to precede 'b'/);
    expect(() => compileLike("ab\\")).toThrow(/not allowed to end with the escape/);
  });
  it("as a function: literal and column patterns, nulls, escape argument", () => {
    const v = S(["apple", "banana", "", null]);
    expect(evalFn("like", [v, litArg(T.string, "%an%")])).toEqual([false, true, false, null]);
    expect(evalFn("like", [v, S(["a%", null, "", "x"])])).toEqual([true, null, true, null]);
    expect(evalFn("like", [S(["10%", "100"]), litArg(T.string, "10#%"), litArg(T.string, "#")])).toEqual([
      true,
      false,
    ]);
    expect(() => resolveFn("like", [S(["x"]), litArg(T.string, "a\\q")])).toThrow(/precede 'q'/);
  });
});

describe("Java regex translation", () => {
  it("translates Java-specific syntax", () => {
    const t = (p: string) => new RegExp(translateJavaRegex(p).source, `${translateJavaRegex(p).flags}u`);
    expect(t("\\p{Alpha}+").test("abc")).toBe(true);
    expect(t("^\\p{Alpha}+$").test("ab1")).toBe(false);
    expect(t("\\Q1+1\\E").test("1+1")).toBe(true);
    expect(t("(?i)ABC").test("xabcx")).toBe(true);
    expect(t("a.c").test("a\nc")).toBe(false);
    expect(t("(?s)a.c").test("a\nc")).toBe(true);
    expect(t("^abc$").test("abc\n")).toBe(true);
    expect(t("^abc\\z").test("abc\n")).toBe(false);
    expect(t("\\s").test("\u00a0")).toBe(false);
    expect(t("[a-c[x-z]]").test("y")).toBe(true);
    expect(t("\\x{41}\\0101\\u0041").test("AAA")).toBe(true);
    expect(t("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10").test("abcdefghijj")).toBe(true);
    expect(t("(a)\\10").test("aa0")).toBe(true);
    expect(t("\\-\\#\\ ").test("-# ")).toBe(true);
    expect(translateJavaRegex("(a)(?:b)(?<n>c)").groupCount).toBe(2);
  });
  it("rejects what JavaScript cannot express", () => {
    for (const p of ["a++", "(?>a)", "[a&&[b]]", "a(?i)b", "\\G", "\\p{InGreek}", "[", "(", "\\y"])
      expect(() => translateJavaRegex(p), p).toThrow();
  });
});

describe("regex functions", () => {
  it("rlike uses find semantics", () => {
    const v = S(["abc123", "xyz", "", null, "日本123"]);
    expect(evalFn("rlike", [v, litArg(T.string, "\\d+")])).toEqual([true, false, false, null, true]);
    expect(evalFn("rlike", [v, litArg(T.string, "^abc")])).toEqual([true, false, false, null, false]);
    expect(evalFn("rlike", [v, litArg(T.string, "")])).toEqual([true, true, true, null, true]);
    expect(evalFn("rlike", [v, litArg(T.string, "日本")])).toEqual([false, false, false, null, true]);
    expect(evalFn("rlike", [S(["a.c", "abc"]), S(["a\\.c", "a\\.c"])])).toEqual([true, false]);
    expect(() => resolveFn("rlike", [v, litArg(T.string, "(")])).toThrow(/rlike/);
  });
  it("regexp_replace with Java group references and position", () => {
    const v = S(["100-200", "foo", "", null, "日本-語"]);
    expect(
      evalFn("regexp_replace", [v, litArg(T.string, "(\\d+)-(\\d+)"), litArg(T.string, "$2-$1")]),
    ).toEqual(["200-100", "foo", "", null, "日本-語"]);
    expect(evalFn("regexp_replace", [v, litArg(T.string, "(\\w+)"), litArg(T.string, "<$1>")])).toEqual([
      "<100>-<200>",
      "<foo>",
      "",
      null,
      "日本-語",
    ]);
    expect(evalFn("regexp_replace", [S(["abc"]), litArg(T.string, "x*"), litArg(T.string, "-")])).toEqual([
      "-a-b-c-",
    ]);
    expect(
      evalFn("regexp_replace", [S(["a.b.c"]), litArg(T.string, "\\."), litArg(T.string, "\\$")]),
    ).toEqual(["a$b$c"]);
    expect(
      evalFn("regexp_replace", [
        S(["aaaa", "aa"]),
        litArg(T.string, "a"),
        litArg(T.string, "b"),
        litArg(T.int32, 3),
      ]),
    ).toEqual(["aabb", "aa"]);
    expect(evalFn("regexp_replace", [S(["日本語"]), litArg(T.string, "."), litArg(T.string, "x")])).toEqual([
      "xxx",
    ]);
    expect(() => resolveFn("regexp_replace", [v, litArg(T.string, "(a)"), litArg(T.string, "$2")])).toThrow(
      /No group 2/,
    );
    expect(() => resolveFn("regexp_replace", [v, litArg(T.string, "a"), litArg(T.string, "$x")])).toThrow(
      /group reference/,
    );
  });
  it("regexp_extract returns '' when nothing matches", () => {
    const v = S(["100-200", "foo", "", null]);
    expect(evalFn("regexp_extract", [v, litArg(T.string, "(\\d+)-(\\d+)"), litArg(T.int32, 2)])).toEqual([
      "200",
      "",
      "",
      null,
    ]);
    expect(evalFn("regexp_extract", [v, litArg(T.string, "(\\d+)")])).toEqual(["100", "", "", null]);
    expect(evalFn("regexp_extract", [v, litArg(T.string, "(\\d+)|(o+)"), litArg(T.int32, 2)])).toEqual([
      "",
      "oo",
      "",
      null,
    ]);
    expect(evalFn("regexp_extract", [v, litArg(T.string, "\\d+"), litArg(T.int32, 0)])).toEqual([
      "100",
      "",
      "",
      null,
    ]);
    expect(() => resolveFn("regexp_extract", [v, litArg(T.string, "\\d+")])).toThrow(/group count is 0/);
    expect(evalFn("regexp_extract_all", [S(["1a22b333", "", null]), litArg(T.string, "(\\d+)")])).toEqual([
      ["1", "22", "333"],
      [],
      null,
    ]);
  });
  it("split follows Java String.split and Spark's limit rules", () => {
    const v = S(["a,b,,c,,", "", "abc", null, ",x", "日,本"]);
    expect(evalFn("split", [v, litArg(T.string, ",")])).toEqual([
      ["a", "b", "", "c", "", ""],
      [""],
      ["abc"],
      null,
      ["", "x"],
      ["日", "本"],
    ]);
    expect(evalFn("split", [v, litArg(T.string, ","), litArg(T.int32, 2)])).toEqual([
      ["a", "b,,c,,"],
      [""],
      ["abc"],
      null,
      ["", "x"],
      ["日", "本"],
    ]);
    expect(evalFn("split", [v, litArg(T.string, ","), litArg(T.int32, 0)])[0]).toEqual([
      "a",
      "b",
      "",
      "c",
      "",
      "",
    ]);
    expect(evalFn("split", [S(["oneAtwoBthreeC"]), litArg(T.string, "[ABC]")])).toEqual([
      ["one", "two", "three", ""],
    ]);
    expect(evalFn("split", [S(["oneAtwoBthreeC"]), litArg(T.string, "[ABC]"), litArg(T.int32, 2)])).toEqual([
      ["one", "twoBthreeC"],
    ]);
    expect(evalFn("split", [S(["abc", "日本語", ""]), litArg(T.string, "")])).toEqual([
      ["a", "b", "c"],
      ["日", "本", "語"],
      [""],
    ]);
    expect(evalFn("split", [S(["abc"]), litArg(T.string, ""), litArg(T.int32, 2)])).toEqual([["a", "bc"]]);
    expect(evalFn("split", [S(["a1b22c"]), S(["\\d+"])])).toEqual([["a", "b", "c"]]);
    expect(evalFn("split", [S(["a b  c"]), litArg(T.string, "\\s+")])).toEqual([["a", "b", "c"]]);
    expect(evalFn("split", [S(["a.b"]), litArg(T.string, "\\.")])).toEqual([["a", "b"]]);
  });
});
