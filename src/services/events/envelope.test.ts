/**
 * CloudTrail records as EventBridge events (envelope.ts), from real and documented records: the
 * envelope's members and order, detail-type by eventType, source from eventSource, account and
 * Region from the record, and `detail` the record's text byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RECORDS_FILE } from '../../reference-data.ts';
import { cloudTrailEvent, scheduledEvent } from './envelope.ts';

const lines = readFileSync(RECORDS_FILE, 'utf8').split('\n').filter(Boolean);
/** The record members the tests pick reference records (src/reference-data.ts) by. */
interface RecordFields {
  eventName?: string;
  eventSource?: string;
  eventType?: string;
  eventCategory?: string;
  awsRegion?: string;
  recipientAccountId?: string;
  readOnly?: boolean;
  managementEvent?: boolean;
  userIdentity?: { accountId?: string };
}
const find = (pred: (r: RecordFields) => unknown): string => {
  const line = lines.find((l) => pred(JSON.parse(l)));
  assert.ok(line, 'a reference record of that kind');
  return line;
};

test('an API call: "AWS API Call via CloudTrail", aws.<service>, the record spliced in byte for byte', () => {
  const line = find((r) => r.eventName === 'StopLogging' && r.eventSource === 'cloudtrail.amazonaws.com');
  const rec = JSON.parse(line);
  const e = cloudTrailEvent(line, 'id-1');
  assert.ok(e);
  assert.deepEqual(Object.keys(JSON.parse(e.json)), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(
    e.json,
    `{"version":"0","id":"id-1","detail-type":"AWS API Call via CloudTrail","source":"aws.cloudtrail","account":"${rec.recipientAccountId}","time":"${rec.eventTime}","region":"${rec.awsRegion}","resources":[],"detail":${line}}`,
  );
  assert.deepEqual(e.event.detail, rec);
  assert.equal(e.region, rec.awsRegion);
  assert.equal(e.cloudTrailReadOnly, false);
  assert.equal(e.data, false);
});

test('a console sign-in: "AWS Console Sign In via CloudTrail", aws.signin, the account from userIdentity when the record has no recipient', () => {
  const line = find((r) => r.eventType === 'AwsConsoleSignIn' && r.recipientAccountId === undefined && r.userIdentity?.accountId !== undefined);
  const rec = JSON.parse(line);
  const e = cloudTrailEvent(line, 'id-2');
  assert.equal(e?.event['detail-type'], 'AWS Console Sign In via CloudTrail');
  assert.equal(e?.event.source, 'aws.signin');
  assert.equal(e?.event.account, rec.userIdentity.accountId);
  assert.ok(e?.json.endsWith(`"detail":${line}}`));
});

test('service events, read-only management events and data events are told apart', () => {
  const service = cloudTrailEvent(
    find((r) => r.eventType === 'AwsServiceEvent' && r.awsRegion && r.recipientAccountId),
    'a',
  );
  assert.equal(service?.event['detail-type'], 'AWS Service Event via CloudTrail');
  const read = cloudTrailEvent(
    find((r) => r.eventType === 'AwsApiCall' && r.readOnly === true && r.managementEvent === true && r.recipientAccountId),
    'b',
  );
  assert.equal(read?.cloudTrailReadOnly, true);
  const data = cloudTrailEvent(
    find((r) => r.eventCategory === 'Data' && r.recipientAccountId && r.awsRegion),
    'c',
  );
  assert.equal(data?.data, true);
  assert.equal(data?.cloudTrailReadOnly, false, 'ENABLED rules see read-only data events');
  assert.equal(data?.event['detail-type'], 'AWS API Call via CloudTrail');
});

test('records EventBridge never gets: network activity, no Region or account, not JSON', () => {
  assert.equal(
    cloudTrailEvent(
      find((r) => r.eventType === 'AwsVpceEvent'),
      'x',
    ),
    undefined,
  );
  assert.equal(cloudTrailEvent('{"eventType":"AwsApiCall","eventSource":"s3.amazonaws.com","eventTime":"2026-01-01T00:00:00Z"}', 'x'), undefined);
  assert.equal(cloudTrailEvent('not json', 'x'), undefined);
  assert.equal(cloudTrailEvent('[1]', 'x'), undefined);
});

test('a Scheduled Event: aws.events, the rule as its resource, detail {}, time to the second', () => {
  const arn = 'arn:aws:events:us-east-1:000000000000:rule/tick';
  const e = scheduledEvent('id', '000000000000', 'us-east-1', arn, new Date('2026-03-01T10:05:00.000Z'));
  assert.equal(
    e.json,
    `{"version":"0","id":"id","detail-type":"Scheduled Event","source":"aws.events","account":"000000000000","time":"2026-03-01T10:05:00Z","region":"us-east-1","resources":["${arn}"],"detail":{}}`,
  );
  assert.deepEqual(JSON.parse(e.json), e.event);
});
