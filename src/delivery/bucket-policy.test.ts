/** The bucket policy CloudTrail needs (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html), evaluated by the IAM engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyAllowsCloudTrail, type DeliveryPlace } from './bucket-policy.ts';
import { cloudTrailPolicy } from './testing.ts';

const place: DeliveryPlace = {
  bucket: 'logs',
  accountId: '000000000000',
  trailArn: 'arn:aws:cloudtrail:us-east-1:000000000000:trail/t',
  regions: ['us-east-1'],
  validation: true,
};
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const svc = { Service: 'cloudtrail.amazonaws.com' };

test('the documented policy allows; no policy or a broken one does not', () => {
  assert.equal(policyAllowsCloudTrail(cloudTrailPolicy('logs'), place), true);
  assert.equal(policyAllowsCloudTrail(undefined, place), false);
  assert.equal(policyAllowsCloudTrail('{not json', place), false);
});

test('both statements are needed, for this bucket, account and prefix', () => {
  const [acl, write] = JSON.parse(cloudTrailPolicy('logs')).Statement;
  assert.equal(policyAllowsCloudTrail(doc(write), place), false, 'no GetBucketAcl');
  assert.equal(policyAllowsCloudTrail(doc(acl), place), false, 'no PutObject');
  assert.equal(policyAllowsCloudTrail(cloudTrailPolicy('other'), place), false);
  assert.equal(policyAllowsCloudTrail(cloudTrailPolicy('logs'), { ...place, accountId: '111111111111' }), false);
  assert.equal(policyAllowsCloudTrail(cloudTrailPolicy('logs'), { ...place, prefix: 'p' }), false);
  assert.equal(policyAllowsCloudTrail(doc(acl, { ...write, Resource: 'arn:aws:s3:::logs/p/AWSLogs/000000000000/*' }), { ...place, prefix: 'p' }), true);
});

test('aws:SourceArn conditions and explicit denies are honoured; other principals do not count', () => {
  const [acl, write] = JSON.parse(cloudTrailPolicy('logs')).Statement;
  const bound = { ...write, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': place.trailArn } } };
  assert.equal(policyAllowsCloudTrail(doc(acl, bound), place), true);
  assert.equal(policyAllowsCloudTrail(doc(acl, bound), { ...place, trailArn: `${place.trailArn}2` }), false);
  assert.equal(
    policyAllowsCloudTrail(doc(acl, write, { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/*' }), place),
    false,
  );
  assert.equal(policyAllowsCloudTrail(doc(acl, { ...write, Principal: { Service: 'config.amazonaws.com' } }), place), false);
  assert.equal(
    policyAllowsCloudTrail(doc({ Effect: 'Allow', Principal: svc, Action: 's3:*', Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'] }), place),
    true,
  );
});
