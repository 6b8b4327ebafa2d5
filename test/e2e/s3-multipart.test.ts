/**
 * Multipart upload, copies and multi-object delete on the S3 endpoint, with the official clients
 * only: /usr/bin/aws (`s3 cp` of a 20 MiB file goes up in three parts and comes back byte for byte;
 * `s3 cp`/`s3 mv` within a bucket copy; `s3api delete-objects`, `s3 rm --recursive`) and
 * @aws-sdk/client-s3 with its default checksums (CreateMultipartUpload, UploadPart as a Buffer and
 * as an aws-chunked stream, ListParts, ListMultipartUploads, CompleteMultipartUpload,
 * AbortMultipartUpload, UploadPartCopy, DeleteObjects). S3's errors with their codes and statuses,
 * malformed requests (4xx, never a 5xx), IAM denials, and the CloudTrail data event of every call:
 * exactly one, with its eventName and AWS's requestParameters.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  S3Client,
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/open.ts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const ACCOUNT = '000000000000';
const MiB = 1024 * 1024;
const NEW_OPERATIONS = [
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'ListMultipartUploads',
  'CopyObject',
  'DeleteObjects',
  'GetObjectTagging',
];

let server: TestServer;
let work: string;
/** an IAM user with no policy at all */
let erin: Credentials;
/** an IAM user who may write objects of copy-bucket, but read none */
let frank: Credentials;
const clients: S3Client[] = [];
/** every SDK call made here: its request id and the record it must leave */
const calls: { requestId: string; eventName: string; errorCode?: string }[] = [];

interface DataEvent {
  eventName: string;
  eventCategory: string;
  managementEvent: boolean;
  readOnly: boolean;
  requestID: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity: { type: string; userName?: string };
  requestParameters: Record<string, unknown> | null;
  resources?: { type: string; ARN: string }[];
}

const s3 = (c: Credentials = server.root) => {
  const client = new S3Client({ ...sdkConfig(server.endpoint, c), forcePathStyle: true });
  clients.push(client);
  return client;
};
const cli = (args: string[], c: Credentials = server.root) => awsCli(server.endpoint, c, args);
const ok = (args: string[], c: Credentials = server.root) => {
  const r = cli(args, c);
  assert.equal(r.status, 0, r.stderr);
  return r;
};
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer) => createHash('md5').update(b).digest();
const multipartEtag = (parts: Buffer[]) =>
  `"${createHash('md5')
    .update(Buffer.concat(parts.map(md5)))
    .digest('hex')}-${parts.length}"`;

/** Sends an SDK command and notes the record it must leave. */
async function sent<T extends { $metadata: { requestId?: string } }>(eventName: string, p: Promise<T>): Promise<T> {
  const r = await p;
  calls.push({ requestId: r.$metadata.requestId!, eventName });
  return r;
}

/** An SDK call that must fail: its code and status, noted with the record it must leave. */
async function failure(eventName: string, p: Promise<unknown>): Promise<{ code: string; status: number; message: string; e: any }> {
  try {
    await p;
  } catch (e: any) {
    calls.push({ requestId: e.$metadata?.requestId, eventName, errorCode: e.name });
    return { code: e.name, status: e.$metadata?.httpStatusCode, message: e.message, e };
  }
  assert.fail(`expected ${eventName} to fail`);
}

/** Every data event the server recorded, read from its store (data events are not in Event history). */
async function dataEvents(): Promise<DataEvent[]> {
  const store = await openStore(loadConfig({ dataDir: server.dataDir }, server.env));
  try {
    return (await store.dataEvents.list(0, 1_000_000)).map((r) => JSON.parse(r.json) as DataEvent);
  } finally {
    await store.close();
  }
}

const ofBucket = (events: DataEvent[], bucket: string) => events.filter((e) => e.requestParameters?.bucketName === bucket);
function countByName(events: DataEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[e.eventName] = (out[e.eventName] ?? 0) + 1;
  return out;
}

