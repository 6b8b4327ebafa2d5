import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotificationRule } from '../../store/types.ts';
import { encodeEventKey, eventMessage, ownerPrincipalId, principalIdOf, ruleMatches, sequencer, testEventMessage } from './notifications-events.ts';

const rule = (events: string[], filter: NotificationRule['filter'] = []): NotificationRule => ({
  id: 'r',
  kind: 'queue',
  arn: 'arn:aws:sqs:us-east-1:000000000000:q',
  events,
  filter,
});

test('a rule matches its event types and keys within its prefix and suffix (filter values URL-decoded)', () => {
  const logs = rule(
    ['s3:ObjectCreated:*'],
    [
      { name: 'Prefix', value: 'AWSLogs/' },
      { name: 'Suffix', value: '.json.gz' },
    ],
  );
  assert.equal(ruleMatches(logs, 'ObjectCreated:Put', 'AWSLogs/0/CloudTrail/x.json.gz'), true);
  assert.equal(ruleMatches(logs, 'ObjectCreated:CompleteMultipartUpload', 'AWSLogs/y.json.gz'), true);
  assert.equal(ruleMatches(logs, 'ObjectRemoved:Delete', 'AWSLogs/y.json.gz'), false);
  assert.equal(ruleMatches(logs, 'ObjectCreated:Put', 'other/y.json.gz'), false);
  assert.equal(ruleMatches(logs, 'ObjectCreated:Put', 'AWSLogs/y.json'), false);
  assert.equal(ruleMatches(rule(['s3:ObjectCreated:Copy']), 'ObjectCreated:Put', 'k'), false);
  assert.equal(ruleMatches(rule(['s3:ObjectRemoved:*']), 'ObjectRemoved:Delete', 'k'), true);
  assert.equal(ruleMatches(rule(['s3:ObjectCreated:*'], [{ name: 'Prefix', value: 'a+b%3D' }]), 'ObjectCreated:Put', 'a b=1'), true);
});

test('keys are URL-encoded as S3 event messages carry them', () => {
  assert.equal(encodeEventKey('AWSLogs/000000000000/CloudTrail/us-east-1/f.json.gz'), 'AWSLogs/000000000000/CloudTrail/us-east-1/f.json.gz');
  assert.equal(encodeEventKey('a b/year=2026/ü:x+y'), 'a+b/year%3D2026/%C3%BC%3Ax%2By');
});

test('sequencers are equal-length hex strings that sort in event order', () => {
  assert.equal(sequencer(1), '000000000000000001');
  assert.equal(sequencer(255), '0000000000000000FF');
  assert.ok(sequencer(9) < sequencer(10) && sequencer(255) < sequencer(256));
});

test("an event message has AWS's structure: eventVersion 2.1, size and eTag for created objects only", () => {
  const base = {
    bucket: 'trail-logs',
    region: 'us-east-1',
    accountId: '000000000000',
    key: 'AWSLogs/a b.json.gz',
    time: new Date('2026-12-02T01:02:03.456Z'),
    principalId: 'AWS:AIDAEXAMPLE',
    sourceIp: '10.0.0.1',
    requestId: 'REQ1',
    hostId: 'HOST1',
  };
  const put = JSON.parse(eventMessage({ ...base, eventName: 'ObjectCreated:Put', size: 42, eTag: 'abc' }, 'cfg-1', 7));
  assert.deepEqual(put, {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-12-02T01:02:03.456Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
        requestParameters: { sourceIPAddress: '10.0.0.1' },
        responseElements: { 'x-amz-request-id': 'REQ1', 'x-amz-id-2': 'HOST1' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'cfg-1',
          bucket: { name: 'trail-logs', ownerIdentity: { principalId: ownerPrincipalId('000000000000') }, arn: 'arn:aws:s3:::trail-logs' },
          object: { key: 'AWSLogs/a+b.json.gz', size: 42, eTag: 'abc', sequencer: '000000000000000007' },
        },
      },
    ],
  });
  const del = JSON.parse(eventMessage({ ...base, eventName: 'ObjectRemoved:Delete' }, 'cfg-1', 8));
  assert.deepEqual(del.Records[0].s3.object, { key: 'AWSLogs/a+b.json.gz', sequencer: '000000000000000008' });
  assert.deepEqual(JSON.parse(testEventMessage({ bucket: 'b', time: base.time, requestId: 'R', hostId: 'H' })), {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2026-12-02T01:02:03.456Z',
    Bucket: 'b',
    RequestId: 'R',
    HostId: 'H',
  });
});

test('userIdentity: AWS:<aws:userid> for IAM identities, the owner id for root', () => {
  assert.equal(principalIdOf({ type: 'IAMUser', principalId: 'AIDAX', accountId: '000000000000' }), 'AWS:AIDAX');
  assert.equal(principalIdOf({ type: 'AssumedRole', principalId: 'AROAX:s', accountId: '000000000000' }), 'AWS:AROAX:s');
  assert.equal(principalIdOf({ type: 'Root', principalId: '000000000000', accountId: '000000000000' }), ownerPrincipalId('000000000000'));
  assert.match(ownerPrincipalId('000000000000'), /^A[A-Z0-9]{13}$/);
  assert.notEqual(ownerPrincipalId('000000000000'), ownerPrincipalId('111111111111'));
});
