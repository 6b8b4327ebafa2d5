/** KyselyEventStore: idempotent appends by content, reused eventIDs, atomic appends (spec cloudtrail-codestar §c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../audit/columns.ts';
import { SecretBox } from './secret-box.ts';
import { openSqliteStore } from './sqlite/open.ts';

const open = () => openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
const ev = (json: string) => storedEvent(JSON.parse(json), json);

test('the same record twice, however formatted, is stored once; its first text is kept', async () => {
  const s = await open();
  const compact = '{"eventID":"e-1","eventTime":"2026-01-01T00:00:00Z","eventName":"X","a":[1,{"b":2}]}';
  const spaced = '{ "eventName": "X", "eventID": "e-1",\n  "a": [1, {"b": 2}], "eventTime": "2026-01-01T00:00:00Z" }';
  assert.equal(await s.events.append([ev(compact)]), 1);
  assert.equal(await s.events.append([ev(spaced), ev(compact)]), 0);
  assert.equal(await s.events.count(), 1);
  assert.equal((await s.events.get('e-1'))?.json, compact);
  await s.close();
});

test('a different record reusing an eventID (documentation placeholders do) is kept; both are found by it', async () => {
  const s = await open();
  const a = '{"eventID":"EXAMPLE","eventTime":"2026-01-01T00:00:00Z","eventName":"A"}';
  const b = '{"eventID":"EXAMPLE","eventTime":"2026-01-02T00:00:00Z","eventName":"B"}';
  assert.equal(await s.events.append([ev(a), ev(b)]), 2);
  const page = await s.events.lookup({ attributes: [{ key: 'EventId', value: 'EXAMPLE' }], limit: 50 });
  assert.deepEqual(page.events.map((e) => e.json), [b, a]);
  await s.close();
});

test('an append is atomic: a failing record leaves none of its batch behind', async () => {
  const s = await open();
  const good = ev('{"eventID":"ok","eventTime":"2026-01-01T00:00:00Z"}');
  const bad = { ...ev('{"eventID":"bad","eventTime":"2026-01-01T00:00:00Z"}'), json: 'not json' };
  await assert.rejects(s.events.append([good, bad]));
  assert.equal(await s.events.count(), 0);
  await s.close();
});
