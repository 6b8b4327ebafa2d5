// serviceAllowed: a service principal acting for a resource, with aws:SourceAccount / aws:SourceArn / aws:ResourceAccount
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from './document.ts';
import { serviceAllowed, serviceRequestContext } from './service.ts';

const A = '111122223333';
const B = '444455556666';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${A}:trail/t`;
const policy = (condition: object) =>
  parsePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/*', Condition: condition },
      ],
    }),
    'resource',
  );
const put = {
  servicePrincipal: 'cloudtrail.amazonaws.com',
  action: 's3:PutObject',
  resource: 'arn:aws:s3:::logs/AWSLogs/x',
  sourceAccount: A,
  sourceArn: TRAIL,
  resourceAccount: B,
};

test('serviceAllowed: aws:SourceArn and aws:SourceAccount decide for the resource the service acts for', () => {
  assert.equal(serviceAllowed(policy({ StringEquals: { 'aws:SourceArn': TRAIL } }), put), true);
  assert.equal(serviceAllowed(policy({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${B}:trail/t` } }), put), false);
  assert.equal(serviceAllowed(policy({ StringEquals: { 'aws:SourceAccount': [A, B] } }), put), true);
  assert.equal(serviceAllowed(policy({ StringEquals: { 'aws:SourceAccount': B } }), put), false);
  assert.equal(serviceAllowed(policy({ StringEquals: { 'aws:ResourceAccount': B } }), put), true);
  // no source ARN passed: a condition on it fails, a Null check sees it absent
  const { sourceArn: _, ...noArn } = put;
  assert.equal(serviceAllowed(policy({ StringEquals: { 'aws:SourceArn': TRAIL } }), noArn), false);
  assert.equal(serviceAllowed(policy({ Null: { 'aws:SourceArn': 'true' } }), noArn), true);
  // another service is not named
  assert.equal(serviceAllowed(policy({}), { ...put, servicePrincipal: 'sns.amazonaws.com' }), false);
  assert.equal(serviceAllowed(undefined, put), false);
});

test('serviceRequestContext: the keys a service request carries', () => {
  assert.deepEqual(serviceRequestContext(put).keys, {
    'aws:SourceAccount': A,
    'aws:SourceArn': TRAIL,
    'aws:ResourceAccount': B,
    'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com',
  });
});
