/**
 * EventStore and DataEventStore conformance (contracts/events.ts): idempotent appends by content,
 * reused eventIDs kept, atomic appends; Event history newest first by every lookup attribute, AND
 * of several, inclusive time bounds and keyset pages; data events recorded but never in Event
 * history; retention purges in batches and keeps what a trail has yet to deliver.
 */
import assert from 'node:assert/strict';
import { storedEvent } from '../../audit/columns.ts';
import type { Store, StoredEvent } from '../types.ts';
import { at, storeTest, type Suite } from './harness.ts';

const parsed = (json: string) => storedEvent(JSON.parse(json), json);

/** A record with explicit lookup columns; its JSON carries the same values. */
function ev(id: string, time: string, over: Partial<StoredEvent> = {}): StoredEvent {
  const base = {
    eventId: id,
    eventTime: at(time),
    accountId: '000000000000',
    region: 'us-east-1',
    eventSource: 'iam.amazonaws.com',
    eventName: 'GetUser',
    readOnly: true as boolean | null,
    username: 'alice',
    accessKeyId: 'AKIAALICE',
    resources: [] as StoredEvent['resources'],
    ...over,
  };
  const json = JSON.stringify({
    eventID: id,
    eventTime: time,
    eventName: base.eventName,
    eventSource: base.eventSource,
    username: base.username,
    readOnly: base.readOnly,
    resources: base.resources,
  });
  return { ...base, json };
}

const ids = (page: { events: StoredEvent[] }) => page.events.map((e) => e.eventId);

