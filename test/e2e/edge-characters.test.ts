/**
 * Edge characters in every place a request carries a string: NUL and other C0 controls, lone
 * surrogates (JSON escapes), U+2028, 4-byte UTF-8, overlong and invalid percent-encodings — in the
 * operation name, each protocol's parameters, the recorded User-Agent, S3 keys and metadata. Each
 * request gets its protocol's answer with the expected status (never a 5xx), the server keeps
 * serving, and the call leaves exactly one record with the value as sent. The suite runs on SQLite
 * and again on PostgreSQL (whose `text` refuses NUL: see src/store/postgres/text.ts), so both
 * backends must store and return the same values.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CloudTrailClient, LookupEventsCommand, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { CodeStarClient, CreateProjectCommand, DescribeProjectCommand } from '@aws-sdk/client-codestar';
import { IAMClient, CreateUserCommand, CreateRoleCommand, PutUserPolicyCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/open.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';
import { s3Client } from './helpers/delivery.ts';
import { form, json, signedFetch } from './helpers/raw.ts';

let server: TestServer;
const started = new Date(Date.now() - 60_000);

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '0' });
});
after(async () => {
  await server?.dispose();
});

/** Every call made here, by request id, with the record fields it must have. */
const expected = new Map<string, { eventName: string; errorCode?: string; check?: (r: any) => void }>();

/** XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets): a Query response must hold nothing else. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

const CS = 'CodeStar_20170419.';
const CT = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';

async function stillServing(): Promise<void> {
  const id = await new STSClient(sdkConfig(server.endpoint, server.root)).send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, '000000000000');
}

interface RawCase {
  name: string;
  service: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  code?: string;
  eventName: string;
  check?: (record: any) => void;
}

const rawCases: RawCase[] = [
  {
    name: 'Query action with a trailing NUL',
    service: 'sts',
    headers: form,
    body: 'Action=GetCallerIdentity%00&Version=2011-06-15',
    status: 400,
    code: 'InvalidAction',
    eventName: 'GetCallerIdentity\u0000',
  },
  {
    name: 'Query action that is only NUL',
    service: 'sts',
    headers: form,
    body: 'Action=%00&Version=2011-06-15',
    status: 400,
    code: 'InvalidAction',
    eventName: '\u0000',
  },
  {
    name: 'Query action with U+0001 and U+2028',
    service: 'iam',
    headers: form,
    body: 'Action=List%01Users%E2%80%A8&Version=2010-05-08',
    status: 400,
    code: 'InvalidAction',
    eventName: 'List\u0001Users\u2028',
  },
  {
    name: 'Query parameter with an overlong NUL (%C0%80)',
    service: 'iam',
    headers: form,
    body: 'Action=GetUser&Version=2010-05-08&UserName=a%C0%80',
    status: 400,
    code: 'MalformedQueryString',
    eventName: 'GetUser',
  },
  {
    name: 'Query parameter with a CESU lone surrogate (%ED%A0%80)',
    service: 'iam',
    headers: form,
    body: 'Action=GetUser&Version=2010-05-08&UserName=a%ED%A0%80',
    status: 400,
    code: 'MalformedQueryString',
    eventName: 'GetUser',
  },
  {
    name: 'Query parameter with NUL, echoed by the validation message',
    service: 'iam',
    headers: form,
    body: 'Action=GetUser&Version=2010-05-08&UserName=a%00b',
    status: 400,
    code: 'ValidationError',
    eventName: 'GetUser',
    check: (r) => assert.equal(r.requestParameters.userName, 'a\u0000b'),
  },
  {
    name: 'JSON member with NUL',
    service: 'codestar',
    headers: json(`${CS}DescribeProject`),
    body: JSON.stringify({ id: 'a\u0000' }),
    status: 400,
    code: 'ValidationException',
    eventName: 'DescribeProject',
    check: (r) => assert.equal(r.requestParameters.id, 'a\u0000'),
  },
  {
    name: 'JSON member with a lone surrogate escape',
    service: 'cloudtrail',
    headers: json(`${CT}LookupEvents`),
    body: '{"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"t\\ud800x"}]}',
    status: 200,
    eventName: 'LookupEvents',
    check: (r) => assert.equal(r.requestParameters.lookupAttributes[0].attributeValue, 't\ufffdx'),
  },
  {
    name: 'JSON map key with a lone surrogate escape',
    service: 'codestar',
    headers: json(`${CS}TagProject`),
    body: '{"id":"nope","tags":{"k\\udc00":"v"}}',
    status: 400,
    code: 'ValidationException',
    eventName: 'TagProject',
    check: (r) => assert.deepEqual(r.requestParameters.tags, { 'k\ufffd': 'v' }),
  },
  {
    name: 'JSON member with a 4-byte character, U+2028 and NUL',
    service: 'cloudtrail',
    headers: json(`${CT}LookupEvents`),
    body: JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 't\u{1F600}\u2028\u0000' }] }),
    status: 200,
    eventName: 'LookupEvents',
    check: (r) => assert.equal(r.requestParameters.lookupAttributes[0].attributeValue, 't\u{1F600}\u2028\u0000'),
  },
];

for (const c of rawCases) {
  test(`edge characters: ${c.name} → ${c.status} ${c.code ?? ''}`, async () => {
    const r = await signedFetch(server.endpoint, server.root, c.service, c.headers, c.body);
    assert.equal(r.status, c.status, r.body);
    const requestId = r.headers.get('x-amzn-requestid');
    assert.ok(requestId);
    const query = c.service === 'iam' || c.service === 'sts';
    assert.equal(r.headers.get('content-type'), query ? 'text/xml' : 'application/x-amz-json-1.1', "the protocol's own form");
    if (!query) assert.equal(c.code ? JSON.parse(r.body).__type : undefined, c.code, r.body);
    else {
      assert.doesNotMatch(r.body, NOT_XML_CHAR, 'the response is well-formed XML 1.0');
      assert.equal(/<Code>([^<]*)<\/Code>/.exec(r.body)?.[1], c.code, r.body);
    }
    expected.set(requestId, { eventName: c.eventName, ...(c.code ? { errorCode: c.code } : {}), ...(c.check ? { check: c.check } : {}) });
    await stillServing();
  });
}

test('edge characters: CodeStar stores and returns NUL, controls, 4-byte UTF-8 and a lone surrogate made well-formed', async () => {
  const cs = new CodeStarClient(sdkConfig(server.endpoint, server.root));
  const description = 'a\u0000b\u0001c\u001fd\u{1F600}e\u007f';
  const created = await cs.send(new CreateProjectCommand({ id: 'edge-1', name: 'Edge', description }));
  // CodeStar records a project's description as HIDDEN_DUE_TO_SECURITY_REASONS, as AWS does
  expected.set(created.$metadata.requestId!, { eventName: 'CreateProject', check: (r) => assert.equal(r.requestParameters.id, 'edge-1') });
  const got = await cs.send(new DescribeProjectCommand({ id: 'edge-1' }));
  assert.equal(got.description, description);
  expected.set(got.$metadata.requestId!, { eventName: 'DescribeProject' });

  const raw = await signedFetch(
    server.endpoint,
    server.root,
    'codestar',
    json(`${CS}CreateProject`),
    '{"id":"edge-2","name":"N\\udbff","description":"\\ud83d\\ude00 \\udc00"}',
  );
  assert.equal(raw.status, 200, raw.body);
  expected.set(raw.headers.get('x-amzn-requestid')!, { eventName: 'CreateProject', check: (r) => assert.equal(r.requestParameters.id, 'edge-2') });
  const two = await cs.send(new DescribeProjectCommand({ id: 'edge-2' }));
  assert.equal(two.name, 'N\ufffd');
  assert.equal(two.description, '\u{1F600} \ufffd');
  expected.set(two.$metadata.requestId!, { eventName: 'DescribeProject' });
});

test('edge characters: IAM errors that echo NUL and U+0001 are well-formed for the SDK and the AWS CLI', async () => {
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  const cases: [string, () => Promise<unknown>][] = [
    ['CreateUser', () => iam.send(new CreateUserCommand({ UserName: 'edge-u1', Tags: [{ Key: 'k', Value: 'v\u0000' }] }))],
    ['CreateRole', () => iam.send(new CreateRoleCommand({ RoleName: 'edge-r1', AssumeRolePolicyDocument: '{}', Description: 'a\u0000b' }))],
    ['PutUserPolicy', () => iam.send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17"\u0000}' }))],
  ];
  for (const [eventName, send] of cases) {
    const e: any = await send().then(
      () => assert.fail(`expected ${eventName} to fail`),
      (x) => x,
    );
    assert.equal(e.name, 'ValidationError', String(e));
    assert.equal(e.$metadata.httpStatusCode, 400);
    expected.set(e.$metadata.requestId, { eventName, errorCode: 'ValidationError' });
  }
  const cli = awsCli(server.endpoint, server.root, [
    'iam',
    'create-role',
    '--role-name',
    'edge-r2',
    '--assume-role-policy-document',
    '{}',
    '--description',
    'a\u0001b',
  ]);
  assert.equal(cli.status, 254, cli.stderr);
  assert.match(
    cli.stderr,
    /An error occurred \(ValidationError\) when calling the CreateRole operation(?: \(reached max retries: \d+\))?: 1 validation error detected: Value 'a\ufffdb' at 'description'/,
  );
  // a user name with a control character gets the pattern's error, and nothing is created
  const get = await iam.send(new GetUserCommand({ UserName: 'edge\u0001' })).then(
    () => undefined,
    (x) => x,
  );
  assert.equal(get?.name, 'ValidationError');
  expected.set(get.$metadata.requestId, {
    eventName: 'GetUser',
    errorCode: 'ValidationError',
    check: (r) => assert.equal(r.requestParameters.userName, 'edge\u0001'),
  });
  await stillServing();
});

test('edge characters: the recorded User-Agent keeps what the client sent', async () => {
  const ua = 'edge-agent/1.0 \u00e9\u00ff tab\there';
  const r = await signedFetch(server.endpoint, server.root, 'sts', { ...form, 'user-agent': ua }, 'Action=GetCallerIdentity&Version=2011-06-15');
  assert.equal(r.status, 200, r.body);
  expected.set(r.headers.get('x-amzn-requestid')!, { eventName: 'GetCallerIdentity', check: (rec) => assert.equal(rec.userAgent, ua) });
});

test('edge characters: LookupEvents by every attribute with NUL, a lone surrogate and 4-byte values answers 200', async () => {
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  const keys: LookupAttributeKey[] = ['EventId', 'EventName', 'EventSource', 'Username', 'AccessKeyId', 'ResourceName', 'ResourceType', 'ReadOnly'];
  for (const key of keys) {
    for (const value of ['a\u0000', '\u0000', 'x\u0001y', '\u{1F600}', 'l\ud800']) {
      const r = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }));
      // only the failed call whose action was a bare NUL carries one of these values
      const want = key === 'EventName' && value === '\u0000' ? ['\u0000'] : [];
      assert.deepEqual(
        (r.Events ?? []).map((e) => e.EventName),
        want,
        `${key}=${JSON.stringify(value)}`,
      );
      expected.set(r.$metadata.requestId!, {
        eventName: 'LookupEvents',
        check: (rec) => assert.equal(rec.requestParameters.lookupAttributes[0].attributeValue, value.replace(/\ud800/, '\ufffd')),
      });
    }
  }
  // the NUL-named failed action above is found by its exact name, and only by it
  const byName = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity\u0000' }]);
  assert.equal(byName.length, 1);
  assert.equal(byName[0]!.EventName, 'GetCallerIdentity\u0000');
  assert.equal(JSON.parse(byName[0]!.CloudTrailEvent!).errorCode, 'InvalidAction');
  const bare = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: '\u0000' }]);
  assert.deepEqual(
    bare.map((e) => e.EventName),
    ['\u0000'],
  );
  const project = await sdkLookup(server.endpoint, server.root, [
    { AttributeKey: 'ResourceName', AttributeValue: 'arn:aws:codestar:us-east-1:000000000000:project/edge-1' },
  ]);
  assert.ok(project.some((e) => e.EventName === 'CreateProject'));
});

test('edge characters: S3 keys and metadata with NUL, controls, U+2028 and 4-byte UTF-8', async () => {
  const s3 = s3Client(server.endpoint, server.root);
  const made = await s3.send(new CreateBucketCommand({ Bucket: 'edge-bucket' }));
  expected.set(made.$metadata.requestId!, { eventName: 'CreateBucket' });
  const keys = ['a\u0000b', 'c\u0001\u001f', 'd\u2028e', 'f\u{1F600}g', 'h\u007f'];
  for (const key of keys) {
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'edge-bucket', Key: key, Body: `body of ${JSON.stringify(key)}`, Metadata: { note: '=?UTF-8?B?Y2Fmw6k=?=' } }),
    );
    expected.set(put.$metadata.requestId!, { eventName: 'PutObject', check: (r) => assert.equal(r.requestParameters.key, key) });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'edge-bucket', Key: key }));
    assert.equal(await got.Body!.transformToString(), `body of ${JSON.stringify(key)}`);
    expected.set(got.$metadata.requestId!, { eventName: 'GetObject', check: (r) => assert.equal(r.requestParameters.key, key) });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'edge-bucket', Key: key }));
    assert.equal(head.Metadata?.note, '=?UTF-8?B?Y2Fmw6k=?=');
    expected.set(head.$metadata.requestId!, { eventName: 'HeadObject' });
  }
  // raw non-ASCII metadata: S3 reads header bytes differently from the signer, so it answers
  // SignatureDoesNotMatch (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html)
  const bad: any = await s3.send(new PutObjectCommand({ Bucket: 'edge-bucket', Key: 'meta', Body: 'x', Metadata: { note: 'caf\u00e9' } })).then(
    () => assert.fail('accepted'),
    (x) => x,
  );
  assert.equal(bad.name, 'SignatureDoesNotMatch');
  assert.equal(bad.$metadata.httpStatusCode, 403);
  expected.set(bad.$metadata.requestId, { eventName: 'PutObject', errorCode: 'SignatureDoesNotMatch' });
  // a listing can name such keys only percent-encoded (S3's encoding-type=url)
  const list = await s3.send(new ListObjectsV2Command({ Bucket: 'edge-bucket', EncodingType: 'url' }));
  assert.deepEqual((list.Contents ?? []).map((c) => decodeURIComponent(c.Key!)).sort(), [...keys].sort());
  expected.set(list.$metadata.requestId!, { eventName: 'ListObjectsV2' });
  s3.destroy();

  // overlong and invalid UTF-8 in the path: S3's InvalidURI, recorded
  for (const path of ['/edge-bucket/a%C0%80b', '/edge-bucket/a%ED%A0%80', '/edge-bucket/a%FF']) {
    const r = await rawS3('GET', path);
    assert.equal(r.status, 400, `${path}: ${r.body}`);
    assert.match(r.body, /<Error><Code>InvalidURI<\/Code><Message>Couldn't parse the specified URI.<\/Message>/);
    expected.set(r.requestId, { eventName: 'GetObject', errorCode: 'InvalidURI' });
  }
  await stillServing();
});

/** A signed S3 request with the path sent as given (already percent-encoded). */
async function rawS3(method: string, path: string): Promise<{ status: number; body: string; requestId: string }> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: server.root, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: {},
    headers: { host: url.host, 'x-amz-content-sha256': createHash('sha256').update('').digest('hex') },
  });
  const r = await fetch(`${server.endpoint}${path}`, { method, headers: signed.headers });
  return { status: r.status, body: await r.text(), requestId: r.headers.get('x-amz-request-id') ?? r.headers.get('x-amzn-requestid') ?? '' };
}

test('edge characters: every call above left exactly one record, with the value as sent', async () => {
  const management = await sdkLookup(server.endpoint, server.root, [], { start: started });
  const store = await openStore(loadConfig({ dataDir: server.dataDir }, server.env));
  let data: any[];
  try {
    data = (await store.dataEvents.list(0, 1_000_000)).map((r) => JSON.parse(r.json));
  } finally {
    await store.close();
  }
  const records = [...management.map((e) => JSON.parse(e.CloudTrailEvent!)), ...data];
  assert.ok(expected.size > 60, `${expected.size} calls checked`);
  for (const [requestId, want] of expected) {
    const mine = records.filter((r) => r.requestID === requestId);
    assert.equal(mine.length, 1, `one record for ${requestId} (${want.eventName})`);
    const r = mine[0]!;
    if (want.eventName) assert.equal(r.eventName, want.eventName);
    assert.equal(r.errorCode, want.errorCode, `${want.eventName}: errorCode`);
    want.check?.(r);
  }
});
