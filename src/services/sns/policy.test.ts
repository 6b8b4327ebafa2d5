/**
 * Which services a topic's policy lets publish (policy.ts policyAllowsService): with the default
 * policy, the account's own CloudWatch alarms (AWS:SourceOwner) but not S3 or CloudTrail, which
 * need an explicit grant, nor another account's alarms; a policy naming a service lets it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Topic } from '../../store/types.ts';
import { policyAllowsService } from './policy.ts';

const ACCOUNT = '000000000000';
const topic = (attributes: Record<string, string> = {}): Topic => ({
  arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
  accountId: ACCOUNT,
  region: 'us-east-1',
  name: 'alerts',
  attributes,
  tags: [],
  createdAt: new Date(0),
});
const alarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:a`;

test('the default policy: the account’s own alarms publish; S3, CloudTrail and other accounts’ alarms do not', () => {
  assert.equal(policyAllowsService(topic(), 'cloudwatch.amazonaws.com', alarm, ACCOUNT), true);
  assert.equal(policyAllowsService(topic(), 'cloudwatch.amazonaws.com', alarm.replace(ACCOUNT, '111111111111'), '111111111111'), false);
  assert.equal(policyAllowsService(topic(), 's3.amazonaws.com', 'arn:aws:s3:::b', ACCOUNT), false);
  assert.equal(policyAllowsService(topic(), 'cloudtrail.amazonaws.com', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`, ACCOUNT), false);
});

test('a policy naming the service lets it publish; one that does not, not even the account’s alarms', () => {
  const grant = (Service: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service }, Action: 'sns:Publish', Resource: topic().arn }] });
  assert.equal(policyAllowsService(topic({ Policy: grant('s3.amazonaws.com') }), 's3.amazonaws.com', 'arn:aws:s3:::b', ACCOUNT), true);
  assert.equal(policyAllowsService(topic({ Policy: grant('s3.amazonaws.com') }), 'cloudwatch.amazonaws.com', alarm, ACCOUNT), false);
});
