/**
 * Event history lookup benchmark (docs/architecture.md#event-history: a lookup stays in milliseconds at
 * millions of records). Fills a temporary SQLite store with N synthetic CloudTrail records through the real
 * EventStore, then times LookupEvents-shaped queries per attribute (first page of 50, a page deep
 * in the results, with a time range, AND of two attributes) and prints the query plan of each.
 *
 *   node --import tsx bench/lookup.ts [records=1000000] [postgres://… to measure PostgreSQL instead]
 *
 * (SQLite prints each query's plan; PostgreSQL runs in a throw-away schema and prints timings only.)
 * Prints figures; asserts nothing.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { storedEvent } from '../src/audit/columns.ts';
import { KyselyStore } from '../src/store/kysely-store.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import { dropSchema, openPostgresStore } from '../src/store/postgres/open.ts';
import type { EventQuery, Store, StoredEvent } from '../src/store/types.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const DAY = 86_400_000;
const END = Date.parse('2026-06-01T00:00:00Z');
const SOURCES = ['iam', 'sts', 'codestar', 'cloudtrail', 's3', 'ec2', 'kms', 'lambda', 'ssm', 'rds'].map((s) => `${s}.amazonaws.com`);
const TYPES = Array.from({ length: 20 }, (_, i) => `AWS::Svc${i}::Thing`);

/** A small deterministic generator, so runs are comparable. */
let seed = 42;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
/** skewed choice: low indexes are much more frequent, like real traffic */
const skewed = (n: number) => Math.floor(n * rnd() ** 3);

function record(i: number): StoredEvent {
  const time = new Date(END - Math.floor(rnd() * 89 * DAY)).toISOString().replace(/\.\d+Z$/, 'Z');
  const user = `user${skewed(1000)}`;
  const resources =
    rnd() < 0.3 ? [{ accountId: '000000000000', type: TYPES[skewed(20)], ARN: `arn:aws:svc:us-east-1:000000000000:thing/t${skewed(100_000)}` }] : undefined;
  const r = {
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: `AIDA${user.toUpperCase()}`,
      arn: `arn:aws:iam::000000000000:user/${user}`,
      accountId: '000000000000',
      accessKeyId: `AKIA${String(skewed(3000)).padStart(16, '0')}`,
      userName: user,
    },
    eventTime: time,
    eventSource: SOURCES[skewed(10)],
    eventName: `Operation${skewed(200)}`,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off command/svc.operation',
    requestParameters: { name: `thing-${i}`, tags: { team: 'a' } },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: rnd() < 0.7,
    ...(resources ? { resources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '000000000000',
    eventCategory: 'Management',
  };
  const json = JSON.stringify(r);
  return storedEvent(r, json);
}

const PG_URL = process.argv[3];
const SCHEMA = `bench_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'startrail-bench-'));
const file = join(dir, 'bench.db');
const sqlite = new Database(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
// A bigger page cache while filling: random eventTimes make every index insert a random B-tree write.
// Lookups below run with SQLite's default cache again, as the server's store does.
sqlite.pragma('cache_size = -262144');
let captured: CompiledQuery | undefined;
const db = new Kysely<any>({
  dialect: new SqliteDialect({ database: sqlite }),
  log: (e) => {
    if (e.level === 'query' && /^select/i.test(e.query.sql)) captured ??= e.query;
  },
});
await migrate(db, 'sqlite');
const store: Store = PG_URL
  ? await openPostgresStore(PG_URL, new SecretBox(randomBytes(32)), { schema: SCHEMA, maxConnections: 2 })
  : new KyselyStore(db, new SecretBox(randomBytes(32)));

const t0 = performance.now();
const BATCH = 5000;
for (let i = 0; i < N; i += BATCH) {
  const batch: StoredEvent[] = [];
  for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(record(j));
  await store.events.append(batch);
  if ((i / BATCH) % 20 === 0) process.stderr.write(`\rfilled ${i + batch.length}/${N}`);
}
const fillSeconds = (performance.now() - t0) / 1000;
sqlite.pragma('wal_checkpoint(TRUNCATE)');
sqlite.pragma('cache_size = -2000');
// PostgreSQL plans by statistics: give it what autovacuum would have gathered by now after a bulk load
// (SQLite runs without statistics, as the server does).
if (PG_URL) {
  const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${SCHEMA}` });
  await c.connect();
  await c.query('ANALYZE events; ANALYZE event_resources');
  await c.end();
}
process.stderr.write('\n');
console.log(
  `${PG_URL ? 'PostgreSQL' : 'SQLite'}: filled ${N} records in ${fillSeconds.toFixed(1)} s (${Math.round(N / fillSeconds)} records/s through EventStore.append)${PG_URL ? '' : `; database ${(statSync(file).size / 2 ** 20).toFixed(0)} MB`}`,
);

