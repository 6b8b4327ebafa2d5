import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { appendRecords } from './append.ts';
import { storedEvent } from './columns.ts';

const rec = (id: string, name: string, category: 'Management' | 'Data') => {
  const r = {
    eventVersion: '1.11',
    userIdentity: { type: 'Root', accessKeyId: 'AKIA1' },
    eventTime: '2026-11-24T00:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    eventID: id,
    managementEvent: category === 'Management',
    eventCategory: category,
  };
  const e = storedEvent(r, JSON.stringify(r));
  return category === 'Data' ? { ...e, category: 'Data' as const } : e;
};

test('data events are recorded in the record stream but not in Event history; management events are in both', async () => {
  const store = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
  try {
    await appendRecords(store, [rec('m1', 'CreateBucket', 'Management'), rec('d1', 'PutObject', 'Data'), rec('d2', 'GetObject', 'Data')]);
    assert.equal(await store.events.count(), 1);
    assert.equal((await store.events.get('m1'))?.eventName, 'CreateBucket');
    assert.equal(await store.events.get('d1'), undefined);
    const data = await store.dataEvents.list(0, 10);
    assert.deepEqual(
      data.map((d) => JSON.parse(d.json).eventName),
      ['PutObject', 'GetObject'],
    );
    assert.equal(JSON.parse(data[0]!.json).managementEvent, false);
    // one sequence: a trail reads both kinds in the order they were recorded
    assert.deepEqual(
      (await store.trails.readEvents(0, 100, 10)).map((e) => [JSON.parse(e.json).eventID, e.data === true]),
      [
        ['m1', false],
        ['d1', true],
        ['d2', true],
      ],
    );
    assert.equal((await store.events.lookup({ attributes: [{ key: 'EventSource', value: 's3.amazonaws.com' }], limit: 50 })).events.length, 1);
    assert.equal((await store.events.lookup({ attributes: [], limit: 50 })).events.length, 1);
    // retention takes both kinds
    assert.equal(await store.events.purge(new Date('2026-11-25T00:00:00Z')), 3);
    assert.deepEqual(await store.dataEvents.list(0, 10), []);
  } finally {
    await store.close();
  }
});
