import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { appendRecords } from './append.ts';
import { storedEvent } from './columns.ts';

const rec = (id: string, name: string, category: 'Management' | 'Data') => {
  const r = { eventVersion: '1.11', userIdentity: { type: 'Root', accessKeyId: 'AKIA1' }, eventTime: '2026-11-24T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: name, awsRegion: 'us-east-1', eventID: id, managementEvent: category === 'Management', eventCategory: category };
  const e = storedEvent(r, JSON.stringify(r));
  return category === 'Data' ? { ...e, category: 'Data' as const } : e;
};

test('data events are recorded apart from Event history; management events go to history', async () => {
  const store = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
  try {
    await appendRecords(store, [rec('m1', 'CreateBucket', 'Management'), rec('d1', 'PutObject', 'Data'), rec('d2', 'GetObject', 'Data')]);
    assert.equal(await store.events.count(), 1);
    assert.equal((await store.events.get('m1'))?.eventName, 'CreateBucket');
    assert.equal(await store.events.get('d1'), undefined);
    const data = await store.dataEvents.list(0, 10);
    assert.deepEqual(data.map((d) => JSON.parse(d.json).eventName), ['PutObject', 'GetObject']);
    assert.equal(JSON.parse(data[0]!.json).managementEvent, false);
    assert.equal(await store.dataEvents.purge(new Date('2026-11-25T00:00:00Z')), 2);
  } finally {
    await store.close();
  }
});
