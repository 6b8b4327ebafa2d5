/**
 * Compiles an event pattern, refusing what AWS refuses with AWS's reason text
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 * The pattern is read as a token stream in the order AWS's compiler reads it, so the first fault
 * found, and where, is the one AWS reports. docs/event-patterns.md#error-messages.
 *
 * Structure: fields of an object AND together; the values in a field's array OR together; nested
 * objects are dotted paths (`{"detail": {"state": [..]}}` tests `detail.state`); `$or` takes two or
 * more alternative objects and multiplies the alternatives out into branches.
 */
import { JsonTokens, type Token } from './json.ts';
import type { Branch, CompiledPattern, Matcher } from './types.ts';
import { comparable, ipKey } from './values.ts';
import { parseMatchExpression } from './operators.ts';

/** Field names that name an operator and so cannot be fields inside `$or`. */
const RESERVED_IN_OR = new Set([
  ...['exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr'],
  ...['=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case'],
  ...['date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range'],
]);

type Rules = Map<string, Matcher[]>[];

export function compilePattern(text: string): CompiledPattern {
  const t = new JsonTokens(text);
  if (t.next() !== 'START_OBJECT') t.fail('Filter is not an object');
  const rules: Rules = [];
  parseObject(t, rules, [], false);
  // what follows the closing brace is not read (AWS accepts trailing text)
  const branches: Branch[] = rules.map((rule) =>
    [...rule].map(([path, matchers]) => ({
      path,
      matchers: matchers.filter((m) => m.kind !== 'absent'),
      absent: matchers.some((m) => m.kind === 'absent'),
    })),
  );
  const paths = new Set(branches.flatMap((b) => b.map((f) => f.path)));
  return { branches, paths };
}

function parseObject(t: JsonTokens, rules: Rules, path: string[], insideOr: boolean): void {
  let fields = false;
  for (let tok = t.next(); tok !== 'END_OBJECT'; tok = t.next()) {
    fields = true;
    const name = t.name();
    if (name === '$or') {
      parseOr(t, rules, path);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(name)) t.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    const value = t.next();
    if (value === 'START_OBJECT') parseObject(t, rules, [...path, name], insideOr);
    else if (value === 'START_ARRAY') writeRules(t, rules, [...path, name].join('.'));
    else t.fail(`"${name}" must be an object or an array`);
  }
  if (!fields) t.fail('Empty objects are not allowed');
}

function parseOr(t: JsonTokens, rules: Rules, path: string[]): void {
  const before = rules.map((r) => new Map(r));
  rules.length = 0;
  if (t.next() !== 'START_ARRAY') t.fail('It must be an Array followed with $or.');
  let count = 0;
  for (let tok = t.next(); tok !== 'END_ARRAY'; tok = t.next()) {
    count++;
    if (tok !== 'START_OBJECT') t.fail('Only JSON object is allowed in array of $or relationship.');
    const alternative = before.length ? before.map((r) => new Map(r)) : [new Map<string, Matcher[]>()];
    parseObject(t, alternative, path, true);
    rules.push(...alternative);
  }
  if (count < 2) t.fail('There must have at least 2 Objects in $or relationship.');
}

function writeRules(t: JsonTokens, rules: Rules, name: string): void {
  const values: Matcher[] = [];
  for (let tok: Token | undefined = t.next(); tok !== 'END_ARRAY'; tok = t.next()) {
    values.push(...leaf(t, tok));
  }
  if (!values.length) t.fail('Empty arrays are not allowed');
  if (!rules.length) rules.push(new Map());
  // a field given twice: the later one wins, as in AWS's compiler
  for (const rule of rules) rule.set(name, values);
}

/** One element of a field's value array. */
function leaf(t: JsonTokens, tok: Token | undefined): Matcher[] {
  switch (tok) {
    case 'START_OBJECT':
      return [parseMatchExpression(t)];
    case 'STRING': {
      const value = t.text();
      const ip = ipKey(value);
      return [ip ? { kind: 'string', value, ip } : { kind: 'string', value }];
    }
    case 'NUMBER': {
      const text = t.text();
      const value = comparable(Number(text));
      return [value === undefined ? { kind: 'number', text } : { kind: 'number', text, value }];
    }
    case 'TRUE':
      return [{ kind: 'literal', value: true }];
    case 'FALSE':
      return [{ kind: 'literal', value: false }];
    case 'NULL':
      return [{ kind: 'literal', value: null }];
    default:
      return t.fail('Match value must be String, number, true, false, or null');
  }
}
