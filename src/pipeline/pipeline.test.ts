/**
 * The pipeline, step by step, in process (testing.ts): requests signed with @smithy/signature-v4 go
 * through handle() on an in-memory store. Each step's failures are asserted in every protocol's
 * exact form (status, code, message), with the audit rule: every call with a SigV4 credential leaves
 * exactly one record, committed before the response.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIGNATURE_MISMATCH_MESSAGE } from '../auth/sigv4/errors.ts';
import type { ServiceModel } from '../protocol/model.ts';
import type { AuthorizationContext, OperationDef, ServiceDef } from '../services/types.ts';
import { ACCOUNT, allow, harness, type Credentials, type Harness, type Reply, type SendOptions } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness({ maxBodyBytes: 4096 });
});
after(async () => {
  await h.close();
});

/** The code, status and message of an error reply, in any protocol's form. */
function failure(r: Reply): { status: number; code: string; message: string } {
  if (r.headers['content-type']?.startsWith('application/x-amz-json')) {
    const j = r.json();
    return { status: r.status, code: j.__type, message: j.message };
  }
  const doc = r.xml();
  const e = doc.ErrorResponse?.Error ?? doc.Error;
  return { status: r.status, code: e.Code, message: e.Message };
}

/** Runs `send` and returns its reply and the records it added. */
async function recorded(send: () => Promise<Reply>): Promise<{ r: Reply; added: any[] }> {
  const before = (await h.records()).length;
  const r = await send();
  return { r, added: (await h.records()).slice(before) };
}

/** One call of each protocol: CodeStar ListProjects (JSON 1.1), STS GetCallerIdentity (Query), S3 ListBuckets (REST-XML). */
const calls = {
  json: (o: Partial<SendOptions> = {}) => h.json('codestar', 'ListProjects', {}, o),
  query: (o: Partial<SendOptions> = {}) => h.query('sts', 'GetCallerIdentity', {}, o),
  rest: (o: Partial<SendOptions> = {}) => h.send({ service: 's3', method: 'GET', path: '/', ...o }),
};
type Kind = keyof typeof calls;

async function expectEach(
  o: Partial<SendOptions>,
  expected: Record<Kind, [number, string, string | RegExp]>,
  recordedCount = 1,
  which: Record<Kind, (o: Partial<SendOptions>) => Promise<Reply>> = calls,
) {
  for (const kind of Object.keys(calls) as Kind[]) {
    const { r, added } = await recorded(() => which[kind](o));
    const f = failure(r);
    const [status, code, message] = expected[kind];
    assert.deepEqual([f.status, f.code], [status, code], `${kind}: ${r.text}`);
    if (typeof message === 'string') assert.equal(f.message, message, kind);
    else assert.match(f.message, message, kind);
    assert.equal(added.length, recordedCount, `${kind}: records`);
    if (recordedCount) assert.equal(added[0].errorCode, code === 'AccessDeniedException' ? 'AccessDenied' : code, kind);
  }
}

// ---- step 1: resolve ----------------------------------------------------------------------------

test('resolve: CloudTrail answers to its target prefix with and without the namespace', async () => {
  for (const target of ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails', 'CloudTrail_20131101.DescribeTrails']) {
    const r = await h.send({ service: 'cloudtrail', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body: '{}' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), { trailList: [] });
  }
});

