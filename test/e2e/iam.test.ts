/**
 * The IAM service end to end with the official clients only (@aws-sdk/client-iam, /usr/bin/aws): users,
 * access keys, roles, inline and managed policies, attachments, paging, every IAM error with AWS's code,
 * status and message, who may call IAM at all, and all of it again after a restart.
 * Actions and resources: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ;
 * managed policies: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html ; ids and quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html ,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html ; credentials: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateUserCommand,
  GetUserCommand,
  ListUsersCommand,
  DeleteUserCommand,
  CreateAccessKeyCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  DeleteAccessKeyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  ListRolesCommand,
  DeleteRoleCommand,
  UpdateAssumeRolePolicyCommand,
  PutUserPolicyCommand,
  GetUserPolicyCommand,
  DeleteUserPolicyCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  DeleteRolePolicyCommand,
  CreatePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  DeletePolicyCommand,
  ListPoliciesCommand,
  AttachUserPolicyCommand,
  DetachUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  AttachRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand, GetSessionTokenCommand, GetFederationTokenCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const ACCOUNT = '000000000000';
const ARN = `arn:aws:iam::${ACCOUNT}`;
let server: TestServer;
let admin: IAMClient;
let devKey: Credentials;

const iam = (c: Credentials) => new IAMClient(sdkConfig(server.endpoint, c));
const sts = (c: Credentials) => new STSClient(sdkConfig(server.endpoint, c));
const cli = (args: string[], c: Credentials = server.root) => awsCli(server.endpoint, c, args);
const keyOf = (k: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Credentials => ({
  accessKeyId: k.AccessKeyId!,
  secretAccessKey: k.SecretAccessKey!,
  ...(k.SessionToken ? { sessionToken: k.SessionToken } : {}),
});
const doc = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const allow = (action: string | string[], resource = '*') => doc([{ Effect: 'Allow', Action: action, Resource: resource }]);
const trusting = (principal: string) => doc([{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }]);

async function rejects(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to be refused');
}

/** An IAM error from a real call: code, HTTP status and AWS's message. */
async function refused(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
  const e = await rejects(p);
  assert.equal(e.name, code, e.message);
  assert.equal(e.$metadata?.httpStatusCode, status);
  assert.equal(e.message, message);
}

function cliRefused(args: string[], code: string, operation: string, message: string, c?: Credentials): void {
  const r = cli(args, c);
  assert.equal(r.status, 254, r.stdout);
  // the CLI adds "(reached max retries: N)" when it gave up retrying; AWS_MAX_ATTEMPTS is 1 in these tests
  assert.equal(r.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
}

async function newUser(name: string): Promise<Credentials> {
  await admin.send(new CreateUserCommand({ UserName: name }));
  return keyOf((await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!);
}

function recent(d: Date | undefined): void {
  assert.ok(d instanceof Date);
  assert.equal(d.getTime() % 1000, 0, 'IAM times are whole seconds');
  assert.ok(Math.abs(d.getTime() - Date.now()) < 120_000, `${d.toISOString()} is not recent`);
}

before(async () => {
  server = await startServer();
  admin = iam(server.root);
});

after(async () => {
  await server?.dispose();
});

test('CreateUser and GetUser: AIDA id, ARN with path, CreateDate, Tags; names are case-insensitive', async () => {
  const { User } = await admin.send(new CreateUserCommand({ UserName: 'dev', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] }));
  assert.match(User!.UserId!, /^AIDA[A-Z0-9]{17}$/);
  assert.equal(User!.Arn, `${ARN}:user/eng/dev`);
  assert.equal(User!.Path, '/eng/');
  assert.deepEqual(User!.Tags, [{ Key: 'team', Value: 'core' }]);
  recent(User!.CreateDate);
  const got = await admin.send(new GetUserCommand({ UserName: 'DEV' }));
  assert.deepEqual(got.User, User);
  const viaCli = cli(['iam', 'get-user', '--user-name', 'dev']);
  assert.equal(viaCli.status, 0, viaCli.stderr);
  assert.deepEqual(viaCli.json.User, { ...User, CreateDate: User!.CreateDate!.toISOString().replace('.000Z', '+00:00') });
});

test('CreateUser errors: EntityAlreadyExists 409 (also differing in case), InvalidInput for duplicate tag keys', async () => {
  await refused(admin.send(new CreateUserCommand({ UserName: 'Dev' })), 'EntityAlreadyExistsException', 409, 'User with name Dev already exists.');
  cliRefused(['iam', 'create-user', '--user-name', 'dev'], 'EntityAlreadyExists', 'CreateUser', 'User with name dev already exists.');
  await refused(
    admin.send(
      new CreateUserCommand({
        UserName: 'tagged',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'A', Value: '2' },
        ],
      }),
    ),
    'InvalidInputException',
    400,
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  await refused(admin.send(new GetUserCommand({ UserName: 'ghost' })), 'NoSuchEntityException', 404, 'The user with name ghost cannot be found.');
  cliRefused(['iam', 'get-user', '--user-name', 'ghost'], 'NoSuchEntity', 'GetUser', 'The user with name ghost cannot be found.');
});

