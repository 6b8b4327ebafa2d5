/**
 * TrailStore conformance (contracts/trails.ts): trails with settings and status patched apart,
 * logging sessions whose cursor only moves from where it is, planned batches fenced by that cursor,
 * digest chains, log files waiting for their digest, signing keys, and the record stream as the
 * delivery loop reads it (docs/architecture.md#delivery).
 */
import assert from 'node:assert/strict';
import { storedEvent } from '../../audit/columns.ts';
import type { DeliveryBatch, Trail } from '../types.ts';
import { storeTest, type Suite } from './harness.ts';

const T = new Date('2026-01-01T00:00:00Z');
/** the store's own account (the default of a store opened without one) */
const ACCOUNT = '000000000000';
const MEMBER = '222222222222';
const draft = (name: string): Omit<Trail, 'id'> => ({
  name,
  homeRegion: 'us-east-1',
  arn: `arn:aws:cloudtrail:us-east-1:000000000000:trail/${name}`,
  createdAt: T,
  deleted: false,
  s3BucketName: 'logs',
  includeGlobalServiceEvents: true,
  isMultiRegionTrail: false,
  logFileValidationEnabled: true,
  isOrganizationTrail: false,
  selectors: null,
  tags: [],
  status: { isLogging: false, failures: 0 },
});
const event = (name: string, requestId: string, o: { imported?: boolean; time?: string; data?: boolean } = {}) => {
  const json = JSON.stringify({
    eventVersion: '1.11',
    eventTime: o.time ?? '2026-01-01T00:00:00Z',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    requestID: requestId,
    eventID: `${name}-${requestId}`,
    readOnly: false,
  });
  return { ...storedEvent(JSON.parse(json), json, { imported: o.imported ?? false }), ...(o.data ? { category: 'Data' as const } : {}) };
};
const batch = (from: number, to: number): DeliveryBatch => ({
  from,
  to,
  time: T.getTime(),
  bucket: 'logs',
  scope: { homeRegion: 'us-east-1', isMultiRegionTrail: false, includeGlobalServiceEvents: true, selectors: null },
});

