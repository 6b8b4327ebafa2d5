/**
 * The policy simulator against the real thing: for a table of (principal, action, resource, context)
 * cases, SimulatePrincipalPolicy's decision — allowed, implicitDeny, explicitDeny — equals what the
 * real call by that principal then does. And SimulateCustomPolicy's details: matched statements with
 * their positions, missing context values, the boundary's part, per-resource results.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, allow, harness, type Credentials, type Harness, type Reply } from './testing.ts';
import { iamCalls, members } from './iam-testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

const { iam, ok } = iamCalls(() => h);

const doc = (...statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const ARN = `arn:aws:iam::${ACCOUNT}`;

/** What a real call answers, as a decision: 200 allowed; a denial says whether a Deny matched. */
function decisionOf(r: Reply): string {
  if (r.status === 200) return 'allowed';
  const message: string = r.text.includes('<Message>') ? (/<Message>([^<]*)<\/Message>/.exec(r.text)?.[1] ?? '') : (r.json().message ?? r.json().Message ?? '');
  assert.ok(/not authorized/.test(message), `not a denial: ${r.status} ${r.text}`);
  return /explicit deny/.test(message) ? 'explicitDeny' : 'implicitDeny';
}

interface Call {
  action: string;
  resource: string;
  send: (c: Credentials) => Promise<Reply>;
  /** the resource's tags, as the real call sees them (aws:ResourceTag/*) */
  tags?: Record<string, string>;
}

