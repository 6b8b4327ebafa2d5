/** REST-XML responses and errors as S3 writes them: ListObjects / ListObjectsV2 documents, headers, 206, errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../../errors/aws-error.ts';
import { loadModel } from '../model.ts';
import { encodeRestXmlResponse } from './encode.ts';
import { SigV4Error } from '../../auth/sigv4/errors.ts';
import { encodeRestXmlError, withDetails } from './errors.ts';
import { restXmlErrors } from './protocol.ts';

const model = loadModel('s3');
const T = new Date('2026-11-24T10:00:00.000Z');
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

test('ListObjects: ListBucketResult with flattened Contents and CommonPrefixes, ISO timestamps, escaped text', () => {
  const r = encodeRestXmlResponse(model, 'ListObjects', {
    Name: 'b',
    Prefix: '',
    Marker: 'm',
    MaxKeys: 2,
    Delimiter: '/',
    IsTruncated: true,
    NextMarker: 'c/',
    Contents: [{ Key: 'a&b<c>', LastModified: T, ETag: '"e"', Size: 3, StorageClass: 'STANDARD', Owner: { ID: 'id', DisplayName: 'n' } }],
    CommonPrefixes: [{ Prefix: 'c/' }],
    EncodingType: 'url',
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/xml');
  assert.equal(
    r.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}>` +
      '<IsTruncated>true</IsTruncated><Marker>m</Marker><NextMarker>c/</NextMarker>' +
      '<Contents><Key>a&amp;b&lt;c&gt;</Key><LastModified>2026-11-24T10:00:00.000Z</LastModified><ETag>"e"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass><Owner><DisplayName>n</DisplayName><ID>id</ID></Owner></Contents>' +
      '<Name>b</Name><Prefix></Prefix><Delimiter>/</Delimiter><MaxKeys>2</MaxKeys><CommonPrefixes><Prefix>c/</Prefix></CommonPrefixes><EncodingType>url</EncodingType>' +
      '</ListBucketResult>',
  );
});

test('ListObjectsV2: KeyCount, continuation tokens; empty lists write nothing', () => {
  const r = encodeRestXmlResponse(model, 'ListObjectsV2', {
    Name: 'b',
    Prefix: 'p',
    MaxKeys: 1000,
    KeyCount: 0,
    IsTruncated: false,
    ContinuationToken: 't',
    Contents: [],
    CommonPrefixes: [],
  });
  assert.equal(
    r.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}><IsTruncated>false</IsTruncated><Name>b</Name><Prefix>p</Prefix><MaxKeys>1000</MaxKeys><KeyCount>0</KeyCount><ContinuationToken>t</ContinuationToken></ListBucketResult>`,
  );
});

test('ListBuckets and GetBucketLocation roots (us-east-1 is the empty constraint)', () => {
  const l = encodeRestXmlResponse(model, 'ListBuckets', { Buckets: [{ Name: 'b', CreationDate: T }], Owner: { ID: 'i', DisplayName: 'd' } });
  assert.match(
    l.body as string,
    /<ListAllMyBucketsResult [^>]+><Buckets><Bucket><Name>b<\/Name><CreationDate>2026-11-24T10:00:00.000Z<\/CreationDate><\/Bucket><\/Buckets><Owner>/,
  );
  assert.equal(
    encodeRestXmlResponse(model, 'GetBucketLocation', {}).body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint ${NS}></LocationConstraint>`,
  );
  assert.equal(
    encodeRestXmlResponse(model, 'GetBucketLocation', { LocationConstraint: 'eu-west-1' }).body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint ${NS}>eu-west-1</LocationConstraint>`,
  );
});

test('GetObject: headers from members (IMF-fixdate, x-amz-meta-*), the body as is, 206 with Content-Range', () => {
  const body = Buffer.from('bytes');
  const r = encodeRestXmlResponse(model, 'GetObject', {
    Body: body,
    ETag: '"e"',
    LastModified: T,
    ContentLength: 5,
    ContentType: 'text/plain',
    Metadata: { signature: 'abc' },
    ContentRange: 'bytes 0-4/10',
    AcceptRanges: 'bytes',
  });
  assert.equal(r.status, 206);
  assert.equal(r.body, body);
  assert.deepEqual(r.headers, {
    'accept-ranges': 'bytes',
    'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT',
    'content-length': '5',
    etag: '"e"',
    'content-range': 'bytes 0-4/10',
    'content-type': 'text/plain',
    'x-amz-meta-signature': 'abc',
  });
  assert.equal(encodeRestXmlResponse(model, 'GetObject', { Body: body }).status, 200);
});

test('status codes from the model; a string payload is written as is', () => {
  assert.deepEqual(encodeRestXmlResponse(model, 'DeleteObject', {}), { status: 204, headers: {}, body: '' });
  assert.equal(encodeRestXmlResponse(model, 'DeleteBucket', {}).status, 204);
  assert.deepEqual(encodeRestXmlResponse(model, 'PutObject', { ETag: '"e"' }), { status: 200, headers: { etag: '"e"' }, body: '' });
  assert.equal(encodeRestXmlResponse(model, 'GetBucketPolicy', { Policy: '{"a": 1}' }).body, '{"a": 1}');
});

test('errors: <Error> with details, RequestId and HostId', () => {
  const e = withDetails(new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404), { BucketName: 'b&' });
  const { status, body } = encodeRestXmlError(e, 'req-1');
  assert.equal(status, 404);
  assert.match(
    body,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>b&amp;<\/BucketName><RequestId>req-1<\/RequestId><HostId>[A-Za-z0-9+/=]{44}<\/HostId><\/Error>$/,
  );
});

test('common errors in S3 spelling', () => {
  const map = (e: AwsError) => [e.code, e.status, e.message];
  assert.deepEqual(map(restXmlErrors.sigv4(new SigV4Error('missing', 'x'))), ['AccessDenied', 403, 'Access Denied']);
  assert.deepEqual(map(restXmlErrors.unrecognizedClient('AKIAX')), [
    'InvalidAccessKeyId',
    403,
    'The AWS Access Key Id you provided does not exist in our records.',
  ]);
  assert.deepEqual(map(restXmlErrors.unrecognizedClient('ASIAX')), ['InvalidToken', 400, 'The provided token is malformed or otherwise invalid.']);
  assert.deepEqual(map(restXmlErrors.sigv4(new SigV4Error('signature', 'The request signature we calculated…'))), [
    'SignatureDoesNotMatch',
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ]);
  assert.deepEqual(map(restXmlErrors.sigv4(new SigV4Error('skew', 'Signature expired: 20260101T000000Z is now earlier than …'))).slice(0, 2), [
    'RequestTimeTooSkewed',
    403,
  ]);
  assert.deepEqual(map(restXmlErrors.validation('1 validation error detected')), ['InvalidArgument', 400, '1 validation error detected']);
  assert.deepEqual(map(restXmlErrors.internalFailure()).slice(0, 2), ['InternalError', 500]);
  assert.deepEqual(map(restXmlErrors.accessDenied('User: u is not authorized')), ['AccessDenied', 403, 'User: u is not authorized']);
});

test("multipart results: InitiateMultipartUploadResult, CompleteMultipartUploadResult, ListPartsResult; UploadPart's ETag header; Abort is 204", () => {
  const init = encodeRestXmlResponse(model, 'CreateMultipartUpload', { Bucket: 'b', Key: 'k', UploadId: 'u1', ChecksumAlgorithm: 'CRC32' });
  assert.equal(
    init.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult ${NS}><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>`,
  );
  assert.equal(init.headers['x-amz-checksum-algorithm'], 'CRC32');
  assert.deepEqual(encodeRestXmlResponse(model, 'UploadPart', { ETag: '"e"', ChecksumCRC32: 'AAAA' }), {
    status: 200,
    headers: { etag: '"e"', 'x-amz-checksum-crc32': 'AAAA' },
    body: '',
  });
  assert.equal(
    encodeRestXmlResponse(model, 'CompleteMultipartUpload', { Location: '/b/k', Bucket: 'b', Key: 'k', ETag: '"e-2"' }).body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult ${NS}><Location>/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>"e-2"</ETag></CompleteMultipartUploadResult>`,
  );
  assert.deepEqual(encodeRestXmlResponse(model, 'AbortMultipartUpload', {}), { status: 204, headers: {}, body: '' });
  const parts = encodeRestXmlResponse(model, 'ListParts', {
    Bucket: 'b',
    Key: 'k',
    UploadId: 'u',
    PartNumberMarker: 0,
    NextPartNumberMarker: 1,
    MaxParts: 1,
    IsTruncated: true,
    Parts: [{ PartNumber: 1, LastModified: T, ETag: '"p"', Size: 5 }],
    StorageClass: 'STANDARD',
  });
  assert.match(
    parts.body as string,
    new RegExp(
      `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<ListPartsResult ${NS}><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>1</NextPartNumberMarker><MaxParts>1</MaxParts><IsTruncated>true</IsTruncated><Part><PartNumber>1</PartNumber><LastModified>2026-11-24T10:00:00.000Z</LastModified><ETag>"p"</ETag><Size>5</Size></Part><StorageClass>STANDARD</StorageClass></ListPartsResult>$`,
    ),
  );
  const uploads = encodeRestXmlResponse(model, 'ListMultipartUploads', {
    Bucket: 'b',
    MaxUploads: 1000,
    IsTruncated: false,
    Uploads: [{ UploadId: 'u', Key: 'k', Initiated: T }],
    CommonPrefixes: [{ Prefix: 'p/' }],
  });
  assert.match(
    uploads.body as string,
    /<ListMultipartUploadsResult [^>]+><Bucket>b<\/Bucket><MaxUploads>1000<\/MaxUploads><IsTruncated>false<\/IsTruncated><Upload><UploadId>u<\/UploadId><Key>k<\/Key><Initiated>2026-11-24T10:00:00.000Z<\/Initiated><\/Upload><CommonPrefixes><Prefix>p\/<\/Prefix><\/CommonPrefixes><\/ListMultipartUploadsResult>$/,
  );
});

test('DeleteResult with flattened Deleted and Error; CopyObjectResult and CopyPartResult payloads; an empty TagSet is written', () => {
  const r = encodeRestXmlResponse(model, 'DeleteObjects', { Deleted: [{ Key: 'a' }], Errors: [{ Key: 'b', Code: 'AccessDenied', Message: 'Access Denied' }] });
  assert.equal(
    r.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult ${NS}><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>`,
  );
  assert.equal(
    encodeRestXmlResponse(model, 'DeleteObjects', { Errors: [] }).body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult ${NS}></DeleteResult>`,
  );
  assert.equal(
    encodeRestXmlResponse(model, 'CopyObject', { CopyObjectResult: { ETag: '"e"', LastModified: T } }).body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult ${NS}><ETag>"e"</ETag><LastModified>2026-11-24T10:00:00.000Z</LastModified></CopyObjectResult>`,
  );
  assert.match(
    encodeRestXmlResponse(model, 'UploadPartCopy', { CopyPartResult: { ETag: '"e"', LastModified: T } }).body as string,
    /^<\?xml[^>]+>\n<CopyPartResult [^>]+><ETag>"e"<\/ETag><LastModified>/,
  );
  assert.equal(
    encodeRestXmlResponse(model, 'GetObjectTagging', { TagSet: [] }).body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Tagging ${NS}><TagSet></TagSet></Tagging>`,
  );
});
