/** The CodeStar ProjectStore (store/projects.ts, spec cloudtrail-codestar §g) on SQLite and, when reachable, PostgreSQL; and nextToken handling. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SecretBox } from '../../store/secret-box.ts';
import { openSqliteStore } from '../../store/sqlite/open.ts';
import { dropSchema, openPostgresStore } from '../../store/postgres/open.ts';
import type { Project, Store } from '../../store/types.ts';
import { cursor, page } from './pagination.ts';

const PG_URL = process.env.STARTRAIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

const project = (id: string): Project => ({
  id, arn: `arn:aws:codestar:us-east-1:000000000000:project/${id}`, name: `Project ${id}`, creatorArn: 'arn:aws:iam::000000000000:root',
  state: 'CreateComplete', createdAt: new Date('2026-01-01T00:00:00.123Z'), version: 1,
});

const backends: [string, () => Promise<Store>][] = [['sqlite', () => openSqliteStore(':memory:', new SecretBox(randomBytes(32)))]];
if (await postgresReachable()) {
  let n = 0;
  backends.push(['postgres', async () => {
    const schema = `cs_${process.pid}_${Date.now().toString(36)}_${n++}`;
    const s = await openPostgresStore(PG_URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
    const close = s.close.bind(s);
    s.close = async () => { await close(); await dropSchema(PG_URL, schema); };
    return s;
  }]);
}

for (const [name, open] of backends) {
  const withStore = (title: string, fn: (s: Store) => Promise<void>) => test(`${name}: ${title}`, async () => {
    const s = await open();
    try { await fn(s); } finally { await s.close(); }
  });

  withStore('projects: create once, optimistic version, sealed source, delete cascades', async (s) => {
    const source = { sourceCode: [{ destination: { gitHub: { token: 'ghp_secret' } } }], toolchain: { source: { s3: { bucketName: 'b' } } } };
    assert.equal(await s.projects.create({ ...project('alpha'), description: '', clientRequestToken: 'tok', source }), true);
    assert.equal(await s.projects.create(project('alpha')), false);
    const got = await s.projects.get('alpha');
    assert.deepEqual(got, { ...project('alpha'), description: '', clientRequestToken: 'tok', source });
    assert.equal(await s.projects.bump('alpha', 1), true);
    assert.equal(await s.projects.bump('alpha', 1), false, 'a stale version loses');
    assert.equal(await s.projects.bump('alpha'), true);
    assert.equal((await s.projects.get('alpha'))?.version, 3);
    await s.projects.update('alpha', { name: 'Renamed' });
    assert.equal((await s.projects.get('alpha'))?.name, 'Renamed');
    await s.projects.putTags('alpha', { a: '1', b: '2' });
    await s.projects.putTags('alpha', { a: 'one' });
    assert.deepEqual((await s.projects.listTags('alpha')).map((t) => [t.key, t.value]), [['a', 'one'], ['b', '2']]);
    await s.projects.addMember({ projectId: 'alpha', userArn: 'arn:aws:iam::000000000000:user/u', projectRole: 'Viewer', remoteAccessAllowed: true });
    await s.projects.addResource('alpha', 'arn:aws:iam::000000000000:policy/CodeStar_alpha_Owner');
    assert.equal(await s.projects.countMemberships('arn:aws:iam::000000000000:user/u'), 1);
    await s.projects.delete('alpha');
    assert.equal(await s.projects.get('alpha'), undefined);
    assert.deepEqual(await s.projects.listTags('alpha'), []);
    assert.equal(await s.projects.countMemberships('arn:aws:iam::000000000000:user/u'), 0);
    assert.deepEqual(await s.projects.listResources('alpha'), []);
  });

  withStore('members, profiles and calls round-trip; listings page by insertion order', async (s) => {
    for (const id of ['zed', 'abc', 'mid']) await s.projects.create(project(id));
    const first = await s.projects.list(undefined, 2);
    assert.deepEqual(first.map((p) => p.id), ['zed', 'abc']);
    assert.deepEqual((await s.projects.list(first[1]!.seq, 10)).map((p) => p.id), ['mid']);
    const m = { projectId: 'zed', userArn: 'arn:aws:iam::000000000000:user/a', projectRole: 'Owner' as const, remoteAccessAllowed: false };
    await s.projects.addMember(m);
    await s.projects.updateMember({ ...m, projectRole: 'Contributor', remoteAccessAllowed: true });
    assert.deepEqual(await s.projects.getMember('zed', m.userArn), { ...m, projectRole: 'Contributor', remoteAccessAllowed: true });
    const profile = { userArn: m.userArn, displayName: 'A', emailAddress: 'a@example.com', createdAt: new Date(1000), lastModifiedAt: new Date(2000) };
    assert.equal(await s.projects.createProfile(profile), true);
    assert.equal(await s.projects.createProfile(profile), false);
    await s.projects.updateProfile({ ...profile, sshPublicKey: 'ssh-rsa AAA', lastModifiedAt: new Date(3000) });
    assert.deepEqual(await s.projects.getProfile(m.userArn), { ...profile, sshPublicKey: 'ssh-rsa AAA', lastModifiedAt: new Date(3000) });
    await s.projects.putCall({ operation: 'CreateProject', token: 't', inputHash: 'h', result: '{"id":"zed"}', createdAt: new Date(5000) });
    assert.deepEqual(await s.projects.getCall('CreateProject', 't'), { operation: 'CreateProject', token: 't', inputHash: 'h', result: '{"id":"zed"}', createdAt: new Date(5000) });
    assert.equal(await s.projects.getCall('DeleteProject', 't'), undefined);
  });
}

test('nextToken: base64 of the listing, its scope and the last seq; anything else is InvalidNextTokenException', async () => {
  const rows = [1, 2, 3, 4, 5].map((seq) => ({ seq, v: seq }));
  const fetch = async (after: number | undefined, limit: number) => rows.filter((r) => r.seq > (after ?? 0)).slice(0, limit);
  const p1 = await page({ maxResults: 2 }, 'teamMembers', 'alpha', fetch);
  assert.deepEqual(p1.items.map((r) => r.v), [1, 2]);
  assert.match(p1.nextToken!, /^[\w/+=]+$/);
  const p2 = await page({ maxResults: 3, nextToken: p1.nextToken! }, 'teamMembers', 'alpha', fetch);
  assert.deepEqual(p2.items.map((r) => r.v), [3, 4, 5]);
  assert.equal(p2.nextToken, undefined);
  for (const bad of ['abc', p1.nextToken! + 'A', Buffer.from('teamMembers\nalpha\n-1').toString('base64')]) {
    assert.throws(() => cursor({ nextToken: bad }, 'teamMembers', 'alpha'), { name: 'InvalidNextTokenException', message: 'The next token is not valid.' });
  }
  assert.throws(() => cursor({ nextToken: p1.nextToken! }, 'teamMembers', 'beta'), { name: 'InvalidNextTokenException' });
  assert.throws(() => cursor({ nextToken: p1.nextToken! }, 'projects', ''), { name: 'InvalidNextTokenException' });
});
