// Role: case 12, CloudTrail Lake (docs/lake.md#evaluation): fills an event data store with N records (default 1M; --lake-sizes) on SQLite (a file) and PostgreSQL, runs ten queries modelled on Lake's published samples through StartQuery and the query runner (worker thread, paged reads), and pages through a 50,000-row result with GetQueryResults; p50/p99 runtime per size and backend.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { harness } from '../../src/pipeline/testing.ts';
import { runNextQuery } from '../../src/services/cloudtrail/lake/runner.ts';
import { SecretBox } from '../../src/store/secret-box.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { openTestStore } from '../../src/store/testing.ts';
import type { Store } from '../../src/store/types.ts';
import type { Ctx } from '../lib/context.ts';
import { summarise } from '../lib/stats.ts';

const DAY = 86_400_000;
const SPAN_DAYS = 30;
const T0 = Date.UTC(2026, 9, 1);
const SERVICES = ['iam', 's3', 'ec2', 'sts', 'lambda', 'signin', 'cloudtrail', 'kms'];
const NAMES: Record<string, string[]> = {
  iam: ['CreateUser', 'DeleteUser', 'AttachRolePolicy', 'GetUser', 'ListRoles'],
  s3: ['CreateBucket', 'DeleteBucket', 'PutBucketPolicy', 'GetBucketAcl', 'ListBuckets'],
  ec2: ['RunInstances', 'TerminateInstances', 'DescribeInstances', 'AuthorizeSecurityGroupIngress'],
  sts: ['AssumeRole', 'GetCallerIdentity'],
  lambda: ['Invoke', 'CreateFunction20150331', 'ListFunctions20150331'],
  signin: ['ConsoleLogin'],
  cloudtrail: ['LookupEvents', 'DescribeTrails', 'StopLogging'],
  kms: ['Decrypt', 'Encrypt', 'GenerateDataKey'],
};
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];

/** A record shaped like a real CloudTrail management event, varied by i (deterministic). */
export function record(i: number, time: number): string {
  const svc = SERVICES[i % SERVICES.length]!;
  const names = NAMES[svc]!;
  const name = names[(i >> 3) % names.length]!;
  const user = `user-${(i * 7919) % 50}`;
  const role = i % 3 === 0;
  const account = i % 10 === 0 ? '210987654321' : '123456789012';
  const readOnly = /^(Get|List|Describe|Lookup)/.test(name);
  const console = i % 9 === 0;
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: role
      ? {
          type: 'AssumedRole',
          principalId: `AROAEXAMPLE:${user}`,
          arn: `arn:aws:sts::${account}:assumed-role/Admin/${user}`,
          accountId: account,
          accessKeyId: `ASIA${String(i % 1000).padStart(16, '0')}`,
          sessionContext: {
            sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${account}:role/Admin`, accountId: account, userName: 'Admin' },
            attributes: { creationDate: new Date(time - 60_000).toISOString(), mfaAuthenticated: i % 4 === 0 ? 'true' : 'false' },
          },
        }
      : { type: 'IAMUser', principalId: `AIDAEXAMPLE${i % 50}`, arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, userName: user },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: `${svc}.amazonaws.com`,
    eventName: name,
    awsRegion: REGIONS[(i >> 2) % REGIONS.length],
    sourceIPAddress: `198.51.100.${(i * 31) % 200}`,
    userAgent: console ? 'AWS Internal' : 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off command/s3api.list-buckets',
    ...(i % 17 === 0
      ? { errorCode: i % 34 === 0 ? 'AccessDenied' : 'ThrottlingException', errorMessage: 'User is not authorized to perform this operation' }
      : {}),
    requestParameters: svc === 's3' ? { bucketName: `bucket-${i % 40}`, Host: `bucket-${i % 40}.s3.amazonaws.com` } : { maxResults: 50 },
    responseElements: name === 'ConsoleLogin' ? { ConsoleLogin: 'Success' } : null,
    ...(name === 'ConsoleLogin'
      ? { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: i % 4 === 0 ? 'Yes' : 'No' } }
      : {}),
    requestID: `${i.toString(16).padStart(8, '0')}-1111-2222-3333-444455556666`,
    eventID: `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}-aaaa-bbbb-cccc-${String(i).padStart(12, '0')}`,
    readOnly,
    ...(svc === 's3' || svc === 'iam'
      ? {
          resources: [
            {
              accountId: account,
              type: svc === 's3' ? 'AWS::S3::Bucket' : 'AWS::IAM::User',
              ARN: svc === 's3' ? `arn:aws:s3:::bucket-${i % 40}` : `arn:aws:iam::${account}:user/${user}`,
            },
          ],
        }
      : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${svc}.amazonaws.com` },
    ...(console ? { sessionCredentialFromConsole: 'true' } : {}),
  });
}

