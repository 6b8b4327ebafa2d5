/** Payload-hash rules and end-to-end checks against requests signed by @smithy/signature-v4, as the AWS SDK signs them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html; https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/validate-logs.html, docs/architecture.md#request-path). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { canonicalRequest, checkRequestTime, computePayloadHash, parseSigV4, SigV4Error, verifySignature, type SignedRequest } from './index.ts';

type SmithyRequest = Parameters<SignatureV4['sign']>[0] & { method: string; path: string; headers: Record<string, string> };
const NOW = new Date('2026-11-24T06:20:48Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const BODY = '{"maxResults":10}';
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

function signer(o: { service?: string; s3?: boolean; applyChecksum?: boolean; sessionToken?: string } = {}) {
  const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET, ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) };
  return new SignatureV4({
    service: o.service ?? 'codestar',
    region: 'us-east-1',
    credentials,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !o.s3,
    applyChecksum: o.applyChecksum ?? true,
  });
}
function codestar(body = BODY, path = '/', extra: Record<string, string> = {}): SmithyRequest {
  return {
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4599,
    path,
    query: {},
    body,
    headers: {
      host: '127.0.0.1:4599',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'CodeStar_20170419.ListProjects',
      'content-length': String(Buffer.byteLength(body)),
      ...extra,
    },
  };
}
/** What node hands the server for a request the signer produced (header names lower-cased). */
function onWire(r: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }): SignedRequest {
  const rawQuery = Object.entries(r.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`))
    .join('&');
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: r.method, rawPath: r.path, rawQuery, headers, body: Buffer.from(typeof r.body === 'string' ? r.body : '') };
}
async function verify(req: SignedRequest, s3 = false, secret = SECRET): Promise<void> {
  const auth = parseSigV4(req);
  checkRequestTime(auth, NOW);
  await verifySignature(req, auth, secret, { s3 });
}
const badSignature = (e: unknown) => e instanceof SigV4Error && e.kind === 'signature';
/** A signature that matches a declared x-amz-content-sha256 the body does not. */
const contentMismatch = (e: unknown) => e instanceof SigV4Error && e.kind === 'content-sha256';
const tamper = (r: SignedRequest, body: string): SignedRequest => ({ ...r, body: Buffer.from(body) });

test('computePayloadHash: body hashed when x-amz-content-sha256 is absent, honoured when present', () => {
  const base: SignedRequest = { method: 'POST', rawPath: '/', rawQuery: '', headers: { host: 'h' }, body: Buffer.from(BODY) };
  const header = {
    ...parseSigV4({
      ...base,
      headers: {
        host: 'h',
        'x-amz-date': '20261124T062048Z',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261124/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
    }),
  };
  const query = { ...header, kind: 'query' as const };
  assert.equal(computePayloadHash(base, header, false), sha(BODY));
  assert.equal(computePayloadHash({ ...base, body: Buffer.alloc(0) }, header, false), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  for (const declared of ['a'.repeat(64), 'UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']) {
    assert.equal(computePayloadHash({ ...base, headers: { 'x-amz-content-sha256': declared } }, header, true), declared);
  }
  assert.equal(computePayloadHash(base, query, true), 'UNSIGNED-PAYLOAD');
  assert.equal(computePayloadHash(base, query, false), sha(BODY));
});

test('SDK-signed CodeStar request (x-amz-content-sha256 sent) verifies; tampered body fails', async () => {
  const req = onWire(await signer().sign(codestar(), { signingDate: NOW }));
  assert.equal(req.headers['x-amz-content-sha256'], sha(BODY));
  assert.ok(parseSigV4(req).signedHeaders.includes('x-amz-content-sha256'));
  await verify(req);
  await assert.rejects(verify(tamper(req, '{"maxResults":11}')), contentMismatch);
  await assert.rejects(
    verify(req, false, SECRET.replace('w', 'W')),
    (e) => badSignature(e) && (e as Error).message.startsWith('The request signature we calculated does not match'),
  );
});

test('CLI-style request (no x-amz-content-sha256): server hashes the body', async () => {
  const req = onWire(await signer({ applyChecksum: false }).sign(codestar(), { signingDate: NOW }));
  assert.equal(req.headers['x-amz-content-sha256'], undefined);
  await verify(req);
  await assert.rejects(verify(tamper(req, '{"maxResults":11}')), badSignature);
});

test('unsigned x-amz-content-sha256 cannot vouch for a swapped body', async () => {
  const req = onWire(await signer().sign(codestar(), { signingDate: NOW, unsignableHeaders: new Set(['x-amz-content-sha256']) }));
  assert.ok(!parseSigV4(req).signedHeaders.includes('x-amz-content-sha256'));
  await verify(req);
  await assert.rejects(verify(tamper(req, '{"evil":1}')), contentMismatch);
});

test('UNSIGNED-PAYLOAD is honoured: the body is not covered', async () => {
  const req = onWire(await signer().sign(codestar(BODY, '/', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), { signingDate: NOW }));
  await verify(tamper(req, 'anything'));
});

test('session token header is signed and reported', async () => {
  const req = onWire(await signer({ sessionToken: 'FwoGZXIvYXdzEXAMPLE+/=' }).sign(codestar(), { signingDate: NOW }));
  const auth = parseSigV4(req);
  assert.equal(auth.securityToken, 'FwoGZXIvYXdzEXAMPLE+/=');
  assert.ok(auth.signedHeaders.includes('x-amz-security-token'));
  await verify(req);
});

test('non-S3 path is escaped again as received (SDK double encoding); S3 path is taken raw', async () => {
  const req = onWire(await signer().sign(codestar(BODY, '/a%20b/c'), { signingDate: NOW }));
  await verify(req);
  assert.match(canonicalRequest(req, parseSigV4(req), { s3: false }), /^POST\n\/a%2520b\/c\n/);
  const put = { ...codestar('hello', '/bucket/my%20key.txt'), method: 'PUT' };
  const s3req = onWire(await signer({ service: 's3', s3: true }).sign(put, { signingDate: NOW }));
  await verify(s3req, true);
  await assert.rejects(verify(s3req, false), badSignature);
});

test('presigned URLs: STS GET verifies, edited query fails; S3 with UNSIGNED-PAYLOAD verifies', async () => {
  const get = {
    method: 'GET',
    protocol: 'https:',
    hostname: 'localhost',
    path: '/',
    headers: { host: 'localhost' },
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
  };
  const sts = onWire(await signer({ service: 'sts' }).presign(get, { signingDate: NOW, expiresIn: 900 }));
  assert.equal(parseSigV4(sts).kind, 'query');
  await verify(sts);
  await assert.rejects(verify({ ...sts, rawQuery: sts.rawQuery.replace('GetCallerIdentity', 'GetSessionToken') }), badSignature);

  const obj = { ...get, path: '/bucket/key', query: {}, headers: { host: 'localhost', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
  const hidden = new Set(['x-amz-content-sha256']); // as @aws-sdk/s3-request-presigner: neither hoisted nor signed, not sent
  const url = await signer({ service: 's3', s3: true }).presign(obj, { signingDate: NOW, unhoistableHeaders: hidden, unsignableHeaders: hidden });
  await verify(onWire({ ...url, headers: { host: 'localhost' } }), true);
});

test("query values keep '+' (not form decoding); repeated keys and header arrays are handled", () => {
  const req: SignedRequest = {
    method: 'GET',
    rawPath: '/',
    rawQuery: 'b=2&a=x+y&b=1&flag',
    body: Buffer.alloc(0),
    headers: {
      host: 'h',
      'x-amz-date': '20261124T062048Z',
      'x-dup': ['v2', ' v1 '],
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261124/us-east-1/codestar/aws4_request, SignedHeaders=host;x-amz-date;x-dup, Signature=${'0'.repeat(64)}`,
    },
  };
  const lines = canonicalRequest(req, parseSigV4(req), { s3: false }).split('\n');
  assert.equal(lines[2], 'a=x%2By&b=1&b=2&flag=');
  assert.equal(lines[5], 'x-dup:v2,v1'); // node's `headers` would give 'v2, v1': pass `headersDistinct`
});

test('the signing key is AWS example key, derived once per day, region and service, and a different secret or scope gets its own', async () => {
  const { signingKey } = await import('./verify.ts');
  // AWS's worked example (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key)
  const key = signingKey(SECRET, '20150830', 'us-east-1', 'iam');
  assert.equal(key.toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  assert.equal(signingKey(SECRET, '20150830', 'us-east-1', 'iam'), key, 'the cached key');
  assert.notEqual(signingKey(`${SECRET}x`, '20150830', 'us-east-1', 'iam').toString('hex'), key.toString('hex'));
  assert.notEqual(signingKey(SECRET, '20150831', 'us-east-1', 'iam').toString('hex'), key.toString('hex'));
  assert.notEqual(signingKey(SECRET, '20150830', 'us-east-1', 'sts').toString('hex'), key.toString('hex'));
});
