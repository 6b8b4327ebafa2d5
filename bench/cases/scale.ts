// Role: case 2, LookupEvents at scale: builds 100k / 1M / 10M-record data dirs, serves each, and measures p50/p99 per lookup attribute, a time range and deep paging.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../lib/context.ts';
import { TARGETS } from '../lib/context.ts';
import { buildDataset, type Dataset } from '../lib/dataset.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { startStartrail, type ServerProc } from '../lib/procs.ts';
import { call, signJson } from '../lib/sign.ts';
import { summarise } from '../lib/stats.ts';

const HOUR = 3_600_000;
type Input = {
  LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
};
interface Kind {
  name: string;
  inputs: Input[];
}

const distinct = <T>(xs: (T | null | undefined)[], n = 16): T[] => [...new Set(xs.filter((x): x is T => x !== null && x !== undefined))].slice(0, n);
const attr = (key: string, values: string[]): Input[] => values.map((v) => ({ LookupAttributes: [{ AttributeKey: key, AttributeValue: v }] }));

/** The queries: every attribute with values that exist (sampled across the data set, so common and rare ones), a time range, and both together. */
function kinds(d: Dataset): Kind[] {
  const s = d.samples;
  const day = (t: number) => ({ StartTime: Math.floor((t - 12 * HOUR) / 1000), EndTime: Math.floor((t + 12 * HOUR) / 1000) });
  return [
    { name: 'EventId', inputs: attr('EventId', distinct(s.map((e) => e.eventId))) },
    { name: 'EventName', inputs: attr('EventName', distinct(s.map((e) => e.eventName))) },
    { name: 'ReadOnly', inputs: attr('ReadOnly', ['true', 'false']) },
    { name: 'Username', inputs: attr('Username', distinct(s.map((e) => e.username))) },
    { name: 'ResourceType', inputs: attr('ResourceType', distinct(s.flatMap((e) => e.resources.map((r) => r.type)))) },
    { name: 'ResourceName', inputs: attr('ResourceName', distinct(s.flatMap((e) => e.resources.map((r) => r.name)))) },
    { name: 'EventSource', inputs: attr('EventSource', distinct(s.map((e) => e.eventSource))) },
    { name: 'AccessKeyId', inputs: attr('AccessKeyId', distinct(s.map((e) => e.accessKeyId))) },
    { name: 'time range (1 day)', inputs: s.filter((_, i) => i % 4 === 0).map((e) => day(e.eventTime)) },
    {
      name: 'EventName + 1 day',
      inputs: s
        .filter((e) => e.eventName)
        .slice(0, 16)
        .map((e) => ({ ...attr('EventName', [e.eventName!])[0], ...day(e.eventTime) })),
    },
  ].filter((k) => k.inputs.length);
}

