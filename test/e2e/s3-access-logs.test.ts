/**
 * S3 server access logging (docs/s3.md#server-access-logging) against a started server: logging
 * turned on with /usr/bin/aws s3api put-bucket-logging, a PutObject and a GetObject with
 * @aws-sdk/client-s3, and the log object they make in the target bucket, read back and checked field
 * by field (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html); PutBucketLogging's
 * errors as S3 answers them; both calls recorded in CloudTrail; the lines kept across a kill -9.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { parseLogLine } from '../../src/services/s3/access-log-format.ts';
import { owner } from '../../src/services/s3/owner.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';
import { startServer, type TestServer } from './helpers/server.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const ACCOUNT = '000000000000';
let server: TestServer;
const s3 = () => new S3Client({ ...sdkConfig(server.endpoint, server.root), forcePathStyle: true });
const cli = (args: string[]) => awsCli(server.endpoint, server.root, args);

/** The bucket policy of https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general */
const loggingPolicy = (target: string, source: string, prefix: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'S3ServerAccessLogsPolicy',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: ['s3:PutObject'],
        Resource: `arn:aws:s3:::${target}/${prefix}*`,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${source}` }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ],
  });

before(async () => {
  server = await startServer({ STARTRAIL_S3_ACCESS_LOG_INTERVAL_MS: '200' });
});
after(async () => {
  await server?.dispose();
});

/** The log lines under `prefix` once there are `want` of them, or, with a request id, once that request's line is there. */
async function logObjects(c: S3Client, bucket: string, prefix: string, want: number | string, timeoutMs = 15_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const keys = ((await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
    const lines: string[] = [];
    for (const key of keys) {
      const body = await (await c.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
      lines.push(...body.split('\n').filter(Boolean));
    }
    const done = typeof want === 'number' ? lines.length >= want : lines.some((l) => parseLogLine(l)[5] === want);
    if (done || Date.now() > until) return lines;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('access logs: put-bucket-logging, a PutObject and a GetObject logged field by field into the target bucket', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'log-src' }));
  await c.send(new CreateBucketCommand({ Bucket: 'log-target' }));
  await c.send(new PutBucketPolicyCommand({ Bucket: 'log-target', Policy: loggingPolicy('log-target', 'log-src', 'access/') }));
  // /usr/bin/aws (CLI 2.9) predates TargetObjectKeyFormat: its LoggingEnabled is the simple-prefix one
  const status = JSON.stringify({ LoggingEnabled: { TargetBucket: 'log-target', TargetPrefix: 'access/' } });
  const put = cli(['s3api', 'put-bucket-logging', '--bucket', 'log-src', '--bucket-logging-status', status]);
  assert.equal(put.status, 0, put.stderr);
  assert.deepEqual(cli(['s3api', 'get-bucket-logging', '--bucket', 'log-src']).json, {
    LoggingEnabled: { TargetBucket: 'log-target', TargetPrefix: 'access/' },
  });

  const body = 'hello, access log';
  const written = await c.send(new PutObjectCommand({ Bucket: 'log-src', Key: 'dir/a b.txt', Body: body }));
  const read = await c.send(new GetObjectCommand({ Bucket: 'log-src', Key: 'dir/a b.txt' }));
  assert.equal(await read.Body!.transformToString(), body);
  const putId = (written.$metadata as { requestId?: string }).requestId ?? '';
  const getId = read.$metadata.requestId ?? '';
  assert.ok(putId && getId);

  await logObjects(c, 'log-target', 'access/', putId);
  const lines = await logObjects(c, 'log-target', 'access/', getId);
  const keys = ((await c.send(new ListObjectsV2Command({ Bucket: 'log-target', Prefix: 'access/' }))).Contents ?? []).map((o) => o.Key!);
  assert.ok(keys.length > 0);
  for (const k of keys) assert.match(k, /^access\/\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9A-F]{16}$/);
  const fields = lines.map(parseLogLine);
  for (const f of fields) assert.equal(f.length, 26, `26 fields: ${f.join(' | ')}`);
  const byId = new Map(fields.map((f) => [f[5], f]));

  const g = byId.get(getId);
  assert.ok(g, `a line for the GetObject ${getId} in ${lines.join('\n')}`);
  const rootArn = `arn:aws:iam::${ACCOUNT}:root`;
  assert.deepEqual(
    {
      owner: g[0],
      bucket: g[1],
      remote: g[3],
      requester: g[4],
      operation: g[6],
      key: g[7],
      uri: g[8],
      status: g[9],
      error: g[10],
      bytes: g[11],
      size: g[12],
      signature: g[19],
      auth: g[21],
      host: g[22],
    },
    {
      owner: owner(ACCOUNT).ID,
      bucket: 'log-src',
      remote: '127.0.0.1',
      requester: rootArn,
      operation: 'REST.GET.OBJECT',
      key: 'dir/a%20b.txt',
      uri: 'GET /log-src/dir/a%20b.txt HTTP/1.1',
      status: '200',
      error: '-',
      bytes: String(Buffer.byteLength(body)),
      size: String(Buffer.byteLength(body)),
      signature: 'SigV4',
      auth: 'AuthHeader',
      host: new URL(server.endpoint).host,
    },
  );
  assert.match(g[2]!, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  assert.equal(g[18], read.$metadata.extendedRequestId, 'Host Id is the x-amz-id-2 answered');
  assert.match(g[16]!, /aws-sdk-js/);

  const p = byId.get(putId);
  assert.ok(p, 'a line for the PutObject');
  assert.deepEqual([p[6], p[7], p[9], p[12], p[17]], ['REST.PUT.OBJECT', 'dir/a%20b.txt', '200', String(Buffer.byteLength(body)), '-']);
  // the PutBucketLogging call itself is on the source bucket, after logging was on
  assert.ok(fields.some((f) => f[6] === 'REST.PUT.LOGGING_STATUS'));
  // the log writer's own writes are no calls: none is logged, nothing in the target is a caller's
  assert.ok(!fields.some((f) => f[1] === 'log-target'));

  // both configuration calls are management events in Event history
  for (const name of ['PutBucketLogging', 'GetBucketLogging']) {
    const events = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: name }]);
    const rec = events.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.requestParameters?.bucketName === 'log-src');
    assert.ok(rec, `${name} in Event history`);
    assert.deepEqual([rec.managementEvent, rec.eventCategory, rec.requestParameters.logging], [true, 'Management', '']);
    assert.deepEqual(rec.resources, [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::log-src' }]);
  }

  // kill -9 right after a call: its record is committed, so its line comes after the restart, once
  const killed = await c.send(new GetObjectCommand({ Bucket: 'log-src', Key: 'dir/a b.txt' }));
  await server.kill();
  await server.restart();
  const again = s3();
  const after = await again.send(new GetObjectCommand({ Bucket: 'log-src', Key: 'dir/a b.txt' }));
  // the killed node's lease (10 s) lapses first
  await logObjects(again, 'log-target', 'access/', killed.$metadata.requestId!, 30_000);
  const more = (await logObjects(again, 'log-target', 'access/', after.$metadata.requestId!, 30_000)).map(parseLogLine);
  assert.ok(more.some((f) => f[5] === killed.$metadata.requestId));
  assert.ok(more.some((f) => f[5] === after.$metadata.requestId));
  const ids = more.map((f) => f[5]);
  assert.equal(new Set(ids).size, ids.length, 'no line twice');
});

test('access logs: a source logging into itself logs the calls, not its own log writes', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'log-self' }));
  await c.send(new PutBucketPolicyCommand({ Bucket: 'log-self', Policy: loggingPolicy('log-self', 'log-self', 'logs/') }));
  const put = cli([
    's3api',
    'put-bucket-logging',
    '--bucket',
    'log-self',
    '--bucket-logging-status',
    '{"LoggingEnabled":{"TargetBucket":"log-self","TargetPrefix":"logs/"}}',
  ]);
  assert.equal(put.status, 0, put.stderr);
  await c.send(new PutObjectCommand({ Bucket: 'log-self', Key: 'x', Body: 'x' }));
  const lines = (await logObjects(c, 'log-self', 'logs/', 2)).map(parseLogLine);
  // wait two more rounds: the reads of the log objects above are logged, the writes of log objects never
  await new Promise((r) => setTimeout(r, 1000));
  const all = (await logObjects(c, 'log-self', 'logs/', lines.length)).map(parseLogLine);
  assert.ok(all.some((f) => f[6] === 'REST.PUT.OBJECT' && f[7] === 'x'));
  assert.ok(!all.some((f) => f[6] === 'REST.PUT.OBJECT' && f[7]!.startsWith('logs/')), 'no log object write is logged');
  const keys = ((await c.send(new ListObjectsV2Command({ Bucket: 'log-self', Prefix: 'logs/' }))).Contents ?? []).map((o) => o.Key!);
  for (const k of keys) assert.match(k, /^logs\/\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9A-F]{16}$/);
});

test('access logs: PartitionedPrefix keys (set with the SDK, which knows TargetObjectKeyFormat)', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'log-part-src' }));
  await c.send(new CreateBucketCommand({ Bucket: 'log-part-target' }));
  await c.send(new PutBucketPolicyCommand({ Bucket: 'log-part-target', Policy: loggingPolicy('log-part-target', 'log-part-src', 'pp/') }));
  await c.send(
    new PutBucketLoggingCommand({
      Bucket: 'log-part-src',
      BucketLoggingStatus: {
        LoggingEnabled: {
          TargetBucket: 'log-part-target',
          TargetPrefix: 'pp/',
          TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
        },
      },
    }),
  );
  const got = await c.send(new GetBucketLoggingCommand({ Bucket: 'log-part-src' }));
  assert.deepEqual(got.LoggingEnabled?.TargetObjectKeyFormat, { PartitionedPrefix: { PartitionDateSource: 'EventTime' } });
  await c.send(new PutObjectCommand({ Bucket: 'log-part-src', Key: 'k', Body: 'v' }));
  const lines = await logObjects(c, 'log-part-target', 'pp/', 3);
  assert.ok(lines.length >= 3);
  const keys = ((await c.send(new ListObjectsV2Command({ Bucket: 'log-part-target', Prefix: 'pp/' }))).Contents ?? []).map((o) => o.Key!);
  for (const k of keys)
    assert.match(k, new RegExp(`^pp/${ACCOUNT}/us-east-1/log-part-src/\\d{4}/\\d\\d/\\d\\d/\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d-[0-9A-F]{16}$`));
});

test('access logs: PutBucketLogging errors as S3 answers them; an empty status turns logging off', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'log-err-src' }));
  await c.send(new CreateBucketCommand({ Bucket: 'log-err-closed' }));
  const enable = (target: string) =>
    cli([
      's3api',
      'put-bucket-logging',
      '--bucket',
      'log-err-src',
      '--bucket-logging-status',
      JSON.stringify({ LoggingEnabled: { TargetBucket: target, TargetPrefix: 'p/' } }),
    ]);
  const missing = enable('log-err-nowhere');
  assert.match(missing.stderr, /InvalidTargetBucketForLogging/);
  assert.match(missing.stderr, /The target bucket for logging does not exist/);
  const closed = enable('log-err-closed');
  assert.match(closed.stderr, /InvalidTargetBucketForLogging/);
  assert.match(closed.stderr, /You must either provide the necessary permissions to the logging service using a bucket policy/);
  // a policy for another source bucket does not do
  await c.send(new PutBucketPolicyCommand({ Bucket: 'log-err-closed', Policy: loggingPolicy('log-err-closed', 'someone-else', 'p/') }));
  assert.match(enable('log-err-closed').stderr, /InvalidTargetBucketForLogging/);
  // another Region: CrossLocationLoggingProhibited
  assert.equal(
    awsCli(
      server.endpoint,
      server.root,
      ['s3api', 'create-bucket', '--bucket', 'log-err-eu', '--create-bucket-configuration', 'LocationConstraint=eu-west-1'],
      'eu-west-1',
    ).status,
    0,
  );
  await c.send(new PutBucketPolicyCommand({ Bucket: 'log-err-closed', Policy: loggingPolicy('log-err-closed', 'log-err-src', 'p/') }));
  assert.match(enable('log-err-eu').stderr, /CrossLocationLoggingProhibited/);
  // allowed, then off again
  assert.equal(enable('log-err-closed').status, 0);
  assert.equal(cli(['s3api', 'put-bucket-logging', '--bucket', 'log-err-src', '--bucket-logging-status', '{}']).status, 0);
  assert.deepEqual(cli(['s3api', 'get-bucket-logging', '--bucket', 'log-err-src']).stdout.trim(), '');
  // the SDK sees the same codes
  const sdkErr = await c
    .send(
      new PutBucketLoggingCommand({
        Bucket: 'log-err-src',
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'log-err-nowhere', TargetPrefix: '' } },
      }),
    )
    .catch((e) => e);
  assert.deepEqual([sdkErr.name, sdkErr.$metadata.httpStatusCode], ['InvalidTargetBucketForLogging', 400]);
});
