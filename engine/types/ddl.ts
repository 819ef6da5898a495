// Spark DDL schema strings: `"a INT, b STRING NOT NULL, c DECIMAL(10,2), `odd name` ARRAY<DOUBLE>"`.
//
// Used for the `schema` reader option (the DataFrameReader stores a user's schema there as DDL)
// and anywhere a user names a type as text (`cast("bigint")`). Type names are case-insensitive
// and take Spark's aliases; narrower Spark types that Kindling does not store (tinyint,
// smallint, float) are normalised to the Kindling type that holds them (int32, float64).
import { AnalysisError } from "../errors.js";
import { type DataType, type Field, field, type Schema, schemaOf, T, typeName } from "./data-type.js";

type TokKind = "ident" | "quoted" | "number" | "punct" | "string" | "end";
interface Tok {
  readonly kind: TokKind;
  readonly text: string;
  readonly pos: number;
}

const PUNCT = new Set([",", "(", ")", "<", ">", ":"]);

function isIdentChar(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c);
}

function fail(src: string, what: string, tok: Tok): never {
  const at = tok.kind === "end" ? "end of input" : `"${tok.text}" at position ${tok.pos}`;
  throw new AnalysisError(`cannot parse DDL "${src}": ${what}, found ${at}`);
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "`") {
      // Backquoted identifier; a doubled backquote stands for one.
      let text = "";
      let j = i + 1;
      for (;;) {
        if (j >= src.length) {
          throw new AnalysisError(`cannot parse DDL "${src}": unterminated \`quoted\` name at position ${i}`);
        }
        if (src[j] === "`") {
          if (src[j + 1] === "`") {
            text += "`";
            j += 2;
            continue;
          }
          break;
        }
        text += src[j];
        j++;
      }
      toks.push({ kind: "quoted", text, pos: i });
      i = j + 1;
    } else if (c === "'" || c === '"') {
      // String literal (only after COMMENT).
      let j = i + 1;
      let text = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) j++;
        text += src[j];
        j++;
      }
      if (j >= src.length)
        throw new AnalysisError(`cannot parse DDL "${src}": unterminated string at position ${i}`);
      toks.push({ kind: "string", text, pos: i });
      i = j + 1;
    } else if (PUNCT.has(c)) {
      toks.push({ kind: "punct", text: c, pos: i });
      i++;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      if (j < src.length && isIdentChar(src[j]!)) {
        while (j < src.length && isIdentChar(src[j]!)) j++;
        toks.push({ kind: "ident", text: src.slice(i, j), pos: i });
      } else {
        toks.push({ kind: "number", text: src.slice(i, j), pos: i });
      }
      i = j;
    } else if (isIdentChar(c)) {
      let j = i;
      while (j < src.length && isIdentChar(src[j]!)) j++;
      toks.push({ kind: "ident", text: src.slice(i, j), pos: i });
      i = j;
    } else {
      throw new AnalysisError(`cannot parse DDL "${src}": unexpected "${c}" at position ${i}`);
    }
  }
  toks.push({ kind: "end", text: "", pos: src.length });
  return toks;
}

