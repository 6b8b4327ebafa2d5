// Tests for evaluate(): the decision procedure across identity, boundary, session, bucket and trust policies
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from './document.ts';
import { evaluate } from './evaluate.ts';
import type { Decision, PolicyKind, PolicySet, RequestContext } from './types.ts';

const ACCT = '123456789012';
const USER = `arn:aws:iam::${ACCT}:user/alice`;
const ROLE = `arn:aws:iam::${ACCT}:role/dev`;
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/dev/s1`;
const FED = `arn:aws:sts::${ACCT}:federated-user/fed`;
const BUCKET = 'arn:aws:s3:::b';
const OTHER = '210987654321';
const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/shared`;
const P = (statement: unknown, kind: PolicyKind = 'identity', version = '2012-10-17') =>
  parsePolicy(JSON.stringify({ Version: version, Statement: statement }), kind);

const user = (action: string, resource: string, keys: RequestContext['keys'] = {}): RequestContext => ({
  action,
  resource,
  principalArn: USER,
  principalAccount: ACCT,
  isRoot: false,
  keys: { 'aws:username': 'alice', ...keys },
});
const roleSession = (action: string, resource: string): RequestContext => ({
  ...user(action, resource),
  principalArn: SESSION,
  principalAliases: [ROLE],
  keys: {},
});
const federated = (action: string, resource: string): RequestContext => ({ ...user(action, resource), principalArn: FED, principalAliases: [USER], keys: {} });
const root = (action: string, resource: string): RequestContext => ({
  ...user(action, resource),
  principalArn: `arn:aws:iam::${ACCT}:root`,
  isRoot: true,
  keys: {},
});

const ALLOW: Decision = { effect: 'Allow' };
const implicit = (policyType: string) => ({ effect: 'Deny', explicit: false, policyType });
const explicit = (policyType: string) => ({ effect: 'Deny', explicit: true, policyType });

