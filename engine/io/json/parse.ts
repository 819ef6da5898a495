// Parsing one JSON text. `JSON.parse` does the common case; this lenient parser takes over
// where it falls short of Spark's Jackson settings or of exactness:
// - numbers whose digits a double cannot hold (16 or more significant digits) are kept as
//   `JsonNumber` text, so bigint and decimal columns stay exact;
// - single-quoted strings (Spark's allowSingleQuotes, on by default) and the non-numeric
//   numbers NaN, Infinity, -Infinity, +INF, -INF (allowNonNumericNumbers, on by default).
// For schema inference every number is kept as `JsonNumber`, so `1.0` infers as double.

/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** Whether the text is an integer literal (no fraction, no exponent). */
  get isInteger(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

const LONG_DIGITS = /\d{16}/;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const SPECIAL_NUMBERS = [
  ["NaN", Number.NaN],
  ["+NaN", Number.NaN],
  ["-NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["+Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["+INF", Number.POSITIVE_INFINITY],
  ["-INF", Number.NEGATIVE_INFINITY],
] as const;
const ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "/": "/",
  "\\": "\\",
  '"': '"',
  "'": "'",
};
const LITERALS = [
  ["true", true],
  ["false", false],
  ["null", null],
] as const;

/**
 * Parses a JSON text the way Spark's reader accepts it. Throws a SyntaxError when malformed.
 * With `keepNumbers`, every number is a `JsonNumber`.
 */
export function parseJson(text: string, keepNumbers = false): unknown {
  if (!keepNumbers && !LONG_DIGITS.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through to the lenient parser (single quotes, NaN...).
    }
  }
  return new Lenient(text, keepNumbers).document();
}

class Lenient {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly keepNumbers: boolean,
  ) {}

  private fail(what: string): never {
    const at = this.i < this.s.length ? `"${this.s[this.i]}" at position ${this.i}` : "end of input";
    throw new SyntaxError(`${what}, found ${at}`);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.i++;
    }
  }

  document(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail("unexpected text after the JSON value");
    return v;
  }

  private value(): unknown {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"' || c === "'") return this.string(c);
    for (const [lit, v] of LITERALS) {
      if (s.startsWith(lit, this.i)) {
        this.i += lit.length;
        return v;
      }
    }
    return this.number();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const q = this.s[this.i];
      if (q !== '"' && q !== "'") this.fail("expected a field name");
      const key = this.string(q);
      this.ws();
      if (this.s[this.i] !== ":") this.fail('expected ":"');
      this.i++;
      Object.defineProperty(out, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === "}") return out;
      if (c !== ",") {
        this.i--;
        this.fail('expected "," or "}"');
      }
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === "]") return out;
      if (c !== ",") {
        this.i--;
        this.fail('expected "," or "]"');
      }
    }
  }

  private string(q: string): string {
    const s = this.s;
    let out = "";
    let j = ++this.i;
    for (;;) {
      if (j >= s.length) {
        this.i = j;
        this.fail("unterminated string");
      }
      const c = s[j]!;
      if (c === q) break;
      if (c === "\\") {
        out += s.slice(this.i, j);
        const e = s[j + 1];
        if (e === "u") {
          const hex = s.slice(j + 2, j + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.i = j;
            this.fail("bad \\u escape");
          }
          out += String.fromCharCode(Number.parseInt(hex, 16));
          j += 6;
        } else if (e !== undefined && ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          j += 2;
        } else {
          this.i = j;
          this.fail("bad escape");
        }
        this.i = j;
        continue;
      }
      if (c.charCodeAt(0) < 32) {
        this.i = j;
        this.fail("control character in string");
      }
      j++;
    }
    out += s.slice(this.i, j);
    this.i = j + 1;
    return out;
  }

  private number(): unknown {
    const s = this.s;
    const start = this.i;
    const c0 = s.charCodeAt(start);
    if (c0 === 78 || c0 === 73 || c0 === 43 || (c0 === 45 && !isDigit(s.charCodeAt(start + 1)))) {
      for (const [lit, v] of SPECIAL_NUMBERS) {
        if (s.startsWith(lit, start)) {
          this.i += lit.length;
          return this.keepNumbers ? new JsonNumber(lit) : v;
        }
      }
      this.fail("unexpected character");
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, counting significant digits.
    let j = start;
    if (c0 === 45) j++;
    if (!isDigit(s.charCodeAt(j))) this.fail("unexpected character");
    let sig = 0;
    let leading = true;
    const digit = (k: number): void => {
      if (leading && s.charCodeAt(k) === 48) return;
      leading = false;
      sig++;
    };
    if (s.charCodeAt(j) === 48) j++;
    else
      while (isDigit(s.charCodeAt(j))) {
        digit(j);
        j++;
      }
    if (s.charCodeAt(j) === 46) {
      j++;
      if (!isDigit(s.charCodeAt(j))) {
        this.i = j;
        this.fail("expected a digit");
      }
      while (isDigit(s.charCodeAt(j))) {
        digit(j);
        j++;
      }
    }
    const e = s.charCodeAt(j);
    if (e === 101 || e === 69) {
      j++;
      const sg = s.charCodeAt(j);
      if (sg === 43 || sg === 45) j++;
      if (!isDigit(s.charCodeAt(j))) {
        this.i = j;
        this.fail("expected a digit");
      }
      while (isDigit(s.charCodeAt(j))) j++;
    }
    this.i = j;
    const text = s.slice(start, j);
    if (this.keepNumbers || sig >= 16) return new JsonNumber(text);
    return Number(text);
  }
}
