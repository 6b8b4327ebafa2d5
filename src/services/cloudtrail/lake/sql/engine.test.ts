/** The Lake SQL engine over hand-made records: Trino semantics, Lake's schema and rendering (docs/lake.md#sql). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cell, runQuery, type StoreRows } from './engine.ts';
import { parseQuery, quoteStoreIds } from './parse.ts';
import { lakeRow } from './values.ts';

const A = '11111111-2222-3333-4444-555555555555';
const B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function rec(i: number, over: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: i % 2 ? 'IAMUser' : 'AssumedRole',
      arn: i % 2 ? `arn:aws:iam::123456789012:user/u${i % 3}` : 'arn:aws:sts::123456789012:assumed-role/r/s',
      accountId: '123456789012',
      userName: i % 2 ? `u${i % 3}` : undefined,
      sessionContext: i % 2 ? undefined : { sessionIssuer: { type: 'Role', userName: 'r' }, attributes: { mfaAuthenticated: 'false' } },
    },
    eventTime: new Date(Date.UTC(2024, 0, 1 + i, 10, 0, 0)).toISOString().replace('.000', ''),
    eventSource: i % 3 ? 's3.amazonaws.com' : 'iam.amazonaws.com',
    eventName: i % 3 ? 'CreateBucket' : 'CreateUser',
    awsRegion: i % 4 ? 'us-east-1' : 'eu-west-1',
    sourceIPAddress: `10.0.0.${i % 2}`,
    userAgent: 'aws-cli/2.9',
    ...(i % 5 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'denied' } : {}),
    requestParameters: { bucketName: `b${i}`, nested: { k: i } },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `ev-${i}`,
    readOnly: i % 2 === 0,
    resources: [{ ARN: `arn:aws:s3:::b${i}`, accountId: '123456789012', type: 'AWS::S3::Bucket' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    ...over,
  };
}

const records = Array.from({ length: 10 }, (_, i) => rec(i));
const stores: StoreRows = new Map([
  [A, records.map((r) => lakeRow(JSON.stringify(r), Date.parse(r.eventTime)))],
  [B, records.slice(0, 3).map((r) => lakeRow(JSON.stringify(r), Date.parse(r.eventTime)))],
]);
const NOW = Date.UTC(2024, 0, 20);

function q(sql: string): { columns: string[]; rows: string[][] } {
  const { ast } = parseQuery(sql);
  const r = runQuery(ast, stores, NOW);
  return { columns: r.columns, rows: r.rows.map((row) => row.map(cell)) };
}

describe('Lake SQL engine', () => {
  it('quotes bare store ids outside literals', () => {
    assert.equal(quoteStoreIds(`SELECT '${A}' FROM ${A}`), `SELECT '${A}' FROM "${A}"`);
  });

  it('selects struct paths, map subscripts and renders timestamps', () => {
    const r = q(
      `SELECT eventTime, useridentity.sessioncontext.sessionissuer.username AS u, requestparameters['bucketName'] b, element_at(requestparameters, 'nested') n FROM ${A} WHERE eventid = 'ev-2'`,
    );
    assert.deepEqual(r.columns, ['eventtime', 'u', 'b', 'n']);
    assert.deepEqual(r.rows, [['2024-01-03 10:00:00.000', 'r', 'b2', '{"k":2}']]);
  });

  it('groups, orders and limits with Trino names', () => {
    const r = q(`SELECT eventsource, count(*) FROM ${A} GROUP BY 1 ORDER BY 2 DESC, eventsource LIMIT 5`);
    assert.deepEqual(r.columns, ['eventsource', '_col1']);
    assert.deepEqual(r.rows, [
      ['s3.amazonaws.com', '6'],
      ['iam.amazonaws.com', '4'],
    ]);
  });

  it('compares eventtime with string literals and intervals', () => {
    assert.deepEqual(q(`SELECT count(*) c FROM ${A} WHERE eventtime >= '2024-01-05 00:00:00' AND eventtime < '2024-01-08 00:00:00'`).rows, [['3']]);
    assert.deepEqual(q(`SELECT count(*) c FROM ${A} WHERE eventtime > now() - interval '17' day`).rows, [['8']]);
  });

  it('unnests resources', () => {
    const r = q(`SELECT eventid, r.arn FROM ${A} CROSS JOIN UNNEST(resources) AS t(r) WHERE r.arn LIKE '%b1%' ORDER BY eventid`);
    assert.deepEqual(r.rows, [['ev-1', 'arn:aws:s3:::b1']]);
  });

  it('joins two stores, with HAVING and aggregates', () => {
    const r = q(`SELECT a.eventname, count(*) n FROM ${A} a JOIN ${B} b ON a.eventid = b.eventid GROUP BY a.eventname HAVING count(*) >= 1 ORDER BY n DESC`);
    assert.deepEqual(r.rows, [
      ['CreateBucket', '2'],
      ['CreateUser', '1'],
    ]);
    const left = q(`SELECT count(*) FROM ${A} a LEFT JOIN ${B} b ON a.eventid = b.eventid WHERE b.eventid IS NULL`);
    assert.deepEqual(left.rows, [['7']]);
  });

  it('outer joins pad with nulls, also against an empty relation', () => {
    const r = q(
      `WITH none AS (SELECT eventid, 1 AS one FROM ${A} WHERE eventid = 'nope') SELECT a.eventid, coalesce(one, 0) FROM ${B} a LEFT JOIN none ON a.eventid = none.eventid ORDER BY 1`,
    );
    assert.deepEqual(r.rows, [
      ['ev-0', '0'],
      ['ev-1', '0'],
      ['ev-2', '0'],
    ]);
    const right = q(`SELECT a.eventid, b.eventid FROM ${B} a RIGHT JOIN ${A} b ON a.eventid = b.eventid WHERE a.eventid IS NULL ORDER BY 2 LIMIT 2`);
    assert.deepEqual(right.rows, [
      ['', 'ev-3'],
      ['', 'ev-4'],
    ]);
  });

  it('WITH, set operations, sub-queries', () => {
    assert.deepEqual(q(`WITH x AS (SELECT eventid FROM ${A} WHERE readonly = true) SELECT count(*) FROM x`).rows, [['5']]);
    assert.deepEqual(q(`SELECT eventid FROM ${B} EXCEPT SELECT eventid FROM ${A} WHERE eventid = 'ev-0' ORDER BY 1`).rows, [['ev-1'], ['ev-2']]);
    assert.deepEqual(q(`SELECT eventid FROM ${A} WHERE eventid IN (SELECT eventid FROM ${B}) ORDER BY eventid DESC LIMIT 1`).rows, [['ev-2']]);
    assert.deepEqual(q(`SELECT eventid FROM ${A} UNION SELECT eventid FROM ${B} ORDER BY 1 LIMIT 2`).rows, [['ev-0'], ['ev-1']]);
  });

  it('functions: date_trunc, day_of_week, regexp_like, coalesce, cast, json_extract_scalar, approx_distinct, avg', () => {
    const r = q(
      `SELECT date_trunc('month', eventtime), day_of_week(eventtime), regexp_like(eventname, '^Create'), coalesce(errorcode, 'none'), cast(readonly AS varchar), json_extract_scalar(requestparameters['nested'], '$.k') FROM ${A} WHERE eventid = 'ev-0'`,
    );
    assert.deepEqual(r.rows, [['2024-01-01 00:00:00.000', '1', 'true', 'AccessDenied', 'true', '0']]);
    assert.deepEqual(q(`SELECT approx_distinct(sourceipaddress), avg(length(eventid)), sum(1) FROM ${A}`).rows, [['2', '4.0', '10']]);
    assert.deepEqual(q(`SELECT date_diff('day', from_iso8601_timestamp('2024-01-01T00:00:00Z'), max(eventtime)) FROM ${A}`).rows, [['9']]);
  });

  it('renders structs, maps, arrays and nulls', () => {
    const r = q(`SELECT resources, tlsdetails, requestparameters FROM ${A} WHERE eventid = 'ev-1'`);
    assert.deepEqual(r.rows, [['[{arn=arn:aws:s3:::b1, accountid=123456789012, type=AWS::S3::Bucket}]', '', '{bucketName=b1, nested={"k":1}}']]);
  });

  it('SELECT * gives Lake schema columns', () => {
    const r = q(`SELECT * FROM ${A} WHERE eventid = 'ev-3'`);
    assert.equal(r.columns[0], 'eventversion');
    assert.equal(r.columns[2], 'eventtime');
    assert.equal(r.rows[0]?.[4], 'CreateUser');
  });

  it('refuses what is not one SELECT of known functions', () => {
    for (const sql of [`DELETE FROM ${A}`, `SELECT * FROM ${A}; DROP TABLE x`, `SELECT nosuch(eventname) FROM ${A}`, `SELECT FROM WHERE`, `SELECT 1`]) {
      assert.throws(
        () => parseQuery(sql),
        (e: { code?: string }) => e.code === 'InvalidQueryStatementException',
        sql,
      );
    }
    assert.deepEqual(parseQuery(`SELECT eventname FROM ${A} a, ${B}`).stores.sort(), [A, B].sort());
  });
});
