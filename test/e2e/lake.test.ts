/**
 * CloudTrail Lake end to end with the official clients only (@aws-sdk/client-cloudtrail, /usr/bin/aws;
 * docs/lake.md): event data stores filled by real calls, plus real CloudTrail records (the reference
 * data of src/reference-data.ts, RECORDS_FILE)
 * imported with StartImport from startrail's own S3; 32 queries modelled on AWS's published Lake
 * examples, each compared with the same question answered here in plain TypeScript over the records;
 * AWS's errors for an invalid query, an unknown store, a write statement and an 11th concurrent query;
 * cancel; results delivered to S3 equal to GetQueryResults; kill -9 and restart; retention, restore and
 * termination protection on a clock-shifted node. The reference records are read at test time, never copied.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CreateEventDataStoreCommand,
  DeleteEventDataStoreCommand,
  DescribeQueryCommand,
  GetEventDataStoreCommand,
  GetImportCommand,
  GetQueryResultsCommand,
  ListEventDataStoresCommand,
  LookupEventsCommand,
  RestoreEventDataStoreCommand,
  StartImportCommand,
  StartQueryCommand,
  UpdateEventDataStoreCommand,
  CancelQueryCommand,
  ListPublicKeysCommand,
} from '@aws-sdk/client-cloudtrail';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, GetUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { RECORDS_FILE } from '../../src/reference-data.ts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const DAY = 86_400_000;
let server: TestServer;
let ct: CloudTrailClient;
let iam: IAMClient;
let s3: S3Client;
let main = '';
let iamOnly = '';
/** every record `main` holds: the imported reference records within its retention, then the real calls */
let all: any[] = [];
let realIam: any[] = [];

