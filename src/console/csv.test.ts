/** Event history as CSV: quoting, formula neutralising, the row for a LookupEvents Event; a Lake query's rows (queryRows). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvHeader, eventRow, queryRows } from './csv.ts';

test('cells are quoted, quotes doubled, and formula-like cells prefixed with an apostrophe', () => {
  assert.equal(csvCell('plain'), '"plain"');
  assert.equal(csvCell('say "hi", ok'), '"say ""hi"", ok"');
  assert.equal(csvCell('line\r\nbreak'), '"line\r\nbreak"');
  for (const f of ['=HYPERLINK("x")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx']) assert.equal(csvCell(f), `"'${f.replace(/"/g, '""')}"`);
  assert.equal(csvCell(undefined), '""');
  assert.equal(csvCell(false), '"false"');
});

test("an Event becomes one row in the header's column order", () => {
  assert.equal(
    csvHeader(),
    '"Event ID","Event time","User name","Event name","Event source","Resource type","Resource name","AWS access key","AWS region","Error code","Source IP address","Read-only"\r\n',
  );
  const row = eventRow({
    EventId: 'e1',
    EventName: 'DeleteProject',
    EventTime: 1_700_000_000,
    Username: 'anna',
    EventSource: 'codestar.amazonaws.com',
    AccessKeyId: 'ASIAX',
    ReadOnly: 'false',
    Resources: [
      { ResourceType: 'AWS::CodeStar::Project', ResourceName: 'arn:p1' },
      { ResourceType: 'AWS::IAM::Policy', ResourceName: 'arn:p2' },
    ],
    CloudTrailEvent: JSON.stringify({ awsRegion: 'us-east-1', errorCode: 'AccessDenied', sourceIPAddress: '=cmd|x' }),
  });
  assert.equal(
    row,
    '"e1","2023-11-14T22:13:20Z","anna","DeleteProject","codestar.amazonaws.com","AWS::CodeStar::Project, AWS::IAM::Policy","arn:p1, arn:p2","ASIAX","us-east-1","AccessDenied","\'=cmd|x","false"\r\n',
  );
  assert.match(eventRow({ EventId: 'e2', CloudTrailEvent: 'not json' }), /^"e2","",/);
});

test('a Lake query page: its columns as the header, one row per result row, cells quoted and neutralised', () => {
  const rows = [
    [{ eventname: 'CreateUser' }, { who: 'say "hi", ok' }, { n: '2' }],
    [{ eventname: 'ConsoleLogin' }, { who: '=HYPERLINK("x")' }, { n: '' }],
  ];
  assert.equal(queryRows(rows, true), '"eventname","who","n"\r\n"CreateUser","say ""hi"", ok","2"\r\n"ConsoleLogin","\'=HYPERLINK(""x"")",""\r\n');
  // later pages: rows only
  assert.equal(queryRows(rows.slice(1), false), '"ConsoleLogin","\'=HYPERLINK(""x"")",""\r\n');
  // a page with no rows (a query not FINISHED, or past the last row) is nothing, header or not
  assert.equal(queryRows([], true), '');
  assert.equal(queryRows(undefined, true), '');
  // a cell that is not a one-entry map is an empty cell, not an error
  assert.equal(queryRows([[{ a: 'x' }, {}, null]], true), '"a","",""\r\n"x","",""\r\n');
});
