/**
 * What a trail's CloudWatch Logs delivery needs of its role and group
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html):
 * the group exists; the role exists and its trust policy lets cloudtrail.amazonaws.com sts:AssumeRole;
 * the role's policies (and boundary) allow logs:CreateLogStream and logs:PutLogEvents on the trail's
 * streams — evaluated by the IAM engine at CreateTrail/UpdateTrail and again at each delivery.
 */
import { policiesFor } from '../auth/authorize.ts';
import { assumedRoleArn } from '../auth/principal.ts';
import { evaluate, parsePolicy } from '../auth/policy/index.ts';
import { parseGroupArn, streamArn } from '../services/logs/names.ts';
import type { Store } from '../store/types.ts';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

export type AccessProblem = 'no-such-group' | 'role-not-assumable' | 'role-denied';

/** The group of a trail's CloudWatchLogsLogGroupArn (a trailing `:*` allowed, as AWS's console gives it). */
export function trailLogGroup(arn: string): { region: string; accountId: string; name: string } | undefined {
  return parseGroupArn(arn.endsWith(':*') ? arn.slice(0, -2) : arn);
}

/** The stream CloudTrail writes a region's records to: `<account>_CloudTrail_<region>`. */
export const trailStreamName = (accountId: string, region: string) => `${accountId}_CloudTrail_${region}`;

/** undefined when delivery may proceed; else what stops it. */
export async function checkTrailLogsAccess(
  store: Store,
  groupArn: string,
  roleArn: string,
  trailArn: string,
  streams: string[],
): Promise<AccessProblem | undefined> {
  const group = trailLogGroup(groupArn);
  if (!group || !(await store.logs.getGroup({ accountId: group.accountId, region: group.region }, group.name))) return 'no-such-group';
  const m = ROLE_ARN.exec(roleArn);
  const role = m ? await store.identities.getRole(m[2] ?? '') : undefined;
  if (!m || !role || role.arn !== roleArn) return 'role-not-assumable';
  const account = m[1] ?? '';
  let trust: ReturnType<typeof parsePolicy>;
  try {
    trust = parsePolicy(role.assumeRolePolicyDocument, 'trust');
  } catch {
    return 'role-not-assumable';
  }
  const assume = evaluate(
    {
      action: 'sts:AssumeRole',
      resource: role.arn,
      principalArn: CLOUDTRAIL,
      principalAccount: account,
      isRoot: false,
      servicePrincipal: CLOUDTRAIL,
      keys: { 'aws:SourceArn': trailArn, 'aws:SourceAccount': account },
    },
    { identity: [], resource: trust, isTrustPolicyCheck: true },
  );
  if (assume.effect !== 'Allow') return 'role-not-assumable';
  const session = assumedRoleArn(account, role.roleName, 'CloudTrail');
  const policies = await policiesFor(store, {
    type: 'AssumedRole',
    accountId: account,
    arn: session,
    principalId: `${role.roleId}:CloudTrail`,
    accessKeyId: '',
    issuer: { type: 'Role', principalId: role.roleId, arn: role.arn, accountId: account, userName: role.roleName },
    displayName: 'CloudTrail',
  });
  const allowed = (action: string, resource: string) =>
    evaluate({ action, resource, principalArn: session, principalAliases: [role.arn], principalAccount: account, isRoot: false, keys: {} }, policies).effect ===
    'Allow';
  for (const stream of streams) {
    const arn = streamArn(group.region, group.accountId, group.name, stream);
    if (!allowed('logs:CreateLogStream', arn) || !allowed('logs:PutLogEvents', arn)) return 'role-denied';
  }
  return undefined;
}
