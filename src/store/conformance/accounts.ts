/** Conformance: accounts, organizations, and the per-account views of identities, projects and Event history (docs/accounts.md). */
import assert from 'node:assert/strict';
import type { Organization } from '../types.ts';
import { at, type Suite, storeTest } from './harness.ts';

const A = '111111111111';
const B = '222222222222';

export function runAccountConformance(suite: Suite): void {
  storeTest(suite, 'accounts: create once per id, unique email (any case), listed in creation order, status and name change', async (s) => {
    const a = { accountId: A, name: 'alpha', email: 'Alpha@example.com', status: 'ACTIVE' as const, createdAt: at('2026-01-02T00:00:00Z') };
    const b = { accountId: B, name: 'beta', email: 'beta@example.com', status: 'ACTIVE' as const, createdAt: at('2026-01-01T00:00:00Z') };
    assert.equal(await s.accounts.create(a), true);
    assert.equal(await s.accounts.create({ ...a, email: 'other@example.com' }), false, 'the id is taken');
    assert.equal(await s.accounts.create(b), true);
    assert.equal(await s.accounts.create({ ...b, accountId: '333333333333', email: 'BETA@example.com' }), false, 'emails are unique');
    assert.equal(await s.accounts.get('333333333333'), undefined);
    assert.deepEqual(await s.accounts.get(A), a);
    assert.deepEqual((await s.accounts.getByEmail('alpha@EXAMPLE.com'))?.accountId, A);
    assert.deepEqual(
      (await s.accounts.list()).map((x) => x.accountId),
      [B, A],
    );
    await s.accounts.setStatus(A, 'SUSPENDED');
    await s.accounts.rename(A, 'alpha-2');
    assert.deepEqual(await s.accounts.get(A), { ...a, status: 'SUSPENDED', name: 'alpha-2' });
    assert.equal(await s.accounts.get('999999999999'), undefined);
  });

  storeTest(suite, 'organizations: the management account joins at creation; members move, leave; service access; delete removes all', async (s) => {
    const org: Organization = {
      id: 'o-abcdefghij',
      arn: `arn:aws:organizations::${A}:organization/o-abcdefghij`,
      featureSet: 'ALL',
      managementAccountId: A,
      rootId: 'r-ab12',
      createdAt: at('2026-01-01T00:00:00Z'),
    };
    assert.equal(await s.organizations.create(org, 'CREATED', at('2026-01-01T00:00:00Z')), true);
    assert.equal(await s.organizations.create({ ...org, id: 'o-zzzzzzzzzz' }, 'CREATED', at('2026-01-01T00:00:00Z')), false, 'one organization per account');
    assert.equal(await s.organizations.get('o-zzzzzzzzzz'), undefined);
    assert.deepEqual(await s.organizations.get(org.id), org);
    assert.deepEqual(await s.organizations.ofAccount(A), {
      org,
      member: { accountId: A, orgId: org.id, parentId: 'r-ab12', joinedMethod: 'CREATED', joinedAt: at('2026-01-01T00:00:00Z') },
    });
    const member = { accountId: B, orgId: org.id, parentId: 'r-ab12', joinedMethod: 'CREATED' as const, joinedAt: at('2026-01-02T00:00:00Z') };
    assert.equal(await s.organizations.addMember(member), true);
    assert.equal(await s.organizations.addMember({ ...member, orgId: 'o-other00000' }), false, 'an account belongs to one organization');
    await s.organizations.moveMember(B, 'ou-ab12-11111111');
    assert.deepEqual(
      (await s.organizations.listMembers(org.id)).map((m) => [m.accountId, m.parentId]),
      [
        [A, 'r-ab12'],
        [B, 'ou-ab12-11111111'],
      ],
    );
    assert.deepEqual(
      (await s.organizations.listMembers(org.id, { parentId: 'ou-ab12-11111111' })).map((m) => m.accountId),
      [B],
    );
    await s.organizations.enableServiceAccess(org.id, 'cloudtrail.amazonaws.com', at('2026-01-03T00:00:00Z'));
    await s.organizations.enableServiceAccess(org.id, 'cloudtrail.amazonaws.com', at('2026-01-04T00:00:00Z'));
    await s.organizations.enableServiceAccess(org.id, 'config.amazonaws.com', at('2026-01-05T00:00:00Z'));
    await s.organizations.disableServiceAccess(org.id, 'config.amazonaws.com');
    assert.deepEqual(await s.organizations.listServiceAccess(org.id), [
      { servicePrincipal: 'cloudtrail.amazonaws.com', enabledAt: at('2026-01-03T00:00:00Z') },
    ]);
    await s.organizations.removeMember(B);
    assert.equal(await s.organizations.ofAccount(B), undefined);
    await s.organizations.delete(org.id);
    assert.equal(await s.organizations.get(org.id), undefined);
    assert.equal(await s.organizations.ofAccount(A), undefined);
    assert.deepEqual(await s.organizations.listServiceAccess(org.id), []);
  });

  storeTest(suite, 'organizational units: unique names per parent (any case), listed per parent, renamed, deleted with the organization', async (s) => {
    const org: Organization = {
      id: 'o-abcdefghij',
      arn: `arn:aws:organizations::${A}:organization/o-abcdefghij`,
      featureSet: 'ALL',
      managementAccountId: A,
      rootId: 'r-ab12',
      createdAt: at('2026-01-01T00:00:00Z'),
    };
    assert.equal(await s.organizations.create(org, 'CREATED', org.createdAt), true);
    const eng = { id: 'ou-ab12-11111111', orgId: org.id, parentId: 'r-ab12', name: 'Eng', createdAt: at('2026-01-02T00:00:00Z') };
    const ops = { id: 'ou-ab12-22222222', orgId: org.id, parentId: 'r-ab12', name: 'Ops', createdAt: at('2026-01-03T00:00:00Z') };
    const web = { id: 'ou-ab12-33333333', orgId: org.id, parentId: eng.id, name: 'eng', createdAt: at('2026-01-04T00:00:00Z') };
    assert.equal(await s.organizations.createUnit(eng), true);
    assert.equal(await s.organizations.createUnit({ ...eng, id: 'ou-ab12-44444444', name: 'ENG' }), false, 'a sibling has the name');
    assert.equal(await s.organizations.createUnit(ops), true);
    assert.equal(await s.organizations.createUnit(web), true, 'the same name under another parent');
    assert.deepEqual(await s.organizations.getUnit(eng.id), eng);
    assert.equal(await s.organizations.getUnit('ou-ab12-44444444'), undefined);
    assert.deepEqual(
      (await s.organizations.listUnits(org.id)).map((u) => u.id),
      [eng.id, ops.id, web.id],
    );
    assert.deepEqual(
      (await s.organizations.listUnits(org.id, { parentId: 'r-ab12' })).map((u) => u.name),
      ['Eng', 'Ops'],
    );
    assert.equal(await s.organizations.renameUnit(ops.id, 'eng'), false, 'a sibling has the name');
    assert.equal(await s.organizations.renameUnit(ops.id, 'Operations'), true);
    assert.equal(await s.organizations.renameUnit(ops.id, 'OPERATIONS'), true, 'its own name in another case');
    assert.equal((await s.organizations.getUnit(ops.id))?.name, 'OPERATIONS');
    await s.organizations.deleteUnit(web.id);
    assert.deepEqual(await s.organizations.listUnits(org.id, { parentId: eng.id }), []);
    await s.organizations.delete(org.id);
    assert.deepEqual(await s.organizations.listUnits(org.id), []);
    assert.equal(await s.organizations.getUnit(eng.id), undefined);
  });

  storeTest(
    suite,
    'CreateAccount requests: persisted IN_PROGRESS, completed once (the claim), listed newest first by state, pending oldest first',
    async (s) => {
      const base = { orgId: 'o-abcdefghij', roleName: 'OrganizationAccountAccessRole', state: 'IN_PROGRESS' as const };
      const one = { ...base, id: 'car-1', accountName: 'one', email: 'one@example.com', requestedAt: at('2026-01-01T00:00:00Z') };
      const two = { ...base, id: 'car-2', accountName: 'two', email: 'two@example.com', requestedAt: at('2026-01-02T00:00:00Z') };
      const other = { ...base, id: 'car-3', orgId: 'o-zzzzzzzzzz', accountName: 'three', email: 'three@example.com', requestedAt: at('2026-01-03T00:00:00Z') };
      for (const q of [one, two, other]) await s.organizations.createAccountRequest(q);
      assert.deepEqual(await s.organizations.getAccountRequest('car-1'), one);
      assert.equal(await s.organizations.getAccountRequest('car-9'), undefined);
      assert.deepEqual(
        (await s.organizations.pendingAccountRequests(at('2026-01-02T00:00:00Z'), 10)).map((q) => q.id),
        ['car-1', 'car-2'],
      );
      assert.deepEqual(
        (await s.organizations.pendingAccountRequests(at('2026-01-09T00:00:00Z'), 2)).map((q) => q.id),
        ['car-1', 'car-2'],
      );
      const done = at('2026-01-05T00:00:00Z');
      assert.equal(await s.organizations.completeAccountRequest('car-1', { state: 'SUCCEEDED', accountId: B, at: done }), true);
      assert.equal(
        await s.organizations.completeAccountRequest('car-1', { state: 'FAILED', failureReason: 'INTERNAL_FAILURE', at: done }),
        false,
        'completed once',
      );
      assert.equal(await s.organizations.completeAccountRequest('car-2', { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS', at: done }), true);
      assert.deepEqual(await s.organizations.getAccountRequest('car-1'), { ...one, state: 'SUCCEEDED', accountId: B, completedAt: done });
      assert.deepEqual(await s.organizations.getAccountRequest('car-2'), { ...two, state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS', completedAt: done });
      assert.deepEqual(
        (await s.organizations.listAccountRequests('o-abcdefghij')).map((q) => q.id),
        ['car-2', 'car-1'],
      );
      assert.deepEqual(
        (await s.organizations.listAccountRequests('o-abcdefghij', { states: ['SUCCEEDED', 'IN_PROGRESS'] })).map((q) => q.id),
        ['car-1'],
      );
      assert.deepEqual(await s.organizations.listAccountRequests('o-abcdefghij', { states: [] }), []);
      assert.deepEqual(
        (await s.organizations.pendingAccountRequests(at('2026-01-09T00:00:00Z'), 10)).map((q) => q.id),
        ['car-3'],
      );
    },
  );

  storeTest(suite, 'each account sees its own users, roles, groups, policies, keys, projects and Event history; same names in two accounts', async (s) => {
    const now = at('2026-01-01T00:00:00Z');
    for (const acct of [A, B]) {
      const ids = s.forAccount(acct).identities;
      await ids.createUser({ userId: `AIDA${acct}`, userName: 'Anna', path: '/', arn: `arn:aws:iam::${acct}:user/Anna`, createDate: now, tags: [] });
      await ids.createRole({
        roleId: `AROA${acct}`,
        roleName: 'Deploy',
        path: '/',
        arn: `arn:aws:iam::${acct}:role/Deploy`,
        assumeRolePolicyDocument: '{}',
        maxSessionDuration: 3600,
        createDate: now,
        tags: [],
      });
      await ids.createGroup({ groupId: `AGPA${acct}`, groupName: 'Devs', path: '/', arn: `arn:aws:iam::${acct}:group/Devs`, createDate: now });
      await ids.addUserToGroup('Devs', 'anna', now);
      await ids.putInlinePolicy({ ownerKind: 'user', ownerName: 'Anna', policyName: 'p', document: `{"account":"${acct}"}` });
      await ids.attachPolicy('role', 'Deploy', 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      await ids.putAccessKey({ accessKeyId: `AKIA${acct}`, secretAccessKey: 'x', userName: 'Anna', status: 'Active', createDate: now });
    }
    const a = s.forAccount(A).identities;
    assert.equal((await a.getUser('anna'))?.arn, `arn:aws:iam::${A}:user/Anna`);
    assert.equal(await a.getUserById(`AIDA${B}`), undefined);
    assert.deepEqual(
      (await a.listUsers({ limit: 10 })).map((u) => u.arn),
      [`arn:aws:iam::${A}:user/Anna`],
    );
    assert.deepEqual(
      (await a.listRoles({ limit: 10 })).map((r) => r.roleId),
      [`AROA${A}`],
    );
    assert.deepEqual(
      (await a.listGroupMembers('devs')).map((u) => u.userId),
      [`AIDA${A}`],
    );
    assert.equal((await a.getInlinePolicy('user', 'anna', 'p'))?.document, `{"account":"${A}"}`);
    assert.deepEqual(await a.listPolicyUses('arn:aws:iam::aws:policy/ReadOnlyAccess'), { attached: [{ kind: 'role', name: 'deploy' }], boundaryOf: [] });
    assert.equal(await a.countPolicyAttachments('arn:aws:iam::aws:policy/ReadOnlyAccess'), 1);
    assert.deepEqual(
      (await a.listAccessKeys('Anna')).map((k) => k.accessKeyId),
      [`AKIA${A}`],
    );
    assert.equal((await a.getAccessKey(`AKIA${B}`))?.accountId, B, 'keys are found globally, and say whose they are');
    await s.forAccount(B).identities.deleteUser('anna');
    assert.ok(await a.getUser('anna'), "deleting B's user leaves A's");

    await s.forAccount(A).projects.create({
      id: 'alpha',
      arn: `arn:aws:codestar:us-east-1:${A}:project/alpha`,
      name: 'Alpha',
      creatorArn: 'x',
      state: 'CreateComplete',
      createdAt: now,
      version: 1,
    });
    assert.equal((await s.forAccount(A).projects.get('alpha'))?.name, 'Alpha');
    assert.equal(await s.forAccount(B).projects.get('alpha'), undefined);
    assert.equal(await s.forAccount(B).projects.count(), 0);

    const record = (acct: string, id: string) => ({
      eventId: id,
      eventTime: now,
      accountId: acct,
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      readOnly: false,
      username: 'root',
      accessKeyId: null,
      resources: [],
      json: JSON.stringify({ eventID: id, recipientAccountId: acct }),
    });
    await s.events.append([record(A, 'ea'), record(B, 'eb')]);
    const ids = async (acct: string) => (await s.forAccount(acct).events.lookup({ attributes: [], limit: 10 })).events.map((e) => e.eventId);
    assert.deepEqual(await ids(A), ['ea']);
    assert.deepEqual(await ids(B), ['eb']);
    assert.equal(await s.forAccount(A).events.get('eb'), undefined);
  });
}
