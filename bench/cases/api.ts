// Role: case 1, signed API calls: DescribeTrails, DescribeProject and LookupEvents with SigV4 + audit on (1 worker and `--workers 2`), vs audit off (STARTRAIL_BENCH_AUDIT_OFF=1), vs a bare node:http server, same client.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../lib/context.ts';
import { TARGETS } from '../lib/context.ts';
import { buildDataset } from '../lib/dataset.ts';
import { runLoad, type LoadResult, type WireRequest } from '../lib/load.ts';
import { startBare, startStartrail, type ServerProc } from '../lib/procs.ts';
import { call, signJson, type TARGET } from '../lib/sign.ts';

type Config = 'audit-on' | 'audit-off' | 'bare' | 'workers-2';
const CONFIGS: Config[] = ['audit-on', 'audit-off', 'bare', 'workers-2'];
interface Op {
  name: string;
  service: keyof typeof TARGET;
  operation: string;
  input: unknown;
}

/** Records in each startrail data dir before the run, so LookupEvents returns the same full page with audit on and off. */
const SEED_RECORDS = 2000;
const OPS: Op[] = [
  // the issue's reference call: signed, audited, read-only, one small response
  { name: 'DescribeTrails', service: 'cloudtrail', operation: 'DescribeTrails', input: {} },
  { name: 'DescribeProject', service: 'codestar', operation: 'DescribeProject', input: { id: 'bench' } },
  // A full page (MaxResults 50, the CLI's default) of seeded records; the audit records of the run itself do not match it.
  {
    name: 'LookupEvents',
    service: 'cloudtrail',
    operation: 'LookupEvents',
    input: { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ec2.amazonaws.com' }], MaxResults: 50 },
  },
];

async function startrail(ctx: Ctx, config: Exclude<Config, 'bare'>): Promise<{ server: ServerProc; dataDir: string }> {
  const dataDir = mkdtempSync(join(ctx.workDir, `api-${config}-`));
  await buildDataset({ dataDir, count: SEED_RECORDS });
  const server = await startStartrail({
    dataDir,
    env: config === 'audit-off' ? { STARTRAIL_BENCH_AUDIT_OFF: '1' } : config === 'workers-2' ? { STARTRAIL_WORKERS: '2' } : {},
    nodeArgs: ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(ctx.profileDir, config)] : [],
  });
  return { server, dataDir };
}

/** Why an operation cannot be measured on this build, or undefined when it answers 200. */
async function unavailable(server: ServerProc, op: Op): Promise<string | undefined> {
  if (op.operation === 'DescribeProject') {
    const created = await call(server, 'codestar', 'CreateProject', { name: 'bench', id: 'bench' });
    if (created.status !== 200)
      return `CreateProject answered ${created.status} ${created.json?.__type ?? ''}: ${String(created.json?.message ?? created.json?.Message ?? '').slice(0, 120)}`;
  }
  const r = await call(server, op.service, op.operation, op.input);
  if (r.status !== 200)
    return `${op.operation} answered ${r.status} ${r.json?.__type ?? ''}: ${String(r.json?.message ?? r.json?.Message ?? '').slice(0, 120)}`;
  if (op.operation === 'LookupEvents' && (r.json?.Events?.length ?? 0) < 50)
    return `LookupEvents returned ${r.json?.Events?.length ?? 0} events, expected a full page of 50`;
  return undefined;
}

