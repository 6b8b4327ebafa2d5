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
  // S3 features not served: refused, never answered by the plain bucket/object operation
  ['GET', '/b', 'acl', 'NotImplemented'],
  ['GET', '/b', 'versioning', 'NotImplemented'],
  ['PUT', '/b', 'tagging', 'NotImplemented'],
  ['POST', '/b', 'delete', 'NotImplemented'],
  ['POST', '/b/k', 'uploads', 'NotImplemented'],
  ['PUT', '/b/k', 'partNumber=1&uploadId=u', 'NotImplemented'],
  ['GET', '/b/k', 'acl', 'NotImplemented'],
  ['PUT', '/b/k', 'x-id=CopyObject', 'NotImplemented'],
  ['GET', '/b', 'list-type=1', 'NotImplemented'],
  ['POST', '/b/k', '', 'MethodNotAllowed'],
  ['POST', '/', '', 'MethodNotAllowed'],
  ['PUT', '/', '', 'MethodNotAllowed'],
];

for (const [method, path, query, expected] of table) {
  test(`route: ${method} ${path}${query ? `?${query}` : ''} → ${expected}`, () => {
    assert.equal(op(method, path, query), expected);
  });
}

test('route: a PUT with x-amz-copy-source is CopyObject, which is not served', () => {
  assert.equal(op('PUT', '/b/k', '', { 'x-amz-copy-source': '/a/b' }), 'NotImplemented');
});
