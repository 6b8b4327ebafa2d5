/**
 * IdentityStore conformance: IAM users, access keys, roles, inline and managed policies, policy
 * attachments and STS sessions (contracts/identities.ts). Names are unique and found
 * case-insensitively, as IAM's; secrets come back whole and a session token only as its hash.
 */
import assert from 'node:assert/strict';
import { sessionTokenMatches } from '../identities.ts';
import type { ManagedPolicy, Role, Session, User } from '../types.ts';
import { at, storeTest, type Suite } from './harness.ts';

export function user(name: string, path = '/'): User {
  return {
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    userName: name,
    path,
    arn: `arn:aws:iam::000000000000:user${path}${name}`,
    createDate: at('2026-01-01T00:00:00Z'),
    tags: [{ Key: 'team', Value: 'a' }],
  };
}

function role(name: string, path = '/', over: Partial<Role> = {}): Role {
  return {
    roleId: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    roleName: name,
    path,
    arn: `arn:aws:iam::000000000000:role${path}${name}`,
    assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
    maxSessionDuration: 3600,
    createDate: at('2026-01-02T00:00:00Z'),
    tags: [],
    ...over,
  };
}

function policy(name: string, path = '/', over: Partial<ManagedPolicy> = {}): ManagedPolicy {
  return {
    arn: `arn:aws:iam::000000000000:policy${path}${name}`,
    policyId: `ANPA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    policyName: name,
    path,
    document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${name}:*","Resource":"*"}]}`,
    defaultVersionId: 'v1',
    createDate: at('2026-01-03T00:00:00Z'),
    updateDate: at('2026-01-04T00:00:00Z'),
    tags: [{ Key: 'k', Value: 'v' }],
    awsManaged: false,
    ...over,
  };
}

