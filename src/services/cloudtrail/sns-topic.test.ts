/**
 * A trail's SNS topic (docs/notifications.md): CreateTrail/UpdateTrail take a name or an ARN, check
 * that the topic exists and lets cloudtrail.amazonaws.com publish for this trail
 * (InsufficientSnsTopicPolicyException otherwise, with AWS's message), keep the ARN, show it in the
 * trail shapes, and clear it with an empty string.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { ACCOUNT, MemoryDestinations, MemoryTarget, memoryStore } from '../../delivery/testing.ts';
import type { AwsError } from '../../errors/aws-error.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { handlers } from './handlers.ts';
import type { Input, OperationName, Operations as Ops } from './model.generated.ts';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:trail-files`;
const CLOSED = `arn:aws:sns:us-east-1:${ACCOUNT}:closed`;

async function setup() {
  const store = await memoryStore();
  const dest = new MemoryDestinations().addTopic(TOPIC).addTopic(CLOSED, false);
  const target = new MemoryTarget().addBucket('logs');
  const ops: OperationDefs<Ops> = handlers({ target: () => target, destinations: dest });
  const call = async <O extends OperationName>(op: O, input: object): Promise<any> => {
    const ctx = { store, region: 'us-east-1', accountId: ACCOUNT, now: new Date(), requestId: randomUUID() } as unknown as OperationContext;
    return store.transaction((tx) => ops[op].handler(input as Input<O>, { ...ctx, store: tx }));
  };
  const failure = (op: OperationName, input: object) =>
    call(op, input).then(
      () => 'ok',
      (e: AwsError) => `${e.code}: ${e.message}`,
    );
  return { store, dest, call, failure };
}

test('CreateTrail checks the topic by name or ARN and keeps its ARN', async () => {
  const { store, dest, call, failure } = await setup();
  const refused = 'InsufficientSnsTopicPolicyException: SNS Topic does not exist or the topic policy is incorrect!';
  assert.equal(await failure('CreateTrail', { Name: 'alpha', S3BucketName: 'logs', SnsTopicName: 'missing' }), refused);
  assert.equal(await failure('CreateTrail', { Name: 'alpha', S3BucketName: 'logs', SnsTopicName: 'closed' }), refused);
  assert.deepEqual(await store.trails.listTrails(), [], 'nothing created');
  const created = await call('CreateTrail', { Name: 'alpha', S3BucketName: 'logs', SnsTopicName: 'trail-files' });
  assert.equal(created.SnsTopicName, 'trail-files');
  assert.equal(created.SnsTopicARN, TOPIC);
  assert.deepEqual(dest.checks.at(-1), ['cloudtrail.amazonaws.com', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/alpha`, ACCOUNT]);
  const byArn = await call('CreateTrail', { Name: 'beta', S3BucketName: 'logs', SnsTopicName: TOPIC });
  assert.equal(byArn.SnsTopicARN, TOPIC);
  const shape = (await call('GetTrail', { Name: 'beta' })).Trail;
  assert.equal(shape.SnsTopicName, 'trail-files');
  assert.equal(shape.SnsTopicARN, TOPIC);
  await store.close();
});

test('UpdateTrail sets, refuses and clears the topic', async () => {
  const { store, call, failure } = await setup();
  await call('CreateTrail', { Name: 'alpha', S3BucketName: 'logs' });
  assert.match(await failure('UpdateTrail', { Name: 'alpha', SnsTopicName: CLOSED }), /^InsufficientSnsTopicPolicyException/);
  assert.equal((await call('GetTrail', { Name: 'alpha' })).Trail.SnsTopicARN, undefined);
  assert.equal((await call('UpdateTrail', { Name: 'alpha', SnsTopicName: 'trail-files' })).SnsTopicARN, TOPIC);
  assert.equal((await call('GetTrail', { Name: 'alpha' })).Trail.SnsTopicARN, TOPIC);
  const cleared = await call('UpdateTrail', { Name: 'alpha', SnsTopicName: '' });
  assert.equal(cleared.SnsTopicARN, undefined);
  assert.equal(cleared.SnsTopicName, undefined);
  assert.equal((await call('GetTrail', { Name: 'alpha' })).Trail.SnsTopicName, undefined);
  const status = await call('GetTrailStatus', { Name: 'alpha' });
  assert.equal(status.LatestNotificationAttemptTime, '');
  assert.equal(status.LatestNotificationAttemptSucceeded, '');
  assert.equal(status.LatestNotificationError, undefined);
  await store.close();
});
