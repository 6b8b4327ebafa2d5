/** The lookup columns of a record, for recorded and imported records alike (docs/architecture.md#event-history). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventUsername, parseEventTime, RecordError, storedEvent } from './columns.ts';

test("Username: IAM user name, session name of roles and federated users, root, the service, else the record's userName", () => {
  assert.equal(eventUsername({ type: 'IAMUser', userName: 'Alice' }), 'Alice');
  assert.equal(eventUsername({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/dev/my-session' }), 'my-session');
  assert.equal(eventUsername({ type: 'AssumedRole', principalId: 'AROAX:sess' }), 'sess');
  assert.equal(eventUsername({ type: 'FederatedUser', arn: 'arn:aws:sts::1:federated-user/bob' }), 'bob');
  assert.equal(eventUsername({ type: 'Root', arn: 'arn:aws:iam::1:root' }), 'root');
  assert.equal(eventUsername({ type: 'Root', userName: 'my-alias' }), 'my-alias');
  assert.equal(eventUsername({ type: 'AWSService', invokedBy: 'codestar.amazonaws.com' }), 'codestar.amazonaws.com');
  assert.equal(eventUsername({ type: 'Unknown', userName: 'anyuser' }), 'anyuser');
  assert.equal(eventUsername({ type: 'Unknown', accessKeyId: 'AKIA' }), null);
  assert.equal(eventUsername(undefined), null);
});

test('eventTime: AWS form, and the forms exports write (fraction, space, no zone, offset)', () => {
  assert.deepEqual(parseEventTime('2024-01-15T10:30:00Z'), new Date('2024-01-15T10:30:00Z'));
  assert.deepEqual(parseEventTime('2025-01-21 17:49:47.000000000'), new Date('2025-01-21T17:49:47Z'));
  assert.deepEqual(parseEventTime('2021-10-13 18:35:08'), new Date('2021-10-13T18:35:08Z'));
  assert.deepEqual(parseEventTime('2021-10-13T18:35:08+0200'), new Date('2021-10-13T16:35:08Z'));
  assert.equal(parseEventTime('yesterday'), undefined);
  assert.equal(parseEventTime(1700000000), undefined);
});

test('an imported record: its text kept, columns from its fields, resources with ARN or arn, readOnly as a string too', () => {
  const json =
    '{ "eventVersion":"1.08", "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/r/s","accessKeyId":"ASIAX"}, "eventTime":"2024-05-01T00:00:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"eu-west-1","eventID":"id-1","readOnly":"true","resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:eu-west-1:111122223333:key/k"},{"arn":"arn:x"},{"type":"AWS::S3::Bucket"},{}],"recipientAccountId":"111122223333" }';
  const e = storedEvent(JSON.parse(json), json, { addedAt: new Date('2026-01-01T00:00:00Z'), imported: true });
  assert.deepEqual(e, {
    eventId: 'id-1',
    eventTime: new Date('2024-05-01T00:00:00Z'),
    accountId: '111122223333',
    region: 'eu-west-1',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    readOnly: true,
    username: 's',
    accessKeyId: 'ASIAX',
    resources: [
      { type: 'AWS::KMS::Key', name: 'arn:aws:kms:eu-west-1:111122223333:key/k' },
      { type: null, name: 'arn:x' },
      { type: 'AWS::S3::Bucket', name: null },
    ],
    json,
    addedAt: new Date('2026-01-01T00:00:00Z'),
    imported: true,
  });
});

test('a record without eventID gets a stable id derived from its text; one without a time is refused', () => {
  const json = '{"eventTime":"2024-05-01T00:00:00Z","eventName":"X"}';
  const a = storedEvent(JSON.parse(json), json).eventId;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(storedEvent(JSON.parse(json), json).eventId, a);
  assert.throws(() => storedEvent({ eventName: 'X' }, '{"eventName":"X"}'), RecordError);
});
