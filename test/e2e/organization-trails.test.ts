/**
 * Log files from many accounts, end to end with the official clients only (docs/accounts.md#trails;
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-receive-logs-from-multiple-accounts.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html): an organization
 * made with @aws-sdk/client-organizations and three member accounts made by CreateAccount (polled to
 * SUCCEEDED), each reached through its OrganizationAccountAccessRole.
 *  - The trails of three accounts deliver into one bucket of a fourth under their own AWSLogs/<account>/
 *    folders, each its own account's records only; a trail whose account the policy does not name is
 *    refused with InsufficientS3BucketPolicyException.
 *  - An organization trail delivers the management account's and the members' records, each under
 *    AWSLogs/<o-id>/<account>/, exactly once; members see it and cannot delete it; after a restart the
 *    official `aws cloudtrail validate-logs --account-id` accepts every account's chain and flags an
 *    altered member-account file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';
import { listKeys, officialValidateLogs, readGzip, s3Client, startrailValidateLogs, waitFor } from './helpers/delivery.ts';

let server: TestServer;
let management: string;
let orgId: string;
/** member accounts: x and y have trails of their own; z owns the central bucket */
const accounts: Record<'x' | 'y' | 'z', { id: string; creds: Credentials }> = {} as never;
const CENTRAL = `central-logs-${Date.now()}`;
const ORG_BUCKET = `org-logs-${Date.now()}`;
const ORG_TRAIL = 'org-trail';
let orgTrailArn: string;
let started: Date;

const ct = (c: Credentials) => new CloudTrailClient(sdkConfig(server.endpoint, c));
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => `${e.name}: ${e.message}`,
  );

/** An administrator of the management account (root may not assume roles: AWS's rule). */
let admin: Credentials;

/** Credentials in a member account through its OrganizationAccountAccessRole, assumed by the management account's administrator. */
async function intoAccount(accountId: string): Promise<Credentials> {
  const c = (
    await new STSClient(sdkConfig(server.endpoint, admin)).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'setup' }),
    )
  ).Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** CloudTrail's bucket policy for several account folders (or an organization's), bound to the trails that write. */
function policy(bucket: string, folders: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
      {
        Sid: 'Write',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: folders.map((f) => `arn:aws:s3:::${bucket}/AWSLogs/${f}/*`),
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    ],
  });
}

/** The records of every log file under `prefix`, as account → event names (read by the bucket owner). */
async function delivered(
  owner: Credentials,
  bucket: string,
  prefix: string,
): Promise<{ keys: string[]; records: { recipientAccountId: string; eventID: string; requestID: string }[] }> {
  const s3 = s3Client(server.endpoint, owner);
  const keys = (await listKeys(s3, bucket, prefix)).filter((k) => k.includes('/CloudTrail/'));
  const records = [];
  for (const k of keys) records.push(...JSON.parse(await readGzip(s3, bucket, k)).Records);
  return { keys, records };
}

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '4' });
  management = (await new STSClient(sdkConfig(server.endpoint, server.root)).send(new GetCallerIdentityCommand({}))).Account!;
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'org-admin' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'org-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'org-admin' }))).AccessKey!;
  admin = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const orgs = new OrganizationsClient(sdkConfig(server.endpoint, server.root));
  orgId = (await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.Id!;
  await orgs.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }));
  for (const name of ['x', 'y', 'z'] as const) {
    const request = (await orgs.send(new CreateAccountCommand({ AccountName: `member-${name}`, Email: `${name}-${Date.now()}@example.com` })))
      .CreateAccountStatus!;
    const done = await waitFor(`account ${name}`, async () => {
      const s = (await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.Id! }))).CreateAccountStatus!;
      return s.State === 'SUCCEEDED' && s;
    });
    accounts[name] = { id: done.AccountId!, creds: await intoAccount(done.AccountId!) };
  }
});

after(async () => {
  await server?.dispose();
});

