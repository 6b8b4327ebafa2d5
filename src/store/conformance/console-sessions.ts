/**
 * ConsoleSessionStore conformance (web console sign-in sessions, contracts/console-sessions.ts): records come back as stored, lastSeenAt only moves forward, ended sessions are
 * swept in batches by both rules (absolute and idle), the oldest give way first.
 */
import assert from 'node:assert/strict';
import type { ConsoleSessionRecord } from '../types.ts';
import { storeTest, type Suite } from './harness.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function record(n: number, over: Partial<ConsoleSessionRecord> = {}): ConsoleSessionRecord {
  return {
    idHash: n.toString(16).padStart(64, '0'),
    csrf: `csrf-${n}`,
    credentials: { accessKeyId: `ASIA${n}`, secretAccessKey: `secret/${n}+key`, sessionToken: `token-${n}` },
    identity: { arn: `arn:aws:iam::000000000000:user/u${n}`, accountId: '000000000000', userId: `AIDA${n}`, type: 'IAMUser', userName: `u${n}` },
    createdAt: T0,
    expiresAt: T0 + 3_600_000,
    lastSeenAt: T0,
    ...over,
  };
}

export function runConsoleSessionConformance(suite: Suite): void {
  const withStore = (title: string, fn: Parameters<typeof storeTest>[2]) => storeTest(suite, title, fn);

  withStore('a session comes back as stored, found by its id hash only', async (s) => {
    const a = record(1);
    const b = record(2, {
      credentials: { accessKeyId: 'AKIAROOT', secretAccessKey: 'no-token' },
      identity: { arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', userId: '000000000000', type: 'Root', userName: 'root' },
    });
    await s.consoleSessions.put(a);
    await s.consoleSessions.put(b);
    assert.deepEqual(await s.consoleSessions.get(a.idHash), a);
    const got = await s.consoleSessions.get(b.idHash);
    assert.deepEqual(got, b);
    assert.equal('sessionToken' in got!.credentials, false, 'no token stays no token');
    assert.equal(await s.consoleSessions.get(record(3).idHash), undefined);
    await assert.rejects(s.consoleSessions.put({ ...a, csrf: 'other' }), 'an id hash is stored once');
    assert.equal((await s.consoleSessions.get(a.idHash))?.csrf, 'csrf-1');
    assert.equal(await s.consoleSessions.count(), 2);
  });

  withStore('touch moves lastSeenAt forward, never back; delete forgets one session', async (s) => {
    await s.consoleSessions.put(record(1));
    await s.consoleSessions.put(record(2));
    await s.consoleSessions.touch(record(1).idHash, T0 + 90_000);
    assert.equal((await s.consoleSessions.get(record(1).idHash))?.lastSeenAt, T0 + 90_000);
    await s.consoleSessions.touch(record(1).idHash, T0 + 30_000);
    assert.equal((await s.consoleSessions.get(record(1).idHash))?.lastSeenAt, T0 + 90_000, 'an older write loses');
    assert.equal((await s.consoleSessions.get(record(2).idHash))?.lastSeenAt, T0, 'only the touched session moved');
    await s.consoleSessions.delete(record(1).idHash);
    await s.consoleSessions.delete(record(9).idHash);
    assert.equal(await s.consoleSessions.get(record(1).idHash), undefined);
    assert.equal((await s.consoleSessions.get(record(2).idHash))?.idHash, record(2).idHash);
    assert.equal(await s.consoleSessions.count(), 1);
  });

  withStore('deleteEnded removes sessions past their end or idle, at most `limit` at a time', async (s) => {
    const now = T0 + 600_000;
    const idleSince = now - 300_000;
    const rows = [
      record(1, { expiresAt: now }), // absolute end reached
      record(2, { expiresAt: now - 1 }),
      record(3, { lastSeenAt: idleSince }), // idle exactly the idle time
      record(4, { expiresAt: now + 1, lastSeenAt: idleSince + 1 }), // live, barely
      record(5, { lastSeenAt: now }), // live
    ];
    for (const r of rows) await s.consoleSessions.put(r);
    assert.equal(await s.consoleSessions.deleteEnded(now, idleSince, 2), 2);
    assert.equal(await s.consoleSessions.count(), 3);
    assert.equal(await s.consoleSessions.deleteEnded(now, idleSince, 100), 1);
    assert.equal(await s.consoleSessions.deleteEnded(now, idleSince, 100), 0);
    const left = [];
    for (const r of rows) if (await s.consoleSessions.get(r.idHash)) left.push(r.credentials.accessKeyId);
    assert.deepEqual(left, ['ASIA4', 'ASIA5']);
  });

  withStore('deleteOldest removes the sessions created first', async (s) => {
    // creation order, not createdAt, decides: two nodes' clocks may disagree
    for (const n of [1, 2, 3, 4]) await s.consoleSessions.put(record(n, { createdAt: T0 - n }));
    assert.equal(await s.consoleSessions.deleteOldest(0), 0);
    assert.equal(await s.consoleSessions.deleteOldest(2), 2);
    const left = [];
    for (const n of [1, 2, 3, 4]) if (await s.consoleSessions.get(record(n).idHash)) left.push(n);
    assert.deepEqual(left, [3, 4]);
    assert.equal(await s.consoleSessions.deleteOldest(5), 2);
    assert.equal(await s.consoleSessions.count(), 0);
  });
}