test('resolve: an unknown target prefix, or JSON without a target, is UnknownOperationException, recorded against the scoped service', async () => {
  const unknown = await recorded(() =>
    h.send({ service: 'codestar', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Nope_20200101.ListProjects' }, body: '{}' }),
  );
  assert.deepEqual(
    [unknown.r.status, unknown.r.headers['content-type'], unknown.r.json()],
    [400, 'application/x-amz-json-1.1', { __type: 'UnknownOperationException', message: 'Unknown operation' }],
  );
  // the operation the unknown prefix names is not run: ListProjects would answer 200
  assert.deepEqual(
    unknown.added.map((e) => [e.eventSource, e.eventName, e.errorCode]),
    [['codestar.amazonaws.com', 'ListProjects', 'UnknownOperationException']],
  );
  const untargeted = await recorded(() => h.send({ service: 'codestar', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{}' }));
  assert.deepEqual(untargeted.r.json(), { __type: 'UnknownOperationException', message: 'The request did not name an operation (X-Amz-Target is missing)' });
  assert.deepEqual(
    untargeted.added.map((e) => [e.eventSource, e.eventName, e.errorCode]),
    [['codestar.amazonaws.com', 'UnknownOperation', 'UnknownOperationException']],
  );
});

test('resolve: a form with malformed percent-encoding is MalformedQueryString in the Query form, recorded with its Action', async () => {
  const bad = await recorded(() =>
    h.send({ service: 'iam', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetUser&Version=2010-05-08&UserName=a%C0%80' }),
  );
  assert.equal(bad.r.status, 400);
  assert.equal(bad.r.headers['content-type'], 'text/xml');
  assert.match(bad.r.text, /<Code>MalformedQueryString<\/Code>/);
  assert.deepEqual(
    bad.added.map((e) => [e.eventSource, e.eventName, e.errorCode]),
    [['iam.amazonaws.com', 'GetUser', 'MalformedQueryString']],
  );
});

test('resolve: the SigV4 scope tells IAM from STS for the same Action', async () => {
  assert.equal((await h.query('sts', 'GetCallerIdentity')).status, 200);
  const r = await h.query('iam', 'GetCallerIdentity');
  assert.deepEqual(failure(r), { status: 400, code: 'InvalidAction', message: 'Could not find operation GetCallerIdentity for version 2010-05-08' });
  assert.match(r.text, /^<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/">/);
});

test('resolve: S3 routes by method and path once; an unserved subresource is NotImplemented, a wrong method MethodNotAllowed', async () => {
  assert.equal((await h.send({ service: 's3', method: 'PUT', path: '/route-bucket' })).status, 200);
  const acl = await recorded(() => h.send({ service: 's3', method: 'GET', path: '/route-bucket', query: { website: '' } }));
  assert.deepEqual(failure(acl.r), { status: 501, code: 'NotImplemented', message: 'A header you provided implies functionality that is not implemented' });
  assert.deepEqual(
    acl.added.map((e) => [e.eventName, e.errorCode]),
    [['UnknownOperation', 'NotImplemented']],
  );
  const patch = await recorded(() => h.send({ service: 's3', method: 'PATCH', path: '/route-bucket' }));
  assert.deepEqual(failure(patch.r), { status: 405, code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.' });
  assert.match(patch.r.text, /<Method>PATCH<\/Method><ResourceType>OBJECT<\/ResourceType>/);
  assert.equal(patch.added.length, 1);
});

// ---- step 2: authenticate, every SigV4 failure kind in every protocol --------------------------

test('authenticate: no credential at all (nothing to record)', async () => {
  await expectEach(
    { credentials: null },
    {
      json: [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
      query: [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'],
      rest: [403, 'AccessDenied', 'Access Denied'],
    },
    0,
  );
});

test('authenticate: a malformed Authorization header', async () => {
  const tamper: SendOptions['tamper'] = (req) => ({
    ...req,
    headers: { ...req.headers, authorization: String(req.headers.authorization).replace('SignedHeaders=', 'SignedHeadrs=') },
  });
  await expectEach(
    { tamper },
    {
      json: [400, 'IncompleteSignatureException', /Authorization header requires 'SignedHeaders' parameter/],
      query: [400, 'IncompleteSignature', /Authorization header requires 'SignedHeaders' parameter/],
      rest: [400, 'AuthorizationHeaderMalformed', /^The authorization header is malformed; Authorization header requires 'SignedHeaders' parameter/],
    },
  );
});

test('authenticate: a credential scoped to a region that is not one', async () => {
  await expectEach(
    { region: 'nowhere' },
    {
      json: [400, 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'nowhere'. "],
      query: [403, 'SignatureDoesNotMatch', "Credential should be scoped to a valid region, not 'nowhere'. "],
      // S3 names the region expected (docs/s3.md#region-hints)
      rest: [400, 'AuthorizationHeaderMalformed', "The authorization header is malformed; the region 'nowhere' is wrong; expecting 'us-east-1'"],
    },
  );
});

test('authenticate: a credential scoped to another service', async () => {
  const r = await h.send({
    service: 'cloudtrail',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeStar_20170419.ListProjects' },
    body: '{}',
  });
  assert.deepEqual(failure(r), { status: 400, code: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'codestar'. " });
  const iamElsewhere = await h.query('iam', 'ListUsers', {}, { region: 'eu-west-1' });
  assert.deepEqual(failure(iamElsewhere), {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
  });
});

test('authenticate: a request signed 20 minutes ago (clock skew)', async () => {
  await expectEach(
    { signingDate: new Date(h.now().getTime() - 20 * 60_000) },
    {
      json: [400, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/],
      query: [403, 'SignatureDoesNotMatch', /^Signature expired: /],
      rest: [403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.'],
    },
  );
});

test('authenticate: a presigned URL past its expiry', async () => {
  await expectEach(
    { presign: 60, signingDate: new Date(h.now().getTime() - 120_000) },
    {
      json: [400, 'InvalidSignatureException', 'Request has expired'],
      query: [403, 'SignatureDoesNotMatch', 'Request has expired'],
      rest: [403, 'AccessDenied', 'Request has expired'],
    },
  );
});

test('authenticate: a presigned request within its expiry is served', async () => {
  const r = await h.send({ service: 's3', method: 'GET', path: '/', presign: 300 });
  assert.equal(r.status, 200, r.text);
});

test('authenticate: a wrong secret', async () => {
  await expectEach(
    { credentials: { ...h.root, secretAccessKey: 'x'.repeat(40) } },
    {
      json: [400, 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE],
      query: [403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE],
      rest: [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
    },
  );
});

test('authenticate: a body that is not the one x-amz-content-sha256 declares', async () => {
  const swap: SendOptions['tamper'] = (req) => ({ ...req, body: Buffer.from('{"swapped":true}') });
  const json = await h.json('codestar', 'ListProjects', {}, { tamper: swap });
  assert.deepEqual(failure(json), { status: 400, code: 'InvalidSignatureException', message: SIGNATURE_MISMATCH_MESSAGE });
  await h.send({ service: 's3', method: 'PUT', path: '/sha-bucket' });
  const s3 = await recorded(() => h.send({ service: 's3', method: 'PUT', path: '/sha-bucket/k', body: 'original', tamper: swap }));
  assert.deepEqual(failure(s3.r), {
    status: 400,
    code: 'XAmzContentSHA256Mismatch',
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  });
  assert.deepEqual(
    s3.added.map((e) => [e.eventName, e.errorCode]),
    [['PutObject', 'XAmzContentSHA256Mismatch']],
  );
});

test('authenticate: an unknown access key (S3 names it; an unknown session key is InvalidToken)', async () => {
  const stranger: Credentials = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'y'.repeat(40) };
  await expectEach(
    { credentials: stranger },
    {
      json: [400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
      query: [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
      rest: [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'],
    },
  );
  assert.match((await calls.rest({ credentials: stranger })).text, /<AWSAccessKeyId>AKIAUNKNOWNUNKNOWN00<\/AWSAccessKeyId>/);
  const session = await calls.rest({ credentials: { accessKeyId: 'ASIAUNKNOWNUNKNOWN00', secretAccessKey: 'y'.repeat(40), sessionToken: 'token' } });
  assert.deepEqual(failure(session), { status: 400, code: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' });
});

test('authenticate: session credentials past their expiration', async () => {
  const issued = (await h.query('sts', 'GetSessionToken', { DurationSeconds: '900' })).xml().GetSessionTokenResponse.GetSessionTokenResult.Credentials;
  const session: Credentials = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken };
  assert.equal((await calls.query({ credentials: session })).status, 200);
  h.advance(901_000);
  await expectEach(
    { credentials: session },
    {
      json: [400, 'ExpiredTokenException', 'The security token included in the request is expired'],
      query: [403, 'ExpiredToken', 'The security token included in the request is expired'],
      rest: [400, 'ExpiredToken', 'The provided token has expired.'],
    },
  );
});

// ---- step 3: decode -------------------------------------------------------------------------------

test('decode: unknown operations, in each protocol', async () => {
  assert.deepEqual(failure(await h.json('codestar', 'LaunchRocket')), {
    status: 400,
    code: 'UnknownOperationException',
    message: 'Unknown operation LaunchRocket',
  });
  assert.deepEqual(failure(await h.query('iam', 'LaunchRocket')), {
    status: 400,
    code: 'InvalidAction',
    message: 'Could not find operation LaunchRocket for version 2010-05-08',
  });
  const none = await h.send({ service: 'iam', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Version=2010-05-08' });
  assert.deepEqual(failure(none), {
    status: 400,
    code: 'InvalidAction',
    message: 'The action or operation requested is invalid. Verify that the action is typed correctly.',
  });
});

test('decode: a body that is not the input: SerializationException (JSON), ValidationError (Query), InvalidURI (S3)', async () => {
  const broken = await recorded(() =>
    h.send({
      service: 'codestar',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeStar_20170419.DescribeProject' },
      body: '{"id":',
    }),
  );
  assert.deepEqual(failure(broken.r), {
    status: 400,
    code: 'SerializationException',
    message: 'Unexpected content in request body: the body is not valid JSON',
  });
  assert.deepEqual(
    broken.added.map((e) => [e.eventName, e.errorCode, e.requestParameters]),
    [['DescribeProject', 'SerializationException', null]],
  );
  assert.deepEqual(failure(await h.json('codestar', 'DescribeProject', { id: 5 })), {
    status: 400,
    code: 'SerializationException',
    message: "NUMBER_VALUE can not be converted to a String at 'id'",
  });
  const wrongType = await h.query('iam', 'ListUsers', { MaxItems: 'ten' });
  assert.deepEqual(failure(wrongType), {
    status: 400,
    code: 'ValidationError',
    message: "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be a valid integer",
  });
  const uri = await h.send({ service: 's3', method: 'GET', path: '/route-bucket/%ZZ' });
  assert.deepEqual(failure(uri), { status: 400, code: 'InvalidURI', message: "Couldn't parse the specified URI." });
});

// ---- step 4: authorize ------------------------------------------------------------------------------

let nobody: Credentials;
test('authorize: a user without a policy is denied in each protocol; the record says AccessDenied', async () => {
  nobody = await h.user('nobody');
  await expectEach(
    { credentials: nobody },
    {
      json: [
        400,
        'AccessDeniedException',
        `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: codestar:ListProjects on resource: * because no identity-based policy allows the codestar:ListProjects action`,
      ],
      query: [
        403,
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
      ],
      rest: [403, 'AccessDenied', /^User: arn:aws:iam::000000000000:user\/nobody is not authorized to perform: s3:ListAllMyBuckets/],
    },
    1,
    { ...calls, query: (o) => h.query('iam', 'ListUsers', {}, o) },
  );
});

test('authorize: sees the decoded input (the resource comes from it)', async () => {
  const self = await h.user('selfish', allow('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/selfish`));
  assert.equal((await h.query('iam', 'GetUser', { UserName: 'selfish' }, { credentials: self })).status, 200);
  const other = await recorded(() => h.query('iam', 'GetUser', { UserName: 'nobody' }, { credentials: self }));
  assert.deepEqual(failure(other.r), {
    status: 403,
    code: 'AccessDenied',
    message: `User: arn:aws:iam::${ACCOUNT}:user/selfish is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${ACCOUNT}:user/nobody because no identity-based policy allows the iam:GetUser action`,
  });
  assert.deepEqual(
    other.added.map((e) => [e.eventName, e.errorCode, e.requestParameters]),
    [['GetUser', 'AccessDenied', null]],
  );
});

// ---- step 5: validate -------------------------------------------------------------------------------

test('validate: model constraints, members named as each protocol does', async () => {
  const json = await recorded(() => h.json('codestar', 'DescribeProject', {}));
  assert.deepEqual(failure(json.r), {
    status: 400,
    code: 'ValidationException',
    message: "1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null",
  });
  assert.deepEqual(
    json.added.map((e) => [e.eventName, e.errorCode, e.requestParameters]),
    [['DescribeProject', 'ValidationException', null]],
  );
  const query = await h.query('iam', 'CreateUser', { UserName: 'u'.repeat(65) });
  assert.deepEqual(failure(query), {
    status: 400,
    code: 'ValidationError',
    message: `1 validation error detected: Value '${'u'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  });
});

// ---- step 6: invoke ---------------------------------------------------------------------------------

test("invoke: CodeStar creates its role policies through IAM on the caller's behalf, all recorded before the response", async () => {
  const { r, added } = await recorded(() => h.json('codestar', 'CreateProject', { id: 'proj1', name: 'Project one' }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    added.map((e) => [e.eventSource, e.eventName, e.userIdentity.invokedBy ?? null]),
    [
      ['iam.amazonaws.com', 'CreatePolicy', 'codestar.amazonaws.com'],
      ['iam.amazonaws.com', 'CreatePolicy', 'codestar.amazonaws.com'],
      ['iam.amazonaws.com', 'CreatePolicy', 'codestar.amazonaws.com'],
      ['codestar.amazonaws.com', 'CreateProject', null],
    ],
  );
  assert.equal(added[3].requestID, r.headers['x-amzn-requestid']);
  assert.equal(new Set(added.map((e) => e.requestID)).size, 4);
  assert.deepEqual(
    added.slice(0, 3).map((e) => [e.awsRegion, e.sourceIPAddress]),
    Array(3).fill(['us-east-1', 'codestar.amazonaws.com']),
  );
  assert.ok(await h.store.identities.getManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/CodeStar_proj1_Owner`));
});

test("invoke: a handler's error leaves one record of the failure and no change", async () => {
  const { r, added } = await recorded(() => h.json('codestar', 'CreateProject', { id: 'proj1', name: 'Again' }));
  assert.deepEqual([r.status, r.json().__type], [400, 'ProjectAlreadyExistsException']);
  assert.deepEqual(
    added.map((e) => [e.eventName, e.errorCode]),
    [['CreateProject', 'ProjectAlreadyExistsException']],
  );
});

// ---- step 7: encode ---------------------------------------------------------------------------------

test("encode: each protocol's result form and headers; the request id is the record's", async () => {
  const json = await h.json('codestar', 'ListProjects');
  assert.deepEqual([json.status, json.headers['content-type'], typeof json.headers.date], [200, 'application/x-amz-json-1.1', 'string']);
  assert.deepEqual(json.json(), { projects: [{ projectId: 'proj1', projectArn: `arn:aws:codestar:eu-west-1:${ACCOUNT}:project/proj1` }] });
  const { r: query, added } = await recorded(() => h.query('sts', 'GetCallerIdentity'));
  const id = query.headers['x-amzn-requestid'];
  assert.equal(query.headers['content-type'], 'text/xml');
  assert.equal(
    query.text,
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account><Arn>arn:aws:iam::${ACCOUNT}:root</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
  assert.equal(added[0].requestID, id);
  const s3 = await h.send({ service: 's3', method: 'GET', path: '/' });
  assert.equal(s3.headers['x-amz-request-id'], s3.headers['x-amzn-requestid']);
  assert.ok(s3.headers['x-amz-id-2']);
  assert.match(s3.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListAllMyBucketsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
});

test("encode: error forms — JSON document, Query ErrorResponse in the service's namespace, S3 Error with RequestId and HostId", async () => {
  const json = await h.json('codestar', 'DescribeProject', { id: 'nope' });
  assert.deepEqual(
    [json.status, json.headers['content-type'], json.text],
    [400, 'application/x-amz-json-1.1', '{"__type":"ProjectNotFoundException","message":"Project nope not found"}'],
  );
  const query = await h.query('iam', 'GetUser', { UserName: 'ghost' });
  assert.equal(
    query.text,
    `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name ghost cannot be found.</Message></Error><RequestId>${query.headers['x-amzn-requestid']}</RequestId></ErrorResponse>`,
  );
  const s3 = await h.send({ service: 's3', method: 'GET', path: '/no-such-bucket-here' });
  const id = s3.headers['x-amz-request-id'];
  assert.deepEqual([s3.status, s3.headers['content-type']], [404, 'application/xml']);
  assert.equal(
    s3.text,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>no-such-bucket-here</BucketName><RequestId>${id}</RequestId><HostId>${s3.headers['x-amz-id-2']}</HostId></Error>`,
  );
});

// ---- audit of failures before any step could run -----------------------------------------------

test('audit: a body over the limit is refused in each protocol and still recorded under the claimed key', async () => {
  await expectEach(
    { bodyTooLarge: true },
    {
      json: [413, 'SerializationException', 'Request body is larger than the limit of 4096 bytes'],
      query: [413, 'RequestEntityTooLarge', 'Request body is larger than the limit of 4096 bytes'],
      rest: [400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'],
    },
  );
  assert.match((await calls.rest({ bodyTooLarge: true })).text, /<MaxSizeAllowed>67108864<\/MaxSizeAllowed>/);
});

// ---- a second harness: a JSON 1.0 stand-in, failing handlers, an audit store that goes down ----------

const echoModel: ServiceModel = {
  metadata: { apiVersion: '2012-11-05', endpointPrefix: 'echo', protocol: 'json', jsonVersion: '1.0', targetPrefix: 'AmazonEcho', serviceId: 'Echo' },
  operations: {
    Echo: { http: { method: 'POST', requestUri: '/' }, input: 'EchoRequest', output: 'EchoResult', errors: [] },
    Fail: { http: { method: 'POST', requestUri: '/' }, input: 'EchoRequest', errors: [] },
  },
  shapes: {
    EchoRequest: { type: 'structure', required: ['Text'], members: { Text: { shape: 'Text' }, At: { shape: 'At' } } },
    EchoResult: { type: 'structure', members: { Text: { shape: 'Text' }, At: { shape: 'At' } } },
    Text: { type: 'string', max: 10 },
    At: { type: 'timestamp' },
  },
};
interface EchoInput {
  Text?: string;
  At?: Date;
}
const seenByAuthorize: AuthorizationContext[] = [];
const echo: ServiceDef = {
  name: 'echo',
  eventSource: 'echo.amazonaws.com',
  actionPrefix: 'echo',
  global: false,
  model: echoModel,
  operations: {
    Echo: {
      readOnly: true,
      authorize: (input: Partial<EchoInput>, ctx: AuthorizationContext) => {
        seenByAuthorize.push(ctx);
        return { resource: `arn:aws:echo:${ctx.region}:${ctx.accountId}:${input.Text}` };
      },
      handler: async (input: EchoInput) => ({ Text: input.Text, At: input.At }),
    } as OperationDef,
    Fail: {
      readOnly: false,
      handler: async () => {
        throw new Error('boom');
      },
    },
  },
};

test('a JSON 1.0 service: same shapes as 1.1, its own content type; authorization gets no invoke', async () => {
  const x = await harness({ services: (real) => [...real, echo] });
  try {
    const send = (operation: string, body: string) =>
      x.send({ service: 'echo', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonEcho.${operation}` }, body });
    const ok = await send('Echo', '{"Text":"hi","At":1700000000.5}');
    assert.deepEqual([ok.status, ok.headers['content-type'], ok.json()], [200, 'application/x-amz-json-1.0', { Text: 'hi', At: 1700000000.5 }]);
    assert.equal(seenByAuthorize.length, 1);
    assert.equal('invoke' in (seenByAuthorize[0] ?? {}), false);
    assert.equal(seenByAuthorize[0]?.region, 'eu-west-1');
    const invalid = await send('Echo', '{"Text":"far too long a text"}');
    assert.deepEqual([invalid.status, invalid.headers['content-type'], invalid.json().__type], [400, 'application/x-amz-json-1.0', 'ValidationException']);
    const unknown = await send('Nope', '{}');
    assert.deepEqual(
      [unknown.status, unknown.headers['content-type'], unknown.text],
      [400, 'application/x-amz-json-1.0', '{"__type":"UnknownOperationException","message":"Unknown operation Nope"}'],
    );
    const failed = await send('Fail', '{"Text":"x"}');
    assert.deepEqual(
      [failed.status, failed.json()],
      [500, { __type: 'InternalFailure', message: 'The request processing has failed because of an unknown error, exception or failure.' }],
    );
    assert.deepEqual(
      x.logs.map((l) => l.msg),
      ['internal failure'],
    );
    assert.equal(x.logs[0]?.fields?.requestId, failed.headers['x-amzn-requestid']);
    assert.deepEqual(
      (await x.records()).map((e) => [e.eventName, e.errorCode ?? null]),
      [
        ['Echo', null],
        ['Echo', 'ValidationException'],
        ['Nope', 'UnknownOperationException'],
        ['Fail', 'InternalFailure'],
      ],
    );
  } finally {
    await x.close();
  }
});

test('internal failures: S3 spells them InternalError; when no record can be written the call fails and changes nothing', async () => {
  let down = false;
  const x = await harness({
    auditDown: () => down,
    services: (real) =>
      real.map((s) =>
        s.name !== 's3'
          ? s
          : {
              ...s,
              operations: {
                ...s.operations,
                ListBuckets: {
                  readOnly: true,
                  handler: async () => {
                    throw new TypeError('broken');
                  },
                },
              },
            },
      ),
  });
  try {
    const s3 = await x.send({ service: 's3', method: 'GET', path: '/' });
    assert.deepEqual(failure(s3), { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' });
    down = true;
    const r = await x.query('iam', 'CreateUser', { UserName: 'never' });
    assert.deepEqual(failure(r), {
      status: 500,
      code: 'InternalFailure',
      message: 'The request processing has failed because of an unknown error, exception or failure.',
    });
    down = false;
    assert.equal(await x.store.identities.getUser('never'), undefined);
    assert.deepEqual(
      (await x.records()).map((e) => [e.eventName, e.errorCode]),
      [['ListBuckets', 'InternalError']],
    );
    assert.deepEqual(
      x.logs.map((l) => l.msg),
      ['internal failure', 'internal failure', 'audit write failed'],
    );
  } finally {
    await x.close();
  }
});
