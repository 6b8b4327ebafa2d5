/**
 * IAM groups, permissions boundaries and tags through the pipeline, in process (testing.ts): the
 * operations' success paths and errors as the Query wire carries them, and their effect on what a
 * user or role may then do (a group's policies apply to its members; a boundary caps an identity's
 * own policies; aws:ResourceTag conditions read the tags).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, allow, harness, type Harness } from './testing.ts';
import { iamCalls, members, result } from './iam-testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

const { iam, ok, fails } = iamCalls(() => h);

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

test('groups: create, get with members, list, rename, delete; AWS errors and conflicts', async () => {
  const g = (await ok('CreateGroup', { GroupName: 'devs', Path: '/eng/' })).Group;
  assert.deepEqual([g.GroupName, g.Path, g.Arn], ['devs', '/eng/', `arn:aws:iam::${ACCOUNT}:group/eng/devs`]);
  assert.match(g.GroupId, /^AGPA[A-Z0-9]{17}$/);
  await fails('CreateGroup', { GroupName: 'DEVS' }, 409, 'EntityAlreadyExists', 'Group with name DEVS already exists.');
  await fails('GetGroup', { GroupName: 'ghost' }, 404, 'NoSuchEntity', 'The group with name ghost cannot be found.');
  await ok('CreateUser', { UserName: 'gina' });
  await ok('CreateUser', { UserName: 'gus' });
  await ok('AddUserToGroup', { GroupName: 'devs', UserName: 'gina' });
  await ok('AddUserToGroup', { GroupName: 'devs', UserName: 'gina' }); // idempotent
  await ok('AddUserToGroup', { GroupName: 'devs', UserName: 'gus' });
  await fails('AddUserToGroup', { GroupName: 'devs', UserName: 'nobody' }, 404, 'NoSuchEntity', 'The user with name nobody cannot be found.');
  const got = await ok('GetGroup', { GroupName: 'devs', MaxItems: '1' });
  assert.deepEqual([got.Group.GroupId, members(got.Users).map((u) => u.UserName), got.IsTruncated], [g.GroupId, ['gina'], 'true']);
  const rest = await ok('GetGroup', { GroupName: 'devs', Marker: got.Marker });
  assert.deepEqual([members(rest.Users).map((u) => u.UserName), rest.IsTruncated], [['gus'], 'false']);
  assert.deepEqual(
    members((await ok('ListGroupsForUser', { UserName: 'gina' })).Groups).map((x) => x.GroupName),
    ['devs'],
  );
  await fails('DeleteGroup', { GroupName: 'devs' }, 409, 'DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  await fails('DeleteUser', { UserName: 'gus' }, 409, 'DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  await ok('CreateGroup', { GroupName: 'ops' });
  await fails('UpdateGroup', { GroupName: 'devs', NewGroupName: 'ops' }, 409, 'EntityAlreadyExists', 'Group with name ops already exists.');
  await ok('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'list', PolicyDocument: JSON.stringify(allow('codestar:List*')) });
  await ok('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: READ_ONLY });
  await ok('UpdateGroup', { GroupName: 'devs', NewGroupName: 'builders', NewPath: '/' });
  await fails('GetGroup', { GroupName: 'devs' }, 404, 'NoSuchEntity', 'The group with name devs cannot be found.');
  const renamed = await ok('GetGroup', { GroupName: 'builders' });
  assert.deepEqual([renamed.Group.Arn, members(renamed.Users).map((u) => u.UserName)], [`arn:aws:iam::${ACCOUNT}:group/builders`, ['gina', 'gus']]);
  assert.deepEqual(members((await ok('ListGroupPolicies', { GroupName: 'builders' })).PolicyNames), ['list']);
  assert.deepEqual(
    members((await ok('ListAttachedGroupPolicies', { GroupName: 'builders' })).AttachedPolicies).map((p) => p.PolicyArn),
    [READ_ONLY],
  );
  assert.deepEqual(
    members((await ok('ListGroups', { PathPrefix: '/' })).Groups).map((x) => x.GroupName),
    ['builders', 'ops'],
  );
  await ok('RemoveUserFromGroup', { GroupName: 'builders', UserName: 'gus' });
  await ok('RemoveUserFromGroup', { GroupName: 'builders', UserName: 'gus' }); // not a member: nothing to do
  await ok('DeleteUser', { UserName: 'gus' });
  await ok('RemoveUserFromGroup', { GroupName: 'builders', UserName: 'gina' });
  await fails('DeleteGroup', { GroupName: 'builders' }, 409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
  await ok('DeleteGroupPolicy', { GroupName: 'builders', PolicyName: 'list' });
  await fails('DeleteGroup', { GroupName: 'builders' }, 409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await ok('DetachGroupPolicy', { GroupName: 'builders', PolicyArn: READ_ONLY });
  await ok('DeleteGroup', { GroupName: 'builders' });
  await fails('GetGroup', { GroupName: 'builders' }, 404, 'NoSuchEntity', 'The group with name builders cannot be found.');
});

test("a group's policies apply to its members, and stop applying when the member leaves", async () => {
  const creds = await h.user('grace');
  const list = () => h.json('codestar', 'ListProjects', {}, { credentials: creds });
  assert.equal((await list()).status, 400); // AccessDeniedException: no policy of her own
  await ok('CreateGroup', { GroupName: 'readers' });
  await ok('AttachGroupPolicy', { GroupName: 'readers', PolicyArn: READ_ONLY });
  await ok('AddUserToGroup', { GroupName: 'readers', UserName: 'grace' });
  assert.equal((await list()).status, 200);
  await ok('RemoveUserFromGroup', { GroupName: 'readers', UserName: 'grace' });
  const denied = await list();
  assert.equal(denied.json().__type, 'AccessDeniedException');
  // an inline group policy counts the same
  await ok('CreateGroup', { GroupName: 'inline' });
  await ok('PutGroupPolicy', { GroupName: 'inline', PolicyName: 'p', PolicyDocument: JSON.stringify(allow('codestar:ListProjects')) });
  await ok('AddUserToGroup', { GroupName: 'inline', UserName: 'grace' });
  assert.equal((await list()).status, 200);
  // …and a group's explicit Deny wins over the user's own Allow
  await ok('PutUserPolicy', { UserName: 'grace', PolicyName: 'all', PolicyDocument: JSON.stringify(allow('iam:*')) });
  assert.equal((await iam('ListUsers', {}, creds)).status, 200);
  await ok('PutGroupPolicy', {
    GroupName: 'inline',
    PolicyName: 'deny',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }] }),
  });
  await fails(
    'ListUsers',
    {},
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/grace is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ with an explicit deny in an identity-based policy`,
    creds,
  );
});

test('permissions boundaries: set at creation or later, shown by Get only, counted, enforced, and keep their policy from being deleted', async () => {
  const boundary = (await ok('CreatePolicy', { PolicyName: 'codestar-only', PolicyDocument: JSON.stringify(allow(['codestar:*', 'iam:GetUser'])) })).Policy.Arn;
  await fails(
    'CreateUser',
    { UserName: 'bea', PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/missing` },
    404,
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/missing does not exist or is not attachable.`,
  );
  await ok('CreateUser', { UserName: 'bea', PermissionsBoundary: boundary });
  const got = (await ok('GetUser', { UserName: 'bea' })).User;
  assert.deepEqual(got.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
  const listed = members((await ok('ListUsers')).Users).find((u) => u.UserName === 'bea');
  assert.equal(listed.PermissionsBoundary, undefined);
  assert.equal((await ok('GetPolicy', { PolicyArn: boundary })).Policy.PermissionsBoundaryUsageCount, '1');
  assert.deepEqual(
    members((await ok('ListPolicies', { Scope: 'Local', OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsBoundary' })).Policies).map((p) => p.Arn),
    [boundary],
  );
  assert.deepEqual(members((await ok('ListPolicies', { Scope: 'Local', OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsPolicy' })).Policies), []);
  await fails('DeletePolicy', { PolicyArn: boundary }, 409, 'DeleteConflict', 'Cannot delete a policy attached to entities.');

  // AdministratorAccess attached, but the boundary allows CodeStar and iam:GetUser only
  await ok('AttachUserPolicy', { UserName: 'bea', PolicyArn: ADMIN });
  const key = (await ok('CreateAccessKey', { UserName: 'bea' })).AccessKey;
  const creds = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  assert.equal((await h.json('codestar', 'ListProjects', {}, { credentials: creds })).status, 200);
  assert.equal((await iam('GetUser', { UserName: 'bea' }, creds)).status, 200);
  await fails(
    'ListUsers',
    {},
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/bea is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no permissions boundary allows the iam:ListUsers action`,
    creds,
  );
  // the boundary alone grants nothing
  await ok('DetachUserPolicy', { UserName: 'bea', PolicyArn: ADMIN });
  assert.equal((await h.json('codestar', 'ListProjects', {}, { credentials: creds })).status, 400);
  await ok('AttachUserPolicy', { UserName: 'bea', PolicyArn: ADMIN });
  await ok('DeleteUserPermissionsBoundary', { UserName: 'bea' });
  assert.equal((await iam('ListUsers', {}, creds)).status, 200);
  assert.equal((await ok('GetUser', { UserName: 'bea' })).User.PermissionsBoundary, undefined);

  // roles: the boundary caps the role's sessions
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  });
  await ok('CreateRole', { RoleName: 'capped', AssumeRolePolicyDocument: trust });
  await ok('AttachRolePolicy', { RoleName: 'capped', PolicyArn: ADMIN });
  await ok('PutRolePermissionsBoundary', { RoleName: 'capped', PermissionsBoundary: boundary });
  assert.equal((await ok('GetRole', { RoleName: 'capped' })).Role.PermissionsBoundary.PermissionsBoundaryArn, boundary);
  assert.equal((await ok('GetPolicy', { PolicyArn: boundary })).Policy.PermissionsBoundaryUsageCount, '1');
  const assumer = await h.user('assumer', allow('sts:AssumeRole'));
  const assumed = result(
    await h.query('sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/capped`, RoleSessionName: 'capped-session' }, { credentials: assumer }),
    'AssumeRole',
  ).Credentials;
  const session = { accessKeyId: assumed.AccessKeyId, secretAccessKey: assumed.SecretAccessKey, sessionToken: assumed.SessionToken };
  assert.equal((await h.json('codestar', 'ListProjects', {}, { credentials: session })).status, 200);
  assert.equal((await iam('ListRoles', {}, session)).status, 403);
  await ok('DeleteRolePermissionsBoundary', { RoleName: 'capped' });
  assert.equal((await iam('ListRoles', {}, session)).status, 200);
  await ok('DeletePolicy', { PolicyArn: boundary });
});

test('tags on users, roles and policies: merge by key case-insensitively, untag, list with paging; aws:ResourceTag in conditions', async () => {
  await ok('CreateUser', { UserName: 'tess', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a' });
  await ok('TagUser', { UserName: 'tess', 'Tags.member.1.Key': 'TEAM', 'Tags.member.1.Value': 'b', 'Tags.member.2.Key': 'env', 'Tags.member.2.Value': 'prod' });
  const page = await ok('ListUserTags', { UserName: 'tess', MaxItems: '1' });
  assert.deepEqual([members(page.Tags), page.IsTruncated], [[{ Key: 'env', Value: 'prod' }], 'true']);
  assert.deepEqual(members((await ok('ListUserTags', { UserName: 'tess', Marker: page.Marker })).Tags), [{ Key: 'TEAM', Value: 'b' }]);
  await ok('UntagUser', { UserName: 'tess', 'TagKeys.member.1': 'team', 'TagKeys.member.2': 'absent' });
  assert.deepEqual(members((await ok('GetUser', { UserName: 'tess' })).User.Tags), [{ Key: 'env', Value: 'prod' }]);
  await fails(
    'TagUser',
    { UserName: 'ghost', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' },
    404,
    'NoSuchEntity',
    'The user with name ghost cannot be found.',
  );
  await fails(
    'TagUser',
    { UserName: 'tess', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v', 'Tags.member.2.Key': 'K', 'Tags.member.2.Value': 'w' },
    400,
    'InvalidInput',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  const many = Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [
      [`Tags.member.${i + 1}.Key`, `k${i}`],
      [`Tags.member.${i + 1}.Value`, 'v'],
    ]).flat(),
  );
  await fails('TagUser', { UserName: 'tess', ...many }, 409, 'LimitExceeded', 'Cannot exceed quota for TagsPerResource: 50');
  assert.deepEqual(members((await ok('ListUserTags', { UserName: 'tess' })).Tags), [{ Key: 'env', Value: 'prod' }]);

  const policyArn = (await ok('CreatePolicy', { PolicyName: 'tagged', PolicyDocument: JSON.stringify(allow('codestar:List*')) })).Policy.Arn;
  assert.deepEqual(members((await ok('GetPolicy', { PolicyArn: policyArn })).Policy.Tags), []);
  await ok('TagPolicy', { PolicyArn: policyArn, 'Tags.member.1.Key': 'owner', 'Tags.member.1.Value': 'sec' });
  assert.deepEqual(members((await ok('ListPolicyTags', { PolicyArn: policyArn })).Tags), [{ Key: 'owner', Value: 'sec' }]);
  await ok('UntagPolicy', { PolicyArn: policyArn, 'TagKeys.member.1': 'OWNER' });
  assert.deepEqual(members((await ok('ListPolicyTags', { PolicyArn: policyArn })).Tags), []);
  assert.equal((await iam('TagPolicy', { PolicyArn: READ_ONLY, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' })).status, 403);

  // a condition on aws:ResourceTag/team allows the tagged role and denies the other
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  });
  await ok('CreateRole', { RoleName: 'blue', AssumeRolePolicyDocument: trust, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' });
  await ok('CreateRole', { RoleName: 'red', AssumeRolePolicyDocument: trust });
  await ok('TagRole', { RoleName: 'red', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'red' });
  assert.deepEqual(members((await ok('ListRoleTags', { RoleName: 'red' })).Tags), [{ Key: 'team', Value: 'red' }]);
  const creds = await h.user('tagger', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } }],
  });
  assert.equal((await iam('GetRole', { RoleName: 'blue' }, creds)).status, 200);
  assert.equal((await iam('GetRole', { RoleName: 'red' }, creds)).status, 403);
  await ok('UntagRole', { RoleName: 'red', 'TagKeys.member.1': 'team' });
  assert.deepEqual(members((await ok('ListRoleTags', { RoleName: 'red' })).Tags), []);
});

test('policy versions: v1 at creation, up to 5, set the default (which decides), never delete the default, ids not reused', async () => {
  const arn = (await ok('CreatePolicy', { PolicyName: 'evolving', PolicyDocument: JSON.stringify(allow('codestar:ListProjects')) })).Policy.Arn;
  const creds = await h.user('vera');
  await ok('AttachUserPolicy', { UserName: 'vera', PolicyArn: arn });
  const listProjects = async () => (await h.json('codestar', 'ListProjects', {}, { credentials: creds })).status;
  const listUsers = async () => (await iam('ListUsers', {}, creds)).status;
  assert.deepEqual([await listProjects(), await listUsers()], [200, 403]);
  const v2 = (await ok('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: JSON.stringify(allow('iam:ListUsers')) })).PolicyVersion;
  assert.deepEqual([v2.VersionId, v2.IsDefaultVersion], ['v2', 'false']);
  assert.deepEqual([await listProjects(), await listUsers()], [200, 403]); // v1 still decides
  await ok('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
  assert.deepEqual([await listProjects(), await listUsers()], [400, 200]);
  assert.equal((await ok('GetPolicy', { PolicyArn: arn })).Policy.DefaultVersionId, 'v2');
  const v1 = (await ok('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' })).PolicyVersion;
  assert.deepEqual([JSON.parse(decodeURIComponent(v1.Document)), v1.IsDefaultVersion], [allow('codestar:ListProjects'), 'false']);
  await fails('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' }, 409, 'DeleteConflict', 'Cannot delete the default version of a policy.');
  await fails('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v9' }, 404, 'NoSuchEntity', `Policy ${arn} version v9 does not exist.`);
  for (const n of [3, 4, 5])
    assert.equal((await ok('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: JSON.stringify(allow(`s3:Get${n}`)) })).PolicyVersion.VersionId, `v${n}`);
  await fails(
    'CreatePolicyVersion',
    { PolicyArn: arn, PolicyDocument: JSON.stringify(allow('s3:Get6')) },
    409,
    'LimitExceeded',
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  );
  await ok('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v5' });
  const v6 = (await ok('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: JSON.stringify(allow('s3:Get6')), SetAsDefault: 'true' })).PolicyVersion;
  assert.deepEqual([v6.VersionId, v6.IsDefaultVersion], ['v6', 'true']);
  const versions = members((await ok('ListPolicyVersions', { PolicyArn: arn })).Versions);
  assert.deepEqual(
    versions.map((v) => [v.VersionId, v.IsDefaultVersion]),
    [
      ['v6', 'true'],
      ['v4', 'false'],
      ['v3', 'false'],
      ['v2', 'false'],
      ['v1', 'false'],
    ],
  );
  await fails(
    'CreatePolicyVersion',
    { PolicyArn: READ_ONLY, PolicyDocument: JSON.stringify(allow('s3:*')) },
    403,
    'AccessDenied',
    /not authorized to perform: iam:CreatePolicyVersion/,
  );
  await ok('DetachUserPolicy', { UserName: 'vera', PolicyArn: arn });
  await fails(
    'DeletePolicy',
    { PolicyArn: arn },
    409,
    'DeleteConflict',
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
  );
  for (const v of ['v1', 'v2', 'v3', 'v4']) await ok('DeletePolicyVersion', { PolicyArn: arn, VersionId: v });
  await ok('DeletePolicy', { PolicyArn: arn });
});

test('ListEntitiesForPolicy: the groups, users and roles a policy is attached to or bounds, by filter', async () => {
  const arn = (await ok('CreatePolicy', { PolicyName: 'shared', PolicyDocument: JSON.stringify(allow('codestar:List*')) })).Policy.Arn;
  await ok('CreateGroup', { GroupName: 'g-shared' });
  await ok('AttachGroupPolicy', { GroupName: 'g-shared', PolicyArn: arn });
  await ok('CreateUser', { UserName: 'u-shared' });
  await ok('AttachUserPolicy', { UserName: 'u-shared', PolicyArn: arn });
  await ok('CreateUser', { UserName: 'u-bounded', PermissionsBoundary: arn });
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  });
  await ok('CreateRole', { RoleName: 'r-shared', AssumeRolePolicyDocument: trust });
  await ok('AttachRolePolicy', { RoleName: 'r-shared', PolicyArn: arn });
  const all = await ok('ListEntitiesForPolicy', { PolicyArn: arn });
  assert.deepEqual(
    [members(all.PolicyGroups).map((g) => g.GroupName), members(all.PolicyUsers).map((u) => u.UserName), members(all.PolicyRoles).map((r) => r.RoleName)],
    [['g-shared'], ['u-bounded', 'u-shared'], ['r-shared']],
  );
  assert.match(members(all.PolicyUsers)[0].UserId, /^AIDA/);
  const attachedUsers = await ok('ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'User', PolicyUsageFilter: 'PermissionsPolicy' });
  assert.deepEqual(
    [members(attachedUsers.PolicyUsers).map((u) => u.UserName), members(attachedUsers.PolicyGroups), members(attachedUsers.PolicyRoles)],
    [['u-shared'], [], []],
  );
  const bounded = await ok('ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' });
  assert.deepEqual(
    members(bounded.PolicyUsers).map((u) => u.UserName),
    ['u-bounded'],
  );
  const first = await ok('ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: '2' });
  assert.deepEqual([members(first.PolicyGroups).length + members(first.PolicyUsers).length, first.IsTruncated], [2, 'true']);
  const second = await ok('ListEntitiesForPolicy', { PolicyArn: arn, Marker: first.Marker });
  assert.deepEqual([members(second.PolicyUsers).map((u) => u.UserName), members(second.PolicyRoles).map((r) => r.RoleName)], [['u-shared'], ['r-shared']]);
});

test('last used, from the audit trail: GetAccessKeyLastUsed, the credential report, RoleLastUsed; GetAccountSummary counts', async () => {
  const creds = await h.user('lou', allow(['codestar:ListProjects', 'sts:AssumeRole']));
  const keyId = creds.accessKeyId;
  const never = await ok('GetAccessKeyLastUsed', { AccessKeyId: keyId });
  assert.deepEqual([never.UserName, never.AccessKeyLastUsed], ['lou', { ServiceName: 'N/A', Region: 'N/A' }]);
  // a call with a bad signature is recorded under the key, but did not use it
  await h.json('codestar', 'ListProjects', {}, { credentials: { ...creds, secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00' } });
  assert.equal((await ok('GetAccessKeyLastUsed', { AccessKeyId: keyId })).AccessKeyLastUsed.ServiceName, 'N/A');
  h.advance(5000);
  // the call's time, to the second (the clock runs on: a busy machine may cross a second during the call)
  const callFrom = Math.floor(h.now().getTime() / 1000) * 1000;
  assert.equal((await h.json('codestar', 'ListProjects', {}, { credentials: creds, region: 'eu-west-1' })).status, 200);
  const callTo = h.now().getTime();
  const used = (await ok('GetAccessKeyLastUsed', { AccessKeyId: keyId })).AccessKeyLastUsed;
  assert.deepEqual([used.ServiceName, used.Region], ['codestar', 'eu-west-1']);
  const usedAt = Date.parse(used.LastUsedDate);
  assert.ok(usedAt >= callFrom && usedAt <= callTo && usedAt % 1000 === 0, `LastUsedDate ${used.LastUsedDate} is the ListProjects call's second`);
  await fails(
    'GetAccessKeyLastUsed',
    { AccessKeyId: 'AKIANOSUCHKEY0000000' },
    404,
    'NoSuchEntity',
    'The Access Key with id AKIANOSUCHKEY0000000 cannot be found.',
  );

  await fails('GetCredentialReport', {}, 410, 'ReportNotPresent', '');
  assert.deepEqual(await ok('GenerateCredentialReport'), { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
  assert.deepEqual(await ok('GenerateCredentialReport'), { State: 'COMPLETE' });
  const report = await ok('GetCredentialReport');
  assert.equal(report.ReportFormat, 'text/csv');
  const lines = Buffer.from(report.Content, 'base64').toString('utf8').split('\n');
  const header = (lines[0] ?? '').split(',');
  assert.deepEqual(header.slice(0, 4), ['user', 'arn', 'user_creation_time', 'password_enabled']);
  assert.equal(header.length, 22);
  const row = (name: string) => Object.fromEntries((lines.find((l) => l.startsWith(`${name},`)) ?? '').split(',').map((v, i) => [header[i], v]));
  assert.deepEqual([row('<root_account>').arn, row('<root_account>').password_enabled], [`arn:aws:iam::${ACCOUNT}:root`, 'not_supported']);
  const lou = row('lou');
  assert.deepEqual(
    [lou.access_key_1_active, lou.access_key_1_last_used_service, lou.access_key_1_last_used_region, lou.access_key_2_active, lou.access_key_2_last_used_date],
    ['true', 'codestar', 'eu-west-1', 'false', 'N/A'],
  );
  assert.equal(Date.parse(lou.access_key_1_last_used_date ?? ''), Date.parse(used.LastUsedDate));
  assert.match(lou.access_key_1_last_rotated ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  h.advance(4 * 3600 * 1000);
  await fails('GetCredentialReport', {}, 410, 'ReportExpired', '');
  assert.equal((await ok('GenerateCredentialReport')).State, 'STARTED');

  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/lou` }, Action: 'sts:AssumeRole' }],
  });
  await ok('CreateRole', { RoleName: 'lou-role', AssumeRolePolicyDocument: trust });
  assert.deepEqual((await ok('GetRole', { RoleName: 'lou-role' })).Role.RoleLastUsed, '');
  const assumeFrom = Math.floor(h.now().getTime() / 1000) * 1000;
  const assumed = await h.query(
    'sts',
    'AssumeRole',
    { RoleArn: `arn:aws:iam::${ACCOUNT}:role/lou-role`, RoleSessionName: 'lou-session' },
    { credentials: creds, region: 'eu-central-1' },
  );
  const assumeTo = h.now().getTime();
  assert.equal(assumed.status, 200, assumed.text);
  const last = (await ok('GetRole', { RoleName: 'lou-role' })).Role.RoleLastUsed;
  const lastAt = Date.parse(last.LastUsedDate);
  assert.equal(last.Region, 'us-east-1');
  assert.ok(lastAt >= assumeFrom && lastAt <= assumeTo && lastAt % 1000 === 0, `RoleLastUsed ${last.LastUsedDate} is the AssumeRole call's second`);

  const summary = (await ok('GetAccountSummary')).SummaryMap;
  const map = Object.fromEntries(([] as any[]).concat(summary.entry).map((e) => [e.key, Number(e.value)]));
  const users = members((await ok('ListUsers')).Users).length;
  assert.deepEqual([map.Users, map.UsersQuota, map.GroupsPerUserQuota, map.AccountMFAEnabled], [users, 5000, 10, 0]);
  assert.ok((map.Roles ?? 0) >= 1);
});

test('GetAccountAuthorizationDetails: users with their groups and policies, groups, roles, policies with versions; filter and paging', async () => {
  await ok('CreateGroup', { GroupName: 'aad-group' });
  await ok('PutGroupPolicy', { GroupName: 'aad-group', PolicyName: 'g-inline', PolicyDocument: JSON.stringify(allow('codestar:List*')) });
  const arn = (await ok('CreatePolicy', { PolicyName: 'aad-policy', PolicyDocument: JSON.stringify(allow('s3:GetObject')) })).Policy.Arn;
  await ok('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: JSON.stringify(allow('s3:PutObject')), SetAsDefault: 'true' });
  await ok('CreateUser', { UserName: 'aad-user', PermissionsBoundary: arn, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'x' });
  await ok('AddUserToGroup', { GroupName: 'aad-group', UserName: 'aad-user' });
  await ok('AttachUserPolicy', { UserName: 'aad-user', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  const d = await ok('GetAccountAuthorizationDetails');
  const user = members(d.UserDetailList).find((u) => u.UserName === 'aad-user');
  assert.deepEqual(members(user.GroupList), ['aad-group']);
  assert.deepEqual(members(user.AttachedManagedPolicies), [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
  assert.equal(user.PermissionsBoundary.PermissionsBoundaryArn, arn);
  const group = members(d.GroupDetailList).find((g) => g.GroupName === 'aad-group');
  assert.deepEqual(
    members(group.GroupPolicyList).map((p) => [p.PolicyName, JSON.parse(decodeURIComponent(p.PolicyDocument))]),
    [['g-inline', allow('codestar:List*')]],
  );
  const policy = members(d.Policies).find((p) => p.Arn === arn);
  assert.deepEqual(
    [policy.DefaultVersionId, policy.PermissionsBoundaryUsageCount, members(policy.PolicyVersionList).map((v) => [v.VersionId, v.IsDefaultVersion])],
    [
      'v2',
      '1',
      [
        ['v2', 'true'],
        ['v1', 'false'],
      ],
    ],
  );
  // AWS managed policies only when something uses them
  assert.ok(members(d.Policies).some((p) => p.Arn === 'arn:aws:iam::aws:policy/ReadOnlyAccess'));
  assert.ok(!members(d.Policies).some((p) => p.Arn === 'arn:aws:iam::aws:policy/AWSCodeStarFullAccess'));
  const groupsOnly = await ok('GetAccountAuthorizationDetails', { 'Filter.member.1': 'Group' });
  assert.deepEqual([members(groupsOnly.UserDetailList), members(groupsOnly.Policies)], [[], []]);
  assert.ok(members(groupsOnly.GroupDetailList).length >= 1);
  const first = await ok('GetAccountAuthorizationDetails', { MaxItems: '1' });
  assert.equal(first.IsTruncated, 'true');
  const next = await ok('GetAccountAuthorizationDetails', { MaxItems: '1', Marker: first.Marker });
  assert.notDeepEqual(next, first);
});

test("IAM's own messages for invalid names and paths; other violations keep the generic form", async () => {
  await fails(
    'CreateUser',
    { UserName: 'not valid!' },
    400,
    'ValidationError',
    'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
  );
  await fails(
    'CreateGroup',
    { GroupName: 'a b' },
    400,
    'ValidationError',
    'The specified value for groupName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
  );
  await fails(
    'CreateUser',
    { UserName: 'okname', Path: 'no-slashes' },
    400,
    'ValidationError',
    'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
  );
  await fails(
    'CreateUser',
    { UserName: 'x'.repeat(65) },
    400,
    'ValidationError',
    `1 validation error detected: Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  );
  await fails('LaunchRocket', {}, 400, 'InvalidAction', 'Could not find operation LaunchRocket for version 2010-05-08');
});

test('service last accessed details from the audit trail: a user, its group, a role, a policy; action level for IAM', async () => {
  const creds = await h.user('ada', allow(['codestar:ListProjects', 'iam:ListUsers', 'sts:AssumeRole']));
  await ok('CreateGroup', { GroupName: 'ada-group' });
  await ok('AttachGroupPolicy', { GroupName: 'ada-group', PolicyArn: 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess' });
  await ok('AddUserToGroup', { GroupName: 'ada-group', UserName: 'ada' });
  const job = async (arn: string, granularity = 'SERVICE_LEVEL') => {
    const id = (await ok('GenerateServiceLastAccessedDetails', { Arn: arn, Granularity: granularity })).JobId;
    return ok('GetServiceLastAccessedDetails', { JobId: id });
  };
  const byNs = (r: any) => Object.fromEntries(members(r.ServicesLastAccessed).map((s) => [s.ServiceNamespace, s]));

  const before = byNs(await job(`${'arn:aws:iam::'}${ACCOUNT}:user/ada`));
  assert.deepEqual(Object.keys(before).sort(), ['cloudtrail', 'codestar', 'iam', 'sts']);
  assert.deepEqual([before.codestar.LastAuthenticated, before.codestar.TotalAuthenticatedEntities], [undefined, '0']);
  h.advance(2000);
  // the call's time, to the second (the clock runs on: a busy machine may cross a second during the call)
  const callFrom = Math.floor(h.now().getTime() / 1000) * 1000;
  assert.equal((await h.json('codestar', 'ListProjects', {}, { credentials: creds, region: 'eu-west-1' })).status, 200);
  const callTo = h.now().getTime();
  assert.equal((await iam('ListUsers', {}, creds)).status, 200);
  assert.equal((await iam('ListRoles', {}, creds)).status, 403); // an attempt, denied: still an access
  const after = await job(`arn:aws:iam::${ACCOUNT}:user/ada`, 'ACTION_LEVEL');
  assert.deepEqual([after.JobStatus, after.JobType], ['COMPLETED', 'ACTION_LEVEL']);
  const s = byNs(after);
  assert.deepEqual(
    [s.codestar.ServiceName, s.codestar.LastAuthenticatedRegion, s.codestar.LastAuthenticatedEntity, s.codestar.TotalAuthenticatedEntities],
    ['AWS CodeStar', 'eu-west-1', `arn:aws:iam::${ACCOUNT}:user/ada`, '1'],
  );
  const last = Date.parse(s.codestar.LastAuthenticated);
  assert.ok(last >= callFrom && last <= callTo && last % 1000 === 0, `LastAuthenticated ${s.codestar.LastAuthenticated} is the ListProjects call's second`);
  assert.deepEqual(
    members(s.iam.TrackedActionsLastAccessed).map((a) => a.ActionName),
    ['ListRoles', 'ListUsers'],
  );
  assert.equal(s.cloudtrail.LastAuthenticated, undefined);
  // the group reports its members' access to what its policies allow
  const group = byNs(await job(`arn:aws:iam::${ACCOUNT}:group/ada-group`));
  assert.deepEqual(Object.keys(group), ['cloudtrail']);
  // a role's sessions
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ada` }, Action: 'sts:AssumeRole' }],
  });
  await ok('CreateRole', { RoleName: 'ada-role', AssumeRolePolicyDocument: trust });
  await ok('AttachRolePolicy', { RoleName: 'ada-role', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  const assumed = result(
    await h.query('sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/ada-role`, RoleSessionName: 'ada-session' }, { credentials: creds }),
    'AssumeRole',
  ).Credentials;
  const session = { accessKeyId: assumed.AccessKeyId, secretAccessKey: assumed.SecretAccessKey, sessionToken: assumed.SessionToken };
  assert.equal((await h.json('cloudtrail', 'DescribeTrails', {}, { credentials: session })).status, 200);
  const role = byNs(await job(`arn:aws:iam::${ACCOUNT}:role/ada-role`));
  assert.deepEqual([role.cloudtrail.LastAuthenticatedEntity, role.codestar.LastAuthenticated], [`arn:aws:iam::${ACCOUNT}:role/ada-role`, undefined]);
  // a policy: whoever it is attached to
  const policy = byNs(await job('arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess'));
  assert.equal(policy.cloudtrail.TotalAuthenticatedEntities, '0');
  await fails(
    'GenerateServiceLastAccessedDetails',
    { Arn: `arn:aws:iam::${ACCOUNT}:user/nobody` },
    404,
    'NoSuchEntity',
    'The user with name nobody cannot be found.',
  );
  await fails(
    'GetServiceLastAccessedDetails',
    { JobId: '00000000-0000-0000-0000-000000000000' },
    400,
    'InvalidInput',
    'Invalid JobId: 00000000-0000-0000-0000-000000000000',
  );
});
