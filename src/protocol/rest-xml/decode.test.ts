/** REST-XML request decoding from uri labels, query, headers, metadata and payloads (S3 model). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { loadModel } from '../model.ts';
import { decodeRestXml, pathLabels } from './decode.ts';

const model = loadModel('s3');
const req = (rawPath: string, rawQuery = '', headers: Record<string, string | string[]> = {}, body = Buffer.alloc(0)) => ({ rawPath, rawQuery, headers, body });

test('uri labels: {Key+} is greedy and percent-decoded; + stays + in paths', () => {
  assert.deepEqual(pathLabels('/{Bucket}/{Key+}', '/my-bucket/a%20b/c+d/%F0%9F%98%80'), { Bucket: 'my-bucket', Key: 'a b/c+d/😀' });
  assert.deepEqual(pathLabels('/{Bucket}/{Key+}', '/b//x//'), { Bucket: 'b', Key: '/x//' });
  assert.deepEqual(pathLabels('/{Bucket}?location', '/b/'), { Bucket: 'b' });
  assert.throws(() => pathLabels('/{Bucket}/{Key+}', '/b/%E0%A4%A'), { code: 'InvalidURI' });
});

test('ListObjects: query members typed by the model; + is a space in the query', () => {
  const input = decodeRestXml(model, 'ListObjects', req('/b', 'prefix=a+b%2B&marker=m&max-keys=2&encoding-type=url&delimiter=%2F'));
  assert.deepEqual(input, { Bucket: 'b', Prefix: 'a b+', Marker: 'm', MaxKeys: 2, EncodingType: 'url', Delimiter: '/' });
  assert.throws(() => decodeRestXml(model, 'ListObjects', req('/b', 'max-keys=ten')), { code: 'InvalidArgument', status: 400 });
});

test('PutObject: headers, x-amz-meta-* as a map, the raw body as the payload, Content-MD5 checked', () => {
  const body = Buffer.from('payload');
  const md5 = createHash('md5').update(body).digest('base64');
  const headers = { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': '7', 'x-amz-meta-signature': 'abc', 'x-amz-meta-signature-algorithm': 'SHA256withRSA', 'content-md5': md5, expires: 'Wed, 21 Oct 2026 07:28:00 GMT' };
  const input = decodeRestXml(model, 'PutObject', req('/b/k', 'x-id=PutObject', headers, body));
  assert.deepEqual(input.Metadata, { signature: 'abc', 'signature-algorithm': 'SHA256withRSA' });
  assert.deepEqual([input.ContentType, input.ContentEncoding, input.ContentLength, input.ContentMD5], ['text/plain', 'gzip', 7, md5]);
  assert.equal((input.Expires as Date).toISOString(), '2026-10-21T07:28:00.000Z');
  assert.ok((input.Body as Buffer).equals(body));
  assert.throws(() => decodeRestXml(model, 'PutObject', req('/b/k', '', { 'content-md5': createHash('md5').update('other').digest('base64') }, body)), { code: 'BadDigest' });
  assert.throws(() => decodeRestXml(model, 'PutObject', req('/b/k', '', { 'content-md5': 'nope' }, body)), { code: 'InvalidDigest' });
  assert.throws(() => decodeRestXml(model, 'PutObject', req('/b/k', '', { 'x-amz-checksum-sha256': 'AAAA' }, body)), { code: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.' });
});

test('CreateBucket: the CreateBucketConfiguration payload is parsed as XML; bad XML is MalformedXML', () => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>';
  const input = decodeRestXml(model, 'CreateBucket', req('/b', '', {}, Buffer.from(xml)));
  assert.deepEqual(input, { Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  assert.deepEqual(decodeRestXml(model, 'CreateBucket', req('/b')), { Bucket: 'b' });
  assert.throws(() => decodeRestXml(model, 'CreateBucket', req('/b', '', {}, Buffer.from('<CreateBucketConfiguration><Loc'))), { code: 'MalformedXML' });
  assert.throws(() => decodeRestXml(model, 'CreateBucket', req('/b', '', {}, Buffer.from('<Other/>'))), { code: 'MalformedXML' });
});

test('PutBucketPolicy: the payload is the policy text as sent; GetObject takes Range and response-* overrides', () => {
  const text = '{ "Version": "2012-10-17" }';
  assert.equal(decodeRestXml(model, 'PutBucketPolicy', req('/b', 'policy', {}, Buffer.from(text))).Policy, text);
  const g = decodeRestXml(model, 'GetObject', req('/b/k', 'response-content-type=text%2Fhtml', { range: 'bytes=0-9', 'x-amz-checksum-mode': 'ENABLED' }));
  assert.deepEqual(g, { Bucket: 'b', Key: 'k', Range: 'bytes=0-9', ResponseContentType: 'text/html', ChecksumMode: 'ENABLED' });
});