const day = (n: number) => new Date(T0 + n * DAY).toISOString().slice(0, 10);

/** Ten queries after Lake's published samples (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-examples.html). */
export const SAMPLE_QUERIES: [string, (eds: string) => string][] = [
  ['top callers', (e) => `SELECT useridentity.arn, count(*) AS calls FROM ${e} GROUP BY useridentity.arn ORDER BY calls DESC LIMIT 10`],
  ['errors by code', (e) => `SELECT errorcode, eventsource, count(*) AS n FROM ${e} WHERE errorcode IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC`],
  [
    'console sign-ins without MFA',
    (e) =>
      `SELECT useridentity.arn, sourceipaddress, eventtime FROM ${e} WHERE eventname = 'ConsoleLogin' AND element_at(additionaleventdata, 'MFAUsed') = 'No' ORDER BY eventtime DESC LIMIT 100`,
  ],
  [
    'activity by source IP',
    (e) => `SELECT sourceipaddress, count(*) AS n, approx_distinct(useridentity.arn) AS who FROM ${e} GROUP BY 1 ORDER BY n DESC LIMIT 20`,
  ],
  [
    'cross-account access',
    (e) =>
      `SELECT useridentity.accountid, recipientaccountid, eventname, count(*) FROM ${e} WHERE useridentity.accountid <> recipientaccountid GROUP BY 1, 2, 3`,
  ],
  ['events per region and weekday', (e) => `SELECT awsregion, day_of_week(eventtime) AS weekday, count(*) FROM ${e} GROUP BY 1, 2 ORDER BY 1, 2`],
  [
    'resource changes (UNNEST)',
    (e) =>
      `SELECT r.arn, count(*) AS changes FROM ${e} CROSS JOIN UNNEST(resources) AS t(r) WHERE readonly = false GROUP BY r.arn ORDER BY changes DESC LIMIT 10`,
  ],
  [
    'one day (eventtime bounds)',
    (e) => `SELECT eventname, count(*) FROM ${e} WHERE eventtime >= '${day(12)} 00:00:00' AND eventtime < '${day(13)} 00:00:00' GROUP BY 1`,
  ],
  ['latest 100 (ORDER BY … LIMIT)', (e) => `SELECT eventid, eventname, eventtime FROM ${e} ORDER BY eventtime DESC LIMIT 100`],
  ['first 10 deletes (SELECT *, LIMIT)', (e) => `SELECT * FROM ${e} WHERE eventname = 'DeleteBucket' LIMIT 10`],
];

async function fill(store: Store, storeId: string, n: number, log: (m: string) => void): Promise<number> {
  const t0 = performance.now();
  const step = (SPAN_DAYS * DAY) / n;
  const BATCH = 5_000;
  for (let b = 0; b < n; b += BATCH) {
    const rows = [];
    for (let i = b; i < Math.min(n, b + BATCH); i++) {
      const time = Math.floor(T0 + i * step);
      rows.push({ storeId, seq: i + 1, eventTime: new Date(time), record: record(i, time) });
    }
    await store.lake.appendEvents(rows);
    if (b % 200_000 === 0) log(`lake: ${b + BATCH} records stored`);
  }
  return n / ((performance.now() - t0) / 1000);
}

