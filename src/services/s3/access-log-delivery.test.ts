/**
 * Server access log delivery (docs/s3.md#server-access-logging), on both backends: each S3 call on a
 * bucket with logging on becomes one line in a log object of its target; a round replayed after a
 * crash between its writes and its cursor's move rewrites the same objects byte for byte (no line
 * twice, none lost); a second node waits for the lease; other buckets and services are not logged.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ACCOUNT, record } from '../../delivery/testing.ts';
import { EmbeddedObjectStore, type ObjectStore } from '../../objects/index.ts';
import { loadModel } from '../../protocol/model.ts';
import { BACKENDS, openTestStore } from '../../store/testing.ts';
import type { Store } from '../../store/types.ts';
import { ACCESS_LOG_CONSUMER, deliverAccessLogs, ensureAccessLogConsumer } from './access-log-delivery.ts';
import { parseLogLine } from './access-log-format.ts';
import type { StoredLogging } from './logging.ts';

const T = new Date('2026-05-06T07:08:09Z');
const later = (s: number) => new Date(T.getTime() + s * 1000);
const model = loadModel('s3');

async function setup(store: Store): Promise<ObjectStore> {
  const objects = await EmbeddedObjectStore.open(join(await mkdtemp(join(tmpdir(), 'startrail-access-logs-')), 'objects'));
  for (const b of ['src', 'tgt', 'quiet']) await objects.createBucket(b, 'us-east-1', T, ACCOUNT);
  const config: StoredLogging = { TargetBucket: 'tgt', TargetPrefix: 'logs/', since: T.toISOString() };
  await objects.putBucketConfig('src', 'logging', JSON.stringify(config));
  await ensureAccessLogConsumer(store, T);
  return objects;
}

const s3Call = (store: Store, requestId: string, bucket = 'src', s = 1) =>
  record(store, {
    source: 's3.amazonaws.com',
    name: 'GetObject',
    requestId,
    time: later(s),
    requestParameters: { bucketName: bucket, Host: 'localhost', key: `k-${requestId}` },
  });

async function logs(objects: ObjectStore): Promise<{ keys: string[]; bodies: string[]; ids: string[] }> {
  const page = await objects.listObjects('tgt', { prefix: 'logs/', maxKeys: 1000 });
  const keys = page.objects.map((o) => o.key);
  const bodies = await Promise.all(keys.map(async (k) => (await objects.getObject('tgt', k))!.body.toString()));
  const ids = bodies.flatMap((b) => b.split('\n').filter(Boolean)).map((l) => parseLogLine(l)[5]!);
  return { keys, bodies, ids };
}

for (const backend of BACKENDS) {
  describe(`S3 access log delivery (${backend})`, () => {
    it('one line per call of a logged bucket; a replayed round rewrites the same objects; one node at a time', async () => {
      const store = await openTestStore(backend, { schemaPrefix: 'access_logs' });
      try {
        const objects = await setup(store);
        const deps = { store, objects, model, accountId: ACCOUNT, owner: 'node-a' };
        await s3Call(store, 'r1');
        await s3Call(store, 'r-other', 'quiet');
        await record(store, { name: 'ListProjects', requestParameters: { bucketName: 'src' } });
        await s3Call(store, 'r2');
        const before = await store.recordConsumers.get(ACCESS_LOG_CONSUMER);

        const first = await deliverAccessLogs(deps, later(5));
        assert.equal(first.objects, 1);
        const one = await logs(objects);
        assert.deepEqual(one.ids, ['r1', 'r2']);
        assert.match(one.keys[0]!, /^logs\/2026-05-06-07-08-10-[0-9A-F]{16}$/);

        // a crash after the writes, before the cursor moved: the cursor is back where the round began,
        // and more calls have come meanwhile
        const moved = await store.recordConsumers.get(ACCESS_LOG_CONSUMER);
        assert.ok(await store.recordConsumers.advance(ACCESS_LOG_CONSUMER, moved!.cursor, before!.cursor));
        await s3Call(store, 'r3', 'src', 20);
        // another node waits while the lease runs
        assert.equal((await deliverAccessLogs({ ...deps, owner: 'node-b' }, later(6))).consumed, 0);
        const replay = await deliverAccessLogs(deps, later(7));
        assert.equal(replay.objects, 1);
        const two = await logs(objects);
        assert.deepEqual(two.keys, one.keys, 'the replay writes the same key');
        assert.deepEqual(two.bodies, one.bodies, 'byte for byte: the plan fixed the round');

        // the next round takes the rest, into a new object
        await deliverAccessLogs(deps, later(8));
        const three = await logs(objects);
        assert.equal(three.keys.length, 2);
        assert.deepEqual(three.ids.sort(), ['r1', 'r2', 'r3']);
        // nothing more: an idle round writes nothing
        assert.deepEqual(await deliverAccessLogs(deps, later(9)), { consumed: 0, more: false, objects: 0 });
      } finally {
        await store.close();
      }
    });

    it('calls from before logging was on, and of buckets whose target is gone, are not written', async () => {
      const store = await openTestStore(backend, { schemaPrefix: 'access_logs' });
      try {
        const objects = await setup(store);
        const deps = { store, objects, model, accountId: ACCOUNT, owner: 'node-a' };
        await s3Call(store, 'early', 'src', -60);
        await s3Call(store, 'on-time', 'src', 1);
        await deliverAccessLogs(deps, later(5));
        assert.deepEqual((await logs(objects)).ids, ['on-time']);
        await objects.putBucketConfig('quiet', 'logging', JSON.stringify({ TargetBucket: 'gone', TargetPrefix: '', since: T.toISOString() }));
        await s3Call(store, 'lost', 'quiet', 2);
        const r = await deliverAccessLogs(deps, later(6));
        assert.equal(r.consumed, 1, 'the round completes: the cursor moves on');
      } finally {
        await store.close();
      }
    });
  });
}
