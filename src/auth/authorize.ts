/**
 * Authorization: gathers the policies that apply to the caller (identity, session, resource) and
 * runs IAM evaluation (auth/policy). Denials become AWS's AccessDenied(Exception) with its message.
 */
import type { WireProtocol } from '../protocol/wire.ts';
import type { Store } from '../store/types.ts';
import { isAnonymous, type Principal } from './principal.ts';
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

async function ownerPolicies(store: Store, kind: 'user' | 'role' | 'group', name: string): Promise<PolicyDocument[]> {
  const ids = store.identities;
  const [inline, attached] = await Promise.all([ids.listInlinePolicies(kind, name), ids.listAttachedPolicies(kind, name)]);
  const out = inline.map((p) => doc(p.document, 'identity'));
  for (const arn of attached) {
    const text = await policyDocument(store, arn);
    if (text) out.push(doc(text, 'identity'));
  }
  return out;
}

/** The boundary's document; a boundary whose policy is gone allows nothing, so it still caps. */
async function boundaryPolicy(store: Store, arn: string | undefined): Promise<PolicyDocument | undefined> {
  if (arn === undefined) return undefined;
  return doc((await policyDocument(store, arn)) ?? '{"Version":"2012-10-17","Statement":[]}', 'identity');
}

/** A user's identity policies: its own and those of every group it is in; and its permissions boundary. */
async function userPolicies(store: Store, name: string): Promise<{ identity: PolicyDocument[]; boundary?: PolicyDocument }> {
  const [own, groups, user] = await Promise.all([ownerPolicies(store, 'user', name), store.identities.listGroupsForUser(name), store.identities.getUser(name)]);
  const identity = [...own];
  for (const g of groups) identity.push(...(await ownerPolicies(store, 'group', g.groupName)));
  const boundary = await boundaryPolicy(store, user?.permissionsBoundary);
  return boundary ? { identity, boundary } : { identity };
}

/** A role's identity policies and its permissions boundary. */
export async function rolePolicies(store: Store, name: string): Promise<{ identity: PolicyDocument[]; boundary?: PolicyDocument }> {
  const [identity, role] = await Promise.all([ownerPolicies(store, 'role', name), store.identities.getRole(name)]);
  const boundary = await boundaryPolicy(store, role?.permissionsBoundary);
  return boundary ? { identity, boundary } : { identity };
}

/**
 * The policies that decide the caller's calls
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): identity policies — for a
 * user also its groups' — the permissions boundary of the user or role, and session policies.
 */
export async function policiesFor(anyStore: Store, p: Principal): Promise<PolicySet> {
  // a principal's policies live in its own account (docs/accounts.md#calls)
  const store = anyStore.forAccount(p.accountId);
  const s = p.session;
  const session = s?.sessionPolicies?.length ? s.sessionPolicies.map((t) => doc(t, 'session')) : undefined;
  switch (p.type) {
    case 'AssumedRole':
      return { ...(await rolePolicies(store, p.issuer!.userName!)), session, sessionType: 'role' };
    case 'FederatedUser':
      return {
        ...(p.issuer?.type === 'IAMUser' ? await userPolicies(store, p.issuer.userName!) : { identity: [] }),
        session,
        sessionType: 'federated',
      };
    case 'IAMUser':
      return { ...(await userPolicies(store, p.userName!)), sessionType: 'none' };
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
  /** The account owning the resources (aws:ResourceAccount; another account's = the cross-account rule). Default: the caller's. */
  resourceAccount?: string;
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
    'aws:ResourceAccount': r.resourceAccount ?? p.accountId,
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
  // the organization is read only when a policy's condition asks for it
  const orgKeys = namesOrganizationKey(policies) ? await organizationKeys(store, p.accountId) : {};
  const keys = { ...orgKeys, ...contextKeys(p, r) };
  for (const resource of r.resources) {
    const ctx: RequestContext = {
      action: r.action,
      resource,
      principalArn: p.arn,
      principalAliases: aliases,
      principalAccount: p.accountId,
      ...(r.resourceAccount !== undefined ? { resourceAccount: r.resourceAccount } : {}),
      isRoot: p.type === 'Root',
      ...(isAnonymous(p) ? { anonymous: true } : {}),
      keys,
    };
    const d = evaluate(ctx, policies);
    // S3 tells an anonymous caller only "Access Denied"
    if (d.effect === 'Deny') throw r.protocol.errors.accessDenied(isAnonymous(p) ? 'Access Denied' : denialMessage(p.arn, r.action, resource, d, { s3: r.s3 }));
  }
}

function namesOrganizationKey(policies: PolicySet): boolean {
  const docs = [
    ...policies.identity,
    ...(policies.session ?? []),
    ...(policies.boundary ? [policies.boundary] : []),
    ...(policies.resource ? [policies.resource] : []),
  ];
  return docs.some((d) =>
    d.Statement.some(
      (s) => s.Condition && Object.values(s.Condition).some((block) => Object.keys(block).some((k) => k.toLowerCase().startsWith('aws:principalorg'))),
    ),
  );
}

/**
 * aws:PrincipalOrgID and aws:PrincipalOrgPaths: the organization of the caller's account and the
 * account's path in it, `<o-id>/<r-id>/[<ou-id>/…]` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid);
 * absent for an account outside any organization. The path names every OU from the root down to the
 * account's parent (docs/accounts.md#condition-keys).
 */
export async function organizationKeys(store: Store, accountId: string): Promise<Record<string, string | string[] | undefined>> {
  const of = await store.organizations.ofAccount(accountId);
  if (!of) return {};
  const { org, member } = of;
  const units: string[] = [];
  // an OU tree is at most five deep; the bound also stops a cycle a damaged database might hold
  for (let id = member.parentId; id !== org.rootId && units.length < 8; ) {
    units.unshift(id);
    const ou = await store.organizations.getUnit(id);
    if (!ou) break;
    id = ou.parentId;
  }
  const path = `${[org.id, org.rootId, ...units].join('/')}/`;
  return { 'aws:PrincipalOrgID': org.id, 'aws:PrincipalOrgPaths': [path] };
}