async function runOne(
  h: Awaited<ReturnType<typeof harness>>,
  sql: string,
): Promise<{ ms: number; rows: number; scanned: number; id: string; status: string; error?: string }> {
  const r = await h.json('cloudtrail', 'StartQuery', { QueryStatement: sql });
  if (r.status !== 200) throw new Error(`StartQuery: ${r.text}`);
  const id = r.json().QueryId as string;
  const t0 = performance.now();
  while (await runNextQuery(h.store, 'bench', h.now)) {
    // one query queued: it runs here
  }
  const ms = performance.now() - t0;
  const d = (await h.json('cloudtrail', 'DescribeQuery', { QueryId: id })).json();
  const first = (await h.json('cloudtrail', 'GetQueryResults', { QueryId: id, MaxQueryResults: 1 })).json();
  return {
    ms,
    rows: first.QueryStatistics?.TotalResultsCount ?? 0,
    scanned: d.QueryStatistics?.EventsScanned ?? 0,
    id,
    status: d.QueryStatus,
    ...(d.ErrorMessage ? { error: d.ErrorMessage } : {}),
  };
}

export async function lakeCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const name = 'lake';
  const sizes = ctx.lakeSizes;
  for (const backend of ['sqlite', 'postgres'] as const) {
    for (const n of sizes) {
      const dir = mkdtempSync(join(ctx.workDir, 'lake-'));
      const store =
        backend === 'sqlite'
          ? await openSqliteStore(join(dir, 'lake.db'), new SecretBox(randomBytes(32)))
          : await openTestStore('postgres', { schemaPrefix: 'benchlake' });
      const h = await harness({ store });
      const label = `${backend}, ${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}`;
      try {
        const created = await h.json('cloudtrail', 'CreateEventDataStore', { Name: 'bench', RetentionPeriod: 3653 });
        const arn = created.json().EventDataStoreArn as string;
        const eds = arn.split('/')[1]!;
        const rate = await fill(store, eds, n, log);
        report.add({ case: name, metric: `fill (appendEvents), ${label}`, value: rate, unit: 'records/s' });
        const times: number[] = [];
        const per: Record<string, unknown> = {};
        for (const [title, make] of SAMPLE_QUERIES) {
          const runs = [];
          for (let k = 0; k < (ctx.quick ? 1 : 2); k++) {
            const r = await runOne(h, make(eds));
            if (r.status !== 'FINISHED') throw new Error(`${title}: ${r.status} ${r.error ?? ''}`);
            runs.push(r);
            times.push(r.ms);
          }
          per[title] = { ms: runs.map((r) => Math.round(r.ms)), rows: runs[0]!.rows, scanned: runs[0]!.scanned };
          log(`lake ${label}: ${title}: ${Math.round(runs[0]!.ms)} ms, ${runs[0]!.rows} rows, ${runs[0]!.scanned} scanned`);
        }
        const s = summarise(times);
        report.add({ case: name, metric: `sample queries p50, ${label}`, value: s.p50, unit: 'ms' });
        report.add({ case: name, metric: `sample queries p99, ${label}`, value: s.p99, unit: 'ms' });
        // GetQueryResults paging: 50 pages of 1,000 rows
        const big = await runOne(h, `SELECT eventid, eventname, eventtime FROM ${eds} LIMIT 50000`);
        const pageMs: number[] = [];
        let token: string | undefined;
        let rows = 0;
        do {
          const t0 = performance.now();
          const page = await h.json('cloudtrail', 'GetQueryResults', { QueryId: big.id, MaxQueryResults: 1000, ...(token ? { NextToken: token } : {}) });
          pageMs.push(performance.now() - t0);
          const body = page.json();
          rows += body.QueryResultRows.length;
          token = body.NextToken;
        } while (token);
        if (rows !== Math.min(n, 50_000)) throw new Error(`GetQueryResults paged ${rows} rows`);
        report.add({ case: name, metric: `GetQueryResults page of 1,000 (of ${rows} rows) p50, ${label}`, value: summarise(pageMs).p50, unit: 'ms' });
        report.detail(`${name}.${backend}.${n}`, { fillRate: rate, queries: per, runtimes: s, pages: summarise(pageMs) });
      } finally {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}
