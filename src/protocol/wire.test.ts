/**
 * Every wire protocol object spells every common error (wire.ts CommonErrors) in its own form: the
 * exact status, code and message, and the exact error document with its headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigV4Error, type SigV4FailureKind } from '../auth/sigv4/errors.ts';
import type { AwsError } from '../errors/aws-error.ts';
import { awsJson1_0, awsJson1_1, awsQuery, protocolOf, restXml, type WireProtocol } from './index.ts';
import { loadModel } from './model.ts';
import { hostId } from './rest-xml/errors.ts';

type Row = [status: number, code: string, message: string];
const INTERNAL = 'The request processing has failed because of an unknown error, exception or failure.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The common errors, each raised the way a pipeline step raises it. */
const raise: Record<string, (w: WireProtocol) => AwsError> = {
  'unknown operation': (w) => w.errors.unknownOperation('LaunchRocket', '2010-05-08'),
  'unnamed operation': (w) => w.errors.unknownOperation(),
  'malformed body': (w) => w.errors.malformedBody('bad body'),
  validation: (w) => w.errors.validation('1 validation error detected: x'),
  'sigv4 missing': (w) => w.errors.sigv4(new SigV4Error('missing', 'Missing Authentication Token')),
  'sigv4 incomplete': (w) => w.errors.sigv4(new SigV4Error('incomplete', "Authorization header requires 'Signature' parameter.")),
  'sigv4 scope': (w) => w.errors.sigv4(new SigV4Error('scope', "Credential should be scoped to correct service: 's3'. ")),
  'sigv4 skew': (w) =>
    w.errors.sigv4(new SigV4Error('skew', 'Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)')),
  'sigv4 expired': (w) => w.errors.sigv4(new SigV4Error('expired', 'Request has expired')),
  'sigv4 signature': (w) => w.errors.sigv4(new SigV4Error('signature', MISMATCH)),
  'sigv4 content-sha256': (w) =>
    w.errors.sigv4(new SigV4Error('content-sha256', "The provided 'x-amz-content-sha256' header does not match what was computed.")),
  'unrecognized key': (w) => w.errors.unrecognizedClient('AKIAEXAMPLEEXAMPLE00'),
  'unrecognized session key': (w) => w.errors.unrecognizedClient('ASIAEXAMPLEEXAMPLE00'),
  'expired token': (w) => w.errors.expiredToken(),
  'access denied': (w) => w.errors.accessDenied('User: u is not authorized'),
  throttling: (w) => w.errors.throttling(),
  'internal failure': (w) => w.errors.internalFailure(),
  'request too large': (w) => w.errors.requestTooLarge(4096),
};