test('access keys: AKIA + 16 base32, 40-character secret that works; at most 2; Inactive keys are refused; delete', async () => {
  const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
  assert.match(AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
  assert.match(AccessKey!.SecretAccessKey!, /^[A-Za-z0-9+/]{40}$/);
  assert.equal(AccessKey!.Status, 'Active');
  assert.equal(AccessKey!.UserName, 'dev');
  recent(AccessKey!.CreateDate);
  devKey = keyOf(AccessKey!);
  const id = await sts(devKey).send(new GetCallerIdentityCommand({}));
  assert.equal(id.Arn, `${ARN}:user/eng/dev`);

  const second = cli(['iam', 'create-access-key', '--user-name', 'dev']);
  assert.equal(second.status, 0, second.stderr);
  const secondId: string = second.json.AccessKey.AccessKeyId;
  await refused(admin.send(new CreateAccessKeyCommand({ UserName: 'dev' })), 'LimitExceededException', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');

  const listed = await admin.send(new ListAccessKeysCommand({ UserName: 'dev' }));
  assert.deepEqual(
    listed.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status, k.UserName]).sort(),
    [
      [AccessKey!.AccessKeyId, 'Active', 'dev'],
      [secondId, 'Active', 'dev'],
    ].sort(),
  );
  assert.equal(listed.IsTruncated, false);
  // the caller's own keys when UserName is omitted
  const own = await iam(devKey)
    .send(new ListAccessKeysCommand({}))
    .catch((e) => e);
  assert.equal(own.name, 'AccessDenied', 'dev has no policy yet');
  assert.match(own.message, /iam:ListAccessKeys on resource: arn:aws:iam::000000000000:user\/eng\/dev because/);

  const inactive = cli(['iam', 'update-access-key', '--user-name', 'dev', '--access-key-id', secondId, '--status', 'Inactive']);
  assert.equal(inactive.status, 0, inactive.stderr);
  const after1 = await admin.send(new ListAccessKeysCommand({ UserName: 'dev' }));
  assert.equal(after1.AccessKeyMetadata!.find((k) => k.AccessKeyId === secondId)!.Status, 'Inactive');
  const secondCreds = { accessKeyId: secondId, secretAccessKey: second.json.AccessKey.SecretAccessKey };
  await refused(sts(secondCreds).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');

  await refused(
    admin.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' })),
    'NoSuchEntityException',
    404,
    'The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.',
  );
  // a key exists but belongs to someone else: the same NoSuchEntity (root's own key, named for user dev)
  await refused(
    admin.send(new UpdateAccessKeyCommand({ UserName: 'dev', AccessKeyId: server.root.accessKeyId, Status: 'Inactive' })),
    'NoSuchEntityException',
    404,
    `The Access Key with id ${server.root.accessKeyId} cannot be found.`,
  );
  await admin.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: secondId }));
  const after2 = await admin.send(new ListAccessKeysCommand({ UserName: 'dev' }));
  assert.deepEqual(
    after2.AccessKeyMetadata!.map((k) => k.AccessKeyId),
    [AccessKey!.AccessKeyId],
  );
});

test("root without UserName: GetUser is the root user, ListAccessKeys lists root's own key", async () => {
  const { User } = await admin.send(new GetUserCommand({}));
  assert.equal(User!.Arn, `${ARN}:root`);
  assert.equal(User!.UserId, ACCOUNT);
  const keys = await admin.send(new ListAccessKeysCommand({}));
  assert.deepEqual(
    keys.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status]),
    [[server.root.accessKeyId, 'Active']],
  );
});

