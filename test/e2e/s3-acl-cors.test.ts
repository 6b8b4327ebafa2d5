/**
 * ACLs, Block Public Access defaults and CORS (docs/s3.md#acls, #block-public-access, #cors) with
 * /usr/bin/aws s3api and @aws-sdk/client-s3 against a started server: ACLs refused on a new bucket,
 * stored and honoured (anonymous reads over plain HTTP) with ACLs enabled, CORS rules round-tripped
 * and answering browser preflights, all kept across a kill -9 and recorded in CloudTrail.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  S3Client,
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetObjectAclCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  DeleteBucketCorsCommand,
} from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { SUBRESOURCES } from '../../src/protocol/rest-xml/routes.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

let server: TestServer;
const s3 = () => new S3Client({ ...sdkConfig(server.endpoint, server.root), forcePathStyle: true });
const cli = (args: string[]) => awsCli(server.endpoint, server.root, args);
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('ACLs: refused on a new bucket, stored and honoured with ACLs enabled, Block Public Access applied, kept across kill -9', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'acl-e2e-enforced' }));
  const refused = await c.send(new PutObjectCommand({ Bucket: 'acl-e2e-enforced', Key: 'k', Body: 'x', ACL: 'public-read' })).catch((e) => e);
  assert.deepEqual([refused.name, refused.message, refused.$metadata.httpStatusCode], ['AccessControlListNotSupported', 'The bucket does not allow ACLs', 400]);
  const owner = (await c.send(new GetBucketAclCommand({ Bucket: 'acl-e2e-enforced' }))).Owner!;
  assert.match(owner.ID!, /^[0-9a-f]{64}$/);
  assert.match(cli(['s3api', 'put-bucket-acl', '--bucket', 'acl-e2e-enforced', '--acl', 'public-read']).stderr, /AccessControlListNotSupported/);
  const created = cli(['s3api', 'create-bucket', '--bucket', 'acl-e2e-bad', '--acl', 'public-read']);
  assert.match(created.stderr, /InvalidBucketAclWithObjectOwnership/);

  // ACLs enabled: the official CLI sets them; Block Public Access (on by default) refuses public ones until removed
  assert.equal(cli(['s3api', 'create-bucket', '--bucket', 'acl-e2e-open', '--object-ownership', 'BucketOwnerPreferred']).status, 0);
  assert.match(cli(['s3api', 'put-bucket-acl', '--bucket', 'acl-e2e-open', '--acl', 'public-read']).stderr, /AccessDenied/);
  assert.equal(cli(['s3api', 'delete-public-access-block', '--bucket', 'acl-e2e-open']).status, 0);
  await c.send(new PutObjectCommand({ Bucket: 'acl-e2e-open', Key: 'page.html', Body: '<p>hi</p>', ACL: 'public-read', ContentType: 'text/html' }));
  await c.send(new PutObjectCommand({ Bucket: 'acl-e2e-open', Key: 'secret', Body: 'no' }));
  const objAcl = cli(['s3api', 'get-object-acl', '--bucket', 'acl-e2e-open', '--key', 'page.html']).json;
  assert.deepEqual(objAcl.Grants, [
    { Grantee: { DisplayName: owner.DisplayName, ID: owner.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
    { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
  ]);
  // anonymous: a plain unsigned GET, as a browser would
  const anon = await fetch(`${server.endpoint}/acl-e2e-open/page.html`);
  assert.deepEqual([anon.status, await anon.text()], [200, '<p>hi</p>']);
  assert.equal((await fetch(`${server.endpoint}/acl-e2e-open/secret`)).status, 403);
  // grants by the SDK: an AccessControlPolicy document making the other object public too
  await c.send(
    new PutObjectAclCommand({
      Bucket: 'acl-e2e-open',
      Key: 'secret',
      AccessControlPolicy: {
        Owner: { ID: owner.ID },
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
        ],
      },
    }),
  );
  assert.equal((await fetch(`${server.endpoint}/acl-e2e-open/secret`)).status, 200);
  await c.send(new PutBucketAclCommand({ Bucket: 'acl-e2e-open', GrantRead: `uri="${ALL_USERS}"`, GrantFullControl: `id="${owner.ID}"` }));
  assert.equal((await fetch(`${server.endpoint}/acl-e2e-open?list-type=2`)).status, 200);
  c.destroy();

  await server.kill();
  await server.restart();
  const d = s3();
  const grants = (await d.send(new GetObjectAclCommand({ Bucket: 'acl-e2e-open', Key: 'secret' }))).Grants;
  assert.deepEqual(
    grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? g.Grantee?.ID, g.Permission]),
    [
      ['CanonicalUser', owner.ID, 'FULL_CONTROL'],
      ['Group', ALL_USERS, 'READ'],
    ],
  );
  assert.equal((await fetch(`${server.endpoint}/acl-e2e-open/page.html`)).status, 200);
  // IgnorePublicAcls: still stored, no longer honoured
  assert.equal(cli(['s3api', 'put-public-access-block', '--bucket', 'acl-e2e-open', '--public-access-block-configuration', 'IgnorePublicAcls=true']).status, 0);
  assert.equal((await fetch(`${server.endpoint}/acl-e2e-open/page.html`)).status, 403);
  d.destroy();

  const puts = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'PutBucketAcl' }]);
  assert.equal(JSON.parse(puts[0]!.CloudTrailEvent!).managementEvent, true);
});

test('CORS: put/get/delete with the CLI and the SDK, preflights answered as S3 does, headers on actual requests', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'cors-e2e' }));
  const none = await c.send(new GetBucketCorsCommand({ Bucket: 'cors-e2e' })).catch((e) => e);
  assert.deepEqual([none.name, none.$metadata.httpStatusCode], ['NoSuchCORSConfiguration', 404]);
  const preflight = (origin: string, method: string, headers?: string) =>
    fetch(`${server.endpoint}/cors-e2e/file.txt`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
    });
  const disabled = await preflight('https://app.example.com', 'GET');
  assert.equal(disabled.status, 403);
  assert.match(await disabled.text(), /<Code>AccessForbidden<\/Code><Message>CORSResponse: CORS is not enabled for this bucket.<\/Message>/);

  const config = JSON.stringify({
    CORSRules: [
      { AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 },
    ],
  });
  assert.equal(cli(['s3api', 'put-bucket-cors', '--bucket', 'cors-e2e', '--cors-configuration', config]).status, 0);
  assert.deepEqual(cli(['s3api', 'get-bucket-cors', '--bucket', 'cors-e2e']).json.CORSRules, JSON.parse(config).CORSRules);
  const bad = cli([
    's3api',
    'put-bucket-cors',
    '--bucket',
    'cors-e2e',
    '--cors-configuration',
    '{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}',
  ]);
  assert.match(bad.stderr, /InvalidRequest.*Unsupported method is PATCH/);

  const ok = await preflight('https://app.example.com', 'PUT', 'content-type,x-amz-date');
  assert.equal(ok.status, 200);
  assert.deepEqual(
    [
      'access-control-allow-origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-max-age',
      'access-control-expose-headers',
    ].map((h) => ok.headers.get(h)),
    ['https://app.example.com', 'GET, PUT', 'content-type, x-amz-date', '300', 'ETag'],
  );
  const other = await preflight('https://evil.test', 'GET');
  assert.equal(other.status, 403);
  assert.match(await other.text(), /This CORS request is not allowed/);

  // an actual request with an Origin a rule allows: its response (here a refusal of the unsigned GET) carries the headers
  await c.send(new PutObjectCommand({ Bucket: 'cors-e2e', Key: 'file.txt', Body: 'x' }));
  const actual = await fetch(`${server.endpoint}/cors-e2e/file.txt`, { headers: { origin: 'https://app.example.com' } });
  assert.deepEqual([actual.status, actual.headers.get('access-control-allow-origin')], [403, 'https://app.example.com']);
  const foreign = await fetch(`${server.endpoint}/cors-e2e/file.txt`, { headers: { origin: 'https://evil.test' } });
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  c.destroy();

  await server.kill();
  await server.restart();
  assert.equal((await preflight('https://app.example.com', 'GET')).status, 200);
  const d = s3();
  await d.send(new DeleteBucketCorsCommand({ Bucket: 'cors-e2e' }));
  assert.equal((await preflight('https://app.example.com', 'GET')).status, 403);
  await d.send(new PutBucketCorsCommand({ Bucket: 'cors-e2e', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } }));
  assert.equal((await d.send(new GetBucketCorsCommand({ Bucket: 'cors-e2e' }))).CORSRules?.[0]?.AllowedOrigins?.[0], '*');
  d.destroy();
  // preflights are not API calls: nothing recorded; the configuration calls are management events
  const puts = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'PutBucketCors' }]);
  assert.deepEqual(puts.map((e) => JSON.parse(e.CloudTrailEvent!).errorCode ?? 'ok').sort(), ['InvalidRequest', 'ok', 'ok']);
  const unknown = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'UnknownOperation' }]);
  assert.equal(unknown.length, 0);
});

test('over the wire: 300 seeded requests over every subresource, signed, unsigned and preflights: no 5xx but NotImplemented, the server stays up', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'wire-fuzz' }));
  c.destroy();
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: server.root, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const keys = [...SUBRESOURCES];
  let notImplemented = 0;
  for (let i = 0; i < 300; i++) {
    const method = pick(['GET', 'PUT', 'DELETE', 'HEAD', 'POST', 'OPTIONS']);
    const path = pick(['/wire-fuzz', '/wire-fuzz/k', '/no-such-wire-bucket', '/']);
    const query: Record<string, string> = rnd() < 0.7 ? { [pick(keys)]: pick(['', '1', 'x']) } : {};
    const body = pick(['', '<x/>', '<AccessControlPolicy/>', 'data']);
    const headers: Record<string, string> = { host: url.host, ...(rnd() < 0.3 ? { 'x-amz-acl': pick(['private', 'public-read', 'bogus']) } : {}) };
    if (method === 'OPTIONS') Object.assign(headers, { origin: 'https://x.example.com', 'access-control-request-method': 'GET' });
    const signed =
      method === 'OPTIONS' || rnd() < 0.1
        ? { headers }
        : await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers, body });
    const qs = new URLSearchParams(query).toString().replace(/=(&|$)/g, '$1');
    const r = await fetch(`${server.endpoint}${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: signed.headers,
      ...(method === 'GET' || method === 'HEAD' || !body ? {} : { body }),
    });
    const text = await r.text();
    if (r.status >= 500) {
      // a HEAD answer has no body: its status says it
      const code = method === 'HEAD' ? 'NotImplemented' : /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      assert.deepEqual([r.status, code], [501, 'NotImplemented'], `${method} ${path}?${qs} → ${r.status} ${text}`);
      notImplemented++;
    }
  }
  assert.ok(notImplemented > 10);
  assert.equal((await fetch(`${server.endpoint}/health`)).status, 200);
});