test("three accounts' trails deliver into one bucket of a fourth account, each under its own folder; an account the policy does not name is refused", async () => {
  const z = accounts.z;
  const s3 = s3Client(server.endpoint, z.creds);
  await s3.send(new CreateBucketCommand({ Bucket: CENTRAL }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: CENTRAL, Policy: policy(CENTRAL, [management, accounts.x.id, accounts.y.id]) }));
  const writers: [string, Credentials][] = [
    [management, server.root],
    [accounts.x.id, accounts.x.creds],
    [accounts.y.id, accounts.y.creds],
  ];
  for (const [, creds] of writers) {
    await ct(creds).send(new CreateTrailCommand({ Name: 'to-central', S3BucketName: CENTRAL }));
    await ct(creds).send(new StartLoggingCommand({ Name: 'to-central' }));
  }
  assert.equal(
    await codeOf(ct(z.creds).send(new CreateTrailCommand({ Name: 'to-central', S3BucketName: CENTRAL }))),
    `InsufficientS3BucketPolicyException: Incorrect S3 bucket policy is detected for bucket: ${CENTRAL}`,
  );
  for (const [, creds] of writers) await new IAMClient(sdkConfig(server.endpoint, creds)).send(new ListUsersCommand({}));
  for (const [account] of writers) {
    const got = await waitFor(`${account}'s ListUsers in the central bucket`, async () => {
      const d = await delivered(z.creds, CENTRAL, `AWSLogs/${account}/`);
      return d.records.some((r) => (r as { eventName?: string }).eventName === 'ListUsers') && d;
    });
    assert.ok(
      got.keys.every((k) => k.startsWith(`AWSLogs/${account}/CloudTrail/us-east-1/`) && k.split('/').pop()!.startsWith(`${account}_CloudTrail_us-east-1_`)),
    );
    assert.deepEqual([...new Set(got.records.map((r) => r.recipientAccountId))], [account], `only ${account}'s records`);
  }
  assert.deepEqual(await listKeys(s3, CENTRAL, `AWSLogs/${z.id}/`), []);
  for (const [, creds] of writers) await ct(creds).send(new StopLoggingCommand({ Name: 'to-central' }));
});

test('an organization trail delivers every account of the organization under AWSLogs/<o-id>/<account>/, exactly once; members see it and cannot delete it', async () => {
  started = new Date();
  const s3 = s3Client(server.endpoint, server.root);
  await s3.send(new CreateBucketCommand({ Bucket: ORG_BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: ORG_BUCKET, Policy: policy(ORG_BUCKET, [orgId]) }));
  orgTrailArn = (
    await ct(server.root).send(
      new CreateTrailCommand({ Name: ORG_TRAIL, S3BucketName: ORG_BUCKET, IsOrganizationTrail: true, IsMultiRegionTrail: true, EnableLogFileValidation: true }),
    )
  ).TrailARN!;
  await ct(server.root).send(new StartLoggingCommand({ Name: ORG_TRAIL }));
  const seen = (await ct(accounts.x.creds).send(new DescribeTrailsCommand({}))).trailList!.find((t) => t.TrailARN === orgTrailArn);
  assert.equal(seen?.IsOrganizationTrail, true, 'a member sees the organization trail');
  assert.equal(
    await codeOf(ct(accounts.x.creds).send(new DeleteTrailCommand({ Name: orgTrailArn }))),
    `CloudTrailARNInvalidException: AccountID in ARN is wrong, you can only access resources with AccountID ${accounts.x.id}.`,
  );
  const members: [string, Credentials][] = [
    [management, server.root],
    [accounts.x.id, accounts.x.creds],
    [accounts.y.id, accounts.y.creds],
  ];
  const marks = new Map<string, string>();
  for (const [account, creds] of members) {
    const out = await new IAMClient(sdkConfig(server.endpoint, creds)).send(new ListUsersCommand({}));
    marks.set(out.$metadata.requestId!, account);
  }
  for (const [account] of members) {
    await waitFor(`${account}'s records under the organization folder`, async () => {
      const d = await delivered(server.root, ORG_BUCKET, `AWSLogs/${orgId}/${account}/`);
      return d.records.some((r) => marks.get(r.requestID) === account) && d;
    });
  }
  const all = await delivered(server.root, ORG_BUCKET, 'AWSLogs/');
  for (const k of all.keys) assert.match(k, new RegExp(`^AWSLogs/${orgId}/(\\d{12})/CloudTrail/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/\\1_CloudTrail_`));
  for (const [requestId, account] of marks) {
    const copies = all.records.filter((r) => r.requestID === requestId);
    assert.equal(copies.length, 1, `the call of ${account} exactly once`);
    assert.equal(copies[0]!.recipientAccountId, account);
  }
  const ids = all.records.map((r) => r.eventID);
  assert.equal(new Set(ids).size, ids.length, 'no record twice');
  for (const k of all.keys) {
    const account = k.split('/')[2]!;
    assert.ok(
      (await delivered(server.root, ORG_BUCKET, k)).records.every((r) => r.recipientAccountId === account),
      `${k} holds ${account}'s records only`,
    );
  }
  assert.ok(!all.records.some((r) => r.recipientAccountId === accounts.z.id && marks.has(r.requestID)));
});

