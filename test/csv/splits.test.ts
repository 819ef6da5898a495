// Byte-range splits: the union of a file's splits reads each record exactly once, at every
// boundary, for LF, CRLF and CR files, with blank lines, comments, BOM and a header.
import { afterAll, describe, expect, it } from "vitest";
import { csvReader, planTextSplits } from "../../engine/io/csv/index.js";
import { parseDDL } from "../../engine/types/ddl.js";
import { readRows, sourceOf, tempDir } from "./helpers.js";

const t = tempDir();
afterAll(() => t.rm());

function sample(eol: string, rows: number): string {
  const lines = ["id,name,score"];
  for (let i = 0; i < rows; i++) {
    if (i % 7 === 3) lines.push("");
    if (i % 11 === 5) lines.push("# comment, with comma");
    const name = i % 5 === 0 ? `"quoted, ${i}"` : i % 3 === 0 ? "" : `n${i}`;
    lines.push(`${i},${name},${(i * 1.25).toFixed(2)}`);
  }
  return "\ufeff" + lines.join(eol) + (rows % 2 ? eol : "");
}

describe("CSV splits", () => {
  for (const [label, eol] of [
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ] as const) {
    it(`union of splits equals the whole file (${label})`, async () => {
      const f = t.file(`s-${label}.csv`, sample(eol, 41));
      const src = sourceOf(
        csvReader,
        [f],
        { header: "true", comment: "#" },
        parseDDL("id INT, name STRING, score DOUBLE"),
      );
      const whole = await readRows(csvReader, src);
      expect(whole.length).toBe(41);
      expect(whole[5]).toEqual([5, "quoted, 5", 6.25]);
      for (let target = 1; target <= f.size + 1; target += target < 40 ? 1 : 7) {
        const parts = await readRows(csvReader, src, { targetBytes: target });
        expect(parts, `targetBytes ${target}`).toEqual(whole);
      }
    });
  }

  it("plans splits by size; gzip, multiLine and empty files are not cut", () => {
    const a = t.file("p1.csv", "x\n".repeat(50));
    const empty = t.file("p2.csv", "");
    const gz = t.file("p3.csv.gz", new Uint8Array([0x1f, 0x8b]));
    const src = sourceOf(csvReader, [a, empty, gz], {}, parseDDL("x STRING"));
    const splits = planTextSplits(src, 30);
    expect(splits.map((s) => [s.file, s.start, s.length])).toEqual([
      [0, 0, 30],
      [0, 30, 30],
      [0, 60, 30],
      [0, 90, 10],
      [2, 0, -1],
    ]);
    const ml = planTextSplits({ ...src, options: { multiline: "true" } }, 30);
    expect(ml.map((s) => [s.file, s.start, s.length])).toEqual([
      [0, 0, -1],
      [2, 0, -1],
    ]);
  });

  it("reads each record once when a record ends exactly at a split boundary", async () => {
    // "aa\n" is 3 bytes: boundaries fall right after, on, and before each LF.
    const f = t.file("exact.csv", "aa\nbb\ncc\ndd\n");
    const src = sourceOf(csvReader, [f], {}, parseDDL("v STRING"));
    for (const target of [1, 2, 3, 4, 5, 6]) {
      expect(await readRows(csvReader, src, { targetBytes: target }), `target ${target}`).toEqual([
        ["aa"],
        ["bb"],
        ["cc"],
        ["dd"],
      ]);
    }
  });
});
