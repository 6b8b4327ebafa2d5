/**
 * A pull tokenizer for event-pattern JSON that reports positions the way AWS's pattern compiler does.
 *
 * EventBridge compiles patterns with a streaming JSON parser (the open-source engine it runs is
 * https://github.com/aws/event-ruler) and its InvalidEventPatternException message ends with the
 * parser's location, e.g. captured from AWS:
 * `Event pattern is not valid. Reason: "slug" must be an object or an array at [Source: (String)"{ …}"; line: 5, column: 16]`.
 * The location is where the parser stands when the compiler gives up, so this tokenizer stands where
 * that parser stands: after a field name it has already read the colon and the first character of
 * the value (the opening quote of a string, a bracket, or a whole number or literal); a string
 * value's text is read only when asked for (`text()`), so an error about a string token points just
 * after its opening quote. docs/event-patterns.md#error-messages.
 */

export type Token = 'START_OBJECT' | 'END_OBJECT' | 'START_ARRAY' | 'END_ARRAY' | 'FIELD_NAME' | 'STRING' | 'NUMBER' | 'TRUE' | 'FALSE' | 'NULL';

/** A refused pattern: `reason` is the engine's text, `message` adds the location as AWS does. */
export class JsonPatternError extends Error {
  constructor(
    readonly reason: string,
    location: string | undefined,
  ) {
    super(location ? `${reason}\n at ${location}` : reason);
  }
}

/** The parser keeps at most this much of the source in a location (Jackson's snippet length). */
const SNIPPET = 500;

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

interface Context {
  kind: 'object' | 'array' | 'root';
  /** no entry read yet (no comma expected before the next one) */
  first: boolean;
  startLine: number;
  startColumn: number;
}

export class JsonTokens {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private stack: Context[] = [{ kind: 'root', first: true, startLine: 1, startColumn: 0 }];
  /** the value token already read after a field name (returned by the next `next()`) */
  private pending: Token | undefined;
  /** a string value whose closing quote has not been read yet */
  private openString = false;
  private current: Token | undefined;
  private currentText = '';
  private currentName = '';

  constructor(private readonly src: string) {}

  /** Where the parser stands, in AWS's words. */
  location(): string {
    const shown = this.src.length > SNIPPET ? `${this.src.slice(0, SNIPPET)}"[truncated ${this.src.length - SNIPPET} chars]` : `${this.src}"`;
    return `[Source: (String)"${shown}; line: ${this.line}, column: ${this.pos - this.lineStart + 1}]`;
  }

  fail(reason: string): never {
    throw new JsonPatternError(reason, this.location());
  }

  /** The name of the field the last FIELD_NAME token (or the value after it) belongs to. */
  name(): string {
    return this.currentName;
  }

  /** The text of the current token (reads the rest of a string value). */
  text(): string {
    if (this.openString && this.current === 'STRING') {
      this.currentText = this.readString();
      this.openString = false;
    }
    if (this.current === 'FIELD_NAME') return this.currentName;
    return this.currentText;
  }

  /** The next token, or undefined at the end of the input. */
  next(): Token | undefined {
    if (this.openString && this.current === 'STRING') {
      this.readString();
      this.openString = false;
    }
    if (this.pending) {
      const t = this.pending;
      this.pending = undefined;
      return this.set(t);
    }
    const ctx = this.top();
    let c = this.skipWs();
    if (ctx.kind === 'root') {
      if (c < 0) return this.set(undefined);
      return this.set(this.value(c));
    }
    const closer = ctx.kind === 'object' ? 0x7d : 0x5d;
    if (c === closer) {
      this.pos++;
      this.stack.pop();
      return this.set(ctx.kind === 'object' ? 'END_OBJECT' : 'END_ARRAY');
    }
    if (c < 0) this.eof(ctx);
    if (!ctx.first) {
      if (c !== 0x2c) this.unexpected(c, `was expecting comma to separate ${ctx.kind === 'object' ? 'Object' : 'Array'} entries`);
      this.pos++;
      c = this.skipWs();
      if (c < 0) this.eof(ctx);
    }
    ctx.first = false;
    if (ctx.kind === 'array') return this.set(this.value(c));
    if (c !== 0x22) this.unexpected(c, 'was expecting double-quote to start field name');
    this.pos++;
    this.currentName = this.readString();
    c = this.skipWs();
    if (c !== 0x3a) {
      if (c < 0) this.eof(ctx);
      this.unexpected(c, 'was expecting a colon to separate field name and value');
    }
    this.pos++;
    c = this.skipWs();
    if (c < 0) this.eof(ctx);
    const value = this.value(c);
    this.pending = value;
    return this.set('FIELD_NAME');
  }