const DEV_POLICY = allow(['iam:GetUser', 'iam:ListAccessKeys'], `${ARN}:user/eng/dev`);

test('inline user policies: put, get (URL-encoded, as IAM returns it), list, the CLI decodes, errors', async () => {
  await admin.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'self', PolicyDocument: DEV_POLICY }));
  const got = await admin.send(new GetUserPolicyCommand({ UserName: 'DEV', PolicyName: 'self' }));
  assert.equal(got.UserName, 'dev');
  assert.equal(got.PolicyName, 'self');
  assert.equal(got.PolicyDocument, encodeURIComponent(DEV_POLICY));
  assert.equal(decodeURIComponent(got.PolicyDocument!), DEV_POLICY);
  const viaCli = cli(['iam', 'get-user-policy', '--user-name', 'dev', '--policy-name', 'self']);
  assert.equal(viaCli.status, 0, viaCli.stderr);
  assert.deepEqual(viaCli.json.PolicyDocument, JSON.parse(DEV_POLICY));
  const list = await admin.send(new ListUserPoliciesCommand({ UserName: 'dev' }));
  assert.deepEqual([list.PolicyNames, list.IsTruncated], [['self'], false]);

  // the policy now lets dev read itself, with the caller's own identity when UserName is omitted
  const self = await iam(devKey).send(new GetUserCommand({}));
  assert.equal(self.User!.Arn, `${ARN}:user/eng/dev`);
  const ownKeys = await iam(devKey).send(new ListAccessKeysCommand({}));
  assert.deepEqual(
    ownKeys.AccessKeyMetadata!.map((k) => k.AccessKeyId),
    [devKey.accessKeyId],
  );

  await refused(
    admin.send(
      new PutUserPolicyCommand({
        UserName: 'dev',
        PolicyName: 'bad',
        PolicyDocument: doc([{ Effect: 'Allow', Principal: '*', Action: 'iam:*', Resource: '*' }]),
      }),
    ),
    'MalformedPolicyDocumentException',
    400,
    'Policy document should not specify a principal.',
  );
  const big = allow(Array.from({ length: 120 }, (_, i) => `iam:GetUser${i}`));
  await refused(
    admin.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'big', PolicyDocument: big })),
    'LimitExceededException',
    409,
    'Maximum policy size of 2048 bytes exceeded for user dev',
  );
  await refused(
    admin.send(new GetUserPolicyCommand({ UserName: 'dev', PolicyName: 'nope' })),
    'NoSuchEntityException',
    404,
    'The user policy with name nope cannot be found.',
  );
  await refused(
    admin.send(new PutUserPolicyCommand({ UserName: 'ghost', PolicyName: 'p', PolicyDocument: DEV_POLICY })),
    'NoSuchEntityException',
    404,
    'The user with name ghost cannot be found.',
  );
  cliRefused(
    ['iam', 'delete-user-policy', '--user-name', 'dev', '--policy-name', 'nope'],
    'NoSuchEntity',
    'DeleteUserPolicy',
    'The user policy with name nope cannot be found.',
  );
});

const MANAGED_DOC = allow('iam:ListRoles');
let policyArn = '';

