/**
 * What JSON and space-delimited patterns compare a field with: a string (with `*` wildcards), a number,
 * a regex between `%` signs, and the comparison operators. See docs/logs-patterns.md and
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import { FilterPatternError } from './errors.ts';

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal = { kind: 'string'; text: string; quoted: boolean } | { kind: 'number'; value: number; text: string } | { kind: 'regex'; regex: RegExp };

/** One comparison of a field's text (or number) with a literal. */
export interface Comparison {
  op: Operator;
  literal: Literal;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An unquoted value: a number when it reads as one, otherwise a (wildcard) string. */
export function unquotedLiteral(text: string): Literal {
  if (NUMBER.test(text)) return { kind: 'number', value: Number(text), text };
  return { kind: 'string', text, quoted: false };
}

/**
 * The characters a filter-pattern regex may hold: alphanumerics, the symbols `_ # = @ / ; , - :` and
 * space, and the operators `^ $ ? [ ] { } | \ * + .`; no parentheses, no multi-byte characters
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#regex-expressions).
 */
const REGEX_CHARS = /^[A-Za-z0-9_#=@/;,\-: ^$?[\]{}|\\*+.]*$/;

export function compileRegex(body: string): RegExp {
  if (body === '' || !REGEX_CHARS.test(body)) throw new FilterPatternError(`unsupported character in regex %${body}%`);
  try {
    return new RegExp(body);
  } catch {
    throw new FilterPatternError(`invalid regex %${body}%`);
  }
}

/** `*` matches any run of characters; everything else literally; the whole text must match. */
export function wildcardMatches(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Numeric and ordering operators need a number literal; strings and regexes take `=` and `!=` only. */
export function checkComparison(c: Comparison): void {
  if (c.literal.kind !== 'number' && c.op !== '=' && c.op !== '!=') throw new FilterPatternError(`operator ${c.op} needs a number`);
}

/**
 * Compares a field's value: `value` is the field as text (a JSON string's content, a number's text, a
 * delimited field), `num` its numeric reading when it is one. Absent fields never match.
 */
export function compare(c: Comparison, value: string, num: number | undefined): boolean {
  const lit = c.literal;
  if (lit.kind === 'regex') {
    const found = lit.regex.test(value);
    return c.op === '=' ? found : !found;
  }
  if (lit.kind === 'number') {
    if (num === undefined) {
      if (c.op === '=') return value === lit.text;
      if (c.op === '!=') return value !== lit.text;
      return false;
    }
    switch (c.op) {
      case '=':
        return num === lit.value;
      case '!=':
        return num !== lit.value;
      case '<':
        return num < lit.value;
      case '<=':
        return num <= lit.value;
      case '>':
        return num > lit.value;
      case '>=':
        return num >= lit.value;
    }
  }
  const equal = wildcardMatches(lit.text, value);
  return c.op === '=' ? equal : !equal;
}

/** A field's text as a number, when all of it is one. */
export function numeric(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}
