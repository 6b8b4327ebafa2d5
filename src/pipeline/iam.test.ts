/**
 * IAM handlers through the pipeline, in process (testing.ts): each operation group's main success
 * path and its modelled errors, as the Query wire carries them (status, code, message).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, allow, harness, type Harness } from './testing.ts';
import { iamCalls, members } from './iam-testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

const { ok, fails } = iamCalls(() => h);

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});
const DOC = JSON.stringify(allow('codestar:List*'));

test("users: create, get (by name, and root's own), list with paging, delete; duplicates and missing users", async () => {
  const created = (await ok('CreateUser', { UserName: 'alice', Path: '/team/', 'Tags.member.1.Key': 'dept', 'Tags.member.1.Value': 'eng' })).User;
  assert.deepEqual([created.UserName, created.Path, created.Arn], ['alice', '/team/', `arn:aws:iam::${ACCOUNT}:user/team/alice`]);
  assert.match(created.UserId, /^AIDA[A-Z0-9]{17}$/);
  await fails('CreateUser', { UserName: 'alice' }, 409, 'EntityAlreadyExists', 'User with name alice already exists.');
  const got = (await ok('GetUser', { UserName: 'alice' })).User;
  assert.deepEqual([got.UserId, members(got.Tags)], [created.UserId, [{ Key: 'dept', Value: 'eng' }]]);
  assert.equal((await ok('GetUser')).User.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  await fails('GetUser', { UserName: 'ghost' }, 404, 'NoSuchEntity', 'The user with name ghost cannot be found.');
  await ok('CreateUser', { UserName: 'bob' });
  const first = await ok('ListUsers', { MaxItems: '1' });
  assert.deepEqual([members(first.Users).map((u) => u.UserName), first.IsTruncated], [['alice'], 'true']);
  const rest = await ok('ListUsers', { Marker: first.Marker });
  assert.deepEqual([members(rest.Users).map((u) => u.UserName), rest.IsTruncated], [['bob'], 'false']);
  await fails('ListUsers', { Marker: 'not-a-marker' }, 400, 'InvalidInput', 'Invalid Marker.');
  await ok('DeleteUser', { UserName: 'bob' });
  await fails('DeleteUser', { UserName: 'bob' }, 404, 'NoSuchEntity', 'The user with name bob cannot be found.');
});

test('access keys: create (AKIA, Active), list, deactivate (then refused), delete; the per-user quota and unknown keys', async () => {
  await ok('CreateUser', { UserName: 'keyed' });
  const key = (await ok('CreateAccessKey', { UserName: 'keyed' })).AccessKey;
  assert.match(key.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.deepEqual([key.UserName, key.Status, key.SecretAccessKey.length], ['keyed', 'Active', 40]);
  const creds = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  assert.equal((await h.query('sts', 'GetCallerIdentity', {}, { credentials: creds })).status, 200);
  await ok('CreateAccessKey', { UserName: 'keyed' });
  await fails('CreateAccessKey', { UserName: 'keyed' }, 409, 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
  assert.equal(members((await ok('ListAccessKeys', { UserName: 'keyed' })).AccessKeyMetadata).length, 2);
  await fails('DeleteUser', { UserName: 'keyed' }, 409, 'DeleteConflict', 'Cannot delete entity, must delete access keys first.');
  await ok('UpdateAccessKey', { UserName: 'keyed', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
  const refused = await h.query('sts', 'GetCallerIdentity', {}, { credentials: creds });
  assert.deepEqual([refused.status, refused.xml().ErrorResponse.Error.Code], [403, 'InvalidClientTokenId']);
  await ok('DeleteAccessKey', { UserName: 'keyed', AccessKeyId: key.AccessKeyId });
  await fails(
    'DeleteAccessKey',
    { UserName: 'keyed', AccessKeyId: key.AccessKeyId },
    404,
    'NoSuchEntity',
    `The Access Key with id ${key.AccessKeyId} cannot be found.`,
  );
  await fails(
    'UpdateAccessKey',
    { UserName: 'keyed', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', Status: 'Bogus' },
    400,
    'ValidationError',
    /Member must satisfy enum value set: \[Active, Inactive(, Expired)?\]/,
  );
});

test("a user calls IAM for itself: own keys without UserName; another user's needs permission", async () => {
  const self = await h.user('selfserve', allow(['iam:ListAccessKeys', 'iam:GetUser'], `arn:aws:iam::${ACCOUNT}:user/selfserve`));
  assert.equal(members((await ok('ListAccessKeys', {}, self)).AccessKeyMetadata).length, 1);
  assert.equal((await ok('GetUser', {}, self)).User.UserName, 'selfserve');
  await fails(
    'ListAccessKeys',
    { UserName: 'alice' },
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/selfserve is not authorized to perform: iam:ListAccessKeys on resource: arn:aws:iam::${ACCOUNT}:user/team/alice because no identity-based policy allows the iam:ListAccessKeys action`,
    self,
  );
});

test('roles: create with a trust policy, get (document URL-encoded), update its trust, list, delete; conflicts', async () => {
  const role = (await ok('CreateRole', { RoleName: 'deployer', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: '7200' })).Role;
  assert.match(role.RoleId, /^AROA[A-Z0-9]{17}$/);
  assert.deepEqual([role.Arn, decodeURIComponent(role.AssumeRolePolicyDocument)], [`arn:aws:iam::${ACCOUNT}:role/deployer`, TRUST]);
  await fails('CreateRole', { RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }, 409, 'EntityAlreadyExists', 'Role with name deployer already exists.');
  await fails('CreateRole', { RoleName: 'broken', AssumeRolePolicyDocument: '{"Version":' }, 400, 'MalformedPolicyDocument', /./);
  const got = (await ok('GetRole', { RoleName: 'deployer' })).Role;
  assert.deepEqual([got.RoleId, got.MaxSessionDuration], [role.RoleId, '7200']);
  await fails('GetRole', { RoleName: 'ghost' }, 404, 'NoSuchEntity', 'The role with name ghost cannot be found.');
  await fails(
    'UpdateAssumeRolePolicy',
    { RoleName: 'deployer', PolicyDocument: TRUST.replace(':root', ':user/nobody-here') },
    400,
    'MalformedPolicyDocument',
    `Invalid principal in policy: "AWS":"arn:aws:iam::${ACCOUNT}:user/nobody-here"`,
  );
  const trust2 = TRUST.replace(':root', ':user/team/alice');
  await ok('UpdateAssumeRolePolicy', { RoleName: 'deployer', PolicyDocument: trust2 });
  assert.equal(decodeURIComponent((await ok('GetRole', { RoleName: 'deployer' })).Role.AssumeRolePolicyDocument), trust2);
  assert.deepEqual(
    members((await ok('ListRoles')).Roles).map((r) => r.RoleName),
    ['deployer'],
  );
  await ok('PutRolePolicy', { RoleName: 'deployer', PolicyName: 'inline', PolicyDocument: DOC });
  await fails('DeleteRole', { RoleName: 'deployer' }, 409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
  await ok('DeleteRolePolicy', { RoleName: 'deployer', PolicyName: 'inline' });
  await ok('DeleteRole', { RoleName: 'deployer' });
  await fails('DeleteRole', { RoleName: 'deployer' }, 404, 'NoSuchEntity', 'The role with name deployer cannot be found.');
});

test('managed policies: create, get, get its version, list local, delete; duplicates, bad documents, attached policies', async () => {
  const policy = (await ok('CreatePolicy', { PolicyName: 'ListCodeStar', PolicyDocument: DOC, Description: 'lists' })).Policy;
  const arn = `arn:aws:iam::${ACCOUNT}:policy/ListCodeStar`;
  assert.deepEqual([policy.Arn, policy.DefaultVersionId, policy.AttachmentCount], [arn, 'v1', '0']);
  assert.match(policy.PolicyId, /^ANPA[A-Z0-9]{17}$/);
  await fails(
    'CreatePolicy',
    { PolicyName: 'listcodestar', PolicyDocument: DOC },
    409,
    'EntityAlreadyExists',
    'A policy called listcodestar already exists. Duplicate names are not allowed.',
  );
  await fails('CreatePolicy', { PolicyName: 'Broken', PolicyDocument: '{"Statement":[]' }, 400, 'MalformedPolicyDocument', /./);
  assert.equal((await ok('GetPolicy', { PolicyArn: arn })).Policy.PolicyName, 'ListCodeStar');
  const version = (await ok('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' })).PolicyVersion;
  assert.deepEqual([decodeURIComponent(version.Document), version.IsDefaultVersion], [DOC, 'true']);
  await fails('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v2' }, 404, 'NoSuchEntity', `Policy ${arn} version v2 does not exist.`);
  await fails(
    'GetPolicy',
    { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Nope` },
    404,
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/Nope was not found.`,
  );
  assert.deepEqual(
    members((await ok('ListPolicies', { Scope: 'Local' })).Policies).map((p) => p.PolicyName),
    ['ListCodeStar'],
  );
  await ok('AttachRolePolicy', { RoleName: await role('attached-role'), PolicyArn: arn });
  await fails('DeletePolicy', { PolicyArn: arn }, 409, 'DeleteConflict', 'Cannot delete a policy attached to entities.');
  await ok('DetachRolePolicy', { RoleName: 'attached-role', PolicyArn: arn });
  await ok('DeletePolicy', { PolicyArn: arn });
  await fails(
    'DeletePolicy',
    { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    403,
    'AccessDenied',
    /not authorized to perform: iam:DeletePolicy on resource: arn:aws:iam::aws:policy\/ReadOnlyAccess/,
  );
});

async function role(name: string): Promise<string> {
  await ok('CreateRole', { RoleName: name, AssumeRolePolicyDocument: TRUST });
  return name;
}

test('attachments: attach to a user and a role, list, detach; unknown and unattached policies', async () => {
  await ok('CreateUser', { UserName: 'attached' });
  const managed = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  await ok('AttachUserPolicy', { UserName: 'attached', PolicyArn: managed });
  assert.deepEqual(members((await ok('ListAttachedUserPolicies', { UserName: 'attached' })).AttachedPolicies), [
    { PolicyName: 'ReadOnlyAccess', PolicyArn: managed },
  ]);
  await fails(
    'AttachUserPolicy',
    { UserName: 'attached', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Nope` },
    404,
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/Nope does not exist or is not attachable.`,
  );
  await fails('AttachUserPolicy', { UserName: 'ghost', PolicyArn: managed }, 404, 'NoSuchEntity', 'The user with name ghost cannot be found.');
  await fails('DeleteUser', { UserName: 'attached' }, 409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await ok('DetachUserPolicy', { UserName: 'attached', PolicyArn: managed });
  await fails('DetachUserPolicy', { UserName: 'attached', PolicyArn: managed }, 404, 'NoSuchEntity', `Policy ${managed} was not found.`);
  await ok('AttachRolePolicy', { RoleName: await role('reader'), PolicyArn: managed });
  assert.equal(members((await ok('ListAttachedRolePolicies', { RoleName: 'reader' })).AttachedPolicies).length, 1);
});

test('an attached managed policy is what the user may then do', async () => {
  const reader = await h.user('reader-user');
  await fails('ListUsers', {}, 403, 'AccessDenied', /no identity-based policy allows the iam:ListUsers action/, reader);
  await ok('AttachUserPolicy', { UserName: 'reader-user', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  assert.ok(members((await ok('ListUsers', {}, reader)).Users).length > 0);
  await fails('CreateUser', { UserName: 'not-allowed' }, 403, 'AccessDenied', /no identity-based policy allows the iam:CreateUser action/, reader);
});

test('inline policies: put, get (URL-encoded), list, delete for users and roles; missing ones and size limits', async () => {
  await ok('CreateUser', { UserName: 'inline-user' });
  await ok('PutUserPolicy', { UserName: 'inline-user', PolicyName: 'p1', PolicyDocument: DOC });
  const got = await ok('GetUserPolicy', { UserName: 'inline-user', PolicyName: 'p1' });
  assert.deepEqual([got.UserName, got.PolicyName, decodeURIComponent(got.PolicyDocument)], ['inline-user', 'p1', DOC]);
  assert.deepEqual(members((await ok('ListUserPolicies', { UserName: 'inline-user' })).PolicyNames), ['p1']);
  await fails('GetUserPolicy', { UserName: 'inline-user', PolicyName: 'p2' }, 404, 'NoSuchEntity', 'The user policy with name p2 cannot be found.');
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'codestar:List*', Resource: Array.from({ length: 60 }, (_, i) => `arn:aws:codestar:eu-west-1:${ACCOUNT}:project/p${i}`) },
    ],
  });
  await fails(
    'PutUserPolicy',
    { UserName: 'inline-user', PolicyName: 'big', PolicyDocument: big },
    409,
    'LimitExceeded',
    'Maximum policy size of 2048 bytes exceeded for user inline-user',
  );
  await fails(
    'PutUserPolicy',
    { UserName: 'inline-user', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}' },
    400,
    'MalformedPolicyDocument',
    /./,
  );
  await ok('DeleteUserPolicy', { UserName: 'inline-user', PolicyName: 'p1' });
  await fails('DeleteUserPolicy', { UserName: 'inline-user', PolicyName: 'p1' }, 404, 'NoSuchEntity', 'The user policy with name p1 cannot be found.');
  await ok('PutRolePolicy', { RoleName: await role('inline-role'), PolicyName: 'r1', PolicyDocument: DOC });
  assert.equal(decodeURIComponent((await ok('GetRolePolicy', { RoleName: 'inline-role', PolicyName: 'r1' })).PolicyDocument), DOC);
  assert.deepEqual(members((await ok('ListRolePolicies', { RoleName: 'inline-role' })).PolicyNames), ['r1']);
  await fails('GetRolePolicy', { RoleName: 'inline-role', PolicyName: 'r2' }, 404, 'NoSuchEntity', 'The role policy with name r2 cannot be found.');
});

test('IAM calls are recorded in us-east-1 with their parameters, secrets never', async () => {
  const before = (await h.records()).length;
  await ok('CreateUser', { UserName: 'recorded' });
  await ok('CreateAccessKey', { UserName: 'recorded' });
  const [create, key] = (await h.records()).slice(before);
  assert.deepEqual(
    [create.eventSource, create.eventName, create.awsRegion, create.requestParameters],
    ['iam.amazonaws.com', 'CreateUser', 'us-east-1', { userName: 'recorded' }],
  );
  assert.equal(key.eventName, 'CreateAccessKey');
  assert.equal(JSON.stringify(key).includes('secretAccessKey'), false);
});
