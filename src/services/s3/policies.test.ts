/** Bucket policy validation (MalformedPolicy) and the service-principal check CreateTrail relies on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateBucketPolicy } from './policies.ts';

const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** The bucket policy the CloudTrail User Guide gives (S3P; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html). */
const CLOUDTRAIL = policy([
  {
    Sid: 'AWSCloudTrailAclCheck20150319',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:GetBucketAcl',
    Resource: 'arn:aws:s3:::trail-bucket',
  },
  {
    Sid: 'AWSCloudTrailWrite20150319',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::trail-bucket/AWSLogs/000000000000/*',
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  },
]);

const malformed = (text: string, bucket = 'trail-bucket') => {
  try {
    validateBucketPolicy(text, bucket);
    return 'valid';
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
};

test('validateBucketPolicy accepts the CloudTrail policy and object/bucket wildcards for this bucket', () => {
  assert.equal(malformed(CLOUDTRAIL), 'valid');
  assert.equal(
    malformed(policy([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::trail-bucket', 'arn:aws:s3:::trail-*/*'] }])),
    'valid',
  );
});

test('validateBucketPolicy refuses what S3 refuses, as MalformedPolicy', () => {
  assert.equal(malformed('not json'), "MalformedPolicy: Policies must be valid JSON and the first byte must be '{'");
  assert.match(malformed('{"Version": "2012-10-17", "Statement": '), /^MalformedPolicy: /);
  assert.equal(
    malformed(policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::trail-bucket/*' }])),
    'MalformedPolicy: Missing required field Principal',
  );
  assert.equal(
    malformed(policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' }])),
    'MalformedPolicy: Policy has invalid resource',
  );
  assert.equal(
    malformed(policy([{ Effect: 'Allow', Principal: '*', Action: 'iam:CreateUser', Resource: 'arn:aws:s3:::trail-bucket' }])),
    'MalformedPolicy: Policy has invalid action',
  );
  assert.equal(malformed(`{${' '.repeat(21000)}}`), 'MalformedPolicy: Policy exceeds the maximum allowed document size.');
});