const allowAll = P({ Effect: 'Allow', Action: '*', Resource: '*' });
const allowS3 = P({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
const allowGet = P({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` });
const bucketPolicy = (principal: unknown, effect = 'Allow') =>
  P({ Effect: effect, Principal: principal, Action: 's3:GetObject', Resource: `${BUCKET}/*` }, 'resource');
const trustPolicy = (principal: unknown, effect = 'Allow') => P({ Effect: effect, Principal: principal, Action: 'sts:AssumeRole' }, 'trust');

const cases: Array<[name: string, ctx: RequestContext, policies: PolicySet, expected: object]> = [
  ['no policy: implicit deny', user('codestar:ListProjects', '*'), { identity: [] }, implicit('identity-based')],
  ['allow *', user('codestar:ListProjects', '*'), { identity: [allowAll] }, ALLOW],
  ['allow in the second policy', user('s3:GetObject', `${BUCKET}/k`), { identity: [allowGet, allowS3] }, ALLOW],
  ['allow for another resource only', user('s3:GetObject', 'arn:aws:s3:::other/k'), { identity: [allowGet] }, implicit('identity-based')],
  [
    'explicit deny beats allow',
    user('iam:DeleteUser', `arn:aws:iam::${ACCT}:user/bob`),
    { identity: [allowAll, P({ Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' })] },
    explicit('identity-based'),
  ],
  [
    'NotAction allow grants what it does not list',
    user('codestar:DescribeProject', 'arn:aws:codestar:us-east-1:1:project/p'),
    { identity: [P({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    ALLOW,
  ],
  [
    'NotAction allow excludes what it lists',
    user('iam:CreateUser', `arn:aws:iam::${ACCT}:user/x`),
    { identity: [P({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    implicit('identity-based'),
  ],
  [
    'NotResource deny hits other resources',
    user('s3:GetObject', `${BUCKET}/private/k`),
    { identity: [allowS3, P({ Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/public/*` })] },
    explicit('identity-based'),
  ],
  [
    'NotResource deny spares listed ones',
    user('s3:GetObject', `${BUCKET}/public/k`),
    { identity: [allowS3, P({ Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/public/*` })] },
    ALLOW,
  ],
  [
    'NotResource deny applies to resource-less actions',
    user('s3:ListAllMyBuckets', '*'),
    { identity: [allowS3, P({ Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/public/*` })] },
    explicit('identity-based'),
  ],
  ['Resource "*" covers resource-less actions', user('iam:ListUsers', '*'), { identity: [P({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' })] }, ALLOW],
  [
    'a particular ARN does not cover resource-less actions',
    user('iam:ListUsers', '*'),
    { identity: [P({ Effect: 'Allow', Action: 'iam:List*', Resource: `arn:aws:iam::${ACCT}:user/*` })] },
    implicit('identity-based'),
  ],
  [
    'arn:aws:s3:::* covers s3:ListAllMyBuckets',
    user('s3:ListAllMyBuckets', '*'),
    { identity: [P({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::*' })] },
    ALLOW,
  ],
  [
    'variables: own prefix',
    user('s3:GetObject', `${BUCKET}/alice/k`),
    { identity: [P({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/\${aws:username}/*` })] },
    ALLOW,
  ],
  [
    'variables: other prefix',
    user('s3:GetObject', `${BUCKET}/bob/k`),
    { identity: [P({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/\${aws:username}/*` })] },
    implicit('identity-based'),
  ],
  [
    'variables: none under 2008-10-17',
    user('s3:GetObject', `${BUCKET}/alice/k`),
    { identity: [P({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/\${aws:username}/*` }, 'identity', '2008-10-17')] },
    implicit('identity-based'),
  ],
  [
    'variables: role sessions have no aws:username',
    roleSession('s3:GetObject', `${BUCKET}/alice/k`),
    { identity: [P({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/\${aws:username}/*` })], sessionType: 'role' },
    implicit('identity-based'),
  ],
  [
    'condition: deny without MFA (long-term keys: key absent)',
    user('iam:CreateUser', '*'),
    { identity: [allowAll, P({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })] },
    explicit('identity-based'),
  ],
  [
    'condition: MFA present passes the deny',
    user('iam:CreateUser', '*', { 'aws:MultiFactorAuthPresent': 'true' }),
    { identity: [allowAll, P({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })] },
    ALLOW,
  ],
  [
    'condition: allow only from a network',
    user('s3:GetObject', `${BUCKET}/k`, { 'aws:SourceIp': '198.51.100.4' }),
    { identity: [P({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })] },
    implicit('identity-based'),
  ],
  // Permissions boundary
  [
    'boundary allows: allow',
    user('codestar:ListProjects', '*'),
    { identity: [allowAll], boundary: P({ Effect: 'Allow', Action: 'codestar:*', Resource: '*' }) },
    ALLOW,
  ],
  [
    'boundary does not allow: deny',
    user('iam:ListUsers', '*'),
    { identity: [allowAll], boundary: P({ Effect: 'Allow', Action: 'codestar:*', Resource: '*' }) },
    implicit('permissions boundary'),
  ],
  [
    'boundary alone grants nothing',
    user('codestar:ListProjects', '*'),
    { identity: [], boundary: P({ Effect: 'Allow', Action: '*', Resource: '*' }) },
    implicit('identity-based'),
  ],
  [
    'explicit deny in the boundary',
    user('iam:ListUsers', '*'),
    {
      identity: [allowAll],
      boundary: P([
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
      ]),
    },
    explicit('permissions boundary'),
  ],
  // Session policies
  ['role session without session policy: identity decides', roleSession('s3:PutObject', `${BUCKET}/k`), { identity: [allowS3], sessionType: 'role' }, ALLOW],
  ['role session: intersection allows', roleSession('s3:GetObject', `${BUCKET}/k`), { identity: [allowS3], session: [allowGet], sessionType: 'role' }, ALLOW],
  [
    'role session: session policy does not allow',
    roleSession('s3:PutObject', `${BUCKET}/k`),
    { identity: [allowS3], session: [allowGet], sessionType: 'role' },
    implicit('session'),
  ],
  [
    'role session: session policy never adds',
    roleSession('iam:ListUsers', '*'),
    { identity: [allowS3], session: [allowAll], sessionType: 'role' },
    implicit('identity-based'),
  ],
  [
    'explicit deny in a session policy',
    roleSession('s3:GetObject', `${BUCKET}/k`),
    {
      identity: [allowS3],
      session: [
        P([
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
        ]),
      ],
      sessionType: 'role',
    },
    explicit('session'),
  ],
  [
    'federated without session policy: no permissions',
    federated('s3:GetObject', `${BUCKET}/k`),
    { identity: [allowS3], sessionType: 'federated' },
    implicit('session'),
  ],
  [
    'federated with a session policy: intersection',
    federated('s3:GetObject', `${BUCKET}/k`),
    { identity: [allowS3], session: [allowGet], sessionType: 'federated' },
    ALLOW,
  ],
  [
    'federated: the user must allow too',
    federated('iam:ListUsers', '*'),
    { identity: [allowS3], session: [allowAll], sessionType: 'federated' },
    implicit('identity-based'),
  ],
  // Bucket policies (resource-based)
  [
    'bucket policy naming the user: no identity policy needed',
    user('s3:GetObject', `${BUCKET}/k`),
    { identity: [], resource: bucketPolicy({ AWS: USER }) },
    ALLOW,
  ],
  ['bucket policy "*": anyone', user('s3:GetObject', `${BUCKET}/k`), { identity: [], resource: bucketPolicy('*') }, ALLOW],
  [
    'bucket policy naming the account: identity must allow',
    user('s3:GetObject', `${BUCKET}/k`),
    { identity: [], resource: bucketPolicy({ AWS: ACCT }) },
    implicit('identity-based'),
  ],
  [
    'bucket policy naming the account + identity allow',
    user('s3:GetObject', `${BUCKET}/k`),
    { identity: [allowGet], resource: bucketPolicy({ AWS: `arn:aws:iam::${ACCT}:root` }) },
    ALLOW,
  ],
  [
    'bucket policy naming the session ARN ignores the session policy',
    roleSession('s3:GetObject', `${BUCKET}/k`),
    { identity: [], session: [P({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })], sessionType: 'role', resource: bucketPolicy({ AWS: SESSION }) },
    ALLOW,
  ],
  [
    'bucket policy naming the role ARN: no identity policy needed',
    roleSession('s3:GetObject', `${BUCKET}/k`),
    { identity: [], sessionType: 'role', resource: bucketPolicy({ AWS: ROLE }) },
    ALLOW,
  ],
  [
    'bucket policy naming the role ARN: session policy limits',
    roleSession('s3:GetObject', `${BUCKET}/k`),
    { identity: [], session: [P({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })], sessionType: 'role', resource: bucketPolicy({ AWS: ROLE }) },
    implicit('session'),
  ],
  [
    'bucket policy naming the role ARN: boundary limits',
    roleSession('s3:GetObject', `${BUCKET}/k`),
    { identity: [], sessionType: 'role', boundary: P({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }), resource: bucketPolicy({ AWS: ROLE }) },
    implicit('permissions boundary'),
  ],
  [
    'bucket policy naming the federating user: session policy still needed',
    federated('s3:GetObject', `${BUCKET}/k`),
    { identity: [], sessionType: 'federated', resource: bucketPolicy({ AWS: USER }) },
    implicit('session'),
  ],
  [
    'bucket policy naming the federated user directly',
    federated('s3:GetObject', `${BUCKET}/k`),
    { identity: [], sessionType: 'federated', resource: bucketPolicy({ AWS: FED }) },
    ALLOW,
  ],
  [
    'bucket policy naming someone else',
    user('s3:GetObject', `${BUCKET}/k`),
    { identity: [], resource: bucketPolicy({ AWS: `arn:aws:iam::${ACCT}:user/bob` }) },
    implicit('identity-based'),
  ],
  [
    'explicit deny in a bucket policy',
    user('s3:GetObject', `${BUCKET}/k`),
    { identity: [allowAll], resource: bucketPolicy('*', 'Deny') },
    explicit('resource-based'),
  ],
  [
    'bucket policy NotPrincipal deny spares the named user',
    user('s3:GetObject', `${BUCKET}/k`),
    { identity: [allowAll], resource: P({ Effect: 'Deny', NotPrincipal: { AWS: USER }, Action: 's3:*', Resource: `${BUCKET}/*` }, 'resource') },
    ALLOW,
  ],
  [
    'bucket policy NotPrincipal deny hits others',
    roleSession('s3:GetObject', `${BUCKET}/k`),
    {
      identity: [allowAll],
      sessionType: 'role',
      resource: P({ Effect: 'Deny', NotPrincipal: { AWS: USER }, Action: 's3:*', Resource: `${BUCKET}/*` }, 'resource'),
    },
    explicit('resource-based'),
  ],
  [
    'service principal named by the bucket policy',
    { ...user('s3:PutObject', `${BUCKET}/AWSLogs/x`), servicePrincipal: 'cloudtrail.amazonaws.com' },
    {
      identity: [],
      resource: P({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${BUCKET}/AWSLogs/*` }, 'resource'),
    },
    ALLOW,
  ],
  [
    'service principal not named',
    { ...user('s3:PutObject', `${BUCKET}/AWSLogs/x`), servicePrincipal: 'config.amazonaws.com' },
    {
      identity: [],
      resource: P({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${BUCKET}/AWSLogs/*` }, 'resource'),
    },
    implicit('resource-based'),
  ],
  // Root
  ['root: allowed without policies', root('iam:CreateUser', `arn:aws:iam::${ACCT}:user/x`), { identity: [] }, ALLOW],
  [
    'root: explicit deny in a bucket policy applies',
    root('s3:GetObject', `${BUCKET}/k`),
    { identity: [], resource: bucketPolicy({ AWS: ACCT }, 'Deny') },
    explicit('resource-based'),
  ],
  [
    'root never assumes roles',
    root('sts:AssumeRole', ROLE),
    { identity: [], resource: trustPolicy({ AWS: ACCT }), isTrustPolicyCheck: true },
    implicit('role trust'),
  ],
  // Trust policies (sts:AssumeRole)
  [
    'trust names the user: no identity policy needed',
    user('sts:AssumeRole', ROLE),
    { identity: [], resource: trustPolicy({ AWS: USER }), isTrustPolicyCheck: true },
    ALLOW,
  ],
  [
    'trust names the account: identity policy needed',
    user('sts:AssumeRole', ROLE),
    { identity: [], resource: trustPolicy({ AWS: ACCT }), isTrustPolicyCheck: true },
    implicit('identity-based'),
  ],
  [
    'trust names the account + identity allow',
    user('sts:AssumeRole', ROLE),
    {
      identity: [P({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE })],
      resource: trustPolicy({ AWS: `arn:aws:iam::${ACCT}:root` }),
      isTrustPolicyCheck: true,
    },
    ALLOW,
  ],
  [
    'trust names someone else: identity allow is not enough',
    user('sts:AssumeRole', ROLE),
    { identity: [allowAll], resource: trustPolicy({ AWS: `arn:aws:iam::${ACCT}:user/bob` }), isTrustPolicyCheck: true },
    implicit('role trust'),
  ],
  [
    'trust names only a service',
    user('sts:AssumeRole', ROLE),
    { identity: [allowAll], resource: trustPolicy({ Service: 'codestar.amazonaws.com' }), isTrustPolicyCheck: true },
    implicit('role trust'),
  ],
  [
    'explicit deny in the trust policy',
    user('sts:AssumeRole', ROLE),
    {
      identity: [allowAll],
      resource: P(
        [
          { Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
          { Effect: 'Deny', Principal: { AWS: USER }, Action: 'sts:AssumeRole' },
        ],
        'trust',
      ),
      isTrustPolicyCheck: true,
    },
    explicit('role trust'),
  ],
  [
    "chained: trust names the caller's role ARN",
    roleSession('sts:AssumeRole', `arn:aws:iam::${ACCT}:role/next`),
    { identity: [], sessionType: 'role', resource: trustPolicy({ AWS: ROLE }), isTrustPolicyCheck: true },
    ALLOW,
  ],
  [
    'trust condition on sts:ExternalId',
    user('sts:AssumeRole', ROLE, { 'sts:ExternalId': 'wrong' }),
    {
      identity: [],
      resource: P({ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } }, 'trust'),
      isTrustPolicyCheck: true,
    },
    implicit('role trust'),
  ],
  // Cross-account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html): both sides must allow
  [
    'cross-account: bucket policy names the user, no identity allow',
    { ...user('s3:GetObject', `${BUCKET}/k`), resourceAccount: OTHER },
    { identity: [], resource: bucketPolicy({ AWS: USER }) },
    implicit('identity-based'),
  ],
  [
    'cross-account: bucket policy names the account + identity allow',
    { ...user('s3:GetObject', `${BUCKET}/k`), resourceAccount: OTHER },
    { identity: [allowGet], resource: bucketPolicy({ AWS: ACCT }) },
    ALLOW,
  ],
  [
    'cross-account: identity allow without a bucket policy',
    { ...user('s3:GetObject', `${BUCKET}/k`), resourceAccount: OTHER },
    { identity: [allowAll] },
    implicit('resource-based'),
  ],
  [
    "cross-account: root of the caller's account needs only the resource policy",
    { ...root('s3:GetObject', `${BUCKET}/k`), resourceAccount: OTHER },
    { identity: [], resource: bucketPolicy({ AWS: `arn:aws:iam::${ACCT}:root` }) },
    ALLOW,
  ],
  [
    'cross-account: the session policy still caps',
    { ...roleSession('s3:GetObject', `${BUCKET}/k`), resourceAccount: OTHER },
    {
      identity: [allowAll],
      sessionType: 'role',
      session: [P({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, 'session')],
      resource: bucketPolicy({ AWS: ROLE }),
    },
    implicit('session'),
  ],
  [
    'cross-account trust names the user: identity allow still needed',
    { ...user('sts:AssumeRole', OTHER_ROLE), resourceAccount: OTHER },
    { identity: [], resource: trustPolicy({ AWS: USER }), isTrustPolicyCheck: true },
    implicit('identity-based'),
  ],
  [
    'cross-account trust names the account root + identity allow',
    { ...user('sts:AssumeRole', OTHER_ROLE), resourceAccount: OTHER },
    {
      identity: [P({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: OTHER_ROLE })],
      resource: trustPolicy({ AWS: `arn:aws:iam::${ACCT}:root` }),
      isTrustPolicyCheck: true,
    },
    ALLOW,
  ],
  [
    'cross-account trust of another account: refused by the trust',
    { ...user('sts:AssumeRole', OTHER_ROLE), resourceAccount: OTHER },
    { identity: [allowAll], resource: trustPolicy({ AWS: '999999999999' }), isTrustPolicyCheck: true },
    implicit('role trust'),
  ],
  [
    'cross-account: explicit deny in the caller’s own policy wins',
    { ...user('s3:GetObject', `${BUCKET}/k`), resourceAccount: OTHER },
    { identity: [allowAll, P({ Effect: 'Deny', Action: 's3:*', Resource: '*' })], resource: bucketPolicy({ AWS: USER }) },
    explicit('identity-based'),
  ],
  [
    'aws:ResourceAccount and aws:PrincipalOrgID in conditions',
    { ...user('s3:GetObject', `${BUCKET}/k`, { 'aws:ResourceAccount': OTHER, 'aws:PrincipalOrgID': 'o-abc1234567' }), resourceAccount: OTHER },
    {
      identity: [P({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': OTHER } } })],
      resource: P(
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${BUCKET}/*`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc1234567' } },
        },
        'resource',
      ),
    },
    ALLOW,
  ],
];
for (const [name, ctx, policies, expected] of cases) {
  test(`evaluate: ${name}`, () => assert.deepEqual(evaluate(ctx, policies), expected));
}
