/** requestParameters / responseElements: member names, redaction, secrets, dates (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../protocol/model.ts';
import { HIDDEN, javaDate, recordObject } from './parameters.ts';

const codestar = loadModel('codestar');
const iam = loadModel('iam');
const sts = loadModel('sts');
const comma = { commaAfterYear: true, omit: new Set(['secretAccessKey']) };
const plain = { commaAfterYear: false, omit: new Set(['secretAccessKey']) };

test('model-sensitive members are HIDDEN_DUE_TO_SECURITY_REASONS; others and map keys kept as sent', () => {
  const input = { name: 'My Project', id: 'my-proj', description: 'secret plans', clientRequestToken: 'tok-1', tags: { Team: 'A' } };
  assert.deepEqual(recordObject(codestar, 'CreateProjectRequest', input, comma), {
    name: HIDDEN,
    id: 'my-proj',
    description: HIDDEN,
    clientRequestToken: 'tok-1',
    tags: { Team: 'A' },
  });
  assert.equal(HIDDEN, 'HIDDEN_DUE_TO_SECURITY_REASONS');
});

test('Query services: lowerCamel members, nested too; the secret access key never appears; IAM dates without the comma', () => {
  const out = {
    AccessKey: {
      UserName: 'alice',
      AccessKeyId: 'AKIAALICEALICEALICE2',
      Status: 'Active',
      SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      CreateDate: new Date('2024-08-01T13:33:28Z'),
    },
  };
  const r = recordObject(iam, 'CreateAccessKeyResponse', out, plain);
  assert.equal(
    JSON.stringify(r),
    JSON.stringify({ accessKey: { userName: 'alice', accessKeyId: 'AKIAALICEALICEALICE2', status: 'Active', createDate: 'Aug 1, 2024 1:33:28 PM' } }),
  );
});

test('STS credentials: expiration with the comma after the year, session token kept, no secret', () => {
  const out = {
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE22',
      SecretAccessKey: 'x'.repeat(40),
      SessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
      Expiration: new Date('2024-07-30T21:46:15Z'),
    },
    AssumedRoleUser: { AssumedRoleId: 'AROADEVDEVDEVDEVDEV12:s1', Arn: 'arn:aws:sts::123456789012:assumed-role/dev/s1' },
  };
  assert.equal(
    JSON.stringify(recordObject(sts, 'AssumeRoleResponse', out, comma)),
    JSON.stringify({
      credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE22', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE', expiration: 'Jul 30, 2024, 9:46:15 PM' },
      assumedRoleUser: { assumedRoleId: 'AROADEVDEVDEVDEVDEV12:s1', arn: 'arn:aws:sts::123456789012:assumed-role/dev/s1' },
    }),
  );
});

test('lists of structures, in model member order', () => {
  const input = {
    RoleArn: 'arn:aws:iam::123456789012:role/dev',
    RoleSessionName: 's1',
    PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    Tags: [{ Key: 'k', Value: 'v' }],
    DurationSeconds: 900,
  };
  assert.equal(
    JSON.stringify(recordObject(sts, 'AssumeRoleRequest', input, comma)),
    JSON.stringify({
      roleArn: 'arn:aws:iam::123456789012:role/dev',
      roleSessionName: 's1',
      policyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      durationSeconds: 900,
      tags: [{ key: 'k', value: 'v' }],
    }),
  );
});

test('an empty input or output is null', () => {
  assert.equal(recordObject(sts, 'GetCallerIdentityRequest', {}, comma), null);
  assert.equal(recordObject(iam, undefined, {}, plain), null);
});

test('Java medium dates: 12-hour clock, midnight is 12 AM, noon 12 PM, day not padded', () => {
  assert.equal(javaDate(new Date('2024-01-05T00:07:09Z')), 'Jan 5, 2024 12:07:09 AM');
  assert.equal(javaDate(new Date('2024-11-30T12:00:00Z'), true), 'Nov 30, 2024, 12:00:00 PM');
  assert.equal(javaDate(new Date('2024-11-30T20:43:17Z'), true), 'Nov 30, 2024, 8:43:17 PM');
});
