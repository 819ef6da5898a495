// Numbers and booleans from UTF-8 bytes, with Java's (hence Spark's) acceptance rules.
//
// Integers follow Integer.parseInt / Long.parseLong (optional sign, digits, nothing else).
// Doubles follow Double.parseDouble (surrounding whitespace, `1.`, `.5`, exponents, a trailing
// d/f, NaN, Infinity) with a correctly rounded fast path: at most 15 significant digits and a
// power of ten up to 22 is one exact IEEE operation; anything else goes through Number().

/** False after a parse function failed (set by every parse function that returns a number). */
export let parseOk = true;

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const TWO32 = 4294967296;
const latin1 = new TextDecoder("latin1");

/** Integer.parseInt over bytes [s, e); sets `parseOk`. */
export function parseInt32(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  if (i >= e) {
    parseOk = false;
    return 0;
  }
  let v = 0;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9 || v > 214748364) {
      parseOk = false;
      return 0;
    }
    v = v * 10 + d;
  }
  if (neg) v = -v;
  parseOk = v >= -2147483648 && v <= 2147483647;
  return v;
}

/**
 * Long.parseLong over bytes [s, e), written as the i-th value of an int64 column through its
 * halves (a BigInt only for magnitudes of 2^53 and beyond). Returns false when malformed.
 */
export function parseInt64Into(
  b: Uint8Array,
  s: number,
  e: number,
  halves: Int32Array,
  values: BigInt64Array,
  row: number,
): boolean {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  if (i >= e) return false;
  while (i < e - 1 && b[i] === 48) i++;
  const first = i;
  const n = e - i;
  let hi = 0;
  let lo = 0;
  // Split into a high part and the last 8 digits so both stay exact doubles.
  const split = e - 8;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return false;
    if (i < split) hi = hi * 10 + d;
    else lo = lo * 10 + d;
  }
  if (hi < 90071992) {
    let v = hi * 1e8 + lo;
    if (neg) v = -v;
    const l = v % TWO32;
    halves[2 * row] = (l < 0 ? l + TWO32 : l) | 0;
    halves[2 * row + 1] = Math.floor(v / TWO32);
    return true;
  }
  if (n > 19) return false;
  const big = BigInt((neg ? "-" : "") + latin1.decode(b.subarray(first, e)));
  if (big > 9223372036854775807n || big < -9223372036854775808n) return false;
  values[row] = big;
  return true;
}

/**
 * How Java reads an integer text: 32 (fits Integer.parseInt), 64 (fits Long.parseLong), 0 (an
 * integer beyond the long range), -1 (not an integer).
 */
export function classifyInteger(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i < e && (b[i] === 45 || b[i] === 43)) i++;
  if (i >= e) return -1;
  for (let j = i; j < e; j++) {
    const d = b[j]! - 48;
    if (d < 0 || d > 9) return -1;
  }
  while (i < e - 1 && b[i] === 48) i++;
  if (e - i <= 9) return 32;
  parseInt32(b, s, e);
  if (parseOk) return 32;
  if (e - i <= 18) return 64;
  if (e - i > 19) return 0;
  const big = BigInt(latin1.decode(b.subarray(s, e)));
  return big <= 9223372036854775807n && big >= -9223372036854775808n ? 64 : 0;
}

function isWs(c: number): boolean {
  return c <= 32;
}

/** The value of `nan`, `inf`, `-inf` texts of Spark's nanValue/positiveInf/negativeInf options. */
export interface SpecialFloats {
  readonly nan: Uint8Array;
  readonly posInf: Uint8Array;
  readonly negInf: Uint8Array;
}

function bytesEq(b: Uint8Array, s: number, e: number, t: Uint8Array): boolean {
  if (e - s !== t.length) return false;
  for (let k = 0; k < t.length; k++) if (b[s + k] !== t[k]) return false;
  return true;
}

const NAN = new TextEncoder().encode("NaN");
const INFINITY = new TextEncoder().encode("Infinity");