const JSON_ROWS: Record<string, Row> = {
  'unknown operation': [400, 'UnknownOperationException', 'Unknown operation LaunchRocket'],
  'unnamed operation': [400, 'UnknownOperationException', 'Unknown operation'],
  'malformed body': [400, 'SerializationException', 'bad body'],
  validation: [400, 'ValidationException', '1 validation error detected: x'],
  'sigv4 missing': [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
  'sigv4 incomplete': [400, 'IncompleteSignatureException', "Authorization header requires 'Signature' parameter."],
  'sigv4 scope': [400, 'InvalidSignatureException', "Credential should be scoped to correct service: 's3'. "],
  'sigv4 skew': [400, 'InvalidSignatureException', 'Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)'],
  'sigv4 expired': [400, 'InvalidSignatureException', 'Request has expired'],
  'sigv4 signature': [400, 'InvalidSignatureException', MISMATCH],
  'sigv4 content-sha256': [400, 'InvalidSignatureException', MISMATCH],
  'unrecognized key': [400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
  'unrecognized session key': [400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
  'expired token': [400, 'ExpiredTokenException', 'The security token included in the request is expired'],
  'access denied': [400, 'AccessDeniedException', 'User: u is not authorized'],
  throttling: [400, 'ThrottlingException', 'Rate exceeded'],
  'internal failure': [500, 'InternalFailure', INTERNAL],
  'request too large': [413, 'SerializationException', 'Request body is larger than the limit of 4096 bytes'],
};

const QUERY_ROWS: Record<string, Row> = {
  'unknown operation': [400, 'InvalidAction', 'Could not find operation LaunchRocket for version 2010-05-08'],
  'unnamed operation': [400, 'InvalidAction', 'The action or operation requested is invalid. Verify that the action is typed correctly.'],
  'malformed body': [400, 'MalformedQueryString', 'bad body'],
  validation: [400, 'ValidationError', '1 validation error detected: x'],
  'sigv4 missing': [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'],
  'sigv4 incomplete': [400, 'IncompleteSignature', "Authorization header requires 'Signature' parameter."],
  'sigv4 scope': [403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 's3'. "],
  'sigv4 skew': [403, 'SignatureDoesNotMatch', 'Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)'],
  'sigv4 expired': [403, 'SignatureDoesNotMatch', 'Request has expired'],
  'sigv4 signature': [403, 'SignatureDoesNotMatch', MISMATCH],
  'sigv4 content-sha256': [403, 'SignatureDoesNotMatch', MISMATCH],
  'unrecognized key': [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
  'unrecognized session key': [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
  'expired token': [403, 'ExpiredToken', 'The security token included in the request is expired'],
  'access denied': [403, 'AccessDenied', 'User: u is not authorized'],
  throttling: [400, 'Throttling', 'Rate exceeded'],
  'internal failure': [500, 'InternalFailure', INTERNAL],
  'request too large': [413, 'RequestEntityTooLarge', 'Request body is larger than the limit of 4096 bytes'],
};

const S3_ROWS: Record<string, Row> = {
  'unknown operation': [501, 'NotImplemented', 'A header you provided implies functionality that is not implemented'],
  'unnamed operation': [501, 'NotImplemented', 'A header you provided implies functionality that is not implemented'],
  'malformed body': [400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
  validation: [400, 'InvalidArgument', '1 validation error detected: x'],
  'sigv4 missing': [403, 'AccessDenied', 'Access Denied'],
  'sigv4 incomplete': [400, 'AuthorizationHeaderMalformed', "The authorization header is malformed; Authorization header requires 'Signature' parameter."],
  'sigv4 scope': [400, 'AuthorizationHeaderMalformed', "The authorization header is malformed; Credential should be scoped to correct service: 's3'."],
  'sigv4 skew': [403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.'],
  'sigv4 expired': [403, 'AccessDenied', 'Request has expired'],
  'sigv4 signature': [
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
  'sigv4 content-sha256': [400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed."],
  'unrecognized key': [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'],
  'unrecognized session key': [400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.'],
  'expired token': [400, 'ExpiredToken', 'The provided token has expired.'],
  'access denied': [403, 'AccessDenied', 'User: u is not authorized'],
  throttling: [503, 'SlowDown', 'Please reduce your request rate.'],
  'internal failure': [500, 'InternalError', 'We encountered an internal error. Please try again.'],
  'request too large': [400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'],
};

const TABLES: [WireProtocol, Record<string, Row>][] = [
  [awsJson1_0, JSON_ROWS],
  [awsJson1_1, JSON_ROWS],
  [awsQuery, QUERY_ROWS],
  [restXml, S3_ROWS],
];

for (const [wire, rows] of TABLES) {
  test(`${wire.name}: every common error, with its status, code and message`, () => {
    assert.deepEqual(Object.keys(rows).sort(), Object.keys(raise).sort());
    for (const [name, row] of Object.entries(rows)) {
      const e = raise[name]!(wire);
      assert.deepEqual([e.status, e.code, e.message], row, `${wire.name}: ${name}`);
      assert.equal(e.fault, e.status >= 500 ? 'Receiver' : 'Sender');
    }
  });
}

test('every SigV4 failure kind is spelled by every protocol', () => {
  const kinds: SigV4FailureKind[] = ['missing', 'incomplete', 'scope', 'skew', 'expired', 'signature', 'content-sha256'];
  for (const [wire] of TABLES) for (const kind of kinds) assert.ok(wire.errors.sigv4(new SigV4Error(kind, 'm')).code, `${wire.name} ${kind}`);
});

const meta = { requestId: 'req-1' };

test('JSON 1.0 and 1.1 error documents: {"__type", "message"}, the protocol\'s content type, the request id', () => {
  for (const [wire, type] of [
    [awsJson1_0, 'application/x-amz-json-1.0'],
    [awsJson1_1, 'application/x-amz-json-1.1'],
  ] as const) {
    const r = wire.encodeError(undefined, wire.errors.validation('bad'), meta);
    assert.equal(r.status, 400);
    assert.equal(r.body, '{"__type":"ValidationException","message":"bad"}');
    assert.deepEqual([r.headers['content-type'], r.headers['x-amzn-requestid']], [type, 'req-1']);
    assert.ok(!Number.isNaN(Date.parse(r.headers.date ?? '')));
  }
});

test("Query error document: ErrorResponse in the service's namespace with Type, Code, Message and RequestId", () => {
  const iam = loadModel('iam');
  const r = awsQuery.encodeError(iam, awsQuery.errors.accessDenied('User: u & <v> is not authorized'), meta);
  assert.equal(r.status, 403);
  assert.equal(r.headers['content-type'], 'text/xml');
  assert.equal(
    r.body,
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: u &amp; &lt;v&gt; is not authorized</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
  );
  const internal = awsQuery.encodeError(undefined, awsQuery.errors.internalFailure(), meta);
  assert.equal(
    internal.body,
    `<ErrorResponse xmlns=""><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>${INTERNAL}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  );
});

test("S3 error document: Error with its details, RequestId and HostId; S3's request id headers", () => {
  const r = restXml.encodeError(loadModel('s3'), restXml.errors.unrecognizedClient('AKIAEXAMPLEEXAMPLE00'), meta);
  assert.equal(r.status, 403);
  assert.equal(
    r.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>AKIAEXAMPLEEXAMPLE00</AWSAccessKeyId><RequestId>req-1</RequestId><HostId>${hostId('req-1')}</HostId></Error>`,
  );
  assert.deepEqual(
    [r.headers['content-type'], r.headers['x-amzn-requestid'], r.headers['x-amz-request-id'], r.headers['x-amz-id-2']],
    ['application/xml', 'req-1', 'req-1', hostId('req-1')],
  );
  const large = restXml.encodeError(undefined, restXml.errors.requestTooLarge(4096), meta);
  assert.match(String(large.body), /<Message>Your proposed upload exceeds the maximum allowed size<\/Message><MaxSizeAllowed>67108864<\/MaxSizeAllowed>/);
});

test('each model is served by its protocol; JSON 1.0 reads and writes the same shapes as 1.1', () => {
  assert.deepEqual(
    ['codestar', 'cloudtrail', 'iam', 'sts', 's3'].map((s) => protocolOf(loadModel(s)).name),
    ['awsJson1_1', 'awsJson1_1', 'awsQuery', 'awsQuery', 'restXml'],
  );
  const ct = loadModel('cloudtrail');
  const as10 = { ...ct, metadata: { ...ct.metadata, jsonVersion: '1.0' } };
  assert.equal(protocolOf(as10), awsJson1_0);
  const req = { method: 'POST', rawPath: '/', rawQuery: '', headers: {}, body: Buffer.from('{"trailNameList":["a"],"includeShadowTrails":false}') };
  assert.deepEqual(awsJson1_0.decode(as10, 'DescribeTrails', req), awsJson1_1.decode(ct, 'DescribeTrails', req));
  const out = { trailList: [{ Name: 'a', HomeRegion: 'eu-west-1' }] };
  const r10 = awsJson1_0.encodeResult(as10, 'DescribeTrails', out, meta);
  const r11 = awsJson1_1.encodeResult(ct, 'DescribeTrails', out, meta);
  assert.deepEqual([r10.status, r10.body, r10.headers['content-type']], [r11.status, r11.body, 'application/x-amz-json-1.0']);
  assert.throws(
    () => awsJson1_0.decode(as10, 'DescribeTrails', { ...req, body: Buffer.from('[1]') }),
    (e: AwsError) => e.code === 'SerializationException',
  );
});