export function runTrailConformance(suite: Suite): void {
  storeTest(suite, 'trails: settings and status patched independently; cleared members go away; deleted ones only on request', async (s) => {
    const t = await s.trails.createTrail({ ...draft('a'), s3KeyPrefix: 'p' });
    await s.trails.updateTrail(t.id, { s3KeyPrefix: undefined, selectors: { kind: 'basic', selectors: [{ ReadWriteType: 'All' }] } });
    await s.trails.updateTrail(t.id, { status: { isLogging: true, startLoggingTime: T } });
    const got = (await s.trails.getTrail(t.id))!;
    assert.equal(got.s3KeyPrefix, undefined);
    assert.deepEqual(got.selectors, { kind: 'basic', selectors: [{ ReadWriteType: 'All' }] });
    assert.deepEqual(got.status, { isLogging: true, startLoggingTime: T, failures: 0 });
    const b = await s.trails.createTrail(draft('b'));
    await s.trails.updateTrail(b.id, { deleted: true });
    assert.deepEqual(
      (await s.trails.listTrails()).map((x) => x.name),
      ['a'],
    );
    assert.deepEqual(
      (await s.trails.listTrails({ withDeleted: true })).map((x) => x.name),
      ['a', 'b'],
    );
    await s.trails.deleteTrail(b.id);
    assert.equal(await s.trails.getTrail(b.id), undefined);
  });

  storeTest(suite, 'a trail comes back whole: every setting, tags, and each status time as a Date', async (s) => {
    const full: Omit<Trail, 'id'> = {
      ...draft('full'),
      homeRegion: 'eu-west-1',
      s3KeyPrefix: 'prefix',
      snsTopicName: 'topic',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: false,
      cloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-1:000000000000:log-group:g',
      cloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/r',
      kmsKeyId: 'key',
      selectors: { kind: 'advanced', selectors: [{ Name: 'data', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] },
      tags: [{ Key: 'k', Value: 'v' }],
    };
    const t = await s.trails.createTrail(full);
    assert.deepEqual(await s.trails.getTrail(t.id), { ...full, id: t.id });
    const times = {
      startLoggingTime: new Date(T.getTime() + 1),
      stopLoggingTime: new Date(T.getTime() + 2),
      latestDeliveryTime: new Date(T.getTime() + 3),
      latestDeliveryAttemptTime: new Date(T.getTime() + 4),
      latestDeliverySucceededTime: new Date(T.getTime() + 5),
      latestDigestDeliveryTime: new Date(T.getTime() + 6),
      nextAttemptAt: new Date(T.getTime() + 7),
    };
    await s.trails.updateTrail(t.id, { status: { ...times, latestDeliveryError: 'AccessDenied', failures: 2 } });
    await s.trails.updateTrail(t.id, { status: { latestDigestDeliveryError: 'NoSuchBucket' } });
    await s.trails.updateTrail(t.id, {});
    assert.deepEqual((await s.trails.getTrail(t.id))!.status, {
      isLogging: false,
      ...times,
      latestDeliveryError: 'AccessDenied',
      latestDigestDeliveryError: 'NoSuchBucket',
      failures: 2,
    });
    await s.trails.updateTrail(t.id, { tags: [] });
    assert.deepEqual((await s.trails.getTrail(t.id))!.tags, []);
    assert.equal((await s.trails.getTrail(t.id))!.kmsKeyId, 'key', 'other settings untouched');
    await s.trails.updateTrail(t.id + 1000, { s3KeyPrefix: 'no such trail' });
    assert.equal(await s.trails.getTrail(t.id + 1000), undefined);
    const second = await s.trails.createTrail(draft('second'));
    assert.ok(second.id > t.id, 'ids grow');
    assert.deepEqual(
      (await s.trails.listTrails()).map((x) => x.name),
      ['full', 'second'],
      'oldest first',
    );
  });

  // PostgreSQL leases are advisory locks held per node (store), not rows: postgres/leases.test.ts
  if (suite.backend === 'sqlite')
    storeTest(suite, 'the delivery lease: one holder until it runs out', async (s) => {
      const t = await s.trails.createTrail(draft('leased'));
      const later = (sec: number) => new Date(T.getTime() + sec * 1000);
      assert.equal(await s.trails.claimTrail(t.id, 'node-1', T, later(30)), true);
      assert.equal(await s.trails.claimTrail(t.id, 'node-2', later(10), later(40)), false);
      assert.equal(await s.trails.claimTrail(t.id, 'node-1', later(10), later(40)), true);
      assert.equal(await s.trails.claimTrail(t.id, 'node-2', later(41), later(70)), true);
    });

  storeTest(suite, 'the delivery lease: a node takes a free trail and keeps it while it claims again', async (s) => {
    const t = await s.trails.createTrail(draft('mine'));
    const later = (sec: number) => new Date(T.getTime() + sec * 1000);
    assert.equal(await s.trails.claimTrail(t.id, 'node-1', T, later(30)), true);
    assert.equal(await s.trails.claimTrail(t.id, 'node-1', later(10), later(40)), true);
  });

  storeTest(suite, 'a plan is persisted only where the session is, with no plan yet: a node that lost its lease writes nothing', async (s) => {
    const t = await s.trails.createTrail(draft('planned'));
    const sess = await s.trails.openSession({ trailId: t.id, startSeq: 5, cursor: 5, startedAt: T });
    const b = batch(5, 9);
    assert.equal(await s.trails.planBatch(sess.id, 5, b), true);
    assert.equal(await s.trails.planBatch(sess.id, 5, { ...b, time: T.getTime() + 1 }), false, 'already planned');
    assert.equal((await s.trails.listSessions(t.id))[0]!.batch?.time, T.getTime());
    assert.deepEqual((await s.trails.listSessions(t.id))[0]!.batch, b, 'the plan comes back whole');
    assert.equal(await s.trails.advanceCursor(sess.id, 5, 9), true);
    assert.equal(await s.trails.planBatch(sess.id, 5, b), false, 'the cursor moved on');
  });

  storeTest(suite, 'sessions: the cursor moves only from where it is; chains upsert; pending files by delivery time', async (s) => {
    const t = await s.trails.createTrail(draft('s'));
    const sess = await s.trails.openSession({ trailId: t.id, startSeq: 5, cursor: 5, startedAt: T });
    await s.trails.updateSession(sess.id, { batch: batch(5, 9) });
    assert.equal((await s.trails.listSessions(t.id))[0]!.batch?.to, 9);
    assert.equal(await s.trails.advanceCursor(sess.id, 4, 9), false);
    assert.equal(await s.trails.advanceCursor(sess.id, 5, 9), true);
    const [after] = await s.trails.listSessions(t.id);
    assert.deepEqual([after!.cursor, after!.batch], [9, undefined]);
    await s.trails.putChain({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1', periodStart: T });
    await s.trails.putChain({
      sessionId: sess.id,
      accountId: ACCOUNT,
      region: 'us-east-1',
      periodStart: new Date(T.getTime() + 5000),
      previous: { bucket: 'logs', key: 'k', signature: 'ab', hash: 'cd' },
    });
    assert.deepEqual(await s.trails.listChains(sess.id), [
      {
        sessionId: sess.id,
        accountId: ACCOUNT,
        region: 'us-east-1',
        periodStart: new Date(T.getTime() + 5000),
        previous: { bucket: 'logs', key: 'k', signature: 'ab', hash: 'cd' },
      },
    ]);
    const file = (key: string, ms: number) => ({
      sessionId: sess.id,
      accountId: ACCOUNT,
      region: 'us-east-1',
      bucket: 'logs',
      key,
      hash: 'h',
      oldestEventTime: T,
      newestEventTime: T,
      deliveredAt: new Date(T.getTime() + ms),
    });
    await s.trails.addLogFiles([file('a', 1000), file('b', 6000)]);
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1' }, new Date(T.getTime() + 5000))).map((f) => f.key),
      ['a'],
    );
    const all = await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1' });
    await s.trails.deleteLogFiles([all[0]!.id!]);
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1' })).map((f) => f.key),
      ['b'],
    );
    await s.trails.updateSession(sess.id, { stop: { seq: 12, eventName: 'StopLogging', requestId: 'r', at: T } });
    assert.deepEqual((await s.trails.listSessions(t.id))[0]!.stop, { seq: 12, eventName: 'StopLogging', requestId: 'r', at: T });
    await s.trails.deleteSession(sess.id);
    assert.deepEqual(
      [
        await s.trails.listSessions(t.id),
        await s.trails.listChains(sess.id),
        await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1' }),
      ],
      [[], [], []],
    );
  });

  storeTest(suite, 'a session comes back whole; a batch is cleared by null; a stop is resolved in place', async (s) => {
    const t = await s.trails.createTrail(draft('whole'));
    const first = await s.trails.openSession({ trailId: t.id, startSeq: 0, cursor: 0, startedAt: T });
    const second = await s.trails.openSession({ trailId: t.id, startSeq: 7, cursor: 7, startedAt: new Date(T.getTime() + 1000) });
    assert.deepEqual(await s.trails.listSessions(t.id), [first, second], 'oldest first, as opened');
    assert.deepEqual(first, { id: first.id, trailId: t.id, startSeq: 0, cursor: 0, startedAt: T });
    await s.trails.updateSession(first.id, { batch: batch(0, 3) });
    await s.trails.updateSession(first.id, { batch: null });
    assert.equal((await s.trails.listSessions(t.id))[0]!.batch, undefined);
    const stop = { seq: 3, eventName: 'DeleteTrail', requestId: 'req', at: new Date(T.getTime() + 2000) };
    await s.trails.updateSession(first.id, { stop });
    await s.trails.updateSession(first.id, { stop: { ...stop, seq: 4, resolved: true } });
    assert.deepEqual((await s.trails.listSessions(t.id))[0]!.stop, { ...stop, seq: 4, resolved: true });
    assert.deepEqual(await s.trails.listSessions(t.id + 1000), []);
  });

  storeTest(suite, "chains and pending files: per region, oldest first; deleting one region's leaves the others", async (s) => {
    const t = await s.trails.createTrail(draft('regions'));
    const sess = await s.trails.openSession({ trailId: t.id, startSeq: 0, cursor: 0, startedAt: T });
    for (const region of ['us-west-2', 'eu-west-1']) await s.trails.putChain({ sessionId: sess.id, accountId: ACCOUNT, region, periodStart: T });
    const file = (region: string, key: string) => ({
      sessionId: sess.id,
      accountId: ACCOUNT,
      region,
      bucket: 'logs',
      key,
      hash: 'f'.repeat(64),
      oldestEventTime: T,
      newestEventTime: new Date(T.getTime() + 1),
      deliveredAt: new Date(T.getTime() + 2),
    });
    await s.trails.addLogFiles([file('us-west-2', 'w1'), file('eu-west-1', 'e1'), file('us-west-2', 'w2')]);
    await s.trails.addLogFiles([]);
    assert.deepEqual(
      (await s.trails.listChains(sess.id)).map((c) => c.region),
      ['eu-west-1', 'us-west-2'],
      'by region',
    );
    const [w1] = await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-west-2' });
    assert.deepEqual(w1, { ...file('us-west-2', 'w1'), id: w1!.id });
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-west-2' })).map((f) => f.key),
      ['w1', 'w2'],
    );
    await s.trails.deleteChains(sess.id, { accountId: ACCOUNT, region: 'us-west-2' });
    assert.deepEqual(
      (await s.trails.listChains(sess.id)).map((c) => c.region),
      ['eu-west-1'],
    );
    assert.deepEqual(await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-west-2' }), []);
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'eu-west-1' })).map((f) => f.key),
      ['e1'],
    );
    await s.trails.deleteChains(sess.id);
    assert.deepEqual(
      [await s.trails.listChains(sess.id), await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'eu-west-1' })],
      [[], []],
    );
  });

  storeTest(suite, "chains and pending files per account: two accounts' chains of one region stay apart (organization trails)", async (s) => {
    const t = await s.trails.createTrail(draft('org'));
    const sess = await s.trails.openSession({ trailId: t.id, startSeq: 0, cursor: 0, startedAt: T });
    await s.trails.putChain({ sessionId: sess.id, accountId: MEMBER, region: 'us-east-1', organizationId: 'o-abcdefghij', periodStart: T });
    await s.trails.putChain({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1', organizationId: 'o-abcdefghij', periodStart: T });
    const file = (accountId: string, key: string) => ({
      sessionId: sess.id,
      accountId,
      region: 'us-east-1',
      bucket: 'logs',
      key,
      hash: 'e'.repeat(64),
      oldestEventTime: T,
      newestEventTime: T,
      deliveredAt: T,
    });
    await s.trails.addLogFiles([file(ACCOUNT, 'own'), file(MEMBER, 'member')]);
    assert.deepEqual(
      (await s.trails.listChains(sess.id)).map((c) => [c.accountId, c.region, c.organizationId]),
      [
        [ACCOUNT, 'us-east-1', 'o-abcdefghij'],
        [MEMBER, 'us-east-1', 'o-abcdefghij'],
      ],
      'by account, then region',
    );
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: MEMBER, region: 'us-east-1' })).map((f) => [f.accountId, f.key]),
      [[MEMBER, 'member']],
    );
    await s.trails.deleteChains(sess.id, { accountId: MEMBER, region: 'us-east-1' });
    assert.deepEqual(
      (await s.trails.listChains(sess.id)).map((c) => c.accountId),
      [ACCOUNT],
    );
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1' })).map((f) => f.key),
      ['own'],
    );
    assert.deepEqual(await s.trails.pendingLogFiles({ sessionId: sess.id, accountId: MEMBER, region: 'us-east-1' }), []);
  });

  storeTest(suite, "the stream carries each record's account: the one whose Event history holds it", async (s) => {
    const base = await s.trails.lastEventSeq();
    const member = JSON.stringify({
      eventVersion: '1.11',
      eventTime: '2026-01-01T00:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListUsers',
      awsRegion: 'us-east-1',
      requestID: 'm',
      eventID: 'm',
      readOnly: true,
      recipientAccountId: MEMBER,
    });
    await s.forAccount(MEMBER).events.append([storedEvent(JSON.parse(member), member, { imported: false })]);
    await s.events.append([event('ListTrails', 'own')]);
    assert.deepEqual(
      (await s.trails.readEvents(base, base + 2, 10)).map((e) => [e.eventName, e.accountId]),
      [
        ['ListUsers', MEMBER],
        ['ListTrails', ACCOUNT],
      ],
    );
  });

  storeTest(suite, "deleting a trail removes its sessions, chains and pending files, and no other trail's", async (s) => {
    const [a, b] = [await s.trails.createTrail(draft('a')), await s.trails.createTrail(draft('b'))];
    const [sa, sb] = [
      await s.trails.openSession({ trailId: a.id, startSeq: 0, cursor: 0, startedAt: T }),
      await s.trails.openSession({ trailId: b.id, startSeq: 0, cursor: 0, startedAt: T }),
    ];
    for (const sess of [sa, sb]) {
      await s.trails.putChain({ sessionId: sess.id, accountId: ACCOUNT, region: 'us-east-1', periodStart: T });
      await s.trails.addLogFiles([
        {
          sessionId: sess.id,
          accountId: ACCOUNT,
          region: 'us-east-1',
          bucket: 'logs',
          key: `k${sess.id}`,
          hash: 'h',
          oldestEventTime: T,
          newestEventTime: T,
          deliveredAt: T,
        },
      ]);
    }
    await s.trails.deleteTrail(a.id);
    assert.deepEqual(
      [
        await s.trails.listSessions(a.id),
        await s.trails.listChains(sa.id),
        await s.trails.pendingLogFiles({ sessionId: sa.id, accountId: ACCOUNT, region: 'us-east-1' }),
      ],
      [[], [], []],
    );
    assert.equal((await s.trails.listSessions(b.id)).length, 1);
    assert.equal((await s.trails.listChains(sb.id)).length, 1);
    assert.deepEqual(
      (await s.trails.pendingLogFiles({ sessionId: sb.id, accountId: ACCOUNT, region: 'us-east-1' })).map((f) => f.key),
      [`k${sb.id}`],
    );
  });

  storeTest(suite, 'the lowest cursor of any session holds back retention; none without sessions', async (s) => {
    assert.equal(await s.trails.lowestCursor(), undefined);
    const t = await s.trails.createTrail(draft('c'));
    const a = await s.trails.openSession({ trailId: t.id, startSeq: 10, cursor: 10, startedAt: T });
    const b = await s.trails.openSession({ trailId: t.id, startSeq: 4, cursor: 4, startedAt: T });
    assert.equal(await s.trails.lowestCursor(), 4);
    assert.equal(await s.trails.advanceCursor(b.id, 4, 20), true);
    assert.equal(await s.trails.lowestCursor(), 10);
    await s.trails.deleteSession(a.id);
    assert.equal(await s.trails.lowestCursor(), 20);
  });

  storeTest(suite, 'events as delivery reads them: in sequence order, imported records skipped, a call found by request id', async (s) => {
    const base = await s.trails.lastEventSeq();
    await s.events.append([event('ListTrails', 'r1'), event('Imported', 'r2', { imported: true }), event('StopLogging', 'r3')]);
    const last = await s.trails.lastEventSeq();
    assert.equal(last, base + 3);
    assert.deepEqual(
      (await s.trails.readEvents(base, last, 10)).map((e) => [e.eventName, e.readOnly]),
      [
        ['ListTrails', false],
        ['StopLogging', false],
      ],
    );
    assert.deepEqual(
      (await s.trails.readEvents(base, last, 1)).map((e) => e.eventName),
      ['ListTrails'],
    );
    assert.equal(await s.trails.findCallSeq(base, 'StopLogging', 'r3'), last);
    assert.equal(await s.trails.findCallSeq(base, 'StopLogging', 'r1'), undefined);
    // every record here is old: the horizon has passed them on both backends
    assert.equal(await s.trails.eventHorizon(new Date('2026-02-01T00:00:00Z')), last);
  });

  storeTest(suite, 'the stream as delivered: each record whole, data events marked, bounded by upTo; the horizon of an empty store is 0', async (s) => {
    assert.equal(await s.trails.lastEventSeq(), 0);
    assert.equal(await s.trails.eventHorizon(new Date()), 0);
    const m = event('CreateTrail', 'm1', { time: '2026-01-02T03:04:05Z' });
    const d = event('PutObject', 'd1', { data: true });
    await s.events.append([m, d, event('GetTrail', 'm2')]);
    const all = await s.trails.readEvents(0, 3, 10);
    assert.deepEqual(all[0], {
      seq: 1,
      accountId: ACCOUNT,
      region: 'us-east-1',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'CreateTrail',
      readOnly: false,
      eventTime: new Date('2026-01-02T03:04:05Z'),
      json: m.json,
    });
    assert.deepEqual(
      all.map((e) => [e.seq, e.eventName, e.data ?? false]),
      [
        [1, 'CreateTrail', false],
        [2, 'PutObject', true],
        [3, 'GetTrail', false],
      ],
    );
    assert.deepEqual(
      (await s.trails.readEvents(1, 2, 10)).map((e) => e.seq),
      [2],
      'after < seq <= upTo',
    );
    assert.equal(await s.trails.findCallSeq(1, 'CreateTrail', 'm1'), undefined, 'only after `after`');
    assert.equal(await s.trails.eventHorizon(new Date()), 3);
  });

  storeTest(suite, 'signing keys keep their private half sealed and come back whole', async (s) => {
    const k = {
      fingerprint: 'f'.repeat(32),
      region: 'eu-west-1',
      privateKeyPem: '-----BEGIN RSA PRIVATE KEY-----\nsecret\n',
      publicKeyDer: Buffer.from([0x30, 1, 2]),
      validFrom: T,
    };
    await s.trails.putSigningKey(k);
    await s.trails.retireSigningKey(k.fingerprint, new Date(T.getTime() + 1000));
    assert.deepEqual(await s.trails.listSigningKeys('eu-west-1'), [{ ...k, validTo: new Date(T.getTime() + 1000) }]);
    assert.deepEqual(await s.trails.listSigningKeys('us-west-2'), []);
  });

  storeTest(suite, 'signing keys of a region are listed oldest first; a current key has no end', async (s) => {
    const key = (n: string, from: number) => ({
      fingerprint: n.repeat(32),
      region: 'us-east-1',
      privateKeyPem: `pem-${n}`,
      publicKeyDer: Buffer.from(n),
      validFrom: new Date(T.getTime() + from),
    });
    await s.trails.putSigningKey(key('b', 5000));
    await s.trails.putSigningKey(key('a', 0));
    await s.trails.retireSigningKey('a'.repeat(32), new Date(T.getTime() + 5000));
    assert.deepEqual(await s.trails.listSigningKeys('us-east-1'), [{ ...key('a', 0), validTo: new Date(T.getTime() + 5000) }, key('b', 5000)]);
  });
}
