/**
 * CloudTrail Lake through the in-process pipeline (docs/lake.md), on both backends: event data store
 * lifecycle and errors, ingestion by the record consumer, queries and their results against the same
 * question answered in plain TypeScript over the records, query limits, cancel, paging, retention, the
 * audit records of Lake calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, openTestStore } from '../store/testing.ts';
import { harness, type Harness } from './testing.ts';
import { noTarget } from '../delivery/targets.ts';
import { createLakeLoop } from '../services/cloudtrail/lake/loop.ts';

const ACCT = '000000000000';
const REGION = 'eu-west-1';

for (const backend of BACKENDS) {
  describe(`CloudTrail Lake (${backend})`, () => {
    let h: Harness;
    let loop: ReturnType<typeof createLakeLoop>;
    before(async () => {
      h = await harness({ store: await openTestStore(backend, { schemaPrefix: 'lake' }) });
      loop = createLakeLoop({ store: h.store, clock: h.now, log: () => {}, owner: 'test', target: () => noTarget });
    });
    after(() => h.close());

    const ct = (op: string, input: object = {}) => h.json('cloudtrail', op, input);
    async function ok(op: string, input: object = {}) {
      const r = await ct(op, input);
      assert.equal(r.status, 200, `${op}: ${r.text}`);
      return r.json();
    }
    async function fails(op: string, input: object, code: string, message?: RegExp) {
      const r = await ct(op, input);
      assert.equal(r.status, 400, `${op}: ${r.text}`);
      assert.equal(r.json().__type, code, r.text);
      if (message) assert.match(r.json().message, message);
    }
    /** Runs the loop's round with a clock past the last sweep: records copied, queries run, retention swept. */
    let sweepClock = 0;
    const round = () => {
      sweepClock += 120_000;
      return loop.tick(new Date(h.now().getTime() + sweepClock));
    };
    async function query(sql: string) {
      const { QueryId } = await ok('StartQuery', { QueryStatement: sql });
      // what the store holds when the query runs: every record so far (the StartQuery call's included)
      const seen = await h.records();
      await round();
      const rows: Record<string, string>[][] = [];
      let token: string | undefined;
      do {
        const page = await ok('GetQueryResults', { QueryId, MaxQueryResults: 3, ...(token ? { NextToken: token } : {}) });
        assert.equal(page.QueryStatus, 'FINISHED', JSON.stringify(page));
        rows.push(...page.QueryResultRows);
        token = page.NextToken;
      } while (token);
      return { id: QueryId as string, rows, seen };
    }

    test('event data stores: create, get, list, update, tags, termination protection, delete, restore, limits', async () => {
      const created = await ok('CreateEventDataStore', { Name: 'lifecycle', TagsList: [{ Key: 'team', Value: 'a' }] });
      const id = created.EventDataStoreArn.split('/')[1];
      assert.match(created.EventDataStoreArn, new RegExp(`^arn:aws:cloudtrail:${REGION}:${ACCT}:eventdatastore/[0-9a-f-]{36}$`));
      assert.deepEqual(
        { ...created, CreatedTimestamp: undefined, UpdatedTimestamp: undefined },
        {
          EventDataStoreArn: created.EventDataStoreArn,
          Name: 'lifecycle',
          Status: 'ENABLED',
          AdvancedEventSelectors: [{ Name: 'Default management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
          MultiRegionEnabled: true,
          OrganizationEnabled: false,
          BillingMode: 'EXTENDABLE_RETENTION_PRICING',
          RetentionPeriod: 366,
          TerminationProtectionEnabled: true,
          TagsList: [{ Key: 'team', Value: 'a' }],
          CreatedTimestamp: undefined,
          UpdatedTimestamp: undefined,
        },
      );
      assert.equal((await ok('GetEventDataStore', { EventDataStore: id })).Name, 'lifecycle');
      assert.equal((await ok('GetEventDataStore', { EventDataStore: created.EventDataStoreArn })).RetentionPeriod, 366);
      await fails('CreateEventDataStore', { Name: 'lifecycle' }, 'EventDataStoreAlreadyExistsException');
      await fails('CreateEventDataStore', { Name: 'a b' }, 'ValidationException');
      await fails(
        'CreateEventDataStore',
        { Name: 'short', RetentionPeriod: 3000, BillingMode: 'FIXED_RETENTION_PRICING' },
        'InvalidParameterException',
        /2557/,
      );
      await fails('CreateEventDataStore', { Name: 'org', OrganizationEnabled: true }, 'OrganizationsNotInUseException');
      await fails('GetEventDataStore', { EventDataStore: '00000000-0000-0000-0000-000000000000' }, 'EventDataStoreNotFoundException');
      await fails('GetEventDataStore', { EventDataStore: `arn:aws:cloudtrail:${REGION}:${ACCT}:trail/x` }, 'EventDataStoreARNInvalidException');
      await fails('DeleteEventDataStore', { EventDataStore: id }, 'EventDataStoreTerminationProtectedException');

      await ok('AddTags', { ResourceId: created.EventDataStoreArn, TagsList: [{ Key: 'env', Value: 'prod' }] });
      await ok('RemoveTags', { ResourceId: created.EventDataStoreArn, TagsList: [{ Key: 'team' }] });
      assert.deepEqual((await ok('ListTags', { ResourceIdList: [created.EventDataStoreArn] })).ResourceTagList, [
        { ResourceId: created.EventDataStoreArn, TagsList: [{ Key: 'env', Value: 'prod' }] },
      ]);

      const updated = await ok('UpdateEventDataStore', { EventDataStore: id, TerminationProtectionEnabled: false, RetentionPeriod: 30, Name: 'renamed' });
      assert.deepEqual([updated.Name, updated.RetentionPeriod, updated.TerminationProtectionEnabled], ['renamed', 30, false]);
      await ok('DeleteEventDataStore', { EventDataStore: id });
      assert.equal((await ok('GetEventDataStore', { EventDataStore: id })).Status, 'PENDING_DELETION');
      await fails('UpdateEventDataStore', { EventDataStore: id, RetentionPeriod: 40 }, 'InactiveEventDataStoreException');
      await fails('StartQuery', { QueryStatement: `SELECT eventname FROM ${id}` }, 'InactiveEventDataStoreException');
      assert.equal((await ok('RestoreEventDataStore', { EventDataStore: id })).Status, 'ENABLED');
      await fails('RestoreEventDataStore', { EventDataStore: id }, 'InvalidEventDataStoreStatusException');

      // at most 10 per Region (a store pending deletion counts)
      const before = (await ok('ListEventDataStores')).EventDataStores.length;
      const extra: string[] = [];
      for (let i = before; i < 10; i++)
        extra.push((await ok('CreateEventDataStore', { Name: `extra-${i}`, TerminationProtectionEnabled: false })).EventDataStoreArn);
      await fails('CreateEventDataStore', { Name: 'eleventh' }, 'EventDataStoreMaxLimitExceededException');
      const page = await ok('ListEventDataStores', { MaxResults: 4 });
      assert.equal(page.EventDataStores.length, 4);
      assert.ok(page.NextToken);
      // deleted stores go after 7 days
      await ok('DeleteEventDataStore', { EventDataStore: id });
      for (const arn of extra) await ok('DeleteEventDataStore', { EventDataStore: arn });
      h.advance(7 * 86_400_000 + 1000);
      await round();
      await fails('GetEventDataStore', { EventDataStore: id }, 'EventDataStoreNotFoundException');
      assert.equal((await ok('ListEventDataStores')).EventDataStores.length, before - 1);
    });

    test('stores fill from their creation on; queries match the same question over the records', async () => {
      const all = (await ok('CreateEventDataStore', { Name: 'all', TerminationProtectionEnabled: false })).EventDataStoreArn.split('/')[1];
      const writes = (
        await ok('CreateEventDataStore', {
          Name: 'writes',
          TerminationProtectionEnabled: false,
          AdvancedEventSelectors: [
            {
              Name: 'writes',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Management'] },
                { Field: 'readOnly', Equals: ['false'] },
              ],
            },
          ],
        })
      ).EventDataStoreArn.split('/')[1];
      for (const name of ['ana', 'bo', 'cy']) assert.equal((await h.query('iam', 'CreateUser', { UserName: name })).status, 200);
      assert.equal((await h.query('iam', 'ListUsers')).status, 200);
      assert.equal((await h.query('iam', 'GetUser', { UserName: 'nobody' })).status, 404);
      await ok('DescribeTrails');
      await round();
      /** the records a store keeps: from its CreateEventDataStore call on */
      const kept = (records: any[], name: string) =>
        records.slice(records.findIndex((r) => r.eventName === 'CreateEventDataStore' && r.requestParameters?.name === name));

      // counts per event name, as a plain computation
      const byName = await query(`SELECT eventname, count(*) AS n FROM ${all} GROUP BY eventname ORDER BY n DESC, eventname`);
      const inAll = kept(byName.seen, 'all');
      assert.equal(inAll[0].requestParameters.name, 'all');
      const counts = new Map<string, number>();
      for (const r of inAll) counts.set(r.eventName, (counts.get(r.eventName) ?? 0) + 1);
      const expected = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name, n]) => [{ eventname: name }, { n: String(n) }]);
      assert.deepEqual(byName.rows, expected);

      const w = await query(`SELECT eventname, useridentity.arn, eventtime FROM ${writes} ORDER BY eventtime, eventname`);
      const inWrites = kept(w.seen, 'writes').filter((r) => r.readOnly === false);
      assert.deepEqual(
        w.rows.map((r) => r[0]?.eventname),
        [...inWrites]
          .sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventName < b.eventName ? -1 : 1))
          .map((r) => r.eventName),
      );
      assert.match(String(w.rows[0]?.[2]?.eventtime), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);

      const errs = await query(`SELECT errorcode, eventname FROM ${all} WHERE errorcode IS NOT NULL`);
      assert.deepEqual(
        errs.rows,
        kept(errs.seen, 'all')
          .filter((r) => r.errorCode)
          .map((r) => [{ errorcode: r.errorCode }, { eventname: r.eventName }]),
      );
      const users = await query(`SELECT requestparameters['userName'] AS u FROM ${all} WHERE eventname = 'CreateUser' ORDER BY 1`);
      assert.deepEqual(users.rows, [[{ u: 'ana' }], [{ u: 'bo' }], [{ u: 'cy' }]]);

      // DescribeQuery and ListQueries
      const d = await ok('DescribeQuery', { QueryId: byName.id });
      assert.equal(d.QueryStatus, 'FINISHED');
      assert.equal(d.QueryStatistics.EventsScanned, inAll.length);
      assert.equal(d.QueryStatistics.EventsMatched, inAll.length);
      assert.deepEqual((await ok('GetQueryResults', { QueryId: errs.id })).QueryStatistics, {
        ResultsCount: errs.rows.length,
        TotalResultsCount: errs.rows.length,
        BytesScanned: (await ok('DescribeQuery', { QueryId: errs.id })).QueryStatistics.BytesScanned,
      });
      assert.ok(d.QueryStatistics.BytesScanned > 0);
      const listed = await ok('ListQueries', { EventDataStore: all, QueryStatus: 'FINISHED' });
      assert.deepEqual(
        listed.Queries.map((q: { QueryId: string }) => q.QueryId),
        [users.id, errs.id, byName.id],
      );

      // the audit records of Lake calls
      const after = await h.records();
      const start = after.find((r) => r.eventName === 'StartQuery' && r.responseElements?.queryId === byName.id);
      assert.equal(start.readOnly, false);
      assert.equal(start.eventSource, 'cloudtrail.amazonaws.com');
      assert.equal(start.managementEvent, true);
      assert.equal(start.requestParameters.queryStatement, `SELECT eventname, count(*) AS n FROM ${all} GROUP BY eventname ORDER BY n DESC, eventname`);
      assert.equal(after.find((r) => r.eventName === 'GetQueryResults').readOnly, true);
    });

    test('query errors, the concurrency limit, cancel, retention', async () => {
      const s = (await ok('CreateEventDataStore', { Name: 'limits', TerminationProtectionEnabled: false, RetentionPeriod: 7 })).EventDataStoreArn.split('/')[1];
      await fails('StartQuery', { QueryStatement: `SELEC eventname FROM ${s}` }, 'InvalidQueryStatementException');
      await fails('StartQuery', { QueryStatement: `DELETE FROM ${s}` }, 'InvalidQueryStatementException');
      await fails('StartQuery', { QueryStatement: `SELECT nosuchcolumn FROM ${s}` }, 'InvalidQueryStatementException', /nosuchcolumn/);
      await fails('StartQuery', { QueryStatement: `SELECT eventname FROM ${s} WHERE frobnicate(eventname)` }, 'InvalidQueryStatementException');
      await fails('StartQuery', { QueryStatement: 'SELECT eventname FROM 12345678-1234-1234-1234-123456789012' }, 'EventDataStoreNotFoundException');
      await fails('StartQuery', { QueryStatement: 'SELECT eventname FROM users' }, 'EventDataStoreARNInvalidException');
      await fails('GetQueryResults', { QueryId: '12345678-1234-1234-1234-123456789012' }, 'QueryIdNotFoundException');

      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await ok('StartQuery', { QueryStatement: `SELECT count(*) FROM ${s} WHERE ${i} = ${i}` })).QueryId);
      await fails('StartQuery', { QueryStatement: `SELECT count(*) FROM ${s}` }, 'MaxConcurrentQueriesException');
      assert.deepEqual(await ok('CancelQuery', { QueryId: ids[0] }), { QueryId: ids[0], QueryStatus: 'CANCELLED' });
      await fails('CancelQuery', { QueryId: ids[0] }, 'InactiveQueryException');
      await round();
      assert.equal((await ok('DescribeQuery', { QueryId: ids[0] })).QueryStatus, 'CANCELLED');
      const cancelled = await ok('GetQueryResults', { QueryId: ids[0] });
      assert.equal(cancelled.QueryStatus, 'CANCELLED');
      assert.deepEqual(cancelled.QueryResultRows, []);
      assert.equal((await ok('DescribeQuery', { QueryId: ids[1] })).QueryStatus, 'FINISHED');
      assert.deepEqual(
        (await ok('ListQueries', { EventDataStore: s, QueryStatus: 'CANCELLED' })).Queries.map((q: { QueryId: string }) => q.QueryId),
        [ids[0]],
      );

      // a statement that fails on the data: FAILED, with the engine's message
      const bad = (await ok('StartQuery', { QueryStatement: `SELECT cast(eventname AS bigint) FROM ${s}` })).QueryId;
      await round();
      const failed = await ok('DescribeQuery', { QueryId: bad });
      assert.equal(failed.QueryStatus, 'FAILED');
      assert.match(failed.ErrorMessage, /^Cannot cast '.+' to BIGINT$/);
      assert.equal((await ok('GetQueryResults', { QueryId: bad })).ErrorMessage, failed.ErrorMessage);

      // retention: 7 days; records older than that go in the sweep
      await round();
      const kept = await h.store.lake.countEvents(s);
      assert.ok(kept > 0);
      h.advance(8 * 86_400_000);
      await ok('DescribeTrails');
      await round();
      assert.equal(await h.store.lake.countEvents(s), 1, 'only the record of the call after the clock moved');
    });
  });
}