/** Double.parseDouble over bytes [s, e) (plus Spark's special values); sets `parseOk`. */
export function parseFloat64(b: Uint8Array, s: number, e: number, special: SpecialFloats | null): number {
  if (special !== null) {
    let v = 0;
    if (bytesEq(b, s, e, special.nan)) v = Number.NaN;
    else if (bytesEq(b, s, e, special.posInf)) v = Number.POSITIVE_INFINITY;
    else if (bytesEq(b, s, e, special.negInf)) v = Number.NEGATIVE_INFINITY;
    if (v !== 0) {
      parseOk = true;
      return v;
    }
  }
  // Fast path: [-]digits[.digits] with at most 15 digits, the usual machine-written form:
  // the digits form an exact integer and one division by an exact power of ten rounds
  // correctly.
  {
    let i = s;
    const neg = i < e && b[i] === 45;
    if (neg) i++;
    let mant = 0;
    let digits = 0;
    let frac = -1;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
      } else if (d === -2 && frac < 0) frac = digits;
      else break;
    }
    if (i === e && digits > 0 && digits <= 15 && frac !== digits) {
      parseOk = true;
      const v = frac < 0 ? mant : mant / POW10[digits - frac]!;
      return neg ? -v : v;
    }
  }
  while (s < e && isWs(b[s]!)) s++;
  while (e > s && isWs(b[e - 1]!)) e--;
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  if (i < e && (b[i] === 78 || b[i] === 73)) {
    // NaN / Infinity, exactly as Java spells them.
    parseOk = true;
    if (bytesEq(b, i, e, NAN)) return Number.NaN;
    if (bytesEq(b, i, e, INFINITY)) return neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    parseOk = false;
    return 0;
  }
  let mant = 0;
  let sig = 0;
  let exp10 = 0;
  let digits = 0;
  let slow = false;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig < 15) {
      if (d !== 0 || sig > 0) {
        mant = mant * 10 + d;
        sig++;
      }
    } else {
      exp10++;
      if (d !== 0) slow = true;
    }
  }
  if (i < e && b[i] === 46) {
    i++;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig < 15) {
        if (d !== 0 || sig > 0) {
          mant = mant * 10 + d;
          sig++;
        }
        exp10--;
      } else if (d !== 0) {
        slow = true;
      }
    }
  }
  if (digits === 0) {
    parseOk = false;
    return 0;
  }
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
      if (d < 0 || d > 9) break;
      if (ev < 1e6) ev = ev * 10 + d;
      ed++;
    }
    if (ed === 0) {
      parseOk = false;
      return 0;
    }
    exp10 += eneg ? -ev : ev;
  }
  let end = i;
  if (i < e && (b[i] === 100 || b[i] === 68 || b[i] === 102 || b[i] === 70)) i++;
  if (i !== e) {
    parseOk = false;
    return 0;
  }
  parseOk = true;
  if (!slow && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 < 0 ? mant / POW10[-exp10]! : mant * POW10[exp10]!;
    return neg ? -v : v;
  }
  if (mant === 0 && !slow) return neg ? -0 : 0;
  if (b[end - 1] === 46) end--; // Number() accepts "1." but keep it simple
  return Number(latin1.decode(b.subarray(s, end)));
}

/** Case-insensitive `true`/`false` (Scala's toBoolean): 1, 0, or -1 when neither. */
export function parseBool(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4) {
    if (
      (b[s]! | 32) === 116 &&
      (b[s + 1]! | 32) === 114 &&
      (b[s + 2]! | 32) === 117 &&
      (b[s + 3]! | 32) === 101
    )
      return 1;
  } else if (n === 5) {
    if (
      (b[s]! | 32) === 102 &&
      (b[s + 1]! | 32) === 97 &&
      (b[s + 2]! | 32) === 108 &&
      (b[s + 3]! | 32) === 115 &&
      (b[s + 4]! | 32) === 101
    )
      return 0;
  }
  return -1;
}
