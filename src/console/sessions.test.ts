/**
 * Console sessions: idle and absolute expiry, the credentials' own end, the once-a-minute idle clock,
 * the sweep and the session limit, CSRF comparison, cookie form; kept in the Store (SQLite here, and
 * the in-process fallback), shared by two nodes, and at rest on SQLite and PostgreSQL without the
 * cookie id or any secret in clear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { csrfMatches, LAST_SEEN_RESOLUTION_MS, readCookie, sessionCookie, sessionIdHash, SessionStore } from './sessions.ts';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { dropSchema, openPostgresStore } from '../store/postgres/open.ts';
import { TEST_DATABASE_URL, testSchema } from '../store/testing.ts';
import type { ConsoleSessionRecord, ConsoleSessionStore } from '../store/types.ts';

const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCONSOLE', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
const identity = { arn: 'arn:aws:iam::000000000000:user/anna', accountId: '000000000000', userId: 'AIDAEXAMPLE', type: 'IAMUser', userName: 'anna' };
const MIN = 60_000;
const HOUR = 60 * MIN;

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const backends: [string, () => Promise<{ db: ConsoleSessionStore; close(): Promise<void> }>][] = [
  [
    'sqlite',
    async () => {
      const s = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
      return { db: s.consoleSessions, close: () => s.close() };
    },
  ],
  ['in-process', async () => ({ db: new MemoryConsoleSessionStore(), close: async () => {} })],
];

for (const [backend, open] of backends) {
  const withDb = (title: string, fn: (db: ConsoleSessionStore) => Promise<void>) =>
    test(`${backend}: ${title}`, async () => {
      const b = await open();
      try {
        await fn(b.db);
      } finally {
        await b.close();
      }
    });

  withDb('a session ends after the idle time without use, and is kept alive by use', async (db) => {
    const c = clock();
    const store = new SessionStore(db, { idleMs: 10 * MIN, maxMs: 12 * HOUR, maxSessions: 10 }, c.now);
    const s = await store.create(creds, identity, c.now() + 24 * HOUR);
    c.advance(9 * MIN);
    const used = await store.touch(s.id);
    assert.deepEqual({ ...used, lastSeenAt: 0 }, { ...s, lastSeenAt: 0 }, 'the same session, all of it');
    assert.equal(used!.lastSeenAt, c.now());
    c.advance(9 * MIN);
    assert.equal((await store.touch(s.id))?.id, s.id, 'use restarted the idle clock');
    c.advance(10 * MIN);
    assert.equal(await store.touch(s.id), undefined);
    assert.equal(await db.get(sessionIdHash(s.id)), undefined, 'an ended session is deleted when found');
    assert.equal(await store.touch(s.id), undefined);
  });

  withDb('the idle clock is written at most once a minute, so idle expiry is accurate to a minute', async (db) => {
    const c = clock();
    const store = new SessionStore(db, { idleMs: 10 * MIN, maxMs: 12 * HOUR, maxSessions: 10 }, c.now);
    const s = await store.create(creds, identity, c.now() + 24 * HOUR);
    const key = sessionIdHash(s.id);
    c.advance(LAST_SEEN_RESOLUTION_MS);
    const early = await store.touch(s.id);
    assert.equal(early?.lastSeenAt, s.createdAt, 'a minute old: not written');
    assert.equal((await db.get(key))?.lastSeenAt, s.createdAt);
    assert.equal(store.endsAt(early!).idleExpiresAt, s.createdAt + 10 * MIN, 'the end shown is the stored one');
    c.advance(1);
    assert.equal((await store.touch(s.id))?.lastSeenAt, c.now(), 'more than a minute old: written');
    assert.equal((await db.get(key))?.lastSeenAt, c.now());
    const written = c.now();
    c.advance(59_000);
    assert.ok(await store.touch(s.id));
    c.advance(10 * MIN - 59_000);
    assert.equal(await store.touch(s.id), undefined, 'ends idleMs after the last write, though used 9 min 1 s ago');
    assert.equal(written + 10 * MIN, c.now());
  });

  withDb('a session ends at its absolute limit, or a minute before its credentials expire, whichever is first', async (db) => {
    const c = clock();
    const store = new SessionStore(db, { idleMs: 10 * MIN, maxMs: 100_000, maxSessions: 10 }, c.now);
    const short = await store.create(creds, identity, c.now() + 90_000);
    const long = await store.create(creds, identity, c.now() + 3_600_000);
    assert.equal(short.expiresAt, c.now() + 30_000);
    assert.equal(long.expiresAt, c.now() + 100_000);
    assert.deepEqual(store.endsAt(short), { expiresAt: short.expiresAt, idleExpiresAt: short.expiresAt });
    assert.deepEqual(store.endsAt(long), { expiresAt: long.expiresAt, idleExpiresAt: long.expiresAt });
    c.advance(29_999);
    assert.equal((await store.touch(short.id))?.id, short.id);
    c.advance(1);
    assert.equal(await store.touch(short.id), undefined);
    for (let i = 0; i < 3; i++) {
      assert.equal((await store.touch(long.id))?.id, long.id, 'kept alive by use');
      c.advance(23_333);
    }
    assert.equal((await store.touch(long.id))?.id, long.id, 'alive just before its end');
    c.advance(1);
    assert.equal(await store.touch(long.id), undefined);
  });

  withDb('ids and CSRF tokens are random and distinct; the oldest session gives way at the limit', async (db) => {
    const store = new SessionStore(db, { idleMs: 60_000, maxMs: 100_000, maxSessions: 2 });
    const [a, b, c] = [
      await store.create(creds, identity, Date.now() + 3_600_000),
      await store.create(creds, identity, Date.now() + 3_600_000),
      await store.create(creds, identity, Date.now() + 3_600_000),
    ];
    assert.notEqual(a!.id, b!.id);
    assert.notEqual(a!.csrf, a!.id);
    assert.notEqual(a!.csrf, b!.csrf);
    assert.match(a!.id, /^[A-Za-z0-9_-]{43}$/);
    assert.match(a!.csrf, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await store.touch(a!.id), undefined);
    assert.equal((await store.touch(b!.id))?.id, b!.id);
    assert.equal((await store.touch(c!.id))?.csrf, c!.csrf);
    assert.equal(await db.count(), 2);
    assert.equal(await store.touch(undefined), undefined);
  });

  withDb('the store is keyed by the SHA-256 of the id, never the id; odd cookie values are not looked up', async (db) => {
    const store = new SessionStore(db);
    const s = await store.create(creds, identity, Date.now() + 3_600_000);
    assert.match(sessionIdHash(s.id), /^[0-9a-f]{64}$/);
    assert.equal((await db.get(sessionIdHash(s.id)))?.csrf, s.csrf);
    assert.equal(await db.get(s.id), undefined);
    assert.equal(await store.touch(sessionIdHash(s.id)), undefined, 'the hash is no cookie');
    for (const odd of ['', `${s.id}x`, s.id.slice(1), `${s.id.slice(0, 42)}=`]) assert.equal(await store.touch(odd), undefined);
    await store.delete(s.id);
    assert.equal(await db.count(), 0);
  });

  withDb('creating a session sweeps ended ones', async (db) => {
    const c = clock();
    const store = new SessionStore(db, { idleMs: 10 * MIN, maxMs: HOUR, maxSessions: 10 }, c.now);
    const idle = await store.create(creds, identity, c.now() + 24 * HOUR);
    const short = await store.create(creds, identity, c.now() + 2 * MIN);
    c.advance(5 * MIN);
    const live = await store.create(creds, identity, c.now() + 24 * HOUR);
    assert.equal(await db.count(), 2, 'the one past its credentials went');
    assert.equal(await db.get(sessionIdHash(short.id)), undefined);
    c.advance(5 * MIN);
    const fresh = await store.create(creds, identity, c.now() + 24 * HOUR);
    assert.equal(await db.get(sessionIdHash(idle.id)), undefined, 'the idle one went');
    assert.equal(await db.count(), 2);
    assert.equal((await store.touch(live.id))?.id, live.id);
    assert.equal((await store.touch(fresh.id))?.id, fresh.id);
  });

  withDb('csrfMatches compares the whole token', async (db) => {
    const store = new SessionStore(db);
    const s = await store.create(creds, identity, Date.now() + 3_600_000);
    const again = (await store.touch(s.id))!;
    assert.equal(csrfMatches(again, s.csrf), true, 'the token survives the store');
    for (const bad of [undefined, '', s.csrf.slice(1), `${s.csrf}x`, s.id]) assert.equal(csrfMatches(again, bad), false);
  });

  withDb('the cookie is HttpOnly, SameSite=Strict, scoped to /console, and cleared with Max-Age=0', async (db) => {
    const c = clock();
    const store = new SessionStore(db, undefined, c.now);
    const s = await store.create(creds, identity, c.now() + 3_600_000);
    assert.equal(sessionCookie(s, s.createdAt), `startrail_console=${s.id}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=3540`);
    assert.equal(sessionCookie(undefined), 'startrail_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0');
    assert.equal(readCookie(`a=1; startrail_console=${s.id}; b=2`), s.id);
    assert.equal(readCookie('startrail_consolex=1'), undefined);
  });
}

test('two nodes on one database share sessions, and a reopened database keeps them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'startrail-console-'));
  const box = new SecretBox(randomBytes(32));
  const file = join(dir, 'db');
  const [dbA, dbB] = [await openSqliteStore(file, box), await openSqliteStore(file, box)];
  try {
    const a = new SessionStore(dbA.consoleSessions);
    const b = new SessionStore(dbB.consoleSessions);
    const s = await a.create(creds, identity, Date.now() + 3_600_000);
    const onB = await b.touch(s.id);
    assert.deepEqual(onB && { ...onB, lastSeenAt: s.lastSeenAt }, s);
    await dbA.close();
    const reopened = await openSqliteStore(file, box);
    assert.deepEqual((await new SessionStore(reopened.consoleSessions).touch(s.id))?.credentials, creds);
    await b.delete(s.id);
    assert.equal(await new SessionStore(reopened.consoleSessions).touch(s.id), undefined, 'signed out on B is signed out everywhere');
    await reopened.close();
  } finally {
    await dbB.close();
    await dbA.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every secret of a session, and its cookie id: none may be in the database in clear. */
