/**
 * SNS subscription filter policies, as AWS documents them
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html, operators:
 * https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html,
 * https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html,
 * https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html,
 * https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html; limits:
 * https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html). A pure module:
 * `parseFilterPolicy` checks a policy and gives AWS's `InvalidParameter` message when it is refused;
 * `matchesAttributes` / `matchesBody` decide whether a message is delivered. docs/sns.md#filter-policies.
 *
 * Semantics: every key of a policy must match (AND); the rules in a key's array are alternatives
 * (OR); `$or` takes alternative sub-policies. A message attribute (scope MessageAttributes) or a body
 * property (scope MessageBody, nested objects as nested keys) that is missing matches only
 * `{"exists": false}`. String rules (exact, prefix, suffix, equals-ignore-case, anything-but) apply
 * to strings, numeric rules and exact numbers to numbers; a `String.Array` attribute or a JSON array
 * in the body matches when any element does. Binary attributes match nothing.
 */

import { testLeaf } from '../events/pattern/match.ts';
import type { Matcher } from '../events/pattern/types.ts';
import { parseCidr } from '../events/pattern/values.ts';

export type FilterScope = 'MessageAttributes' | 'MessageBody';

/** A parsed, checked filter policy. */
export interface FilterPolicy {
  scope: FilterScope;
  root: PolicyNode;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A level of a policy: keys to rule lists or nested levels, and `$or` alternatives. */
interface PolicyNode {
  keys: [string, Rule[] | PolicyNode][];
  or: PolicyNode[][];
}

type Rule =
  | { kind: 'exact'; value: string | number | boolean | null }
  /** the string operators EventBridge patterns share, run by the same test (docs/event-patterns.md#sns-filter-policies) */
  | { kind: 'prefix' | 'suffix' | 'equals-ignore-case'; value: string; shared: Matcher }
  /** IP address matching (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html#string-address-matching) */
  | { kind: 'cidr'; shared: Matcher }
  | { kind: 'anything-but'; values: (string | number)[] }
  | { kind: 'anything-but-prefix' | 'anything-but-suffix'; value: string }
  | { kind: 'numeric'; conditions: [string, number][] }
  | { kind: 'exists'; value: boolean };

/** A refused policy: the message is AWS's, without the `Invalid parameter: ` prefix the caller adds. */
export class FilterPolicyError extends Error {}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
/** 256 KB (subscription-filter-policy-constraints) */
export const MAX_POLICY_BYTES = 256 * 1024;
/** numeric values: between -10^9 and 10^9, with five digits after the point */
const NUMERIC_LIMIT = 1e9;

const fail = (message: string): never => {
  throw new FilterPolicyError(`FilterPolicy: ${message}`);
};

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks `text` for `scope`; throws FilterPolicyError with AWS's message. */
export function parseFilterPolicy(text: string, scope: FilterScope): FilterPolicy {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) fail('Filter policy is too big');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('failed to parse JSON.');
  }
  if (!isObject(doc)) return fail('Filter policy must be a JSON object');
  if (Object.keys(doc).length > MAX_KEYS) fail(`Filter policy can not have more than ${MAX_KEYS} keys`);
  const { node, combinations } = parseNode(doc, scope, 1, 1);
  if (combinations > MAX_COMBINATIONS) fail('Filter policy is too complex');
  return { scope, root: node };
}

function parseNode(obj: Record<string, Json>, scope: FilterScope, depth: number, combinations: number): { node: PolicyNode; combinations: number } {
  const node: PolicyNode = { keys: [], or: [] };
  if (scope === 'MessageAttributes' && depth > 1) throw new FilterPolicyError('Filter policy scope MessageAttributes does not support nested filter policy');
  for (const [key, value] of Object.entries(obj)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) fail('"$or" must be an array of at least two objects');
      let sum = 0;
      const alternatives: PolicyNode[] = [];
      for (const alt of value as Record<string, Json>[]) {
        const parsed = parseNode(alt, scope, depth, combinations);
        alternatives.push(parsed.node);
        sum += parsed.combinations;
      }
      node.or.push(alternatives);
      combinations = sum;
    } else if (Array.isArray(value)) {
      if (!value.length) fail('Empty arrays are not allowed');
      node.keys.push([key, value.map(parseRule)]);
      combinations *= value.length * depth;
    } else if (isObject(value)) {
      if (scope === 'MessageAttributes') throw new FilterPolicyError('Filter policy scope MessageAttributes does not support nested filter policy');
      const parsed = parseNode(value, scope, depth + 1, combinations);
      node.keys.push([key, parsed.node]);
      combinations = parsed.combinations;
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
  return { node, combinations };
}