/** A request the official clients refuse to send, signed as the SDK signs. */
async function raw(
  method: string,
  path: string,
  query: Record<string, string>,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(server.endpoint);
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: server.root,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: true,
  });
  // Content-MD5 unless the case sets it ('' leaves it out)
  const all = Object.fromEntries(
    Object.entries({
      host: url.host,
      'content-md5': md5(bytes).toString('base64'),
      'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
      ...headers,
    }).filter(([, v]) => v !== ''),
  );
  const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers: all, body: bytes });
  const qs = new URLSearchParams(query).toString().replace(/=(&|$)/g, '$1');
  const r = await fetch(`${server.endpoint}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: signed.headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(bytes) }),
  });
  return { status: r.status, body: await r.text() };
}

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), 's3-multipart-e2e-'));
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  for (const name of ['erin', 'frank']) await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'frank',
      PolicyName: 'write-copies',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::copy-bucket/*' }],
      }),
    }),
  );
  const key = async (name: string) => {
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  };
  erin = await key('erin');
  frank = await key('frank');
  iam.destroy();
});

after(async () => {
  for (const c of clients) c.destroy();
  rmSync(work, { recursive: true, force: true });
  await server?.dispose();
});

test('aws s3 cp: a 20 MiB file goes up in three parts (multipart upload) and comes back byte for byte', async () => {
  assert.equal(ok(['s3', 'mb', 's3://big-bucket']).stdout.trim(), 'make_bucket: big-bucket');
  const bytes = randomBytes(20 * MiB);
  writeFileSync(join(work, 'big.bin'), bytes);
  ok(['s3', 'cp', '--only-show-errors', join(work, 'big.bin'), 's3://big-bucket/dir/big file.bin']);
  const head = ok(['s3api', 'head-object', '--bucket', 'big-bucket', '--key', 'dir/big file.bin']).json;
  // the CLI's 8 MiB parts: 8 + 8 + 4 MiB
  assert.deepEqual(
    [head.ContentLength, head.ETag],
    [20 * MiB, multipartEtag([bytes.subarray(0, 8 * MiB), bytes.subarray(8 * MiB, 16 * MiB), bytes.subarray(16 * MiB)])],
  );
  ok(['s3', 'cp', '--only-show-errors', 's3://big-bucket/dir/big file.bin', join(work, 'big.down')]);
  assert.equal(sha256(readFileSync(join(work, 'big.down'))), sha256(bytes));
  assert.deepEqual(ok(['s3api', 'list-multipart-uploads', '--bucket', 'big-bucket']).json?.Uploads ?? [], [], 'no upload left behind');

  const events = ofBucket(await dataEvents(), 'big-bucket');
  assert.deepEqual(countByName(events), {
    CreateMultipartUpload: 1,
    UploadPart: 3,
    CompleteMultipartUpload: 1,
    HeadObject: 2,
    GetObject: 3,
    ListMultipartUploads: 1,
  });
  const parts = events.filter((e) => e.eventName === 'UploadPart');
  const uploadId = parts[0]!.requestParameters!.uploadId;
  assert.match(String(uploadId), /^[0-9A-Za-z_-]{16,128}$/);
  assert.deepEqual(
    parts.map((e) => e.requestParameters).sort((a, b) => String(a!.partNumber).localeCompare(String(b!.partNumber))),
    ['1', '2', '3'].map((n) => ({ bucketName: 'big-bucket', Host: `127.0.0.1:${server.port}`, uploadId, partNumber: n, key: 'dir/big file.bin' })),
  );
  const create = events.find((e) => e.eventName === 'CreateMultipartUpload')!;
  assert.deepEqual(create.requestParameters, { bucketName: 'big-bucket', Host: `127.0.0.1:${server.port}`, uploads: '', key: 'dir/big file.bin' });
  const complete = events.find((e) => e.eventName === 'CompleteMultipartUpload')!;
  assert.deepEqual(complete.requestParameters, { bucketName: 'big-bucket', Host: `127.0.0.1:${server.port}`, uploadId, key: 'dir/big file.bin' });
  assert.deepEqual(
    complete.resources?.map((r) => [r.type, r.ARN]),
    [
      ['AWS::S3::Object', 'arn:aws:s3:::big-bucket/dir/big file.bin'],
      ['AWS::S3::Bucket', 'arn:aws:s3:::big-bucket'],
    ],
  );
  for (const e of events) assert.deepEqual([e.eventCategory, e.managementEvent, e.errorCode], ['Data', false, undefined], e.eventName);
  assert.deepEqual([create.readOnly, complete.readOnly, events.find((e) => e.eventName === 'ListMultipartUploads')!.readOnly], [false, false, true]);
});

test('aws s3 cp and mv within a bucket: CopyObject for a small object, UploadPartCopy for the 20 MiB one', async () => {
  ok(['s3', 'mb', 's3://copy-bucket']);
  writeFileSync(join(work, 'note.txt'), 'a note to copy');
  ok([
    's3',
    'cp',
    '--only-show-errors',
    join(work, 'note.txt'),
    's3://copy-bucket/src/note one.txt',
    '--metadata',
    'origin=cli',
    '--content-type',
    'text/plain',
  ]);
  assert.equal(
    ok(['s3', 'cp', 's3://copy-bucket/src/note one.txt', 's3://copy-bucket/copies/note+copy.txt']).stdout.trim().replace(/^.*\r/, ''),
    'copy: s3://copy-bucket/src/note one.txt to s3://copy-bucket/copies/note+copy.txt',
  );
  const copy = ok(['s3api', 'head-object', '--bucket', 'copy-bucket', '--key', 'copies/note+copy.txt']).json;
  assert.deepEqual(
    [copy.ContentLength, copy.ETag, copy.ContentType, copy.Metadata],
    [14, `"${md5(Buffer.from('a note to copy')).toString('hex')}"`, 'text/plain', { origin: 'cli' }],
  );
  ok(['s3', 'mv', '--only-show-errors', 's3://copy-bucket/copies/note+copy.txt', 's3://copy-bucket/moved/note.txt']);
  const keys = async () => ((await s3().send(new ListObjectsV2Command({ Bucket: 'copy-bucket' }))).Contents ?? []).map((c) => c.Key);
  assert.deepEqual(await keys(), ['moved/note.txt', 'src/note one.txt']);
  ok(['s3', 'cp', '--only-show-errors', 's3://big-bucket/dir/big file.bin', 's3://copy-bucket/big copy.bin']);
  const [src, dst] = await Promise.all([
    s3().send(new HeadObjectCommand({ Bucket: 'big-bucket', Key: 'dir/big file.bin' })),
    s3().send(new HeadObjectCommand({ Bucket: 'copy-bucket', Key: 'big copy.bin' })),
  ]);
  assert.deepEqual([dst.ContentLength, dst.ETag], [src.ContentLength, src.ETag], 'copied part by part, as uploaded');
  const got = await s3().send(new GetObjectCommand({ Bucket: 'copy-bucket', Key: 'big copy.bin' }));
  assert.equal(sha256(Buffer.from(await got.Body!.transformToByteArray())), sha256(readFileSync(join(work, 'big.bin'))));

  const events = ofBucket(await dataEvents(), 'copy-bucket');
  const copies = events.filter((e) => e.eventName === 'CopyObject');
  assert.deepEqual(
    copies.map((e) => e.requestParameters),
    [
      { bucketName: 'copy-bucket', Host: `127.0.0.1:${server.port}`, 'x-amz-copy-source': 'copy-bucket/src/note%20one.txt', key: 'copies/note+copy.txt' },
      { bucketName: 'copy-bucket', Host: `127.0.0.1:${server.port}`, 'x-amz-copy-source': 'copy-bucket/copies/note%2Bcopy.txt', key: 'moved/note.txt' },
    ],
  );
  assert.deepEqual(
    copies[0]!.resources?.map((r) => r.ARN),
    ['arn:aws:s3:::copy-bucket/copies/note+copy.txt', 'arn:aws:s3:::copy-bucket', 'arn:aws:s3:::copy-bucket/src/note one.txt'],
  );
  const counts = countByName(events);
  assert.deepEqual(
    [counts.CopyObject, counts.UploadPartCopy, counts.CreateMultipartUpload, counts.CompleteMultipartUpload, counts.DeleteObject],
    [2, 3, 1, 1, 1],
  );
  const partCopy = events.find((e) => e.eventName === 'UploadPartCopy')!;
  assert.deepEqual(
    partCopy.resources?.map((r) => r.ARN),
    ['arn:aws:s3:::copy-bucket/big copy.bin', 'arn:aws:s3:::copy-bucket', 'arn:aws:s3:::big-bucket/dir/big file.bin', 'arn:aws:s3:::big-bucket'],
  );
});

test('SDK: CreateMultipartUpload, UploadPart (a Buffer, and a stream sent aws-chunked), ListParts, ListMultipartUploads, CompleteMultipartUpload', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'sdk-mpu' }));
  const created = await sent(
    'CreateMultipartUpload',
    c.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin', ContentType: 'application/x-joined', Metadata: { origin: 'sdk' } })),
  );
  const UploadId = created.UploadId!;
  const p1 = randomBytes(5 * MiB);
  const p2 = randomBytes(300_000);
  const u1 = await sent('UploadPart', c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin', UploadId, PartNumber: 1, Body: p1 })));
  const stream = Readable.from([p2.subarray(0, 100_000), p2.subarray(100_000)]);
  const u2 = await sent(
    'UploadPart',
    c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin', UploadId, PartNumber: 2, Body: stream, ContentLength: p2.length })),
  );
  assert.deepEqual([u1.ETag, u2.ETag], [`"${md5(p1).toString('hex')}"`, `"${md5(p2).toString('hex')}"`]);
  const listed = await sent('ListParts', c.send(new ListPartsCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin', UploadId })));
  assert.deepEqual(
    listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]),
    [
      [1, u1.ETag, p1.length],
      [2, u2.ETag, p2.length],
    ],
  );
  const uploads = await sent('ListMultipartUploads', c.send(new ListMultipartUploadsCommand({ Bucket: 'sdk-mpu' })));
  assert.deepEqual(
    uploads.Uploads?.map((u) => [u.Key, u.UploadId]),
    [['joined.bin', UploadId]],
  );
  const done = await sent(
    'CompleteMultipartUpload',
    c.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'sdk-mpu',
        Key: 'joined.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: u1.ETag },
            { PartNumber: 2, ETag: u2.ETag },
          ],
        },
      }),
    ),
  );
  assert.deepEqual([done.Bucket, done.Key, done.ETag], ['sdk-mpu', 'joined.bin', multipartEtag([p1, p2])]);
  const got = await c.send(new GetObjectCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, p2])));
  assert.deepEqual([got.ContentType, got.Metadata, got.ETag], ['application/x-joined', { origin: 'sdk' }, done.ETag]);
  assert.deepEqual((await c.send(new ListMultipartUploadsCommand({ Bucket: 'sdk-mpu' }))).Uploads ?? [], []);

  // AbortMultipartUpload: the parts are gone, the upload too
  const second = await sent('CreateMultipartUpload', c.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'aborted.bin' })));
  await sent(
    'UploadPart',
    c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'aborted.bin', UploadId: second.UploadId, PartNumber: 1, Body: 'never joined' })),
  );
  const aborted = await sent(
    'AbortMultipartUpload',
    c.send(new AbortMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'aborted.bin', UploadId: second.UploadId })),
  );
  assert.equal(aborted.$metadata.httpStatusCode, 204);
  const gone = await failure('ListParts', c.send(new ListPartsCommand({ Bucket: 'sdk-mpu', Key: 'aborted.bin', UploadId: second.UploadId })));
  assert.deepEqual([gone.code, gone.status, gone.e.UploadId], ['NoSuchUpload', 404, second.UploadId]);
  await assert.rejects(c.send(new HeadObjectCommand({ Bucket: 'sdk-mpu', Key: 'aborted.bin' })), { name: 'NotFound' });

  // UploadPartCopy of a byte range, and CopyObject with REPLACE
  const third = await sent('CreateMultipartUpload', c.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'ranged.bin' })));
  const pc = await sent(
    'UploadPartCopy',
    c.send(
      new UploadPartCopyCommand({
        Bucket: 'sdk-mpu',
        Key: 'ranged.bin',
        UploadId: third.UploadId,
        PartNumber: 1,
        CopySource: 'sdk-mpu/joined.bin',
        CopySourceRange: 'bytes=0-99',
      }),
    ),
  );
  assert.equal(pc.CopyPartResult?.ETag, `"${md5(p1.subarray(0, 100)).toString('hex')}"`);
  await sent(
    'CompleteMultipartUpload',
    c.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'sdk-mpu',
        Key: 'ranged.bin',
        UploadId: third.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: pc.CopyPartResult!.ETag }] },
      }),
    ),
  );
  const replaced = await sent(
    'CopyObject',
    c.send(
      new CopyObjectCommand({
        Bucket: 'sdk-mpu',
        Key: 'replaced.bin',
        CopySource: 'sdk-mpu/ranged.bin',
        MetadataDirective: 'REPLACE',
        Metadata: { fresh: 'yes' },
        ContentType: 'text/plain',
      }),
    ),
  );
  assert.equal(replaced.CopyObjectResult?.ETag, `"${md5(p1.subarray(0, 100)).toString('hex')}"`);
  const head = await c.send(new HeadObjectCommand({ Bucket: 'sdk-mpu', Key: 'replaced.bin' }));
  assert.deepEqual([head.ContentLength, head.ContentType, head.Metadata], [100, 'text/plain', { fresh: 'yes' }]);

  const byId = new Map((await dataEvents()).map((e) => [e.requestID, e]));
  const part2 = byId.get(u2.$metadata.requestId!)!;
  assert.deepEqual(part2.requestParameters, {
    bucketName: 'sdk-mpu',
    Host: `127.0.0.1:${server.port}`,
    'x-id': 'UploadPart',
    partNumber: '2',
    uploadId: UploadId,
    key: 'joined.bin',
  });
});

test("S3's multipart errors from real calls: NoSuchUpload, InvalidPart, InvalidPartOrder, EntityTooSmall, MalformedXML — codes, 4xx statuses, details", async () => {
  const c = s3();
  const { UploadId } = await sent('CreateMultipartUpload', c.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin' })));
  const small1 = await sent('UploadPart', c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId, PartNumber: 1, Body: 'one' })));
  const small2 = await sent('UploadPart', c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId, PartNumber: 2, Body: 'two' })));
  const complete = (Parts: { PartNumber: number; ETag: string }[], id = UploadId) =>
    failure(
      'CompleteMultipartUpload',
      c.send(new CompleteMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId: id, MultipartUpload: { Parts } })),
    );

  const noUpload = await complete([{ PartNumber: 1, ETag: small1.ETag! }], 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  assert.deepEqual(
    [noUpload.code, noUpload.status, noUpload.message],
    ['NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.'],
  );
  const noPart = await failure(
    'UploadPart',
    c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId: 'no-such-upload-at-all', PartNumber: 1, Body: 'x' })),
  );
  assert.deepEqual([noPart.code, noPart.status], ['NoSuchUpload', 404]);
  const wrongEtag = await complete([{ PartNumber: 1, ETag: small2.ETag! }]);
  assert.deepEqual([wrongEtag.code, wrongEtag.status, wrongEtag.e.PartNumber, wrongEtag.e.ETag], ['InvalidPart', 400, '1', small2.ETag]);
  const order = await complete([
    { PartNumber: 2, ETag: small2.ETag! },
    { PartNumber: 1, ETag: small1.ETag! },
  ]);
  assert.deepEqual([order.code, order.status], ['InvalidPartOrder', 400]);
  const tooSmall = await complete([
    { PartNumber: 1, ETag: small1.ETag! },
    { PartNumber: 2, ETag: small2.ETag! },
  ]);
  assert.deepEqual([tooSmall.code, tooSmall.status, tooSmall.e.ProposedSize, tooSmall.e.MinSizeAllowed], ['EntityTooSmall', 400, '3', '5242880']);
  const range = await failure('UploadPart', c.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId, PartNumber: 10_001, Body: 'x' })));
  assert.deepEqual([range.code, range.status, range.message], ['InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive']);
  const tooMany = await failure(
    'DeleteObjects',
    c.send(new DeleteObjectsCommand({ Bucket: 'sdk-mpu', Delete: { Objects: Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` })) } })),
  );
  assert.deepEqual([tooMany.code, tooMany.status], ['MalformedXML', 400]);
  const self = await failure('CopyObject', c.send(new CopyObjectCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin', CopySource: 'sdk-mpu/joined.bin' })));
  assert.deepEqual([self.code, self.status], ['InvalidRequest', 400]);
  const missing = await failure('CopyObject', c.send(new CopyObjectCommand({ Bucket: 'sdk-mpu', Key: 'x', CopySource: 'sdk-mpu/not-there' })));
  assert.deepEqual([missing.code, missing.status], ['NoSuchKey', 404]);
  // the upload survived every refusal
  assert.deepEqual(
    (await c.send(new ListPartsCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId }))).Parts?.map((p) => p.PartNumber),
    [1, 2],
  );
  await sent('AbortMultipartUpload', c.send(new AbortMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'bad.bin', UploadId })));
});

