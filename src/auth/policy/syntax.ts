/**
 * First stage of policy validation: the grammar: element rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
 * and IAM's MalformedPolicyDocument messages.
 * Every failure here is IAM's "Syntax errors in policy."; the shape checks follow the behaviour emulator
 * suites recorded against IAM (unknown keys, wrong types, empty Statement, Action with NotAction …).
 */
import { isKnownOperator } from './conditions.ts';
import { hasDuplicateKeys } from './json.ts';
import type { PrincipalBlock, Statement } from './types.ts';

/** IAM's MalformedPolicyDocument; `message` is the exact text IAM returns. */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

const SYNTAX_ERROR = 'Syntax errors in policy.';

/** A statement after the grammar check: normalised, but Effect still as written (its case is checked later, by "legacy parsing"). */
export type Draft = Omit<Statement, 'Effect'> & { Effect: string };
export interface DraftDocument {
  Version?: string;
  Id?: string;
  Statement: Draft[];
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

const fail = (): never => {
  throw new PolicyDocumentError(SYNTAX_ERROR);
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string or an array of strings (Action, Resource, principal values) → array. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...(v as string[])];
  return fail();
}

/** Condition values may be written as JSON numbers or booleans (`"aws:SecureTransport": false`); they compare as their string forms. */
function conditionValues(v: unknown): string[] {
  const scalar = (x: unknown) => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : fail());
  return Array.isArray(v) ? v.map(scalar) : [scalar(v)];
}

function principal(v: unknown): PrincipalBlock | '*' {
  if (v === '*') return '*';
  if (!isObject(v)) return fail();
  return Object.fromEntries(Object.entries(v).map(([type, values]) => [type, strings(values)]));
}

function condition(v: unknown): Record<string, Record<string, string[]>> {
  if (!isObject(v)) return fail();
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(v)) {
    if (!isObject(block)) return fail();
    // IAM tolerates an unknown operator only with an empty block.
    if (!isKnownOperator(operator) && Object.keys(block).length > 0) return fail();
    out[operator] = Object.fromEntries(Object.entries(block).map(([key, values]) => [key, conditionValues(values)]));
  }
  return out;
}

function statement(v: unknown): Draft {
  if (!isObject(v)) return fail();
  if (Object.keys(v).some((k) => !ELEMENTS.has(k))) fail();
  if (('Action' in v && 'NotAction' in v) || ('Resource' in v && 'NotResource' in v) || ('Principal' in v && 'NotPrincipal' in v)) fail();
  const effect = v.Effect;
  if (typeof effect !== 'string' || !['allow', 'deny'].includes(effect.toLowerCase())) fail();
  const s: Draft = { Effect: effect as string };
  if ('Sid' in v) s.Sid = typeof v.Sid === 'string' ? v.Sid : fail();
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) if (key in v) s[key] = strings(v[key]);
  if ('Principal' in v) s.Principal = principal(v.Principal);
  if ('NotPrincipal' in v) s.NotPrincipal = principal(v.NotPrincipal);
  if ('Condition' in v) s.Condition = condition(v.Condition);
  return s;
}

/** Parses JSON and checks the grammar; throws "Syntax errors in policy." on any violation. */
export function parseSyntax(text: string): DraftDocument {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return fail();
  }
  if (!isObject(root) || hasDuplicateKeys(text)) return fail();
  if (Object.keys(root).some((k) => !TOP_LEVEL.has(k))) fail();
  const doc: DraftDocument = { Statement: [] };
  if ('Version' in root) doc.Version = typeof root.Version === 'string' && VERSIONS.has(root.Version) ? root.Version : fail();
  if ('Id' in root) doc.Id = typeof root.Id === 'string' ? root.Id : fail();
  const list = Array.isArray(root.Statement) ? root.Statement : isObject(root.Statement) ? [root.Statement] : fail();
  if (list.length === 0) fail();
  doc.Statement = list.map(statement);
  return doc;
}
