// Runs every query-test file in test/queries/ (see query-runner.ts for the format).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session as S } from "../index.js";
import { evalQuery, loadTables, parseQueryFile, renderRows, type Session } from "./query-runner.js";

const dir = join(import.meta.dirname, "queries");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".kq"))
  .sort();

let spark: Session;
beforeAll(async () => {
  spark = await S.builder().master("local[2]").getOrCreate();
});
afterAll(async () => {
  await spark.stop();
});

for (const f of files) {
  const path = join(dir, f);
  const parsed = parseQueryFile(path);
  describe(f, () => {
    for (const c of parsed.cases) {
      it(`line ${c.line}: ${c.query.split("\n")[0]!.slice(0, 80)}`, async () => {
        const tables = loadTables(spark, path, parsed.tables);
        if (c.mode === "error") {
          let message = "";
          try {
            const df = evalQuery(spark, tables, c.query);
            await renderRows(df);
          } catch (e) {
            message = (e as Error).message;
          }
          expect(message, "the query should fail").not.toBe("");
          expect(message).toContain(c.expected.join("\n"));
          return;
        }
        const df = evalQuery(spark, tables, c.query);
        const rows = await renderRows(df);
        if (c.mode === "rowsort") expect([...rows].sort()).toEqual([...c.expected].sort());
        else expect(rows).toEqual(c.expected);
      });
    }
  });
}