function secretsOf(s: { id: string; csrf: string }): Record<string, string> {
  return { 'cookie id': s.id, 'CSRF token': s.csrf, 'secret access key': creds.secretAccessKey, 'session token': creds.sessionToken };
}

test('at rest on SQLite: no cookie id and no secret in the database files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'startrail-console-'));
  try {
    const db = await openSqliteStore(join(dir, 'db'), new SecretBox(randomBytes(32)));
    const s = await new SessionStore(db.consoleSessions).create(creds, identity, Date.now() + 3_600_000);
    await db.close();
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    assert.ok(bytes.includes(sessionIdHash(s.id)), 'the row is there, under the id hash');
    assert.ok(bytes.includes(identity.arn), 'the identity is plain JSON');
    for (const [what, value] of Object.entries(secretsOf(s))) assert.ok(!bytes.includes(value), `the database holds the ${what}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('at rest on PostgreSQL: no cookie id and no secret in the row', async () => {
  const url = TEST_DATABASE_URL;
  const schema = testSchema('console');
  const store = await openPostgresStore(url, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
  try {
    const s = await new SessionStore(store.consoleSessions).create(creds, identity, Date.now() + 3_600_000);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let rows: string[];
    try {
      rows = (await client.query<{ row: string }>(`select row_to_json(t)::text as row from ${schema}.console_sessions t`)).rows.map((r) => r.row);
    } finally {
      await client.end();
    }
    assert.equal(rows.length, 1);
    const row = JSON.parse(rows[0]!);
    assert.equal(row.id_hash, sessionIdHash(s.id));
    assert.deepEqual(JSON.parse(row.identity), identity);
    assert.match(row.secrets, /^v1:/);
    for (const [what, value] of Object.entries(secretsOf(s))) assert.ok(!rows[0]!.includes(value), `the row holds the ${what}`);
  } finally {
    await store.close();
    await dropSchema(url, schema);
  }
});

/** Sessions in a Map: the same contract without a database, so SessionStore's rules are checked on their own too. */
export class MemoryConsoleSessionStore implements ConsoleSessionStore {
  private readonly rows = new Map<string, ConsoleSessionRecord>();

  async put(s: ConsoleSessionRecord): Promise<void> {
    if (this.rows.has(s.idHash)) throw new Error('console session already stored');
    this.rows.set(s.idHash, structuredClone(s));
  }
  async get(idHash: string): Promise<ConsoleSessionRecord | undefined> {
    const r = this.rows.get(idHash);
    return r && structuredClone(r);
  }
  async touch(idHash: string, at: number): Promise<void> {
    const r = this.rows.get(idHash);
    if (r && r.lastSeenAt < at) r.lastSeenAt = at;
  }
  async delete(idHash: string): Promise<void> {
    this.rows.delete(idHash);
  }
  async deleteEnded(now: number, idleSince: number, limit: number): Promise<number> {
    let n = 0;
    for (const [h, r] of this.rows) {
      if (n >= limit) break;
      if (r.expiresAt <= now || r.lastSeenAt <= idleSince) {
        this.rows.delete(h);
        n++;
      }
    }
    return n;
  }
  async count(): Promise<number> {
    return this.rows.size;
  }
  async deleteOldest(n: number): Promise<number> {
    let d = 0;
    for (const h of this.rows.keys()) {
      if (d >= n) break;
      this.rows.delete(h);
      d++;
    }
    return d;
  }
}
