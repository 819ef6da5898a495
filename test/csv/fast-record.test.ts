// The one-pass path for plain records gives exactly what the general tokenizer gives: the same
// file read with a nullValue that never occurs (which turns the fast path off) is the oracle.
// Records mix plain and quoted fields, empty fields, odd numbers, bad values, wrong field
// counts, CR/CRLF endings, and files cut into small splits and batches.
import { afterAll, describe, expect, it } from "vitest";
import { csvReader } from "../../engine/io/csv/index.js";
import { parseDDL } from "../../engine/types/ddl.js";
import { readBatches, rowsOf, sourceOf, tempDir } from "./helpers.js";

const SCHEMA = parseDDL("i INT, d DOUBLE, s STRING, t TIMESTAMP, l BIGINT, b BOOLEAN, dt DATE");

function lines(n: number): string[] {
  const out: string[] = ["i,d,s,t,l,b,dt"];
  let seed = 3;
  const r = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const ints = [
    "1",
    "-7",
    "",
    "2147483647",
    "2147483648",
    "-2147483648",
    "+5",
    " 3",
    "12a",
    "0",
    "0007",
    "-",
  ];
  const dbls = [
    "1.5",
    "-0.25",
    "",
    "1e3",
    "NaN",
    "-Inf",
    "123456789012345678",
    ".5",
    "5.",
    "1.2.3",
    "-0",
    "3.14159265358979",
  ];
  const strs = ["abc", "", '"quoted, with comma"', '"with ""quote"""', "x y", "ü😀"];
  const tss = [
    "2021-03-14 08:15:02",
    "2021-02-29 00:00:00",
    "",
    "2021-03-14T08:15:02.5",
    " 2021-01-01 00:00:00",
    "bad",
  ];
  for (let k = 0; k < n; k++) {
    const pick = (a: string[]) => a[Math.floor(r() * a.length)]!;
    const f = [
      pick(ints),
      pick(dbls),
      pick(strs),
      pick(tss),
      pick(["9007199254740993", "-1", ""]),
      pick(["true", "FALSE", "x", ""]),
      pick(["2021-01-02", "", "2021-13-01"]),
    ];
    if (r() < 0.03) f.pop(); // too few fields
    if (r() < 0.03) f.push("extra");
    out.push(f.join(","));
    if (r() < 0.02) out.push(""); // empty line
  }
  return out;
}

describe("CSV fast record path", () => {
  const tmp = tempDir();
  afterAll(() => tmp.rm());

  for (const [eol, mode] of [
    ["\n", "PERMISSIVE"],
    ["\r\n", "DROPMALFORMED"],
    ["\r", "PERMISSIVE"],
  ] as const) {
    it(`matches the general path (${JSON.stringify(eol)} endings, ${mode})`, async () => {
      const text = lines(3000).join(eol);
      const file = tmp.file(`f${eol.length}${mode}.csv`, text);
      const read = async (extra: Record<string, string>, targetBytes: number, batchSize: number) =>
        rowsOf(
          await readBatches(
            csvReader,
            sourceOf(csvReader, [file], { header: "true", mode, ...extra }, SCHEMA),
            { targetBytes, batchSize },
          ),
        );
      const oracle = await read({ nullValue: "\u0001never" }, 1 << 30, 65536);
      expect(oracle.length).toBeGreaterThan(mode === "PERMISSIVE" ? 2500 : 300);
      expect(await read({}, 1 << 30, 65536)).toEqual(oracle);
      expect(await read({}, 4096, 100)).toEqual(oracle);
      // Only some columns requested (malformed rows are judged on those alone).
      const some = async (extra: Record<string, string>) =>
        rowsOf(
          await readBatches(
            csvReader,
            sourceOf(csvReader, [file], { header: "true", mode, ...extra }, SCHEMA),
            {
              columns: [3, 0],
              targetBytes: 7000,
            },
          ),
        );
      expect(await some({})).toEqual(await some({ nullValue: "\u0001never" }));
    });
  }
});
