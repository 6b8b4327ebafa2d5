/**
 * Space-delimited patterns: `[ip, user, ..., status_code = 4*, bytes > 1000]`. A log event splits on
 * spaces; text between double quotes or square brackets is one field (without its quotes or brackets).
 * Every pattern field takes one log field, `...` any number of them; without `...` the counts must be
 * equal. A field's conditions may be joined with `&&` / `||`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-space-delimited-log-events
 */
import { FilterPatternError } from './errors.ts';
import { readLiteral } from './json.ts';
import { type Token, Tokens, tokenize } from './lexer.ts';
import { type Comparison, checkComparison, compare, numeric } from './values.ts';

type Cond = { k: 'and' | 'or'; left: Cond; right: Cond } | { k: 'cmp'; cmp: Comparison };

export type DelimitedField = { k: 'ellipsis' } | { k: 'field'; name: string; cond?: Cond };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDelimitedPattern(inner: string): DelimitedField[] {
  const groups: Token[][] = [[]];
  for (const tok of tokenize(inner)) {
    if (tok.t === ',') groups.push([]);
    else groups[groups.length - 1]?.push(tok);
  }
  if (groups.length === 1 && groups[0]?.length === 0) throw new FilterPatternError('empty space-delimited pattern');
  const counter = { regexes: 0 };
  const fields = groups.map((g): DelimitedField => {
    const first = g[0];
    if (g.length === 1 && first?.t === 'ellipsis') return { k: 'ellipsis' };
    if (g.length === 1 && first?.t === 'word') {
      if (!NAME.test(first.text)) throw new FilterPatternError(`bad field name ${first.text}`);
      return { k: 'field', name: first.text };
    }
    const ts = new Tokens(g);
    const names = new Set<string>();
    const cond = parseOr(ts, names, counter);
    if (!ts.done() || names.size !== 1) throw new FilterPatternError('a field condition names one field');
    const [name = ''] = [...names];
    return { k: 'field', name, cond };
  });
  const names = fields.flatMap((f) => (f.k === 'field' ? [f.name] : []));
  if (new Set(names).size !== names.length) throw new FilterPatternError('a field name twice');
  return fields;
}

function parseOr(ts: Tokens, names: Set<string>, n: { regexes: number }): Cond {
  let left = parseAnd(ts, names, n);
  while (ts.peek()?.t === 'or') {
    ts.next();
    left = { k: 'or', left, right: parseAnd(ts, names, n) };
  }
  return left;
}

function parseAnd(ts: Tokens, names: Set<string>, n: { regexes: number }): Cond {
  let left = parseUnary(ts, names, n);
  while (ts.peek()?.t === 'and') {
    ts.next();
    left = { k: 'and', left, right: parseUnary(ts, names, n) };
  }
  return left;
}

function parseUnary(ts: Tokens, names: Set<string>, n: { regexes: number }): Cond {
  const tok = ts.next();
  if (tok?.t === '(') {
    const inner = parseOr(ts, names, n);
    if (ts.next()?.t !== ')') throw new FilterPatternError('missing )');
    return inner;
  }
  if (tok?.t !== 'word' || !NAME.test(tok.text)) throw new FilterPatternError('expected a field name');
  names.add(tok.text);
  const op = ts.next();
  if (op?.t !== 'op') throw new FilterPatternError('expected an operator');
  const cmp: Comparison = { op: op.op, literal: readLiteral(ts.next(), n) };
  checkComparison(cmp);
  return { k: 'cmp', cmp };
}

/** The fields of a log event, as space-delimited patterns see them. */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < message.length) {
    const c = message[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : undefined;
    if (close !== undefined) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        out.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < message.length && message[j] !== ' ' && message[j] !== '\t') j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}

function evalCond(c: Cond, text: string): boolean {
  if (c.k === 'cmp') return compare(c.cmp, text, numeric(text));
  return c.k === 'and' ? evalCond(c.left, text) && evalCond(c.right, text) : evalCond(c.left, text) || evalCond(c.right, text);
}

/** The field bindings when the event matches, else null (the first match, `...` taking as few as it can). */
export function matchDelimited(fields: DelimitedField[], message: string): Map<string, string> | null {
  const values = splitFields(message);
  const bound = new Map<string, string>();
  const go = (fi: number, vi: number): boolean => {
    if (fi === fields.length) return vi === values.length;
    const f = fields[fi];
    if (f === undefined) return false;
    if (f.k === 'ellipsis') {
      for (let skip = vi; skip <= values.length; skip++) if (go(fi + 1, skip)) return true;
      return false;
    }
    const v = values[vi];
    if (v === undefined || (f.cond !== undefined && !evalCond(f.cond, v))) return false;
    bound.set(f.name, v);
    return go(fi + 1, vi + 1);
  };
  return go(0, 0) ? bound : null;
}
