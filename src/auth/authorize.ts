/**
 * Authorization: gathers the policies that apply to the caller (identity, session, resource) and
 * runs IAM evaluation (auth/policy). Denials become AWS's AccessDenied(Exception) with its message.
 */
import type { WireProtocol } from '../protocol/wire.ts';
import type { Store } from '../store/types.ts';
import type { Principal } from './principal.ts';
import {
  AWS_MANAGED_POLICIES,
  denialMessage,
  evaluate,
  parsePolicy,
  type PolicyDocument,
  type PolicyKind,
  type PolicySet,
  type RequestContext,
} from './policy/index.ts';

const parsed = new Map<string, PolicyDocument>();
function doc(text: string, kind: PolicyKind): PolicyDocument {
  const key = kind + '\0' + text;
  let d = parsed.get(key);
  if (!d) {
    d = parsePolicy(text, kind);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(key, d);
  }
  return d;
}

const awsManaged = new Map(AWS_MANAGED_POLICIES.map((p) => [p.arn, p.document]));

export async function policyDocument(store: Store, arn: string): Promise<string | undefined> {
  return awsManaged.get(arn) ?? (await store.identities.getManagedPolicy(arn))?.document;
}

async function ownerPolicies(store: Store, kind: 'user' | 'role', name: string): Promise<PolicyDocument[]> {
  const ids = store.identities;
  const [inline, attached] = await Promise.all([ids.listInlinePolicies(kind, name), ids.listAttachedPolicies(kind, name)]);
  const out = inline.map((p) => doc(p.document, 'identity'));
  for (const arn of attached) {
    const text = await policyDocument(store, arn);
    if (text) out.push(doc(text, 'identity'));
  }
  return out;
}

export async function policiesFor(store: Store, p: Principal): Promise<PolicySet> {
  const s = p.session;
  const session = s?.sessionPolicies?.length ? s.sessionPolicies.map((t) => doc(t, 'session')) : undefined;
  switch (p.type) {
    case 'AssumedRole':
      return { identity: await ownerPolicies(store, 'role', p.issuer!.userName!), session, sessionType: 'role' };
    case 'FederatedUser':
      return { identity: p.issuer?.type === 'IAMUser' ? await ownerPolicies(store, 'user', p.issuer.userName!) : [], session, sessionType: 'federated' };
    case 'IAMUser':
      return { identity: await ownerPolicies(store, 'user', p.userName!), sessionType: 'none' };
    default:
      return { identity: [], sessionType: 'none' };
  }
}

export interface AuthorizeRequest {
  principal: Principal;
  action: string;
  resources: string[];
  region: string;
  sourceIp: string;
  now: Date;
  keys?: Record<string, string | string[] | undefined>;
  resourcePolicy?: string;
  trustPolicy?: boolean;
  /** The call's wire protocol, which spells the denial (AccessDenied, AccessDeniedException). */
  protocol: WireProtocol;
  s3?: boolean;
}

export function contextKeys(p: Principal, r: AuthorizeRequest): Record<string, string | string[] | undefined> {
  const principalArn = p.type === 'AssumedRole' ? p.issuer!.arn : p.arn;
  const principalType = { Root: 'Account', IAMUser: 'User', AssumedRole: 'AssumedRole', FederatedUser: 'FederatedUser', Unknown: 'Anonymous' }[p.type];
  return {
    'aws:userid': p.principalId,
    'aws:username': p.type === 'IAMUser' ? p.userName : undefined,
    'aws:PrincipalArn': principalArn,
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalType': principalType,
    'aws:SourceIp': r.sourceIp,
    'aws:CurrentTime': r.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(r.now.getTime() / 1000)),
    'aws:SecureTransport': 'false',
    'aws:RequestedRegion': r.region,
    'aws:MultiFactorAuthPresent': p.session ? String(p.session.mfaAuthenticated) : undefined,
    'aws:TokenIssueTime': p.session ? p.session.createDate.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined,
    ...r.keys,
  };
}

/** Throws AccessDenied(Exception) unless every resource is allowed. */
export async function authorize(store: Store, r: AuthorizeRequest): Promise<void> {
  const p = r.principal;
  const policies = await policiesFor(store, p);
  if (r.resourcePolicy) {
    policies.resource = doc(r.resourcePolicy, r.trustPolicy ? 'trust' : 'resource');
    policies.isTrustPolicyCheck = !!r.trustPolicy;
  }
  const aliases = p.type === 'AssumedRole' || p.type === 'FederatedUser' ? [p.issuer!.arn] : [];
  const keys = contextKeys(p, r);
  for (const resource of r.resources) {
    const ctx: RequestContext = {
      action: r.action,
      resource,
      principalArn: p.arn,
      principalAliases: aliases,
      principalAccount: p.accountId,
      isRoot: p.type === 'Root',
      keys,
    };
    const d = evaluate(ctx, policies);
    if (d.effect === 'Deny') throw r.protocol.errors.accessDenied(denialMessage(p.arn, r.action, resource, d, { s3: r.s3 }));
  }
}