function checkNumber(n: number): number {
  if (n <= -NUMERIC_LIMIT || n >= NUMERIC_LIMIT) fail(`Numeric value ${n} is out of range (it must be between -1.0E9 and 1.0E9)`);
  return n;
}

function parseRule(r: Json): Rule {
  if (r === null || typeof r === 'string' || typeof r === 'boolean') return { kind: 'exact', value: r };
  if (typeof r === 'number') return { kind: 'exact', value: checkNumber(r) };
  if (!isObject(r)) return fail('Match value must be String, number, true, false, or null');
  const entries = Object.entries(r);
  if (entries.length !== 1) fail('Only one key allowed in match expression');
  const [op, value] = entries[0]!;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof value !== 'string') fail(`${op} match pattern must be a string`);
      return { kind: op, value: value as string, shared: sharedMatcher(op, value as string) };
    case 'cidr':
      return cidr(value);
    case 'exists':
      if (typeof value !== 'boolean') fail('exists match pattern must be either true or false.');
      return { kind: 'exists', value: value as boolean };
    case 'anything-but':
      return anythingBut(value);
    case 'numeric':
      return { kind: 'numeric', conditions: numeric(value) };
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

/** The same CIDR forms and messages as event patterns (one engine: docs/event-patterns.md#sns-filter-policies). */
function cidr(value: Json): Rule {
  if (typeof value !== 'string') return fail('prefix match pattern must be a string');
  try {
    return { kind: 'cidr', shared: { kind: 'cidr', range: parseCidr(value) } };
  } catch (e) {
    return fail((e as Error).message);
  }
}

function sharedMatcher(op: 'prefix' | 'suffix' | 'equals-ignore-case', value: string): Matcher {
  return op === 'equals-ignore-case' ? { kind: op, value: value.toLowerCase() } : { kind: op, value, ignoreCase: false };
}

function anythingBut(value: Json): Rule {
  if (typeof value === 'string') return { kind: 'anything-but', values: [value] };
  if (typeof value === 'number') return { kind: 'anything-but', values: [checkNumber(value)] };
  if (Array.isArray(value)) {
    if (!value.length) fail('Empty arrays are not allowed');
    for (const v of value) if (typeof v !== 'string' && typeof v !== 'number') fail('Inside anything but list, start|null|boolean is not supported.');
    return { kind: 'anything-but', values: value as (string | number)[] };
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length !== 1) fail('Only one key allowed in match expression');
    const [op, v] = entries[0]!;
    if (op !== 'prefix' && op !== 'suffix') fail(`Unsupported anything-but pattern: ${op}`);
    if (typeof v !== 'string') fail(`${op} match pattern must be a string`);
    return { kind: op === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value: v as string };
  }
  return fail('Value of anything-but must be an array or single string/number value.');
}

const LOWER = ['>', '>='];
const UPPER = ['<', '<='];

