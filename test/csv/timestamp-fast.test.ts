// The `yyyy-MM-dd HH:mm:ss` fast path of parseTimestampLenient agrees with the general parser
// (reached by the same text with a leading blank, which only the general parser trims).
import { describe, expect, it } from "vitest";
import { DT, parseTimestampLenient } from "../../engine/io/csv/datetime.js";
import { resolveZone } from "../../engine/io/csv/timezone.js";

const enc = new TextEncoder();

function both(text: string, zone: ReturnType<typeof resolveZone>) {
  const fast = enc.encode(text);
  const slow = enc.encode(` ${text}`);
  const a = parseTimestampLenient(fast, 0, fast.length, zone);
  const ra = [DT.sec, DT.micros];
  const b = parseTimestampLenient(slow, 0, slow.length, zone);
  const rb = [DT.sec, DT.micros];
  return { a, b, ra, rb };
}

describe("timestamp fast path", () => {
  const texts = [
    "2021-03-14 08:15:02",
    "2021-03-14T08:15:02",
    "2020-02-29 23:59:59",
    "2021-02-29 00:00:00",
    "2021-13-01 00:00:00",
    "2021-00-10 00:00:00",
    "2021-04-31 12:00:00",
    "2021-04-30 24:00:00",
    "2021-04-30 23:60:00",
    "2021-04-30 23:59:60",
    "1969-12-31 23:59:59",
    "0001-01-01 00:00:00",
    "2021-0a-01 00:00:00",
    "202x-01-01 00:00:00",
    "2021-01-01 00:00:0x",
    "2021/01/01 00:00:00",
    "2021-01-01_00:00:00",
    "2021-03-28 02:30:00",
  ];
  for (const zone of [null, resolveZone("UTC"), resolveZone("Europe/Berlin")]) {
    it(`agrees with the general parser in zone ${zone?.id ?? "none (ntz)"}`, () => {
      for (const t of texts) {
        const { a, b, ra, rb } = both(t, zone);
        expect({ t, ok: a }).toEqual({ t, ok: b });
        if (a) expect({ t, v: ra }).toEqual({ t, v: rb });
      }
    });
  }
});