const corpus: any[] = readFileSync(RECORDS_FILE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

function cli(args: string[], c: Credentials = server.root): any {
  const r = awsCli(server.endpoint, c, args);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}
function cliFails(args: string[], code: string): string {
  const r = awsCli(server.endpoint, server.root, args);
  assert.equal(r.status, 254, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`\\(${code}\\)`), r.stderr);
  return r.stderr;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Result {
  id: string;
  columns: string[];
  rows: string[][];
}

/** GetQueryResults pages (40 rows a page, to page) as columns and rows. */
async function results(id: string): Promise<Result> {
  const rows: string[][] = [];
  let columns: string[] = [];
  let token: string | undefined;
  do {
    const page = await ct.send(new GetQueryResultsCommand({ QueryId: id, MaxQueryResults: 40, ...(token ? { NextToken: token } : {}) }));
    assert.equal(page.QueryStatus, 'FINISHED', page.ErrorMessage);
    for (const row of page.QueryResultRows ?? []) {
      columns = row.map((c) => Object.keys(c)[0] ?? '');
      rows.push(row.map((c) => Object.values(c)[0] ?? ''));
    }
    token = page.NextToken;
  } while (token);
  return { id, columns, rows };
}

async function finished(id: string): Promise<void> {
  await until(`query ${id}`, async () => {
    const d = await ct.send(new DescribeQueryCommand({ QueryId: id }));
    assert.notEqual(d.QueryStatus, 'FAILED', d.ErrorMessage);
    return d.QueryStatus === 'FINISHED' ? true : undefined;
  });
}

/** A query through the SDK, or (`cli`) through /usr/bin/aws start-query / describe-query / get-query-results. */
async function lake(sql: string, via: 'sdk' | 'cli' = 'sdk'): Promise<Result> {
  const text = sql.replace(/\bMAIN\b/g, main).replace(/\bIAMONLY\b/g, iamOnly);
  if (via === 'cli') {
    const id = cli(['cloudtrail', 'start-query', '--query-statement', text]).QueryId as string;
    await until('the CLI query', async () => (cli(['cloudtrail', 'describe-query', '--query-id', id]).QueryStatus === 'FINISHED' ? true : undefined));
    const out = cli(['cloudtrail', 'get-query-results', '--query-id', id]);
    const rows: Record<string, string>[][] = out.QueryResultRows;
    return { id, columns: rows[0]?.map((c) => Object.keys(c)[0] ?? '') ?? [], rows: rows.map((r) => r.map((c) => Object.values(c)[0] ?? '')) };
  }
  const { QueryId } = await ct.send(new StartQueryCommand({ QueryStatement: text }));
  await finished(QueryId!);
  return results(QueryId!);
}

// ---- the same questions in plain TypeScript

/** A field by a case-insensitive path, as Lake's lowercase struct names. */
function get(r: any, path: string): any {
  let v = r;
  for (const p of path.split('.')) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    const k = Object.keys(v).find((x) => x.toLowerCase() === p);
    v = k === undefined ? undefined : v[k];
  }
  return v;
}
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function ts(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}
type V = string | number | boolean | null | undefined;
const show = (v: V) => (v === null || v === undefined ? '' : String(v));
/** Trino's order: by each key, nulls last. */
function sorted(rows: V[][], keys: [number, 'asc' | 'desc'][]): V[][] {
  return [...rows].sort((a, b) => {
    for (const [i, dir] of keys) {
      const x = a[i];
      const y = b[i];
      const xn = x === null || x === undefined;
      const yn = y === null || y === undefined;
      if (xn || yn) {
        if (xn && yn) continue;
        return xn ? 1 : -1;
      }
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      if (c !== 0) return dir === 'desc' ? -c : c;
    }
    return 0;
  });
}
function groupCount(rs: any[], key: (r: any) => V[]): V[][] {
  const m = new Map<string, { k: V[]; n: number }>();
  for (const r of rs) {
    const k = key(r);
    const id = JSON.stringify(k.map((x) => (x === undefined ? null : x)));
    const g = m.get(id);
    if (g) g.n++;
    else m.set(id, { k, n: 1 });
  }
  return [...m.values()].map((g) => [...g.k, g.n]);
}
const render = (rows: V[][]) => rows.map((r) => r.map(show));
const time = (r: any) => Date.parse(r.eventTime);
const readOnly = (r: any) => (r.readOnly === true || r.readOnly === 'true' ? true : r.readOnly === false || r.readOnly === 'false' ? false : null);
const str = (v: unknown): V => (v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
const isoDow = (ms: number) => ((new Date(ms).getUTCDay() + 6) % 7) + 1;

before(async () => {
  server = await startServer({ STARTRAIL_LAKE_INTERVAL_MS: '50' });
  ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  s3 = new S3Client({ ...sdkConfig(server.endpoint, server.root), forcePathStyle: true });
  // the reference records as two trail log files on startrail's S3, and a bucket for query results: before the stores, so these calls are in none
  await s3.send(new CreateBucketCommand({ Bucket: 'lake-import' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'lake-results' }));
  const half = Math.floor(corpus.length / 2);
  await s3.send(
    new PutObjectCommand({
      Bucket: 'lake-import',
      Key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2020/01/01/a.json.gz',
      Body: gzipSync(JSON.stringify({ Records: corpus.slice(0, half) })),
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: 'lake-import',
      Key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2020/01/02/b.json',
      Body: JSON.stringify({ Records: corpus.slice(half) }),
    }),
  );
});

after(async () => {
  await server?.dispose();
});

test('event data stores from the CLI and the SDK; real calls and the imported corpus fill them', async () => {
  const created = cli([
    'cloudtrail',
    'create-event-data-store',
    '--name',
    'main',
    '--retention-period',
    '3653',
    '--no-termination-protection-enabled',
    '--advanced-event-selectors',
    JSON.stringify([
      {
        Name: 'management events but CloudTrail’s own',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'eventSource', NotEquals: ['cloudtrail.amazonaws.com'] },
        ],
      },
    ]),
  ]);
  assert.match(created.EventDataStoreArn, /^arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore\/[0-9a-f-]{36}$/);
  assert.equal(created.Status, 'ENABLED');
  assert.equal(created.RetentionPeriod, 3653);
  main = created.EventDataStoreArn.split('/')[1];
  const second = await ct.send(
    new CreateEventDataStoreCommand({
      Name: 'iam-only',
      TerminationProtectionEnabled: false,
      AdvancedEventSelectors: [
        {
          Name: 'IAM',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventSource', Equals: ['iam.amazonaws.com'] },
          ],
        },
      ],
    }),
  );
  iamOnly = second.EventDataStoreArn!.split('/')[1]!;
  assert.deepEqual(
    (await ct.send(new ListEventDataStoresCommand({}))).EventDataStores?.map((s) => s.Name),
    ['main', 'iam-only'],
  );

  // real calls: the root's, and a user's (some denied)
  for (const name of ['ana', 'bo', 'cy', 'alice']) await iam.send(new CreateUserCommand({ UserName: name }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  const alice = new IAMClient(sdkConfig(server.endpoint, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }));
  await assert.rejects(alice.send(new ListUsersCommand({})), { name: 'AccessDenied' });
  await assert.rejects(alice.send(new GetUserCommand({ UserName: 'bo' })), { name: 'AccessDenied' });
  await assert.rejects(iam.send(new GetUserCommand({ UserName: 'nobody' })), { name: 'NoSuchEntityException' });
  await iam.send(new ListUsersCommand({}));
  cli(['sts', 'get-caller-identity']);

  // the reference records, imported from S3
  const imp = await ct.send(
    new StartImportCommand({
      Destinations: [created.EventDataStoreArn],
      ImportSource: {
        S3: { S3LocationUri: 's3://lake-import/AWSLogs/', S3BucketRegion: 'us-east-1', S3BucketAccessRoleArn: 'arn:aws:iam::000000000000:role/import' },
      },
    }),
  );
  assert.equal(imp.ImportStatus, 'INITIALIZING');
  const done = await until('the import', async () => {
    const g = await ct.send(new GetImportCommand({ ImportId: imp.ImportId }));
    return g.ImportStatus === 'COMPLETED' ? g : undefined;
  });
  assert.deepEqual(done.ImportStatistics, { PrefixesFound: 2, PrefixesCompleted: 2, FilesCompleted: 2, EventsCompleted: corpus.length, FailedEntries: 0 });
  assert.equal(cli(['cloudtrail', 'list-imports']).Imports[0].ImportId, imp.ImportId);

  // the real records, from Event history: every one after main's creation but CloudTrail's own
  const history: any[] = [];
  let token: string | undefined;
  do {
    const page = await ct.send(new LookupEventsCommand({ MaxResults: 50, ...(token ? { NextToken: token } : {}) }));
    history.push(...(page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!)));
    token = page.NextToken;
  } while (token);
  history.reverse();
  const from = history.findIndex((r) => r.eventName === 'CreateEventDataStore' && r.requestParameters?.name === 'main');
  assert.ok(from >= 0);
  const real = history.slice(from).filter((r) => r.eventSource !== 'cloudtrail.amazonaws.com');
  const iamFrom = history.findIndex((r) => r.eventName === 'CreateEventDataStore' && r.requestParameters?.name === 'iam-only');
  realIam = history.slice(iamFrom).filter((r) => r.eventSource === 'iam.amazonaws.com');
  assert.equal(real.filter((r) => r.eventName === 'CreateUser').length, 4);
  const oldest = Date.now() - 3653 * DAY;
  all = [...corpus.filter((r) => time(r) >= oldest), ...real];
  // every real record has reached the store
  await until('the real records in main', async () => {
    const r = await lake(`SELECT count(*) FROM MAIN WHERE recipientaccountid = '000000000000' AND eventtime > '2024-01-01 00:00:00'`);
    return r.rows[0]?.[0] === String(real.length) ? true : undefined;
  });
  assert.equal((await lake('SELECT count(*) AS n FROM MAIN')).rows[0]?.[0], String(all.length));
});