export function runIdentityConformance(suite: Suite): void {
  storeTest(suite, 'users are unique and found case-insensitively; listing pages by name', async (s) => {
    for (const n of ['carol', 'alice', 'Bob']) await s.identities.createUser(user(n));
    await assert.rejects(s.identities.createUser(user('ALICE')));
    assert.equal((await s.identities.getUser('BOB'))?.userName, 'Bob');
    assert.deepEqual((await s.identities.getUser('alice'))?.tags, [{ Key: 'team', Value: 'a' }]);
    const first = await s.identities.listUsers({ limit: 2 });
    assert.deepEqual(
      first.map((u) => u.userName),
      ['alice', 'Bob'],
    );
    const rest = await s.identities.listUsers({ limit: 2, after: 'Bob' });
    assert.deepEqual(
      rest.map((u) => u.userName),
      ['carol'],
    );
    await s.identities.deleteUser('CAROL');
    assert.equal(await s.identities.getUser('carol'), undefined);
  });

  storeTest(suite, 'a user comes back whole, by name and by id; listing filters by path prefix', async (s) => {
    const dev = user('dave', '/dev/team/');
    await s.identities.createUser(dev);
    await s.identities.createUser(user('erin', '/ops/'));
    await s.identities.createUser(user('frank', '/dev/'));
    assert.deepEqual(await s.identities.getUser('Dave'), dev);
    assert.deepEqual(await s.identities.getUserById(dev.userId), dev);
    assert.equal(await s.identities.getUserById('AIDANOSUCHUSER00000'), undefined);
    assert.deepEqual(
      (await s.identities.listUsers({ pathPrefix: '/dev/', limit: 10 })).map((u) => u.userName),
      ['dave', 'frank'],
    );
    assert.deepEqual(
      (await s.identities.listUsers({ pathPrefix: '/dev/team/', limit: 10 })).map((u) => u.userName),
      ['dave'],
    );
    assert.deepEqual(await s.identities.listUsers({ pathPrefix: '/nope/', limit: 10 }), []);
  });

  storeTest(suite, 'access keys keep their secret and status; root keys have no user', async (s) => {
    await s.identities.putAccessKey({
      accessKeyId: 'AKIAROOT',
      secretAccessKey: 'root/secret+40',
      userName: null,
      status: 'Active',
      createDate: at('2026-01-01T00:00:00Z'),
    });
    await s.identities.putAccessKey({
      accessKeyId: 'AKIAUSER',
      secretAccessKey: 'user-secret',
      userName: 'alice',
      status: 'Active',
      createDate: at('2026-01-02T00:00:00Z'),
    });
    assert.equal((await s.identities.getAccessKey('AKIAROOT'))?.secretAccessKey, 'root/secret+40');
    assert.deepEqual(
      (await s.identities.listAccessKeys(null)).map((k) => k.accessKeyId),
      ['AKIAROOT'],
    );
    await s.identities.updateAccessKeyStatus('AKIAUSER', 'Inactive');
    assert.equal((await s.identities.getAccessKey('AKIAUSER'))?.status, 'Inactive');
    await s.identities.deleteAccessKey('AKIAUSER');
    assert.equal(await s.identities.getAccessKey('AKIAUSER'), undefined);
  });

  storeTest(suite, "a user's access keys come back whole, oldest first", async (s) => {
    const newer = {
      accessKeyId: 'AKIANEWER',
      secretAccessKey: 'newer/secret',
      userName: 'alice',
      status: 'Active' as const,
      createDate: at('2026-01-03T00:00:00Z'),
    };
    const older = {
      accessKeyId: 'AKIAOLDER',
      secretAccessKey: 'older/secret',
      userName: 'alice',
      status: 'Inactive' as const,
      createDate: at('2026-01-02T00:00:00Z'),
    };
    await s.identities.putAccessKey(newer);
    await s.identities.putAccessKey(older);
    await s.identities.putAccessKey({ ...newer, accessKeyId: 'AKIABOB', userName: 'bob' });
    // read back, a key says whose it is: the view's account when written without one
    const mine = { accountId: s.accountId };
    assert.deepEqual(await s.identities.listAccessKeys('alice'), [
      { ...older, ...mine },
      { ...newer, ...mine },
    ]);
    assert.deepEqual(await s.identities.listAccessKeys(null), []);
    await assert.rejects(s.identities.putAccessKey(older), 'an access key id is stored once');
  });

  storeTest(suite, 'roles: unique case-insensitively, found by name and id, trust policy replaced, listed by name and path', async (s) => {
    const deploy = role('Deploy', '/ci/', { description: 'deploys', maxSessionDuration: 7200, tags: [{ Key: 'env', Value: 'prod' }] });
    await s.identities.createRole(deploy);
    await s.identities.createRole(role('admin'));
    await s.identities.createRole(role('build', '/ci/'));
    await assert.rejects(s.identities.createRole(role('DEPLOY')));
    assert.deepEqual(await s.identities.getRole('deploy'), deploy);
    assert.deepEqual(await s.identities.getRoleById(deploy.roleId), deploy);
    const admin = await s.identities.getRole('ADMIN');
    assert.equal(admin?.roleName, 'admin');
    assert.equal('description' in admin!, false, 'no description stays no description');
    await s.identities.updateRoleTrustPolicy('DEPLOY', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}');
    assert.equal((await s.identities.getRole('deploy'))?.assumeRolePolicyDocument, '{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}');
    assert.deepEqual(
      (await s.identities.listRoles({ limit: 2 })).map((r) => r.roleName),
      ['admin', 'build'],
    );
    assert.deepEqual(
      (await s.identities.listRoles({ limit: 2, after: 'build' })).map((r) => r.roleName),
      ['Deploy'],
    );
    assert.deepEqual(
      (await s.identities.listRoles({ pathPrefix: '/ci/', limit: 10 })).map((r) => r.roleName),
      ['build', 'Deploy'],
    );
    await s.identities.deleteRole('Admin');
    assert.equal(await s.identities.getRole('admin'), undefined);
    assert.equal(await s.identities.getRoleById(role('admin').roleId), undefined);
  });

  storeTest(suite, 'inline policies upsert; attachments keep order and count', async (s) => {
    await s.identities.putInlinePolicy({ ownerKind: 'user', ownerName: 'alice', policyName: 'p', document: '{"v":1}' });
    await s.identities.putInlinePolicy({ ownerKind: 'user', ownerName: 'Alice', policyName: 'p', document: '{"v":2}' });
    assert.deepEqual(
      (await s.identities.listInlinePolicies('user', 'alice')).map((p) => p.document),
      ['{"v":2}'],
    );
    await s.identities.attachPolicy('role', 'dev', 'arn:b');
    await s.identities.attachPolicy('role', 'dev', 'arn:a');
    await s.identities.attachPolicy('role', 'dev', 'arn:b');
    assert.deepEqual(await s.identities.listAttachedPolicies('role', 'dev'), ['arn:b', 'arn:a']);
    assert.equal(await s.identities.countPolicyAttachments('arn:b'), 1);
    await s.identities.detachPolicy('role', 'DEV', 'arn:b');
    assert.deepEqual(await s.identities.listAttachedPolicies('role', 'dev'), ['arn:a']);
  });

  storeTest(suite, 'inline policies belong to one owner of one kind, sorted by name; get and delete by owner case-insensitively', async (s) => {
    await s.identities.putInlinePolicy({ ownerKind: 'user', ownerName: 'alice', policyName: 'zeta', document: '{"z":1}' });
    await s.identities.putInlinePolicy({ ownerKind: 'user', ownerName: 'alice', policyName: 'alpha', document: '{"a":1}' });
    await s.identities.putInlinePolicy({ ownerKind: 'role', ownerName: 'alice', policyName: 'alpha', document: '{"role":1}' });
    assert.deepEqual(await s.identities.getInlinePolicy('user', 'ALICE', 'alpha'), {
      ownerKind: 'user',
      ownerName: 'ALICE',
      policyName: 'alpha',
      document: '{"a":1}',
    });
    assert.equal((await s.identities.getInlinePolicy('role', 'alice', 'alpha'))?.document, '{"role":1}');
    assert.equal(await s.identities.getInlinePolicy('user', 'alice', 'ALPHA'), undefined, 'policy names are exact');
    assert.deepEqual(
      (await s.identities.listInlinePolicies('user', 'alice')).map((p) => p.policyName),
      ['alpha', 'zeta'],
    );
    await s.identities.deleteInlinePolicy('user', 'Alice', 'alpha');
    assert.deepEqual(
      (await s.identities.listInlinePolicies('user', 'alice')).map((p) => p.policyName),
      ['zeta'],
    );
    assert.deepEqual(
      (await s.identities.listInlinePolicies('role', 'alice')).map((p) => p.document),
      ['{"role":1}'],
    );
  });

  storeTest(suite, 'customer managed policies come back whole, listed by name under a path, and go', async (s) => {
    const deploy = policy('deploy', '/ci/', { description: 'lets CI deploy' });
    await s.identities.createManagedPolicy(deploy);
    await s.identities.createManagedPolicy(policy('audit'));
    await s.identities.createManagedPolicy(policy('build', '/ci/'));
    await assert.rejects(s.identities.createManagedPolicy(policy('audit')), 'an ARN is stored once');
    assert.deepEqual(await s.identities.getManagedPolicy(deploy.arn), deploy);
    assert.equal('description' in (await s.identities.getManagedPolicy(policy('audit').arn))!, false);
    assert.deepEqual(
      (await s.identities.listManagedPolicies({})).map((p) => p.policyName),
      ['audit', 'build', 'deploy'],
    );
    assert.deepEqual(
      (await s.identities.listManagedPolicies({ pathPrefix: '/ci/' })).map((p) => p.policyName),
      ['build', 'deploy'],
    );
    await s.identities.deleteManagedPolicy(deploy.arn);
    assert.equal(await s.identities.getManagedPolicy(deploy.arn), undefined);
    assert.deepEqual(
      (await s.identities.listManagedPolicies({})).map((p) => p.policyName),
      ['audit', 'build'],
    );
  });

  storeTest(suite, 'sessions store only a hash of the token and expire', async (s) => {
    await s.identities.putSession({
      accessKeyId: 'ASIA1',
      secretAccessKey: 'sec',
      sessionToken: 'tok',
      expiration: at('2026-01-01T01:00:00Z'),
      createDate: at('2026-01-01T00:00:00Z'),
      kind: 'role',
      sourceName: 'dev',
      sessionName: 's1',
      mfaAuthenticated: false,
      sessionPolicies: ['{}'],
    });
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

  storeTest(suite, 'a session keeps every field but the token; purge removes only the expired', async (s) => {
    const live: Session = {
      accessKeyId: 'ASIALIVE',
      secretAccessKey: 'live/secret',
      sessionToken: 'live-token',
      expiration: at('2026-01-01T03:00:00Z'),
      createDate: at('2026-01-01T00:00:00Z'),
      kind: 'federated',
      sourceName: null,
      sessionName: 'fed',
      mfaAuthenticated: true,
      chained: true,
      sourceIdentity: 'me',
      sourceId: 'AIDAX',
    };
    await s.identities.putSession(live);
    await s.identities.putSession({ ...live, accessKeyId: 'ASIAOLD', expiration: at('2026-01-01T01:00:00Z') });
    const { sessionToken, ...rest } = (await s.identities.getSession('ASIALIVE'))!;
    assert.deepEqual(rest, { ...(({ sessionToken: _, ...r }) => r)(live), accountId: s.accountId });
    assert.ok(sessionTokenMatches(sessionToken, 'live-token'));
    assert.equal(await s.identities.purgeSessions(at('2026-01-01T02:00:00Z')), 1);
    assert.equal(await s.identities.getSession('ASIAOLD'), undefined);
    assert.equal((await s.identities.getSession('ASIALIVE'))?.secretAccessKey, 'live/secret');
    assert.equal(await s.identities.purgeSessions(at('2026-01-01T02:00:00Z')), 0);
  });

  storeTest(suite, 'groups: unique names, members both ways, rename carries members, policies and attachments', async (s) => {
    const ids = s.identities;
    const group = (name: string, path = '/') => ({
      groupId: `AGPA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      groupName: name,
      path,
      arn: `arn:aws:iam::000000000000:group${path}${name}`,
      createDate: at('2026-01-05T00:00:00Z'),
    });
    for (const n of ['ops', 'Dev']) await ids.createGroup(group(n, n === 'ops' ? '/eng/' : '/'));
    await assert.rejects(ids.createGroup(group('OPS')));
    assert.deepEqual(await ids.getGroup('dev'), group('Dev'));
    assert.deepEqual(
      (await ids.listGroups({ limit: 10 })).map((g) => g.groupName),
      ['Dev', 'ops'],
    );
    assert.deepEqual(
      (await ids.listGroups({ limit: 10, pathPrefix: '/eng/' })).map((g) => g.groupName),
      ['ops'],
    );
    assert.deepEqual(
      (await ids.listGroups({ limit: 10, after: 'Dev' })).map((g) => g.groupName),
      ['ops'],
    );
    for (const n of ['alice', 'bob']) await ids.createUser(user(n));
    await ids.addUserToGroup('ops', 'Alice', at('2026-01-06T00:00:00Z'));
    await ids.addUserToGroup('OPS', 'alice', at('2026-01-06T00:00:00Z')); // idempotent
    await ids.addUserToGroup('ops', 'bob', at('2026-01-06T00:00:00Z'));
    await ids.addUserToGroup('dev', 'alice', at('2026-01-06T00:00:00Z'));
    assert.deepEqual(
      (await ids.listGroupsForUser('ALICE')).map((g) => g.groupName),
      ['Dev', 'ops'],
    );
    assert.deepEqual(
      (await ids.listGroupMembers('ops')).map((u) => u.userName),
      ['alice', 'bob'],
    );
    await ids.putInlinePolicy({ ownerKind: 'group', ownerName: 'ops', policyName: 'p', document: '{}' });
    await ids.attachPolicy('group', 'ops', 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    await ids.updateGroup('ops', { groupName: 'Platform', path: '/', arn: 'arn:aws:iam::000000000000:group/Platform' });
    assert.equal(await ids.getGroup('ops'), undefined);
    assert.equal((await ids.getGroup('platform'))?.arn, 'arn:aws:iam::000000000000:group/Platform');
    assert.deepEqual(
      (await ids.listGroupMembers('Platform')).map((u) => u.userName),
      ['alice', 'bob'],
    );
    assert.deepEqual(
      (await ids.listInlinePolicies('group', 'platform')).map((p) => p.policyName),
      ['p'],
    );
    assert.deepEqual(await ids.listAttachedPolicies('group', 'Platform'), ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    await ids.removeUserFromGroup('platform', 'BOB');
    assert.deepEqual(
      (await ids.listGroupMembers('platform')).map((u) => u.userName),
      ['alice'],
    );
    await ids.deleteGroup('Dev');
    assert.deepEqual(
      (await ids.listGroupsForUser('alice')).map((g) => g.groupName),
      ['Platform'],
    );
  });

  storeTest(suite, 'permissions boundaries of users and roles are set, counted and removed; tags are replaced', async (s) => {
    const ids = s.identities;
    const arn = 'arn:aws:iam::000000000000:policy/boundary';
    await ids.createUser({ ...user('alice'), permissionsBoundary: arn });
    await ids.createRole(role('deployer'));
    assert.equal((await ids.getUser('alice'))?.permissionsBoundary, arn);
    assert.equal((await ids.getRole('deployer'))?.permissionsBoundary, undefined);
    await ids.setPermissionsBoundary('role', 'DEPLOYER', arn);
    assert.equal((await ids.getRoleById(role('deployer').roleId))?.permissionsBoundary, arn);
    assert.equal(await ids.countBoundaryUses(arn), 2);
    await ids.setPermissionsBoundary('user', 'alice', null);
    assert.equal('permissionsBoundary' in ((await ids.getUser('alice')) ?? {}), false);
    assert.equal(await ids.countBoundaryUses(arn), 1);
    await ids.setTags('user', 'Alice', [{ Key: 'team', Value: 'b' }]);
    await ids.setTags('role', 'deployer', [{ Key: 'env', Value: 'prod' }]);
    await ids.createManagedPolicy(policy('tagged'));
    await ids.setTags('policy', policy('tagged').arn, []);
    assert.deepEqual((await ids.getUser('alice'))?.tags, [{ Key: 'team', Value: 'b' }]);
    assert.deepEqual((await ids.getRole('deployer'))?.tags, [{ Key: 'env', Value: 'prod' }]);
    assert.deepEqual((await ids.getManagedPolicy(policy('tagged').arn))?.tags, []);
  });

  storeTest(suite, 'managed policy versions: v1 at creation, ids never reused, the default is the document; who uses a policy', async (s) => {
    const ids = s.identities;
    const p = policy('versioned');
    await ids.createManagedPolicy(p);
    assert.deepEqual(await ids.listPolicyVersions(p.arn), [{ versionId: 'v1', document: p.document, createDate: p.createDate }]);
    const v2 = await ids.addPolicyVersion(p.arn, '{"v":2}', at('2026-02-01T00:00:00Z'), false);
    const v3 = await ids.addPolicyVersion(p.arn, '{"v":3}', at('2026-02-02T00:00:00Z'), true);
    assert.deepEqual([v2, v3], ['v2', 'v3']);
    const now = await ids.getManagedPolicy(p.arn);
    assert.deepEqual([now?.defaultVersionId, now?.document, now?.updateDate], ['v3', '{"v":3}', at('2026-02-02T00:00:00Z')]);
    await ids.deletePolicyVersion(p.arn, 'v3'); // (the service refuses to delete the default; the store does as told)
    await ids.setDefaultPolicyVersion(p.arn, 'v2');
    assert.equal(await ids.addPolicyVersion(p.arn, '{"v":4}', at('2026-02-03T00:00:00Z'), false), 'v4');
    assert.deepEqual(
      (await ids.listPolicyVersions(p.arn)).map((v) => v.versionId),
      ['v4', 'v2', 'v1'],
    );
    assert.equal((await ids.getManagedPolicy(p.arn))?.document, '{"v":2}');

    await ids.createUser({ ...user('ursula'), permissionsBoundary: p.arn });
    await ids.createRole(role('runner'));
    await ids.attachPolicy('role', 'Runner', p.arn);
    await ids.attachPolicy('group', 'ops', p.arn);
    assert.deepEqual(await ids.listPolicyUses(p.arn), {
      attached: [
        { kind: 'role', name: 'runner' },
        { kind: 'group', name: 'ops' },
      ],
      boundaryOf: [{ kind: 'user', name: 'ursula' }],
    });
    await ids.deleteManagedPolicy(p.arn);
    assert.deepEqual(await ids.listPolicyVersions(p.arn), []);
  });
}