test('managed policies: CreatePolicy, GetPolicy, GetPolicyVersion, attach, AttachmentCount, ListPolicies scopes', async () => {
  const { Policy } = await admin.send(
    new CreatePolicyCommand({ PolicyName: 'roles-reader', Path: '/team/', PolicyDocument: MANAGED_DOC, Description: 'reads roles' }),
  );
  policyArn = Policy!.Arn!;
  assert.equal(policyArn, `${ARN}:policy/team/roles-reader`);
  assert.match(Policy!.PolicyId!, /^ANPA[A-Z0-9]{17}$/);
  assert.deepEqual([Policy!.DefaultVersionId, Policy!.AttachmentCount, Policy!.IsAttachable, Policy!.Path], ['v1', 0, true, '/team/']);
  recent(Policy!.CreateDate);

  await admin.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: policyArn }));
  await admin.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: policyArn })); // idempotent
  const got = await admin.send(new GetPolicyCommand({ PolicyArn: policyArn }));
  assert.deepEqual([got.Policy!.AttachmentCount, got.Policy!.Description, got.Policy!.PolicyId], [1, 'reads roles', Policy!.PolicyId]);
  const version = await admin.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
  assert.equal(decodeURIComponent(version.PolicyVersion!.Document!), MANAGED_DOC);
  assert.equal(version.PolicyVersion!.IsDefaultVersion, true);
  const cliVersion = cli(['iam', 'get-policy-version', '--policy-arn', policyArn, '--version-id', 'v1']);
  assert.deepEqual(cliVersion.json.PolicyVersion.Document, JSON.parse(MANAGED_DOC));

  const admins = await admin.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  assert.deepEqual([admins.Policy!.PolicyId, admins.Policy!.DefaultVersionId, admins.Policy!.AttachmentCount], ['ANPAIWMBCKSKIEE64ZLYK', 'v1', 0]);
  const adminDoc = await admin.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(adminDoc.PolicyVersion!.Document!)), {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  });

  const attached = await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'dev' }));
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'roles-reader', PolicyArn: policyArn }]);
  const local = await admin.send(new ListPoliciesCommand({ Scope: 'Local' }));
  assert.deepEqual(
    local.Policies!.map((p) => [p.Arn, p.AttachmentCount]),
    [[policyArn, 1]],
  );
  const aws = await admin.send(new ListPoliciesCommand({ Scope: 'AWS' }));
  const names = aws.Policies!.map((p) => p.PolicyName);
  for (const n of ['AdministratorAccess', 'ReadOnlyAccess', 'AWSCodeStarFullAccess', 'IAMReadOnlyAccess']) assert.ok(names.includes(n), n);
  assert.ok(aws.Policies!.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')));
  const all = cli(['iam', 'list-policies', '--only-attached']);
  assert.deepEqual(
    all.json.Policies.map((p: any) => p.Arn),
    [policyArn],
  );
  const prefixed = await admin.send(new ListPoliciesCommand({ PathPrefix: '/team/' }));
  assert.deepEqual(
    prefixed.Policies!.map((p) => p.PolicyName),
    ['roles-reader'],
  );
});

test('managed policy errors: unknown policy, duplicate name, size, attached policy, 10 per user, detach', async () => {
  await refused(
    admin.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: `${ARN}:policy/nope` })),
    'NoSuchEntityException',
    404,
    `Policy ${ARN}:policy/nope does not exist or is not attachable.`,
  );
  cliRefused(
    ['iam', 'attach-user-policy', '--user-name', 'dev', '--policy-arn', 'arn:aws:iam::aws:policy/service-role/ConfigRole'],
    'NoSuchEntity',
    'AttachUserPolicy',
    'Policy arn:aws:iam::aws:policy/service-role/ConfigRole does not exist or is not attachable.',
  );
  await refused(
    admin.send(new CreatePolicyCommand({ PolicyName: 'Roles-Reader', PolicyDocument: MANAGED_DOC })),
    'EntityAlreadyExistsException',
    409,
    'A policy called Roles-Reader already exists. Duplicate names are not allowed.',
  );
  const big = allow(Array.from({ length: 400 }, (_, i) => `iam:GetUser${i}`));
  await refused(
    admin.send(new CreatePolicyCommand({ PolicyName: 'big', PolicyDocument: big })),
    'LimitExceededException',
    409,
    'Cannot exceed quota for PolicySize: 6144',
  );
  await refused(
    admin.send(
      new CreatePolicyCommand({
        PolicyName: 'old',
        PolicyDocument: JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    ),
    'MalformedPolicyDocumentException',
    400,
    'Policy document must be version 2012-10-17 or greater.',
  );
  await refused(admin.send(new DeletePolicyCommand({ PolicyArn: policyArn })), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');
  await refused(
    admin.send(new GetPolicyCommand({ PolicyArn: `${ARN}:policy/nope` })),
    'NoSuchEntityException',
    404,
    `Policy ${ARN}:policy/nope was not found.`,
  );
  await refused(
    admin.send(new GetPolicyCommand({ PolicyArn: 'not-an-arn-at-all-really' })),
    'InvalidInputException',
    400,
    'ARN not-an-arn-at-all-really is not valid.',
  );
  await refused(
    admin.send(new DetachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
    'NoSuchEntityException',
    404,
    'Policy arn:aws:iam::aws:policy/ReadOnlyAccess was not found.',
  );

  await admin.send(new CreateUserCommand({ UserName: 'quota' }));
  const aws = (await admin.send(new ListPoliciesCommand({ Scope: 'AWS' }))).Policies!.map((p) => p.Arn!);
  const arns = [...aws];
  for (let i = arns.length; i < 10; i++)
    arns.push((await admin.send(new CreatePolicyCommand({ PolicyName: `q${i}`, PolicyDocument: MANAGED_DOC }))).Policy!.Arn!);
  for (const arn of arns.slice(0, 10)) await admin.send(new AttachUserPolicyCommand({ UserName: 'quota', PolicyArn: arn }));
  await refused(
    admin.send(new AttachUserPolicyCommand({ UserName: 'quota', PolicyArn: policyArn })),
    'LimitExceededException',
    409,
    'Cannot exceed quota for PoliciesPerUser: 10',
  );
  const onQuota = await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'quota' }));
  assert.equal(onQuota.AttachedPolicies!.length, 10);
  for (const arn of arns.slice(0, 10)) await admin.send(new DetachUserPolicyCommand({ UserName: 'quota', PolicyArn: arn }));
  assert.deepEqual((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'quota' }))).AttachedPolicies, []);
  await admin.send(new DeleteUserCommand({ UserName: 'quota' }));
  const q = arns.find((a) => a.endsWith(':policy/q9'))!;
  await admin.send(new DeletePolicyCommand({ PolicyArn: q }));
  await refused(admin.send(new GetPolicyCommand({ PolicyArn: q })), 'NoSuchEntityException', 404, `Policy ${q} was not found.`);
});