const SIMPLE: Readonly<Record<string, DataType>> = {
  boolean: T.boolean,
  bool: T.boolean,
  tinyint: T.int32,
  byte: T.int32,
  smallint: T.int32,
  short: T.int32,
  int: T.int32,
  integer: T.int32,
  bigint: T.int64,
  long: T.int64,
  float: T.float64,
  real: T.float64,
  double: T.float64,
  string: T.string,
  date: T.date,
  timestamp: T.timestamp,
  timestamp_ltz: T.timestamp,
  timestamp_ntz: T.timestampNtz,
  void: T.null,
};

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Tok[],
  ) {}

  peek(): Tok {
    return this.toks[this.i]!;
  }
  next(): Tok {
    return this.toks[this.i++]!;
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === p;
  }
  isKeyword(k: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text.toLowerCase() === k;
  }
  expectPunct(p: string): void {
    const t = this.next();
    if (t.kind !== "punct" || t.text !== p) fail(this.src, `expected "${p}"`, t);
  }
  expectNumber(what: string): number {
    const t = this.next();
    if (t.kind !== "number") fail(this.src, `expected ${what}`, t);
    return Number(t.text);
  }
  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== "end") fail(this.src, "expected end of input", t);
  }

  /** fields := field ("," field)* */
  fields(): Field[] {
    const out: Field[] = [];
    if (this.peek().kind === "end") return out;
    for (;;) {
      out.push(this.field());
      if (!this.isPunct(",")) break;
      this.next();
    }
    return out;
  }

  /** field := name [":"] type [NOT NULL] [COMMENT 'text'] */
  field(): Field {
    const nameTok = this.next();
    if (nameTok.kind !== "ident" && nameTok.kind !== "quoted")
      fail(this.src, "expected a column name", nameTok);
    if (this.isPunct(":")) this.next();
    const type = this.type();
    let nullable = true;
    for (;;) {
      if (this.isKeyword("not")) {
        this.next();
        const t = this.next();
        if (t.kind !== "ident" || t.text.toLowerCase() !== "null")
          fail(this.src, 'expected "NULL" after "NOT"', t);
        nullable = false;
      } else if (this.isKeyword("comment")) {
        this.next();
        const t = this.next();
        if (t.kind !== "string") fail(this.src, "expected a quoted comment", t);
      } else {
        break;
      }
    }
    return field(nameTok.text, type, nullable);
  }

  /** type := simple | simple "(" n ["," m] ")" | ARRAY "<" type ">" */
  type(): DataType {
    const t = this.next();
    if (t.kind !== "ident") fail(this.src, "expected a type name", t);
    const name = t.text.toLowerCase();
    const simple = SIMPLE[name];
    if (simple !== undefined) return simple;
    switch (name) {
      case "varchar":
      case "char":
      case "character": {
        if (this.isPunct("(")) {
          this.next();
          this.expectNumber("a length");
          this.expectPunct(")");
        } else if (name !== "character") {
          fail(this.src, `expected "(" and a length after ${t.text}`, this.peek());
        }
        return T.string;
      }
      case "decimal":
      case "dec":
      case "numeric": {
        let precision = 10;
        let scale = 0;
        if (this.isPunct("(")) {
          this.next();
          precision = this.expectNumber("a precision");
          if (this.isPunct(",")) {
            this.next();
            scale = this.expectNumber("a scale");
          }
          this.expectPunct(")");
        }
        if (precision < 1 || precision > 38) {
          throw new AnalysisError(
            `cannot parse DDL "${this.src}": decimal precision ${precision} is not in 1..38`,
          );
        }
        if (scale > precision) {
          throw new AnalysisError(
            `cannot parse DDL "${this.src}": decimal scale ${scale} is larger than precision ${precision}`,
          );
        }
        return T.decimal(precision, scale);
      }
      case "array": {
        this.expectPunct("<");
        const element = this.type();
        this.expectPunct(">");
        return T.list(element);
      }
      default:
        fail(this.src, "unknown or unsupported type", t);
    }
  }
}

/** Parses a Spark DDL field list (`"a INT, b STRING NOT NULL"`) into a Schema. */
export function parseDDL(s: string): Schema {
  const toks = tokenize(s);
  const p = new Parser(s, toks);
  // Spark also accepts the field list wrapped as `struct<...>`.
  const wrapped = p.isKeyword("struct") && toks[1]!.kind === "punct" && toks[1]!.text === "<";
  if (wrapped) {
    p.next();
    p.next();
  }
  const fields = p.fields();
  if (wrapped) p.expectPunct(">");
  p.expectEnd();
  return schemaOf(fields);
}

/** Parses one type name (`"bigint"`, `"decimal(10,2)"`, `"array<string>"`), case-insensitively. */
export function parseTypeName(s: string): DataType {
  const p = new Parser(s, tokenize(s));
  const t = p.type();
  p.expectEnd();
  return t;
}

/** Quotes a column name with backquotes when it is not a plain identifier. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : "`" + name.replaceAll("`", "``") + "`";
}

/** The DDL string of a schema, which `parseDDL` reads back to the same schema. */
export function schemaToDDL(schema: Schema): string {
  return schema.fields
    .map((f) => `${quoteName(f.name)} ${typeName(f.type).toUpperCase()}${f.nullable ? "" : " NOT NULL"}`)
    .join(", ");
}
