/**
 * The delivery loop against a real (in-memory SQLite) store and an in-memory bucket service, driven
 * by an injected clock (docs/architecture.md#delivery): AWS key layout and byte-exact bodies, scope, digests and their
 * chain, the final digest on stop, exactly once across a crash, backoff and error status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { closeSession } from './sessions.ts';
import { ACCOUNT, MemoryTarget, at, delivery, loggingTrail, memoryStore, plus, record } from './testing.ts';
import type { Store } from '../store/types.ts';

const T0 = at('2026-03-04T05:06:07Z');
const LOG_PREFIX = `logs/AWSLogs/${ACCOUNT}/CloudTrail/`;
const DIGEST_PREFIX = `logs/AWSLogs/${ACCOUNT}/CloudTrail-Digest/`;

const body = (t: MemoryTarget, key: string) => gunzipSync(t.objects.get(key)!.body).toString('utf8');
const records = (t: MemoryTarget) => t.keys(LOG_PREFIX).flatMap((k) => (JSON.parse(body(t, k)).Records as { eventID: string }[]).map((r) => r.eventID));
const idOf = (json: string) => (JSON.parse(json) as { eventID: string }).eventID;

async function stop(store: Store, trailId: number, now: Date): Promise<string> {
  const requestId = 'req-stop-1';
  const trail = (await store.trails.getTrail(trailId))!;
  await store.transaction((tx) => closeSession(tx, trail, now, { eventName: 'StopLogging', requestId }));
  // the closing call's own record, as the pipeline appends it after the handler
  return record(store, { name: 'StopLogging', source: 'cloudtrail.amazonaws.com', readOnly: false, requestId });
}

test('a log file per region and batch: AWS key layout, {"Records":[…]} of the stored texts byte for byte, in sequence order', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  await record(store, { name: 'Before' });
  const trail = await loggingTrail(store, T0);
  const a = await record(store);
  await record(store, { region: 'eu-west-1' });
  const b = await record(store, { name: 'CreateProject', readOnly: false });
  const report = await delivery(store, target).tick(plus(T0, 1));
  assert.equal(report.records, 2);
  const [key, ...more] = target.keys(LOG_PREFIX);
  assert.equal(more.length, 0);
  assert.match(
    key!,
    /^logs\/AWSLogs\/000000000000\/CloudTrail\/us-east-1\/2026\/03\/04\/000000000000_CloudTrail_us-east-1_20260304T0506Z_[A-Za-z0-9]{16}\.json\.gz$/,
  );
  assert.equal(body(target, key!), `{"Records":[${a},${b}]}`);
  assert.deepEqual([target.objects.get(key!)!.contentType, target.objects.get(key!)!.contentEncoding], ['application/json', 'gzip']);
  assert.equal((await store.trails.getTrail(trail.id))!.status.latestDeliveryTime?.toISOString(), plus(T0, 1).toISOString());
  assert.equal((await delivery(store, target).tick(plus(T0, 2))).records, 0, 'nothing twice');
  await store.close();
});

test('a multi-region trail writes each region under its own folder, and a digest chain per region', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  await loggingTrail(store, T0, { isMultiRegionTrail: true });
  await record(store);
  await record(store, { region: 'eu-west-1' });
  const d = delivery(store, target, 60);
  await d.tick(plus(T0, 1));
  assert.deepEqual(
    target.keys(LOG_PREFIX).map((k) => k.split('/')[4]),
    ['eu-west-1', 'us-east-1'],
  );
  await d.tick(plus(T0, 61));
  assert.deepEqual(
    target.keys(DIGEST_PREFIX).map((k) => k.split('/')[4]),
    ['eu-west-1', 'us-east-1'],
  );
  assert.match(target.keys(DIGEST_PREFIX + 'eu-west-1/')[0]!, /000000000000_CloudTrail-Digest_eu-west-1_main_us-east-1_20260304T050707Z\.json\.gz$/);
  await store.close();
});

test('selectors and IncludeGlobalServiceEvents choose what is delivered', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  await loggingTrail(store, T0, {
    includeGlobalServiceEvents: false,
    selectors: { kind: 'basic', selectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] },
  });
  await record(store, { readOnly: true });
  const w = await record(store, { readOnly: false });
  await record(store, { readOnly: false, source: 'iam.amazonaws.com' });
  await delivery(store, target).tick(plus(T0, 1));
  assert.deepEqual(records(target), [idOf(w)]);
  await store.close();
});

test('digests: one per interval, even empty; signed as AWS documents; chained by previous signature, object and hash', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  await loggingTrail(store, T0);
  await record(store);
  const d = delivery(store, target, 60);
  await d.tick(plus(T0, 1));
  await d.tick(plus(T0, 60));
  await d.tick(plus(T0, 125));
  const keys = target.keys(DIGEST_PREFIX);
  assert.deepEqual(
    keys.map((k) => k.slice(-24, -8)),
    ['20260304T050707Z', '20260304T050807Z'],
  );
  const [first, second] = keys.map((k) => ({ key: k.slice('logs/'.length), o: target.objects.get(k)!, json: JSON.parse(body(target, k)) }));
  const [signingKey] = await store.trails.listSigningKeys('us-east-1');
  const publicKey = createPublicKey({ key: signingKey!.publicKeyDer, format: 'der', type: 'pkcs1' });
  for (const dgs of [first!, second!]) {
    assert.equal(dgs.json.digestS3Object, dgs.key);
    assert.equal(dgs.json.digestPublicKeyFingerprint, createHash('md5').update(signingKey!.publicKeyDer).digest('hex'));
    assert.equal(dgs.o.metadata['signature-algorithm'], 'SHA256withRSA');
    const raw = gunzipSync(dgs.o.body);
    const toSign = `${dgs.json.digestEndTime}\nlogs/${dgs.key}\n${createHash('sha256').update(raw).digest('hex')}\n${dgs.json.previousDigestSignature ?? 'null'}`;
    assert.ok(verify('sha256', Buffer.from(toSign), publicKey, Buffer.from(dgs.o.metadata.signature!, 'hex')), 'signature verifies');
  }
  assert.equal(first!.json.previousDigestSignature, null);
  assert.equal(first!.json.logFiles.length, 1);
  const log = target.keys(LOG_PREFIX)[0]!;
  assert.equal(
    first!.json.logFiles[0].hashValue,
    createHash('sha256')
      .update(gunzipSync(target.objects.get(log)!.body))
      .digest('hex'),
  );
  assert.deepEqual([first!.json.digestStartTime, first!.json.digestEndTime], ['2026-03-04T05:06:07Z', '2026-03-04T05:07:07Z']);
  assert.deepEqual(second!.json.logFiles, []);
  assert.deepEqual([second!.json.newestEventTime, second!.json.oldestEventTime], [null, null]);
  assert.equal(second!.json.previousDigestSignature, first!.o.metadata.signature);
  assert.equal(second!.json.previousDigestS3Object, first!.key);
  assert.equal(second!.json.previousDigestHashValue, createHash('sha256').update(gunzipSync(first!.o.body)).digest('hex'));
  await store.close();
});

test('StopLogging: records up to the StopLogging record itself are delivered, then a final digest; later records are not', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  const trail = await loggingTrail(store, T0);
  const a = await record(store);
  const stopRecord = await stop(store, trail.id, plus(T0, 30));
  await record(store, { name: 'After' });
  const d = delivery(store, target, 3600);
  await d.tick(plus(T0, 31));
  assert.deepEqual(records(target), [idOf(a), idOf(stopRecord)]);
  const digests = target.keys(DIGEST_PREFIX);
  assert.equal(digests.length, 1);
  const final = JSON.parse(body(target, digests[0]!));
  assert.deepEqual([final.digestStartTime, final.digestEndTime, final.logFiles.length], ['2026-03-04T05:06:07Z', '2026-03-04T05:06:37Z', 1]);
  assert.deepEqual(await store.trails.listSessions(trail.id), [], 'the session is finished');
  await d.tick(plus(T0, 4000));
  assert.equal(target.keys(DIGEST_PREFIX).length, 1, 'no digest after the final one');
  await store.close();
});

test('exactly once across a crash between writing a file and committing: the retry rewrites the same object, byte for byte', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  await loggingTrail(store, T0);
  const sent = [await record(store), await record(store)];
  target.afterPut = () => {
    target.afterPut = undefined;
    throw new Error('process killed');
  };
  await delivery(store, target)
    .tick(plus(T0, 1))
    .catch(() => {});
  const [key] = target.keys(LOG_PREFIX);
  const firstBytes = Buffer.from(target.objects.get(key!)!.body);
  sent.push(await record(store));
  // a new process (the old one's lease has run out)
  await delivery(store, target).tick(plus(T0, 120));
  const keys = target.keys(LOG_PREFIX);
  assert.equal(keys.length, 2);
  assert.ok(keys.includes(key!));
  assert.deepEqual(target.objects.get(key!)!.body, firstBytes);
  assert.deepEqual(records(target).sort(), sent.map(idOf).sort(), 'every record exactly once');
  await store.close();
});

test('an unreachable bucket: the error shows in the status, retries back off, nothing is dropped', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs');
  const trail = await loggingTrail(store, T0);
  const a = await record(store);
  target.failWith = 'ECONNREFUSED';
  const d = delivery(store, target);
  assert.deepEqual((await d.tick(plus(T0, 1))).failed, [trail.arn]);
  let status = (await store.trails.getTrail(trail.id))!.status;
  assert.deepEqual([status.latestDeliveryError, status.failures, status.nextAttemptAt?.toISOString()], ['ECONNREFUSED', 1, plus(T0, 2).toISOString()]);
  await d.tick(plus(T0, 2));
  status = (await store.trails.getTrail(trail.id))!.status;
  assert.deepEqual([status.failures, status.nextAttemptAt?.toISOString()], [2, plus(T0, 4).toISOString()]);
  await d.tick(plus(T0, 3));
  assert.equal((await store.trails.getTrail(trail.id))!.status.failures, 2, 'not retried before the backoff ends');
  target.failWith = undefined;
  const b = await record(store);
  await d.tick(plus(T0, 4));
  status = (await store.trails.getTrail(trail.id))!.status;
  assert.deepEqual([status.latestDeliveryError, status.failures], [undefined, 0]);
  assert.deepEqual(records(target), [idOf(a), idOf(b)]);
  await store.close();
});

test('a bucket whose policy no longer lets CloudTrail write is a delivery error (AccessDenied), as on AWS', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs', null);
  const trail = await loggingTrail(store, T0);
  await record(store);
  await delivery(store, target).tick(plus(T0, 1));
  assert.equal((await store.trails.getTrail(trail.id))!.status.latestDeliveryError, 'AccessDenied');
  assert.equal(target.puts, 0);
  await store.close();
});