test('SimulatePrincipalPolicy decides as the real calls do, over a table of 70 cases', async () => {
  const trustUsers = doc({ Effect: 'Allow', Principal: { AWS: `${ARN}:root` }, Action: 'sts:AssumeRole' });
  await ok('CreateRole', { RoleName: 'blue-role', AssumeRolePolicyDocument: trustUsers, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' });
  await ok('CreateRole', { RoleName: 'secret-role', AssumeRolePolicyDocument: trustUsers, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'red' });
  const policyArn = (await ok('CreatePolicy', { PolicyName: 'sim-target', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }))
    .Policy.Arn;

  const principals: { name: string; arn: string; creds: Credentials }[] = [];
  const user = async (name: string, setup: () => Promise<unknown>) => {
    const creds = await h.user(name);
    await setup();
    principals.push({ name, arn: `${ARN}:user/${name}`, creds });
  };
  await user('u-admin', () => ok('AttachUserPolicy', { UserName: 'u-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await user('u-group', async () => {
    await ok('CreateGroup', { GroupName: 'sim-readers' });
    await ok('AttachGroupPolicy', { GroupName: 'sim-readers', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await ok('AddUserToGroup', { GroupName: 'sim-readers', UserName: 'u-group' });
  });
  await user('u-iam-deny', async () => {
    await ok('AttachUserPolicy', { UserName: 'u-iam-deny', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await ok('PutUserPolicy', {
      UserName: 'u-iam-deny',
      PolicyName: 'no-secrets',
      PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:GetRole', Resource: `${ARN}:role/secret-*` }),
    });
  });
  await user('u-bounded', async () => {
    await ok('AttachUserPolicy', { UserName: 'u-bounded', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    const b = (
      await ok('CreatePolicy', {
        PolicyName: 'sim-boundary',
        PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:Get*', 'cloudtrail:Describe*'], Resource: '*' }),
      })
    ).Policy.Arn;
    await ok('PutUserPermissionsBoundary', { UserName: 'u-bounded', PermissionsBoundary: b });
  });
  await user('u-cond', () =>
    ok('PutUserPolicy', {
      UserName: 'u-cond',
      PolicyName: 'conditions',
      PolicyDocument: doc(
        { Effect: 'Allow', Action: 'iam:GetUser', Resource: `${ARN}:user/\${aws:username}` },
        { Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
        { Effect: 'Allow', Action: ['codestar:ListProjects', 'iam:ListGroups'], Resource: '*' },
      ),
    }),
  );
  await user('u-none', async () => {});
  await user('u-mixed', async () => {
    await ok('PutUserPolicy', {
      UserName: 'u-mixed',
      PolicyName: 'mixed',
      PolicyDocument: doc({ Effect: 'Allow', NotAction: 'iam:List*', Resource: '*' }, { Effect: 'Deny', Action: 'cloudtrail:LookupEvents', Resource: '*' }),
    });
  });

  const calls: Call[] = [
    { action: 'iam:ListUsers', resource: '*', send: (c) => iam('ListUsers', {}, c) },
    { action: 'iam:ListRoles', resource: '*', send: (c) => iam('ListRoles', {}, c) },
    { action: 'iam:ListGroups', resource: '*', send: (c) => iam('ListGroups', {}, c) },
    { action: 'iam:GetRole', resource: `${ARN}:role/blue-role`, tags: { team: 'blue' }, send: (c) => iam('GetRole', { RoleName: 'blue-role' }, c) },
    { action: 'iam:GetRole', resource: `${ARN}:role/secret-role`, tags: { team: 'red' }, send: (c) => iam('GetRole', { RoleName: 'secret-role' }, c) },
    { action: 'iam:GetUser', resource: `${ARN}:user/u-cond`, send: (c) => iam('GetUser', { UserName: 'u-cond' }, c) },
    { action: 'iam:GetPolicy', resource: policyArn, send: (c) => iam('GetPolicy', { PolicyArn: policyArn }, c) },
    { action: 'codestar:ListProjects', resource: '*', send: (c) => h.json('codestar', 'ListProjects', {}, { credentials: c }) },
    { action: 'cloudtrail:DescribeTrails', resource: '*', send: (c) => h.json('cloudtrail', 'DescribeTrails', {}, { credentials: c }) },
    { action: 'cloudtrail:LookupEvents', resource: '*', send: (c) => h.json('cloudtrail', 'LookupEvents', {}, { credentials: c }) },
  ];

  const table: string[] = [];
  let cases = 0;
  for (const p of principals) {
    for (const call of calls) {
      const context = Object.entries(call.tags ?? {}).flatMap(([k, v], i) => [
        [`ContextEntries.member.${i + 1}.ContextKeyName`, `aws:ResourceTag/${k}`],
        [`ContextEntries.member.${i + 1}.ContextKeyValues.member.1`, v],
        [`ContextEntries.member.${i + 1}.ContextKeyType`, 'string'],
      ]);
      const sim = await ok('SimulatePrincipalPolicy', {
        PolicySourceArn: p.arn,
        'ActionNames.member.1': call.action,
        'ResourceArns.member.1': call.resource,
        ...Object.fromEntries(context),
      });
      const simulated = members(sim.EvaluationResults)[0]?.EvalDecision;
      const real = decisionOf(await call.send(p.creds));
      table.push(`${p.name} ${call.action} ${call.resource}: simulated ${simulated}, real ${real}`);
      assert.equal(simulated, real, table[table.length - 1]);
      cases++;
    }
  }
  assert.equal(cases, 70);
  // the table exercises every decision
  for (const d of ['allowed', 'implicitDeny', 'explicitDeny'])
    assert.ok(
      table.some((line) => line.endsWith(`real ${d}`)),
      `no case ends ${d}`,
    );
});

test('SimulateCustomPolicy: matched statements and their positions, missing context values, the boundary, per-resource results', async () => {
  const policy = [
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},',
    '    {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::prod-*"},',
    '    {"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}',
    '  ]',
    '}',
  ].join('\n');
  const r = await ok('SimulateCustomPolicy', {
    'PolicyInputList.member.1': policy,
    'ActionNames.member.1': 's3:DeleteBucket',
    'ActionNames.member.2': 'ec2:RunInstances',
    'ActionNames.member.3': 'iam:ListUsers',
    'ResourceArns.member.1': 'arn:aws:s3:::prod-logs',
    'ResourceArns.member.2': 'arn:aws:s3:::dev-logs',
  });
  const [del, ec2, iamList] = members(r.EvaluationResults);
  assert.equal(del.EvalDecision, 'explicitDeny');
  assert.deepEqual(members(del.MatchedStatements), [
    { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: '5', Column: '5' }, EndPosition: { Line: '5', Column: '86' } },
  ]);
  assert.deepEqual(
    members(del.ResourceSpecificResults).map((x) => [x.EvalResourceName, x.EvalResourceDecision]),
    [
      ['arn:aws:s3:::prod-logs', 'explicitDeny'],
      ['arn:aws:s3:::dev-logs', 'allowed'],
    ],
  );
  assert.equal(ec2.EvalDecision, 'implicitDeny');
  assert.deepEqual(members(ec2.MissingContextValues), ['aws:RequestedRegion']);
  assert.equal(iamList.EvalDecision, 'implicitDeny');
  assert.deepEqual(members(iamList.MatchedStatements), []);

  const withRegion = await ok('SimulateCustomPolicy', {
    'PolicyInputList.member.1': policy,
    'PermissionsBoundaryPolicyInputList.member.1': doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    'ActionNames.member.1': 'ec2:RunInstances',
    'ActionNames.member.2': 's3:GetObject',
    'ContextEntries.member.1.ContextKeyName': 'aws:RequestedRegion',
    'ContextEntries.member.1.ContextKeyValues.member.1': 'eu-west-1',
    'ContextEntries.member.1.ContextKeyType': 'string',
  });
  const [run, get] = members(withRegion.EvaluationResults);
  assert.deepEqual([run.EvalDecision, run.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary], ['implicitDeny', 'false']);
  assert.deepEqual([get.EvalDecision, get.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary, get.EvalResourceName], ['allowed', 'true', '*']);

  const bad = await iam('SimulateCustomPolicy', { 'PolicyInputList.member.1': '{"Statement": [', 'ActionNames.member.1': 's3:GetObject' });
  assert.deepEqual([bad.status, /<Code>([^<]*)/.exec(bad.text)?.[1]], [400, 'InvalidInput']);
  const missing = await iam('SimulatePrincipalPolicy', { PolicySourceArn: `${ARN}:user/nobody`, 'ActionNames.member.1': 's3:GetObject' });
  assert.deepEqual([missing.status, /<Message>([^<]*)/.exec(missing.text)?.[1]], [404, 'The user with name nobody cannot be found.']);
  void allow;
});