/** Follows NextToken for `pages` pages (one request at a time, signed just before it), then replays the deepest page under load. */
async function paging(ctx: Ctx, server: ServerProc, input: Input, pages: number) {
  const times: number[] = [];
  let token: string | undefined;
  let deepest: Input | undefined;
  let events = 0;
  for (let p = 0; p < pages; p++) {
    const req: Input = { ...input, ...(token ? { NextToken: token } : {}) };
    const r = await call(server, 'cloudtrail', 'LookupEvents', req);
    if (r.status !== 200) throw new Error(`paging: page ${p + 1} answered ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
    times.push(r.ms);
    events += r.json.Events.length;
    deepest = req;
    token = r.json.NextToken;
    if (!token) break;
  }
  const chain = summarise(times);
  const sign = await signJson(server, server.root!, 'cloudtrail', 'LookupEvents', deepest);
  const deep = await runLoad({
    host: server.host,
    port: server.port,
    requests: [sign],
    concurrency: 1,
    warmupMs: 200,
    durationMs: ctx.quick ? 1000 : 4000,
    client: ctx.client,
  });
  return { pagesFollowed: times.length, events, chain, deep };
}

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

async function measureSize(ctx: Ctx, d: Dataset): Promise<Record<string, unknown>> {
  const { report, log } = ctx;
  const c = `LookupEvents ${label(d.count)}`;
  const atTarget = d.count >= 10_000_000;
  const server = await startStartrail({
    dataDir: d.dataDir,
    nodeArgs: ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(ctx.profileDir, `scale-${label(d.count)}`)] : [],
  });
  const out: Record<string, unknown> = { dataset: { ...d, samples: d.samples.length } };
  try {
    const rssAfterStart = server.rssMb();
    const perKind: Record<string, LoadResult & { events: number }> = {};
    let worst = 0;
    for (const k of kinds(d)) {
      const probe = await call(server, 'cloudtrail', 'LookupEvents', k.inputs[0]);
      if (probe.status !== 200) throw new Error(`${k.name}: ${probe.status} ${JSON.stringify(probe.json).slice(0, 300)}\nserver log:\n${server.output()}`);
      const requests = await Promise.all(k.inputs.map((i) => signJson(server, server.root!, 'cloudtrail', 'LookupEvents', i)));
      // One request at a time: the latency of a lookup, not of a queue.
      const r = await runLoad({
        host: server.host,
        port: server.port,
        requests,
        concurrency: 1,
        warmupMs: 300,
        durationMs: ctx.quick ? 1000 : 4000,
        client: ctx.client,
      });
      perKind[k.name] = { ...r, events: probe.json.Events.length };
      worst = Math.max(worst, r.p99);
      log(
        `scale ${label(d.count)}: ${k.name.padEnd(20)} p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.n} lookups over ${k.inputs.length} values, ${r.errors} errors)`,
      );
      report.add({
        case: c,
        metric: `${k.name} p99`,
        value: r.p99,
        unit: 'ms',
        ...(atTarget ? { target: TARGETS.lookupP99 } : {}),
        note: `p50 ${r.p50.toFixed(2)} ms; ${r.n} lookups, ${k.inputs.length} values${r.errors ? `; ${r.errors} ERRORS ${r.firstError?.slice(0, 60)}` : ''}`,
      });
    }
    const pages = ctx.quick ? 20 : 200;
    const p = await paging(ctx, server, { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }], MaxResults: 50 }, pages);
    log(
      `scale ${label(d.count)}: paging ${p.pagesFollowed} pages: chain p50 ${p.chain.p50.toFixed(2)} p99 ${p.chain.p99.toFixed(2)} ms; page ${p.pagesFollowed} p50 ${p.deep.p50.toFixed(2)} p99 ${p.deep.p99.toFixed(2)} ms`,
    );
    report.add({
      case: c,
      metric: `NextToken page ${p.pagesFollowed} (ReadOnly=true) p99`,
      value: p.deep.p99,
      unit: 'ms',
      ...(atTarget ? { target: TARGETS.lookupP99 } : {}),
      note: `p50 ${p.deep.p50.toFixed(2)} ms; following ${p.pagesFollowed} pages: p50 ${p.chain.p50.toFixed(2)} p99 ${p.chain.p99.toFixed(2)} ms each`,
    });
    worst = Math.max(worst, p.deep.p99);
    report.add({
      case: c,
      metric: 'worst p99',
      value: worst,
      unit: 'ms',
      target: TARGETS.lookupP99,
      ...(atTarget ? {} : { note: `at ${label(d.count)}, target is for 10M` }),
    });
    const peak = server.peakRssMb();
    report.add({
      case: c,
      metric: 'server peak RSS',
      value: peak,
      unit: 'MB',
      target: TARGETS.rss,
      note: `${atTarget ? '' : `at ${label(d.count)}; `}${rssAfterStart.toFixed(0)} MB after start`,
    });
    report.add({
      case: c,
      metric: 'build (EventStore.append)',
      value: d.recordsPerSecond,
      unit: 'records/s',
      note: `${d.count.toLocaleString('en-US')} records in ${d.buildSeconds.toFixed(1)} s, database ${d.dbMb.toFixed(0)} MB${d.reused ? ' (reused from an earlier run)' : ''}`,
    });
    Object.assign(out, { perKind, paging: p, peakRssMb: peak, rssAfterStartMb: rssAfterStart });
    return out;
  } finally {
    await server.stop();
  }
}

export async function scaleCase(ctx: Ctx): Promise<void> {
  const details: Record<string, unknown> = {};
  let secondsPerRecord: number | undefined;
  for (const n of ctx.sizes) {
    if (n >= 10_000_000 && secondsPerRecord !== undefined) {
      // Index inserts slow down as the database outgrows the page cache: allow 30% on top of linear.
      const predicted = (secondsPerRecord * n * 1.3) / 60;
      if (predicted > ctx.maxBuildMinutes) {
        const why = `building ${label(n)} would take ~${predicted.toFixed(0)} min (from the 1M build), over the ${ctx.maxBuildMinutes}-min budget (--max-build-minutes)`;
        ctx.log(`scale: ${label(n)} not run: ${why}`);
        ctx.report.skip(`LookupEvents ${label(n)}`, 'p99 per attribute', why, TARGETS.lookupP99);
        ctx.report.skip(`LookupEvents ${label(n)}`, 'server peak RSS', why, TARGETS.rss);
        details[label(n)] = { skipped: why, predictedMinutes: predicted };
        continue;
      }
    }
    const dataDir = join(ctx.workDir, `scale-${label(n)}`);
    if (!ctx.keepData && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    ctx.log(`scale: building ${label(n)} records in ${dataDir}`);
    let lastLog = Date.now();
    const d = await buildDataset({
      dataDir,
      count: n,
      onProgress: (done, total) => {
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          ctx.log(`scale: built ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
        }
      },
    });
    ctx.log(
      `scale: ${label(n)} ${d.reused ? 'reused' : `built in ${d.buildSeconds.toFixed(1)} s (${d.recordsPerSecond.toFixed(0)} records/s)`}, ${d.dbMb.toFixed(0)} MB`,
    );
    secondsPerRecord = d.buildSeconds / n; // a reused dataset keeps the time it took to build
    try {
      details[label(n)] = await measureSize(ctx, d);
    } finally {
      if (!ctx.keepData) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  ctx.report.detail('scale', details);
}
