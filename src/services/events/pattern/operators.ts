/**
 * The comparison operators of event patterns (`{"prefix": …}` and the rest), read from the token
 * stream right after the `{` that opens them, with AWS's reason text for each malformed form.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { type JsonTokens, located, type Token, unlocated } from './json.ts';
import type { Matcher } from './types.ts';
import { comparable, NUMBER_RANGE, parseCidr, parseWildcard } from './values.ts';

const ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY = 'Too many elements in numeric expression';

/** Reads `{"op": operand}` (the `{` is read) and compiles it. */
export function parseMatchExpression(t: JsonTokens): Matcher {
  if (t.next() !== 'FIELD_NAME') t.fail('Match expression name not found');
  const op = t.name();
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const tok = t.next();
      if (tok === 'START_OBJECT') return ignoreCaseAffix(t, op);
      const value = stringOperand(t, tok, `${op} match pattern must be a string`);
      close(t);
      return { kind: op, value, ignoreCase: false };
    }
    case 'equals-ignore-case': {
      const value = stringOperand(t, t.next(), 'equals-ignore-case match pattern must be a string');
      close(t);
      return { kind: 'equals-ignore-case', value: value.toLowerCase() };
    }
    case 'wildcard': {
      const value = stringOperand(t, t.next(), 'wildcard match pattern must be a string');
      const wildcard = located(t, () => parseWildcard(value));
      close(t);
      return { kind: 'wildcard', wildcard };
    }
    case 'numeric':
      if (t.next() !== 'START_ARRAY') t.fail('Value of numeric must be an array.');
      return located(t, () => {
        const m = numeric(t);
        if (t.next() !== 'END_OBJECT') t.fail(TOO_MANY);
        return m;
      });
    case 'exists': {
      const tok = t.next();
      if (tok !== 'TRUE' && tok !== 'FALSE') t.fail('exists match pattern must be either true or false.');
      close(t);
      return tok === 'TRUE' ? { kind: 'exists' } : { kind: 'absent' };
    }
    case 'cidr': {
      const value = stringOperand(t, t.next(), 'prefix match pattern must be a string');
      const range = unlocated(() => parseCidr(value));
      close(t);
      return { kind: 'cidr', range };
    }
    case 'anything-but':
      return anythingBut(t);
    default:
      return t.fail(`Unrecognized match type ${op}`);
  }
}

function stringOperand(t: JsonTokens, tok: Token | undefined, message: string): string {
  if (tok !== 'STRING') t.fail(message);
  return t.text();
}

function close(t: JsonTokens): void {
  if (t.next() !== 'END_OBJECT') t.fail(ONE_KEY);
}

/** `{"prefix": {"equals-ignore-case": "…"}}` and the suffix form. */
function ignoreCaseAffix(t: JsonTokens, op: 'prefix' | 'suffix'): Matcher {
  const Op = op === 'prefix' ? 'Prefix' : 'Suffix';
  if (t.next() !== 'FIELD_NAME') t.fail(`${Op} expression name not found`);
  if (t.name() !== 'equals-ignore-case') t.fail(`Unsupported ${op} pattern: ${t.name()}`);
  const value = stringOperand(t, t.next(), 'equals-ignore-case match pattern must be a string');
  close(t);
  close(t);
  return { kind: op, value: value.toLowerCase(), ignoreCase: true };
}

type ButKind = 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

function anythingBut(t: JsonTokens): Matcher {
  let kind: ButKind = 'plain';
  let tok = t.next();
  if (tok === 'START_OBJECT') {
    if (t.next() !== 'FIELD_NAME') t.fail('Anything-But expression name not found');
    const inner = t.name();
    if (inner !== 'equals-ignore-case' && inner !== 'prefix' && inner !== 'suffix' && inner !== 'wildcard') {
      t.fail(`Unsupported anything-but pattern: ${inner}`);
    }
    kind = inner;
    tok = t.next();
  }
  if (tok !== 'START_ARRAY' && tok !== 'STRING' && tok !== 'NUMBER') t.fail('Value of anything-but must be an array or single string/number value.');
  const m = kind === 'plain' ? plainAnythingBut(t, tok) : setAnythingBut(t, kind, tok);
  if (t.next() !== 'END_OBJECT') t.fail(TOO_MANY);
  if (kind !== 'plain' && t.next() !== 'END_OBJECT') t.fail(TOO_MANY);
  return m;
}

