// The CSV tokenizer: quoting, escapes, line endings, delimiters, and records cut by buffer ends.
import { describe, expect, it } from "vitest";
import {
  CsvTokenizer,
  F_ESCAPED,
  F_QUOTED,
  type TokenizerConfig,
  unescapeField,
} from "../../engine/io/csv/tokenizer.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

function config(over: Partial<TokenizerConfig> = {}): TokenizerConfig {
  return {
    delimiter: enc.encode(","),
    quote: 34,
    escape: 92,
    ignoreLeadingWhiteSpace: false,
    ignoreTrailingWhiteSpace: false,
    ...over,
  };
}

/** All records of `text` as arrays of field strings (quoted fields marked with «»). */
function records(text: string, over: Partial<TokenizerConfig> = {}): string[][] {
  const c = config(over);
  const tok = new CsvTokenizer(c);
  const b = enc.encode(text);
  const out: string[][] = [];
  let p = 0;
  const scratch = new Uint8Array(b.length + 1);
  while (p < b.length) {
    const next = tok.next(b, p, b.length, true);
    const rec: string[] = [];
    for (let j = 0; j < tok.n; j++) {
      const f = tok.ff[j]!;
      let v: string;
      if (f & F_ESCAPED)
        v = dec.decode(
          scratch.subarray(0, unescapeField(b, tok.fs[j]!, tok.fe[j]!, scratch, c.quote, c.escape)),
        );
      else v = dec.decode(b.subarray(tok.fs[j]!, tok.fe[j]!));
      rec.push(f & F_QUOTED ? `«${v}»` : v);
    }
    out.push(rec);
    p = next;
  }
  return out;
}

describe("CsvTokenizer", () => {
  it("splits plain records and keeps empty fields", () => {
    expect(records("a,b,c\n1,,3\n,\n")).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
      ["", ""],
    ]);
    expect(records("x")).toEqual([["x"]]);
    expect(records("a,b,")).toEqual([["a", "b", ""]]);
  });

  it("accepts LF, CRLF and CR line endings", () => {
    expect(records("a,b\r\nc,d\re,f\ng,h")).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
      ["g", "h"],
    ]);
  });

  it("reads quoted delimiters, doubled quotes, escaped quotes and newlines", () => {
    expect(records('"a,b","say ""hi""","back\\"slash",x\n')).toEqual([
      ["«a,b»", '«say "hi"»', '«back"slash»', "x"],
    ]);
    expect(records('"line1\nline2","cr\r\nlf"\nnext')).toEqual([["«line1\nline2»", "«cr\r\nlf»"], ["next"]]);
    expect(records('"",""\n')).toEqual([["«»", "«»"]]);
    expect(records('"C:\\path\\x","a\\\\"\n')).toEqual([["«C:\\path\\x»", "«a\\»"]]);
  });

  it("keeps quotes that do not close a field, and text after a quote outside quoting", () => {
    expect(records('"a "b" c",d\n')).toEqual([['«a "b" c»', "d"]]);
    expect(records('ab"c,"d"  ,e\n')).toEqual([['ab"c', "«d»", "e"]]);
    expect(records('"unterminated,x\ny')).toEqual([["«unterminated,x\ny»"]]);
  });

  it("supports multi-character, tab and non-ASCII delimiters", () => {
    expect(records("a||b||c\n1|2||3\n", { delimiter: enc.encode("||") })).toEqual([
      ["a", "b", "c"],
      ["1|2", "3"],
    ]);
    expect(records("a\tb\n", { delimiter: enc.encode("\t") })).toEqual([["a", "b"]]);
    expect(records('a¦b¦"c¦d"\n', { delimiter: enc.encode("¦") })).toEqual([["a", "b", "«c¦d»"]]);
  });

  it("trims unquoted fields when asked and allows blanks around quotes", () => {
    const trim = { ignoreLeadingWhiteSpace: true, ignoreTrailingWhiteSpace: true };
    expect(records('  a  , " b " ,c\t\n', trim)).toEqual([["a", "« b »", "c"]]);
    expect(records('  a  , " b " ,c\n')).toEqual([["  a  ", ' " b " ', "c"]]);
  });

  it("treats quotes as text when quoting is disabled, and honours a custom escape", () => {
    expect(records('"a,b"\n', { quote: -1 })).toEqual([['"a', 'b"']]);
    expect(records("'it''s','x'\n", { quote: 39, escape: 39 })).toEqual([["«it's»", "«x»"]]);
  });

  it("asks for more input instead of guessing at a buffer end", () => {
    const text = enc.encode('a,"b\nc",d\r\ne,f\n');
    const tok = new CsvTokenizer(config());
    for (let cut = 0; cut < text.length; cut++) {
      const r = tok.next(text, 0, cut, false);
      // The first record ends at byte 11 (after CRLF); any earlier cut must ask for more.
      if (cut < 11) expect(r, `cut ${cut}`).toBe(-1);
    }
    expect(tok.next(text, 0, text.length, false)).toBe(11);
    expect(tok.innerLines).toBe(1);
    expect(tok.contentEnd).toBe(9);
  });
});
