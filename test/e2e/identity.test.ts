/**
 * The identity and authorization promise (README "Identities and authorization"), end to end with the official clients: root, IAM users, assumed roles and
 * federated users are who GetCallerIdentity says; permissions follow IAM evaluation; bad
 * credentials get AWS's error and status per protocol; all of it survives a restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateUserCommand,
  CreateAccessKeyCommand,
  PutUserPolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
  AttachUserPolicyCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { CodeStarClient, ListProjectsCommand, ListUserProfilesCommand } from '@aws-sdk/client-codestar';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const ACCOUNT = '000000000000';
let server: TestServer;
let alice: Credentials;
let reader: Credentials;
let nobody: Credentials;
let roleCreds: Credentials;
let fedCreds: Credentials;
let fedNoPolicyCreds: Credentials;
let roleId = '';

const sts = (c: Credentials) => new STSClient(sdkConfig(server.endpoint, c));
const iam = (c: Credentials) => new IAMClient(sdkConfig(server.endpoint, c));
const codestar = (c: Credentials) => new CodeStarClient(sdkConfig(server.endpoint, c));
const keyOf = (k: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Credentials => ({
  accessKeyId: k.AccessKeyId!,
  secretAccessKey: k.SecretAccessKey!,
  ...(k.SessionToken ? { sessionToken: k.SessionToken } : {}),
});

async function rejects(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to be refused');
}

async function newUser(name: string): Promise<Credentials> {
  const admin = iam(server.root);
  await admin.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: name }));
  return keyOf(AccessKey!);
}

before(async () => {
  server = await startServer();
  const admin = iam(server.root);
  alice = await newUser('alice');
  await admin.send(
    new PutUserPolicyCommand({
      UserName: 'alice',
      PolicyName: 'work',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['sts:GetFederationToken', 'codestar:ListProjects', 'codestar:ListUserProfiles'], Resource: '*' }],
      }),
    }),
  );
  const role = await admin.send(
    new CreateRoleCommand({
      RoleName: 'dev',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  roleId = role.Role!.RoleId!;
  await admin.send(
    new PutRolePolicyCommand({
      RoleName: 'dev',
      PolicyName: 'p',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codestar:List*', Resource: '*' }] }),
    }),
  );
  reader = await newUser('reader');
  await admin.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  nobody = await newUser('nobody');
});

after(async () => {
  await server?.dispose();
});

test('GetCallerIdentity as root, with the SDK and the CLI', async () => {
  const id = await sts(server.root).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([id.UserId, id.Account, id.Arn], [ACCOUNT, ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`]);
  const cli = awsCli(server.endpoint, server.root, ['sts', 'get-caller-identity']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(cli.json, { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
});

test('GetCallerIdentity as an IAM user', async () => {
  const id = await sts(alice).send(new GetCallerIdentityCommand({}));
  assert.match(id.UserId!, /^AIDA[A-Z0-9]{17}$/);
  assert.equal(id.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(id.Account, ACCOUNT);
});

test('AssumeRole with a trust policy naming the user, then GetCallerIdentity as the role session', async () => {
  const r = await sts(alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/dev`, RoleSessionName: 's1', DurationSeconds: 900 }));
  assert.match(r.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(r.Credentials!.SecretAccessKey!.length, 40);
  assert.ok(r.Credentials!.SessionToken!.length > 100);
  const ttl = r.Credentials!.Expiration!.getTime() - Date.now();
  assert.ok(ttl > 880_000 && ttl <= 901_000, `expiry in ${ttl} ms`);
  assert.equal(r.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/dev/s1`);
  assert.equal(r.AssumedRoleUser!.AssumedRoleId, `${roleId}:s1`);
  roleCreds = keyOf(r.Credentials!);
  const id = await sts(roleCreds).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([id.UserId, id.Account, id.Arn], [`${roleId}:s1`, ACCOUNT, `arn:aws:sts::${ACCOUNT}:assumed-role/dev/s1`]);
  const cli = awsCli(server.endpoint, roleCreds, ['sts', 'get-caller-identity']);
  assert.equal(cli.json?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/dev/s1`);
});

test('AssumeRole is refused to a user the trust policy does not name, and to root', async () => {
  const e = await rejects(sts(reader).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/dev`, RoleSessionName: 's' })));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.equal(
    e.message,
    `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/dev`,
  );
  const r = await rejects(sts(server.root).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/dev`, RoleSessionName: 's' })));
  assert.equal(r.name, 'AccessDenied');
  assert.equal(r.message, 'Roles may not be assumed by root accounts.');
});

test('GetFederationToken: identity and the intersection of permissions', async () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['codestar:ListProjects', 'codestar:ListTeamMembers'], Resource: '*' }],
  });
  const f = await sts(alice).send(new GetFederationTokenCommand({ Name: 'fed1', Policy: policy, DurationSeconds: 900 }));
  assert.equal(f.FederatedUser!.Arn, `arn:aws:sts::${ACCOUNT}:federated-user/fed1`);
  assert.equal(f.FederatedUser!.FederatedUserId, `${ACCOUNT}:fed1`);
  assert.ok((f.PackedPolicySize ?? 0) > 0);
  fedCreds = keyOf(f.Credentials!);
  const id = await sts(fedCreds).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([id.UserId, id.Account, id.Arn], [`${ACCOUNT}:fed1`, ACCOUNT, `arn:aws:sts::${ACCOUNT}:federated-user/fed1`]);
  // allowed by both the user's policy and the session policy
  const projects = await codestar(fedCreds).send(new ListProjectsCommand({}));
  assert.deepEqual(projects.projects, []);
  // allowed by the user's policy, not by the session policy
  const e = await rejects(codestar(fedCreds).send(new ListUserProfilesCommand({})));
  assert.equal(e.name, 'AccessDeniedException');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(
    e.message,
    `User: arn:aws:sts::${ACCOUNT}:federated-user/fed1 is not authorized to perform: codestar:ListUserProfiles on resource: * because no session policy allows the codestar:ListUserProfiles action`,
  );
  // a federated user without a session policy has no permissions
  const bare = await sts(alice).send(new GetFederationTokenCommand({ Name: 'fed2' }));
  fedNoPolicyCreds = keyOf(bare.Credentials!);
  const d = await rejects(codestar(fedNoPolicyCreds).send(new ListProjectsCommand({})));
  assert.equal(d.name, 'AccessDeniedException');
});

test('a user without a policy is denied; ReadOnlyAccess can list but not create', async () => {
  const e = await rejects(iam(nobody).send(new ListUsersCommand({})));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.equal(
    e.message,
    `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
  );
  const users = await iam(reader).send(new ListUsersCommand({}));
  assert.deepEqual(users.Users!.map((u) => u.UserName).sort(), ['alice', 'nobody', 'reader']);
  const c = await rejects(iam(reader).send(new CreateUserCommand({ UserName: 'mallory' })));
  assert.equal(c.name, 'AccessDenied');
  assert.equal(
    c.message,
    `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
  );
  const cli = awsCli(server.endpoint, reader, ['iam', 'create-user', '--user-name', 'mallory']);
  assert.equal(cli.status, 254);
  assert.match(
    cli.stderr,
    /An error occurred \(AccessDenied\) when calling the CreateUser operation(?: \(reached max retries: \d+\))?: User: arn:aws:iam::000000000000:user\/reader is not authorized to perform: iam:CreateUser/,
  );
});

test('a wrong secret is refused: SignatureDoesNotMatch 403 (Query), InvalidSignatureException 400 (JSON)', async () => {
  const bad = { ...alice, secretAccessKey: alice.secretAccessKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) };
  const q = await rejects(sts(bad).send(new GetCallerIdentityCommand({})));
  assert.equal(q.name, 'SignatureDoesNotMatch');
  assert.equal(q.$metadata.httpStatusCode, 403);
  assert.match(q.message, /^The request signature we calculated does not match the signature you provided/);
  const j = await rejects(codestar(bad).send(new ListProjectsCommand({})));
  assert.equal(j.name, 'InvalidSignatureException');
  assert.equal(j.$metadata.httpStatusCode, 400);
});

test('an unknown key is refused: InvalidClientTokenId 403 (Query), UnrecognizedClientException 400 (JSON)', async () => {
  const unknown = { accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ', secretAccessKey: 'x'.repeat(40) };
  const q = await rejects(sts(unknown).send(new GetCallerIdentityCommand({})));
  assert.equal(q.name, 'InvalidClientTokenId');
  assert.equal(q.$metadata.httpStatusCode, 403);
  assert.equal(q.message, 'The security token included in the request is invalid.');
  const j = await rejects(codestar(unknown).send(new ListProjectsCommand({})));
  assert.equal(j.name, 'UnrecognizedClientException');
  assert.equal(j.$metadata.httpStatusCode, 400);
  const cli = awsCli(server.endpoint, unknown, ['sts', 'get-caller-identity']);
  assert.equal(cli.status, 254);
  assert.match(cli.stderr, /InvalidClientTokenId/);
});

test('a request signed 20 minutes ago is refused with the skew message', async () => {
  const skewed = (c: Credentials) => ({ ...sdkConfig(server.endpoint, c), systemClockOffset: -20 * 60 * 1000 });
  const q = await rejects(new STSClient(skewed(alice)).send(new GetCallerIdentityCommand({})));
  assert.equal(q.name, 'SignatureDoesNotMatch');
  assert.equal(q.$metadata.httpStatusCode, 403);
  assert.match(q.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  const j = await rejects(new CodeStarClient(skewed(alice)).send(new ListProjectsCommand({})));
  assert.equal(j.name, 'InvalidSignatureException');
  assert.match(j.message, /^Signature expired/);
});

test('a request with no signature is refused: MissingAuthenticationToken(Exception) 403', async () => {
  const q = await fetch(server.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  assert.equal(q.status, 403);
  const qb = await q.text();
  assert.match(qb, /<Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/);
  assert.ok(q.headers.get('x-amzn-requestid'));
  const j = await fetch(server.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeStar_20170419.ListProjects' },
    body: '{}',
  });
  assert.equal(j.status, 403);
  assert.deepEqual(await j.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
});

test('session credentials cannot call GetSessionToken; long-term ones can', async () => {
  const e = await rejects(sts(roleCreds).send(new GetSessionTokenCommand({})));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.message, 'Cannot call GetSessionToken with session credentials');
  const t = await sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  const id = await sts(keyOf(t.Credentials!)).send(new GetCallerIdentityCommand({}));
  assert.equal(id.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
});

test('identities, keys, sessions and permissions survive a restart', async () => {
  await server.restart();
  assert.equal((await sts(server.root).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal((await sts(alice).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal((await sts(roleCreds).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/dev/s1`);
  assert.equal((await sts(fedCreds).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${ACCOUNT}:federated-user/fed1`);
  assert.deepEqual((await codestar(fedCreds).send(new ListProjectsCommand({}))).projects, []);
  assert.equal((await rejects(codestar(fedCreds).send(new ListUserProfilesCommand({})))).name, 'AccessDeniedException');
  assert.equal((await rejects(iam(nobody).send(new ListUsersCommand({})))).name, 'AccessDenied');
  assert.equal((await rejects(iam(reader).send(new CreateUserCommand({ UserName: 'x' })))).name, 'AccessDenied');
});

test('an expired session token is refused: ExpiredToken 403 (Query), ExpiredTokenException 400 (JSON)', async () => {
  // Move the server's clock two hours ahead; the client signs with the same offset so only the token has expired.
  await server.stop();
  const later = await server.startSibling({ STARTRAIL_CLOCK_OFFSET_SECONDS: '7200' });
  try {
    const ahead = (c: Credentials) => ({ ...sdkConfig(later.endpoint, c), systemClockOffset: 7200 * 1000 });
    const q = await rejects(new STSClient(ahead(roleCreds)).send(new GetCallerIdentityCommand({})));
    assert.equal(q.name, 'ExpiredToken');
    assert.equal(q.$metadata.httpStatusCode, 403);
    assert.equal(q.message, 'The security token included in the request is expired');
    const j = await rejects(new CodeStarClient(ahead(roleCreds)).send(new ListProjectsCommand({})));
    assert.equal(j.name, 'ExpiredTokenException');
    // long-term keys are unaffected
    const ok = await new STSClient(ahead(alice)).send(new GetCallerIdentityCommand({}));
    assert.equal(ok.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
    // the Date header tells the server's shifted time (clients correct their clock skew by it)
    const date = Date.parse((await fetch(`${later.endpoint}/health`)).headers.get('date') ?? '');
    assert.ok(Math.abs(date - (Date.now() + 7200_000)) < 5_000, `Date ${new Date(date).toISOString()} is two hours ahead`);
  } finally {
    await later.stop();
  }
});
