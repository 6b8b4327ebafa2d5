/** deliverServiceMessage / queueAllowsService (deliver.ts) on both backends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomIds } from '../../ids.ts';
import { BACKENDS, openTestStore } from '../../store/testing.ts';
import type { Queue, Store } from '../../store/types.ts';
import { deliverServiceMessage, queueAllowsService, type ServiceMessage } from './deliver.ts';
import { md5OfAttributes } from './md5.ts';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-01-01T00:00:00Z');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';
const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

const policy = (name: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arn(name),
        Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
      },
    ],
  });

function queue(name: string, attributes: Record<string, string> = {}): Queue {
  return { accountId: ACCOUNT, name, arn: arn(name), fifo: name.endsWith('.fifo'), attributes, tags: {}, createdAt: NOW, modifiedAt: NOW };
}

const msg = (name: string, extra: Partial<ServiceMessage> = {}): ServiceMessage => ({
  queueArn: arn(name),
  body: 'hello',
  senderId: 'AIDAIT2UOQQY3AUEKVGXU',
  servicePrincipal: 'sns.amazonaws.com',
  sourceArn: TOPIC,
  sourceAccount: ACCOUNT,
  ...extra,
});

async function withStore(backend: (typeof BACKENDS)[number], fn: (s: Store) => Promise<void>) {
  const s = await openTestStore(backend, { schemaPrefix: 'sqsdeliver' });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

for (const backend of BACKENDS) {
  test(`${backend}: a service message reaches a queue whose policy allows the service, with its attributes and MD5`, () =>
    withStore(backend, async (s) => {
      await s.queues.createQueue(queue('q', { Policy: policy('q') }));
      const attrs = { kind: { DataType: 'String', StringValue: 'alert' } };
      const r = await deliverServiceMessage(s, msg('q', { messageAttributes: attrs }), NOW, randomIds);
      assert.equal(r.ok, true);
      const [m] = await s.queues.claim(ACCOUNT, 'q', { now: NOW, max: 10, fifo: false });
      assert.equal(m?.body, 'hello');
      assert.equal(m?.messageId, r.ok ? r.messageId : '');
      assert.equal(m?.md5OfMessageAttributes, md5OfAttributes(attrs));
      assert.equal(JSON.parse(m!.systemAttributes).SenderId, 'AIDAIT2UOQQY3AUEKVGXU');
      assert.equal(await queueAllowsService(s, arn('q'), 'sns.amazonaws.com', TOPIC, ACCOUNT), 'allowed');
    }));

  test(`${backend}: refused deliveries store nothing: no queue, no policy, another source, a FIFO message without a group`, () =>
    withStore(backend, async (s) => {
      await s.queues.createQueue(queue('open', { Policy: policy('open') }));
      await s.queues.createQueue(queue('closed'));
      await s.queues.createQueue(queue('f.fifo', { Policy: policy('f.fifo'), ContentBasedDeduplication: 'true' }));
      assert.deepEqual(await deliverServiceMessage(s, msg('missing'), NOW, randomIds), { ok: false, reason: 'no-such-queue' });
      assert.deepEqual(await deliverServiceMessage(s, msg('closed'), NOW, randomIds), { ok: false, reason: 'policy-denied' });
      const other = { sourceArn: 'arn:aws:sns:us-east-1:123456789012:other' };
      assert.deepEqual(await deliverServiceMessage(s, msg('open', other), NOW, randomIds), { ok: false, reason: 'policy-denied' });
      assert.deepEqual(await deliverServiceMessage(s, msg('open', { servicePrincipal: 's3.amazonaws.com' }), NOW, randomIds), {
        ok: false,
        reason: 'policy-denied',
      });
      assert.deepEqual(await deliverServiceMessage(s, msg('f.fifo'), NOW, randomIds), { ok: false, reason: 'invalid' });
      assert.equal(await queueAllowsService(s, arn('closed'), 'sns.amazonaws.com', TOPIC, ACCOUNT), 'denied');
      assert.equal(await queueAllowsService(s, arn('missing'), 'sns.amazonaws.com', TOPIC, ACCOUNT), 'no-such-queue');
      for (const name of ['open', 'closed', 'f.fifo']) assert.deepEqual(await s.queues.counts(ACCOUNT, name, NOW), { visible: 0, inFlight: 0, delayed: 0 });
    }));

  test(`${backend}: a delivery commits with the caller's transaction or not at all; FIFO deduplicates`, () =>
    withStore(backend, async (s) => {
      await s.queues.createQueue(queue('q', { Policy: policy('q') }));
      await s.queues.createQueue(queue('f.fifo', { Policy: policy('f.fifo') }));
      await assert.rejects(
        s.transaction(async (tx) => {
          assert.equal((await deliverServiceMessage(tx, msg('q'), NOW, randomIds)).ok, true);
          throw new Error('caller failed');
        }),
        /caller failed/,
      );
      assert.equal((await s.queues.counts(ACCOUNT, 'q', NOW)).visible, 0);
      const fifo = { messageGroupId: 'g', messageDeduplicationId: 'd1' };
      const a = await deliverServiceMessage(s, msg('f.fifo', fifo), NOW, randomIds);
      const b = await deliverServiceMessage(s, msg('f.fifo', { ...fifo, body: 'again' }), NOW, randomIds);
      assert.ok(a.ok && b.ok);
      assert.equal(a.messageId, b.messageId, 'the duplicate answers with the first message id');
      assert.equal((await s.queues.counts(ACCOUNT, 'f.fifo', NOW)).visible, 1);
    }));
}
