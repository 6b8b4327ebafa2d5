/**
 * The record form of S3 requests (what CloudTrail's requestParameters hold), attached by decoding
 * and taken as it is by the audit's recordObject: shapes of AWS's own S3 records (CopyObject,
 * PutObject, PutBucketLifecycle and DeleteObjects records as AWS documents and writes them: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { recordObject } from '../../audit/parameters.ts';
import { loadModel } from '../model.ts';
import { decodeRestXml } from './decode.ts';
import { RECORD_FORM } from './record.ts';

const model = loadModel('s3');
const HOST = { host: '127.0.0.1:4600' };
const recorded = (operation: string, rawPath: string, rawQuery: string, headers: Record<string, string> = {}, body = Buffer.alloc(0)) => {
  const input = decodeRestXml(model, operation, { rawPath, rawQuery, headers: { ...HOST, ...headers }, body });
  return recordObject(model, model.operations[operation]!.input, input, { commaAfterYear: true });
};
const md5 = (b: Buffer) => ({ 'content-md5': createHash('md5').update(b).digest('base64') });

test('object calls: bucketName, Host, the query as sent (x-id, subresources as ""), key; never the bytes', () => {
  assert.deepEqual(recorded('UploadPart', '/b/dir/a%20b', 'x-id=UploadPart&partNumber=2&uploadId=u-1', {}, Buffer.from('bytes')), {
    bucketName: 'b',
    Host: '127.0.0.1:4600',
    'x-id': 'UploadPart',
    partNumber: '2',
    uploadId: 'u-1',
    key: 'dir/a b',
  });
  assert.deepEqual(recorded('CreateMultipartUpload', '/b/k', 'uploads', { 'content-type': 'text/plain' }), {
    bucketName: 'b',
    Host: '127.0.0.1:4600',
    uploads: '',
    key: 'k',
  });
  assert.deepEqual(recorded('PutObject', '/b/k', '', { 'x-amz-acl': 'bucket-owner-full-control' }, Buffer.from('x')), {
    bucketName: 'b',
    Host: '127.0.0.1:4600',
    'x-amz-acl': 'bucket-owner-full-control',
    key: 'k',
  });
  assert.deepEqual(recorded('CopyObject', '/b/copy', '', { 'x-amz-copy-source': 'b/src%20key' }), {
    bucketName: 'b',
    Host: '127.0.0.1:4600',
    'x-amz-copy-source': 'b/src%20key',
    key: 'copy',
  });
  const presigned = recorded('GetObject', '/b/k', 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60&X-Amz-Signature=abc');
  assert.deepEqual(presigned, { bucketName: 'b', Host: '127.0.0.1:4600', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Expires': '60', key: 'k' });
});

test('DeleteObjects and CompleteMultipartUpload: their XML lists are not recorded', () => {
  const del = Buffer.from('<Delete><Object><Key>secret-name</Key></Object><Quiet>true</Quiet></Delete>');
  assert.deepEqual(recorded('DeleteObjects', '/b', 'delete', md5(del), del), { bucketName: 'b', Host: '127.0.0.1:4600', delete: '' });
  const done = Buffer.from('<CompleteMultipartUpload><Part><ETag>e</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>');
  assert.deepEqual(recorded('CompleteMultipartUpload', '/b/k', 'uploadId=u', {}, done), { bucketName: 'b', Host: '127.0.0.1:4600', uploadId: 'u', key: 'k' });
});

test('bucket calls: a configuration body as its root element with xmlns; a policy as bucketPolicy', () => {
  const cfg = Buffer.from(
    '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
  );
  assert.deepEqual(recorded('CreateBucket', '/b', '', {}, cfg), {
    bucketName: 'b',
    Host: '127.0.0.1:4600',
    CreateBucketConfiguration: { LocationConstraint: 'eu-west-1', xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
  });
  const policy = Buffer.from('{"Version":"2012-10-17","Statement":[]}');
  assert.deepEqual(recorded('PutBucketPolicy', '/b', 'policy', md5(policy), policy), {
    bucketName: 'b',
    Host: '127.0.0.1:4600',
    bucketPolicy: { Version: '2012-10-17', Statement: [] },
    policy: '',
  });
  assert.deepEqual(recorded('ListMultipartUploads', '/b', 'uploads&prefix=a%2F'), { bucketName: 'b', Host: '127.0.0.1:4600', uploads: '', prefix: 'a/' });
});

test("the record form is not an input member: hidden from enumeration and from the handler's view of the input", () => {
  const input = decodeRestXml(model, 'ListParts', { rawPath: '/b/k', rawQuery: 'uploadId=u', headers: HOST, body: Buffer.alloc(0) });
  assert.deepEqual(Object.keys(input), ['Bucket', 'Key', 'UploadId']);
  assert.deepEqual((input as Record<symbol, unknown>)[RECORD_FORM], { bucketName: 'b', Host: '127.0.0.1:4600', uploadId: 'u', key: 'k' });
});

test('ListBuckets, which has no input members, records the Host', () => {
  const input = decodeRestXml(model, 'ListBuckets', { rawPath: '/', rawQuery: 'x-id=ListBuckets', headers: HOST, body: Buffer.alloc(0) });
  assert.deepEqual([input, recordObject(model, undefined, input, { commaAfterYear: true })], [{}, { Host: '127.0.0.1:4600', 'x-id': 'ListBuckets' }]);
});
