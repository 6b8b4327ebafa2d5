/**
 * Trails to CloudWatch Logs (cloudwatch-logs.ts), with a fixed clock and a store in memory: the
 * records a logging trail selects reach `<account>_CloudTrail_<region>` once each, byte for byte,
 * up to and including the session's StopLogging; a missing group or a role CloudTrail may not use
 * commits nothing, shows in the trail's status and is retried once mended.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store, Trail } from '../store/types.ts';
import { ACCOUNT, at, delivery, loggingTrail, MemoryTarget, memoryStore, plus, record } from './testing.ts';

const T0 = at('2026-03-01T10:00:00Z');
const GROUP = 'cloudtrail/main';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`;
const ROLE = 'CloudTrailToLogs';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const SCOPE = { accountId: ACCOUNT, region: 'us-east-1' };
const STREAM = `${ACCOUNT}_CloudTrail_us-east-1`;

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

async function setup(): Promise<{ store: Store; trail: Trail; target: MemoryTarget }> {
  const store = await memoryStore();
  await store.logs.createGroup({
    ...SCOPE,
    name: GROUP,
    createdAt: T0.getTime(),
    logGroupClass: 'STANDARD',
    deletionProtection: false,
    tags: {},
    storedBytes: 0,
    metricFilterCount: 0,
  });
  await store.identities.createRole({
    roleId: 'AROAEXAMPLEROLE000001',
    roleName: ROLE,
    path: '/',
    arn: ROLE_ARN,
    assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    maxSessionDuration: 3600,
    createDate: T0,
    tags: [],
  });
  await store.identities.putInlinePolicy({
    ownerKind: 'role',
    ownerName: ROLE,
    policyName: 'logs',
    document: doc({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:log-stream:${ACCOUNT}_CloudTrail_us-east-1*`,
    }),
  });
  const trail = await loggingTrail(store, T0, { cloudWatchLogsLogGroupArn: GROUP_ARN, cloudWatchLogsRoleArn: ROLE_ARN });
  return { store, trail, target: new MemoryTarget().addBucket('logs') };
}

const logEvents = async (store: Store) =>
  (await store.logs.readStream(SCOPE, GROUP, STREAM, { direction: 'forward', limit: 100 })).map((e) => ({ timestamp: e.timestamp, message: e.message }));

/** A StopLogging record as the API writes it: the trail named in requestParameters. */
const stopLogging = (store: Store, trail: Trail, time: Date, errorCode?: string) =>
  record(store, {
    name: 'StopLogging',
    source: 'cloudtrail.amazonaws.com',
    readOnly: false,
    time,
    requestParameters: { name: trail.name },
    ...(errorCode ? { errorCode } : {}),
  });

test('the records a logging trail selects reach its stream once each, byte for byte, through its StopLogging', async () => {
  const { store, trail, target } = await setup();
  const d = delivery(store, target);
  const a = await record(store, { name: 'ListProjects', time: plus(T0, 1) });
  await record(store, { name: 'ListProjects', region: 'eu-west-1', time: plus(T0, 2) }); // not this single-region trail's
  const b = await record(store, { name: 'CreateProject', readOnly: false, time: plus(T0, 3) });
  await d.tick(plus(T0, 5));
  assert.deepEqual(await logEvents(store), [
    { timestamp: plus(T0, 1).getTime(), message: a },
    { timestamp: plus(T0, 3).getTime(), message: b },
  ]);
  assert.deepEqual((await store.trails.getTrail(trail.id))?.status.latestCloudWatchLogsDeliveryTime, plus(T0, 5));
  await d.tick(plus(T0, 6));
  assert.equal((await logEvents(store)).length, 2, 'nothing twice');

  // a refused StopLogging does not end the session; the successful one is delivered, and then nothing more
  await stopLogging(store, trail, plus(T0, 7), 'AccessDenied');
  const stop = await stopLogging(store, trail, plus(T0, 7));
  await record(store, { name: 'ListProjects', time: plus(T0, 8) });
  await d.tick(plus(T0, 10));
  const all = await logEvents(store);
  assert.equal(all.length, 4);
  assert.equal(all.at(-1)?.message, stop);
  assert.deepEqual(await store.recordConsumers.list('trail-logs:'), [], 'the session is done');
  await record(store, { name: 'ListProjects', time: plus(T0, 11) });
  await d.tick(plus(T0, 12));
  assert.equal((await logEvents(store)).length, 4);
});

test('a missing group or a role CloudTrail may not use commits nothing, shows in the status, and is retried once mended', async () => {
  const { store, trail, target } = await setup();
  const d = delivery(store, target);
  await store.identities.deleteInlinePolicy('role', ROLE, 'logs');
  const json = await record(store, { time: plus(T0, 1) });
  await d.tick(plus(T0, 2));
  const status = async () => (await store.trails.getTrail(trail.id))?.status;
  assert.match((await status())?.latestCloudWatchLogsDeliveryError ?? '', /^Access denied: CloudTrail cannot use role/);
  assert.equal((await status())?.latestCloudWatchLogsDeliveryTime, undefined);
  assert.equal(await store.logs.getStream(SCOPE, GROUP, STREAM), undefined, 'not even the stream');

  // mended: retried after the backoff (1 s after one failure)
  await store.identities.putInlinePolicy({
    ownerKind: 'role',
    ownerName: ROLE,
    policyName: 'logs',
    document: doc({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }),
  });
  await d.tick(plus(T0, 2.5));
  assert.equal((await logEvents(store)).length, 0, 'still backing off');
  await d.tick(plus(T0, 4));
  assert.deepEqual(await logEvents(store), [{ timestamp: plus(T0, 1).getTime(), message: json }]);
  assert.equal((await status())?.latestCloudWatchLogsDeliveryError, undefined);

  await store.logs.deleteGroup(SCOPE, GROUP);
  await record(store, { time: plus(T0, 5) });
  await d.tick(plus(T0, 6));
  assert.equal((await status())?.latestCloudWatchLogsDeliveryError, `The specified log group does not exist: ${GROUP}`);
  assert.equal((await store.recordConsumers.list('trail-logs:')).length, 1, 'kept: the records wait for the group');
});
