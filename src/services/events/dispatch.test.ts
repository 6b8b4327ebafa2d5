/**
 * dispatchEvents (dispatch.ts, deliver-targets.ts, deliver-dlq.ts) on an in-memory store with fixed
 * rules: rule states and read-only management events, the exact envelope to SQS and SNS targets as
 * events.amazonaws.com with the rule as source, Input / InputPath, FIFO group and deduplication ids,
 * missing or refusing targets straight to the DLQ with AWS's attributes, bus-to-bus forwarding with
 * its one-hop guard, API destinations as delivery rows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomIds } from '../../ids.ts';
import type { EventTarget } from '../../store/contracts/event-buses.ts';
import { openTestStore } from '../../store/testing.ts';
import type { Store } from '../../store/types.ts';
import { ACCOUNT, type FakeBuses, queueArn, REGION, recording, rule, withBuses } from '../../bus/testing.ts';
import { type BusEvent, dispatchEvents } from './dispatch.ts';
import { splice } from './envelope.ts';

let base: Store;
before(async () => {
  base = await openTestStore('sqlite');
});
after(() => base.close());

const NOW = new Date('2026-03-01T10:00:00Z');
const config = { accountId: ACCOUNT, region: REGION, maxBodyBytes: 1 << 20, publicUrl: 'http://127.0.0.1' };
const target = (id: string, arn: string, over: Partial<EventTarget> = {}): EventTarget => ({ id, arn, wire: { Id: id, Arn: arn }, ...over });

function event(source: string, detail: unknown, id = 'e1'): { event: BusEvent; json: string } {
  const head = {
    version: '0' as const,
    id,
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: ACCOUNT,
    time: '2026-03-01T10:00:00Z',
    region: REGION,
    resources: [],
  };
  const detailJson = JSON.stringify(detail);
  return { event: { ...head, detail }, json: splice(head, detailJson) };
}

async function run(f: FakeBuses, events: { event: BusEvent; json: string; cloudTrailReadOnly?: boolean }[], refuse?: Parameters<typeof recording>[0]) {
  const destinations = recording(refuse);
  const store = withBuses(base, f);
  await store.transaction((tx) =>
    dispatchEvents(tx, { accountId: ACCOUNT, region: REGION, name: 'default' }, events, { now: NOW, ids: randomIds, config, destinations }),
  );
  return destinations;
}

const ct = JSON.stringify({ source: ['aws.cloudtrail'] });

test('ENABLED rules see all but read-only management events; ENABLED_WITH_ALL… sees those too; DISABLED sees nothing', async () => {
  const f: FakeBuses = {
    rules: [
      rule('on', { eventPattern: ct, targets: [target('t', queueArn('on'))] }),
      rule('all', { eventPattern: ct, state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', targets: [target('t', queueArn('all'))] }),
      rule('off', { eventPattern: ct, state: 'DISABLED', targets: [target('t', queueArn('off'))] }),
      rule('other', { eventPattern: JSON.stringify({ source: ['aws.s3'] }), targets: [target('t', queueArn('other'))] }),
    ],
  };
  const write = event('aws.cloudtrail', { eventName: 'StopLogging' }, 'w');
  const read = { ...event('aws.cloudtrail', { eventName: 'DescribeTrails' }, 'r'), cloudTrailReadOnly: true };
  const d = await run(f, [write, read]);
  assert.deepEqual(
    d.messages.map((m) => `${m.queueArn.split(':').pop()}:${JSON.parse(m.body).id}`),
    ['on:w', 'all:w', 'all:r'],
  );
  const m = d.messages[0];
  assert.equal(m?.body, write.json, 'the envelope byte for byte');
  assert.equal(m?.servicePrincipal, 'events.amazonaws.com');
  assert.equal(m?.sourceArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/on`);
  assert.equal(m?.sourceAccount, ACCOUNT);
  assert.equal(m?.messageGroupId, undefined);
});

test('Input and InputPath shape what the target receives; SNS topics get it as the message', async () => {
  const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`;
  const f: FakeBuses = {
    rules: [
      rule('r', {
        eventPattern: ct,
        targets: [target('a', queueArn('q'), { input: '{"fixed":true}' }), target('b', queueArn('q'), { inputPath: '$.source' }), target('c', topic)],
      }),
    ],
  };
  const e = event('aws.cloudtrail', { eventName: 'StopLogging' });
  const d = await run(f, [e]);
  assert.deepEqual(
    d.messages.map((m) => m.body),
    ['{"fixed":true}', '"aws.cloudtrail"'],
  );
  assert.equal(d.published[0]?.topicArn, topic);
  assert.equal(d.published[0]?.message, e.json);
  assert.equal(d.published[0]?.servicePrincipal, 'events.amazonaws.com');
});

test('FIFO queues: the MessageGroupId of SqsParameters and the event id as deduplication id', async () => {
  const fifo = queueArn('q.fifo');
  const d = await run({ rules: [rule('r', { eventPattern: ct, targets: [target('t', fifo, { sqsMessageGroupId: 'g1' })] })] }, [
    event('aws.cloudtrail', {}, 'ev-9'),
  ]);
  assert.equal(d.messages[0]?.messageGroupId, 'g1');
  assert.equal(d.messages[0]?.messageDeduplicationId, 'ev-9');
});

test('a missing or refusing target is not retried: the event goes to its DLQ with RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE', async () => {
  const dlq = queueArn('dlq');
  const f: FakeBuses = {
    rules: [
      rule('r', {
        eventPattern: ct,
        targets: [
          target('gone', queueArn('gone'), { deadLetterArn: dlq }),
          target('denied', queueArn('denied'), { deadLetterArn: dlq }),
          target('nodlq', queueArn('gone')),
        ],
      }),
    ],
  };
  const e = event('aws.cloudtrail', {});
  const d = await run(f, [e], { missing: [queueArn('gone')], denied: [queueArn('denied')] });
  assert.equal(d.messages.length, 2, 'without a DLQ the event is dropped');
  const [a, b] = d.messages;
  assert.equal(a?.queueArn, dlq);
  assert.equal(a?.body, e.json);
  assert.equal(a?.messageAttributes?.RULE_ARN?.StringValue, `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`);
  assert.equal(a?.messageAttributes?.TARGET_ARN?.StringValue, queueArn('gone'));
  assert.equal(a?.messageAttributes?.ERROR_CODE?.StringValue, 'NO_RESOURCE');
  assert.ok(a?.messageAttributes?.ERROR_MESSAGE?.StringValue);
  assert.equal(a?.messageAttributes?.EXHAUSTED_RETRY_CONDITION, undefined, 'not retried, so not exhausted');
  assert.equal(b?.messageAttributes?.ERROR_CODE?.StringValue, 'NO_PERMISSIONS');
});

test('a bus target forwards the event itself into that bus once; a second hop is refused', async () => {
  const busArn = (n: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${n}`;
  const f: FakeBuses = {
    buses: [`${REGION}/second`, `${REGION}/third`],
    rules: [
      rule('fwd', { eventPattern: ct, targets: [target('b', busArn('second'), { input: '{"ignored":1}' })] }),
      rule('there', {
        busName: 'second',
        eventPattern: ct,
        targets: [target('q', queueArn('q')), target('again', busArn('third'), { deadLetterArn: queueArn('dlq') })],
      }),
      rule('never', { busName: 'third', eventPattern: ct, targets: [target('q', queueArn('never'))] }),
      rule('missing', { eventPattern: ct, targets: [target('m', busArn('nope'), { deadLetterArn: queueArn('dlq') })] }),
    ],
  };
  const e = event('aws.cloudtrail', {});
  const d = await run(f, [e]);
  const to = d.messages.map((m) => `${m.queueArn.split(':').pop()}:${m.messageAttributes?.ERROR_CODE?.StringValue ?? ''}`);
  assert.deepEqual(to.sort(), ['dlq:NO_RESOURCE', 'dlq:THIRD_REGION_HOP_DETECTED', 'q:'].sort());
  assert.equal(d.messages.find((m) => m.queueArn === queueArn('q'))?.body, e.json, 'the event, not the input');
});

test('an API destination target becomes a delivery row with the body it is to receive, due now', async () => {
  const dest = `arn:aws:events:${REGION}:${ACCOUNT}:api-destination/hook/1234`;
  const e = event('aws.cloudtrail', {}, 'ev-api');
  await run({ rules: [rule('r', { eventPattern: ct, targets: [target('h', dest, { inputPath: '$.id' })] })] }, [e]);
  const rows = await base.eventDeliveries.list();
  const row = rows.find((r) => r.eventId === 'ev-api');
  assert.ok(row);
  assert.equal(row.targetArn, dest);
  assert.equal(row.body, '"ev-api"');
  assert.equal(row.attempts, 0);
  assert.equal(row.nextAttemptAt.toISOString(), NOW.toISOString());
  assert.equal(row.eventTime.toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(JSON.parse(row.target).event, e.json);
});
