/**
 * Later stages of policy validation, each with IAM's MalformedPolicyDocument text
 * (policy elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
 * IAM reports only the first failing stage; the stage order (legacy parsing, SIDs, actions, resource formats,
 * action vendors, per-kind rules) is the one emulator suites recorded against IAM. Where the kind-specific
 * checks sit in that order is not documented; ours is noted at each.
 */
import { isDateOperator } from './conditions.ts';
import { PolicyDocumentError, type Draft, type DraftDocument } from './syntax.ts';
import type { PolicyKind } from './types.ts';

const fail = (message: string): never => {
  throw new PolicyDocumentError(message);
};

const LEGACY = 'The policy failed legacy parsing';

/** Effect in exact case, well-formed Date condition values, and resource strings the old parser can split. */
export function checkLegacy(doc: DraftDocument): void {
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') fail(LEGACY);
    for (const [operator, block] of Object.entries(s.Condition ?? {})) {
      if (isDateOperator(operator) && !Object.values(block).flat().every(validDate)) fail(LEGACY);
    }
  }
  // The old parser only sees resources while no format error has been found (that error is reported later, stage 7).
  let formatError: string | undefined;
  for (const s of doc.Statement) {
    for (const list of [s.Resource, s.NotResource]) {
      for (const r of list ?? []) formatError ??= resourceFormatError(r);
      if (formatError) return;
      for (const r of list ?? []) {
        if (r === '*') continue;
        const colons = r.split(':').length - 1;
        if ((colons < 5 && r.includes('::')) || r.split(':')[2] === '') fail(LEGACY);
      }
    }
  }
}

