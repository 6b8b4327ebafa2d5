/**
 * How the engine reads a store (docs/lake.md#evaluation): the scan hint (columns named, eventtime
 * bounds of the WHERE), LIMIT stopping the read, and streamed evaluation giving the same rows as
 * evaluation over every column of every record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cell, runQuery, type ScanHint, type StoreRows } from './engine.ts';
import { parseQuery } from './parse.ts';
import { lakeRow } from './values.ts';

const A = '11111111-2222-3333-4444-555555555555';
const B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const records = Array.from({ length: 200 }, (_, i) => ({
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/u${i % 7}`, userName: `u${i % 7}`, accountId: '123456789012' },
  eventTime: new Date(T0 + i * (DAY / 4)).toISOString().replace('.000', ''),
  eventSource: ['s3.amazonaws.com', 'iam.amazonaws.com', 'sts.amazonaws.com'][i % 3],
  eventName: `Op${i % 11}`,
  awsRegion: i % 4 ? 'us-east-1' : 'eu-west-1',
  sourceIPAddress: `10.0.${i % 3}.${i % 5}`,
  ...(i % 6 === 0 ? { errorCode: 'AccessDenied' } : {}),
  requestParameters: { bucketName: `b${i % 9}` },
  readOnly: i % 2 === 0,
  resources: [{ ARN: `arn:aws:s3:::b${i % 9}`, type: 'AWS::S3::Bucket' }],
  eventID: `ev-${i}`,
}));

/** A source that honours the hint as the runner's reader does, and records what it was asked and how much it read. */
function source(recs: typeof records) {
  const log: { hints: ScanHint[]; read: number } = { hints: [], read: 0 };
  const fn = (hint: ScanHint) => {
    log.hints.push(hint);
    // records are in (eventtime, seq) order; newest first when asked
    const ordered = hint.order === 'desc' ? [...recs].reverse() : recs;
    return (function* () {
      for (const r of ordered) {
        const t = Date.parse(r.eventTime);
        if ((hint.start !== undefined && t < hint.start) || (hint.end !== undefined && t > hint.end)) continue;
        log.read++;
        yield lakeRow(JSON.stringify(r), t, hint.columns);
      }
    })();
  };
  return { fn, log };
}

/** Every column of every record, as a list: what the engine evaluated before it streamed. */
const full: StoreRows = new Map([
  [A, records.map((r) => lakeRow(JSON.stringify(r), Date.parse(r.eventTime)))],
  [B, records.slice(0, 40).map((r) => lakeRow(JSON.stringify(r), Date.parse(r.eventTime)))],
]);

function run(sql: string, stores: StoreRows) {
  const r = runQuery(parseQuery(sql).ast, stores, T0 + 100 * DAY);
  return { columns: r.columns, rows: r.rows.map((row) => row.map(cell)), matched: r.matched };
}

function streamed(sql: string) {
  const a = source(records);
  const b = source(records.slice(0, 40));
  const r = run(
    sql,
    new Map([
      [A, a.fn],
      [B, b.fn],
    ]),
  );
  return { ...r, a: a.log, b: b.log };
}

