import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbeddedObjectStore } from '../../objects/index.ts';
import { checkCors, corsResponseHeaders, matchRule, preflight } from './cors.ts';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
  return 'ok';
};

const CONFIG = checkCors({
  CORSRules: [
    {
      AllowedOrigins: ['https://*.example.com'],
      AllowedMethods: ['GET', 'PUT'],
      AllowedHeaders: ['x-amz-*', 'content-type'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 600,
    },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  ],
});

test('checkCors: rules need origins and S3 methods, one wildcard per origin or header, at most 100 rules', () => {
  assert.equal(
    code(() => checkCors({ CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] })),
    'InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
  );
  assert.equal(
    code(() => checkCors({ CORSRules: [{ AllowedOrigins: ['http://*.*.com'], AllowedMethods: ['GET'] }] })),
    'InvalidRequest: AllowedOrigin "http://*.*.com" can not have more than one wildcard.',
  );
  assert.equal(code(() => checkCors({ CORSRules: [] })).split(':')[0], 'MalformedXML');
  assert.equal(code(() => checkCors({ CORSRules: [{ AllowedOrigins: [], AllowedMethods: ['GET'] }] })).split(':')[0], 'MalformedXML');
  assert.equal(
    code(() => checkCors({ CORSRules: Array.from({ length: 101 }, () => ({ AllowedOrigins: ['*'], AllowedMethods: ['GET'] })) })).split(':')[0],
    'InvalidRequest',
  );
});

test('matchRule: the first rule allowing origin, method and every requested header', () => {
  assert.equal(matchRule(CONFIG, 'https://app.example.com', 'PUT', ['x-amz-date', 'Content-Type']), CONFIG.CORSRules[0]);
  assert.equal(matchRule(CONFIG, 'https://app.example.com', 'PUT', ['authorization']), undefined);
  assert.equal(matchRule(CONFIG, 'https://other.org', 'GET'), CONFIG.CORSRules[1]);
  assert.equal(matchRule(CONFIG, 'https://other.org', 'DELETE'), undefined);
});

test('preflight: 200 with the Access-Control headers for a matching rule, 403 AccessForbidden otherwise, 400 without Origin or method', async () => {
  const objects = await EmbeddedObjectStore.open(join(await mkdtemp(join(tmpdir(), 'startrail-cors-')), 'objects'));
  await objects.createBucket('cors-bucket', 'us-east-1', new Date());
  const ask = (path: string, headers: Record<string, string>) => preflight(objects, { method: 'OPTIONS', rawPath: path, rawQuery: '', headers });
  const codeOf = (r: { body: string } | undefined) => /<Code>([^<]+)<\/Code>/.exec(r?.body ?? '')?.[1];
  const none = await ask('/cors-bucket/k', { origin: 'https://a.example.com', 'access-control-request-method': 'GET' });
  assert.deepEqual([none?.status, codeOf(none)], [403, 'AccessForbidden']);
  assert.match(none!.body, /CORS is not enabled for this bucket\.<\/Message><Method>GET<\/Method><ResourceType>OBJECT<\/ResourceType>/);
  await objects.putBucketConfig('cors-bucket', 'cors', JSON.stringify(CONFIG));
  const ok = await ask('/cors-bucket/k', {
    origin: 'https://a.example.com',
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'Content-Type, X-Amz-Date',
  });
  assert.equal(ok?.status, 200);
  assert.deepEqual(
    [
      ok!.headers['access-control-allow-origin'],
      ok!.headers['access-control-allow-methods'],
      ok!.headers['access-control-allow-headers'],
      ok!.headers['access-control-max-age'],
      ok!.headers['access-control-expose-headers'],
    ],
    ['https://a.example.com', 'GET, PUT', 'content-type, x-amz-date', '600', 'ETag'],
  );
  const any = await ask('/cors-bucket', { origin: 'https://other.org', 'access-control-request-method': 'GET' });
  assert.deepEqual([any?.status, any?.headers['access-control-allow-origin']], [200, '*']);
  const refused = await ask('/cors-bucket', { origin: 'https://other.org', 'access-control-request-method': 'PUT' });
  assert.deepEqual([refused?.status, codeOf(refused)], [403, 'AccessForbidden']);
  assert.match(refused!.body, /This CORS request is not allowed.*<ResourceType>BUCKET<\/ResourceType>/);
  const noBucket = await ask('/no-such-cors-bucket', { origin: 'https://other.org', 'access-control-request-method': 'GET' });
  assert.deepEqual([noBucket?.status, codeOf(noBucket)], [403, 'AccessForbidden']);
  assert.deepEqual(
    [(await ask('/cors-bucket', { 'access-control-request-method': 'GET' }))?.status, (await ask('/cors-bucket', { origin: 'https://x' }))?.status],
    [400, 400],
  );
  assert.equal(await preflight(objects, { method: 'GET', rawPath: '/cors-bucket', rawQuery: '', headers: {} }), undefined);
  assert.equal(await preflight(objects, { method: 'OPTIONS', rawPath: '/', rawQuery: '', headers: {} }), undefined);
  // an actual request with an Origin a rule allows gets the headers; others none
  assert.equal(
    (await corsResponseHeaders(objects, { method: 'GET', rawPath: '/cors-bucket/k', rawQuery: '', headers: { origin: 'https://b.example.com' } }))[
      'access-control-allow-origin'
    ],
    'https://b.example.com',
  );
  assert.deepEqual(
    await corsResponseHeaders(objects, { method: 'DELETE', rawPath: '/cors-bucket/k', rawQuery: '', headers: { origin: 'https://b.example.com' } }),
    {},
  );
  assert.deepEqual(await corsResponseHeaders(objects, { method: 'GET', rawPath: '/cors-bucket/k', rawQuery: '', headers: {} }), {});
});