test("malformed requests get a 4xx with S3's code, never a 5xx, and the server keeps serving", async () => {
  const UploadId = (await s3().send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'raw.bin' }))).UploadId!;
  const cases: [string, string, string, Record<string, string>, string, Record<string, string>, number, string][] = [
    ['DeleteObjects: not XML', 'POST', '/sdk-mpu', { delete: '' }, 'not xml at all', {}, 400, 'MalformedXML'],
    ['DeleteObjects: unclosed', 'POST', '/sdk-mpu', { delete: '' }, '<Delete><Object><Key>a</Key>', {}, 400, 'MalformedXML'],
    ['DeleteObjects: no objects', 'POST', '/sdk-mpu', { delete: '' }, '<Delete><Quiet>true</Quiet></Delete>', {}, 400, 'MalformedXML'],
    [
      'DeleteObjects: an object without a key',
      'POST',
      '/sdk-mpu',
      { delete: '' },
      '<Delete><Object><VersionId>1</VersionId></Object></Delete>',
      {},
      400,
      'MalformedXML',
    ],
    ['DeleteObjects: another root', 'POST', '/sdk-mpu', { delete: '' }, '<Remove><Object><Key>a</Key></Object></Remove>', {}, 400, 'MalformedXML'],
    [
      'DeleteObjects: nested where text belongs',
      'POST',
      '/sdk-mpu',
      { delete: '' },
      '<Delete><Object><Key><x/></Key></Object></Delete>',
      {},
      400,
      'MalformedXML',
    ],
    ['CompleteMultipartUpload: no body', 'POST', '/sdk-mpu/raw.bin', { uploadId: UploadId }, '', {}, 400, 'MalformedXML'],
    [
      'CompleteMultipartUpload: garbage',
      'POST',
      '/sdk-mpu/raw.bin',
      { uploadId: UploadId },
      '<CompleteMultipartUpload><Part><PartNumber>x',
      {},
      400,
      'MalformedXML',
    ],
    [
      'CompleteMultipartUpload: a part without a number',
      'POST',
      '/sdk-mpu/raw.bin',
      { uploadId: UploadId },
      '<CompleteMultipartUpload><Part><ETag>"e"</ETag></Part></CompleteMultipartUpload>',
      {},
      400,
      'MalformedXML',
    ],
    [
      'CompleteMultipartUpload: a path as upload id',
      'POST',
      '/sdk-mpu/raw.bin',
      { uploadId: '../../../etc' },
      '<CompleteMultipartUpload><Part><ETag>e</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      {},
      404,
      'NoSuchUpload',
    ],
    ['UploadPart: a part number that is not a number', 'PUT', '/sdk-mpu/raw.bin', { partNumber: 'one', uploadId: UploadId }, 'x', {}, 400, 'InvalidArgument'],
    ['UploadPart: part number 0', 'PUT', '/sdk-mpu/raw.bin', { partNumber: '0', uploadId: UploadId }, 'x', {}, 400, 'InvalidArgument'],
    ['UploadPart: an upload id of another key', 'PUT', '/sdk-mpu/other.bin', { partNumber: '1', uploadId: UploadId }, 'x', {}, 404, 'NoSuchUpload'],
    [
      'UploadPart: a bad Content-MD5',
      'PUT',
      '/sdk-mpu/raw.bin',
      { partNumber: '1', uploadId: UploadId },
      'x',
      { 'content-md5': 'bm90IGFuIG1kNQ==' },
      400,
      'InvalidDigest',
    ],
    ['CopyObject: no key in the source', 'PUT', '/sdk-mpu/c', {}, '', { 'x-amz-copy-source': 'sdk-mpu' }, 400, 'InvalidArgument'],
    ['CopyObject: bad percent-encoding', 'PUT', '/sdk-mpu/c', {}, '', { 'x-amz-copy-source': 'sdk-mpu/%E0%A4%A' }, 400, 'InvalidArgument'],
    [
      'CopyObject: a directive S3 does not know',
      'PUT',
      '/sdk-mpu/c',
      {},
      '',
      { 'x-amz-copy-source': 'sdk-mpu/joined.bin', 'x-amz-metadata-directive': 'MOVE' },
      400,
      'InvalidArgument',
    ],
    [
      'UploadPartCopy: a range past the end',
      'PUT',
      '/sdk-mpu/raw.bin',
      { partNumber: '1', uploadId: UploadId },
      '',
      { 'x-amz-copy-source': 'sdk-mpu/ranged.bin', 'x-amz-copy-source-range': 'bytes=0-100' },
      400,
      'InvalidArgument',
    ],
    ['ListParts: max-parts not a number', 'GET', '/sdk-mpu/raw.bin', { uploadId: UploadId, 'max-parts': 'many' }, '', {}, 400, 'InvalidArgument'],
    ['ListMultipartUploads: a bucket that does not exist', 'GET', '/no-such-bucket', { uploads: '' }, '', {}, 404, 'NoSuchBucket'],
  ];
  for (const [name, method, path, query, body, headers, status, code] of cases) {
    const r = await raw(method, path, query, body, headers);
    assert.deepEqual([r.status, /<Code>([^<]+)<\/Code>/.exec(r.body)?.[1]], [status, code], `${name}: ${r.body}`);
  }
  const noMd5 = await raw('POST', '/sdk-mpu', { delete: '' }, '<Delete><Object><Key>a</Key></Object></Delete>', { 'content-md5': '' });
  assert.deepEqual([noMd5.status, /<Message>([^<]+)<\/Message>/.exec(noMd5.body)?.[1]], [400, 'Missing required header for this request: Content-Md5']);
  assert.equal((await fetch(`${server.endpoint}/health`)).status, 200);
  await s3().send(new AbortMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'raw.bin', UploadId }));
});

