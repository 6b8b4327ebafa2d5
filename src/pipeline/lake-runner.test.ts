/**
 * The query runner's worker (docs/lake.md#evaluation): a worker is kept for the next query; a query
 * cancelled while it runs is stopped and its worker with it; a query that exhausts its heap FAILED
 * alone, and the next query runs in a fresh worker. Results are stored in chunks and paged across them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { harness, type Harness } from './testing.ts';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { BACKENDS, openTestStore } from '../store/testing.ts';
import { queryWorkersStarted, runNextQuery } from '../services/cloudtrail/lake/runner.ts';

let h: Harness;
let eds: string;
const N = 3_000;

before(async () => {
  h = await harness({ store: await openTestStore('sqlite') });
  eds = storeId(await h.json('cloudtrail', 'CreateEventDataStore', { Name: 'runner', TerminationProtectionEnabled: false }));
  const t0 = h.now().getTime() - 3_600_000;
  const rows = [];
  for (let i = 0; i < N; i++) {
    const eventTime = new Date(t0 + i * 1000);
    rows.push({
      storeId: eds,
      seq: i + 1,
      eventTime,
      record: JSON.stringify({ eventTime: eventTime.toISOString(), eventName: i % 3 === 0 ? 'GetUser' : 'ListRoles', eventID: `e-${i}` }),
    });
  }
  await h.store.lake.appendEvents(rows);
});
after(() => h.close());

async function start(sql: string): Promise<string> {
  const r = await h.json('cloudtrail', 'StartQuery', { QueryStatement: sql });
  assert.equal(r.status, 200, r.text);
  return r.json().QueryId;
}
/** The event data store id of a CreateEventDataStore answer. */
function storeId(r: { json(): { EventDataStoreArn?: string } }): string {
  const id = r.json().EventDataStoreArn?.split('/')[1];
  assert.ok(id, 'CreateEventDataStore answered an ARN');
  return id;
}
const describe = async (id: string) => (await h.json('cloudtrail', 'DescribeQuery', { QueryId: id })).json();
const runOne = (memoryMb?: number) => runNextQuery(h.store, 'runner-test', h.now, memoryMb ? { memoryMb } : {});

test('two queries in a row share one worker, and each gets its own rows', async () => {
  const a = await start(`SELECT count(*) AS n FROM ${eds} WHERE eventname = 'GetUser'`);
  assert.equal(await runOne(), true);
  const before = queryWorkersStarted();
  const b = await start(`SELECT count(*) AS n FROM ${eds} WHERE eventname = 'ListRoles'`);
  assert.equal(await runOne(), true);
  assert.equal(queryWorkersStarted(), before, 'the second query started no worker');
  const rows = async (id: string) => (await h.json('cloudtrail', 'GetQueryResults', { QueryId: id })).json().QueryResultRows;
  assert.deepEqual(await rows(a), [[{ n: String(N / 3) }]]);
  assert.deepEqual(await rows(b), [[{ n: String(N - N / 3) }]]);
});

