/** Console sessions: idle and absolute expiry, the credentials' own end, CSRF comparison, cookie form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csrfMatches, readCookie, sessionCookie, SessionStore } from './sessions.ts';

const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
const identity = { arn: 'arn:aws:iam::000000000000:user/anna', accountId: '000000000000', userId: 'AIDAEXAMPLE', type: 'IAMUser', userName: 'anna' };

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

test('a session ends after the idle time without use, and is kept alive by use', () => {
  const c = clock();
  const store = new SessionStore({ idleMs: 1000, maxMs: 10_000, maxSessions: 10 }, c.now);
  const s = store.create(creds, identity, c.now() + 3_600_000);
  c.advance(900);
  assert.equal(store.touch(s.id), s);
  c.advance(900);
  assert.equal(store.touch(s.id), s, 'use restarted the idle clock');
  c.advance(1000);
  assert.equal(store.touch(s.id), undefined);
  assert.equal(store.touch(s.id), undefined, 'an expired session is forgotten');
});

test('a session ends at its absolute limit, or a minute before its credentials expire, whichever is first', () => {
  const c = clock();
  const store = new SessionStore({ idleMs: 60_000, maxMs: 100_000, maxSessions: 10 }, c.now);
  const short = store.create(creds, identity, c.now() + 90_000);
  const long = store.create(creds, identity, c.now() + 3_600_000);
  assert.equal(short.expiresAt, c.now() + 30_000);
  assert.equal(long.expiresAt, c.now() + 100_000);
  for (let i = 0; i < 4; i++) { c.advance(25_000); store.touch(long.id); }
  assert.equal(store.touch(short.id), undefined);
  assert.equal(store.touch(long.id), undefined);
});

test('ids and CSRF tokens are random and distinct; the oldest session gives way at the limit', () => {
  const store = new SessionStore({ idleMs: 60_000, maxMs: 100_000, maxSessions: 2 });
  const [a, b, c] = [0, 1, 2].map(() => store.create(creds, identity, Date.now() + 3_600_000));
  assert.notEqual(a!.id, b!.id);
  assert.notEqual(a!.csrf, a!.id);
  assert.match(a!.id, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(store.touch(a!.id), undefined);
  assert.ok(store.touch(b!.id) && store.touch(c!.id));
  assert.equal(store.touch(undefined), undefined);
});

test('csrfMatches compares the whole token', () => {
  const store = new SessionStore();
  const s = store.create(creds, identity, Date.now() + 3_600_000);
  assert.equal(csrfMatches(s, s.csrf), true);
  for (const bad of [undefined, '', s.csrf.slice(1), `${s.csrf}x`, s.id]) assert.equal(csrfMatches(s, bad), false);
});

test('the cookie is HttpOnly, SameSite=Strict, scoped to /console, and cleared with Max-Age=0', () => {
  const store = new SessionStore();
  const s = store.create(creds, identity, Date.now() + 3_600_000);
  assert.equal(sessionCookie(s, s.createdAt), `startrail_console=${s.id}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=3540`);
  assert.equal(sessionCookie(undefined), 'startrail_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0');
  assert.equal(readCookie(`a=1; startrail_console=${s.id}; b=2`), s.id);
  assert.equal(readCookie('startrail_consolex=1'), undefined);
});
