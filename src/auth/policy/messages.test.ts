// Tests for denialMessage: AWS's exact AccessDenied texts, from evaluate() decisions (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denialMessage } from './messages.ts';
import type { DenyingPolicyType } from './types.ts';

const USER = 'arn:aws:iam::123456789012:user/JohnDoe';
const SESSION = 'arn:aws:sts::807078899029:assumed-role/boundary_team_acctest_dev-developer/michael.li@hashicorp.com';
const d = (policyType: DenyingPolicyType, explicit = false) => ({ effect: 'Deny' as const, explicit, policyType });

const cases: Array<[name: string, actual: string, expected: string]> = [
  [
    'implicit, identity-based (observed, boundary#4287)',
    denialMessage(SESSION, 'iam:CreateUser', 'arn:aws:iam::807078899029:user/demo-boundary-e2e-DXqX0', d('identity-based')),
    'User: arn:aws:sts::807078899029:assumed-role/boundary_team_acctest_dev-developer/michael.li@hashicorp.com is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::807078899029:user/demo-boundary-e2e-DXqX0 because no identity-based policy allows the iam:CreateUser action',
  ],
  [
    'explicit, identity-based (TAD)',
    denialMessage(USER, 'codedeploy:ListDeployments', 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*', d('identity-based', true)),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy',
  ],
  [
    'implicit, permissions boundary',
    denialMessage(USER, 'codedeploy:ListDeployments', 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*', d('permissions boundary')),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action',
  ],
  [
    'explicit, permissions boundary',
    denialMessage(USER, 'iam:ListUsers', '*', d('permissions boundary', true)),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: iam:ListUsers on resource: * with an explicit deny in a permissions boundary',
  ],
  [
    'implicit, session policy; resource-less action says "on resource: *"',
    denialMessage(USER, 'codecommit:ListRepositories', '*', d('session')),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories on resource: * because no session policy allows the codecommit:ListRepositories action',
  ],
  [
    'explicit, session policy',
    denialMessage(USER, 's3:GetObject', 'arn:aws:s3:::b/k', d('session', true)),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a session policy',
  ],
  [
    'S3 quotes the resource (observed, serverless-patterns#2457)',
    denialMessage(
      'arn:aws:sts::683517028648:assumed-role/s3dotnet-ResizerFunctionRole-TZwnuYpDb5Rv/s3dotnet-ResizerFunction-12oroDMZmSGE',
      's3:GetObject',
      'arn:aws:s3:::imageresizer-683517028648/seshub-photo.jpeg',
      d('identity-based'),
      { s3: true },
    ),
    'User: arn:aws:sts::683517028648:assumed-role/s3dotnet-ResizerFunctionRole-TZwnuYpDb5Rv/s3dotnet-ResizerFunction-12oroDMZmSGE is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::imageresizer-683517028648/seshub-photo.jpeg" because no identity-based policy allows the s3:GetObject action',
  ],
  [
    'S3 bucket-policy explicit deny',
    denialMessage(USER, 's3:ListBucket', 'arn:aws:s3:::b', d('resource-based', true), { s3: true }),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::b" with an explicit deny in a resource-based policy',
  ],
  [
    'implicit, resource-based',
    denialMessage('arn:aws:iam::1:root', 's3:PutObject', 'arn:aws:s3:::b/k', d('resource-based')),
    'User: arn:aws:iam::1:root is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/k because no resource-based policy allows the s3:PutObject action',
  ],
  [
    'AssumeRole refused by the trust policy: no because-clause (as observed in a real record)',
    denialMessage(
      'arn:aws:iam::457448411975:user/christophe',
      'sts:AssumeRole',
      'arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role',
      d('role trust'),
    ),
    'User: arn:aws:iam::457448411975:user/christophe is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role',
  ],
  [
    'explicit deny in the trust policy',
    denialMessage(USER, 'sts:AssumeRole', 'arn:aws:iam::123456789012:role/r', d('role trust', true)),
    'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/r with an explicit deny in the role trust policy',
  ],
];
for (const [name, actual, expected] of cases) {
  test(`denialMessage: ${name}`, () => assert.equal(actual, expected));
}