  private set(t: Token | undefined): Token | undefined {
    this.current = t;
    if (t && t in STRUCTURAL) this.currentText = STRUCTURAL[t] as string;
    return t;
  }

  private top(): Context {
    return this.stack[this.stack.length - 1] as Context;
  }

  private skipWs(): number {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (!isWs(c)) return c;
      this.pos++;
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.pos;
      }
    }
    return -1;
  }

  /** Reads the start of a value at `c` (whole numbers and literals, only the quote of a string). */
  private value(c: number): Token {
    const column = this.pos - this.lineStart + 1;
    switch (c) {
      case 0x7b:
        this.pos++;
        this.stack.push({ kind: 'object', first: true, startLine: this.line, startColumn: column });
        return 'START_OBJECT';
      case 0x5b:
        this.pos++;
        this.stack.push({ kind: 'array', first: true, startLine: this.line, startColumn: column });
        return 'START_ARRAY';
      case 0x22:
        this.pos++;
        this.openString = true;
        this.currentText = '';
        return 'STRING';
      case 0x74:
        return this.literal('true', 'TRUE');
      case 0x66:
        return this.literal('false', 'FALSE');
      case 0x6e:
        return this.literal('null', 'NULL');
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) this.unrecognized();
        return this.unexpected(c, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }
  }

  private literal(word: string, token: Token): Token {
    if (!this.src.startsWith(word, this.pos)) this.unrecognized();
    const after = this.src.charCodeAt(this.pos + word.length);
    if (isIdentChar(after)) this.unrecognized();
    this.pos += word.length;
    this.currentText = word;
    return token;
  }

  private unrecognized(): never {
    let end = this.pos;
    while (end < this.src.length && isIdentChar(this.src.charCodeAt(end))) end++;
    const token = this.src.slice(this.pos, end);
    this.pos = end;
    return this.fail(`Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
  }

  private number(): Token {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos, this.pos + 400));
    if (!m) {
      this.pos++;
      return this.fail('Unexpected character in numeric value: expected digit');
    }
    const after = this.src.charCodeAt(this.pos + m[0].length);
    this.pos += m[0].length;
    if (after >= 0x30 && after <= 0x39) this.fail('Invalid numeric value: Leading zeroes not allowed');
    this.currentText = m[0];
    return 'NUMBER';
  }

  /** Reads a string body up to and past its closing quote (the opening quote is already read). */
  private readString(): string {
    const s = this.src;
    let out = '';
    let from = this.pos;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(from, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        this.pos++;
        this.fail(`Illegal unquoted character ((CTRL-CHAR, code ${c})): has to be escaped using backslash to be included in string value`);
      }
      if (c === 0x5c) {
        out += s.slice(from, this.pos);
        out += this.escape();
        from = this.pos;
        continue;
      }
      this.pos++;
    }
    return this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
  }

  private escape(): string {
    const e = this.src.charAt(this.pos + 1);
    this.pos += 2;
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (e in simple) return simple[e] as string;
    if (e === 'u') {
      const hex = this.src.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character: expected a hex-digit for character escape sequence');
      this.pos += 4;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    return this.fail(`Unrecognized character escape '${e}' (code ${e.charCodeAt(0)})`);
  }

  private unexpected(c: number, expecting: string): never {
    this.pos++;
    return this.fail(`Unexpected character (${describe(c)}): ${expecting}`);
  }

  private eof(ctx: Context): never {
    const kind = ctx.kind === 'object' ? 'Object' : 'Array';
    const start = `[Source: (String)"${this.src.length > SNIPPET ? `${this.src.slice(0, SNIPPET)}"[truncated ${this.src.length - SNIPPET} chars]` : `${this.src}"`}; line: ${ctx.startLine}, column: ${ctx.startColumn}]`;
    return this.fail(`Unexpected end-of-input: expected close marker for ${kind} (start marker at ${start})`);
  }
}

const STRUCTURAL: Partial<Record<Token, string>> = { START_OBJECT: '{', END_OBJECT: '}', START_ARRAY: '[', END_ARRAY: ']' };

function isIdentChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** A character as the parser names it in messages: `'}' (code 125)`. */
function describe(c: number): string {
  if (c < 0x20) return `CTRL-CHAR, code ${c}`;
  return `'${String.fromCharCode(c)}' (code ${c})`;
}

/** Runs a value check that throws a plain Error (numbers, wildcards) and reports it at the parser's location. */
export function located<T>(t: JsonTokens, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof JsonPatternError) throw e;
    return t.fail((e as Error).message);
  }
}

/** The same without a location: AWS reports CIDR faults bare. */
export function unlocated<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof JsonPatternError) throw e;
    throw new JsonPatternError((e as Error).message, undefined);
  }
}
