// Role: entry of `npm run bench [-- --quick]`: parses flags, runs every case (signed calls, LookupEvents at scale, import, delivery, validate-logs, SQS, notifications), prints the table, writes bench/results/<timestamp>.json.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiCase } from './cases/api.ts';
import { deliveryCase } from './cases/delivery.ts';
import { importCase } from './cases/import.ts';
import { notificationsCase } from './cases/notifications.ts';
import { eventbridgeCase } from './cases/eventbridge.ts';
import { scaleCase } from './cases/scale.ts';
import { validateLogsCase } from './cases/validate-logs.ts';
import { cloudwatchCase } from './cases/cloudwatch.ts';
import { lakeCase } from './cases/lake.ts';
import { logsCase } from './cases/logs.ts';
import { trailLogsCase } from './cases/trail-logs.ts';
import { sqsCase } from './sqs.ts';
import type { Ctx } from './lib/context.ts';
import { closeLoad } from './lib/load.ts';
import { newestProfile, printHottest } from './lib/profile.ts';
import { PROJECT_ROOT } from './lib/procs.ts';
import { Report } from './lib/report.ts';

const HELP = `npm run bench [-- options]
  --quick                 before/after check in under 2 minutes (100k records only, short runs)
  --only LIST             cases to run: api,scale,import,delivery,validate-logs,sqs,notifications,eventbridge,logs,trail-logs,cloudwatch,lake (default all)
  --sizes LIST            LookupEvents-at-scale sizes, e.g. 100k,1M,10M (default 100k,1M,10M; --quick 100k)
  --max-build-minutes M   build 10M only if the 1M build predicts at most M minutes (default 20)
  --concurrency N         connections for the signed-call case (default 16)
  --duration S            measured seconds per load run (default 8; --quick 1.5)
  --rounds N              interleaved rounds per configuration, median taken (default 3; --quick 2)
  --import-records N      records to import (default 500000; --quick 30000)
  --lake-sizes LIST       CloudTrail Lake event data store sizes (default 1M; --quick 100k)
  --client raw|http       load generator client (default raw: pre-serialised bytes on keep-alive sockets)
  --work-dir DIR          scratch space for data dirs (default a new $TMPDIR/startrail-benchrun-*)
  --keep-data             keep built datasets (in $TMPDIR/startrail-bench-data unless --work-dir) and reuse them next time
  --profile               run servers with --cpu-prof and print the hottest functions`;

const { values: f } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    sizes: { type: 'string' },
    'lake-sizes': { type: 'string' },
    'max-build-minutes': { type: 'string' },
    concurrency: { type: 'string' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    'import-records': { type: 'string' },
    client: { type: 'string' },
    'work-dir': { type: 'string' },
    'keep-data': { type: 'boolean' },
    profile: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (f.help) {
  console.log(HELP);
  process.exit(0);
}

const size = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`bad size '${s}'`);
  return Math.round(Number(m[1]) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1e3 : 1e6) : 1));
};
const quick = !!f.quick;
const started = performance.now();
const log = (msg: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
const report = new Report();
// Each run has its own scratch dir (runs may overlap); --keep-data uses a fixed one so datasets are found again.
const keepData = !!f['keep-data'];
const workDir = f['work-dir'] ?? (keepData ? join(tmpdir(), 'startrail-bench-data') : mkdtempSync(join(tmpdir(), 'startrail-benchrun-')));
mkdirSync(workDir, { recursive: true });
const ownWorkDir = !f['work-dir'] && !keepData;
const profileDir = f.profile ? join(PROJECT_ROOT, 'bench', 'results', `profiles-${report.startedAt.toISOString().replace(/[:.]/g, '-')}`) : undefined;

const ctx: Ctx = {
  quick,
  concurrency: Number(f.concurrency ?? 16),
  warmupMs: quick ? 500 : 2000,
  durationMs: Number(f.duration ?? (quick ? 1.5 : 8)) * 1000,
  rounds: Number(f.rounds ?? (quick ? 2 : 3)),
  client: f.client === 'http' ? 'http' : 'raw',
  workDir,
  keepData,
  sizes: (f.sizes ?? (quick ? '100k' : '100k,1M,10M')).split(',').map(size),
  maxBuildMinutes: Number(f['max-build-minutes'] ?? 20),
  importRecords: size(f['import-records'] ?? (quick ? '30k' : '500k')),
  lakeSizes: (f['lake-sizes'] ?? (quick ? '100k' : '1M')).split(',').map(size),
  ...(profileDir ? { profileDir } : {}),
  report,
  log,
};
const only = new Set((f.only ?? 'api,scale,import,delivery,validate-logs,sqs,notifications,eventbridge,logs,trail-logs,cloudwatch,lake').split(','));
const CASES: [string, (c: Ctx) => Promise<void>][] = [
  ['api', apiCase],
  ['scale', scaleCase],
  ['import', importCase],
  ['delivery', deliveryCase],
  ['validate-logs', validateLogsCase],
  ['sqs', sqsCase],
  ['notifications', notificationsCase],
  ['eventbridge', eventbridgeCase],
  ['logs', logsCase],
  ['trail-logs', trailLogsCase],
  ['cloudwatch', cloudwatchCase],
  ['lake', lakeCase],
];

const load = loadavg()[0]!;
report.detail('loadavgAtStart', loadavg());
log(
  `startrail bench${quick ? ' --quick' : ''}: ${cpus().length} cores, load average ${load.toFixed(2)}${load > cpus().length / 2 ? ' (busy machine: figures will be noisy; compare ratios, not absolutes)' : ''}`,
);
const failures: string[] = [];
for (const [name, run] of CASES) {
  if (!only.has(name)) continue;
  const t0 = performance.now();
  try {
    await run(ctx);
  } catch (e) {
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    failures.push(`${name}: ${msg}`);
    log(`${name} FAILED: ${msg}`);
    report.skip(name, 'case', `failed: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`);
  }
  report.detail(`seconds.${name}`, (performance.now() - t0) / 1000);
}

await closeLoad();

if (profileDir && existsSync(profileDir)) {
  const profiles: Record<string, unknown> = {};
  for (const sub of readdirSync(profileDir)) {
    const file = newestProfile(join(profileDir, sub));
    if (file) {
      console.log(`\n== ${sub}`);
      profiles[sub] = printHottest(file);
    }
  }
  report.detail('profiles', profiles);
}

report.print();
const seconds = (performance.now() - started) / 1000;
const file = report.write({
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  quick,
  seconds,
  settings: { ...ctx, report: undefined, log: undefined },
  failures,
});
if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
console.log(`\n${seconds.toFixed(0)} s; report written to ${file}`);
process.exitCode = failures.length ? 1 : 0;