const TRUST = trusting(`${ARN}:user/eng/dev`);

test('roles: CreateRole with a trust policy naming the user, GetRole, ListRoles, inline and attached policies, the user assumes it', async () => {
  const { Role } = await admin.send(new CreateRoleCommand({ RoleName: 'deployer', Path: '/ops/', AssumeRolePolicyDocument: TRUST, Description: 'deploys' }));
  assert.match(Role!.RoleId!, /^AROA[A-Z0-9]{17}$/);
  assert.equal(Role!.Arn, `${ARN}:role/ops/deployer`);
  assert.equal(decodeURIComponent(Role!.AssumeRolePolicyDocument!), TRUST);
  recent(Role!.CreateDate);
  const got = await admin.send(new GetRoleCommand({ RoleName: 'Deployer' }));
  assert.deepEqual([got.Role!.RoleName, got.Role!.MaxSessionDuration, got.Role!.Description, got.Role!.RoleId], ['deployer', 3600, 'deploys', Role!.RoleId]);
  const viaCli = cli(['iam', 'get-role', '--role-name', 'deployer']);
  assert.deepEqual(viaCli.json.Role.AssumeRolePolicyDocument, JSON.parse(TRUST));
  const listed = await admin.send(new ListRolesCommand({}));
  assert.deepEqual(
    listed.Roles!.map((r) => r.Arn),
    [`${ARN}:role/ops/deployer`],
  );

  await admin.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'who', PolicyDocument: allow('iam:GetUser') }));
  assert.equal(
    decodeURIComponent((await admin.send(new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'who' }))).PolicyDocument!),
    allow('iam:GetUser'),
  );
  assert.deepEqual((await admin.send(new ListRolePoliciesCommand({ RoleName: 'deployer' }))).PolicyNames, ['who']);
  await admin.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: policyArn }));
  assert.deepEqual((await admin.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' }))).AttachedPolicies, [
    { PolicyName: 'roles-reader', PolicyArn: policyArn },
  ]);

  // dev is trusted and needs no identity policy for it; the session has the role's permissions
  const s = await sts(devKey).send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'ci' }));
  const session = keyOf(s.Credentials!);
  const roles = await iam(session).send(new ListRolesCommand({}));
  assert.deepEqual(
    roles.Roles!.map((r) => r.RoleName),
    ['deployer'],
  );
  // a role session must name the user (no "self" for non-user credentials)
  await refused(iam(session).send(new GetUserCommand({})), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  assert.equal((await iam(session).send(new GetUserCommand({ UserName: 'dev' }))).User!.UserName, 'dev');
});