describe('Lake scans', () => {
  it('tells the source the columns the statement names, or all for SELECT *', () => {
    const r = streamed(`SELECT eventname, count(*) FROM ${A} WHERE useridentity.username = 'u1' GROUP BY 1`);
    assert.deepEqual([...(r.a.hints[0]?.columns ?? [])].sort(), ['eventname', 'useridentity']);
    assert.equal(streamed(`SELECT * FROM ${A} LIMIT 1`).a.hints[0]?.columns, null);
    assert.equal(streamed(`SELECT t.* FROM ${A} t LIMIT 1`).a.hints[0]?.columns, null);
  });

  it('pushes eventtime bounds of top-level AND terms, either side, BETWEEN, and not through OR', () => {
    const jan5 = Date.UTC(2024, 0, 5);
    const jan9 = Date.UTC(2024, 0, 9);
    const h = (sql: string) => {
      const x = streamed(sql).a.hints[0]!;
      return { start: x.start, end: x.end };
    };
    assert.deepEqual(h(`SELECT eventid FROM ${A} WHERE eventtime >= '2024-01-05 00:00:00' AND eventtime < '2024-01-09 00:00:00'`), { start: jan5, end: jan9 });
    assert.deepEqual(h(`SELECT eventid FROM ${A} t WHERE '2024-01-05 00:00:00' < t.eventtime AND eventname = 'Op1'`), { start: jan5, end: undefined });
    assert.deepEqual(h(`SELECT eventid FROM ${A} WHERE eventtime BETWEEN timestamp '2024-01-05 00:00:00' AND timestamp '2024-01-09 00:00:00'`), {
      start: jan5,
      end: jan9,
    });
    assert.deepEqual(h(`SELECT eventid FROM ${A} WHERE eventtime > now() - interval '1' day`), { start: T0 + 99 * DAY, end: undefined });
    assert.deepEqual(h(`SELECT eventid FROM ${A} WHERE eventtime > '2024-01-05 00:00:00' OR eventname = 'Op1'`), { start: undefined, end: undefined });
    const bounded = streamed(`SELECT count(*) FROM ${A} WHERE eventtime >= '2024-01-05 00:00:00' AND eventtime < '2024-01-09 00:00:00'`);
    assert.deepEqual(bounded.rows, [['16']]);
    // the source read only the bounded records (the end bound is inclusive, so one more)
    assert.equal(bounded.a.read, 17);
  });

  it('stops reading at LIMIT without ORDER BY', () => {
    const r = streamed(`SELECT eventid FROM ${A} WHERE eventname = 'Op3' LIMIT 2`);
    assert.deepEqual(r.rows, [['ev-3'], ['ev-14']]);
    assert.equal(r.a.read, 15);
    assert.equal(r.matched, 2);
  });

  it('reads ORDER BY eventtime … LIMIT in eventtime order, stopping after the last tie', () => {
    const latest = streamed(`SELECT eventid, eventtime FROM ${A} WHERE readonly = true ORDER BY eventtime DESC LIMIT 3`);
    assert.equal(latest.a.hints[0]?.order, 'desc');
    assert.deepEqual(
      latest.rows.map((r) => r[0]),
      ['ev-198', 'ev-196', 'ev-194'],
    );
    // ev-199 … ev-194 (every other one read-only), then ev-193 and the next match, ev-192, past the boundary: 8 of 200
    assert.equal(latest.a.read, 8);
    const first = streamed(`SELECT t.eventid FROM ${A} t ORDER BY t.eventtime LIMIT 2 OFFSET 1`);
    assert.equal(first.a.hints[0]?.order, 'asc');
    assert.deepEqual(first.rows, [['ev-1'], ['ev-2']]);
    // not for an alias named eventtime, DISTINCT, aggregates or joins: those read the store whole
    for (const sql of [
      `SELECT eventname AS eventtime FROM ${A} ORDER BY eventtime DESC LIMIT 2`,
      `SELECT DISTINCT eventtime FROM ${A} ORDER BY eventtime DESC LIMIT 2`,
      `SELECT eventtime, count(*) FROM ${A} GROUP BY 1 ORDER BY eventtime DESC LIMIT 2`,
      `SELECT a.eventtime FROM ${A} a JOIN ${B} b ON a.eventid = b.eventid ORDER BY a.eventtime DESC LIMIT 2`,
      `SELECT eventtime FROM ${A} ORDER BY eventtime DESC`,
    ]) {
      const r = streamed(sql);
      assert.equal(r.a.hints[0]?.order, undefined, sql);
      assert.deepEqual(r.rows, run(sql, full).rows, sql);
    }
  });

  it('ties at the LIMIT come as a whole read orders them', () => {
    // four records per instant: the page boundary falls inside a tie
    const tied = records.map((r, i) => ({ ...r, eventTime: new Date(T0 + Math.floor(i / 4) * DAY).toISOString().replace('.000', '') }));
    const tiedFull: StoreRows = new Map([[A, tied.map((r) => lakeRow(JSON.stringify(r), Date.parse(r.eventTime)))]]);
    for (const sql of [
      `SELECT eventid FROM ${A} ORDER BY eventtime DESC LIMIT 6`,
      `SELECT eventid FROM ${A} ORDER BY eventtime LIMIT 5 OFFSET 2`,
      `SELECT eventid FROM ${A} WHERE eventname <> 'Op1' ORDER BY eventtime DESC LIMIT 7`,
    ]) {
      const src = source(tied);
      const r = run(sql, new Map([[A, src.fn]]));
      assert.ok(src.log.read < tied.length, sql);
      assert.deepEqual(r.rows, run(sql, tiedFull).rows, sql);
    }
  });

  it('gives the rows of evaluation over every column of every record', () => {
    const statements = [
      `SELECT useridentity.username u, count(*) n FROM ${A} GROUP BY 1 ORDER BY n DESC, u LIMIT 3`,
      `SELECT eventid, eventtime FROM ${A} WHERE readonly = false ORDER BY eventtime DESC LIMIT 5 OFFSET 2`,
      `SELECT DISTINCT awsregion, eventsource FROM ${A} ORDER BY 1, 2`,
      `SELECT errorcode, count(*), approx_distinct(sourceipaddress), min(eventtime), max(eventname), avg(length(eventid)) FROM ${A} GROUP BY errorcode ORDER BY 1 NULLS FIRST`,
      `SELECT r.arn, count(*) FROM ${A} CROSS JOIN UNNEST(resources) AS t(r) WHERE eventtime > '2024-02-01 00:00:00' GROUP BY 1 ORDER BY 2 DESC, 1`,
      `SELECT a.eventid, b.eventname FROM ${A} a JOIN ${B} b ON a.eventid = b.eventid WHERE a.eventtime < '2024-01-03 00:00:00' ORDER BY 1`,
      `SELECT eventname FROM ${A} WHERE eventtime < '2024-01-02 00:00:00' UNION SELECT eventname FROM ${B} WHERE errorcode IS NOT NULL ORDER BY 1`,
      `SELECT eventsource, count_if(readonly), sum(CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END) e FROM ${A} GROUP BY eventsource HAVING count(*) > 60 ORDER BY e`,
      `SELECT eventid FROM ${A} WHERE useridentity.username IN (SELECT useridentity.username FROM ${B} WHERE eventname = 'Op2') ORDER BY eventtime LIMIT 4`,
      `SELECT max_by(eventid, eventtime), min_by(eventid, eventtime), count(DISTINCT eventname), array_agg(eventid) FILTER (WHERE eventname = 'Op10') FROM ${A}`,
    ];
    for (const sql of statements) {
      const a = streamed(sql);
      const b = run(sql, full);
      assert.ok(b.rows.length > 0, sql);
      assert.deepEqual({ columns: a.columns, rows: a.rows }, { columns: b.columns, rows: b.rows }, sql);
    }
  });
});