/** The throughput target of an operation's audited call, if it has one. */
const throughputTarget = (name: string) =>
  name === 'DescribeTrails' ? TARGETS.describeTrailsRps : name === 'LookupEvents' ? TARGETS.lookupEventsRps : undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export async function apiCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  log(`api: starting startrail (audit on, audit off, audit on with 2 workers; ${SEED_RECORDS} seeded records each) and the bare server`);
  const on = await startrail(ctx, 'audit-on');
  const off = await startrail(ctx, 'audit-off');
  const two = await startrail(ctx, 'workers-2');
  const bare = await startBare();
  const servers: Record<Config, ServerProc> = { 'audit-on': on.server, 'audit-off': off.server, bare, 'workers-2': two.server };
  const results: Record<string, Record<Config, LoadResult[]>> = {};
  try {
    for (const op of OPS) {
      const why = (await unavailable(on.server, op)) ?? (await unavailable(off.server, op)) ?? (await unavailable(two.server, op));
      if (why) {
        log(`api: ${op.name} not available: ${why}`);
        for (const m of ['audit-on/audit-off', 'startrail/bare'])
          report.skip(`signed ${op.name}`, m, `not available: ${why}`, m.startsWith('audit') ? TARGETS.auditRatio : TARGETS.bareRatio);
        continue;
      }
      const runs: Record<Config, LoadResult[]> = { 'audit-on': [], 'audit-off': [], bare: [], 'workers-2': [] };
      results[op.name] = runs;
      const order = CONFIGS;
      for (let round = 0; round < ctx.rounds; round++) {
        // Rotate the order each round so drift in machine load does not favour one configuration.
        for (const config of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
          const s = servers[config];
          // Signed once, just before the run: replayed for its duration (SigV4 allows it within the skew window).
          const req: WireRequest = await signJson(s, s.root ?? on.server.root!, op.service, op.operation, op.input);
          const r = await runLoad({
            host: s.host,
            port: s.port,
            requests: [req],
            concurrency: ctx.concurrency,
            warmupMs: ctx.warmupMs,
            durationMs: ctx.durationMs,
            client: ctx.client,
          });
          runs[config].push(r);
          log(
            `api: ${op.name} ${config} round ${round + 1}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors${r.firstError ? ` (${r.firstError.slice(0, 200)})` : ''}`,
          );
        }
      }
      const rps = (c: Config) => median(runs[c].map((r) => r.rps));
      const pct = (c: Config, k: 'p50' | 'p99') => median(runs[c].map((r) => r[k]));
      // the issue's absolute targets for the audited call (README "Performance")
      const rpsTarget = throughputTarget(op.name);
      for (const c of CONFIGS) {
        const errors = runs[c].reduce((a, r) => a + r.errors, 0);
        report.add({
          case: `signed ${op.name}`,
          metric: `${c} throughput`,
          value: rps(c),
          unit: 'req/s',
          ...(c === 'audit-on' && rpsTarget ? { target: rpsTarget } : {}),
          note: `p50 ${pct(c, 'p50').toFixed(2)} ms, p99 ${pct(c, 'p99').toFixed(2)} ms, ${runs[c][0]!.bytesPerResponse} B/response${errors ? `, ${errors} ERRORS: ${runs[c].find((r) => r.firstError)?.firstError?.slice(0, 80)}` : ''}`,
        });
      }
      if (op.name === 'DescribeTrails')
        report.add({ case: `signed ${op.name}`, metric: 'audit-on p99', value: pct('audit-on', 'p99'), unit: 'ms', target: TARGETS.describeTrailsP99 });
      report.add({ case: `signed ${op.name}`, metric: 'audit-on/audit-off', value: rps('audit-on') / rps('audit-off'), target: TARGETS.auditRatio });
      report.add({
        case: `signed ${op.name}`,
        metric: 'startrail/bare',
        value: rps('audit-on') / rps('bare'),
        target: TARGETS.bareRatio,
        note: 'audit on vs bare',
      });
      report.add({
        case: `signed ${op.name}`,
        metric: 'workers-2/bare',
        value: rps('workers-2') / rps('bare'),
        note: `audit on, --workers 2 vs bare; ${(rps('workers-2') / rps('audit-on')).toFixed(2)} x one worker`,
      });
    }
    for (const c of CONFIGS) report.add({ case: 'signed calls', metric: `${c} server peak RSS`, value: servers[c].peakRssMb(), unit: 'MB' });
    report.detail('api', {
      concurrency: ctx.concurrency,
      warmupMs: ctx.warmupMs,
      durationMs: ctx.durationMs,
      rounds: ctx.rounds,
      client: ctx.client,
      seedRecords: SEED_RECORDS,
      ops: OPS,
      results,
      peakRssMb: Object.fromEntries(Object.entries(servers).map(([k, s]) => [k, s.peakRssMb()])),
    });
  } finally {
    await Promise.all([on.server.stop(), off.server.stop(), two.server.stop(), bare.stop()]);
    if (!ctx.keepData) for (const d of [on.dataDir, off.dataDir, two.dataDir]) rmSync(d, { recursive: true, force: true });
  }
}
