/**
 * Cross-account access end to end (docs/accounts.md#cross-account-access), with the official SDKs and
 * /usr/bin/aws: account B made with provisionAccount, a role in B trusting A assumed from A (allowed
 * with A's identity policy, refused without it, refused by a role not trusting A with AWS's message),
 * the session acting in B, both outcomes in the Event history of both accounts with one
 * sharedEventID, a bucket policy of B granting A read (with A's identity policy only), all after a restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  IAMClient,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { provisionAccount } from '../../src/accounts/provision.ts';
import { loadConfig } from '../../src/config.ts';
import { randomIds } from '../../src/ids.ts';
import { openStore } from '../../src/store/open.ts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { s3Client } from './helpers/delivery.ts';

let server: TestServer;
let a: string;
let b: string;
let bRoot: Credentials;
let alice: Credentials;
let bob: Credentials;
const BUCKET = `b-data-${Date.now()}`;
const trust = (principal: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
const iam = (c: Credentials) => new IAMClient(sdkConfig(server.endpoint, c));
const sts = (c: Credentials) => new STSClient(sdkConfig(server.endpoint, c));
const roleArn = (name: string) => `arn:aws:iam::${b}:role/${name}`;

async function user(name: string, statement?: object): Promise<Credentials> {
  const client = iam(server.root);
  await client.send(new CreateUserCommand({ UserName: name }));
  if (statement)
    await client.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }),
    );
  const key = (await client.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

/** AssumeRole records in the Event history of the account `c` belongs to, as its CloudTrail records. */
async function assumeRoleRecords(c: Credentials): Promise<any[]> {
  const out = await new CloudTrailClient(sdkConfig(server.endpoint, c)).send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }], MaxResults: 50 }),
  );
  return (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!));
}

before(async () => {
  server = await startServer();
  a = (await sts(server.root).send(new GetCallerIdentityCommand({}))).Account!;
  // account B, made in the server's database while it is stopped; the server then restarts onto it
  await server.stop();
  const store = await openStore(loadConfig({ dataDir: server.dataDir }, server.env));
  try {
    const made = await provisionAccount(store, randomIds, { name: 'b', email: 'b@example.com', now: new Date() });
    b = made.account.accountId;
    bRoot = { accessKeyId: made.rootKey.accessKeyId, secretAccessKey: made.rootKey.secretAccessKey };
  } finally {
    await store.close();
  }
  await server.restart();
  alice = await user('alice', { Effect: 'Allow', Action: ['sts:AssumeRole', 's3:GetObject', 's3:ListAllMyBuckets'], Resource: '*' });
  bob = await user('bob');
  await iam(bRoot).send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: trust(`arn:aws:iam::${a}:root`) }));
  await iam(bRoot).send(
    new PutRolePolicyCommand({
      RoleName: 'ops',
      PolicyName: 'p',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }),
    }),
  );
  await iam(bRoot).send(new CreateRoleCommand({ RoleName: 'private', AssumeRolePolicyDocument: trust('999999999999') }));
});
after(async () => {
  await server?.dispose();
});

test('a user of A assumes B’s role trusting A; the session acts in B', async () => {
  const out = await sts(alice).send(new AssumeRoleCommand({ RoleArn: roleArn('ops'), RoleSessionName: 'alice-ops' }));
  const session: Credentials = {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
  const me = await sts(session).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([me.Account, me.Arn], [b, `arn:aws:sts::${b}:assumed-role/ops/alice-ops`]);
  await iam(session).send(new CreateUserCommand({ UserName: 'made-by-a' }));
  const inB = (await iam(bRoot).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
  const inA = (await iam(server.root).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
  assert.deepEqual(inB, ['made-by-a']);
  assert.deepEqual(inA.sort(), ['alice', 'bob']);
  // the CLI, with the session's credentials, is in B too
  const cli = awsCli(server.endpoint, session, ['sts', 'get-caller-identity']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.json.Account, b);
});

test('refused: a user of A without permission, and a role not trusting A (AWS’s message)', async () => {
  await assert.rejects(sts(bob).send(new AssumeRoleCommand({ RoleArn: roleArn('ops'), RoleSessionName: 'bob' })), (e: any) => {
    assert.equal(e.name, 'AccessDenied');
    assert.equal(
      e.message,
      `User: arn:aws:iam::${a}:user/bob is not authorized to perform: sts:AssumeRole on resource: ${roleArn('ops')} because no identity-based policy allows the sts:AssumeRole action`,
    );
    return true;
  });
  const cli = awsCli(server.endpoint, alice, ['sts', 'assume-role', '--role-arn', roleArn('private'), '--role-session-name', 'nope']);
  assert.notEqual(cli.status, 0);
  assert.match(
    cli.stderr,
    new RegExp(
      `AccessDenied.*User: arn:aws:iam::${a}:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${b}:role/private$`,
      'm',
    ),
  );
});

test('both outcomes are in the Event history of both accounts, one sharedEventID per call, after a restart', async () => {
  await server.restart();
  const inA = await assumeRoleRecords(server.root);
  const inB = await assumeRoleRecords(bRoot);
  const pair = (match: (r: any) => boolean) => [inA.find(match), inB.find(match)];
  const [okA, okB] = pair((r) => r.requestParameters?.roleSessionName === 'alice-ops');
  assert.ok(okA && okB);
  assert.deepEqual([okA.recipientAccountId, okB.recipientAccountId], [a, b]);
  assert.equal(okA.sharedEventID, okB.sharedEventID);
  assert.notEqual(okA.eventID, okB.eventID);
  assert.deepEqual(okB.userIdentity, { type: 'AWSAccount', principalId: okA.userIdentity.principalId, accountId: a });
  for (const role of ['ops', 'private']) {
    const [deniedA, deniedB] = pair((r) => r.errorCode === 'AccessDenied' && r.errorMessage.includes(`resource: ${roleArn(role)}`));
    assert.ok(deniedA && deniedB, role);
    assert.deepEqual([deniedA.recipientAccountId, deniedB.recipientAccountId, deniedA.sharedEventID], [a, b, deniedB.sharedEventID]);
  }
  // B's history has only what concerns B: no record of A's own IAM calls
  assert.equal(
    inB.every((r) => r.recipientAccountId === b),
    true,
  );
});

test('a bucket policy of B granting A: read with A’s identity policy, refused without it', async () => {
  const s3b = s3Client(server.endpoint, bRoot);
  await s3b.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3b.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'report.txt', Body: 'numbers' }));
  await s3b.send(
    new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${a}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }],
      }),
    }),
  );
  const got = await s3Client(server.endpoint, alice).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'report.txt' }));
  assert.equal(await got.Body!.transformToString(), 'numbers');
  await assert.rejects(s3Client(server.endpoint, bob).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'report.txt' })), (e: any) => e.name === 'AccessDenied');
  // A cannot take B's bucket name; A's ListBuckets does not show it
  await assert.rejects(s3Client(server.endpoint, server.root).send(new CreateBucketCommand({ Bucket: BUCKET })), (e: any) => e.name === 'BucketAlreadyExists');
  const listed = await s3Client(server.endpoint, alice).send(new ListBucketsCommand({}));
  assert.equal(
    (listed.Buckets ?? []).some((x) => x.Name === BUCKET),
    false,
  );
  const cli = awsCli(server.endpoint, alice, ['s3api', 'get-object', '--bucket', BUCKET, '--key', 'report.txt', '/dev/null']);
  assert.equal(cli.status, 0, cli.stderr);
});
