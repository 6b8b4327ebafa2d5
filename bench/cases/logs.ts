// Role: case 8, CloudWatch Logs (docs/logs.md): PutLogEvents throughput (10,000-event batches) into one group of 1M events (100k with --quick), then FilterLogEvents with a JSON pattern over all of it (matches 1 in 1,000), the first page's latency and the full scan, and GetLogEvents' tail, on a served startrail with the official SDK.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Ctx } from '../lib/context.ts';
import { startStartrail } from '../lib/procs.ts';
import { summarise } from '../lib/stats.ts';

const BATCH = 10_000;
const GROUP = '/bench/logs';

export async function logsCase(ctx: Ctx): Promise<void> {
  const { report } = ctx;
  const name = 'logs';
  const total = ctx.quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(ctx.workDir, 'logs-'));
  const server = await startStartrail({ dataDir: dir });
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
  try {
    await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const streams = ['web-1', 'web-2', 'web-3', 'web-4'];
    for (const s of streams) await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: s }));
    const base = Date.now() - 3 * 3_600_000; // 10 ms apart: 1M events span 2.8 hours
    const putMs: number[] = [];
    const t0 = performance.now();
    for (let b = 0; b * BATCH < total; b++) {
      const logEvents = Array.from({ length: BATCH }, (_, i) => {
        const n = b * BATCH + i;
        return { timestamp: base + n * 10, message: JSON.stringify({ n, status: n % 1000 === 0 ? 500 : 200, path: `/item/${n % 97}`, ms: n % 250 }) };
      });
      const s = performance.now();
      await client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: streams[b % streams.length], logEvents }));
      putMs.push(performance.now() - s);
      if (b % 20 === 0) ctx.log(`logs: ${(b + 1) * BATCH} events stored`);
    }
    const putSeconds = (performance.now() - t0) / 1000;
    report.add({ case: name, metric: 'PutLogEvents throughput (10k-event batches)', value: total / putSeconds, unit: 'events/s' });
    report.add({ case: name, metric: 'PutLogEvents p50 (10k events)', value: summarise(putMs).p50, unit: 'ms' });

    const pattern = '{ $.status = 500 }';
    const firstMs: number[] = [];
    for (let i = 0; i < (ctx.quick ? 3 : 10); i++) {
      const s = performance.now();
      await client.send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          filterPattern: pattern,
          limit: 50,
          startTime: base + i * 60_000,
          endTime: base + i * 60_000 + 60_000,
        }),
      );
      firstMs.push(performance.now() - s);
    }
    report.add({ case: name, metric: 'FilterLogEvents JSON pattern, 1-min window, p50', value: summarise(firstMs).p50, unit: 'ms' });
    const scan0 = performance.now();
    let matched = 0;
    let calls = 0;
    let token: string | undefined;
    do {
      const r = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: pattern, ...(token ? { nextToken: token } : {}) }));
      matched += r.events?.length ?? 0;
      token = r.nextToken;
      calls++;
    } while (token);
    const scanSeconds = (performance.now() - scan0) / 1000;
    if (matched !== total / 1000) throw new Error(`FilterLogEvents found ${matched} events, expected ${total / 1000}`);
    report.add({
      case: name,
      metric: `FilterLogEvents JSON pattern over ${total} events (full scan)`,
      value: scanSeconds,
      unit: 's',
      note: `${calls} calls, ${Math.round(total / scanSeconds)} events scanned/s`,
    });
    const tailMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: streams[i % streams.length], limit: 100 }));
      tailMs.push(performance.now() - s);
    }
    report.add({ case: name, metric: 'GetLogEvents tail (100 events) p50', value: summarise(tailMs).p50, unit: 'ms' });
    report.detail(name, {
      events: total,
      putSeconds,
      put: summarise(putMs),
      filterWindow: summarise(firstMs),
      scanSeconds,
      scanCalls: calls,
      tail: summarise(tailMs),
    });
  } finally {
    client.destroy();
    await server.stop();
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
