/**
 * The query runner's worker (docs/lake.md#evaluation): a worker is kept for the next query; a query
 * cancelled while it runs is stopped and its worker with it; a query that exhausts its heap FAILED
 * alone, and the next query runs in a fresh worker.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, type Harness } from './testing.ts';
import { openTestStore } from '../store/testing.ts';
import { queryWorkersStarted, runNextQuery } from '../services/cloudtrail/lake/runner.ts';

let h: Harness;
let eds: string;
const N = 3_000;

before(async () => {
  h = await harness({ store: await openTestStore('sqlite') });
  const r = await h.json('cloudtrail', 'CreateEventDataStore', { Name: 'runner', TerminationProtectionEnabled: false });
  eds = (r.json().EventDataStoreArn as string).split('/')[1]!;
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