test('role errors: Invalid principal, trust size, EntityAlreadyExists, NoSuchEntity, UpdateAssumeRolePolicy, role policy size', async () => {
  await refused(
    admin.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: trusting(`${ARN}:user/ghost`) })),
    'MalformedPolicyDocumentException',
    400,
    `Invalid principal in policy: "AWS":"${ARN}:user/ghost"`,
  );
  await refused(
    admin.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: trusting(`${ARN}:role/NonExistent`) })),
    'MalformedPolicyDocumentException',
    400,
    `Invalid principal in policy: "AWS":"${ARN}:role/NonExistent"`,
  );
  // the user exists, but not at that path
  await refused(
    admin.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: trusting(`${ARN}:user/dev`) })),
    'MalformedPolicyDocumentException',
    400,
    `Invalid principal in policy: "AWS":"${ARN}:user/dev"`,
  );
  const longTrust = doc(Array.from({ length: 30 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' })));
  await refused(
    admin.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: longTrust })),
    'LimitExceededException',
    409,
    'Cannot exceed quota for ACLSizePerRole: 2048',
  );
  await refused(
    admin.send(new CreateRoleCommand({ RoleName: 'DEPLOYER', AssumeRolePolicyDocument: TRUST })),
    'EntityAlreadyExistsException',
    409,
    'Role with name DEPLOYER already exists.',
  );
  await refused(
    admin.send(new GetRoleCommand({ RoleName: 'automation-role' })),
    'NoSuchEntityException',
    404,
    'The role with name automation-role cannot be found.',
  );
  cliRefused(['iam', 'get-role', '--role-name', 'automation-role'], 'NoSuchEntity', 'GetRole', 'The role with name automation-role cannot be found.');
  await refused(
    admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: allow('sts:AssumeRole') })),
    'MalformedPolicyDocumentException',
    400,
    'Missing required field Principal',
  );
  await refused(
    admin.send(new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'nope' })),
    'NoSuchEntityException',
    404,
    'The role policy with name nope cannot be found.',
  );
  const big = allow(Array.from({ length: 600 }, (_, i) => `iam:GetUser${i}`));
  await refused(
    admin.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'big', PolicyDocument: big })),
    'LimitExceededException',
    409,
    'Maximum policy size of 10240 bytes exceeded for role deployer',
  );

  const trustRoot = trusting(`${ARN}:root`);
  await admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: trustRoot }));
  assert.equal(decodeURIComponent((await admin.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role!.AssumeRolePolicyDocument!), trustRoot);
  await admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'deployer', PolicyDocument: TRUST }));
});

test('DeleteUser and DeleteRole refuse while keys or policies remain (DeleteConflict 409), then succeed', async () => {
  await newUser('leaver');
  await admin.send(new PutUserPolicyCommand({ UserName: 'leaver', PolicyName: 'p', PolicyDocument: allow('iam:GetUser') }));
  await admin.send(new AttachUserPolicyCommand({ UserName: 'leaver', PolicyArn: policyArn }));
  await refused(
    admin.send(new DeleteUserCommand({ UserName: 'leaver' })),
    'DeleteConflictException',
    409,
    'Cannot delete entity, must delete access keys first.',
  );
  const [key] = (await admin.send(new ListAccessKeysCommand({ UserName: 'leaver' }))).AccessKeyMetadata!;
  await admin.send(new DeleteAccessKeyCommand({ UserName: 'leaver', AccessKeyId: key!.AccessKeyId! }));
  await refused(admin.send(new DeleteUserCommand({ UserName: 'leaver' })), 'DeleteConflictException', 409, 'Cannot delete entity, must delete policies first.');
  await admin.send(new DeleteUserPolicyCommand({ UserName: 'leaver', PolicyName: 'p' }));
  cliRefused(['iam', 'delete-user', '--user-name', 'leaver'], 'DeleteConflict', 'DeleteUser', 'Cannot delete entity, must detach all policies first.');
  await admin.send(new DetachUserPolicyCommand({ UserName: 'leaver', PolicyArn: policyArn }));
  await admin.send(new DeleteUserCommand({ UserName: 'leaver' }));
  await refused(admin.send(new GetUserCommand({ UserName: 'leaver' })), 'NoSuchEntityException', 404, 'The user with name leaver cannot be found.');

  await admin.send(new CreateRoleCommand({ RoleName: 'temp', AssumeRolePolicyDocument: TRUST }));
  await admin.send(new PutRolePolicyCommand({ RoleName: 'temp', PolicyName: 'p', PolicyDocument: allow('iam:GetUser') }));
  await admin.send(new AttachRolePolicyCommand({ RoleName: 'temp', PolicyArn: policyArn }));
  await refused(admin.send(new DeleteRoleCommand({ RoleName: 'temp' })), 'DeleteConflictException', 409, 'Cannot delete entity, must delete policies first.');
  await admin.send(new DeleteRolePolicyCommand({ RoleName: 'temp', PolicyName: 'p' }));
  await refused(
    admin.send(new DeleteRoleCommand({ RoleName: 'temp' })),
    'DeleteConflictException',
    409,
    'Cannot delete entity, must detach all policies first.',
  );
  await admin.send(new DetachRolePolicyCommand({ RoleName: 'temp', PolicyArn: policyArn }));
  await admin.send(new DeleteRoleCommand({ RoleName: 'temp' }));
  await refused(admin.send(new GetRoleCommand({ RoleName: 'temp' })), 'NoSuchEntityException', 404, 'The role with name temp cannot be found.');
});

