/** Smithy RPC v2 CBOR bodies: decoding against the model (types, tag-1 timestamps, gzip), bad bytes as SerializationException, encoding. */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { AwsError } from '../../errors/aws-error.ts';
import { loadModel } from '../model.ts';
import { decodeCbor, encodeCborValue, parseCborBody, requestBody, serializeCbor } from './index.ts';
import { errorShapeName, rpcPath, rpcv2Cbor } from './protocol.ts';

const model = loadModel('cloudwatch');
const req = (body: Buffer, headers: Record<string, string> = {}) => ({ method: 'POST', rawPath: '/', rawQuery: '', headers, body });

test('a PutMetricData body decodes with tag-1 timestamps, integers and floats', () => {
  const body = serializeCbor({
    Namespace: 'App',
    MetricData: [
      {
        MetricName: 'Latency',
        Timestamp: dateToTag(new Date(1_700_000_000_500)),
        Value: 1.5,
        StorageResolution: 60,
        Dimensions: [{ Name: 'Host', Value: 'a' }],
      },
    ],
    Unknown: 'ignored',
  });
  const input = rpcv2Cbor.decode(model, 'PutMetricData', req(body));
  assert.deepEqual(input, {
    Namespace: 'App',
    MetricData: [
      { MetricName: 'Latency', Timestamp: new Date(1_700_000_000_500), Value: 1.5, StorageResolution: 60, Dimensions: [{ Name: 'Host', Value: 'a' }] },
    ],
  });
});

test('a gzipped body (Content-Encoding: gzip) is inflated; bad gzip and unknown encodings are SerializationException', () => {
  const body = gzipSync(serializeCbor({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 2 }] }));
  assert.deepEqual(rpcv2Cbor.decode(model, 'PutMetricData', req(body, { 'content-encoding': 'gzip' })), {
    Namespace: 'App',
    MetricData: [{ MetricName: 'm', Value: 2 }],
  });
  assert.throws(
    () => requestBody(req(Buffer.from('not gzip'), { 'content-encoding': 'gzip' }), 1000),
    (e: AwsError) => e.code === 'SerializationException' && e.status === 400,
  );
  assert.throws(
    () => requestBody(req(Buffer.from('x'), { 'content-encoding': 'br' }), 1000),
    (e: AwsError) => e.code === 'SerializationException',
  );
  const bomb = gzipSync(Buffer.alloc(100_000));
  assert.throws(
    () => requestBody(req(bomb, { 'content-encoding': 'gzip' }), 1000),
    (e: AwsError) => e.status === 413,
  );
});

test('bytes that are not CBOR, or not a map, are SerializationException; an empty body is {}', () => {
  for (const bad of [Buffer.from([0xff, 0x00]), Buffer.from([0xa1]), Buffer.from([0x83, 0x01]), serializeCbor([1, 2]), serializeCbor('text')]) {
    assert.throws(
      () => parseCborBody(bad),
      (e: AwsError) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400,
    );
  }
  assert.deepEqual(parseCborBody(Buffer.alloc(0)), {});
});

test('wrong member types are SerializationException naming the member', () => {
  assert.throws(
    () => decodeCbor(model, 'PutMetricDataInput', { Namespace: 5 }),
    (e: AwsError) => e.code === 'SerializationException' && e.message === "NUMBER_VALUE can not be converted to a String at 'Namespace'",
  );
  assert.throws(
    () => decodeCbor(model, 'GetMetricStatisticsInput', { Period: 1.5 }),
    (e: AwsError) => /an Integer at 'Period'/.test(e.message),
  );
  assert.throws(
    () => decodeCbor(model, 'GetMetricStatisticsInput', { StartTime: 'yesterday' }),
    (e: AwsError) => /a Timestamp at 'StartTime'/.test(e.message),
  );
  assert.deepEqual(decodeCbor(model, 'GetMetricStatisticsInput', { Period: 60n, StartTime: 1_700_000_000 }), {
    Period: 60,
    StartTime: new Date(1_700_000_000_000),
  });
});

test('results encode Dates as tag 1 and answer smithy-protocol; errors name their shape', () => {
  const out = encodeCborValue(model, 'GetMetricStatisticsOutput', { Label: 'm', Datapoints: [{ Timestamp: new Date(60_000), Sum: 3 }] });
  const back = cbor.deserialize(serializeCbor(out)) as { Datapoints: { Timestamp: { tag: number; value: number } }[] };
  assert.equal(back.Datapoints[0]?.Timestamp.tag, 1);
  assert.equal(back.Datapoints[0]?.Timestamp.value, 60);
  const res = rpcv2Cbor.encodeError(model, new AwsError('InvalidParameterValue', 'bad', 400), { requestId: 'r' });
  assert.equal(res.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(res.headers['content-type'], 'application/cbor');
  assert.deepEqual(cbor.deserialize(res.body as Buffer), { __type: 'InvalidParameterValueException', message: 'bad' });
  assert.equal(errorShapeName(model, 'ResourceNotFound'), 'ResourceNotFound');
  assert.equal(errorShapeName(model, 'LimitExceeded'), 'LimitExceededFault');
});

test('rpcPath reads /service/<name>/operation/<op> only', () => {
  assert.deepEqual(rpcPath('/service/GraniteServiceVersion20100801/operation/ListMetrics'), {
    service: 'GraniteServiceVersion20100801',
    operation: 'ListMetrics',
  });
  assert.equal(rpcPath('/service/x/operation/'), undefined);
  assert.equal(rpcPath('/bucket/key'), undefined);
  assert.equal(rpcPath('/service/%E0%A4%A/operation/x'), undefined);
});
