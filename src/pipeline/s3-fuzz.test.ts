/**
 * S3 under generated requests, in process (testing.ts): 3,000 requests from a fixed seed over paths,
 * every S3 subresource query key (served or not), methods, headers and bodies — signed properly, some
 * tampered, some unsigned (anonymous) — and after each one: no 5xx but S3's own 501 NotImplemented
 * for real subresources not served, every error an S3 error document, and a refused request changed
 * no bucket, object, ACL, configuration or policy.
 */
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET_CONFIGS } from '../objects/index.ts';
import { SUBRESOURCES } from '../protocol/rest-xml/routes.ts';
import { harness, type Harness, type SendOptions } from './testing.ts';
import { prng } from '../prng.ts';

let h: Harness;

const BUCKET = 'fuzz-bucket';
const OPEN = 'fuzz-open';
const md5 = (b: string) => createHash('md5').update(b).digest('base64');

/** Every bucket's objects (ETag, ACL), policy and configurations: what a refused request must leave as it was. */
async function snapshot(): Promise<string> {
  const out: unknown[] = [];
  for (const b of await h.objects.listBuckets()) {
    const page = await h.objects.listObjects(b.name, { maxKeys: 1000 });
    const configs = await Promise.all(BUCKET_CONFIGS.map((n) => h.objects.getBucketConfig(b.name, n)));
    const uploads = await h.objects.listMultipartUploads(b.name, { maxUploads: 1000 });
    out.push([
      b.name,
      b.region,
      page.objects.map((o) => [o.key, o.etag, o.acl, o.metadata, o.contentType]),
      configs,
      await h.objects.getBucketPolicy(b.name),
      uploads.uploads.map((u) => u.uploadId),
    ]);
  }
  return JSON.stringify(out);
}

before(async () => {
  h = await harness();
  for (const [b, headers] of [
    [BUCKET, {}],
    [OPEN, { 'x-amz-object-ownership': 'ObjectWriter' }],
  ] as const) {
    assert.equal((await h.send({ service: 's3', method: 'PUT', path: `/${b}`, headers })).status, 200);
    assert.equal((await h.send({ service: 's3', method: 'PUT', path: `/${b}/doc.txt`, body: 'hello' })).status, 200);
  }
});
after(async () => {
  await h.close();
});

