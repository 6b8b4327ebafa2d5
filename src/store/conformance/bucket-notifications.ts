/**
 * BucketNotificationStore conformance (store/contracts/bucket-notifications.ts): a configuration per
 * (account, bucket), replaced whole, removed by an empty one or by delete; the sequence strictly
 * increases per bucket, survives a replaced configuration, and rolls back with its transaction.
 */
import assert from 'node:assert/strict';
import type { BucketNotificationConfiguration } from '../types.ts';
import { storeTest, T0, type Suite } from './harness.ts';

const ACCOUNT = '000000000000';
const config = (arn: string): BucketNotificationConfiguration => ({
  rules: [{ id: 'r1', kind: 'queue', arn, events: ['s3:ObjectCreated:*'], filter: [{ name: 'Prefix', value: 'AWSLogs/' }] }],
});

export function runBucketNotificationConformance(suite: Suite): void {
  storeTest(suite, 'a configuration is kept per bucket, replaced whole and removed by an empty one', async (s) => {
    assert.equal(await s.bucketNotifications.get(ACCOUNT, 'logs'), undefined);
    await s.bucketNotifications.put(ACCOUNT, 'logs', config('arn:aws:sqs:us-east-1:000000000000:a'), T0);
    await s.bucketNotifications.put(ACCOUNT, 'other', config('arn:aws:sqs:us-east-1:000000000000:b'), T0);
    assert.deepEqual(await s.bucketNotifications.get(ACCOUNT, 'logs'), config('arn:aws:sqs:us-east-1:000000000000:a'));
    await s.bucketNotifications.put(ACCOUNT, 'logs', config('arn:aws:sns:us-east-1:000000000000:t'), T0);
    assert.equal((await s.bucketNotifications.get(ACCOUNT, 'logs'))?.rules[0]?.arn, 'arn:aws:sns:us-east-1:000000000000:t');
    assert.equal(await s.bucketNotifications.get('111111111111', 'logs'), undefined, 'keyed by account');
    await s.bucketNotifications.put(ACCOUNT, 'logs', { rules: [] }, T0);
    assert.equal(await s.bucketNotifications.get(ACCOUNT, 'logs'), undefined);
    await s.bucketNotifications.delete(ACCOUNT, 'other');
    assert.equal(await s.bucketNotifications.get(ACCOUNT, 'other'), undefined);
  });

  storeTest(suite, 'the sequence increases per bucket, survives a new configuration and rolls back with its transaction', async (s) => {
    assert.equal(await s.bucketNotifications.nextSequence(ACCOUNT, 'logs'), undefined, 'no configuration, no sequence');
    await s.bucketNotifications.put(ACCOUNT, 'logs', config('arn:aws:sqs:us-east-1:000000000000:a'), T0);
    await s.bucketNotifications.put(ACCOUNT, 'other', config('arn:aws:sqs:us-east-1:000000000000:a'), T0);
    assert.equal(await s.bucketNotifications.nextSequence(ACCOUNT, 'logs'), 1);
    assert.equal(await s.bucketNotifications.nextSequence(ACCOUNT, 'logs'), 2);
    assert.equal(await s.bucketNotifications.nextSequence(ACCOUNT, 'other'), 1);
    await s.bucketNotifications.put(ACCOUNT, 'logs', config('arn:aws:sqs:us-east-1:000000000000:c'), T0);
    assert.equal(await s.bucketNotifications.nextSequence(ACCOUNT, 'logs'), 3);
    await assert.rejects(
      s.transaction(async (tx) => {
        assert.equal(await tx.bucketNotifications.nextSequence(ACCOUNT, 'logs'), 4);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.bucketNotifications.nextSequence(ACCOUNT, 'logs'), 4);
  });
}
