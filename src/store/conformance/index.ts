/**
 * One conformance suite every Store backend passes: SQLite now, PostgreSQL later.
 * Usage: runStoreConformance('sqlite', () => openSqliteStore(':memory:', box)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store, User } from '../types.ts';
import { runConsoleSessionConformance } from './console-sessions.ts';

const at = (iso: string) => new Date(iso);

function user(name: string, path = '/'): User {
  return { userId: `AIDA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`, userName: name, path, arn: `arn:aws:iam::000000000000:user${path}${name}`, createDate: at('2026-01-01T00:00:00Z'), tags: [{ Key: 'team', Value: 'a' }] };
}

export function runStoreConformance(name: string, open: () => Promise<Store>): void {
  runConsoleSessionConformance(name, open);
  const withStore = (title: string, fn: (s: Store) => Promise<void>) =>
    test(`${name} store: ${title}`, async () => {
      const s = await open();
      try { await fn(s); } finally { await s.close(); }
    });

  withStore('users are unique and found case-insensitively; listing pages by name', async (s) => {
    for (const n of ['carol', 'alice', 'Bob']) await s.identities.createUser(user(n));
    await assert.rejects(s.identities.createUser(user('ALICE')));
    assert.equal((await s.identities.getUser('BOB'))?.userName, 'Bob');
    assert.deepEqual((await s.identities.getUser('alice'))?.tags, [{ Key: 'team', Value: 'a' }]);
    const first = await s.identities.listUsers({ limit: 2 });
    assert.deepEqual(first.map((u) => u.userName), ['alice', 'Bob']);
    const rest = await s.identities.listUsers({ limit: 2, after: 'Bob' });
    assert.deepEqual(rest.map((u) => u.userName), ['carol']);
    await s.identities.deleteUser('CAROL');
    assert.equal(await s.identities.getUser('carol'), undefined);
  });

  withStore('access keys keep their secret and status; root keys have no user', async (s) => {
    await s.identities.putAccessKey({ accessKeyId: 'AKIAROOT', secretAccessKey: 'root/secret+40', userName: null, status: 'Active', createDate: at('2026-01-01T00:00:00Z') });
    await s.identities.putAccessKey({ accessKeyId: 'AKIAUSER', secretAccessKey: 'user-secret', userName: 'alice', status: 'Active', createDate: at('2026-01-02T00:00:00Z') });
    assert.equal((await s.identities.getAccessKey('AKIAROOT'))?.secretAccessKey, 'root/secret+40');
    assert.deepEqual((await s.identities.listAccessKeys(null)).map((k) => k.accessKeyId), ['AKIAROOT']);
    await s.identities.updateAccessKeyStatus('AKIAUSER', 'Inactive');
    assert.equal((await s.identities.getAccessKey('AKIAUSER'))?.status, 'Inactive');
    await s.identities.deleteAccessKey('AKIAUSER');
    assert.equal(await s.identities.getAccessKey('AKIAUSER'), undefined);
  });

  withStore('inline policies upsert; attachments keep order and count', async (s) => {
    await s.identities.putInlinePolicy({ ownerKind: 'user', ownerName: 'alice', policyName: 'p', document: '{"v":1}' });
    await s.identities.putInlinePolicy({ ownerKind: 'user', ownerName: 'Alice', policyName: 'p', document: '{"v":2}' });
    assert.deepEqual((await s.identities.listInlinePolicies('user', 'alice')).map((p) => p.document), ['{"v":2}']);
    await s.identities.attachPolicy('role', 'dev', 'arn:b');
    await s.identities.attachPolicy('role', 'dev', 'arn:a');
    await s.identities.attachPolicy('role', 'dev', 'arn:b');
    assert.deepEqual(await s.identities.listAttachedPolicies('role', 'dev'), ['arn:b', 'arn:a']);
    assert.equal(await s.identities.countPolicyAttachments('arn:b'), 1);
    await s.identities.detachPolicy('role', 'DEV', 'arn:b');
    assert.deepEqual(await s.identities.listAttachedPolicies('role', 'dev'), ['arn:a']);
  });

  withStore('sessions store only a hash of the token and expire', async (s) => {
    const { sessionTokenMatches } = await import('../identities.ts');
    await s.identities.putSession({ accessKeyId: 'ASIA1', secretAccessKey: 'sec', sessionToken: 'tok', expiration: at('2026-01-01T01:00:00Z'), createDate: at('2026-01-01T00:00:00Z'), kind: 'role', sourceName: 'dev', sessionName: 's1', mfaAuthenticated: false, sessionPolicies: ['{}'] });
    const got = await s.identities.getSession('ASIA1');
    assert.equal(got?.secretAccessKey, 'sec');
    assert.notEqual(got?.sessionToken, 'tok');
    assert.ok(sessionTokenMatches(got!.sessionToken, 'tok'));
    assert.ok(!sessionTokenMatches(got!.sessionToken, 'tok2'));
    assert.deepEqual(got?.sessionPolicies, ['{}']);
    assert.equal(got?.expiration.toISOString(), '2026-01-01T01:00:00.000Z');
    assert.equal(await s.identities.purgeSessions(at('2026-01-01T02:00:00Z')), 1);
    assert.equal(await s.identities.getSession('ASIA1'), undefined);
  });

  withStore('a transaction commits everything or nothing', async (s) => {
    await s.transaction(async (tx) => { await tx.kv.put('a', '1'); await tx.kv.put('b', '2'); });
    await assert.rejects(s.transaction(async (tx) => { await tx.kv.put('a', 'changed'); await tx.identities.createUser(user('zed')); throw new Error('boom'); }), /boom/);
    assert.equal(await s.kv.get('a'), '1');
    assert.equal(await s.identities.getUser('zed'), undefined);
    // nested calls join the outer transaction
    await assert.rejects(s.transaction(async (tx) => { await tx.transaction(async (inner) => inner.kv.put('c', '3')); throw new Error('outer'); }));
    assert.equal(await s.kv.get('c'), undefined);
  });

  withStore('events append once per eventID and keep the exact JSON', async (s) => {
    const json = '{"eventVersion":"1.11", "spacing":  "kept"}';
    const e = { eventId: 'e-1', eventTime: at('2026-01-01T00:00:00Z'), accountId: '000000000000', region: 'us-east-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', readOnly: false, username: 'root', accessKeyId: 'AKIA1', resources: [{ type: 'AWS::IAM::User', name: 'arn:aws:iam::000000000000:user/alice' }], json };
    assert.equal(await s.events.append([e]), 1);
    assert.equal(await s.events.append([e]), 0);
    const got = await s.events.get('e-1');
    assert.equal(got?.json, json);
    assert.deepEqual(got?.resources, e.resources);
    assert.equal(got?.readOnly, false);
    assert.equal(await s.events.count(), 1);
  });
}
