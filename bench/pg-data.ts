// Role: PostgreSQL data sets for bench/pg.ts: a schema of N synthetic CloudTrail records, the first million (or N) written through the real EventStore.append, the rest copied in SQL.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../src/audit/columns.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import type { StoredEvent } from '../src/store/types.ts';

const DAY = 86_400_000;
/** Newest eventTime: today's UTC midnight, so the 89 days of records are inside the 90 days a server keeps (its purge would take older ones). */
export const END = Math.floor(Date.now() / DAY) * DAY;
const SOURCES = ['iam', 'sts', 'codestar', 'cloudtrail', 's3', 'ec2', 'kms', 'lambda', 'ssm', 'rds'].map((s) => `${s}.amazonaws.com`);
export const TYPES = Array.from({ length: 20 }, (_, i) => `AWS::Svc${i}::Thing`);

/** Deterministic, skewed like real traffic (low indexes far more frequent): bench/lookup.ts's distribution. */
let seed = 42;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
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
  return storedEvent(r, JSON.stringify(r));
}

export interface PgDataset {
  schema: string;
  count: number;
  appendSeconds: number;
  appended: number;
  copySeconds: number;
  mb: number;
  reused: boolean;
}

/**
 * Fills `schema` (migrated by openPostgresStore, so exactly the server's tables and indexes) up to
 * `count` records. Up to `appendMax` go through EventStore.append (the server's write path, advisory
 * lock included); beyond that, copies of those rows with new ids and times are inserted in SQL, which
 * grows the indexes the same way in a fraction of the time. An existing schema with `count` rows is reused.
 */
export async function fillSchema(url: string, schema: string, count: number, appendMax: number, log: (m: string) => void): Promise<PgDataset> {
  const store = await openPostgresStore(url, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    // a kept data set: the size it was built with (the served lookups have added their own records since)
    const built = Number((await c.query(`select value from kv where key = 'bench:records'`)).rows[0]?.value ?? 0);
    if (built === count) return { schema, count, appendSeconds: 0, appended: 0, copySeconds: 0, mb: await size(c), reused: true };
    const have = Number((await c.query('select count(*)::int8 as n from events')).rows[0].n);
    if (have) throw new Error(`schema ${schema} holds ${have} records, not a data set of ${count}: drop it first`);
    const appended = Math.min(count, appendMax);
    const t0 = performance.now();
    for (let i = 0; i < appended; i += 5000) {
      const batch: StoredEvent[] = [];
      for (let j = i; j < Math.min(appended, i + 5000); j++) batch.push(record(j));
      await store.events.append(batch);
      if (i % 200_000 === 0) log(`appended ${i.toLocaleString('en-US')}/${appended.toLocaleString('en-US')}`);
    }
    const appendSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    // copies: same attribute mix, new identity and a new random time in the same 89 days; one statement per 1M rows
    for (let copy = 1; appended * copy < count; copy++) {
      const n = Math.min(appended, count - appended * copy);
      await c.query(
        `insert into events (event_id, content_key, event_time, added_at, imported, account_id, region, event_source, event_name, read_only, username, access_key_id, record)
        select md5(event_id || $2::text), md5(content_key || $2::text), $3::int8 - (random() * 89 * 86400000)::int8, added_at, imported, account_id, region, event_source, event_name, read_only, username, access_key_id, record
        from events where seq <= $1 order by seq`,
        [n, `copy${copy}`, END],
      );
      await c.query(
        `insert into event_resources (seq, pos, event_time, resource_type, resource_name)
        select d.seq, r.pos, d.event_time, r.resource_type, r.resource_name
        from event_resources r join events s on s.seq = r.seq join events d on d.content_key = md5(s.content_key || $2::text)
        where r.seq <= $1`,
        [n, `copy${copy}`],
      );
      log(`copied to ${(appended * copy + n).toLocaleString('en-US')}/${count.toLocaleString('en-US')} (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
    }
    const copySeconds = (performance.now() - t1) / 1000;
    // what autovacuum would have gathered by now after a bulk load
    await c.query('vacuum analyze events');
    await c.query('vacuum analyze event_resources');
    await c.query(`insert into kv (key, value) values ('bench:records', $1)`, [String(count)]);
    return { schema, count, appendSeconds, appended, copySeconds, mb: await size(c), reused: false };
  } finally {
    await c.end();
    await store.close();
  }
}

async function size(c: pg.Client): Promise<number> {
  const r = await c.query(`select (pg_total_relation_size('events') + pg_total_relation_size('event_resources'))::int8 as b`);
  return Number(r.rows[0].b) / 2 ** 20;
}