test("after a restart the official validate-logs accepts every account's chain of the organization trail and flags an altered member file", async () => {
  await server.restart();
  await ct(server.root).send(new StopLoggingCommand({ Name: ORG_TRAIL }));
  const s3 = s3Client(server.endpoint, server.root);
  const digestsOf = (account: string) => listKeys(s3, ORG_BUCKET, `AWSLogs/${orgId}/${account}/CloudTrail-Digest/`);
  for (const account of [management, accounts.x.id, accounts.y.id])
    await waitFor(`${account}'s digests`, async () => (await digestsOf(account)).length > 0 && true, 30_000);
  // the final digests follow the stop: wait until every chain has one ending after it
  await new Promise((r) => setTimeout(r, 6000));
  const start = new Date(started.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const validate = (account: string) =>
    officialValidateLogs(server.endpoint, server.endpoint, server.root, [
      '--trail-arn',
      orgTrailArn,
      '--start-time',
      start,
      '--account-id',
      account,
      '--verbose',
    ]);
  for (const account of [management, accounts.x.id, accounts.y.id]) {
    const r = validate(account);
    assert.equal(r.status, 0, `${account}: ${r.stdout}\n${r.stderr}`);
    const digests = /(\d+)\/(\d+) digest files valid/.exec(r.stdout);
    const logs = /(\d+)\/(\d+) log files valid/.exec(r.stdout);
    assert.ok(digests && Number(digests[2]) > 0 && digests[1] === digests[2], r.stdout);
    assert.ok(logs && Number(logs[2]) > 0 && logs[1] === logs[2], `${account}'s own log files are listed and valid: ${r.stdout}`);
  }
  // startrail's own validate-logs, which asks DescribeOrganization at --endpoint-url
  const own = (account: string) =>
    startrailValidateLogs(server.endpoint, server.root, ['--trail-arn', orgTrailArn, '--start-time', start, '--account-id', account]);
  const mine = own(accounts.y.id);
  assert.equal(mine.status, 0, mine.stdout + mine.stderr);
  assert.match(mine.stdout, /(\d+)\/\1 log files valid/);
  const missing = officialValidateLogs(server.endpoint, server.endpoint, server.root, ['--trail-arn', orgTrailArn, '--start-time', start]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /--account-id/);
  // alter one of member x's log files
  const [key] = (await listKeys(s3, ORG_BUCKET, `AWSLogs/${orgId}/${accounts.x.id}/CloudTrail/`)).filter((k) => k.endsWith('.json.gz'));
  const original = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: ORG_BUCKET, Key: key! }))).Body!.transformToByteArray());
  await s3.send(new PutObjectCommand({ Bucket: ORG_BUCKET, Key: key!, Body: gzipSync(Buffer.from('{"Records":[]}')), ContentEncoding: 'gzip' }));
  const r = validate(accounts.x.id);
  assert.equal(r.status, 1, r.stdout);
  assert.equal(own(accounts.x.id).status, 1, "startrail's validate-logs flags it too");
  assert.match(
    r.stdout + r.stderr,
    new RegExp(`Log file\\ts3://${ORG_BUCKET}/${key!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\tINVALID: hash value doesn't match`),
  );
  assert.equal(validate(accounts.y.id).status, 0, "the other member's chain is still valid");
  await s3.send(new PutObjectCommand({ Bucket: ORG_BUCKET, Key: key!, Body: original, ContentEncoding: 'gzip' }));
  assert.equal(validate(accounts.x.id).status, 0, 'valid again once restored');
});
