// Tests for the shipped AWS managed policies: metadata, documents parse, and what they grant (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from './document.ts';
import { evaluate } from './evaluate.ts';
import { AWS_MANAGED_POLICIES } from './managed.ts';
import type { RequestContext } from './types.ts';

const byName = new Map(AWS_MANAGED_POLICIES.map((p) => [p.name, p]));

test('the seven managed policies, with ARN, path, id and version', () => {
  assert.deepEqual([...byName.keys()].sort(), [
    'AWSCloudTrail_FullAccess',
    'AWSCloudTrail_ReadOnlyAccess',
    'AWSCodeStarFullAccess',
    'AdministratorAccess',
    'IAMFullAccess',
    'IAMReadOnlyAccess',
    'ReadOnlyAccess',
  ]);
  for (const p of AWS_MANAGED_POLICIES) {
    assert.equal(p.arn, `arn:aws:iam::aws:policy/${p.name}`);
    assert.equal(p.path, '/');
    assert.match(p.policyId, /^ANPA[A-Z0-9]{17}$/);
    assert.match(p.defaultVersionId, /^v[1-9]\d*$/);
    assert.ok(p.createDate <= p.updateDate, p.name);
    assert.match(p.updateDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  assert.equal(byName.get('AWSCodeStarFullAccess')?.policyId, 'ANPAIXI233TFUGLZOJBEC');
  assert.equal(byName.get('IAMReadOnlyAccess')?.defaultVersionId, 'v4');
});

test("documents are AWS's text", () => {
  assert.equal(byName.get('AdministratorAccess')?.document, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}');
  assert.equal(
    byName.get('AWSCloudTrail_ReadOnlyAccess')?.document,
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["cloudtrail:Get*", "cloudtrail:Describe*", "cloudtrail:List*", "cloudtrail:LookupEvents"], "Resource": "*"}]}',
  );
  assert.ok(byName.get('AWSCloudTrail_FullAccess')?.document.includes('{"Effect": "Allow", "Action": "cloudtrail:*", "Resource": "*"}'));
});

for (const p of AWS_MANAGED_POLICIES) {
  test(`${p.name} parses as a managed identity policy`, () => {
    const d = parsePolicy(p.document, 'identity', { managed: true });
    assert.equal(d.Version, '2012-10-17');
    assert.ok(d.Statement.length > 0);
  });
}

const decide = (name: string, action: string, resource = '*', keys: RequestContext['keys'] = {}) =>
  evaluate(
    { action, resource, principalArn: 'arn:aws:iam::123456789012:user/u', principalAccount: '123456789012', isRoot: false, keys },
    { identity: [parsePolicy(byName.get(name)!.document, 'identity')] },
  ).effect;

const grants: Array<[policy: string, action: string, resource: string, keys: RequestContext['keys'], effect: 'Allow' | 'Deny']> = [
  ['AdministratorAccess', 'iam:CreateUser', 'arn:aws:iam::123456789012:user/x', {}, 'Allow'],
  ['ReadOnlyAccess', 'codestar:ListProjects', '*', {}, 'Allow'],
  ['ReadOnlyAccess', 'codestar:GetExtendedAccess', 'arn:aws:codestar:us-east-1:123456789012:project/p', {}, 'Allow'],
  ['ReadOnlyAccess', 'cloudtrail:LookupEvents', '*', {}, 'Allow'],
  ['ReadOnlyAccess', 's3:GetObject', 'arn:aws:s3:::b/k', {}, 'Allow'],
  ['ReadOnlyAccess', 'codestar:CreateProject', '*', {}, 'Deny'],
  ['ReadOnlyAccess', 'sts:AssumeRole', 'arn:aws:iam::123456789012:role/r', {}, 'Deny'],
  ['AWSCodeStarFullAccess', 'codestar:DeleteProject', 'arn:aws:codestar:us-east-1:123456789012:project/p', {}, 'Allow'],
  ['AWSCodeStarFullAccess', 'iam:CreateUser', '*', {}, 'Deny'],
  ['AWSCloudTrail_FullAccess', 'cloudtrail:CreateTrail', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', {}, 'Allow'],
  ['AWSCloudTrail_FullAccess', 's3:CreateBucket', 'arn:aws:s3:::aws-cloudtrail-logs-1', {}, 'Allow'],
  ['AWSCloudTrail_FullAccess', 's3:CreateBucket', 'arn:aws:s3:::mine', {}, 'Deny'],
  ['AWSCloudTrail_FullAccess', 'iam:PassRole', 'arn:aws:iam::123456789012:role/r', { 'iam:PassedToService': 'cloudtrail.amazonaws.com' }, 'Allow'],
  ['AWSCloudTrail_FullAccess', 'iam:PassRole', 'arn:aws:iam::123456789012:role/r', { 'iam:PassedToService': 'ec2.amazonaws.com' }, 'Deny'],
  ['AWSCloudTrail_ReadOnlyAccess', 'cloudtrail:GetTrailStatus', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', {}, 'Allow'],
  ['AWSCloudTrail_ReadOnlyAccess', 'cloudtrail:StopLogging', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', {}, 'Deny'],
  ['IAMFullAccess', 'iam:DeleteRole', 'arn:aws:iam::123456789012:role/r', {}, 'Allow'],
  ['IAMReadOnlyAccess', 'iam:ListUsers', '*', {}, 'Allow'],
  ['IAMReadOnlyAccess', 'iam:CreateAccessKey', 'arn:aws:iam::123456789012:user/u', {}, 'Deny'],
];
for (const [policy, action, resource, keys, effect] of grants) {
  test(`${policy}: ${action} → ${effect}`, () => assert.equal(decide(policy, action, resource, keys), effect));
}
