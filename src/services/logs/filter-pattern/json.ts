/**
 * JSON filter patterns: `{ SELECTOR OP VALUE }` conditions joined with `&&` / `||` and parentheses;
 * `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`. `&&` binds tighter than `||`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
 */
import { FilterPatternError } from './errors.ts';
import { type Token, Tokens, tokenize } from './lexer.ts';
import { type Comparison, checkComparison, compare, compileRegex, type Literal, numeric, unquotedLiteral } from './values.ts';

export type Segment = string | number;

export type JsonExpr =
  | { k: 'and' | 'or'; left: JsonExpr; right: JsonExpr }
  | { k: 'cmp'; path: Segment[]; cmp: Comparison }
  | { k: 'is'; path: Segment[]; what: 'null' | 'true' | 'false' | 'not-exists' };

/** At most two regexes in one JSON or space-delimited pattern (FilterAndPatternSyntax.html, Quotas). */
export const MAX_REGEXES = 2;

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']; throws for anything else. */
export function parseSelector(text: string): Segment[] {
  if (!text.startsWith('$') || text.length < 2) throw new FilterPatternError(`bad selector ${text}`);
  const path: Segment[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === '.') {
      let j = i + 1;
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
      const name = text.slice(i + 1, j);
      if (name === '' || name.includes(']')) throw new FilterPatternError(`bad selector ${text}`);
      path.push(name);
      i = j;
    } else if (text[i] === '[') {
      const end = text.indexOf(']', i);
      const index = end < 0 ? '' : text.slice(i + 1, end);
      if (!/^\d+$/.test(index)) throw new FilterPatternError(`bad array index in ${text}`);
      path.push(Number(index));
      i = end + 1;
    } else {
      throw new FilterPatternError(`bad selector ${text}`);
    }
  }
  return path;
}

export function parseJsonPattern(inner: string): JsonExpr {
  const tokens = new Tokens(tokenize(inner));
  const counter = { regexes: 0 };
  const expr = parseOr(tokens, counter);
  if (!tokens.done()) throw new FilterPatternError('unexpected token after expression');
  return expr;
}

type Counter = { regexes: number };

function parseOr(ts: Tokens, n: Counter): JsonExpr {
  let left = parseAnd(ts, n);
  while (ts.peek()?.t === 'or') {
    ts.next();
    left = { k: 'or', left, right: parseAnd(ts, n) };
  }
  return left;
}

function parseAnd(ts: Tokens, n: Counter): JsonExpr {
  let left = parseUnary(ts, n);
  while (ts.peek()?.t === 'and') {
    ts.next();
    left = { k: 'and', left, right: parseUnary(ts, n) };
  }
  return left;
}

function parseUnary(ts: Tokens, n: Counter): JsonExpr {
  const tok = ts.next();
  if (tok?.t === '(') {
    const inner = parseOr(ts, n);
    if (ts.next()?.t !== ')') throw new FilterPatternError('missing )');
    return inner;
  }
  if (tok?.t !== 'word') throw new FilterPatternError('expected a selector');
  const path = parseSelector(tok.text);
  const after = ts.next();
  if (after?.t === 'word') {
    const second = ts.next();
    const a = after.text;
    const b = second?.t === 'word' ? second.text : '';
    if (a === 'IS' && (b === 'NULL' || b === 'TRUE' || b === 'FALSE')) return { k: 'is', path, what: b === 'NULL' ? 'null' : b === 'TRUE' ? 'true' : 'false' };
    if (a === 'NOT' && b === 'EXISTS') return { k: 'is', path, what: 'not-exists' };
    throw new FilterPatternError(`unknown keyword ${a} ${b}`);
  }
  if (after?.t !== 'op') throw new FilterPatternError('expected an operator');
  const cmp: Comparison = { op: after.op, literal: readLiteral(ts.next(), n) };
  checkComparison(cmp);
  return { k: 'cmp', path, cmp };
}

/** The value after an operator, in JSON and space-delimited patterns alike. */
export function readLiteral(tok: Token | undefined, n: Counter): Literal {
  if (tok?.t === 'quoted') return { kind: 'string', text: tok.text, quoted: true };
  if (tok?.t === 'word') return unquotedLiteral(tok.text);
  if (tok?.t === 'regex') {
    n.regexes++;
    if (n.regexes > MAX_REGEXES) throw new FilterPatternError('more than two regexes');
    return { kind: 'regex', regex: compileRegex(tok.body) };
  }
  throw new FilterPatternError('expected a value');
}

type Found = { found: false } | { found: true; value: unknown };

export function resolvePath(doc: unknown, path: Segment[]): Found {
  let at: unknown = doc;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(at) || seg >= at.length) return { found: false };
      at = at[seg];
    } else {
      if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, seg)) return { found: false };
      at = (at as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: at };
}

/** A scalar's text as patterns compare it; undefined for objects, arrays and null. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function evalJson(e: JsonExpr, doc: unknown): boolean {
  switch (e.k) {
    case 'and':
      return evalJson(e.left, doc) && evalJson(e.right, doc);
    case 'or':
      return evalJson(e.left, doc) || evalJson(e.right, doc);
    case 'is': {
      const r = resolvePath(doc, e.path);
      if (e.what === 'not-exists') return !r.found;
      if (!r.found) return false;
      if (e.what === 'null') return r.value === null;
      return r.value === (e.what === 'true');
    }
    case 'cmp': {
      const r = resolvePath(doc, e.path);
      if (!r.found) return false;
      const text = scalarText(r.value);
      if (text === undefined) return false;
      const num = typeof r.value === 'number' ? r.value : typeof r.value === 'string' ? numeric(r.value) : undefined;
      return compare(e.cmp, text, num);
    }
  }
}
