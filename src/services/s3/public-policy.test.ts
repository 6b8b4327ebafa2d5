import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicPolicy } from './public-policy.ts';

const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...statement }] });

test('a policy granting everyone is public; fixed principals or fixing conditions are not', () => {
  assert.equal(isPublicPolicy(policy({ Principal: '*' })), true);
  assert.equal(isPublicPolicy(policy({ Principal: { AWS: '*' } })), true);
  assert.equal(isPublicPolicy(policy({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } })), false);
  assert.equal(isPublicPolicy(policy({ Principal: { Service: 'cloudtrail.amazonaws.com' } })), false);
  assert.equal(isPublicPolicy(policy({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })), false);
  assert.equal(isPublicPolicy(policy({ Principal: '*', Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:*' } } })), true);
  assert.equal(isPublicPolicy(policy({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/24' } } })), false);
  assert.equal(isPublicPolicy(policy({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })), true);
  assert.equal(isPublicPolicy(policy({ Principal: '*', Effect: 'Deny' })), false);
});
