// Tests for statement matching: actions, resources (incl. resource-less and variables), principals
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionMatches, principalNaming, resourceMatches } from './match.ts';
import type { PrincipalBlock, RequestContext } from './types.ts';

const actionCases: Array<[pattern: string, action: string, expected: boolean]> = [
  ['*', 'codestar:DescribeProject', true],
  ['codestar:*', 'codestar:DescribeProject', true],
  ['codestar:Describe*', 'codestar:DescribeProject', true],
  ['codestar:Describe*', 'codestar:ListProjects', false],
  ['IAM:listaccesskeys', 'iam:ListAccessKeys', true],
  ['iam:*AccessKey*', 'iam:CreateAccessKey', true],
  ['iam:*AccessKey*', 'iam:CreateUser', false],
  ['s3:Get?bject', 's3:GetObject', true],
  ['s3:Get?bject', 's3:GetObjectAcl', false],
  ['s3:GetObject', 's3:GetObjectAcl', false],
  ['iam:*', 'sts:AssumeRole', false],
];
for (const [pattern, action, expected] of actionCases) {
  test(`action ${pattern} ${expected ? 'matches' : 'does not match'} ${action}`, () => {
    assert.equal(actionMatches(pattern, action), expected);
  });
}

const keys: Record<string, string> = { 'aws:username': 'alice' };
const lookup = (k: string) => keys[k.toLowerCase()];
const resourceCases: Array<[pattern: string, resource: string, action: string, vars: boolean, expected: boolean]> = [
  ['*', 'arn:aws:s3:::bucket/key', 's3:GetObject', true, true],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c', 's3:GetObject', true, true],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/a', 's3:GetObject', true, false], // case-sensitive
  ['arn:aws:iam::123456789012:user/Bob', 'arn:aws:iam::123456789012:user/bob', 'iam:GetUser', true, false],
  ['arn:aws:codestar:*:123456789012:project/*', 'arn:aws:codestar:us-east-1:123456789012:project/p1', 'codestar:DescribeProject', true, true],
  ['arn:aws:codestar:us-east-?:*:project/p?', 'arn:aws:codestar:us-east-1:123456789012:project/p1', 'codestar:DescribeProject', true, true],
  ['arn:aws:cloudtrail:*', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', 'cloudtrail:GetTrail', true, true], // trailing * spans ':'
  ['arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/alice/x', 's3:GetObject', true, true],
  ['arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/bob/x', 's3:GetObject', true, false],
  ['arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/${aws:username}/x', 's3:GetObject', false, true], // 2008-10-17: literal
  ['arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*', 'arn:aws:s3:::bucket/x/y', 's3:GetObject', true, false], // no value: matches nothing
  ["arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*", 'arn:aws:s3:::bucket/shared/y', 's3:GetObject', true, true],
  ['arn:aws:s3:::bucket/${*}', 'arn:aws:s3:::bucket/*', 's3:GetObject', true, true],
  ['arn:aws:s3:::bucket/${*}', 'arn:aws:s3:::bucket/anything', 's3:GetObject', true, false], // escaped * is literal
  // Resource-less actions evaluate R = '*'.
  ['*', '*', 'iam:ListUsers', true, true],
  ['arn:aws:iam::*:user/*', '*', 'iam:ListUsers', true, false],
  ['arn:aws:s3:::*', '*', 's3:ListAllMyBuckets', true, true],
  ['arn:aws:s3:::my-bucket', '*', 's3:ListAllMyBuckets', true, false],
  ['arn:aws:iam::*:*', '*', 'iam:ListUsers', true, true],
  ['arn:aws:s3:::*', '*', 'iam:ListUsers', true, false], // another service's ARNs do not cover it
  ['arn:aws:cloudtrail:*:*:trail/*', '*', 'cloudtrail:LookupEvents', true, false],
];
for (const [pattern, resource, action, vars, expected] of resourceCases) {
  test(`resource ${pattern} ${expected ? 'matches' : 'does not match'} ${resource} (${action}${vars ? '' : ', no variables'})`, () => {
    assert.equal(resourceMatches(pattern, resource, action, lookup, vars), expected);
  });
}

const ACCT = '123456789012';
const session: RequestContext = {
  action: 'sts:AssumeRole',
  resource: '*',
  principalArn: `arn:aws:sts::${ACCT}:assumed-role/dev/s1`,
  principalAliases: [`arn:aws:iam::${ACCT}:role/dev`],
  principalAccount: ACCT,
  isRoot: false,
  keys: {},
};
const principalCases: Array<[block: PrincipalBlock | '*', ctx: RequestContext, expected: string | undefined]> = [
  ['*', session, 'direct'],
  [{ AWS: ['*'] }, session, 'direct'],
  [{ AWS: [session.principalArn] }, session, 'direct'],
  [{ AWS: [`arn:aws:iam::${ACCT}:role/dev`] }, session, 'alias'],
  [{ AWS: [ACCT] }, session, 'account'],
  [{ AWS: [`arn:aws:iam::${ACCT}:root`, `arn:aws:iam::${ACCT}:role/dev`] }, session, 'alias'],
  [{ AWS: ['arn:aws:iam::999999999999:root'] }, session, undefined],
  [{ AWS: [`arn:aws:sts::${ACCT}:assumed-role/dev/other`] }, session, undefined],
  [{ Service: ['cloudtrail.amazonaws.com'] }, session, undefined],
  [{ Service: ['cloudtrail.amazonaws.com'] }, { ...session, servicePrincipal: 'cloudtrail.amazonaws.com' }, 'direct'],
  [{ AWS: [ACCT] }, { ...session, servicePrincipal: 'cloudtrail.amazonaws.com' }, undefined],
  [{ AWS: [ACCT] }, { ...session, principalArn: `arn:aws:iam::${ACCT}:root`, principalAliases: [], isRoot: true }, 'direct'],
  [{ Federated: ['cognito-identity.amazonaws.com'] }, session, undefined],
];
for (const [block, ctx, expected] of principalCases) {
  test(`principal ${JSON.stringify(block)} names ${ctx.servicePrincipal ?? ctx.principalArn} as ${expected ?? 'nothing'}`, () => {
    assert.equal(principalNaming(block, ctx), expected);
  });
}
