/**
 * IAM policy evaluation for one request in one account: the decision procedure of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html ; matching per https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html.
 *
 * Not here, by design — the caller handles them before calling evaluate:
 * - sts:GetCallerIdentity is always allowed, even against an explicit Deny; sts:GetSessionToken needs no
 *   permission and policies cannot block it (the evaluation logic's special cases).
 * - sts:AssumeRole by root fails with the fixed "Roles may not be assumed by root accounts." (AWS's message); evaluate
 *   answers such a trust check with an implicit role-trust deny so a caller that forgets still refuses.
 */
import { conditionsMatch } from './conditions.ts';
import { actionMatches, principalNaming, resourceMatches, type PrincipalNaming } from './match.ts';
import type { KeyLookup } from './pattern.ts';
import type { Decision, DenyingPolicyType, PolicyDocument, PolicySet, RequestContext, Statement } from './types.ts';

const ALLOW: Decision = { effect: 'Allow' };
const deny = (explicit: boolean, policyType: DenyingPolicyType): Decision => ({ effect: 'Deny', explicit, policyType });

interface Env {
  ctx: RequestContext;
  lookup: KeyLookup;
}

export function evaluate(ctx: RequestContext, policies: PolicySet): Decision {
  const keys = new Map(Object.entries(ctx.keys).map(([k, v]) => [k.toLowerCase(), v]));
  const env: Env = { ctx, lookup: (name) => keys.get(name.toLowerCase()) };
  const { identity, boundary, session, resource } = policies;
  const trust = !!policies.isTrustPolicyCheck;
  const resourceType: DenyingPolicyType = trust ? 'role trust' : 'resource-based';

  // 1. An explicit Deny anywhere wins. Only one policy type is named; we name the first in this order.
  if (anyDeny(identity, env)) return deny(true, 'identity-based');
  if (resource && anyDeny([resource], env)) return deny(true, resourceType);
  if (boundary && anyDeny([boundary], env)) return deny(true, 'permissions boundary');
  if (session && anyDeny(session, env)) return deny(true, 'session');

  // A service acting on its own behalf has no identity policies: only a resource policy naming it allows.
  if (ctx.servicePrincipal !== undefined) return resource && allowNaming(resource, env) === 'direct' ? ALLOW : deny(false, resourceType);
  // An anonymous caller has no identity, no account: only a resource policy granting everyone allows it.
  if (ctx.anonymous) return resource && allowNaming(resource, env) === 'direct' ? ALLOW : deny(false, resourceType);

  // Cross-account: both sides must allow — the resource-based policy (naming the caller in any way)
  // and the caller's own account (identity policies, capped by boundary and session policies; its root
  // needs none). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
  if (ctx.resourceAccount !== undefined && ctx.resourceAccount !== ctx.principalAccount) {
    if (ctx.isRoot && trust) return deny(false, 'role trust');
    if (!resource || allowNaming(resource, env) === undefined) return deny(false, resourceType);
    if (ctx.isRoot) return ALLOW;
    if (!anyAllow(identity, env)) return deny(false, 'identity-based');
    if (boundary && !anyAllow([boundary], env)) return deny(false, 'permissions boundary');
    if (session ? !anyAllow(session, env) : policies.sessionType === 'federated') return deny(false, 'session');
    return ALLOW;
  }

  // 2. Root has full access (identity policies cannot be attached to it) — but never assumes roles.
  if (ctx.isRoot) return trust ? deny(false, 'role trust') : ALLOW;

  // 3. Resource-based allow, by how it names the caller.
  const naming = resource ? allowNaming(resource, env) : undefined;
  if (trust && naming === undefined) return deny(false, 'role trust');
  if (naming === 'direct') return ALLOW; // user/session ARN or "*": implicit denies elsewhere do not matter
  // 4. Identity policies — not needed when the resource policy named the role (or federating user) ARN;
  //    naming only the account delegates to it, so the identity policy must allow as well.
  if (naming !== 'alias' && !anyAllow(identity, env)) return deny(false, 'identity-based');
  // 5. Permissions boundary caps identity allows and role-ARN resource allows.
  if (boundary && !anyAllow([boundary], env)) return deny(false, 'permissions boundary');
  // 6. Session policies intersect; a federated user without one has no permissions of its own.
  if (session ? !anyAllow(session, env) : policies.sessionType === 'federated') return deny(false, 'session');
  return ALLOW;
}

/**
 * How one statement meets a request, for the policy simulator (services/iam/simulator.ts):
 * `applies` (action, resource, principal and conditions all match), or `conditions` when only its
 * conditions keep it from applying, or `no`.
 */
export function statementMatch(s: Statement, doc: PolicyDocument, ctx: RequestContext): 'applies' | 'conditions' | 'no' {
  const keys = new Map(Object.entries(ctx.keys).map(([k, v]) => [k.toLowerCase(), v]));
  const env: Env = { ctx, lookup: (name) => keys.get(name.toLowerCase()) };
  if (applies(s, doc, env)) return 'applies';
  return applies({ ...s, Condition: undefined }, doc, env) ? 'conditions' : 'no';
}

function anyDeny(docs: PolicyDocument[], env: Env): boolean {
  return docs.some((d) => d.Statement.some((s) => s.Effect === 'Deny' && applies(s, d, env)));
}

function anyAllow(docs: PolicyDocument[], env: Env): boolean {
  return docs.some((d) => d.Statement.some((s) => s.Effect === 'Allow' && applies(s, d, env)));
}

/** The strongest way an applicable Allow statement of a resource policy names the caller. */
function allowNaming(doc: PolicyDocument, env: Env): PrincipalNaming | undefined {
  const rank = { direct: 3, alias: 2, account: 1 } as const;
  let best: PrincipalNaming | undefined;
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow' || !appliesIgnoringPrincipal(s, doc, env)) continue;
    const n = s.Principal ? principalNaming(s.Principal, env.ctx) : s.NotPrincipal && !principalNaming(s.NotPrincipal, env.ctx) ? 'direct' : undefined;
    if (n && (!best || rank[n] > rank[best])) best = n;
  }
  return best;
}

/** A statement applies when action, resource, principal (resource policies only) and every condition match. */
function applies(s: Statement, doc: PolicyDocument, env: Env): boolean {
  if (!appliesIgnoringPrincipal(s, doc, env)) return false;
  if (s.Principal) return principalNaming(s.Principal, env.ctx) !== undefined;
  if (s.NotPrincipal) return principalNaming(s.NotPrincipal, env.ctx) === undefined;
  return true;
}

function appliesIgnoringPrincipal(s: Statement, doc: PolicyDocument, env: Env): boolean {
  const { action, resource } = env.ctx;
  const vars = doc.Version === '2012-10-17'; // variables only exist in the current grammar (the Version element page)
  const actionOk = s.Action ? s.Action.some((p) => actionMatches(p, action)) : s.NotAction ? !s.NotAction.some((p) => actionMatches(p, action)) : false;
  if (!actionOk) return false;
  const res = (p: string) => resourceMatches(p, resource, action, env.lookup, vars);
  // Trust policies carry no Resource: the statement covers the role it is attached to.
  const resourceOk = s.Resource ? s.Resource.some(res) : s.NotResource ? !s.NotResource.some(res) : true;
  return resourceOk && conditionsMatch(s.Condition, env.lookup, vars);
}
