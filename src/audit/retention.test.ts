/** 90-day retention of Event history (spec cloudtrail-codestar §c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { storedEvent } from './columns.ts';
import { purgeExpiredEvents, startEventRetention } from './retention.ts';

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-06-01T00:00:00Z');
const at = (ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const rec = (id: string, time: string) => `{"eventID":"${id}","eventTime":"${time}","resources":[{"type":"T","ARN":"arn:${id}"}]}`;

test('records older than 90 days leave history, with their resources; younger ones stay; imported ones count from the import', async () => {
  const s = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
  const add = (json: string, addedAt?: Date) => s.events.append([storedEvent(JSON.parse(json), json, addedAt ? { addedAt, imported: true } : {})]);
  await add(rec('old', at(90 * DAY + 1000)));
  await add(rec('edge', at(90 * DAY)));
  await add(rec('young', at(DAY)));
  await add(rec('imported-old', '2019-01-01T00:00:00Z'), new Date(now.getTime() - 10 * DAY));
  await add(rec('imported-long-ago', '2019-01-02T00:00:00Z'), new Date(now.getTime() - 91 * DAY));
  assert.equal(await purgeExpiredEvents(s, now), 2);
  const left = await s.events.lookup({ attributes: [], limit: 50 });
  assert.deepEqual(left.events.map((e) => e.eventId), ['young', 'edge', 'imported-old']);
  assert.deepEqual((await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'T' }], limit: 50 })).events.map((e) => e.eventId), ['young', 'edge', 'imported-old']);
  assert.equal(await purgeExpiredEvents(s, now), 0);
  await s.close();
});

test('the retention timer purges at once and stops when told', async () => {
  const s = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
  await s.events.append([storedEvent(JSON.parse(rec('old', at(100 * DAY))), rec('old', at(100 * DAY)))]);
  const logs: unknown[] = [];
  const timer = startEventRetention(s, { clock: () => now, intervalMs: 10, log: (msg, f) => logs.push([msg, f]) });
  await new Promise((r) => setTimeout(r, 30));
  timer.stop();
  assert.equal(await s.events.count(), 0);
  assert.deepEqual(logs, [['event history purged', { removed: 1, retentionDays: 90 }]]);
  await s.close();
});
