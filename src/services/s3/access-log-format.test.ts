import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../protocol/model.ts';
import { hostId } from '../../protocol/rest-xml/errors.ts';
import { accessLogLine, logKey, logObjectKey, logTime, parseLogLine, uniqueString, type S3Record } from './access-log-format.ts';
import { owner } from './owner.ts';

const model = loadModel('s3');

const getObject: S3Record = {
  eventTime: '2026-02-06T00:00:38Z',
  eventName: 'GetObject',
  awsRegion: 'us-east-1',
  sourceIPAddress: '192.0.2.3',
  userAgent: 'aws-sdk-js/3.0 "quoted"',
  requestID: '3E57427F3EXAMPLE',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' },
  requestParameters: { bucketName: 'src', Host: '127.0.0.1:4566', key: 'photos/2019/08/puppy dog.jpg' },
  responseElements: null,
  additionalEventData: { SignatureVersion: 'SigV4', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', bytesTransferredOut: 2662992 },
  recipientAccountId: '123456789012',
};

test('a GetObject line has every field of LogFormat.html, in order', () => {
  const fields = accessLogLine(model, getObject, 'src', '123456789012');
  assert.equal(
    fields,
    [
      owner('123456789012').ID,
      'src',
      '[06/Feb/2026:00:00:38 +0000]',
      '192.0.2.3',
      'arn:aws:iam::123456789012:user/alice',
      '3E57427F3EXAMPLE',
      'REST.GET.OBJECT',
      'photos/2019/08/puppy%20dog.jpg',
      '"GET /src/photos/2019/08/puppy%20dog.jpg HTTP/1.1"',
      '200',
      '-',
      '2662992',
      '2662992',
      '-',
      '-',
      '-',
      '"aws-sdk-js/3.0 \\"quoted\\""',
      '-',
      hostId('3E57427F3EXAMPLE'),
      'SigV4',
      '-',
      'AuthHeader',
      '127.0.0.1:4566',
      '-',
      '-',
      '-',
    ].join(' '),
  );
});

test('errors, anonymous callers, writes, deletes and bucket subresources', () => {
  const denied = parseLogLine(
    accessLogLine(
      model,
      { ...getObject, errorCode: 'NoSuchKey', userIdentity: { type: 'AWSAccount', accountId: 'anonymous' }, additionalEventData: { bytesTransferredOut: 0 } },
      'src',
      '123456789012',
    ),
  );
  assert.deepEqual([denied[4], denied[9], denied[10], denied[11], denied[12]], ['-', '404', 'NoSuchKey', '-', '-']);
  assert.equal(denied[19], '-', 'an unsigned call has no signature version');

  const put = parseLogLine(
    accessLogLine(
      model,
      {
        ...getObject,
        eventName: 'PutObject',
        responseElements: { 'x-amz-version-id': 'v1' },
        additionalEventData: { SignatureVersion: 'SigV4', bytesTransferredIn: 5, AuthenticationMethod: 'QueryString', bytesTransferredOut: 0 },
      },
      'src',
      '123456789012',
    ),
  );
  assert.deepEqual([put[6], put[9], put[11], put[12], put[17], put[21]], ['REST.PUT.OBJECT', '200', '-', '5', 'v1', 'QueryString']);

  const del = parseLogLine(accessLogLine(model, { ...getObject, eventName: 'DeleteObject', additionalEventData: {} }, 'src', '123456789012'));
  assert.deepEqual([del[6], del[9]], ['REST.DELETE.OBJECT', '204']);

  const tagging = parseLogLine(
    accessLogLine(model, { ...getObject, eventName: 'GetBucketTagging', requestParameters: { bucketName: 'src', tagging: '' } }, 'src', '123456789012'),
  );
  assert.deepEqual([tagging[6], tagging[7], tagging[8]], ['REST.GET.TAGGING', '-', 'GET /src?tagging HTTP/1.1']);
  const logging = accessLogLine(model, { ...getObject, eventName: 'PutBucketLogging', requestParameters: { bucketName: 'src' } }, 'src', '1');
  assert.match(logging, / REST\.PUT\.LOGGING_STATUS - "PUT \/src\?logging HTTP\/1\.1" 200 /);
});

test('parseLogLine reads the fields back', () => {
  const f = parseLogLine(accessLogLine(model, getObject, 'src', '123456789012'));
  assert.equal(f.length, 26);
  assert.deepEqual([f[2], f[8], f[16]], ['06/Feb/2026:00:00:38 +0000', 'GET /src/photos/2019/08/puppy%20dog.jpg HTTP/1.1', 'aws-sdk-js/3.0 "quoted"']);
});

test('the time field and keys as S3 writes them', () => {
  assert.equal(logTime(new Date('2026-12-31T23:59:09Z')), '[31/Dec/2026:23:59:09 +0000]');
  assert.equal(logKey('a b/c+d/é'), 'a%20b/c%2Bd/%C3%A9');
});

test('log object keys: SimplePrefix and PartitionedPrefix, the unique string fixed by bucket and first record', () => {
  const t = new Date('2026-03-04T05:06:07Z');
  const u = uniqueString('src', 42);
  assert.match(u, /^[0-9A-F]{16}$/);
  assert.equal(uniqueString('src', 42), u, 'a replay names the same object');
  assert.notEqual(uniqueString('src', 43), u);
  assert.notEqual(uniqueString('other', 42), u);
  const source = { bucket: 'src', accountId: '123456789012', region: 'eu-west-1' };
  assert.equal(logObjectKey({ TargetPrefix: 'logs/' }, source, t, u), `logs/2026-03-04-05-06-07-${u}`);
  assert.equal(logObjectKey({ TargetPrefix: 'logs/', TargetObjectKeyFormat: { SimplePrefix: {} } }, source, t, u), `logs/2026-03-04-05-06-07-${u}`);
  assert.equal(
    logObjectKey({ TargetPrefix: 'logs/', TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } } }, source, t, u),
    `logs/123456789012/eu-west-1/src/2026/03/04/2026-03-04-05-06-07-${u}`,
  );
});
