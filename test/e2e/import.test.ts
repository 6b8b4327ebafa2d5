/**
 * `npx startrail import`: every record of the reference corpus of real records (RECORDS_FILE of
 * src/reference-data.ts) imports — as
 * JSON Lines, and as a gzipped {"Records":[…]} log file and a bare array — and is found again by
 * each lookup attribute it carries, through the SDK (all of them) and the CLI (a sample), with
 * CloudTrailEvent equal to the source line byte for byte; importing again adds nothing. The corpus
 * is read at test time, never copied into the project.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Event, LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { RECORDS_FILE } from '../../src/reference-data.ts';
import { PROJECT_ROOT, startServer, TEST_DATABASE_URL, type TestServer } from './helpers/server.ts';
import { cliLookup, sdkLookup } from './helpers/history.ts';

const CORPUS = RECORDS_FILE;
const lines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const corpus = new Set(lines);
let server: TestServer;
let env: Record<string, string> = {};
let files = '';

/** `npx startrail import …` against the server's store; returns its summary line. */
function importCli(...paths: string[]): string {
  const r = spawnSync('npx', ['startrail', 'import', '--data-dir', server.dataDir, ...paths], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

before(async () => {
  // Under STARTRAIL_E2E_BACKEND=postgres the importer must reach the server's schema: name it here.
  if (process.env.STARTRAIL_E2E_BACKEND === 'postgres') {
    env = { STARTRAIL_DATABASE_URL: TEST_DATABASE_URL, STARTRAIL_DATABASE_SCHEMA: `e2e_import_${process.pid}` };
  }
  server = await startServer(env);
  files = mkdtempSync(join(tmpdir(), 'startrail-import-'));
  writeFileSync(join(files, 'part1.json.gz'), gzipSync(`{"Records":[${lines.slice(0, 100).join(',\n')}]}`));
  writeFileSync(join(files, 'part2.json'), `[\n${lines.slice(100, 200).join(',\n')}\n]\n`);
});

after(async () => {
  await server?.dispose();
  if (files) rmSync(files, { recursive: true, force: true });
});

test('a gzipped Records file, a bare array, then the JSON Lines file; the second import adds nothing', () => {
  assert.equal(
    importCli(join(files, 'part1.json.gz'), join(files, 'part2.json')),
    'imported 200 new records from 2 files (200 read, 0 already in history, 0 not CloudTrail records)',
  );
  assert.equal(
    importCli(CORPUS),
    `imported ${lines.length - 200} new records from 1 files (${lines.length} read, 200 already in history, 0 not CloudTrail records)`,
  );
  assert.equal(
    importCli(CORPUS, files),
    `imported 0 new records from 3 files (${lines.length + 200} read, ${lines.length + 200} already in history, 0 not CloudTrail records)`,
  );
  assert.equal(lines.length, 1187);
});

/** A Region name a SigV4 credential can be scoped to (the imported examples also hold placeholders such as region-ID). */
const SIGNABLE_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The attributes a corpus record carries, as the values Event history holds for it. */
function carried(line: string): [LookupAttribute['AttributeKey'], string][] {
  const r = JSON.parse(line);
  const u = r.userIdentity && typeof r.userIdentity === 'object' ? r.userIdentity : {};
  const out: [LookupAttribute['AttributeKey'], string][] = [];
  if (typeof r.eventID === 'string') out.push(['EventId', r.eventID]);
  if (typeof r.eventName === 'string') out.push(['EventName', r.eventName]);
  if (typeof r.eventSource === 'string') out.push(['EventSource', r.eventSource]);
  if (r.readOnly === true || r.readOnly === false || r.readOnly === 'true' || r.readOnly === 'false') out.push(['ReadOnly', String(r.readOnly)]);
  if (typeof u.accessKeyId === 'string' && u.accessKeyId) out.push(['AccessKeyId', u.accessKeyId]);
  // Username as Event history shows it: a session's name for roles and federated users, "root" (or
  // the alias) for root, the service for AWSService callers, else the record's userName.
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const session = str(u.arn)?.includes('/') ? u.arn.slice(u.arn.lastIndexOf('/') + 1) : undefined;
  const afterColon = str(u.principalId)?.includes(':') ? u.principalId.slice(u.principalId.indexOf(':') + 1) : undefined;
  const username =
    u.type === 'Root'
      ? (str(u.userName) ?? 'root')
      : u.type === 'AssumedRole' || u.type === 'FederatedUser'
        ? (session ?? str(u.userName) ?? afterColon)
        : u.type === 'AWSService'
          ? str(u.invokedBy)
          : str(u.userName);
  if (username) out.push(['Username', username]);
  for (const x of Array.isArray(r.resources) ? r.resources : []) {
    if (typeof x?.type === 'string' && x.type) out.push(['ResourceType', x.type]);
    const arn = x?.ARN ?? x?.arn;
    if (typeof arn === 'string' && arn) out.push(['ResourceName', arn]);
  }
  return out;
}

test('every corpus record is found by each attribute it carries (SDK), CloudTrailEvent byte for byte, newest first', async () => {
  // Event history is per Region: each record is looked up in its awsRegion's history
  const groups = new Map<string, string[]>();
  for (const line of lines) {
    const region = String(JSON.parse(line).awsRegion);
    // a record is in its awsRegion's history; placeholders such as "region-ID" name no Region one can sign for
    if (!SIGNABLE_REGION.test(region)) continue;
    for (const [k, v] of new Map(carried(line).map(([k, v]) => [`${k}\u0000${v}`, [k, v]])).values()) {
      const key = `${k}\u0000${v}\u0000${region}`;
      groups.set(key, [...(groups.get(key) ?? []), line]);
    }
  }
  const keys = [...groups.keys()];
  const perAttribute = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const [AttributeKey, AttributeValue, region] = key.split('\u0000') as [LookupAttribute['AttributeKey'], string, string];
      const found = (await sdkLookup(server.endpoint, server.root, [{ AttributeKey, AttributeValue }], {}, region)).filter((e) =>
        corpus.has(e.CloudTrailEvent!),
      );
      assert.deepEqual(found.map((e) => e.CloudTrailEvent).sort(), [...groups.get(key)!].sort(), `${AttributeKey}=${AttributeValue}`);
      const times = found.map((e) => e.EventTime!.getTime());
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
        `${AttributeKey}=${AttributeValue}: newest first`,
      );
      perAttribute.set(AttributeKey!, (perAttribute.get(AttributeKey!) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  assert.deepEqual([...perAttribute.keys()].sort(), [
    'AccessKeyId',
    'EventId',
    'EventName',
    'EventSource',
    'ReadOnly',
    'ResourceName',
    'ResourceType',
    'Username',
  ]);
});

test("a corpus record as an Event item, through the SDK and the CLI, in its Region's history; one whose awsRegion is no Region is in none", async () => {
  const line = lines.find((l) => l.includes('"eventID":"7b32b778-91c9-4c75-9cb0-6c852791b2eb"'))!;
  const expected: Event = {
    EventId: '7b32b778-91c9-4c75-9cb0-6c852791b2eb',
    EventName: 'DescribeTags',
    AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    EventTime: new Date('2020-05-05T17:02:40Z'),
    EventSource: 'discovery.amazonaws.com',
    Username: 'sample-user',
    Resources: [],
    CloudTrailEvent: line,
  };
  const attrs: LookupAttribute[] = [
    { AttributeKey: 'EventSource', AttributeValue: 'discovery.amazonaws.com' },
    { AttributeKey: 'EventName', AttributeValue: 'DescribeTags' },
  ];
  const mine = (events: { CloudTrailEvent?: string }[]) => events.filter((e) => e.CloudTrailEvent === line);
  assert.deepEqual(mine(await sdkLookup(server.endpoint, server.root, attrs, {}, 'us-west-2')), [expected]);
  assert.deepEqual(mine(cliLookup(server.endpoint, server.root, attrs, {}, 'us-west-2')), [{ ...expected, EventTime: '2020-05-05T17:02:40+00:00' }]);
  assert.deepEqual(mine(await sdkLookup(server.endpoint, server.root, attrs, {}, 'us-east-1')), [], "not in another Region's history");
  const byUser = cliLookup(
    server.endpoint,
    server.root,
    [{ AttributeKey: 'Username', AttributeValue: 'sample-user' }],
    { start: new Date('2020-05-05T17:02:40Z'), end: new Date('2020-05-05T17:02:40Z') },
    'us-west-2',
  );
  assert.deepEqual(mine(byUser).length, 1);
  // the CodeStar example record says "awsRegion": "region-ID": no Region's history holds it
  const codestar = [{ AttributeKey: 'EventSource' as const, AttributeValue: 'codestar.amazonaws.com' }];
  for (const region of ['us-east-1', 'us-west-2']) assert.deepEqual(await sdkLookup(server.endpoint, server.root, codestar, {}, region), []);
});