test('3,000 generated S3 requests: no 5xx but NotImplemented, S3 error documents, refused requests change nothing', async () => {
  const rnd = prng(20261202);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const chance = (p: number) => rnd() < p;
  const methods = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'];
  const paths = [
    '/',
    `/${BUCKET}`,
    `/${BUCKET}/`,
    `/${BUCKET}/doc.txt`,
    `/${BUCKET}/a/b%20c`,
    `/${BUCKET}/${'k'.repeat(1100)}`,
    `/${OPEN}`,
    `/${OPEN}/doc.txt`,
    `/${OPEN}/new-key`,
    '/no-such-fuzz-bucket',
    '/no-such-fuzz-bucket/x',
    '/Bad_Name',
    '/ab',
    '/fuzz-new-bucket',
  ];
  const subresources = [...SUBRESOURCES, 'x-id', 'partNumber', 'versionId', 'max-keys', 'prefix', 'delimiter', 'encoding-type', 'response-content-type'];
  const values = ['', '1', '2', '0', '-1', '10001', 'null', 'abc', 'PutObject', 'GetObject', '%', '../..', 'ü', 'x'.repeat(300)];
  const headerChoices: [string, string[]][] = [
    ['x-amz-acl', ['private', 'public-read', 'public-read-write', 'authenticated-read', 'bucket-owner-full-control', 'log-delivery-write', 'bogus', '']],
    ['x-amz-grant-read', ['uri="http://acs.amazonaws.com/groups/global/AllUsers"', 'id="00"', 'emailAddress="x@y"', 'garbage', 'id=']],
    ['x-amz-grant-full-control', ['id="nope"', 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"']],
    ['x-amz-object-ownership', ['ObjectWriter', 'BucketOwnerEnforced', 'Nope']],
    ['x-amz-copy-source', [`/${BUCKET}/doc.txt`, `${OPEN}/doc.txt`, '/no-such-fuzz-bucket/x', 'garbage', '/%ZZ']],
    ['range', ['bytes=0-1', 'bytes=9-', 'bytes=-2', 'bytes=x', 'bytes=100-200']],
    ['content-type', ['text/plain', 'application/xml', '']],
    ['if-match', ['"x"', '*']],
    ['x-amz-server-side-encryption', ['AES256', 'aws:kms', 'nope']],
    ['x-amz-meta-a', ['1', 'x'.repeat(3000)]],
    ['origin', ['https://a.example.com', '']],
    ['access-control-request-method', ['GET', 'PATCH']],
    ['x-amz-expected-bucket-owner', ['000000000000', '111111111111', 'abc']],
  ];
  const bodies = [
    '',
    'hello',
    '<',
    '<AccessControlPolicy><AccessControlList><Grant><Grantee><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>',
    '<AccessControlPolicy><AccessControlList><Grant><Permission>WRITE</Permission></Grant></AccessControlList></AccessControlPolicy>',
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>',
    '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>',
    '<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>',
    '<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>',
    '<Delete><Object><Key>doc.txt</Key></Object></Delete>',
    '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::fuzz-open/*"}]}',
    '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
    '\u0000\u0001binary',
  ];

  const tally = { ok: 0, refused: 0, notImplemented: 0 };
  let before = await snapshot();
  for (let i = 0; i < 3000; i++) {
    const method = pick(methods);
    const path = pick(paths);
    const query: Record<string, string> = {};
    if (chance(0.5)) for (let n = 1 + Math.floor(rnd() * 2); n > 0; n--) query[pick(subresources)] = pick(values);
    const headers: Record<string, string> = {};
    for (let n = Math.floor(rnd() * 4); n > 0; n--) {
      const [name, vs] = pick(headerChoices);
      headers[name] = pick(vs);
    }
    const body = chance(0.5) ? pick(bodies) : '';
    if (chance(0.6)) headers['content-md5'] = chance(0.9) ? md5(body) : 'bm90IGEgbWQ1';
    const o: SendOptions = { service: 's3', method, path, query, headers, body };
    const kind = rnd();
    if (kind < 0.08) o.credentials = null;
    else if (kind < 0.12) o.credentials = { accessKeyId: h.root.accessKeyId, secretAccessKey: 'wrong' };
    else if (kind < 0.15) o.tamper = (req) => ({ ...req, body: Buffer.concat([req.body, Buffer.from('!')]) });
    else if (kind < 0.17) o.tamper = (req) => ({ ...req, headers: { ...req.headers, authorization: String(req.headers.authorization).slice(0, 40) } });
    else if (kind < 0.19) o.region = 'eu-west-1';
    const what = `#${i} ${method} ${path}?${new URLSearchParams(query)} ${JSON.stringify(headers)} ${JSON.stringify(body.slice(0, 60))}`;
    const r = await h.send(o);
    const code = /<Code>([^<]+)<\/Code>/.exec(r.text)?.[1];
    if (r.status >= 500) {
      assert.deepEqual([r.status, code], [501, 'NotImplemented'], `${what} → ${r.status} ${r.text}`);
      // only for what S3 itself does not implement here: a subresource, x-id or copy source the route does not take
      assert.ok(Object.keys(query).some((k) => SUBRESOURCES.has(k) || k === 'x-id') || 'x-amz-copy-source' in headers || method === 'POST', what);
      tally.notImplemented++;
    }
    if (r.status >= 400 && method !== 'HEAD')
      assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>[A-Za-z0-9.]+<\/Code><Message>/, what);
    const now = await snapshot();
    if (r.status >= 300) {
      assert.equal(now, before, `${what} → ${r.status} ${code}: state changed`);
      tally.refused++;
    } else tally.ok++;
    before = now;
  }
  assert.deepEqual(
    h.logs.filter((l) => l.msg === 'internal failure').map((l) => l.fields?.error),
    [],
  );
  // the mix reaches every outcome
  assert.ok(tally.ok > 200 && tally.refused > 1000 && tally.notImplemented > 50, JSON.stringify(tally));
});
