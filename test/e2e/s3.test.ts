/**
 * The S3 endpoint (README "CloudTrail: Event history and trails") with the official clients only: /usr/bin/aws (s3 and s3api)
 * and @aws-sdk/client-s3 (path-style; default checksum settings, so stream uploads arrive aws-chunked).
 * Buckets, objects, metadata, ranges, both listings with paging and url encoding, bucket policies,
 * S3's errors with their statuses, IAM denials and bucket-policy grants, CloudTrail records of the
 * calls, and persistence across a restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  S3Client,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const ACCOUNT = '000000000000';
let server: TestServer;
let work: string;
let bob: Credentials;
const clients: S3Client[] = [];

const s3 = (c: Credentials = server.root) => {
  const client = new S3Client({ ...sdkConfig(server.endpoint, c), forcePathStyle: true });
  clients.push(client);
  return client;
};
const cli = (args: string[], c: Credentials = server.root) => awsCli(server.endpoint, c, args);

async function failure(p: Promise<unknown>): Promise<{ code: string; status: number; message: string; e: any }> {
  try {
    await p;
  } catch (e: any) {
    return { code: e.name, status: e.$metadata?.httpStatusCode, message: e.message, e };
  }
  assert.fail('expected the call to fail');
}

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), 's3-e2e-'));
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
  bob = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  iam.destroy();
});

after(async () => {
  for (const c of clients) c.destroy();
  rmSync(work, { recursive: true, force: true });
  await server?.dispose();
});

test('aws s3: mb, cp up and down (byte for byte), ls, rm, rb', () => {
  assert.equal(cli(['s3', 'mb', 's3://cli-bucket']).stdout.trim(), 'make_bucket: cli-bucket');
  const bytes = randomBytes(300_000);
  writeFileSync(join(work, 'up.bin'), bytes);
  const up = cli(['s3', 'cp', join(work, 'up.bin'), 's3://cli-bucket/dir/data file.bin']);
  assert.equal(up.status, 0, up.stderr);
  const down = cli(['s3', 'cp', 's3://cli-bucket/dir/data file.bin', join(work, 'down.bin')]);
  assert.equal(down.status, 0, down.stderr);
  assert.ok(readFileSync(join(work, 'down.bin')).equals(bytes));
  assert.match(cli(['s3', 'ls']).stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cli-bucket$/m);
  assert.match(cli(['s3', 'ls', 's3://cli-bucket']).stdout.trim(), /^PRE dir\/$/);
  assert.match(cli(['s3', 'ls', 's3://cli-bucket/dir/']).stdout.trim(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+300000 data file\.bin$/);
  assert.equal(cli(['s3', 'rm', 's3://cli-bucket/dir/data file.bin']).stdout.trim(), 'delete: s3://cli-bucket/dir/data file.bin');
  assert.equal(cli(['s3', 'ls', 's3://cli-bucket']).stdout.trim(), '');
  assert.equal(cli(['s3', 'rb', 's3://cli-bucket']).stdout.trim(), 'remove_bucket: cli-bucket');
  assert.doesNotMatch(cli(['s3', 'ls']).stdout, /cli-bucket/);
});

test('aws s3api: put-object --metadata, head-object, get-object --range, get-bucket-location', () => {
  assert.equal(cli(['s3api', 'create-bucket', '--bucket', 'api-bucket']).json.Location, '/api-bucket');
  writeFileSync(join(work, 'fox.txt'), 'The quick brown fox jumps over the lazy dog');
  const put = cli([
    's3api',
    'put-object',
    '--bucket',
    'api-bucket',
    '--key',
    'fox.txt',
    '--body',
    join(work, 'fox.txt'),
    '--metadata',
    'signature=abc123,signature-algorithm=SHA256withRSA',
    '--content-type',
    'text/plain',
    '--content-encoding',
    'identity',
  ]);
  assert.equal(put.status, 0, put.stderr);
  assert.equal(put.json.ETag, '"9e107d9d372bb6826bd81d3542a419d6"');
  const head = cli(['s3api', 'head-object', '--bucket', 'api-bucket', '--key', 'fox.txt']).json;
  assert.deepEqual(
    [head.ContentLength, head.ETag, head.ContentType, head.ContentEncoding, head.AcceptRanges, head.Metadata],
    [43, '"9e107d9d372bb6826bd81d3542a419d6"', 'text/plain', 'identity', 'bytes', { signature: 'abc123', 'signature-algorithm': 'SHA256withRSA' }],
  );
  const got = cli(['s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'fox.txt', '--range', 'bytes=4-8', join(work, 'part.txt')]).json;
  assert.deepEqual([got.ContentLength, got.ContentRange, readFileSync(join(work, 'part.txt'), 'utf8')], [5, 'bytes 4-8/43', 'quick']);
  assert.equal(cli(['s3api', 'get-bucket-location', '--bucket', 'api-bucket']).json.LocationConstraint, null);
  const eu = cli(['s3api', 'create-bucket', '--bucket', 'eu-bucket', '--create-bucket-configuration', 'LocationConstraint=eu-west-1']);
  assert.equal(eu.status, 0, eu.stderr);
  assert.equal(cli(['s3api', 'get-bucket-location', '--bucket', 'eu-bucket']).json.LocationConstraint, 'eu-west-1');
});

test('list-objects (v1): marker paging, as validate-logs lists (encoding-type=url set and undone by botocore), and --encoding-type url', async () => {
  await s3().send(new CreateBucketCommand({ Bucket: 'list-bucket' }));
  const keys = ['a b/1', 'a b/2', 'c+d', 'dir/x', 'dir/y', 'ü/é'];
  for (const k of keys) await s3().send(new PutObjectCommand({ Bucket: 'list-bucket', Key: k, Body: k }));
  const all = cli(['s3api', 'list-objects', '--bucket', 'list-bucket', '--page-size', '2']);
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(
    all.json.Contents.map((c: any) => c.Key),
    keys,
  );
  const page = cli(['s3api', 'list-objects', '--bucket', 'list-bucket', '--no-paginate', '--max-keys', '2', '--marker', 'a b/2']).json;
  assert.deepEqual([page.Contents.map((c: any) => c.Key), page.IsTruncated, page.Marker], [['c+d', 'dir/x'], true, 'a b/2']);
  const encoded = cli(['s3api', 'list-objects', '--bucket', 'list-bucket', '--encoding-type', 'url', '--no-paginate']).json;
  assert.deepEqual(
    encoded.Contents.map((c: any) => c.Key),
    ['a+b/1', 'a+b/2', 'c%2Bd', 'dir/x', 'dir/y', '%C3%BC/%C3%A9'],
  );
  const rolled = cli(['s3api', 'list-objects', '--bucket', 'list-bucket', '--delimiter', '/', '--prefix', 'dir/', '--no-paginate']).json;
  assert.deepEqual([rolled.Contents.map((c: any) => c.Key), rolled.Prefix, rolled.Delimiter], [['dir/x', 'dir/y'], 'dir/', '/']);
  const sdk = await s3().send(new ListObjectsCommand({ Bucket: 'list-bucket', Delimiter: '/', MaxKeys: 2 }));
  assert.deepEqual(
    [sdk.CommonPrefixes?.map((p) => p.Prefix), sdk.Contents?.map((c) => c.Key), sdk.IsTruncated, sdk.NextMarker],
    [['a b/'], ['c+d'], true, 'c+d'],
  );
});

test('list-objects-v2: continuation-token paging with the CLI and the SDK paginator, start-after, prefix, delimiter', async () => {
  const cliAll = cli(['s3api', 'list-objects-v2', '--bucket', 'list-bucket', '--page-size', '2']).json;
  assert.deepEqual(
    cliAll.Contents.map((c: any) => c.Key),
    ['a b/1', 'a b/2', 'c+d', 'dir/x', 'dir/y', 'ü/é'],
  );
  const first = cli(['s3api', 'list-objects-v2', '--bucket', 'list-bucket', '--max-items', '4', '--page-size', '2']).json;
  assert.equal(first.Contents.length, 4);
  const rest = cli(['s3api', 'list-objects-v2', '--bucket', 'list-bucket', '--starting-token', first.NextToken, '--page-size', '2']).json;
  assert.deepEqual(
    rest.Contents.map((c: any) => c.Key),
    ['dir/y', 'ü/é'],
  );
  const pages: string[][] = [];
  for await (const p of paginateListObjectsV2({ client: s3(), pageSize: 2 }, { Bucket: 'list-bucket', Delimiter: '/' })) {
    pages.push([...(p.CommonPrefixes ?? []).map((x) => x.Prefix!), ...(p.Contents ?? []).map((x) => x.Key!)]);
  }
  assert.deepEqual(pages, [
    ['a b/', 'c+d'],
    ['dir/', 'ü/'],
  ]);
  const after = await s3().send(new ListObjectsV2Command({ Bucket: 'list-bucket', StartAfter: 'dir/x', Prefix: 'dir/' }));
  assert.deepEqual([after.Contents?.map((c) => c.Key), after.KeyCount, after.StartAfter], [['dir/y'], 1, 'dir/x']);
});

test('SDK with default checksums: a stream upload (aws-chunked, trailing CRC32) round-trips byte for byte', async () => {
  await s3().send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
  const bytes = randomBytes(200_001);
  const body = Readable.from([bytes.subarray(0, 65_536), bytes.subarray(65_536, 150_000), bytes.subarray(150_000)]);
  const put = await s3().send(
    new PutObjectCommand({
      Bucket: 'sdk-bucket',
      Key: 'stream.bin',
      Body: body,
      ContentLength: bytes.length,
      Metadata: { origin: 'stream' },
      ContentEncoding: 'gzip',
    }),
  );
  assert.match(put.ETag!, /^"[0-9a-f]{32}"$/);
  assert.ok(put.ChecksumCRC32);
  const got = await s3().send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'stream.bin' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes));
  assert.deepEqual(
    [got.ContentLength, got.Metadata, got.ContentEncoding, got.ETag, got.ChecksumCRC32],
    [200_001, { origin: 'stream' }, 'gzip', put.ETag, put.ChecksumCRC32],
  );
  const buf = await s3().send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'buffer.bin', Body: bytes }));
  assert.equal(buf.ETag, put.ETag);
  const tail = await s3().send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'buffer.bin', Range: 'bytes=-1' }));
  assert.deepEqual(
    [tail.$metadata.httpStatusCode, tail.ContentRange, Buffer.from(await tail.Body!.transformToByteArray())],
    [206, 'bytes 200000-200000/200001', bytes.subarray(200_000)],
  );
  await s3().send(new HeadBucketCommand({ Bucket: 'sdk-bucket' }));
});

test('bucket policy: put, get (verbatim), delete — with the CLI', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CT', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::api-bucket/AWSLogs/*' },
    ],
  });
  const put = cli(['s3api', 'put-bucket-policy', '--bucket', 'api-bucket', '--policy', policy]);
  assert.equal(put.status, 0, put.stderr);
  assert.equal(cli(['s3api', 'get-bucket-policy', '--bucket', 'api-bucket']).json.Policy, policy);
  assert.equal(cli(['s3api', 'delete-bucket-policy', '--bucket', 'api-bucket']).status, 0);
  const gone = cli(['s3api', 'get-bucket-policy', '--bucket', 'api-bucket']);
  assert.match(
    gone.stderr,
    /An error occurred \(NoSuchBucketPolicy\) when calling the GetBucketPolicy operation(?: \(reached max retries: \d+\))?: The bucket policy does not exist/,
  );
});

test("S3's errors from real calls: code and HTTP status", async () => {
  const c = s3();
  await c.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'small', Body: 'tiny' }));
  const cases: [string, () => Promise<unknown>, string, number][] = [
    ['missing bucket', () => c.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })), 'NoSuchBucket', 404],
    ['missing key', () => c.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'nope' })), 'NoSuchKey', 404],
    ['delete a non-empty bucket', () => c.send(new DeleteBucketCommand({ Bucket: 'sdk-bucket' })), 'BucketNotEmpty', 409],
    ['create your own bucket again', () => c.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' })), 'BucketAlreadyOwnedByYou', 409],
    ['bad bucket name', () => c.send(new CreateBucketCommand({ Bucket: 'Bad_Bucket' })), 'InvalidBucketName', 400],
    ['no policy', () => c.send(new GetBucketPolicyCommand({ Bucket: 'sdk-bucket' })), 'NoSuchBucketPolicy', 404],
    [
      'malformed policy',
      () =>
        c.send(
          new PutBucketPolicyCommand({
            Bucket: 'sdk-bucket',
            Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::sdk-bucket/*"}]}',
          }),
        ),
      'MalformedPolicy',
      400,
    ],
    ['unsatisfiable range', () => c.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'small', Range: 'bytes=10-20' })), 'InvalidRange', 416],
    [
      'unknown access key',
      () => s3({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x' }).send(new ListObjectsV2Command({ Bucket: 'sdk-bucket' })),
      'InvalidAccessKeyId',
      403,
    ],
    [
      'wrong secret',
      () => s3({ ...server.root, secretAccessKey: 'wrong' }).send(new ListObjectsV2Command({ Bucket: 'sdk-bucket' })),
      'SignatureDoesNotMatch',
      403,
    ],
    ['no permission', () => s3(bob).send(new ListObjectsV2Command({ Bucket: 'sdk-bucket' })), 'AccessDenied', 403],
  ];
  for (const [name, p, code, status] of cases) {
    const f = await failure(p());
    assert.deepEqual([f.code, f.status], [code, status], `${name}: ${f.message}`);
  }
  const nb = await failure(c.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
  assert.deepEqual([nb.message, nb.e.BucketName], ['The specified bucket does not exist', 'no-such-bucket']);
  const nk = await failure(c.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'nope' })));
  assert.deepEqual([nk.message, nk.e.Key], ['The specified key does not exist.', 'nope']);
  const head = await failure(c.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'nope' })));
  assert.deepEqual([head.code, head.status], ['NotFound', 404]);
  const cliErr = cli(['s3api', 'delete-bucket', '--bucket', 'sdk-bucket']);
  assert.equal(cliErr.status, 254);
  assert.match(
    cliErr.stderr,
    /An error occurred \(BucketNotEmpty\) when calling the DeleteBucket operation(?: \(reached max retries: \d+\))?: The bucket you tried to delete is not empty/,
  );
});

test('an IAM user without s3 permissions is denied (AccessDenied 403) until a bucket policy names them', async () => {
  await s3().send(new CreateBucketCommand({ Bucket: 'shared-bucket' }));
  await s3().send(new PutObjectCommand({ Bucket: 'shared-bucket', Key: 'doc.txt', Body: 'shared' }));
  const denied = await failure(s3(bob).send(new GetObjectCommand({ Bucket: 'shared-bucket', Key: 'doc.txt' })));
  assert.deepEqual([denied.code, denied.status], ['AccessDenied', 403]);
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::shared-bucket/doc.txt" because no identity-based policy allows the s3:GetObject action`,
  );
  assert.match(cli(['s3', 'ls', 's3://shared-bucket'], bob).stderr, /AccessDenied/);
  const grant = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` },
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::shared-bucket/*',
      },
    ],
  };
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'shared-bucket', Policy: JSON.stringify(grant) }));
  const got = await s3(bob).send(new GetObjectCommand({ Bucket: 'shared-bucket', Key: 'doc.txt' }));
  assert.equal(await got.Body!.transformToString(), 'shared');
  await s3(bob).send(new PutObjectCommand({ Bucket: 'shared-bucket', Key: 'from-bob.txt', Body: 'hi' }));
  // a missing key is 403 without s3:ListBucket, 404 with it (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)
  assert.deepEqual((({ code, status }) => [code, status])(await failure(s3(bob).send(new GetObjectCommand({ Bucket: 'shared-bucket', Key: 'missing' })))), [
    'AccessDenied',
    403,
  ]);
  const list = await failure(s3(bob).send(new ListObjectsCommand({ Bucket: 'shared-bucket' })));
  assert.equal(
    list.message,
    `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::shared-bucket" because no identity-based policy allows the s3:ListBucket action`,
  );
  grant.Statement.push({
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` },
    Action: ['s3:ListBucket'],
    Resource: 'arn:aws:s3:::shared-bucket',
  });
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'shared-bucket', Policy: JSON.stringify(grant) }));
  assert.deepEqual((({ code, status }) => [code, status])(await failure(s3(bob).send(new GetObjectCommand({ Bucket: 'shared-bucket', Key: 'missing' })))), [
    'NoSuchKey',
    404,
  ]);
  assert.match(cli(['s3', 'ls', 's3://shared-bucket'], bob).stdout, /from-bob\.txt/);
  // an explicit Deny in the bucket policy binds even the root user
  const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::shared-bucket/*' }] };
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'shared-bucket', Policy: JSON.stringify(deny) }));
  await s3().send(new PutObjectCommand({ Bucket: 'shared-bucket', Key: 'x', Body: 'x' }));
  const rootDenied = await failure(s3().send(new DeleteObjectCommand({ Bucket: 'shared-bucket', Key: 'x' })));
  assert.deepEqual([rootDenied.code, rootDenied.status], ['AccessDenied', 403]);
  assert.match(rootDenied.message, /with an explicit deny in a resource-based policy$/);
  await s3().send(new DeleteBucketPolicyCommand({ Bucket: 'shared-bucket' }));
});

test('S3 calls are recorded in CloudTrail event history like any other call', async () => {
  const events = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'CreateBucket' }]);
  const records = events.map((e) => JSON.parse(e.CloudTrailEvent!)).filter((r) => r.eventSource === 's3.amazonaws.com');
  assert.ok(
    records.some((r) => r.errorCode === undefined && r.resources?.[0]?.ARN === 'arn:aws:s3:::shared-bucket'),
    JSON.stringify(records.map((r) => r.resources)),
  );
  assert.ok(records.some((r) => r.errorCode === 'BucketAlreadyOwnedByYou'));
  assert.ok(records.every((r) => r.readOnly === false && r.awsRegion === 'us-east-1'));
  // Object calls are data events: recorded (eventCategory Data), but Event history shows management events only, as AWS's does.
  const bobs = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'Username', AttributeValue: 'bob' }]);
  assert.ok(
    bobs.every((e) => !['GetObject', 'PutObject', 'HeadObject', 'DeleteObject', 'ListObjects', 'ListObjectsV2'].includes(e.EventName!)),
    JSON.stringify(bobs.map((e) => e.EventName)),
  );
  assert.deepEqual(await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'PutObject' }]), []);
});

test('buckets, objects and policies survive a restart', async () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::api-bucket' }],
  });
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'api-bucket', Policy: policy }));
  for (const c of clients.splice(0)) c.destroy();
  await server.restart();
  const head = await s3().send(new HeadObjectCommand({ Bucket: 'api-bucket', Key: 'fox.txt' }));
  assert.deepEqual([head.ContentLength, head.Metadata?.['signature']], [43, 'abc123']);
  assert.equal((await s3().send(new GetBucketPolicyCommand({ Bucket: 'api-bucket' }))).Policy, policy);
  assert.equal(cli(['s3api', 'get-bucket-location', '--bucket', 'eu-bucket']).json.LocationConstraint, 'eu-west-1');
  const got = await s3(bob)
    .send(new GetObjectCommand({ Bucket: 'shared-bucket', Key: 'from-bob.txt' }))
    .catch((e) => e);
  assert.equal(got.name, 'AccessDenied'); // the grant was removed before the restart and stays removed
});