test('ListUsers pages with MaxItems=1 and Marker, stable while users are added; the CLI pages too', async () => {
  for (const n of ['page-a', 'page-c', 'page-e']) await admin.send(new CreateUserCommand({ UserName: n, Path: '/paging/' }));
  const seen: string[] = [];
  let marker: string | undefined;
  for (let i = 0; i < 10; i++) {
    const r = await admin.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 1, ...(marker ? { Marker: marker } : {}) }));
    assert.equal(r.Users!.length, 1);
    seen.push(r.Users![0]!.UserName!);
    // a user added behind the marker must not appear; one added ahead of it must
    if (i === 0) {
      await admin.send(new CreateUserCommand({ UserName: 'page-0', Path: '/paging/' }));
      await admin.send(new CreateUserCommand({ UserName: 'page-d', Path: '/paging/' }));
    }
    if (!r.IsTruncated) {
      assert.equal(r.Marker, undefined);
      break;
    }
    assert.ok(r.Marker);
    marker = r.Marker;
  }
  assert.deepEqual(seen, ['page-a', 'page-c', 'page-d', 'page-e']);

  const first = cli(['iam', 'list-users', '--path-prefix', '/paging/', '--max-items', '2']);
  assert.deepEqual(
    first.json.Users.map((u: any) => u.UserName),
    ['page-0', 'page-a'],
  );
  assert.ok(first.json.NextToken);
  const rest = cli(['iam', 'list-users', '--path-prefix', '/paging/', '--starting-token', first.json.NextToken]);
  assert.deepEqual(
    rest.json.Users.map((u: any) => u.UserName),
    ['page-c', 'page-d', 'page-e'],
  );
  const all = cli(['iam', 'list-users', '--page-size', '1']);
  assert.deepEqual(
    all.json.Users.map((u: any) => u.UserName),
    ['dev', 'page-0', 'page-a', 'page-c', 'page-d', 'page-e'],
  );
  await refused(admin.send(new ListUsersCommand({ Marker: 'not a marker' })), 'InvalidInputException', 400, 'Invalid Marker.');
});

let reader: Credentials;
let nobody: Credentials;

