/**
 * The bus loop's consumer and scheduler (cloudtrail.ts, schedules.ts) on an in-memory store with a
 * fixed clock: records committed after the consumer's start reach the default bus of their Region
 * once; data events only while a logging trail selects them; scheduled rules fire once per time,
 * across two nodes, with the Scheduled Event envelope, and forget their time when disabled.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedEvent } from '../audit/columns.ts';
import { randomIds } from '../ids.ts';
import { openTestStore } from '../store/testing.ts';
import type { Store } from '../store/types.ts';
import { busCloudTrailRecords, ensureCloudTrailConsumer } from './cloudtrail.ts';
import { fireSchedules } from './schedules.ts';
import { createBusLoop } from './loop.ts';
import { ACCOUNT, type FakeBuses, queueArn, REGION, recording, rule, withBuses } from './testing.ts';

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const config = { accountId: ACCOUNT, region: REGION, maxBodyBytes: 1 << 20, publicUrl: 'http://127.0.0.1' };
const env = (now: Date, destinations: ReturnType<typeof recording>) => ({ now, ids: randomIds, config, destinations });

function record(name: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'Root', accountId: ACCOUNT },
    eventTime: '2026-03-01T10:00:00Z',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: name,
    awsRegion: REGION,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: ACCOUNT,
    eventID: randomIds.uuid(),
    ...over,
  };
}
async function append(s: Store, ...records: Record<string, unknown>[]): Promise<string[]> {
  const texts = records.map((r) => JSON.stringify(r));
  await s.events.append(texts.map((t) => storedEvent(JSON.parse(t), t, { imported: false })));
  return texts;
}

test("records after the consumer starts reach their Region's default bus once, detail byte for byte; data events only with a logging trail", async () => {
  const raw = await openTestStore('sqlite');
  try {
    const all = JSON.stringify({ source: ['aws.cloudtrail', 'aws.s3'] });
    const f: FakeBuses = {
      rules: [
        rule('east', { eventPattern: all, targets: [{ id: 't', arn: queueArn('east'), wire: {} }] }),
        rule('west', { region: 'eu-west-1', eventPattern: all, targets: [{ id: 't', arn: queueArn('west'), wire: {} }] }),
      ],
    };
    const s = withBuses(raw, f);
    await append(s, record('Before'));
    await ensureCloudTrailConsumer(s, T0);
    const [stop] = await append(
      s,
      record('StopLogging'),
      record('DeleteTrail', { awsRegion: 'eu-west-1' }),
      record('GetObject', { eventSource: 's3.amazonaws.com', eventCategory: 'Data', managementEvent: false, readOnly: true }),
    );
    const d = recording();
    assert.deepEqual(await busCloudTrailRecords(s, 'n1', env(at(1), d)), { consumed: 3, more: false });
    assert.deepEqual(
      d.messages.map((m) => `${m.queueArn.split(':').pop()}:${JSON.parse(m.body).detail.eventName}`),
      ['east:StopLogging', 'west:DeleteTrail'],
    );
    assert.ok(d.messages[0]?.body.endsWith(`"detail":${stop}}`));
    assert.deepEqual(await busCloudTrailRecords(s, 'n1', env(at(2), d)), { consumed: 0, more: false });
    assert.equal(d.messages.length, 2, 'each record once');
  } finally {
    await raw.close();
  }
});

test('a scheduled rule fires once per time across nodes, with the Scheduled Event envelope; disabled rules forget their time', async () => {
  const raw = await openTestStore('sqlite');
  try {
    const tick = rule('tick', { scheduleExpression: 'rate(5 minutes)', targets: [{ id: 't', arn: queueArn('ticks'), wire: {} }] });
    const f: FakeBuses = { rules: [tick] };
    const s = withBuses(raw, f);
    const d = recording();
    assert.equal(await fireSchedules(s, env(T0, d)), 0, 'first seen: the baseline');
    assert.equal(await fireSchedules(s, env(at(299_999), d)), 0);
    const [n1, n2] = await Promise.all([fireSchedules(s, env(at(300_000), d)), fireSchedules(s, env(at(300_500), d))]);
    assert.equal((n1 ?? 0) + (n2 ?? 0), 1, 'one node fires the time');
    assert.equal(d.messages.length, 1);
    const e = JSON.parse(d.messages[0]?.body ?? '{}');
    assert.equal(e['detail-type'], 'Scheduled Event');
    assert.equal(e.source, 'aws.events');
    assert.deepEqual(e.resources, [tick.arn]);
    assert.deepEqual(e.detail, {});
    assert.equal(e.time, '2026-03-01T10:05:00Z');
    // down for 12 minutes: only the latest missed time fires
    assert.equal(await fireSchedules(s, env(at(300_000 + 12 * 60_000), d)), 1);
    assert.equal(JSON.parse(d.messages[1]?.body ?? '{}').time, '2026-03-01T10:15:00Z');
    tick.state = 'DISABLED';
    assert.equal(await fireSchedules(s, env(at(3_600_000), d)), 0);
    assert.deepEqual(await s.eventDeliveries.firedRules(), []);
    tick.state = 'ENABLED';
    assert.equal(await fireSchedules(s, env(at(3_600_000), d)), 0, 're-enabled: a new baseline, no stale fire');
  } finally {
    await raw.close();
  }
});

test('a cron schedule fires at its minutes', async () => {
  const raw = await openTestStore('sqlite');
  try {
    const f: FakeBuses = { rules: [rule('cron', { scheduleExpression: 'cron(0/15 * * * ? *)', targets: [{ id: 't', arn: queueArn('c'), wire: {} }] })] };
    const s = withBuses(raw, f);
    const d = recording();
    await fireSchedules(s, env(at(60_000), d));
    assert.equal(await fireSchedules(s, env(at(14 * 60_000), d)), 0);
    assert.equal(await fireSchedules(s, env(at(15 * 60_000 + 200), d)), 1);
    assert.equal(JSON.parse(d.messages[0]?.body ?? '{}').time, '2026-03-01T10:15:00Z');
  } finally {
    await raw.close();
  }
});

test('a loop round puts records on the bus, then announces the messages it committed per queue (the long-poll wake-ups)', async () => {
  const raw = await openTestStore('sqlite');
  try {
    const f: FakeBuses = {
      rules: [rule('r', { eventPattern: JSON.stringify({ source: ['aws.cloudtrail'] }), targets: [{ id: 't', arn: queueArn('woken'), wire: {} }] })],
    };
    const s = withBuses(raw, f);
    const d = recording();
    const announced: [string, number][] = [];
    const loop = createBusLoop({
      store: s,
      config,
      ids: randomIds,
      destinations: d,
      clock: () => T0,
      log: () => {},
      owner: 'n1',
      onQueueMessages: (arn, n) => announced.push([arn, n]),
    });
    await ensureCloudTrailConsumer(s, T0);
    await append(s, record('StopLogging'), record('StartLogging'));
    const report = await loop.tick(at(1));
    assert.equal(report.records, 2);
    assert.deepEqual(announced, [[queueArn('woken'), 2]]);
    assert.deepEqual((await loop.tick(at(2))).records, 0);
    assert.equal(announced.length, 1, 'nothing new, nothing announced');
  } finally {
    await raw.close();
  }
});
