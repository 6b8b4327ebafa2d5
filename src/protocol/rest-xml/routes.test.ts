/** The S3 routing table: method + path shape + query → operation, from the generated model. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModel } from '../model.ts';
import { pathKind, routeRequest } from './routes.ts';

const model = loadModel('s3');
const op = (method: string, path: string, query = '', headers: Record<string, string> = {}) => {
  const r = routeRequest(model, method, path, query, headers);
  return 'operation' in r ? r.operation : r.refusal;
};

test('path shapes: service, bucket (with or without a trailing slash), object', () => {
  assert.equal(pathKind('/'), 'service');
  assert.equal(pathKind(''), 'service');
  assert.equal(pathKind('/b'), 'bucket');
  assert.equal(pathKind('/b/'), 'bucket');
  assert.equal(pathKind('/b/k'), 'object');
  assert.equal(pathKind('/b//'), 'object'); // key "/"
  assert.equal(pathKind('/b/a/b/c'), 'object');
});

const table: [method: string, path: string, query: string, expected: string][] = [
  ['GET', '/', '', 'ListBuckets'],
  ['GET', '/', 'x-id=ListBuckets', 'ListBuckets'],
  ['PUT', '/b', '', 'CreateBucket'],
  ['HEAD', '/b', '', 'HeadBucket'],
  ['DELETE', '/b', '', 'DeleteBucket'],
  ['GET', '/b', '', 'ListObjects'],
  ['GET', '/b', 'marker=x&encoding-type=url', 'ListObjects'],
  ['GET', '/b/', 'prefix=a%2F&delimiter=%2F', 'ListObjects'],
  ['GET', '/b', 'list-type=2', 'ListObjectsV2'],
  ['GET', '/b', 'list-type=2&continuation-token=abc&start-after=k', 'ListObjectsV2'],
  ['GET', '/b', 'location', 'GetBucketLocation'],
  ['GET', '/b', 'location=', 'GetBucketLocation'],
  ['PUT', '/b', 'policy', 'PutBucketPolicy'],
  ['GET', '/b', 'policy', 'GetBucketPolicy'],
  ['DELETE', '/b', 'policy', 'DeleteBucketPolicy'],
  ['PUT', '/b/k', '', 'PutObject'],
  ['PUT', '/b/k', 'x-id=PutObject', 'PutObject'],
  ['GET', '/b/dir/k.txt', '', 'GetObject'],
  ['GET', '/b/k', 'x-id=GetObject&response-content-type=text%2Fplain', 'GetObject'],
  ['HEAD', '/b/k', '', 'HeadObject'],
  ['DELETE', '/b/k', 'x-id=DeleteObject', 'DeleteObject'],
  // multipart upload and multi-object delete: told apart from the plain operations by their query
  ['POST', '/b', 'delete', 'DeleteObjects'],
  ['POST', '/b', 'delete=', 'DeleteObjects'],
  ['POST', '/b/k', 'uploads', 'CreateMultipartUpload'],
  ['POST', '/b/k', 'uploads&x-id=CreateMultipartUpload', 'CreateMultipartUpload'],
  ['PUT', '/b/k', 'partNumber=1&uploadId=u', 'UploadPart'],
  ['PUT', '/b/k', 'x-id=UploadPart&partNumber=1&uploadId=u', 'UploadPart'],
  ['POST', '/b/k', 'uploadId=u', 'CompleteMultipartUpload'],
  ['DELETE', '/b/k', 'uploadId=u', 'AbortMultipartUpload'],
  ['GET', '/b/k', 'uploadId=u', 'ListParts'],
  ['GET', '/b/k', 'uploadId=u&max-parts=2&part-number-marker=1', 'ListParts'],
  ['GET', '/b', 'uploads', 'ListMultipartUploads'],
  ['GET', '/b', 'uploads&prefix=a&key-marker=k', 'ListMultipartUploads'],
  ['GET', '/b/k', 'tagging', 'GetObjectTagging'],
  ['GET', '/b/k', 'partNumber=1', 'GetObject'],
  ['PUT', '/b', 'tagging', 'PutBucketTagging'],
  ['GET', '/b', 'tagging', 'GetBucketTagging'],
  ['DELETE', '/b', 'tagging', 'DeleteBucketTagging'],
  ['PUT', '/b', 'encryption', 'PutBucketEncryption'],
  ['GET', '/b', 'encryption', 'GetBucketEncryption'],
  ['DELETE', '/b', 'encryption', 'DeleteBucketEncryption'],
  ['PUT', '/b', 'publicAccessBlock', 'PutPublicAccessBlock'],
  ['GET', '/b', 'publicAccessBlock', 'GetPublicAccessBlock'],
  ['DELETE', '/b', 'publicAccessBlock', 'DeletePublicAccessBlock'],
  ['GET', '/b', 'policyStatus', 'GetBucketPolicyStatus'],
  ['PUT', '/b', 'ownershipControls', 'PutBucketOwnershipControls'],
  ['GET', '/b', 'ownershipControls', 'GetBucketOwnershipControls'],
  ['DELETE', '/b', 'ownershipControls', 'DeleteBucketOwnershipControls'],
  ['GET', '/b', 'acl', 'GetBucketAcl'],
  ['PUT', '/b', 'acl', 'PutBucketAcl'],
  ['GET', '/b/k', 'acl', 'GetObjectAcl'],
  ['PUT', '/b/k', 'acl', 'PutObjectAcl'],
  ['PUT', '/b', 'cors', 'PutBucketCors'],
  ['GET', '/b', 'cors', 'GetBucketCors'],
  ['DELETE', '/b', 'cors', 'DeleteBucketCors'],
  // S3 features not served: refused, never answered by the plain bucket/object operation
  ['GET', '/b', 'website', 'NotImplemented'],
  ['GET', '/b', 'versioning', 'GetBucketVersioning'],
  ['PUT', '/b', 'replication', 'NotImplemented'],
  ['PUT', '/b/k', 'tagging', 'PutObjectTagging'],
  ['PUT', '/b/k', 'uploadId=u', 'NotImplemented'],
  ['GET', '/b/k', 'torrent', 'NotImplemented'],
  ['PUT', '/b/k', 'x-id=CopyObject', 'NotImplemented'],
  ['GET', '/b', 'list-type=1', 'NotImplemented'],
  ['POST', '/b/k', '', 'NotImplemented'],
  ['POST', '/', '', 'MethodNotAllowed'],
  ['PUT', '/', '', 'MethodNotAllowed'],
  ['PATCH', '/b/k', '', 'MethodNotAllowed'],
];

for (const [method, path, query, expected] of table) {
  test(`route: ${method} ${path}${query ? `?${query}` : ''} → ${expected}`, () => {
    assert.equal(op(method, path, query), expected);
  });
}

test('route: the x-amz-copy-source header makes a PUT CopyObject, or UploadPartCopy with a part; elsewhere it is refused', () => {
  const copy = { 'x-amz-copy-source': 'a/b' };
  assert.equal(op('PUT', '/b/k', '', copy), 'CopyObject');
  assert.equal(op('PUT', '/b/k', 'x-id=CopyObject', copy), 'CopyObject');
  assert.equal(op('PUT', '/b/k', 'partNumber=2&uploadId=u', copy), 'UploadPartCopy');
  assert.equal(op('PUT', '/b/k', 'x-id=UploadPartCopy&partNumber=2&uploadId=u', copy), 'UploadPartCopy');
  assert.equal(op('GET', '/b/k', '', copy), 'NotImplemented');
  assert.equal(op('POST', '/b/k', 'uploads', copy), 'NotImplemented');
});
