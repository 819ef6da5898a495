// Decimals from UTF-8 bytes: java.math.BigDecimal syntax after Spark's removal of `,`
// grouping characters, rounded half-up to the column's scale and written as 128-bit words.

const TWO32 = 4294967296;

/** The digits and exponent of a BigDecimal text (commas removed), or null when malformed. */
export interface DecimalText {
  /** Significant digits without leading zeros ("" for zero). */
  digits: string;
  /** value = digits × 10^-scale. */
  scale: number;
  neg: boolean;
}

/** Parses java.math.BigDecimal syntax from bytes (Spark strips `,` first). */
export function parseDecimalText(b: Uint8Array, s: number, e: number): DecimalText | null {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  let digits = "";
  let any = false;
  let scale = 0;
  let seenPoint = false;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      any = true;
      if (digits.length > 0 || c !== 48) digits += String.fromCharCode(c);
      if (seenPoint) scale++;
    } else if (c === 46 && !seenPoint) {
      seenPoint = true;
    } else if (c !== 44) {
      break;
    }
  }
  if (!any) return null;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let ev = 0;
    let ed = 0;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) return null;
      ev = ev * 10 + d;
      ed++;
      if (ev > 1e9) return null;
    }
    if (ed === 0) return null;
    scale -= eneg ? -ev : ev;
  }
  if (i !== e) return null;
  return { digits, scale, neg };
}

/**
 * Rounds a decimal text half-up to `scale` and checks it fits `precision`. Writes the 128-bit
 * unscaled value as two int64 words (low, high) at row `row`. Returns false when it overflows.
 */
export function writeDecimal(
  t: DecimalText,
  precision: number,
  scale: number,
  halves: Int32Array,
  values: BigInt64Array,
  row: number,
): boolean {
  let digits = t.digits;
  const shift = scale - t.scale;
  if (shift >= 0) {
    if (digits.length > 0) digits += "0".repeat(shift);
  } else {
    const keep = digits.length + shift;
    if (keep < 0) {
      digits = "";
    } else {
      const roundUp = keep < digits.length && digits.charCodeAt(keep) >= 53;
      digits = digits.slice(0, keep);
      if (roundUp) digits = incrementDigits(digits);
    }
  }
  digits = digits.replace(/^0+/, "");
  if (digits.length > precision) return false;
  if (digits.length <= 15) {
    const v = digits.length === 0 ? 0 : t.neg ? -Number(digits) : Number(digits);
    const l = v % TWO32;
    halves[4 * row] = (l < 0 ? l + TWO32 : l) | 0;
    halves[4 * row + 1] = Math.floor(v / TWO32);
    const sign = v < 0 ? -1 : 0;
    halves[4 * row + 2] = sign;
    halves[4 * row + 3] = sign;
    return true;
  }
  let big = BigInt(digits);
  if (t.neg) big = -big;
  values[2 * row] = BigInt.asIntN(64, big);
  values[2 * row + 1] = BigInt.asIntN(64, big >> 64n);
  return true;
}

function incrementDigits(d: string): string {
  if (d.length === 0) return "1";
  const a = d.split("");
  let k = a.length - 1;
  while (k >= 0 && a[k] === "9") {
    a[k] = "0";
    k--;
  }
  if (k < 0) return "1" + a.join("");
  a[k] = String.fromCharCode(a[k]!.charCodeAt(0) + 1);
  return a.join("");
}