test('DeleteObjects with s3api delete-objects (Content-MD5) and the SDK (flexible checksum); aws s3 rm --recursive; the bucket ends empty', async () => {
  ok(['s3', 'mb', 's3://del-bucket']);
  const c = s3();
  const keys = ['a', 'dir/b', 'dir/c d', 'e+f', 'g/h/i', 'j'];
  for (const k of keys) await c.send(new PutObjectCommand({ Bucket: 'del-bucket', Key: k, Body: k }));
  const spec = JSON.stringify({ Objects: [{ Key: 'a' }, { Key: 'dir/c d' }, { Key: 'never-there' }], Quiet: false });
  const byCli = ok(['s3api', 'delete-objects', '--bucket', 'del-bucket', '--delete', spec]).json;
  assert.deepEqual(
    byCli.Deleted.map((d: { Key: string }) => d.Key),
    ['a', 'dir/c d', 'never-there'],
  );
  const bySdk = await sent(
    'DeleteObjects',
    c.send(new DeleteObjectsCommand({ Bucket: 'del-bucket', Delete: { Objects: [{ Key: 'dir/b' }, { Key: 'e+f' }], Quiet: true } })),
  );
  assert.deepEqual([bySdk.Deleted, bySdk.Errors], [undefined, undefined]);
  const list = async () => await c.send(new ListObjectsV2Command({ Bucket: 'del-bucket' }));
  assert.deepEqual(
    (await list()).Contents?.map((o) => o.Key),
    ['g/h/i', 'j'],
  );
  ok(['s3', 'rm', '--recursive', '--only-show-errors', 's3://del-bucket']);
  const empty = await list();
  assert.deepEqual([empty.KeyCount, empty.Contents], [0, undefined]);

  const events = ofBucket(await dataEvents(), 'del-bucket').filter((e) => e.eventName === 'DeleteObjects');
  assert.deepEqual(
    events.map((e) => e.requestParameters),
    [
      { bucketName: 'del-bucket', Host: `127.0.0.1:${server.port}`, delete: '' },
      { bucketName: 'del-bucket', Host: `127.0.0.1:${server.port}`, delete: '' }, // the JS SDK adds no x-id here (the Go SDK does: stratus-red-team's record)
    ],
  );
  assert.deepEqual(
    events.map((e) => [e.readOnly, e.eventCategory, e.resources?.map((r) => r.ARN)]),
    [
      [false, 'Data', ['arn:aws:s3:::del-bucket']],
      [false, 'Data', ['arn:aws:s3:::del-bucket']],
    ],
  );
});

