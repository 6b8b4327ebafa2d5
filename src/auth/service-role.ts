/**
 * May a service act through a role (a service role,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html)? CloudTrail's delivery to
 * CloudWatch Logs assumes the trail's `CloudWatchLogsRoleArn`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html):
 * the role's trust policy must let the service principal call sts:AssumeRole, and the role's
 * policies (capped by its permissions boundary) must allow each action, evaluated as the role's
 * session by the same engine that authorizes every call.
 */
import { evaluate, parsePolicy } from './policy/index.ts';
import { rolePolicies } from './authorize.ts';
import { assumedRoleArn } from './principal.ts';
import type { Store } from '../store/types.ts';

export type ServiceRoleVerdict = 'allowed' | 'no-such-role' | 'not-trusted' | 'denied';

export interface ServiceRoleUse {
  roleArn: string;
  /** e.g. `cloudtrail.amazonaws.com` */
  servicePrincipal: string;
  /** the role's session name as the service names it */
  sessionName: string;
  /** aws:SourceAccount / aws:SourceArn of the service's request (confused-deputy conditions in the trust policy) */
  sourceAccount: string;
  sourceArn: string;
  /** every one must be allowed */
  actions: { action: string; resource: string }[];
}

export async function serviceRoleAllows(store: Store, use: ServiceRoleUse): Promise<ServiceRoleVerdict> {
  const name = use.roleArn.slice(use.roleArn.lastIndexOf('/') + 1);
  const role = name ? await store.identities.getRole(name) : undefined;
  if (!role || role.arn !== use.roleArn) return 'no-such-role';
  const keys = { 'aws:SourceAccount': use.sourceAccount, 'aws:SourceArn': use.sourceArn };
  let trust: ReturnType<typeof parsePolicy>;
  try {
    trust = parsePolicy(role.assumeRolePolicyDocument, 'trust');
  } catch {
    return 'not-trusted';
  }
  const account = role.arn.split(':')[4] ?? '';
  const assumed = evaluate(
    {
      action: 'sts:AssumeRole',
      resource: role.arn,
      principalArn: use.servicePrincipal,
      principalAccount: account,
      isRoot: false,
      servicePrincipal: use.servicePrincipal,
      keys,
    },
    { identity: [], resource: trust, isTrustPolicyCheck: true },
  );
  if (assumed.effect !== 'Allow') return 'not-trusted';
  const policies = await rolePolicies(store, role.roleName);
  const session = assumedRoleArn(account, role.roleName, use.sessionName);
  for (const a of use.actions) {
    const d = evaluate(
      { action: a.action, resource: a.resource, principalArn: session, principalAliases: [role.arn], principalAccount: account, isRoot: false, keys },
      { ...policies, sessionType: 'role' },
    );
    if (d.effect !== 'Allow') return 'denied';
  }
  return 'allowed';
}
