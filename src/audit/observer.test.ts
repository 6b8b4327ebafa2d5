/** observe(): one record per outcome, with the services' real models (docs/architecture.md#audit; https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../auth/principal.ts';
import { AwsError } from '../errors/aws-error.ts';
import { cloudtrail } from '../services/cloudtrail/index.ts';
import { sts } from '../services/sts/index.ts';
import type { OperationContext } from '../services/types.ts';
import { observe, observeAll, type ObservedCall } from './observer.ts';

const ACCT = '000000000000';
const alice: Principal = {
  type: 'IAMUser',
  accountId: ACCT,
  arn: `arn:aws:iam::${ACCT}:user/alice`,
  principalId: 'AIDAALICEALICEALICE12',
  accessKeyId: 'AKIAALICEALICEALICE2',
  userName: 'alice',
  displayName: 'alice',
};
const ctx = { accountId: ACCT } as OperationContext;
const roleArn = `arn:aws:iam::${ACCT}:role/dev`;

function call(over: Partial<ObservedCall>): ObservedCall {
  return {
    requestId: 'req-1',
    eventId: 'evt-1',
    time: new Date('2026-02-03T04:05:06.789Z'),
    region: 'us-east-1',
    accountId: ACCT,
    sourceIp: '127.0.0.1',
    userAgent: 'aws-sdk-js/3.1172.0',
    service: sts,
    operation: 'GetCallerIdentity',
    op: sts.operations.GetCallerIdentity,
    principal: alice,
    input: {},
    ...over,
  };
}
const record = (c: ObservedCall) => JSON.parse(observe(c).json);

test('GetCallerIdentity: read-only, no parameters and no response elements; the stored columns come from the record', () => {
  const e = observe(call({ output: { UserId: 'AIDAALICEALICEALICE12', Account: ACCT, Arn: alice.arn }, ctx }));
  const r = JSON.parse(e.json);
  assert.deepEqual([r.requestParameters, r.responseElements, r.readOnly, r.eventSource, r.awsRegion], [null, null, true, 'sts.amazonaws.com', 'us-east-1']);
  assert.deepEqual(
    { ...e, json: undefined },
    {
      eventId: 'evt-1',
      eventTime: new Date('2026-02-03T04:05:06Z'),
      accountId: ACCT,
      region: 'us-east-1',
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      readOnly: true,
      username: 'alice',
      accessKeyId: 'AKIAALICEALICEALICE2',
      resources: [],
      json: undefined,
      addedAt: new Date('2026-02-03T04:05:06Z'),
      imported: false,
    },
  );
});

test('AssumeRole: read-only, yet records the credentials it issued (never the secret) and names the role as its resource', () => {
  const output = {
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE22',
      SecretAccessKey: 'x'.repeat(40),
      SessionToken: 'IQoJtoken',
      Expiration: new Date('2026-02-03T05:05:06Z'),
    },
    AssumedRoleUser: { AssumedRoleId: 'AROADEV:s1', Arn: `arn:aws:sts::${ACCT}:assumed-role/dev/s1` },
  };
  const e = observe(
    call({ operation: 'AssumeRole', op: sts.operations.AssumeRole, input: { RoleArn: roleArn, RoleSessionName: 's1', DurationSeconds: 900 }, output, ctx }),
  );
  const r = JSON.parse(e.json);
  assert.deepEqual(r.requestParameters, { roleArn, roleSessionName: 's1', durationSeconds: 900 });
  assert.equal(
    JSON.stringify(r.responseElements),
    JSON.stringify({
      credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE22', sessionToken: 'IQoJtoken', expiration: 'Feb 3, 2026, 5:05:06 AM' },
      assumedRoleUser: { assumedRoleId: 'AROADEV:s1', arn: `arn:aws:sts::${ACCT}:assumed-role/dev/s1` },
    }),
  );
  assert.equal(e.json.includes('x'.repeat(40)), false);
  assert.equal(r.readOnly, true);
  assert.deepEqual(r.resources, [{ accountId: ACCT, type: 'AWS::IAM::Role', ARN: roleArn }]);
  assert.deepEqual(e.resources, [{ type: 'AWS::IAM::Role', name: roleArn }]);
});

test('a denied call: errorCode AccessDenied (whatever the wire code), parameters null, no resources', () => {
  const msg = `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
  const r = record(
    call({
      operation: 'AssumeRole',
      op: sts.operations.AssumeRole,
      input: { RoleArn: roleArn, RoleSessionName: 's1' },
      error: new AwsError('AccessDenied', msg, 403),
    }),
  );
  assert.deepEqual(
    [r.errorCode, r.errorMessage, r.requestParameters, r.responseElements, r.readOnly, 'resources' in r],
    ['AccessDenied', msg, null, null, true, false],
  );
  const json = record(
    call({
      service: cloudtrail,
      operation: 'LookupEvents',
      op: cloudtrail.operations.LookupEvents,
      input: { MaxResults: 5 },
      error: new AwsError('AccessDeniedException', 'User: … is not authorized', 400),
    }),
  );
  assert.deepEqual([json.errorCode, json.requestParameters, json.eventSource], ['AccessDenied', null, 'cloudtrail.amazonaws.com']);
});

test('a validation error keeps the parameters that were sent', () => {
  const r = record(
    call({
      service: cloudtrail,
      operation: 'LookupEvents',
      op: cloudtrail.operations.LookupEvents,
      input: { MaxResults: 51, StartTime: new Date('2026-01-01T00:00:00Z') },
      error: new AwsError('InvalidMaxResultsException', 'bad', 400),
    }),
  );
  assert.equal(JSON.stringify(r.requestParameters), JSON.stringify({ startTime: 'Jan 1, 2026, 12:00:00 AM', maxResults: 51 }));
  assert.deepEqual([r.errorCode, r.errorMessage, r.responseElements, r.readOnly], ['InvalidMaxResultsException', 'bad', null, true]);
});

test('an unknown operation of a known service: recorded under its name, without readOnly', () => {
  const r = record(
    call({
      operation: 'GetNothing',
      op: undefined,
      input: undefined,
      error: new AwsError('InvalidAction', 'Could not find operation GetNothing for version', 400),
    }),
  );
  assert.deepEqual([r.eventName, r.readOnly, r.requestParameters, r.errorCode], ['GetNothing', undefined, null, 'InvalidAction']);
});

test('a bad signature: Unknown identity with the claimed key, found by that key', () => {
  const e = observe(
    call({
      principal: undefined,
      claimedAccessKeyId: 'AKIACLAIMEDCLAIMED22',
      input: undefined,
      error: new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match', 403),
    }),
  );
  assert.deepEqual(JSON.parse(e.json).userIdentity, { type: 'Unknown', accessKeyId: 'AKIACLAIMEDCLAIMED22' });
  assert.deepEqual([e.accessKeyId, e.username], ['AKIACLAIMEDCLAIMED22', null]);
});

test('observeAll: a call on another account’s resource is recorded for both, one sharedEventID, own eventIDs and recipients', () => {
  const other = '210987654321';
  const ids = ['shared-1', 'copy-1'];
  const input = { RoleArn: `arn:aws:iam::${other}:role/dev`, RoleSessionName: 's' };
  const c = call({ operation: 'AssumeRole', op: sts.operations.AssumeRole, input, ctx, error: new AwsError('AccessDenied', 'no', 403) });
  const [own, copy, ...rest] = observeAll(c, [other, other, ACCT], () => ids.shift() ?? 'none');
  assert.equal(rest.length, 0);
  const [a, b] = [JSON.parse(own!.json), JSON.parse(copy!.json)];
  assert.deepEqual([a.eventID, a.recipientAccountId, a.sharedEventID, own!.accountId], ['evt-1', ACCT, 'shared-1', ACCT]);
  assert.deepEqual([b.eventID, b.recipientAccountId, b.sharedEventID, copy!.accountId, copy!.eventId], ['copy-1', other, 'shared-1', other, 'copy-1']);
  // STS's copy in the role's account names the caller by its account
  assert.deepEqual(b.userIdentity, { type: 'AWSAccount', principalId: alice.principalId, accountId: ACCT });
  assert.deepEqual([a.userIdentity.type, b.errorCode, b.requestID], ['IAMUser', 'AccessDenied', 'req-1']);
  // no other account: observe's record, without sharedEventID
  const [only, ...none] = observeAll(call({ output: {}, ctx }), [ACCT], () => 'x');
  assert.equal(none.length, 0);
  assert.equal(only!.json, observe(call({ output: {}, ctx })).json);
});