/** Each query and the same question computed over `all` (columns, then rows). */
const QUERIES: { name: string; sql: string; via?: 'cli'; expect: () => [string[], V[][]] }[] = [
  {
    name: 'top callers per service',
    sql: 'SELECT eventsource, useridentity.arn AS caller, count(*) AS n FROM MAIN GROUP BY eventsource, useridentity.arn ORDER BY n DESC, eventsource, caller LIMIT 15',
    expect: () => [
      ['eventsource', 'caller', 'n'],
      sorted(
        groupCount(all, (r) => [r.eventSource, get(r, 'useridentity.arn')]),
        [
          [2, 'desc'],
          [0, 'asc'],
          [1, 'asc'],
        ],
      ).slice(0, 15),
    ],
  },
  {
    name: 'errors by errorCode',
    sql: 'SELECT errorcode, count(*) AS n FROM MAIN WHERE errorcode IS NOT NULL GROUP BY errorcode ORDER BY n DESC, errorcode',
    via: 'cli',
    expect: () => [
      ['errorcode', 'n'],
      sorted(
        groupCount(
          all.filter((r) => r.errorCode != null),
          (r) => [r.errorCode],
        ),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'console sign-ins without MFA',
    sql: "SELECT useridentity.arn, sourceipaddress, eventtime FROM MAIN WHERE eventname = 'ConsoleLogin' AND additionaleventdata['MFAUsed'] = 'No' ORDER BY eventtime, 1, 2",
    expect: () => [
      ['arn', 'sourceipaddress', 'eventtime'],
      sorted(
        all
          .filter((r) => r.eventName === 'ConsoleLogin' && r.additionalEventData?.MFAUsed === 'No')
          .map((r) => [get(r, 'useridentity.arn'), r.sourceIPAddress, time(r)]),
        [
          [2, 'asc'],
          [0, 'asc'],
          [1, 'asc'],
        ],
      ).map((r) => [r[0], r[1], ts(r[2] as number)]),
    ],
  },
  {
    name: 'cross-account access',
    sql: 'SELECT useridentity.accountid AS caller, recipientaccountid, count(*) AS n FROM MAIN WHERE useridentity.accountid <> recipientaccountid GROUP BY 1, 2 ORDER BY n DESC, 1, 2',
    expect: () => [
      ['caller', 'recipientaccountid', 'n'],
      sorted(
        groupCount(
          all.filter(
            (r) => get(r, 'useridentity.accountid') != null && r.recipientAccountId != null && get(r, 'useridentity.accountid') !== r.recipientAccountId,
          ),
          (r) => [get(r, 'useridentity.accountid'), r.recipientAccountId],
        ),
        [
          [2, 'desc'],
          [0, 'asc'],
          [1, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'activity by source IP',
    sql: 'SELECT sourceipaddress, count(*) AS n, approx_distinct(eventname) AS names FROM MAIN GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10',
    expect: () => {
      const m = new Map<V, { n: number; names: Set<string> }>();
      for (const r of all) {
        const k = r.sourceIPAddress ?? null;
        const g = m.get(k) ?? { n: 0, names: new Set<string>() };
        g.n++;
        if (r.eventName != null) g.names.add(r.eventName);
        m.set(k, g);
      }
      return [
        ['sourceipaddress', 'n', 'names'],
        sorted(
          [...m].map(([k, g]) => [k, g.n, g.names.size]),
          [
            [1, 'desc'],
            [0, 'asc'],
          ],
        ).slice(0, 10),
      ];
    },
  },
  {
    name: 'write events from the console',
    sql: "SELECT eventname, count(*) AS n FROM MAIN WHERE readonly = false AND (sessioncredentialfromconsole = 'true' OR useragent LIKE '%console%') GROUP BY eventname ORDER BY n DESC, eventname",
    expect: () => [
      ['eventname', 'n'],
      sorted(
        groupCount(
          all.filter((r) => readOnly(r) === false && (String(r.sessionCredentialFromConsole) === 'true' || String(r.userAgent ?? '').includes('console'))),
          (r) => [r.eventName],
        ),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'events per region and weekday',
    sql: 'SELECT awsregion, day_of_week(eventtime) AS dow, count(*) AS n FROM MAIN GROUP BY 1, 2 ORDER BY 1, 2',
    expect: () => [
      ['awsregion', 'dow', 'n'],
      sorted(
        groupCount(all, (r) => [r.awsRegion, isoDow(time(r))]),
        [
          [0, 'asc'],
          [1, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'resource changes with UNNEST',
    sql: 'SELECT r.type, r.arn, eventname FROM MAIN CROSS JOIN UNNEST(resources) AS t(r) WHERE readonly = false ORDER BY 1, 2, 3',
    expect: () => [
      ['type', 'arn', 'eventname'],
      sorted(
        all
          .filter((r) => readOnly(r) === false && Array.isArray(r.resources))
          .flatMap((r) => r.resources.map((x: any) => [get(x, 'type'), get(x, 'arn'), r.eventName])),
        [
          [0, 'asc'],
          [1, 'asc'],
          [2, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'a JOIN of two stores',
    sql: 'SELECT a.eventname, count(*) AS n FROM MAIN a JOIN IAMONLY b ON a.eventid = b.eventid GROUP BY a.eventname ORDER BY n DESC, 1',
    expect: () => [
      ['eventname', 'n'],
      sorted(
        groupCount(realIam, (r) => [r.eventName]),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'events per user identity type',
    sql: 'SELECT useridentity.type AS t, count(*) AS n FROM MAIN GROUP BY useridentity.type ORDER BY n DESC, t',
    via: 'cli',
    expect: () => [
      ['t', 'n'],
      sorted(
        groupCount(all, (r) => [get(r, 'useridentity.type')]),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'access denied by caller',
    sql: "SELECT useridentity.arn AS who, eventname, count(*) AS n FROM MAIN WHERE errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation') GROUP BY 1, 2 ORDER BY n DESC, 1, 2",
    expect: () => [
      ['who', 'eventname', 'n'],
      sorted(
        groupCount(
          all.filter((r) => ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation'].includes(r.errorCode)),
          (r) => [get(r, 'useridentity.arn'), r.eventName],
        ),
        [
          [2, 'desc'],
          [0, 'asc'],
          [1, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'root activity',
    sql: "SELECT eventsource, eventname, count(*) AS n FROM MAIN WHERE useridentity.type = 'Root' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
    expect: () => [
      ['eventsource', 'eventname', 'n'],
      sorted(
        groupCount(
          all.filter((r) => get(r, 'useridentity.type') === 'Root'),
          (r) => [r.eventSource, r.eventName],
        ),
        [
          [2, 'desc'],
          [0, 'asc'],
          [1, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'IAM changes',
    sql: "SELECT eventname, useridentity.arn AS who, requestparameters['userName'] AS target FROM MAIN WHERE eventsource = 'iam.amazonaws.com' AND readonly = false ORDER BY 1, 2, 3",
    expect: () => [
      ['eventname', 'who', 'target'],
      sorted(
        all
          .filter((r) => r.eventSource === 'iam.amazonaws.com' && readOnly(r) === false)
          .map((r) => [r.eventName, get(r, 'useridentity.arn'), str(r.requestParameters?.userName)]),
        [
          [0, 'asc'],
          [1, 'asc'],
          [2, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'roles behind assumed-role sessions',
    sql: 'SELECT useridentity.sessioncontext.sessionissuer.username AS role, count(*) AS n FROM MAIN WHERE useridentity.sessioncontext.sessionissuer.username IS NOT NULL GROUP BY 1 ORDER BY n DESC, role LIMIT 10',
    expect: () => [
      ['role', 'n'],
      sorted(
        groupCount(
          all.filter((r) => get(r, 'useridentity.sessioncontext.sessionissuer.username') != null),
          (r) => [get(r, 'useridentity.sessioncontext.sessionissuer.username')],
        ),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ).slice(0, 10),
    ],
  },
  {
    name: 'events per month within a time range',
    sql: "SELECT date_trunc('month', eventtime) AS month, count(*) AS n FROM MAIN WHERE eventtime >= '2019-01-01 00:00:00' AND eventtime < '2022-01-01 00:00:00' GROUP BY 1 ORDER BY 1",
    expect: () => {
      const rows = groupCount(
        all.filter((r) => time(r) >= Date.UTC(2019, 0, 1) && time(r) < Date.UTC(2022, 0, 1)),
        (r) => {
          const d = new Date(time(r));
          return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)];
        },
      );
      return [['month', 'n'], sorted(rows, [[0, 'asc']]).map((r) => [ts(r[0] as number), r[1]])];
    },
  },
  {
    name: 'DISTINCT event sources',
    sql: 'SELECT DISTINCT eventsource FROM MAIN ORDER BY eventsource',
    expect: () => [
      ['eventsource'],
      sorted(
        [...new Set(all.map((r) => r.eventSource ?? null))].map((s) => [s]),
        [[0, 'asc']],
      ),
    ],
  },
  {
    name: 'HAVING',
    sql: 'SELECT eventname, count(*) FROM MAIN GROUP BY eventname HAVING count(*) > 5 ORDER BY 2 DESC, 1',
    expect: () => [
      ['eventname', '_col1'],
      sorted(
        groupCount(all, (r) => [r.eventName]).filter((g) => (g[1] as number) > 5),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'a sub-query: what callers with errors did',
    sql: 'SELECT eventname, count(*) AS n FROM MAIN WHERE useridentity.arn IN (SELECT useridentity.arn FROM MAIN WHERE errorcode IS NOT NULL) GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10',
    expect: () => {
      const callers = new Set(all.filter((r) => r.errorCode != null && get(r, 'useridentity.arn') != null).map((r) => get(r, 'useridentity.arn')));
      return [
        ['eventname', 'n'],
        sorted(
          groupCount(
            all.filter((r) => callers.has(get(r, 'useridentity.arn'))),
            (r) => [r.eventName],
          ),
          [
            [1, 'desc'],
            [0, 'asc'],
          ],
        ).slice(0, 10),
      ];
    },
  },
  {
    name: 'WITH and LEFT JOIN: error rate per service',
    sql: 'WITH errs AS (SELECT eventsource, count(*) AS e FROM MAIN WHERE errorcode IS NOT NULL GROUP BY eventsource), tot AS (SELECT eventsource, count(*) AS t FROM MAIN GROUP BY eventsource) SELECT tot.eventsource, t, coalesce(e, 0) AS e FROM tot LEFT JOIN errs ON tot.eventsource = errs.eventsource ORDER BY t DESC, tot.eventsource LIMIT 12',
    expect: () => {
      const tot = new Map<V, number>();
      const errs = new Map<V, number>();
      for (const r of all) {
        tot.set(r.eventSource ?? null, (tot.get(r.eventSource ?? null) ?? 0) + 1);
        if (r.errorCode != null) errs.set(r.eventSource ?? null, (errs.get(r.eventSource ?? null) ?? 0) + 1);
      }
      return [
        ['eventsource', 't', 'e'],
        sorted(
          [...tot].map(([k, t]) => [k, t, k === null ? 0 : (errs.get(k) ?? 0)]),
          [
            [1, 'desc'],
            [0, 'asc'],
          ],
        ).slice(0, 12),
      ];
    },
  },
  {
    name: 'UNION',
    sql: "SELECT eventname FROM MAIN WHERE eventsource = 'iam.amazonaws.com' UNION SELECT eventname FROM MAIN WHERE eventsource = 'sts.amazonaws.com' ORDER BY 1",
    expect: () => [
      ['eventname'],
      sorted(
        [...new Set(all.filter((r) => r.eventSource === 'iam.amazonaws.com' || r.eventSource === 'sts.amazonaws.com').map((r) => r.eventName ?? null))].map(
          (n) => [n],
        ),
        [[0, 'asc']],
      ),
    ],
  },
  {
    name: 'EXCEPT across stores',
    sql: "SELECT eventname FROM MAIN WHERE eventsource = 'iam.amazonaws.com' EXCEPT SELECT eventname FROM IAMONLY ORDER BY 1",
    expect: () => {
      const inIam = new Set(realIam.map((r) => r.eventName));
      return [
        ['eventname'],
        sorted(
          [...new Set(all.filter((r) => r.eventSource === 'iam.amazonaws.com').map((r) => r.eventName ?? null))].filter((n) => !inIam.has(n)).map((n) => [n]),
          [[0, 'asc']],
        ),
      ];
    },
  },
  {
    name: 'regexp_like',
    sql: "SELECT count(*) AS n FROM MAIN WHERE regexp_like(eventname, '^(Create|Delete)')",
    expect: () => [['n'], [[all.filter((r) => /^(Create|Delete)/.test(r.eventName ?? '')).length]]],
  },
  {
    name: 'lower, upper, concat',
    sql: "SELECT concat(lower(eventsource), ':', upper(eventname)) AS k, count(*) AS n FROM MAIN GROUP BY 1 ORDER BY n DESC, k LIMIT 8",
    expect: () => [
      ['k', 'n'],
      sorted(
        groupCount(all, (r) => [r.eventSource == null || r.eventName == null ? null : `${r.eventSource.toLowerCase()}:${r.eventName.toUpperCase()}`]),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ).slice(0, 8),
    ],
  },
  {
    name: 'element_at on requestparameters',
    sql: "SELECT element_at(requestparameters, 'bucketName') AS bucket, count(*) AS n FROM MAIN WHERE element_at(requestparameters, 'bucketName') IS NOT NULL GROUP BY 1 ORDER BY n DESC, bucket LIMIT 10",
    expect: () => [
      ['bucket', 'n'],
      sorted(
        groupCount(
          all.filter((r) => r.requestParameters?.bucketName != null),
          (r) => [str(r.requestParameters.bucketName)],
        ),
        [
          [1, 'desc'],
          [0, 'asc'],
        ],
      ).slice(0, 10),
    ],
  },
  {
    name: 'json_extract_scalar on a nested response element',
    sql: "SELECT json_extract_scalar(responseelements['credentials'], '$.accessKeyId') AS key, eventname FROM MAIN WHERE json_extract_scalar(responseelements['credentials'], '$.accessKeyId') IS NOT NULL ORDER BY 1, 2",
    expect: () => [
      ['key', 'eventname'],
      sorted(
        all
          .filter(
            (r) =>
              r.responseElements?.credentials &&
              typeof r.responseElements.credentials === 'object' &&
              typeof r.responseElements.credentials.accessKeyId !== 'object',
          )
          .filter((r) => r.responseElements.credentials.accessKeyId != null)
          .map((r) => [String(r.responseElements.credentials.accessKeyId), r.eventName]),
        [
          [0, 'asc'],
          [1, 'asc'],
        ],
      ),
    ],
  },
  {
    name: 'date_diff between first and last',
    sql: "SELECT eventname, date_diff('day', min(eventtime), max(eventtime)) AS span FROM MAIN GROUP BY 1 HAVING count(*) > 1 ORDER BY span DESC, 1 LIMIT 10",
    expect: () => {
      const m = new Map<V, number[]>();
      for (const r of all) m.set(r.eventName ?? null, [...(m.get(r.eventName ?? null) ?? []), time(r)]);
      return [
        ['eventname', 'span'],
        sorted(
          [...m].filter(([, t]) => t.length > 1).map(([k, t]) => [k, Math.trunc((Math.max(...t) - Math.min(...t)) / DAY)]),
          [
            [1, 'desc'],
            [0, 'asc'],
          ],
        ).slice(0, 10),
      ];
    },
  },
  {
    name: 'from_iso8601_timestamp',
    sql: "SELECT count(*) FROM MAIN WHERE eventtime > from_iso8601_timestamp('2020-06-01T00:00:00Z')",
    expect: () => [['_col0'], [[all.filter((r) => time(r) > Date.UTC(2020, 5, 1)).length]]],
  },
  {
    name: 'cast of readonly',
    sql: 'SELECT cast(readonly AS varchar) AS ro, count(*) AS n FROM MAIN GROUP BY 1 ORDER BY 1',
    expect: () => [
      ['ro', 'n'],
      sorted(
        groupCount(all, (r) => [readOnly(r) === null ? null : String(readOnly(r))]),
        [[0, 'asc']],
      ),
    ],
  },
  {
    name: 'CASE',
    sql: "SELECT CASE WHEN errorcode IS NULL THEN 'ok' ELSE 'error' END AS outcome, count(*) AS n FROM MAIN GROUP BY 1 ORDER BY 1",
    expect: () => [
      ['outcome', 'n'],
      sorted(
        groupCount(all, (r) => [r.errorCode == null ? 'ok' : 'error']),
        [[0, 'asc']],
      ),
    ],
  },
  {
    name: 'MFA-authenticated sessions',
    sql: 'SELECT useridentity.sessioncontext.attributes.mfaauthenticated AS mfa, count(*) AS n FROM MAIN WHERE useridentity.sessioncontext IS NOT NULL GROUP BY 1 ORDER BY 1',
    expect: () => [
      ['mfa', 'n'],
      sorted(
        groupCount(
          all.filter((r) => get(r, 'useridentity.sessioncontext') != null),
          (r) => [str(get(r, 'useridentity.sessioncontext.attributes.mfaauthenticated'))],
        ),
        [[0, 'asc']],
      ),
    ],
  },
  {
    name: "a user's calls, in time order",
    sql: "SELECT eventname, errorcode, eventtime FROM MAIN WHERE useridentity.username = 'alice' ORDER BY eventtime, eventname",
    expect: () => [
      ['eventname', 'errorcode', 'eventtime'],
      sorted(
        all.filter((r) => get(r, 'useridentity.username') === 'alice').map((r) => [r.eventName, r.errorCode, time(r)]),
        [
          [2, 'asc'],
          [0, 'asc'],
        ],
      ).map((r) => [r[0], r[1], ts(r[2] as number)]),
    ],
  },
  {
    name: 'events per hour of the real calls',
    sql: "SELECT date_trunc('hour', eventtime) AS h, eventsource, count(*) AS n FROM MAIN WHERE recipientaccountid = '000000000000' GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 100",
    expect: () => {
      const rows = groupCount(
        all.filter((r) => r.recipientAccountId === '000000000000'),
        (r) => [Math.floor(time(r) / 3_600_000) * 3_600_000, r.eventSource],
      );
      return [
        ['h', 'eventsource', 'n'],
        sorted(rows, [
          [0, 'asc'],
          [1, 'asc'],
        ]).map((r) => [ts(r[0] as number), r[1], r[2]]),
      ];
    },
  },
];

for (const q of QUERIES) {
  test(`query: ${q.name}`, async () => {
    const [columns, rows] = q.expect();
    const got = await lake(q.sql, q.via);
    if (got.rows.length) assert.deepEqual(got.columns, columns);
    assert.deepEqual(got.rows, render(rows));
  });
}

test('the queries above hold at least 30 of AWS’s examples', () => {
  assert.ok(QUERIES.length >= 30);
});

test('errors: an invalid query, an unknown store, a write statement, an unknown column, the 11th concurrent query; cancel', async () => {
  cliFails(['cloudtrail', 'start-query', '--query-statement', `SELEKT eventname FROM ${main}`], 'InvalidQueryStatementException');
  cliFails(['cloudtrail', 'start-query', '--query-statement', 'SELECT eventname FROM 01234567-89ab-cdef-0123-456789abcdef'], 'EventDataStoreNotFoundException');
  cliFails(['cloudtrail', 'start-query', '--query-statement', `DELETE FROM ${main} WHERE eventname = 'x'`], 'InvalidQueryStatementException');
  cliFails(['cloudtrail', 'start-query', '--query-statement', `INSERT INTO ${main} VALUES (1)`], 'InvalidQueryStatementException');
  const unknown = cliFails(['cloudtrail', 'start-query', '--query-statement', `SELECT nosuchcolumn FROM ${main}`], 'InvalidQueryStatementException');
  assert.match(unknown, /nosuchcolumn/);
  cliFails(['cloudtrail', 'get-query-results', '--query-id', '01234567-89ab-cdef-0123-456789abcdef'], 'QueryIdNotFoundException');

  // queries wait while the Lake loop is paused (a node with a long round interval): 10 may wait, not 11
  server.env.STARTRAIL_LAKE_INTERVAL_MS = '600000';
  await server.restart();
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await ct.send(new StartQueryCommand({ QueryStatement: `SELECT count(*) FROM ${main} WHERE ${i} = ${i}` }))).QueryId!);
  await assert.rejects(ct.send(new StartQueryCommand({ QueryStatement: `SELECT count(*) FROM ${main}` })), { name: 'MaxConcurrentQueriesException' });
  assert.deepEqual(cli(['cloudtrail', 'cancel-query', '--query-id', ids[0]!]), { QueryId: ids[0], QueryStatus: 'CANCELLED' });
  cliFails(['cloudtrail', 'cancel-query', '--query-id', ids[0]!], 'InactiveQueryException');
  assert.equal((await ct.send(new DescribeQueryCommand({ QueryId: ids[0] }))).QueryStatus, 'CANCELLED');
  await ct.send(new CancelQueryCommand({ QueryId: ids[1] }));
  server.env.STARTRAIL_LAKE_INTERVAL_MS = '50';
  await server.restart();
  // the queued ones ran after the restart; the cancelled stay cancelled
  for (const id of ids.slice(2)) await finished(id);
  assert.equal((await results(ids[5]!)).rows[0]?.[0], String(all.length));
  const cancelled = await ct.send(new GetQueryResultsCommand({ QueryId: ids[1] }));
  assert.equal(cancelled.QueryStatus, 'CANCELLED');
  assert.deepEqual(cancelled.QueryResultRows, []);
});

test('results delivered to S3 match GetQueryResults', async () => {
  const sql = `SELECT eventsource, eventname, count(*) AS n FROM ${main} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 25`;
  const { QueryId } = await ct.send(new StartQueryCommand({ QueryStatement: sql, DeliveryS3Uri: 's3://lake-results/saved' }));
  await finished(QueryId!);
  const d = await until('the delivery', async () => {
    const x = await ct.send(new DescribeQueryCommand({ QueryId }));
    return x.DeliveryStatus === 'SUCCESS' ? x : undefined;
  });
  assert.equal(d.DeliveryS3Uri, 's3://lake-results/saved');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'lake-results', Prefix: 'saved/' }));
  const key = listed.Contents?.map((o) => o.Key).find((k) => k?.endsWith(`/${QueryId}/result_1.csv.gz`));
  assert.match(String(key), /^saved\/AWSLogs\/000000000000\/CloudTrail-Lake\/Query\/\d{4}\/\d\d\/\d\d\/[0-9a-f-]{36}\/result_1\.csv\.gz$/);
  const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'lake-results', Key: key }))).Body!.transformToByteArray());
  const lines = gunzipSync(body).toString('utf8').trimEnd().split('\n');
  const api = await results(QueryId!);
  assert.deepEqual(lines[0], api.columns.join(','));
  assert.deepEqual(
    lines.slice(1),
    api.rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')),
  );
  // the sign file beside it, checked as verify-query-results does: each file's SHA-256, then the
  // SHA256withRSA signature of the hashes joined by spaces, with the key ListPublicKeys gives for its time
  const signKey = String(key).replace(/result_1\.csv\.gz$/, 'result_sign.json');
  const signed = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'lake-results', Key: signKey }))).Body!.transformToString());
  assert.deepEqual(Object.keys(signed).sort(), [
    'files',
    'hashAlgorithm',
    'hashSignature',
    'publicKeyFingerprint',
    'queryCompleteTime',
    'region',
    'signatureAlgorithm',
    'version',
  ]);
  assert.deepEqual([signed.version, signed.region, signed.hashAlgorithm, signed.signatureAlgorithm], ['1.0', 'us-east-1', 'SHA-256', 'SHA256withRSA']);
  assert.deepEqual(signed.files, [{ fileHashValue: createHash('sha256').update(body).digest('hex'), fileName: 'result_1.csv.gz' }]);
  assert.match(signed.queryCompleteTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const completed = new Date(signed.queryCompleteTime);
  const keys = await ct.send(
    new ListPublicKeysCommand({ StartTime: new Date(completed.getTime() - 3_600_000), EndTime: new Date(completed.getTime() + 3_600_000) }),
  );
  const pub = keys.PublicKeyList?.find((k) => k.Fingerprint === signed.publicKeyFingerprint);
  assert.ok(pub?.Value, `ListPublicKeys lists ${signed.publicKeyFingerprint}`);
  const publicKey = createPublicKey({ key: Buffer.from(pub.Value), format: 'der', type: 'pkcs1' });
  const toSign = Buffer.from(signed.files.map((f: { fileHashValue: string }) => f.fileHashValue).join(' '));
  assert.equal(verify('sha256', toSign, publicKey, Buffer.from(signed.hashSignature, 'hex')), true);
  assert.equal(verify('sha256', Buffer.from(`${toSign} `), publicKey, Buffer.from(signed.hashSignature, 'hex')), false);
  await assert.rejects(ct.send(new StartQueryCommand({ QueryStatement: sql, DeliveryS3Uri: 's3://no-such-bucket-here/x' })), {
    name: 'S3BucketDoesNotExistException',
  });
});

test('kill -9: every call after it is in the store exactly once; results survive', async () => {
  const before = await lake(`SELECT count(*) FROM ${main}`);
  for (const name of ['k1', 'k2', 'k3']) await iam.send(new CreateUserCommand({ UserName: name }));
  await server.kill();
  await server.restart();
  const count = `SELECT count(*) FROM ${main} WHERE eventname = 'CreateUser' AND requestparameters['userName'] IN ('k1', 'k2', 'k3')`;
  await until('the records after the kill', async () => ((await lake(count)).rows[0]?.[0] === '3' ? true : undefined));
  await sleep(300);
  assert.equal((await lake(count)).rows[0]?.[0], '3');
  assert.equal((await results(before.id)).rows[0]?.[0], before.rows[0]?.[0], 'an earlier query’s results');
  assert.equal((await ct.send(new ListEventDataStoresCommand({}))).EventDataStores?.length, 2);
});

test('termination protection, deletion, restore and retention on a clock-shifted node', async () => {
  const mk = async (name: string, extra: object = {}) => (await ct.send(new CreateEventDataStoreCommand({ Name: name, ...extra }))).EventDataStoreArn!;
  const kept = await mk('protected');
  const gone = await mk('gone', { TerminationProtectionEnabled: false });
  const back = await mk('back', { TerminationProtectionEnabled: false });
  const week = await mk('week', { TerminationProtectionEnabled: false, RetentionPeriod: 7 });
  await assert.rejects(ct.send(new DeleteEventDataStoreCommand({ EventDataStore: kept })), { name: 'EventDataStoreTerminationProtectedException' });
  await ct.send(new DeleteEventDataStoreCommand({ EventDataStore: gone }));
  await ct.send(new DeleteEventDataStoreCommand({ EventDataStore: back }));
  assert.equal((await ct.send(new GetEventDataStoreCommand({ EventDataStore: gone }))).Status, 'PENDING_DELETION');
  assert.equal((await ct.send(new RestoreEventDataStoreCommand({ EventDataStore: back }))).Status, 'ENABLED');
  await iam.send(new CreateUserCommand({ UserName: 'in-week' }));
  const weekId = week.split('/')[1];
  const q = `SELECT count(*) FROM ${weekId} WHERE eventname = 'CreateUser'`;
  await until('the week store', async () => ((await lake(q)).rows[0]?.[0] === '1' ? true : undefined));

  // eight days later
  server.env.STARTRAIL_CLOCK_OFFSET_SECONDS = String(8 * 86_400);
  await server.restart();
  // the clients sign with the node's time: a new client per call, since the SDK's skew correction would
  // take the Date header (the real time) as the server's clock after the first answer
  const ahead = { ...sdkConfig(server.endpoint, server.root), systemClockOffset: 8 * DAY };
  ct = { send: (c: any) => new CloudTrailClient(ahead).send(c) } as unknown as CloudTrailClient;
  iam = { send: (c: any) => new IAMClient(ahead).send(c) } as unknown as IAMClient;
  await until('the sweep', async () => {
    try {
      await ct.send(new GetEventDataStoreCommand({ EventDataStore: gone }));
      return undefined;
    } catch (e) {
      assert.equal((e as Error).name, 'EventDataStoreNotFoundException');
      return true;
    }
  });
  assert.equal((await ct.send(new GetEventDataStoreCommand({ EventDataStore: back }))).Status, 'ENABLED');
  assert.equal((await ct.send(new GetEventDataStoreCommand({ EventDataStore: kept }))).Status, 'ENABLED');
  assert.equal((await lake(q)).rows[0]?.[0], '0', 'the week-old record is past its retention');
  await iam.send(new CreateUserCommand({ UserName: 'after-shift' }));
  await until('the new record', async () => ((await lake(q)).rows[0]?.[0] === '1' ? true : undefined));
  await ct.send(new UpdateEventDataStoreCommand({ EventDataStore: kept, TerminationProtectionEnabled: false }));
  await ct.send(new DeleteEventDataStoreCommand({ EventDataStore: kept }));
  assert.equal((await ct.send(new GetEventDataStoreCommand({ EventDataStore: kept }))).Status, 'PENDING_DELETION');
});
