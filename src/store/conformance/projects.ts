/**
 * ProjectStore conformance (contracts/projects.ts): CodeStar projects with an optimistic version
 * and a sealed source, their tags, team members and resources, user profiles and idempotent calls.
 * Listings page by insertion order (`seq`), so a page boundary stays put while rows are added.
 */
import assert from 'node:assert/strict';
import type { Project } from '../types.ts';
import { storeTest, type Suite } from './harness.ts';

const project = (id: string): Project => ({
  id,
  arn: `arn:aws:codestar:us-east-1:000000000000:project/${id}`,
  name: `Project ${id}`,
  creatorArn: 'arn:aws:iam::000000000000:root',
  state: 'CreateComplete',
  createdAt: new Date('2026-01-01T00:00:00.123Z'),
  version: 1,
});
const userArn = (n: string) => `arn:aws:iam::000000000000:user/${n}`;

export function runProjectConformance(suite: Suite): void {
  storeTest(suite, 'projects: create once, optimistic version, sealed source, delete cascades', async (s) => {
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
    assert.deepEqual(
      (await s.projects.listTags('alpha')).map((t) => [t.key, t.value]),
      [
        ['a', 'one'],
        ['b', '2'],
      ],
    );
    await s.projects.addMember({ projectId: 'alpha', userArn: 'arn:aws:iam::000000000000:user/u', projectRole: 'Viewer', remoteAccessAllowed: true });
    await s.projects.addResource('alpha', 'arn:aws:iam::000000000000:policy/CodeStar_alpha_Owner');
    assert.equal(await s.projects.countMemberships('arn:aws:iam::000000000000:user/u'), 1);
    await s.projects.delete('alpha');
    assert.equal(await s.projects.get('alpha'), undefined);
    assert.deepEqual(await s.projects.listTags('alpha'), []);
    assert.equal(await s.projects.countMemberships('arn:aws:iam::000000000000:user/u'), 0);
    assert.deepEqual(await s.projects.listResources('alpha'), []);
  });

  storeTest(suite, 'members, profiles and calls round-trip; listings page by insertion order', async (s) => {
    for (const id of ['zed', 'abc', 'mid']) await s.projects.create(project(id));
    const first = await s.projects.list(undefined, 2);
    assert.deepEqual(
      first.map((p) => p.id),
      ['zed', 'abc'],
    );
    assert.deepEqual(
      (await s.projects.list(first[1]!.seq, 10)).map((p) => p.id),
      ['mid'],
    );
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
    assert.deepEqual(await s.projects.getCall('CreateProject', 't'), {
      operation: 'CreateProject',
      token: 't',
      inputHash: 'h',
      result: '{"id":"zed"}',
      createdAt: new Date(5000),
    });
    assert.equal(await s.projects.getCall('DeleteProject', 't'), undefined);
  });

  storeTest(suite, 'a project without optional fields comes back without them; update sets only what it is given; count counts', async (s) => {
    assert.equal(await s.projects.count(), 0);
    await s.projects.create(project('plain'));
    await s.projects.create(project('other'));
    const got = await s.projects.get('plain');
    assert.deepEqual(got, project('plain'));
    for (const k of ['description', 'clientRequestToken', 'source']) assert.equal(k in got!, false, `no ${k}`);
    await s.projects.update('plain', { description: 'now described' });
    await s.projects.update('plain', {});
    assert.deepEqual(await s.projects.get('plain'), { ...project('plain'), description: 'now described' });
    assert.equal(await s.projects.bump('missing'), false, 'no row, no bump');
    assert.equal(await s.projects.count(), 2);
    await s.projects.delete('other');
    assert.equal(await s.projects.count(), 1);
  });

  storeTest(suite, 'tags: upserted, removed by key, paged in the order first added', async (s) => {
    await s.projects.create(project('p'));
    await s.projects.putTags('p', { z: '1', y: '2', x: '3' });
    await s.projects.putTags('p', { y: 'two' });
    await s.projects.putTags('q', { z: 'other project' });
    const first = await s.projects.listTags('p', undefined, 2);
    assert.deepEqual(
      first.map((t) => [t.key, t.value]),
      [
        ['z', '1'],
        ['y', 'two'],
      ],
    );
    assert.deepEqual(
      (await s.projects.listTags('p', first[1]!.seq, 2)).map((t) => t.key),
      ['x'],
    );
    await s.projects.removeTags('p', ['z', 'x', 'absent']);
    await s.projects.removeTags('p', []);
    assert.deepEqual(
      (await s.projects.listTags('p')).map((t) => [t.key, t.value]),
      [['y', 'two']],
    );
    assert.deepEqual(
      (await s.projects.listTags('q')).map((t) => [t.key, t.value]),
      [['z', 'other project']],
    );
  });

  storeTest(suite, 'team members: one per user and project, paged, counted per project and per user, removed', async (s) => {
    for (const id of ['p', 'q']) await s.projects.create(project(id));
    for (const n of ['a', 'b', 'c']) await s.projects.addMember({ projectId: 'p', userArn: userArn(n), projectRole: 'Viewer', remoteAccessAllowed: false });
    await s.projects.addMember({ projectId: 'q', userArn: userArn('a'), projectRole: 'Owner', remoteAccessAllowed: true });
    await assert.rejects(
      s.projects.addMember({ projectId: 'p', userArn: userArn('a'), projectRole: 'Owner', remoteAccessAllowed: false }),
      'a user is a member of a project once',
    );
    const first = await s.projects.listMembers('p', undefined, 2);
    assert.deepEqual(
      first.map((m) => m.userArn),
      [userArn('a'), userArn('b')],
    );
    const [rest] = await s.projects.listMembers('p', first[1]!.seq, 2);
    assert.deepEqual(rest && { ...rest, seq: 0 }, { seq: 0, projectId: 'p', userArn: userArn('c'), projectRole: 'Viewer', remoteAccessAllowed: false });
    assert.equal(await s.projects.countMembers('p'), 3);
    assert.equal(await s.projects.countMemberships(userArn('a')), 2);
    await s.projects.removeMember('p', userArn('a'));
    assert.equal(await s.projects.getMember('p', userArn('a')), undefined);
    assert.equal((await s.projects.getMember('q', userArn('a')))?.projectRole, 'Owner');
    assert.equal(await s.projects.countMembers('p'), 2);
    assert.equal(await s.projects.countMemberships(userArn('a')), 1);
  });

  storeTest(suite, 'resources: each ARN once per project, paged in the order added', async (s) => {
    await s.projects.create(project('p'));
    for (const arn of ['arn:r:1', 'arn:r:2', 'arn:r:1', 'arn:r:3']) await s.projects.addResource('p', arn);
    await s.projects.addResource('q', 'arn:r:1');
    const first = await s.projects.listResources('p', undefined, 2);
    assert.deepEqual(
      first.map((r) => r.arn),
      ['arn:r:1', 'arn:r:2'],
    );
    assert.deepEqual(
      (await s.projects.listResources('p', first[1]!.seq)).map((r) => r.arn),
      ['arn:r:3'],
    );
    assert.deepEqual(
      (await s.projects.listResources('q')).map((r) => r.arn),
      ['arn:r:1'],
    );
  });

  storeTest(suite, 'user profiles: paged in the order created, deleted, and an ssh key cleared', async (s) => {
    const profile = (n: string) => ({
      userArn: userArn(n),
      displayName: n.toUpperCase(),
      emailAddress: `${n}@example.com`,
      sshPublicKey: `ssh-ed25519 ${n}`,
      createdAt: new Date(1000),
      lastModifiedAt: new Date(1000),
    });
    for (const n of ['z', 'a', 'm']) assert.equal(await s.projects.createProfile(profile(n)), true);
    const first = await s.projects.listProfiles(undefined, 2);
    assert.deepEqual(
      first.map(({ seq: _, ...p }) => p),
      [profile('z'), profile('a')],
    );
    assert.deepEqual(
      (await s.projects.listProfiles(first[1]!.seq, 10)).map((p) => p.userArn),
      [userArn('m')],
    );
    const { sshPublicKey: _, ...noKey } = { ...profile('a'), lastModifiedAt: new Date(4000) };
    await s.projects.updateProfile(noKey);
    assert.deepEqual(await s.projects.getProfile(userArn('a')), noKey);
    await s.projects.deleteProfile(userArn('z'));
    assert.equal(await s.projects.getProfile(userArn('z')), undefined);
    assert.deepEqual(
      (await s.projects.listProfiles(undefined, 10)).map((p) => p.userArn),
      [userArn('a'), userArn('m')],
    );
  });

  storeTest(suite, 'an idempotent call is stored once per operation and token', async (s) => {
    const call = { operation: 'CreateProject', token: 'tok-1', inputHash: 'a'.repeat(64), result: '{"id":"p","arn":"arn"}', createdAt: new Date(7000) };
    await s.projects.putCall(call);
    await s.projects.putCall({ ...call, operation: 'DeleteProject', result: '{}' });
    await assert.rejects(s.projects.putCall({ ...call, result: 'other' }), 'the first result stands');
    assert.deepEqual(await s.projects.getCall('CreateProject', 'tok-1'), call);
    assert.equal((await s.projects.getCall('DeleteProject', 'tok-1'))?.result, '{}');
    assert.equal(await s.projects.getCall('CreateProject', 'tok-2'), undefined);
  });
}
