/**
 * aws-chunked bodies: one captured from @aws-sdk/client-s3 3.1173 (PutObject of a stream, default
 * checksums), one with signed chunks in the S3 streaming format, and the framing errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModel } from '../model.ts';
import { decodeAwsChunked, isAwsChunked, withoutAwsChunked } from './aws-chunked.ts';
import { decodeRestXml } from './decode.ts';

/** As sent by the JS SDK: content-encoding aws-chunked, x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER, x-amz-trailer x-amz-checksum-crc32. */
const SDK_BODY = Buffer.from('6\r\nhello \r\nd\r\nchunked world\r\n0\r\nx-amz-checksum-crc32:B1kk+w==\r\n\r\n', 'latin1');
const SDK_HEADERS = {
  'content-encoding': 'aws-chunked',
  'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'x-amz-decoded-content-length': '19',
  'x-amz-trailer': 'x-amz-checksum-crc32',
  'x-amz-sdk-checksum-algorithm': 'CRC32',
  'content-type': 'application/octet-stream',
};

test('aws-chunked: the SDK body decodes to its payload and trailing checksum', () => {
  const d = decodeAwsChunked(SDK_BODY);
  assert.equal(d.payload.toString(), 'hello chunked world');
  assert.deepEqual(d.trailers, { 'x-amz-checksum-crc32': 'B1kk+w==' });
  assert.deepEqual(d.chunkSignatures, []);
});

test('aws-chunked: signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) keep only the bytes', () => {
  const sig = (c: string) => c.repeat(64);
  const data = Buffer.alloc(8192, 0x61);
  const body = Buffer.concat([
    Buffer.from(`2000;chunk-signature=${sig('a')}\r\n`),
    data,
    Buffer.from('\r\n'),
    Buffer.from(`5;chunk-signature=${sig('b')}\r\nhello\r\n`),
    Buffer.from(`0;chunk-signature=${sig('c')}\r\n\r\n`),
  ]);
  const d = decodeAwsChunked(body);
  assert.equal(d.payload.length, 8197);
  assert.ok(d.payload.subarray(8192).equals(Buffer.from('hello')));
  assert.deepEqual(d.chunkSignatures, [sig('a'), sig('b'), sig('c')]);
});

test('aws-chunked: truncated or malformed framing is refused', () => {
  for (const bad of ['6\r\nhello', 'zz\r\nhello \r\n0\r\n\r\n', '6\r\nhello !!\r\n0\r\n\r\n', '6\r\nhello ', '0\r\nno-colon\r\n\r\n']) {
    assert.throws(() => decodeAwsChunked(Buffer.from(bad)), /chunk|trailer/, JSON.stringify(bad));
  }
});

test('aws-chunked: detected by content-encoding or a STREAMING- payload hash; the token is not stored', () => {
  assert.equal(isAwsChunked('aws-chunked', undefined), true);
  assert.equal(isAwsChunked('gzip, aws-chunked', undefined), true);
  assert.equal(isAwsChunked(undefined, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'), true);
  assert.equal(isAwsChunked('gzip', 'UNSIGNED-PAYLOAD'), false);
  assert.equal(withoutAwsChunked('aws-chunked'), undefined);
  assert.equal(withoutAwsChunked('aws-chunked,gzip'), 'gzip');
});

test('PutObject decoding unframes the body, takes the trailer checksum and the decoded length', () => {
  const input = decodeRestXml(loadModel('s3'), 'PutObject', { rawPath: '/b/k', rawQuery: 'x-id=PutObject', headers: SDK_HEADERS, body: SDK_BODY });
  assert.equal((input.Body as Buffer).toString(), 'hello chunked world');
  assert.deepEqual(
    [input.ChecksumCRC32, input.ContentEncoding, input.ContentType, input.ChecksumAlgorithm],
    ['B1kk+w==', undefined, 'application/octet-stream', 'CRC32'],
  );
});

test('PutObject decoding refuses a wrong trailing checksum (BadDigest) and a wrong decoded length (IncompleteBody)', () => {
  const model = loadModel('s3');
  const tampered = Buffer.from(SDK_BODY.toString('latin1').replace('hello ', 'jello '), 'latin1');
  assert.throws(() => decodeRestXml(model, 'PutObject', { rawPath: '/b/k', rawQuery: '', headers: SDK_HEADERS, body: tampered }), {
    code: 'BadDigest',
    status: 400,
  });
  assert.throws(
    () =>
      decodeRestXml(model, 'PutObject', { rawPath: '/b/k', rawQuery: '', headers: { ...SDK_HEADERS, 'x-amz-decoded-content-length': '20' }, body: SDK_BODY }),
    { code: 'IncompleteBody' },
  );
});
