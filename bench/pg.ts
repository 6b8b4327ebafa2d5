// Role: PostgreSQL rows of the benchmark: signed calls (audit on / off, LookupEvents) and LookupEvents at 1M / 10M records, served by startrail on a PostgreSQL schema and measured through its HTTP API as bench/cases/api.ts and scale.ts measure SQLite.
//   npm run bench:pg -- [--url postgres://…] [--only calls,scale] [--sizes 1M,10M] [--duration S] [--concurrency N] [--keep]
// --keep leaves the data set schemas (bench_pg_<size>) for the next run, each with the data dir its
// server used (master key, root credentials: <tmpdir>/startrail-benchpg-kept/<schema>); without it both are dropped.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dropSchema } from '../src/store/postgres/open.ts';
import { TEST_DATABASE_URL } from '../src/store/testing.ts';
import { closeLoad, runLoad, type LoadResult } from './lib/load.ts';
import { startStartrail, type ServerProc } from './lib/procs.ts';
import { call, signJson } from './lib/sign.ts';
import { END, fillSchema, TYPES } from './pg-data.ts';

const { values: f } = parseArgs({
  options: {
    url: { type: 'string' },
    only: { type: 'string' },
    sizes: { type: 'string' },
    duration: { type: 'string' },
    concurrency: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const URL = f.url ?? TEST_DATABASE_URL;
const only = new Set((f.only ?? 'calls,scale').split(','));
const sizes = (f.sizes ?? '1M').split(',').map((s) => Math.round(Number(s.replace(/[kKmM]$/, '')) * (/[mM]$/.test(s) ? 1e6 : /[kK]$/.test(s) ? 1e3 : 1)));
const durationMs = Number(f.duration ?? 8) * 1000;
const concurrency = Number(f.concurrency ?? 16);
const t0 = performance.now();
const log = (m: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${m}\n`);
const rows: string[] = [];
const row = (c: string, metric: string, value: string, note = '') => {
  rows.push(`${c.padEnd(26)} ${metric.padEnd(34)} ${value.padStart(12)}  ${note}`);
  log(`${c}: ${metric} ${value} ${note}`);
};
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const work = mkdtempSync(join(tmpdir(), 'startrail-benchpg-'));
const kept = join(tmpdir(), 'startrail-benchpg-kept');

/** Nodes on one schema share a data dir: the master key sealing the schema's secrets lives there (as for real nodes). */
const dataDirs = new Map<string, string>();
async function serve(schema: string, env: Record<string, string> = {}): Promise<ServerProc> {
  const dataDir = dataDirs.get(schema) ?? mkdtempSync(join(work, 'node-'));
  dataDirs.set(schema, dataDir);
  return startStartrail({ dataDir, env: { STARTRAIL_DATABASE_URL: URL, STARTRAIL_DATABASE_SCHEMA: schema, STARTRAIL_DELIVERY_INTERVAL: '0', ...env } });
}
const ms = (r: LoadResult) => `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} ERRORS ${r.firstError?.slice(0, 80)}` : ''}`;

/** Signed calls at `concurrency` connections, audit on and off, on a small data set (as bench/cases/api.ts on SQLite). */
async function calls(): Promise<void> {
  const schema = `bench_pg_calls_${process.pid}`;
  await fillSchema(URL, schema, 2000, 2000, log);
  const on = await serve(schema);
  const off = await serve(schema, { STARTRAIL_BENCH_AUDIT_OFF: '1' });
  log('calls: two nodes on one schema, audit on and off');
  try {
    if ((await call(on, 'codestar', 'CreateProject', { name: 'bench', id: 'bench' })).status !== 200) throw new Error('CreateProject failed');
    const ops = [
      { name: 'DescribeProject', service: 'codestar' as const, operation: 'DescribeProject', input: { id: 'bench' } },
      {
        name: 'LookupEvents',
        service: 'cloudtrail' as const,
        operation: 'LookupEvents',
        input: { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ec2.amazonaws.com' }], MaxResults: 50 },
      },
    ];
    for (const op of ops) {
      for (const [name, s] of [
        ['audit-on', on],
        ['audit-off', off],
      ] as const) {
        const req = await signJson(s, on.root!, op.service, op.operation, op.input);
        const r = await runLoad({ host: s.host, port: s.port, requests: [req], concurrency, warmupMs: 1000, durationMs, client: 'raw' });
        row(`PG signed ${op.name}`, `${name} throughput (c=${concurrency})`, `${r.rps.toFixed(0)} req/s`, ms(r));
      }
    }
  } finally {
    await Promise.all([on.stop(), off.stop()]);
    await dropSchema(URL, schema);
  }
}

/** LookupEvents one at a time per attribute, first page of 50, and a page deep in the results (as bench/cases/scale.ts). */
async function scale(n: number): Promise<void> {
  const schema = `bench_pg_${label(n).toLowerCase()}`;
  const c = `PG LookupEvents ${label(n)}`;
  // The schema's secrets (root key) are sealed under its data dir's master key: a kept schema is
  // served again only with the data dir it was first served with; without that dir it is rebuilt.
  const dataDir = join(kept, schema);
  if (f.keep) {
    if (!existsSync(join(dataDir, 'master.key'))) await dropSchema(URL, schema);
    mkdirSync(dataDir, { recursive: true });
    dataDirs.set(schema, dataDir);
  }
  log(`${c}: filling ${schema}`);
  const d = await fillSchema(URL, schema, n, 1_000_000, log);
  if (!d.reused)
    row(
      c,
      'build',
      `${(d.appended / d.appendSeconds).toFixed(0)} rec/s`,
      `${d.appended.toLocaleString('en-US')} through EventStore.append in ${d.appendSeconds.toFixed(0)} s${d.copySeconds ? `, the rest copied in SQL in ${d.copySeconds.toFixed(0)} s` : ''}; ${d.mb.toFixed(0)} MB`,
    );
  const server = await serve(schema);
  const a = (key: string, value: string) => ({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], MaxResults: 50 });
  const day = (from: number) => ({ StartTime: Math.floor((END - from * 86_400_000) / 1000), EndTime: Math.floor((END - (from - 1) * 86_400_000) / 1000) });
  const kinds: [string, object[]][] = [
    ['no attribute (newest 50)', [{ MaxResults: 50 }]],
    ['EventId', [a('EventId', '00000000-0000-4000-8000-000000000777'), a('EventId', '00000000-0000-4000-8000-000000012345')]],
    ['EventName common / rare', [a('EventName', 'Operation0'), a('EventName', 'Operation150'), a('EventName', 'Operation199')]],
    ['ReadOnly', [a('ReadOnly', 'true'), a('ReadOnly', 'false')]],
    ['Username common / rare', [a('Username', 'user0'), a('Username', 'user500'), a('Username', 'user999')]],
    ['EventSource', [a('EventSource', 'iam.amazonaws.com'), a('EventSource', 'rds.amazonaws.com')]],
    ['AccessKeyId', [a('AccessKeyId', `AKIA${'500'.padStart(16, '0')}`), a('AccessKeyId', 'AKIANOSUCHKEYNOSUCH2')]],
    ['ResourceType common / rare', [a('ResourceType', TYPES[0]!), a('ResourceType', TYPES[19]!)]],
    ['ResourceName', [a('ResourceName', 'arn:aws:svc:us-east-1:000000000000:thing/t0'), a('ResourceName', 'arn:aws:svc:us-east-1:000000000000:thing/t99999')]],
    ['time range (1 day)', [day(30), day(60)]],
    [
      'EventName + 1 day',
      [
        { ...a('EventName', 'Operation0'), ...day(30) },
        { ...a('EventName', 'Operation150'), ...day(45) },
      ],
    ],
  ];
  try {
    let worst = 0;
    for (const [name, inputs] of kinds) {
      const probe = await call(server, 'cloudtrail', 'LookupEvents', inputs[0]);
      if (probe.status !== 200) throw new Error(`${name}: ${probe.status} ${JSON.stringify(probe.json).slice(0, 200)}`);
      const requests = await Promise.all(inputs.map((i) => signJson(server, server.root!, 'cloudtrail', 'LookupEvents', i)));
      const r = await runLoad({
        host: server.host,
        port: server.port,
        requests,
        concurrency: 1,
        warmupMs: 300,
        durationMs: Math.min(durationMs, 4000),
        client: 'raw',
      });
      worst = Math.max(worst, r.p99);
      row(c, `${name} p99`, `${r.p99.toFixed(2)} ms`, `p50 ${r.p50.toFixed(2)} ms; ${r.n} lookups${r.errors ? `; ${r.errors} ERRORS` : ''}`);
    }
    // page 200 of ReadOnly=true, reached by following NextToken
    let input: Record<string, unknown> = a('ReadOnly', 'true');
    for (let p = 1; p < 200; p++) {
      const r = await call(server, 'cloudtrail', 'LookupEvents', input);
      if (!r.json.NextToken) break;
      input = { ...a('ReadOnly', 'true'), NextToken: r.json.NextToken };
    }
    const deep = await runLoad({
      host: server.host,
      port: server.port,
      requests: [await signJson(server, server.root!, 'cloudtrail', 'LookupEvents', input)],
      concurrency: 1,
      warmupMs: 200,
      durationMs: Math.min(durationMs, 4000),
      client: 'raw',
    });
    row(c, 'NextToken page 200 (ReadOnly) p99', `${deep.p99.toFixed(2)} ms`, `p50 ${deep.p50.toFixed(2)} ms`);
    row(
      c,
      'worst p99',
      `${Math.max(worst, deep.p99).toFixed(2)} ms`,
      `${d.mb.toFixed(0)} MB of events + resources; server peak RSS ${server.peakRssMb().toFixed(0)} MB`,
    );
  } finally {
    await server.stop();
    if (!f.keep) {
      await dropSchema(URL, schema);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

try {
  if (only.has('calls')) await calls();
  if (only.has('scale')) for (const n of sizes) await scale(n);
} finally {
  await closeLoad();
  rmSync(work, { recursive: true, force: true });
}
console.log(`\nPostgreSQL (${URL.replace(/\/\/[^@]*@/, '//')}), ${((performance.now() - t0) / 60000).toFixed(1)} min\n${rows.join('\n')}`);