test('a query cancelled while it runs is stopped; the next one runs in a fresh worker', async () => {
  // a cross join of 3,000 records with themselves: 9M pairs, far longer than the test waits
  const slow = await start(`SELECT count(*) FROM ${eds} a CROSS JOIN ${eds} b WHERE a.eventid < b.eventid`);
  const running = runOne();
  for (let i = 0; i < 200 && (await describe(slow)).QueryStatus !== 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal((await describe(slow)).QueryStatus, 'RUNNING');
  const started = queryWorkersStarted();
  const cancel = await h.json('cloudtrail', 'CancelQuery', { QueryId: slow });
  assert.equal(cancel.json().QueryStatus, 'CANCELLED', cancel.text);
  const t0 = Date.now();
  assert.equal(await running, true);
  assert.ok(Date.now() - t0 < 10_000, 'the runner stopped within seconds of the cancel');
  const d = await describe(slow);
  assert.equal(d.QueryStatus, 'CANCELLED');
  const next = await start(`SELECT count(*) AS n FROM ${eds}`);
  assert.equal(await runOne(), true);
  assert.equal((await describe(next)).QueryStatus, 'FINISHED');
  assert.equal(queryWorkersStarted(), started + 1, 'the cancelled query’s worker was not reused');
});

test('a query that exhausts its worker’s heap FAILED alone; the next query finishes', async () => {
  const big = await start(`SELECT a.eventid, b.eventid, a.eventname, b.eventname FROM ${eds} a CROSS JOIN ${eds} b`);
  assert.equal(await runOne(256), true);
  const d = await describe(big);
  assert.equal(d.QueryStatus, 'FAILED', JSON.stringify(d));
  assert.match(d.ErrorMessage, /exhausted the memory available to it \(256 MB\)/);
  const next = await start(`SELECT count(*) AS n FROM ${eds}`);
  assert.equal(await runOne(256), true);
  const ok = await describe(next);
  assert.equal(ok.QueryStatus, 'FINISHED', JSON.stringify(ok));
  assert.equal(ok.QueryStatistics.EventsScanned, N);
});

for (const backend of BACKENDS) {
  test(`a result of 2,345 rows is stored in chunks and paged in pages across them (${backend})`, async () => {
    const p = await harness({ store: await openTestStore(backend, { schemaPrefix: 'lakeres' }) });
    try {
      const s = storeId(await p.json('cloudtrail', 'CreateEventDataStore', { Name: 'pages', TerminationProtectionEnabled: false }));
      const t0 = p.now().getTime() - 3_600_000;
      const ids = Array.from({ length: 2_345 }, (_, i) => `e-${String(i).padStart(5, '0')}`);
      await p.store.lake.appendEvents(
        ids.map((eventID, i) => ({ storeId: s, seq: i + 1, eventTime: new Date(t0 + i), record: JSON.stringify({ eventID, eventName: 'GetUser' }) })),
      );
      const id = (await p.json('cloudtrail', 'StartQuery', { QueryStatement: `SELECT eventid FROM ${s} ORDER BY eventid DESC` })).json().QueryId;
      assert.equal(await runNextQuery(p.store, 'pages', p.now), true);
      const got: string[] = [];
      const counts: number[] = [];
      let token: string | undefined;
      do {
        const page = (await p.json('cloudtrail', 'GetQueryResults', { QueryId: id, MaxQueryResults: 700, ...(token ? { NextToken: token } : {}) })).json();
        assert.equal(page.QueryStatistics.TotalResultsCount, 2_345);
        counts.push(page.QueryStatistics.ResultsCount);
        got.push(...page.QueryResultRows.map((r: { eventid: string }[]) => r[0]?.eventid));
        token = page.NextToken;
      } while (token);
      assert.deepEqual(counts, [700, 700, 700, 245]);
      assert.deepEqual(got, [...ids].reverse());

      // newest first, read in that order across a page boundary (pages of 2,000), and only as far as the LIMIT
      const latest = async (limit: number) => {
        const q = (await p.json('cloudtrail', 'StartQuery', { QueryStatement: `SELECT eventid FROM ${s} ORDER BY eventtime DESC LIMIT ${limit}` })).json()
          .QueryId;
        assert.equal(await runNextQuery(p.store, 'pages', p.now), true);
        const d = (await p.json('cloudtrail', 'DescribeQuery', { QueryId: q })).json();
        const rows: string[] = [];
        let next: string | undefined;
        do {
          const page = (await p.json('cloudtrail', 'GetQueryResults', { QueryId: q, ...(next ? { NextToken: next } : {}) })).json();
          rows.push(...page.QueryResultRows.map((r: { eventid: string }[]) => r[0]?.eventid));
          next = page.NextToken;
        } while (next);
        return { rows, scanned: d.QueryStatistics.EventsScanned };
      };
      const deep = await latest(2_100);
      assert.deepEqual(deep.rows, [...ids].reverse().slice(0, 2_100));
      const shallow = await latest(5);
      assert.deepEqual(shallow.rows, [...ids].reverse().slice(0, 5));
      // five rows and the one that shows the boundary is passed
      assert.equal(shallow.scanned, 6);
    } finally {
      await p.close();
    }
  });
}

test('a result stored whole, as before chunked results, is still paged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-old-result-'));
  const file = join(dir, 'store.db');
  const p = await harness({ store: await openSqliteStore(file, new SecretBox(randomBytes(32))) });
  try {
    const s = storeId(await p.json('cloudtrail', 'CreateEventDataStore', { Name: 'old', TerminationProtectionEnabled: false }));
    const id = (await p.json('cloudtrail', 'StartQuery', { QueryStatement: `SELECT count(*) AS n FROM ${s}` })).json().QueryId;
    assert.equal(await runNextQuery(p.store, 'old', p.now), true);
    const raw = new Database(file);
    raw.prepare('UPDATE lake_queries SET results = ? WHERE id = ?').run(JSON.stringify({ columns: ['n'], rows: [['1'], ['2'], ['3']] }), id);
    raw.prepare('DELETE FROM lake_query_results WHERE query_id = ?').run(id);
    raw.close();
    const first = (await p.json('cloudtrail', 'GetQueryResults', { QueryId: id, MaxQueryResults: 2 })).json();
    assert.deepEqual(first.QueryResultRows, [[{ n: '1' }], [{ n: '2' }]]);
    assert.equal(first.QueryStatistics.TotalResultsCount, 3);
    const second = (await p.json('cloudtrail', 'GetQueryResults', { QueryId: id, MaxQueryResults: 2, NextToken: first.NextToken })).json();
    assert.deepEqual(second.QueryResultRows, [[{ n: '3' }]]);
    assert.equal(second.NextToken, undefined);
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