test("authorization: no policy → AWS's AccessDenied; ReadOnlyAccess lists but cannot create; iam:PolicyARN conditions", async () => {
  nobody = await newUser('nobody');
  await refused(
    iam(nobody).send(new ListUsersCommand({})),
    'AccessDenied',
    403,
    `User: ${ARN}:user/nobody is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
  );
  cliRefused(
    ['iam', 'get-user', '--user-name', 'dev'],
    'AccessDenied',
    'GetUser',
    `User: ${ARN}:user/nobody is not authorized to perform: iam:GetUser on resource: ${ARN}:user/eng/dev because no identity-based policy allows the iam:GetUser action`,
    nobody,
  );

  reader = await newUser('reader');
  await admin.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  const users = await iam(reader).send(new ListUsersCommand({}));
  assert.ok(users.Users!.some((u) => u.UserName === 'dev'));
  assert.equal((await iam(reader).send(new GetRoleCommand({ RoleName: 'deployer' }))).Role!.RoleName, 'deployer');
  await refused(
    iam(reader).send(new CreateUserCommand({ UserName: 'mallory', Path: '/x/' })),
    'AccessDenied',
    403,
    `User: ${ARN}:user/reader is not authorized to perform: iam:CreateUser on resource: ${ARN}:user/x/mallory because no identity-based policy allows the iam:CreateUser action`,
  );

  // attach only ReadOnlyAccess, to users under /eng/ (condition on iam:PolicyARN)
  await admin.send(
    new PutUserPolicyCommand({
      UserName: 'nobody',
      PolicyName: 'grant-readonly',
      PolicyDocument: doc([
        {
          Effect: 'Allow',
          Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
          Resource: `${ARN}:user/eng/*`,
          Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
        },
      ]),
    }),
  );
  await iam(nobody).send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await iam(nobody).send(new DetachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await refused(
    iam(nobody).send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })),
    'AccessDenied',
    403,
    `User: ${ARN}:user/nobody is not authorized to perform: iam:AttachUserPolicy on resource: ${ARN}:user/eng/dev because no identity-based policy allows the iam:AttachUserPolicy action`,
  );
});

test('credentials IAM refuses: GetSessionToken without MFA → InvalidClientTokenId; federated users → AccessDenied', async () => {
  const st = await sts(reader).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  const session = keyOf(st.Credentials!);
  await refused(iam(session).send(new ListUsersCommand({})), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid');
  cliRefused(['iam', 'get-user'], 'InvalidClientTokenId', 'GetUser', 'The security token included in the request is invalid', session);
  const rootSession = keyOf((await sts(server.root).send(new GetSessionTokenCommand({}))).Credentials!);
  await refused(iam(rootSession).send(new GetUserCommand({})), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid');

  await admin.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'fed', PolicyDocument: allow('sts:GetFederationToken') }));
  const fed = await sts(reader).send(new GetFederationTokenCommand({ Name: 'visitor', Policy: allow('iam:*') }));
  await refused(
    iam(keyOf(fed.Credentials!)).send(new ListUsersCommand({})),
    'AccessDenied',
    403,
    `User: arn:aws:sts::${ACCOUNT}:federated-user/visitor is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no session policy allows the iam:ListUsers action`,
  );
  await refused(
    iam(keyOf(fed.Credentials!)).send(new GetUserCommand({ UserName: 'dev' })),
    'AccessDenied',
    403,
    `User: arn:aws:sts::${ACCOUNT}:federated-user/visitor is not authorized to perform: iam:GetUser on resource: ${ARN}:user/eng/dev because no session policy allows the iam:GetUser action`,
  );
});

test('after a restart: users, keys, roles, policies and attachments are all still there and still enforced', async () => {
  const snapshot = async () => ({
    user: (await admin.send(new GetUserCommand({ UserName: 'dev' }))).User,
    users: (await admin.send(new ListUsersCommand({}))).Users,
    keys: (await admin.send(new ListAccessKeysCommand({ UserName: 'dev' }))).AccessKeyMetadata,
    inline: decodeURIComponent((await admin.send(new GetUserPolicyCommand({ UserName: 'dev', PolicyName: 'self' }))).PolicyDocument!),
    attached: (await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'dev' }))).AttachedPolicies,
    role: (await admin.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role,
    rolePolicies: (await admin.send(new ListRolePoliciesCommand({ RoleName: 'deployer' }))).PolicyNames,
    policy: (await admin.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy,
    local: (await admin.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies,
  });
  const before = await snapshot();
  assert.equal(before.inline, DEV_POLICY);
  assert.equal(before.policy!.AttachmentCount, 2);
  await server.restart();
  assert.deepEqual(await snapshot(), before);
  assert.equal((await iam(devKey).send(new GetUserCommand({}))).User!.Arn, `${ARN}:user/eng/dev`);
  assert.equal((await iam(reader).send(new ListUsersCommand({}))).Users!.length, before.users!.length);
  await refused(
    iam(reader).send(new CreateUserCommand({ UserName: 'mallory' })),
    'AccessDenied',
    403,
    `User: ${ARN}:user/reader is not authorized to perform: iam:CreateUser on resource: ${ARN}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
  );
  await refused(
    iam(nobody).send(new ListUsersCommand({})),
    'AccessDenied',
    403,
    `User: ${ARN}:user/nobody is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
  );
  await refused(admin.send(new DeletePolicyCommand({ PolicyArn: policyArn })), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');
});
