/**
 * The Condition element: operators, AND/OR logic, missing keys, IfExists, ForAllValues/ForAnyValue
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html), and variables in String* and Arn* values
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
import { cidrContains } from './ip.ts';
import { expand, splitTokens, tokensMatch, tokensToString, type KeyLookup } from './pattern.ts';
import type { Statement } from './types.ts';

/** Tests one request value against one policy value. */
type Matcher = (requestValue: string) => boolean;
/** `vars` = whether `${...}` is substituted in the policy value (2012-10-17 documents only). */
type MatcherFactory = (policyValue: string, lookup: KeyLookup, vars: boolean) => Matcher;

const never: Matcher = () => false;

const stringEquals =
  (ignoreCase: boolean): MatcherFactory =>
  (p, lookup, vars) => {
    const t = expand(p, lookup, vars);
    if (!t) return never; // a variable without value: null, which equals nothing (VAR)
    const want = tokensToString(t);
    return ignoreCase ? (v) => v.toLowerCase() === want.toLowerCase() : (v) => v === want;
  };

const stringLike: MatcherFactory = (p, lookup, vars) => {
  const t = expand(p, lookup, vars);
  return t ? (v) => tokensMatch(t, v) : never;
};

/** ArnEquals ≡ ArnLike: case-sensitive, each of the six `:`-separated components matched on its own, so `*` never spans a `:` between components. */
const arnLike: MatcherFactory = (p, lookup, vars) => {
  const t = expand(p, lookup, vars);
  if (!t) return never;
  const want = splitTokens(t, 6);
  return (v) => {
    const got = v.split(':');
    if (want.length !== 6 || got.length < 6) return false;
    const parts = [...got.slice(0, 5), got.slice(5).join(':')];
    return want.every((w, i) => tokensMatch(w, parts[i]!));
  };
};

const parseNumber = (s: string) => (/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s) ? Number(s) : NaN);
/** Dates: ISO 8601, or epoch seconds (what aws:EpochTime holds). */
const parseDate = (s: string) => (/^\s*-?\d+\s*$/.test(s) ? Number(s) * 1000 : /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : NaN);

const compare =
  (parse: (s: string) => number, test: (request: number, policy: number) => boolean): MatcherFactory =>
  (p) => {
    const want = parse(p);
    return (v) => {
      const got = parse(v);
      return !Number.isNaN(want) && !Number.isNaN(got) && test(got, want);
    };
  };

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

interface Operator {
  make: MatcherFactory;
  /** Negated operators hold when the request value matches none of the policy values (AND across values). */
  negated: boolean;
}

const op = (make: MatcherFactory, negated = false): Operator => ({ make, negated });

// Bool takes no variables: AWS's pages disagree (the condition operators page says yes, the variables page no); values are literals true/false.
const OPERATORS: Record<string, Operator> = {
  StringEquals: op(stringEquals(false)),
  StringNotEquals: op(stringEquals(false), true),
  StringEqualsIgnoreCase: op(stringEquals(true)),
  StringNotEqualsIgnoreCase: op(stringEquals(true), true),
  StringLike: op(stringLike),
  StringNotLike: op(stringLike, true),
  NumericEquals: op(compare(parseNumber, eq)),
  NumericNotEquals: op(compare(parseNumber, eq), true),
  NumericLessThan: op(compare(parseNumber, lt)),
  NumericLessThanEquals: op(compare(parseNumber, le)),
  NumericGreaterThan: op(compare(parseNumber, gt)),
  NumericGreaterThanEquals: op(compare(parseNumber, ge)),
  DateEquals: op(compare(parseDate, eq)),
  DateNotEquals: op(compare(parseDate, eq), true),
  DateLessThan: op(compare(parseDate, lt)),
  DateLessThanEquals: op(compare(parseDate, le)),
  DateGreaterThan: op(compare(parseDate, gt)),
  DateGreaterThanEquals: op(compare(parseDate, ge)),
  Bool: op((p) => (v) => v.toLowerCase() === p.toLowerCase()),
  BinaryEquals: op((p) => (v) => v === p),
  IpAddress: op((p) => (v) => cidrContains(p, v)),
  NotIpAddress: op((p) => (v) => cidrContains(p, v), true),
  ArnEquals: op(arnLike),
  ArnLike: op(arnLike),
  ArnNotEquals: op(arnLike, true),
  ArnNotLike: op(arnLike, true),
};

const OPERATOR_NAME = /^(ForAllValues:|ForAnyValue:)?(.+?)(IfExists)?$/;

/** Whether `name` is an operator IAM accepts (used by parsePolicy). */
export function isKnownOperator(name: string): boolean {
  const m = OPERATOR_NAME.exec(name);
  if (!m) return false;
  if (m[2] === 'Null') return !m[3];
  return m[2]! in OPERATORS;
}

export const isDateOperator = (name: string): boolean => /^(ForAllValues:|ForAnyValue:)?Date/.test(name);

/** Evaluates a statement's Condition block: operators AND, keys AND, values OR (NOT-ed for negated operators). */
export function conditionsMatch(condition: Statement['Condition'], lookup: KeyLookup, vars: boolean): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([name, block]) =>
    Object.entries(block).every(([key, values]) => evaluateOne(name, lookup(key), values, lookup, vars)),
  );
}

function evaluateOne(name: string, raw: string | string[] | undefined, values: string[], lookup: KeyLookup, vars: boolean): boolean {
  const m = OPERATOR_NAME.exec(name);
  const request = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const absent = request.length === 0;
  if (m?.[2] === 'Null') return values.some((v) => (v.toLowerCase() === 'true') === absent);
  const operator = m ? OPERATORS[m[2]!] : undefined;
  if (!m || !operator) return false;
  const [, set, , ifExists] = m;
  // Missing key: false; true for negated operators and …IfExists; ForAllValues is vacuously true (condition operators page).
  if (absent) return set === 'ForAllValues:' || !!ifExists || (set === undefined && operator.negated);
  const matchers = values.map((p) => operator.make(p, lookup, vars));
  const anyPolicyValue = (v: string) => matchers.some((match) => match(v));
  const holds = (v: string) => (operator.negated ? !anyPolicyValue(v) : anyPolicyValue(v));
  if (set === 'ForAllValues:') return request.every(holds);
  if (set === 'ForAnyValue:') return request.some(holds);
  // A plain operator on a multi-valued key: positive holds if any request value matches, negated if none does.
  return operator.negated ? !request.some(anyPolicyValue) : request.some(anyPolicyValue);
}