export function runEventConformance(suite: Suite): void {
  storeTest(suite, 'events append once per eventID and keep the exact JSON', async (s) => {
    const json = '{"eventVersion":"1.11", "spacing":  "kept"}';
    const e = {
      eventId: 'e-1',
      eventTime: at('2026-01-01T00:00:00Z'),
      accountId: '000000000000',
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      readOnly: false,
      username: 'root',
      accessKeyId: 'AKIA1',
      resources: [{ type: 'AWS::IAM::User', name: 'arn:aws:iam::000000000000:user/alice' }],
      json,
    };
    assert.equal(await s.events.append([e]), 1);
    assert.equal(await s.events.append([e]), 0);
    const got = await s.events.get('e-1');
    assert.equal(got?.json, json);
    assert.deepEqual(got?.resources, e.resources);
    assert.equal(got?.readOnly, false);
    assert.equal(await s.events.count(), 1);
  });

  storeTest(suite, 'the same record twice, however formatted, is stored once; its first text is kept', async (s) => {
    const compact = '{"eventID":"e-1","eventTime":"2026-01-01T00:00:00Z","eventName":"X","a":[1,{"b":2}]}';
    const spaced = '{ "eventName": "X", "eventID": "e-1",\n  "a": [1, {"b": 2}], "eventTime": "2026-01-01T00:00:00Z" }';
    assert.equal(await s.events.append([parsed(compact)]), 1);
    assert.equal(await s.events.append([parsed(spaced), parsed(compact)]), 0);
    assert.equal(await s.events.count(), 1);
    assert.equal((await s.events.get('e-1'))?.json, compact);
  });

  storeTest(suite, 'a different record reusing an eventID (documentation placeholders do) is kept; both are found by it', async (s) => {
    const a = '{"eventID":"EXAMPLE","eventTime":"2026-01-01T00:00:00Z","eventName":"A"}';
    const b = '{"eventID":"EXAMPLE","eventTime":"2026-01-02T00:00:00Z","eventName":"B"}';
    assert.equal(await s.events.append([parsed(a), parsed(b)]), 2);
    const page = await s.events.lookup({ attributes: [{ key: 'EventId', value: 'EXAMPLE' }], limit: 50 });
    assert.deepEqual(
      page.events.map((e) => e.json),
      [b, a],
    );
    assert.equal((await s.events.get('EXAMPLE'))?.json, b, 'get: the most recently added');
  });

  storeTest(suite, 'an append is atomic: a failing record leaves none of its batch behind', async (s) => {
    const good = parsed('{"eventID":"ok","eventTime":"2026-01-01T00:00:00Z"}');
    const bad = { ...parsed('{"eventID":"bad","eventTime":"2026-01-01T00:00:00Z"}'), json: 'not json' };
    await assert.rejects(s.events.append([good, bad]));
    assert.equal(await s.events.count(), 0);
  });

  const user = (n: string) => [{ type: 'AWS::IAM::User', name: `arn:aws:iam::000000000000:user/${n}` }];
  const byResource = async (s: Store, n: string) => ids(await s.events.lookup({ attributes: [{ key: 'ResourceName', value: user(n)[0]!.name }], limit: 50 }));

  storeTest(suite, 'appendAtCommit: concurrent transactions store their records once each, with their resources', async (s) => {
    const a = ev('a', '2026-01-01T00:00:00Z', { resources: user('a') });
    const b = ev('b', '2026-01-01T00:00:01Z', { resources: user('b') });
    await Promise.all([
      s.transaction(async (tx) => {
        await tx.events.appendAtCommit([a, a]);
        await new Promise((r) => setImmediate(r)); // the other starts meanwhile, as concurrent calls do
      }),
      s.transaction(async (tx) => {
        await tx.events.appendAtCommit([b, a]);
      }),
    ]);
    assert.equal(await s.events.count(), 2);
    assert.deepEqual((await s.events.get('a'))?.resources, user('a'));
    assert.deepEqual(await byResource(s, 'a'), ['a']);
    assert.deepEqual(await byResource(s, 'b'), ['b']);
  });

  storeTest(suite, 'appendAtCommit: a transaction that fails keeps none of its records, a concurrent one keeps its own', async (s) => {
    const kept = ev('kept', '2026-01-01T00:00:00Z', { resources: user('kept') });
    const lost = ev('lost', '2026-01-01T00:00:01Z', { resources: user('lost') });
    const results = await Promise.allSettled([
      s.transaction(async (tx) => {
        await tx.events.appendAtCommit([kept]);
        await new Promise((r) => setImmediate(r));
      }),
      s.transaction(async (tx) => {
        await tx.events.appendAtCommit([lost]);
        throw new Error('the handler failed');
      }),
      // a row the table cannot hold fails its own transaction, not the others
      s.transaction((tx) => tx.events.appendAtCommit([{ ...ev('bad', '2026-01-01T00:00:02Z'), eventId: null as unknown as string }])),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected'],
    );
    assert.equal(await s.events.count(), 1);
    assert.equal((await s.events.get('kept'))?.eventId, 'kept');
    assert.equal(await s.events.get('lost'), undefined);
    assert.deepEqual(await byResource(s, 'lost'), []);
  });

  storeTest(suite, 'appendAtCommit: a record already stored is not added again, nor its resources; outside a transaction it appends', async (s) => {
    const a = ev('a', '2026-01-01T00:00:00Z', { resources: user('a') });
    const b = ev('b', '2026-01-01T00:00:01Z', { resources: user('b') });
    await s.events.appendAtCommit([a]);
    assert.equal(await s.events.count(), 1);
    await s.transaction((tx) => tx.events.appendAtCommit([a, b]));
    assert.equal(await s.events.count(), 2);
    assert.deepEqual(await byResource(s, 'a'), ['a']);
    assert.deepEqual((await s.events.get('a'))?.resources, user('a'));
  });

  storeTest(suite, 'a record comes back with every lookup column, its resources in order, and the time it entered history', async (s) => {
    const e = ev('full', '2026-01-05T10:00:00.123Z', {
      accountId: '111111111111',
      region: 'eu-west-1',
      eventSource: 'codestar.amazonaws.com',
      eventName: 'CreateProject',
      readOnly: false,
      username: 'bob',
      accessKeyId: 'ASIABOB',
      resources: [
        { type: 'AWS::CodeStar::Project', name: 'arn:aws:codestar:eu-west-1:111111111111:project/p' },
        { type: null, name: 'loose' },
      ],
      addedAt: at('2026-01-06T00:00:00Z'),
      imported: true,
    });
    await s.events.append([e]);
    // an imported record is in the history of the account that imported it (docs/accounts.md#event-history)
    assert.deepEqual(await s.events.get('full'), { ...e, accountId: s.accountId });
    assert.equal(await s.forAccount('111111111111').events.get('full'), undefined);
    const none = ev('nulls', '2026-01-05T11:00:00Z', {
      accountId: null,
      region: null,
      eventSource: null,
      eventName: null,
      readOnly: null,
      username: null,
      accessKeyId: null,
    });
    await s.events.append([none]);
    assert.deepEqual(await s.events.get('nulls'), { ...none, accountId: s.accountId, addedAt: none.eventTime, imported: false });
    assert.equal(await s.events.get('missing'), undefined);
  });

  storeTest(suite, 'Event history: newest first, then in the order added; every attribute matches exactly; several combine with AND', async (s) => {
    await s.events.append([
      ev('e1', '2026-01-01T00:00:01Z', {
        eventName: 'CreateUser',
        readOnly: false,
        resources: [{ type: 'AWS::IAM::User', name: 'arn:aws:iam::000000000000:user/carol' }],
      }),
      ev('e2', '2026-01-01T00:00:02Z', { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', username: 'bob', accessKeyId: 'AKIABOB' }),
      ev('e3', '2026-01-01T00:00:02Z', {
        eventName: 'DeleteUser',
        readOnly: false,
        resources: [{ type: 'AWS::IAM::User', name: 'arn:aws:iam::000000000000:user/carol' }],
      }),
      ev('e4', '2026-01-01T00:00:03Z'),
    ]);
    const by = async (attributes: { key: Parameters<typeof s.events.lookup>[0]['attributes'][number]['key']; value: string }[]) =>
      ids(await s.events.lookup({ attributes, limit: 50 }));
    assert.deepEqual(await by([]), ['e4', 'e3', 'e2', 'e1'], 'a tie in time: the later added first');
    assert.deepEqual(await by([{ key: 'EventId', value: 'e2' }]), ['e2']);
    assert.deepEqual(await by([{ key: 'EventName', value: 'CreateUser' }]), ['e1']);
    assert.deepEqual(await by([{ key: 'EventName', value: 'createuser' }]), [], 'exact, case and all');
    assert.deepEqual(await by([{ key: 'EventSource', value: 'sts.amazonaws.com' }]), ['e2']);
    assert.deepEqual(await by([{ key: 'Username', value: 'alice' }]), ['e4', 'e3', 'e1']);
    assert.deepEqual(await by([{ key: 'AccessKeyId', value: 'AKIABOB' }]), ['e2']);
    assert.deepEqual(await by([{ key: 'ReadOnly', value: 'false' }]), ['e3', 'e1']);
    assert.deepEqual(await by([{ key: 'ReadOnly', value: 'true' }]), ['e4', 'e2']);
    assert.deepEqual(await by([{ key: 'ReadOnly', value: 'TRUE' }]), [], 'ReadOnly holds "true" or "false" only');
    assert.deepEqual(await by([{ key: 'ResourceType', value: 'AWS::IAM::User' }]), ['e3', 'e1']);
    assert.deepEqual(await by([{ key: 'ResourceName', value: 'arn:aws:iam::000000000000:user/carol' }]), ['e3', 'e1']);
    assert.deepEqual(
      await by([
        { key: 'Username', value: 'alice' },
        { key: 'ReadOnly', value: 'false' },
      ]),
      ['e3', 'e1'],
    );
    assert.deepEqual(
      await by([
        { key: 'ResourceType', value: 'AWS::IAM::User' },
        { key: 'EventName', value: 'DeleteUser' },
      ]),
      ['e3'],
    );
    assert.deepEqual(
      await by([
        { key: 'ResourceName', value: 'arn:aws:iam::000000000000:user/carol' },
        { key: 'ReadOnly', value: 'true' },
      ]),
      [],
    );
    assert.deepEqual(
      await by([
        { key: 'EventName', value: 'CreateUser' },
        { key: 'EventName', value: 'DeleteUser' },
      ]),
      [],
      'AND, not OR',
    );
  });

  storeTest(suite, 'Event history per Region: a Region answers its own records, alone, with attributes and through a resource; pages stay in it', async (s) => {
    await s.events.append([
      ev('w1', '2026-01-01T00:00:01Z', { region: 'eu-west-1', eventName: 'CreateProject', resources: [{ type: 'AWS::CodeStar::Project', name: 'arn:p' }] }),
      ev('e1', '2026-01-01T00:00:02Z', { eventName: 'CreateProject', resources: [{ type: 'AWS::CodeStar::Project', name: 'arn:p' }] }),
      ev('w2', '2026-01-01T00:00:03Z', { region: 'eu-west-1' }),
      ev('n1', '2026-01-01T00:00:04Z', { region: null }),
      ev('e2', '2026-01-01T00:00:05Z'),
    ]);
    const by = async (region: string | undefined, attributes: { key: 'EventName' | 'ResourceName' | 'ResourceType'; value: string }[] = []) =>
      ids(await s.events.lookup({ attributes, ...(region ? { region } : {}), limit: 50 }));
    assert.deepEqual(await by(undefined), ['e2', 'n1', 'w2', 'e1', 'w1']);
    assert.deepEqual(await by('eu-west-1'), ['w2', 'w1']);
    assert.deepEqual(await by('us-east-1'), ['e2', 'e1'], 'a record without a Region is in none');
    assert.deepEqual(await by('eu-west-1', [{ key: 'EventName', value: 'CreateProject' }]), ['w1']);
    assert.deepEqual(await by('us-east-1', [{ key: 'ResourceName', value: 'arn:p' }]), ['e1']);
    assert.deepEqual(await by('eu-west-1', [{ key: 'ResourceType', value: 'AWS::CodeStar::Project' }]), ['w1']);
    assert.deepEqual(await by('ap-south-1'), []);
    const first = await s.events.lookup({ attributes: [], region: 'eu-west-1', limit: 1 });
    assert.deepEqual(ids(first), ['w2']);
    assert.deepEqual(ids(await s.events.lookup({ attributes: [], region: 'eu-west-1', limit: 1, after: first.next! })), ['w1']);
  });

  storeTest(suite, 'Event history: time bounds are inclusive; pages continue strictly after `next` and end without one', async (s) => {
    await s.events.append(['01', '02', '03', '04', '05'].map((d, i) => ev(`d${i + 1}`, `2026-01-${d}T00:00:00Z`)));
    assert.deepEqual(ids(await s.events.lookup({ attributes: [], start: at('2026-01-02T00:00:00Z'), end: at('2026-01-04T00:00:00Z'), limit: 50 })), [
      'd4',
      'd3',
      'd2',
    ]);
    assert.deepEqual(ids(await s.events.lookup({ attributes: [], start: at('2026-01-05T00:00:00.001Z'), limit: 50 })), []);
    const p1 = await s.events.lookup({ attributes: [{ key: 'Username', value: 'alice' }], limit: 2 });
    assert.deepEqual(ids(p1), ['d5', 'd4']);
    assert.deepEqual(p1.next && { time: p1.next.time }, { time: at('2026-01-04T00:00:00Z').getTime() });
    const p2 = await s.events.lookup({ attributes: [{ key: 'Username', value: 'alice' }], limit: 2, after: p1.next! });
    assert.deepEqual(ids(p2), ['d3', 'd2']);
    const p3 = await s.events.lookup({ attributes: [{ key: 'Username', value: 'alice' }], limit: 2, after: p2.next! });
    assert.deepEqual(ids(p3), ['d1']);
    assert.equal(p3.next, undefined);
    const exact = await s.events.lookup({ attributes: [], limit: 5 });
    assert.equal(exact.events.length, 5);
    assert.equal(exact.next, undefined, 'a page that holds the last record has no next');
  });

  storeTest(suite, 'a record with several resources of one type is listed once per page, and pages by resource continue after it', async (s) => {
    const two = [
      { type: 'AWS::S3::Object', name: 'arn:aws:s3:::b/x' },
      { type: 'AWS::S3::Object', name: 'arn:aws:s3:::b/y' },
    ];
    await s.events.append([
      ev('r1', '2026-01-01T00:00:01Z', { resources: two }),
      ev('r2', '2026-01-01T00:00:02Z', { resources: two }),
      ev('r3', '2026-01-01T00:00:03Z', { resources: [two[0]!] }),
    ]);
    assert.deepEqual(ids(await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'AWS::S3::Object' }], limit: 50 })), ['r3', 'r2', 'r1']);
    const p1 = await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'AWS::S3::Object' }], limit: 2 });
    assert.deepEqual(ids(p1), ['r3', 'r2']);
    assert.deepEqual(ids(await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'AWS::S3::Object' }], limit: 2, after: p1.next! })), ['r1']);
    assert.deepEqual((await s.events.get('r2'))?.resources, two);
  });

  storeTest(suite, 'data events are recorded in the stream but never in Event history', async (s) => {
    const put = {
      ...ev('d-put', '2026-01-01T00:00:01Z', { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false }),
      category: 'Data' as const,
    };
    const get = { ...ev('d-get', '2026-01-01T00:00:03Z', { eventSource: 's3.amazonaws.com', eventName: 'GetObject' }), category: 'Data' as const };
    await s.events.append([put, ev('m-1', '2026-01-01T00:00:02Z', { eventSource: 's3.amazonaws.com', eventName: 'CreateBucket' }), get]);
    assert.equal(await s.events.count(), 1);
    assert.deepEqual(ids(await s.events.lookup({ attributes: [], limit: 50 })), ['m-1']);
    assert.deepEqual(ids(await s.events.lookup({ attributes: [{ key: 'EventSource', value: 's3.amazonaws.com' }], limit: 50 })), ['m-1']);
    assert.equal(await s.events.get('d-put'), undefined);
    const all = await s.dataEvents.list(0, 10);
    assert.deepEqual(
      all.map((d) => d.json),
      [put.json, get.json],
    );
    assert.deepEqual(
      (await s.dataEvents.list(all[0]!.seq, 10)).map((d) => d.json),
      [get.json],
    );
    assert.deepEqual(
      (await s.dataEvents.list(0, 1)).map((d) => d.json),
      [put.json],
    );
    assert.equal(all[1]!.seq - all[0]!.seq, 2, 'one sequence with management events');
  });

  storeTest(
    suite,
    "retention: records that entered history before the cutoff go in batches, with their resources; a trail's undelivered ones stay unless imported",
    async (s) => {
      const res = [{ type: 'AWS::IAM::User', name: 'arn:aws:iam::000000000000:user/old' }];
      await s.events.append([
        ev('old-1', '2026-01-01T00:00:00Z', { resources: res }),
        ev('old-2', '2026-01-02T00:00:00Z', { resources: res }),
        ev('old-3', '2026-01-03T00:00:00Z', { resources: res }),
      ]);
      const delivered = (await s.trails.lastEventSeq()) - 1; // old-1 and old-2
      await s.events.append([ev('imported-old', '2026-01-01T00:00:00Z', { imported: true, addedAt: at('2026-01-04T00:00:00Z') })]);
      await s.events.append([
        ev('young', '2026-03-01T00:00:00Z'),
        ev('recent-import', '2025-01-01T00:00:00Z', { imported: true, addedAt: at('2026-03-01T00:00:00Z') }),
      ]);
      const cutoff = at('2026-02-01T00:00:00Z');
      assert.equal(await s.events.purge(cutoff, { keepAfterSeq: delivered, batchSize: 1 }), 3, 'old-1, old-2 and the old import');
      assert.deepEqual(ids(await s.events.lookup({ attributes: [], limit: 50 })), ['young', 'old-3', 'recent-import']);
      assert.deepEqual(ids(await s.events.lookup({ attributes: [{ key: 'ResourceName', value: res[0]!.name }], limit: 50 })), ['old-3']);
      assert.equal(await s.events.purge(cutoff), 1, 'without a trail, old-3 goes too');
      assert.deepEqual(ids(await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'AWS::IAM::User' }], limit: 50 })), []);
      assert.equal(await s.events.purge(cutoff), 0);
      assert.equal(await s.events.count(), 2);
    },
  );
}
