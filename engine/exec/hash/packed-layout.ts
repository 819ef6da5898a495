// How the packed group table lays a key row out in 32-bit words, and the groups' words
// (row-major, W words per group). A boolean, int32 or date column is one word (its value), a
// string column one word (its StringDict code), an int64, timestamp or float64 column two
// words (normalised for floats: -0.0 as 0.0, every NaN as one NaN); a last word holds the
// null bits of the columns that are not strings (a null value's words are zero).
import type { DataType } from "../../types/data-type.js";

/** How one key column is stored: one word (int32/date, boolean, string code) or two. */
export type SlotKind = "i32" | "u8" | "w2" | "f64" | "str";

/** Can the packed table hold keys of this type? */
export function packable(t: DataType): boolean {
  const k = t.kind;
  return (
    k === "int32" ||
    k === "date" ||
    k === "boolean" ||
    k === "int64" ||
    k === "timestamp" ||
    k === "float64" ||
    k === "string"
  );
}

/** The word layout of a key row; see the file header. */
export interface KeyLayout {
  readonly kinds: readonly SlotKind[];
  /** First word of each column in a key row. */
  readonly offs: readonly number[];
  /** Words per key row. */
  readonly width: number;
  /** The null-bits word (the last), or -1 when every column is a string. */
  readonly nullWord: number;
}

/** The layout of key rows of the given types (all `packable`). */
export function keyLayout(types: readonly DataType[]): KeyLayout {
  const kinds: SlotKind[] = types.map((t) => {
    switch (t.kind) {
      case "int32":
      case "date":
        return "i32";
      case "boolean":
        return "u8";
      case "int64":
      case "timestamp":
        return "w2";
      case "float64":
        return "f64";
      default:
        return "str";
    }
  });
  const offs: number[] = [];
  let w = 0;
  for (const k of kinds) {
    offs.push(w);
    w += k === "w2" || k === "f64" ? 2 : 1;
  }
  const nullWord = kinds.some((k) => k !== "str") ? w : -1;
  return { kinds, offs, width: nullWord >= 0 ? w + 1 : w, nullWord };
}

/** The groups' key words, row-major (W per group), growing by doubling. */
export class GroupWords {
  words: Int32Array;
  /** The number of groups. */
  n = 0;

  constructor(readonly width: number) {
    this.words = new Int32Array(1024 * width);
  }

  /** Makes room for one more group; returns its id (its words start at id * width). */
  add(): number {
    const g = this.n++;
    const need = this.n * this.width;
    if (need > this.words.length) {
      const a = new Int32Array(Math.max(need, 2 * this.words.length));
      a.set(this.words);
      this.words = a;
    }
    return g;
  }
}

export const SEED = 0x2c1b3c6d;
export const MUL = 0x9e3779b1 | 0;

/** One step of the row hash: mixes one key word into h. */
export function hashStep(h: number, x: number): number {
  h = Math.imul(h ^ x, MUL);
  return h ^ (h >>> 15);
}

/** The last step of the row hash (SEED, then `hashStep` per key word in order, then this). */
export function finalMix(h: number): number {
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