function butNumber(t: JsonTokens): number {
  const n = comparable(Number(t.text()));
  if (n === undefined) t.fail(NUMBER_RANGE);
  return n as number;
}

function plainAnythingBut(t: JsonTokens, tok: Token): Matcher {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  if (tok === 'STRING') strings.add(t.text());
  else if (tok === 'NUMBER') numbers.add(butNumber(t));
  else {
    for (let e = t.next(); e !== 'END_ARRAY'; e = t.next()) {
      if (e === 'STRING') strings.add(t.text());
      else if (e === 'NUMBER') numbers.add(butNumber(t));
      else t.fail('Inside anything but list, start|null|boolean is not supported.');
    }
    if (strings.size > 0 === numbers.size > 0) t.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return { kind: 'anything-but', strings, numbers };
}

function setAnythingBut(t: JsonTokens, kind: Exclude<ButKind, 'plain'>, tok: Token): Matcher {
  const values: string[] = [];
  const one = (e: Token | undefined) => {
    if (e !== 'STRING') {
      if (kind === 'equals-ignore-case') t.fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      t.fail(kind === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string');
    }
    const text = t.text();
    if ((kind === 'prefix' || kind === 'suffix') && text === '') t.fail('Null prefix/suffix not allowed');
    values.push(text);
  };
  if (tok === 'START_ARRAY') for (let e = t.next(); e !== 'END_ARRAY'; e = t.next()) one(e);
  else one(tok);
  switch (kind) {
    case 'equals-ignore-case':
      return { kind: 'anything-but-ignore-case', values: new Set(values.map((v) => v.toLowerCase())) };
    case 'prefix':
      return { kind: 'anything-but-prefix', values };
    case 'suffix':
      return { kind: 'anything-but-suffix', values };
    case 'wildcard':
      return { kind: 'anything-but-wildcard', wildcards: values.map((v) => located(t, () => parseWildcard(v))) };
  }
}

const LOWER: Record<string, boolean> = { '>': true, '>=': false };

/** `["op", n]`, `["=", n]` or `[">"|">=", n, "<"|"<=", m]` (the `[` is read). */
function numeric(t: JsonTokens): Matcher {
  if (t.next() !== 'STRING') t.fail(`Invalid member in numeric match: ${t.text()}`);
  const op = t.text();
  const tok = t.next();
  const value = () => {
    if (tok !== 'NUMBER') t.fail(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
    return t.text();
  };
  switch (op) {
    case '=': {
      const text = value();
      if (t.next() !== 'END_ARRAY') t.fail(TOO_MANY);
      const n = need(text);
      return { kind: 'numeric', low: n, lowOpen: false, high: n, highOpen: false };
    }
    case '<':
    case '<=': {
      const text = value();
      if (t.next() !== 'END_ARRAY') t.fail(TOO_MANY);
      return { kind: 'numeric', lowOpen: false, high: need(text), highOpen: op === '<' };
    }
    case '>':
    case '>=': {
      const lowText = value();
      const lowOpen = LOWER[op] as boolean;
      const next = t.next();
      if (next === 'END_ARRAY') return { kind: 'numeric', low: need(lowText), lowOpen, highOpen: false };
      if (next !== 'STRING') t.fail(`Bad value in numeric range: ${t.text()}`);
      const op2 = t.text();
      if (op2 !== '<' && op2 !== '<=') t.fail(`Bad numeric range operator: ${op2}`);
      if (t.next() !== 'NUMBER') t.fail(`Value of ${op2} must be numeric`);
      const highText = t.text();
      if (t.next() !== 'END_ARRAY') t.fail('Too many terms in numeric range expression');
      const low = need(lowText);
      const high = need(highText);
      if (low >= high) t.fail('Bottom must be less than top');
      return { kind: 'numeric', low, lowOpen, high, highOpen: op2 === '<' };
    }
    default:
      return t.fail(`Unrecognized numeric range operator: ${op}`);
  }
}

function need(text: string): number {
  const n = comparable(Number(text));
  if (n === undefined) throw new Error(NUMBER_RANGE);
  return n;
}