test('IAM: a user without s3 permissions is denied (AccessDenied 403) every new operation; DeleteObjects denies per key; CopyObject needs s3:GetObject on the source', async () => {
  const root = s3();
  const { UploadId } = await root.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'root-upload.bin' }));
  const e = s3(erin);
  const denials: [string, () => Promise<unknown>, string, string][] = [
    ['CreateMultipartUpload', () => e.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'x' })), 's3:PutObject', 'arn:aws:s3:::sdk-mpu/x'],
    [
      'UploadPart',
      () => e.send(new UploadPartCommand({ Bucket: 'sdk-mpu', Key: 'root-upload.bin', UploadId, PartNumber: 1, Body: 'x' })),
      's3:PutObject',
      'arn:aws:s3:::sdk-mpu/root-upload.bin',
    ],
    [
      'CompleteMultipartUpload',
      () =>
        e.send(
          new CompleteMultipartUploadCommand({
            Bucket: 'sdk-mpu',
            Key: 'root-upload.bin',
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e"' }] },
          }),
        ),
      's3:PutObject',
      'arn:aws:s3:::sdk-mpu/root-upload.bin',
    ],
    [
      'AbortMultipartUpload',
      () => e.send(new AbortMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'root-upload.bin', UploadId })),
      's3:AbortMultipartUpload',
      'arn:aws:s3:::sdk-mpu/root-upload.bin',
    ],
    [
      'ListParts',
      () => e.send(new ListPartsCommand({ Bucket: 'sdk-mpu', Key: 'root-upload.bin', UploadId })),
      's3:ListMultipartUploadParts',
      'arn:aws:s3:::sdk-mpu/root-upload.bin',
    ],
    ['ListMultipartUploads', () => e.send(new ListMultipartUploadsCommand({ Bucket: 'sdk-mpu' })), 's3:ListBucketMultipartUploads', 'arn:aws:s3:::sdk-mpu'],
    [
      'CopyObject',
      () => e.send(new CopyObjectCommand({ Bucket: 'sdk-mpu', Key: 'y', CopySource: 'sdk-mpu/joined.bin' })),
      's3:PutObject',
      'arn:aws:s3:::sdk-mpu/y',
    ],
    [
      'UploadPartCopy',
      () => e.send(new UploadPartCopyCommand({ Bucket: 'sdk-mpu', Key: 'root-upload.bin', UploadId, PartNumber: 1, CopySource: 'sdk-mpu/joined.bin' })),
      's3:PutObject',
      'arn:aws:s3:::sdk-mpu/root-upload.bin',
    ],
  ];
  for (const [name, p, action, resource] of denials) {
    const f = await failure(name, p());
    assert.deepEqual([f.code, f.status], ['AccessDenied', 403], name);
    assert.equal(
      f.message,
      `User: arn:aws:iam::${ACCOUNT}:user/erin is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`,
    );
  }
  // DeleteObjects succeeds as a call; each key it may not delete is an <Error>
  const del = await sent(
    'DeleteObjects',
    e.send(new DeleteObjectsCommand({ Bucket: 'sdk-mpu', Delete: { Objects: [{ Key: 'joined.bin' }, { Key: 'replaced.bin' }] } })),
  );
  assert.deepEqual(
    [del.$metadata.httpStatusCode, del.Deleted ?? [], del.Errors?.map((x) => [x.Key, x.Code, x.Message])],
    [
      200,
      [],
      [
        ['joined.bin', 'AccessDenied', 'Access Denied'],
        ['replaced.bin', 'AccessDenied', 'Access Denied'],
      ],
    ],
  );
  assert.equal((await root.send(new HeadObjectCommand({ Bucket: 'sdk-mpu', Key: 'joined.bin' }))).ContentLength, 5 * MiB + 300_000, 'nothing deleted');
  // frank may write copy-bucket but read nothing: the source check is the one that denies
  const f = await failure('CopyObject', s3(frank).send(new CopyObjectCommand({ Bucket: 'copy-bucket', Key: 'stolen.bin', CopySource: 'sdk-mpu/joined.bin' })));
  assert.deepEqual([f.code, f.status], ['AccessDenied', 403]);
  assert.equal(
    f.message,
    `User: arn:aws:iam::${ACCOUNT}:user/frank is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::sdk-mpu/joined.bin" because no identity-based policy allows the s3:GetObject action`,
  );
  const denied = cli(['s3', 'cp', 's3://big-bucket/dir/big file.bin', 's3://copy-bucket/cli-stolen.bin'], frank);
  assert.notEqual(denied.status, 0);
  assert.match(denied.stderr, /AccessDenied|Forbidden/);
  await root.send(new AbortMultipartUploadCommand({ Bucket: 'sdk-mpu', Key: 'root-upload.bin', UploadId }));

  const events = (await dataEvents()).filter((x) => x.userIdentity.userName === 'erin' || x.userIdentity.userName === 'frank');
  const deniedEvents = events.filter((x) => x.errorCode === 'AccessDenied');
  assert.deepEqual(
    deniedEvents.filter((x) => x.userIdentity.userName === 'erin').map((x) => x.eventName),
    denials.map(([n]) => n),
  );
  assert.ok(deniedEvents.every((x) => x.eventCategory === 'Data' && x.managementEvent === false));
  // S3 denials keep their request parameters (docs/architecture.md#audit); other services' denials record null
  assert.ok(
    deniedEvents.length > 0 &&
      deniedEvents.every((x) => typeof x.requestParameters?.bucketName === 'string' && x.errorMessage?.includes('is not authorized to perform: s3:')),
    JSON.stringify(deniedEvents[0]),
  );
});

test('every SDK call above left exactly one data event, with its eventName (and error); none is in Event history', async () => {
  const events = await dataEvents();
  assert.equal(calls.length, 38, 'the SDK calls of the tests above');
  for (const c of calls) {
    const mine = events.filter((e) => e.requestID === c.requestId);
    assert.equal(mine.length, 1, `${c.eventName} ${c.requestId}`);
    assert.deepEqual([mine[0]!.eventName, mine[0]!.eventCategory, mine[0]!.errorCode], [c.eventName, 'Data', c.errorCode], c.requestId);
  }
  assert.deepEqual(
    new Set(calls.map((c) => c.eventName)),
    new Set([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPartCopy',
      'CompleteMultipartUpload',
      'AbortMultipartUpload',
      'ListParts',
      'ListMultipartUploads',
      'CopyObject',
      'DeleteObjects',
    ]),
  );
  for (const name of NEW_OPERATIONS) {
    assert.deepEqual(await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: name }]), [], `${name} is a data event`);
  }
});
