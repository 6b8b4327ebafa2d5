// Role: case 4, delivery: records per second from the store to gzipped log files (the delivery loop in-process, embedded object store on disk), and event-to-object latency through a served trail.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ctx } from '../lib/context.ts';
import { startStartrail, type ServerProc } from '../lib/procs.ts';
import { call, s3 } from '../lib/sign.ts';
import { summarise } from '../lib/stats.ts';
import { loadTemplates, Synth } from '../lib/synth.ts';

const ACCOUNT = '000000000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The delivery loop over a store holding N new records, ticked until it has nothing left: records/s and files. */
async function throughput(_ctx: Ctx, dir: string, count: number) {
  const { loggingTrail, cloudTrailPolicy } = await import('../../src/delivery/testing.ts');
  const { createDelivery, embeddedTarget } = await import('../../src/delivery/index.ts');
  const { EmbeddedObjectStore } = await import('../../src/objects/index.ts');
  const { openSqliteStore } = await import('../../src/store/sqlite/open.ts');
  const { SecretBox } = await import('../../src/store/secret-box.ts');
  mkdirSync(dir, { recursive: true });
  const store = await openSqliteStore(join(dir, 'startrail.db'), new SecretBox(randomBytes(32)));
  const objects = await EmbeddedObjectStore.open(join(dir, 'objects'));
  try {
    const now = new Date();
    await objects.createBucket('logs', 'us-east-1', now);
    await objects.putBucketPolicy('logs', cloudTrailPolicy('logs'));
    await loggingTrail(store, now, { isMultiRegionTrail: true });
    // Records arriving after StartLogging, from every region (a multi-region trail takes them all).
    const { templates } = loadTemplates();
    const synth = new Synth({ count, seed: 11, days: 0.01, end: now.getTime(), templates });
    const { storedEvent } = await import('../../src/audit/columns.ts');
    for (let i = 0; i < count; i += 5000) {
      const batch = [];
      for (let j = i; j < Math.min(count, i + 5000); j++) {
        const r = synth.record(j);
        // the trail's own account's records (a trail delivers its account's only), whatever accounts the synthesised records name
        batch.push({ ...storedEvent(r, JSON.stringify(r)), accountId: null });
      }
      await store.events.append(batch);
    }
    const d = createDelivery({
      store,
      target: () => embeddedTarget(objects),
      accountId: ACCOUNT,
      deliveryIntervalSeconds: 0,
      digestIntervalSeconds: 3600,
      clock: () => new Date(),
      log: () => {},
    });
    const t0 = performance.now();
    let records = 0,
      ticks = 0;
    for (;;) {
      const r = await d.tick(new Date(Date.now() + 1000));
      ticks++;
      if (r.failed.length) throw new Error(`delivery failed for ${r.failed.join(', ')}`);
      if (!r.records) break;
      records += r.records;
    }
    const seconds = (performance.now() - t0) / 1000;
    let files = 0,
      bytes = 0,
      after: string | undefined;
    for (;;) {
      const page = await objects.listObjects('logs', { prefix: `AWSLogs/${ACCOUNT}/CloudTrail/`, maxKeys: 1000, ...(after ? { after } : {}) });
      files += page.objects.length;
      bytes += page.objects.reduce((a, o) => a + o.size, 0);
      if (!page.isTruncated) break;
      after = page.nextMarker;
    }
    return { records, seconds, ticks, files, mb: bytes / 2 ** 20 };
  } finally {
    await store.close();
  }
}

/** Keys of the trail's log files, and the requestIDs in those not read yet. */
async function newRequestIds(server: ServerProc, bucket: string, seen: Set<string>): Promise<Set<string>> {
  const ids = new Set<string>();
  const list = await s3(server, 'GET', `/${bucket}`, { 'list-type': '2', prefix: `AWSLogs/${ACCOUNT}/CloudTrail/` });
  for (const [, key] of list.body.toString('utf8').matchAll(/<Key>([^<]+)<\/Key>/g)) {
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const o = await s3(server, 'GET', `/${bucket}/${key}`);
    // fetch undoes Content-Encoding: gzip itself
    const text = (o.body[0] === 0x1f && o.body[1] === 0x8b ? gunzipSync(o.body) : o.body).toString('utf8');
    for (const r of (JSON.parse(text) as { Records: { requestID?: string }[] }).Records) if (r.requestID) ids.add(r.requestID);
  }
  return ids;
}