/** Median and max of `runs` timings of a lookup, and its plan. */
async function measure(q: EventQuery, runs = 30): Promise<{ median: number; max: number; n: number; plan: string }> {
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < runs; i++) {
    captured = undefined;
    const s = performance.now();
    const page = await store.events.lookup(q);
    times.push(performance.now() - s);
    n = page.events.length;
  }
  const plan =
    captured && !PG_URL
      ? sqlite
          .prepare(`EXPLAIN QUERY PLAN ${captured.sql}`)
          .all(...(captured.parameters as unknown[]))
          .map((r: any) => r.detail)
          .join('; ')
      : '';
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, max: times[runs - 1]!, n, plan };
}

/** The position after `pages` pages of 50, to time a page deep in the results. */
async function deep(q: EventQuery, pages: number): Promise<EventQuery> {
  let after = q.after;
  for (let i = 0; i < pages; i++) {
    const p = await store.events.lookup({ ...q, after });
    if (!p.next) break;
    after = p.next;
  }
  return { ...q, after };
}

const sample = await store.events.lookup({ attributes: [], limit: 1 });
const one = sample.events[0]!;
const a = (key: EventQuery['attributes'][number]['key'], value: string) => ({ attributes: [{ key, value }], limit: 50 });
const cases: [string, EventQuery][] = [
  ['no attribute (newest 50)', { attributes: [], limit: 50 }],
  ['EventId', a('EventId', one.eventId)],
  ['EventName common (Operation0)', a('EventName', 'Operation0')],
  ['EventName rare (Operation199)', a('EventName', 'Operation199')],
  ['EventName absent', a('EventName', 'NoSuchOperation')],
  ['ReadOnly false', a('ReadOnly', 'false')],
  ['Username common (user0)', a('Username', 'user0')],
  ['Username rare (user999)', a('Username', 'user999')],
  ['EventSource rare (rds)', a('EventSource', 'rds.amazonaws.com')],
  ['AccessKeyId (one of 3000 keys)', a('AccessKeyId', `AKIA${'500'.padStart(16, '0')}`)],
  ['AccessKeyId absent', a('AccessKeyId', 'AKIANOSUCHKEYNOSUCH2')],
  ['ResourceType common', a('ResourceType', TYPES[0]!)],
  ['ResourceType rare', a('ResourceType', TYPES[19]!)],
  ['ResourceName', a('ResourceName', 'arn:aws:svc:us-east-1:000000000000:thing/t0')],
  ['ResourceName absent', a('ResourceName', 'arn:aws:svc:us-east-1:000000000000:thing/none')],
  ['EventName + 1-day time range', { ...a('EventName', 'Operation0'), start: new Date(END - 30 * DAY), end: new Date(END - 29 * DAY) }],
  [
    'EventSource AND ReadOnly',
    {
      attributes: [
        { key: 'EventSource', value: 'iam.amazonaws.com' },
        { key: 'ReadOnly', value: 'false' },
      ],
      limit: 50,
    },
  ],
  [
    'Username AND ResourceType',
    {
      attributes: [
        { key: 'Username', value: 'user0' },
        { key: 'ResourceType', value: TYPES[0]! },
      ],
      limit: 50,
    },
  ],
];
console.log('\nlookup (page of 50)                 median ms   max ms   rows  plan');
for (const [name, q] of cases) {
  const r = await measure(q);
  console.log(`${name.padEnd(36)}${r.median.toFixed(2).padStart(9)}${r.max.toFixed(2).padStart(9)}${String(r.n).padStart(7)}  ${r.plan}`);
}
for (const [name, q] of [
  ['page 200 of no attribute', { attributes: [], limit: 50 }],
  ['page 100 of Username user0', a('Username', 'user0')],
  ['page 100 of ResourceType common', a('ResourceType', TYPES[0]!)],
] as [string, EventQuery][]) {
  const r = await measure(await deep(q, name.startsWith('page 200') ? 199 : 99));
  console.log(`${name.padEnd(36)}${r.median.toFixed(2).padStart(9)}${r.max.toFixed(2).padStart(9)}${String(r.n).padStart(7)}  ${r.plan}`);
}
await db.destroy();
if (PG_URL) {
  await store.close();
  await dropSchema(PG_URL, SCHEMA);
}
rmSync(dir, { recursive: true, force: true });