function numeric(value: Json): [string, number][] {
  if (!Array.isArray(value) || !value.length) return fail('Value of numeric must be an array.');
  const [op, n, op2, n2, ...rest] = value;
  if (typeof op !== 'string') return fail(`Invalid member in numeric match: ${JSON.stringify(op)}`);
  if (!['=', ...LOWER, ...UPPER].includes(op)) fail(`Unrecognized numeric range operator: ${op}`);
  if (typeof n !== 'number') fail(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
  const out: [string, number][] = [[op, checkNumber(n as number)]];
  if (value.length === 2) return out;
  if (!LOWER.includes(op)) fail('Too many elements in numeric expression');
  if (typeof op2 !== 'string') fail(`Bad value in numeric range: ${JSON.stringify(op2)}`);
  if (!UPPER.includes(op2 as string)) fail(`Bad numeric range operator: ${op2}`);
  if (typeof n2 !== 'number') fail(`Value of ${op2} must be numeric`);
  if ((n2 as number) <= (n as number)) fail('Bottom must be less than top');
  if (rest.length) fail('Too many terms in numeric range expression');
  out.push([op2 as string, checkNumber(n2 as number)]);
  return out;
}

// ---- matching

/** One value a rule is tested against: a string or a number (attributes of type Number, JSON numbers), or a JSON literal. */
type Value = string | number | boolean | null;

function ruleMatches(rule: Rule, values: Value[] | undefined): boolean {
  if (rule.kind === 'exists') return rule.value === (values !== undefined);
  if (values === undefined) return false;
  return values.some((v) => valueMatches(rule, v));
}

function valueMatches(rule: Rule, v: Value): boolean {
  switch (rule.kind) {
    case 'exact':
      return typeof rule.value === 'number' ? typeof v === 'number' && v === rule.value : v === rule.value;
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'cidr':
      return testLeaf(rule.shared, v);
    case 'anything-but':
      return (typeof v === 'string' || typeof v === 'number') && !rule.values.some((x) => x === v);
    case 'anything-but-prefix':
      return typeof v === 'string' && !v.startsWith(rule.value);
    case 'anything-but-suffix':
      return typeof v === 'string' && !v.endsWith(rule.value);
    case 'numeric':
      return typeof v === 'number' && rule.conditions.every(([op, n]) => compare(op, v, n));
    case 'exists':
      return true;
  }
}

function compare(op: string, v: number, n: number): boolean {
  switch (op) {
    case '=':
      return v === n;
    case '<':
      return v < n;
    case '<=':
      return v <= n;
    case '>':
      return v > n;
    default:
      return v >= n;
  }
}

/** Looks a key up in one level of the message: the values to test (undefined = absent), or a nested level. */
type Level = (key: string) => { values?: Value[]; nested?: Level[] };

function nodeMatches(node: PolicyNode, levels: Level[]): boolean {
  for (const [key, rules] of node.keys) {
    const found = levels.map((l) => l(key));
    if (Array.isArray(rules)) {
      const present = found.filter((f) => f.values !== undefined || f.nested !== undefined);
      const values = present.length ? present.flatMap((f) => f.values ?? []) : undefined;
      if (!rules.some((r) => ruleMatches(r, values))) return false;
    } else {
      const nested = found.flatMap((f) => f.nested ?? []);
      // a nested level that is absent: only `exists: false` rules below it can match
      if (!nodeMatches(rules, nested.length ? nested : [() => ({})])) return false;
    }
  }
  return node.or.every((alternatives) => alternatives.some((alt) => nodeMatches(alt, levels)));
}

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

function attributeValues(a: AttributeValue): Value[] {
  const type = a.DataType.split('.')[0];
  const s = a.StringValue ?? '';
  if (type === 'Number') {
    const n = Number(s);
    return Number.isNaN(n) ? [] : [n];
  }
  if (type === 'String' && a.DataType === 'String.Array') {
    try {
      const arr = JSON.parse(s) as unknown;
      if (Array.isArray(arr)) return arr.filter((x): x is Value => x === null || ['string', 'number', 'boolean'].includes(typeof x));
    } catch {
      /* not an array: no values */
    }
    return [];
  }
  if (type === 'String') return [s];
  return [];
}

/** Scope MessageAttributes: does a message with these attributes pass the policy? */
export function matchesAttributes(policy: FilterPolicy, attributes: Record<string, AttributeValue>): boolean {
  const level: Level = (key) => (Object.hasOwn(attributes, key) ? { values: attributeValues(attributes[key]!) } : {});
  return nodeMatches(policy.root, [level]);
}

function jsonLevel(obj: Record<string, Json>): Level {
  return (key) => {
    if (!Object.hasOwn(obj, key)) return {};
    const v = obj[key]!;
    const items = Array.isArray(v) ? v.flat(Infinity as 1) : [v];
    const values = items.filter((x): x is Value => !isObject(x) && !Array.isArray(x));
    const nested = items.filter(isObject).map(jsonLevel);
    return { values, ...(nested.length ? { nested } : {}) };
  };
}

/** Scope MessageBody: does this message body (a JSON object, or it never matches) pass the policy? */
export function matchesBody(policy: FilterPolicy, body: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return false;
  }
  if (!isObject(doc)) return false;
  return nodeMatches(policy.root, [jsonLevel(doc)]);
}