/** ISO 8601 date/time (fields range-checked) or a non-negative epoch that fits a signed 64-bit integer. */
function validDate(value: string): boolean {
  const s = value.toLowerCase();
  if (!s.includes('t') && !s.includes('-')) return /^\d+$/.test(s) && BigInt(s) <= 9223372036854775807n;
  const m = /^(-?\d+)(?:-(\d+))?(?:-(\d+))?(?:t(\d+)?(?::(\d+))?(?::(\d+)(?:\.(\d{1,9}))?)?(z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(s);
  if (!m) return false;
  const within = (v: string | undefined, lo: number, hi: number) => v === undefined || (Number(v) >= lo && Number(v) <= hi);
  const tz = m[8] && m[8] !== 'z' ? m[8].slice(1).split(':') : [];
  return (
    within(m[1], -292275054, 292278993) &&
    within(m[2], 1, 12) &&
    within(m[3], 1, 31) &&
    within(m[4], 0, 23) &&
    within(m[5], 0, 59) &&
    within(m[6], 0, 59) &&
    within(tz[0], 0, 23) &&
    within(tz[1], 0, 59)
  );
}

/** Principal rules per kind (placed right after legacy parsing). */
export function checkPrincipals(doc: DraftDocument, kind: PolicyKind): void {
  for (const s of doc.Statement) {
    if (kind === 'identity' || kind === 'session') {
      if (s.Principal || s.NotPrincipal) fail('Policy document should not specify a principal.');
      continue;
    }
    // NotPrincipal is not allowed in trust policies (the NotPrincipal element page); the wording is our inference from "Has prohibited field Resource".
    if (kind === 'trust' && s.NotPrincipal) fail('Has prohibited field NotPrincipal');
    const block = s.Principal ?? s.NotPrincipal;
    if (!block) fail('Missing required field Principal');
    if (block === '*' || !block) continue;
    for (const [type, values] of Object.entries(block)) {
      for (const v of values) if (!validPrincipal(type, v)) fail(`Invalid principal in policy: "${type}":"${v}"`);
    }
  }
}

/** `*` only alone (no partial wildcards); AWS principals are `*`, an account id, an IAM/STS ARN, or a unique id (how IAM shows a deleted principal). */
function validPrincipal(type: string, v: string): boolean {
  if (v === '*') return type === 'AWS';
  if (v === '' || v.includes('*')) return false;
  switch (type) {
    case 'AWS':
      return /^\d{12}$/.test(v) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(v) || /^A[A-Z0-9]{15,127}$/.test(v);
    case 'Service':
      return /^[a-z0-9][a-z0-9.-]*$/.test(v);
    case 'Federated':
    case 'CanonicalUser':
      return true;
    default:
      return false;
  }
}

/** Sid: letters and digits in IAM policies (bucket policies allow more); unique within the policy (empty ones ignored). */
export function checkSids(doc: DraftDocument, kind: PolicyKind): void {
  const seen = new Set<string>();
  for (const { Sid } of doc.Statement) {
    if (Sid === undefined || Sid === '') continue;
    if (kind !== 'resource' && !/^[0-9A-Za-z]*$/.test(Sid)) {
      fail('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    }
    if (seen.has(Sid)) fail('Statement IDs (SID) in a single policy must be unique.');
    seen.add(Sid);
  }
}

export function checkActionsPresent(doc: DraftDocument): void {
  if (!doc.Statement.every((s) => (s.Action ?? s.NotAction ?? []).length > 0)) fail('Policy statement must contain actions.');
}

const PARTITIONS = new Set(['*', 'aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

/** The first badly formed Resource/NotResource, with IAM's message naming it. */
export function checkResourceFormats(doc: DraftDocument): void {
  for (const s of doc.Statement) {
    for (const r of [...(s.Resource ?? []), ...(s.NotResource ?? [])]) {
      const error = resourceFormatError(r);
      if (error) fail(error);
    }
  }
}

function resourceFormatError(r: string): string | undefined {
  if (r === '*') return undefined;
  const parts = r.split(':');
  if (parts.length === 1) return `Resource ${r} must be in ARN format or "*".`;
  const partition = parts[1]!;
  if (!PARTITIONS.has(partition)) {
    const [a = '*', b = '*', c = '*', ...rest] = parts.slice(2);
    const first = a === '' && parts.length === 3 ? '*' : a;
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${first}:${b}:${c}:${rest.length ? rest.join(':') : '*'}".`;
  }
  if (parts.length < 3) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  const [service, region = '', , ...resource] = parts.slice(2);
  if (region === '') return service === 'iam' ? iamPathError(resource.join(':')) : undefined;
  if (service === 'iam') return `IAM resource ${r} cannot contain region information.`;
  if (service === 's3' && !resource.join(':').startsWith('accesspoint/')) return `Resource ${r} can not contain region information.`;
  return undefined;
}

/** IAM's resource types (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-resources-for-iam-policies). */
const IAM_PATHS = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
];

/** An IAM ARN's resource part: `*`, `root`, or one of IAM's resource types (IAM's message as it answers today). */
function iamPathError(resource: string): string | undefined {
  if (resource === '' || resource === '*' || resource === 'root' || IAM_PATHS.some((p) => resource.startsWith(p))) return undefined;
  return `IAM resource path must either be "*", root, or start with ${IAM_PATHS.join(', ')}.`;
}

/** Every Action/NotAction is `*` or `vendor:name` with one colon and a plain vendor. */
export function checkActionVendors(doc: DraftDocument): void {
  for (const s of doc.Statement) {
    for (const a of [...(s.Action ?? []), ...(s.NotAction ?? [])]) {
      const parts = a.split(':');
      if (parts.length === 1 && a !== '*') fail('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      if (parts.length > 2) fail('Actions/Condition can contain only one colon.');
      const vendor = parts[0]!;
      if (parts.length === 2 && vendor !== '*' && /[^a-zA-Z0-9.-]/.test(vendor)) fail(`Vendor ${vendor} is not valid`);
    }
  }
}

/** Last stage: identity/session/bucket policies need resources; trust policies must not have any. */
export function checkKindRules(doc: DraftDocument, kind: PolicyKind): void {
  for (const s of doc.Statement as Draft[]) {
    if (kind === 'trust') {
      if (s.Resource) fail('Has prohibited field Resource');
      if (s.NotResource) fail('Has prohibited field NotResource');
    } else if ((s.Resource ?? s.NotResource ?? []).length === 0) {
      fail('Policy statement must contain resources.');
    }
  }
}