/** A served trail delivering every second: from a call's response to its record being readable in a log object. */
async function latency(_ctx: Ctx, dir: string, probes: number) {
  const server = await startStartrail({ dataDir: dir, env: { STARTRAIL_DELIVERY_INTERVAL: '1' } });
  try {
    const bucket = 'bench-trail-logs';
    const { cloudTrailPolicy } = await import('../../src/delivery/testing.ts');
    for (const [method, path, query, body] of [
      ['PUT', `/${bucket}`, {}, ''],
      ['PUT', `/${bucket}`, { policy: '' }, cloudTrailPolicy(bucket)],
    ] as const) {
      const r = await s3(server, method, path, query, body);
      if (r.status !== 200 && r.status !== 204) throw new Error(`S3 ${method} ${path}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    }
    for (const [op, input] of [
      ['CreateTrail', { Name: 'bench', S3BucketName: bucket, IsMultiRegionTrail: true }],
      ['StartLogging', { Name: 'bench' }],
    ] as const) {
      const r = await call(server, 'cloudtrail', op, input);
      if (r.status !== 200) throw new Error(`${op}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    }
    const seen = new Set<string>();
    const found = new Set<string>();
    const times: number[] = [];
    for (let i = 0; i < probes; i++) {
      await sleep(Math.random() * 1000); // land anywhere in the delivery interval
      const r = await call(server, 'cloudtrail', 'GetTrailStatus', { Name: 'bench' });
      if (r.status !== 200 || !r.requestId) throw new Error(`GetTrailStatus: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
      const t0 = performance.now();
      while (!found.has(r.requestId)) {
        if (performance.now() - t0 > 30_000) throw new Error(`the record of request ${r.requestId} was not delivered within 30 s\n${server.output()}`);
        for (const id of await newRequestIds(server, bucket, seen)) found.add(id);
        if (!found.has(r.requestId)) await sleep(20);
      }
      times.push(performance.now() - t0);
    }
    return summarise(times);
  } finally {
    await server.stop();
  }
}

export async function deliveryCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const c = 'delivery';
  // On a build without trails the case is listed with the reason.
  const why = await import('../../src/delivery/testing.ts').then(
    () => undefined,
    (e: Error) => `trail delivery is not in this build (${e.message.split('\n')[0]})`,
  );
  if (why) {
    log(`${c}: not available: ${why}`);
    for (const m of ['store -> gzipped log files', 'event-to-object latency p99']) report.skip(c, m, `not available: ${why}`);
    return;
  }
  const dir = mkdtempSync(join(ctx.workDir, 'delivery-'));
  try {
    const count = ctx.quick ? 10_000 : 200_000;
    const t = await throughput(ctx, join(dir, 'loop'), count);
    log(`${c}: ${t.records} records in ${t.seconds.toFixed(1)} s (${(t.records / t.seconds).toFixed(0)} records/s), ${t.files} files, ${t.mb.toFixed(1)} MB`);
    // Data events (S3 object calls in the reference records' shapes) are outside a trail without data selectors.
    if (t.records < count * 0.9) throw new Error(`delivered ${t.records} of ${count} records`);
    report.add({
      case: c,
      metric: 'store -> gzipped log files',
      value: t.records / t.seconds,
      unit: 'records/s',
      note: `${t.records.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} records in scope (the rest are data events), multi-region trail, ${t.files} files (${t.mb.toFixed(1)} MB) in the embedded object store, ${t.seconds.toFixed(1)} s, in-process loop`,
    });
    const probes = ctx.quick ? 5 : 20;
    const l = await latency(ctx, join(dir, 'served'), probes);
    log(`${c}: event-to-object p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms over ${l.n} calls`);
    report.add({
      case: c,
      metric: 'event-to-object latency p99',
      value: l.p99,
      unit: 'ms',
      note: `p50 ${l.p50.toFixed(0)} ms, max ${l.max.toFixed(0)} ms over ${l.n} calls; STARTRAIL_DELIVERY_INTERVAL=1, polled via ListObjectsV2 + GetObject every 20 ms`,
    });
    report.detail('delivery', { throughput: t, latency: { ...l, probes, deliveryIntervalSeconds: 1 } });
  } finally {
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
