/**
 * TrailStore on both backends — SQLite in memory, and PostgreSQL (STARTRAIL_TEST_DATABASE_URL, as
 * the other store suites): the same queries must answer the same (DESIGN §4).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../audit/columns.ts';
import { SecretBox } from './secret-box.ts';
import { dropSchema, openPostgresStore } from './postgres/open.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { Store, Trail } from './types.ts';

const URL = process.env.STARTRAIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const backends: [string, () => Promise<{ store: Store; dispose(): Promise<void> }>][] = [
  ['sqlite', async () => { const store = await openSqliteStore(':memory:', new SecretBox(randomBytes(32))); return { store, dispose: () => store.close() }; }],
  ['postgres', async () => {
    const schema = `trails_${process.pid}_${Date.now().toString(36)}`;
    const store = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
    return { store, dispose: async () => { await store.close(); await dropSchema(URL, schema); } };
  }],
];

const T = new Date('2026-01-01T00:00:00Z');
const draft = (name: string): Omit<Trail, 'id'> => ({
  name, homeRegion: 'us-east-1', arn: `arn:aws:cloudtrail:us-east-1:000000000000:trail/${name}`, createdAt: T, deleted: false, s3BucketName: 'logs',
  includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: true, isOrganizationTrail: false, selectors: null, tags: [],
  status: { isLogging: false, failures: 0 },
});
const event = (name: string, requestId: string, o: { imported?: boolean; time?: string } = {}) => {
  const json = JSON.stringify({ eventVersion: '1.11', eventTime: o.time ?? '2026-01-01T00:00:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: name, awsRegion: 'us-east-1', requestID: requestId, eventID: `${name}-${requestId}`, readOnly: false });
  return storedEvent(JSON.parse(json), json, { imported: o.imported ?? false });
};

for (const [backend, open] of backends) describe(`TrailStore on ${backend}`, () => {
  let store: Store;
  let dispose: () => Promise<void>;
  before(async () => { ({ store, dispose } = await open()); });
  after(async () => { await dispose(); });

  test('trails: settings and status patched independently; cleared members go away; deleted ones only on request', async () => {
    const t = await store.trails.createTrail({ ...draft('a'), s3KeyPrefix: 'p' });
    await store.trails.updateTrail(t.id, { s3KeyPrefix: undefined, selectors: { kind: 'basic', selectors: [{ ReadWriteType: 'All' }] } });
    await store.trails.updateTrail(t.id, { status: { isLogging: true, startLoggingTime: T } });
    const got = (await store.trails.getTrail(t.id))!;
    assert.equal(got.s3KeyPrefix, undefined);
    assert.deepEqual(got.selectors, { kind: 'basic', selectors: [{ ReadWriteType: 'All' }] });
    assert.deepEqual(got.status, { isLogging: true, startLoggingTime: T, failures: 0 });
    const b = await store.trails.createTrail(draft('b'));
    await store.trails.updateTrail(b.id, { deleted: true });
    assert.deepEqual((await store.trails.listTrails()).map((x) => x.name), ['a']);
    assert.deepEqual((await store.trails.listTrails({ withDeleted: true })).map((x) => x.name), ['a', 'b']);
    await store.trails.deleteTrail(b.id);
    assert.equal(await store.trails.getTrail(b.id), undefined);
  });

  // PostgreSQL leases are advisory locks held per node (store), not rows: postgres/leases.test.ts
  if (backend === 'sqlite') test('the delivery lease: one holder until it runs out', async () => {
    const t = await store.trails.createTrail(draft('leased'));
    const later = (s: number) => new Date(T.getTime() + s * 1000);
    assert.equal(await store.trails.claimTrail(t.id, 'node-1', T, later(30)), true);
    assert.equal(await store.trails.claimTrail(t.id, 'node-2', later(10), later(40)), false);
    assert.equal(await store.trails.claimTrail(t.id, 'node-1', later(10), later(40)), true);
    assert.equal(await store.trails.claimTrail(t.id, 'node-2', later(41), later(70)), true);
  });

  test('a plan is persisted only where the session is, with no plan yet: a node that lost its lease writes nothing', async () => {
    const t = await store.trails.createTrail(draft('planned'));
    const s = await store.trails.openSession({ trailId: t.id, startSeq: 5, cursor: 5, startedAt: T });
    const batch = { from: 5, to: 9, time: T.getTime(), bucket: 'logs', scope: { homeRegion: 'us-east-1', isMultiRegionTrail: false, includeGlobalServiceEvents: true, selectors: null } };
    assert.equal(await store.trails.planBatch(s.id, 5, batch), true);
    assert.equal(await store.trails.planBatch(s.id, 5, { ...batch, time: T.getTime() + 1 }), false, 'already planned');
    assert.equal((await store.trails.listSessions(t.id))[0]!.batch?.time, T.getTime());
    assert.equal(await store.trails.advanceCursor(s.id, 5, 9), true);
    assert.equal(await store.trails.planBatch(s.id, 5, batch), false, 'the cursor moved on');
  });

  test('sessions: the cursor moves only from where it is; chains upsert; pending files by delivery time', async () => {
    const t = await store.trails.createTrail(draft('s'));
    const s = await store.trails.openSession({ trailId: t.id, startSeq: 5, cursor: 5, startedAt: T });
    await store.trails.updateSession(s.id, { batch: { from: 5, to: 9, time: T.getTime(), bucket: 'logs', scope: { homeRegion: 'us-east-1', isMultiRegionTrail: false, includeGlobalServiceEvents: true, selectors: null } } });
    assert.equal((await store.trails.listSessions(t.id))[0]!.batch?.to, 9);
    assert.equal(await store.trails.advanceCursor(s.id, 4, 9), false);
    assert.equal(await store.trails.advanceCursor(s.id, 5, 9), true);
    const [after] = await store.trails.listSessions(t.id);
    assert.deepEqual([after!.cursor, after!.batch], [9, undefined]);
    await store.trails.putChain({ sessionId: s.id, region: 'us-east-1', periodStart: T });
    await store.trails.putChain({ sessionId: s.id, region: 'us-east-1', periodStart: new Date(T.getTime() + 5000), previous: { bucket: 'logs', key: 'k', signature: 'ab', hash: 'cd' } });
    assert.deepEqual(await store.trails.listChains(s.id), [{ sessionId: s.id, region: 'us-east-1', periodStart: new Date(T.getTime() + 5000), previous: { bucket: 'logs', key: 'k', signature: 'ab', hash: 'cd' } }]);
    const file = (key: string, ms: number) => ({ sessionId: s.id, region: 'us-east-1', bucket: 'logs', key, hash: 'h', oldestEventTime: T, newestEventTime: T, deliveredAt: new Date(T.getTime() + ms) });
    await store.trails.addLogFiles([file('a', 1000), file('b', 6000)]);
    assert.deepEqual((await store.trails.pendingLogFiles(s.id, 'us-east-1', new Date(T.getTime() + 5000))).map((f) => f.key), ['a']);
    const all = await store.trails.pendingLogFiles(s.id, 'us-east-1');
    await store.trails.deleteLogFiles([all[0]!.id!]);
    assert.deepEqual((await store.trails.pendingLogFiles(s.id, 'us-east-1')).map((f) => f.key), ['b']);
    await store.trails.updateSession(s.id, { stop: { seq: 12, eventName: 'StopLogging', requestId: 'r', at: T } });
    assert.deepEqual((await store.trails.listSessions(t.id))[0]!.stop, { seq: 12, eventName: 'StopLogging', requestId: 'r', at: T });
    await store.trails.deleteSession(s.id);
    assert.deepEqual([await store.trails.listSessions(t.id), await store.trails.listChains(s.id), await store.trails.pendingLogFiles(s.id, 'us-east-1')], [[], [], []]);
  });

  test('events as delivery reads them: in sequence order, imported records skipped, a call found by request id', async () => {
    const base = await store.trails.lastEventSeq();
    await store.events.append([event('ListTrails', 'r1'), event('Imported', 'r2', { imported: true }), event('StopLogging', 'r3')]);
    const last = await store.trails.lastEventSeq();
    assert.equal(last, base + 3);
    assert.deepEqual((await store.trails.readEvents(base, last, 10)).map((e) => [e.eventName, e.readOnly]), [['ListTrails', false], ['StopLogging', false]]);
    assert.deepEqual((await store.trails.readEvents(base, last, 1)).map((e) => e.eventName), ['ListTrails']);
    assert.equal(await store.trails.findCallSeq(base, 'StopLogging', 'r3'), last);
    assert.equal(await store.trails.findCallSeq(base, 'StopLogging', 'r1'), undefined);
    // every record here is old: the horizon has passed them on both backends
    assert.equal(await store.trails.eventHorizon(new Date('2026-02-01T00:00:00Z')), last);
  });

  test('signing keys keep their private half sealed and come back whole', async () => {
    const k = { fingerprint: 'f'.repeat(32), region: 'eu-west-1', privateKeyPem: '-----BEGIN RSA PRIVATE KEY-----\nsecret\n', publicKeyDer: Buffer.from([0x30, 1, 2]), validFrom: T };
    await store.trails.putSigningKey(k);
    await store.trails.retireSigningKey(k.fingerprint, new Date(T.getTime() + 1000));
    assert.deepEqual(await store.trails.listSigningKeys('eu-west-1'), [{ ...k, validTo: new Date(T.getTime() + 1000) }]);
    assert.deepEqual(await store.trails.listSigningKeys('us-west-2'), []);
  });
});
