/** REST-XML request decoding from uri labels, query, headers, metadata and payloads (S3 model). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { loadModel } from '../model.ts';
import { computeChecksum } from './checksums.ts';
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
  const headers = {
    'content-type': 'text/plain',
    'content-encoding': 'gzip',
    'content-length': '7',
    'x-amz-meta-signature': 'abc',
    'x-amz-meta-signature-algorithm': 'SHA256withRSA',
    'content-md5': md5,
    expires: 'Wed, 21 Oct 2026 07:28:00 GMT',
  };
  const input = decodeRestXml(model, 'PutObject', req('/b/k', 'x-id=PutObject', headers, body));
  assert.deepEqual(input.Metadata, { signature: 'abc', 'signature-algorithm': 'SHA256withRSA' });
  assert.deepEqual([input.ContentType, input.ContentEncoding, input.ContentLength, input.ContentMD5], ['text/plain', 'gzip', 7, md5]);
  assert.equal((input.Expires as Date).toISOString(), '2026-10-21T07:28:00.000Z');
  assert.ok((input.Body as Buffer).equals(body));
  assert.throws(() => decodeRestXml(model, 'PutObject', req('/b/k', '', { 'content-md5': createHash('md5').update('other').digest('base64') }, body)), {
    code: 'BadDigest',
  });
  assert.throws(() => decodeRestXml(model, 'PutObject', req('/b/k', '', { 'content-md5': 'nope' }, body)), { code: 'InvalidDigest' });
  assert.throws(() => decodeRestXml(model, 'PutObject', req('/b/k', '', { 'x-amz-checksum-sha256': 'AAAA' }, body)), {
    code: 'BadDigest',
    message: 'The SHA256 you specified did not match the calculated checksum.',
  });
});

test('CreateBucket: the CreateBucketConfiguration payload is parsed as XML; bad XML is MalformedXML', () => {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>';
  const input = decodeRestXml(model, 'CreateBucket', req('/b', '', {}, Buffer.from(xml)));
  assert.deepEqual(input, { Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  assert.deepEqual(decodeRestXml(model, 'CreateBucket', req('/b')), { Bucket: 'b' });
  assert.throws(() => decodeRestXml(model, 'CreateBucket', req('/b', '', {}, Buffer.from('<CreateBucketConfiguration><Loc'))), { code: 'MalformedXML' });
  assert.throws(() => decodeRestXml(model, 'CreateBucket', req('/b', '', {}, Buffer.from('<Other/>'))), { code: 'MalformedXML' });
});

test('PutBucketPolicy: the payload is the policy text as sent; GetObject takes Range and response-* overrides', () => {
  const text = '{ "Version": "2012-10-17" }';
  const md5 = createHash('md5').update(text).digest('base64');
  assert.equal(decodeRestXml(model, 'PutBucketPolicy', req('/b', 'policy', { 'content-md5': md5 }, Buffer.from(text))).Policy, text);
  // S3 requires an integrity value on a policy (httpChecksum requestChecksumRequired)
  assert.throws(() => decodeRestXml(model, 'PutBucketPolicy', req('/b', 'policy', {}, Buffer.from(text))), {
    code: 'InvalidRequest',
    status: 400,
    message: 'Missing required header for this request: Content-Md5',
  });
  const g = decodeRestXml(model, 'GetObject', req('/b/k', 'response-content-type=text%2Fhtml', { range: 'bytes=0-9', 'x-amz-checksum-mode': 'ENABLED' }));
  assert.deepEqual(g, { Bucket: 'b', Key: 'k', Range: 'bytes=0-9', ResponseContentType: 'text/html', ChecksumMode: 'ENABLED' });
});

const deleteXml = (objects: string, quiet = '') =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${objects}${quiet}</Delete>`);
const withMd5 = (body: Buffer) => ({ 'content-md5': createHash('md5').update(body).digest('base64') });

test('DeleteObjects: the <Delete> document, Content-MD5 (or a flexible checksum) required, schema violations are MalformedXML', () => {
  const body = deleteXml('<Object><Key>a b</Key></Object><Object><Key>c&amp;d</Key><VersionId>null</VersionId></Object>', '<Quiet>true</Quiet>');
  const input = decodeRestXml(model, 'DeleteObjects', req('/b', 'delete', withMd5(body), body));
  assert.deepEqual(input, { Bucket: 'b', Delete: { Objects: [{ Key: 'a b' }, { Key: 'c&d', VersionId: 'null' }], Quiet: true } });
  const crc = { 'x-amz-checksum-crc32': computeChecksum('CRC32', body)!, 'x-amz-sdk-checksum-algorithm': 'CRC32' };
  assert.deepEqual((decodeRestXml(model, 'DeleteObjects', req('/b', 'delete', crc, body)).Delete as { Objects: unknown[] }).Objects.length, 2);
  assert.throws(() => decodeRestXml(model, 'DeleteObjects', req('/b', 'delete', {}, body)), { code: 'InvalidRequest', status: 400 });
  for (const bad of [
    Buffer.alloc(0),
    deleteXml(''),
    deleteXml('<Object></Object>'),
    deleteXml('', '<Quiet>true</Quiet>'),
    Buffer.from('<Delete><Object><Key>x'),
    Buffer.from('<Other/>'),
    deleteXml('<Object><Key><b>x</b></Key></Object>'),
  ]) {
    assert.throws(() => decodeRestXml(model, 'DeleteObjects', req('/b', 'delete', withMd5(bad), bad)), { code: 'MalformedXML', status: 400 }, bad.toString());
  }
});

test("CompleteMultipartUpload: its parts from the XML; the x-amz-checksum-* headers are the object's, not checked against the body", () => {
  const body = Buffer.from(
    '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"e1"</ETag><PartNumber>1</PartNumber></Part><Part><ETag>e2</ETag><PartNumber>2</PartNumber><ChecksumCRC32>AAAA</ChecksumCRC32></Part></CompleteMultipartUpload>',
  );
  const input = decodeRestXml(model, 'CompleteMultipartUpload', req('/b/k', 'uploadId=u1', { 'x-amz-checksum-crc32': 'AAAAAA==-2' }, body));
  assert.deepEqual(input, {
    Bucket: 'b',
    Key: 'k',
    UploadId: 'u1',
    ChecksumCRC32: 'AAAAAA==-2',
    MultipartUpload: {
      Parts: [
        { ETag: '"e1"', PartNumber: 1 },
        { ETag: 'e2', PartNumber: 2, ChecksumCRC32: 'AAAA' },
      ],
    },
  });
  assert.deepEqual(decodeRestXml(model, 'CompleteMultipartUpload', req('/b/k', 'uploadId=u1')), { Bucket: 'b', Key: 'k', UploadId: 'u1' });
});

test('UploadPart: part number and upload id from the query, the body (aws-chunked too) with its checksum; CopyObject and UploadPartCopy headers', () => {
  const part = Buffer.from('part bytes');
  const chunked = Buffer.from(`a\r\npart bytes\r\n0\r\nx-amz-checksum-crc32:${computeChecksum('CRC32', part)}\r\n\r\n`, 'latin1');
  const headers = {
    'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': '10',
    'x-amz-trailer': 'x-amz-checksum-crc32',
  };
  const input = decodeRestXml(model, 'UploadPart', req('/b/k', 'x-id=UploadPart&partNumber=3&uploadId=u1', headers, chunked));
  assert.deepEqual(
    [input.PartNumber, input.UploadId, (input.Body as Buffer).toString(), input.ChecksumCRC32, input.ContentLength],
    [3, 'u1', 'part bytes', computeChecksum('CRC32', part), 10],
  );
  const tampered = Buffer.from(chunked.toString('latin1').replace('part', 'tarp'), 'latin1');
  assert.throws(() => decodeRestXml(model, 'UploadPart', req('/b/k', 'partNumber=3&uploadId=u1', headers, tampered)), { code: 'BadDigest' });
  assert.throws(() => decodeRestXml(model, 'UploadPart', req('/b/k', 'partNumber=three&uploadId=u1', {}, part)), { code: 'InvalidArgument' });
  const copy = decodeRestXml(
    model,
    'CopyObject',
    req('/b/k', '', { 'x-amz-copy-source': 'src/a%20b', 'x-amz-metadata-directive': 'REPLACE', 'x-amz-meta-m': '1', 'x-amz-copy-source-if-match': '"e"' }),
  );
  assert.deepEqual(copy, { Bucket: 'b', Key: 'k', CopySource: 'src/a%20b', MetadataDirective: 'REPLACE', Metadata: { m: '1' }, CopySourceIfMatch: '"e"' });
  const upc = decodeRestXml(
    model,
    'UploadPartCopy',
    req('/b/k', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': '/src/k', 'x-amz-copy-source-range': 'bytes=0-9' }),
  );
  assert.deepEqual([upc.CopySource, upc.CopySourceRange, upc.PartNumber], ['/src/k', 'bytes=0-9', 1]);
});

test('XML payloads: character references are read as the characters (Go encoding/xml writes ETag quotes as &#34;)', async () => {
  const { parsePayload } = await import('./xml.ts');
  const body = Buffer.from(
    '<CompleteMultipartUpload><Part><ETag>&#34;abc&#34;</ETag><PartNumber>1</PartNumber></Part><Part><ETag>&#x22;d&amp;#34;&#x22;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>',
  );
  const parsed = parsePayload(loadModel('s3'), 'CompletedMultipartUpload', 'CompleteMultipartUpload', body) as { Parts: { ETag: string }[] };
  assert.deepEqual(
    parsed.Parts.map((p) => p.ETag),
    ['"abc"', '"d&#34;"'],
  );
});
