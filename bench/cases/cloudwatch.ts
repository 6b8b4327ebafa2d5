// Role: the CloudWatch case of `npm run bench` (--only cloudwatch; docs/cloudwatch.md): PutMetricData throughput through @aws-sdk/client-cloudwatch against a served startrail on SQLite, over AWS JSON 1.0 (the SDK's default) and Smithy RPC v2 CBOR, 8 concurrent callers of 20 datums each; calls/s and datums/s, and a GetMetricStatistics over the result.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../lib/context.ts';
import { startStartrail } from '../lib/procs.ts';
import { summarise } from '../lib/stats.ts';

const CALLERS = 8;
const DATUMS = 20;

export async function cloudwatchCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const dir = mkdtempSync(join(ctx.workDir, 'cloudwatch-'));
  const server = await startStartrail({ dataDir: dir, nodeArgs: ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(ctx.profileDir, 'cloudwatch')] : [] });
  const base = { endpoint: server.endpoint, region: 'us-east-1', credentials: server.root!, maxAttempts: 1 };
  const clients = { json: new CloudWatchClient(base), cbor: new CloudWatchClient({ ...base, protocol: AwsSmithyRpcV2CborProtocol }) };
  try {
    for (const [protocol, client] of Object.entries(clients)) {
      const end = performance.now() + ctx.durationMs;
      let calls = 0;
      const latencies: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CALLERS }, async (_, caller) => {
          while (performance.now() < end) {
            const start = performance.now();
            await client.send(
              new PutMetricDataCommand({
                Namespace: `Bench/${protocol}`,
                MetricData: Array.from({ length: DATUMS }, (_, i) => ({
                  MetricName: 'Latency',
                  Value: i,
                  Unit: 'Milliseconds',
                  Dimensions: [{ Name: 'Caller', Value: String(caller) }],
                })),
              }),
            );
            latencies.push(performance.now() - start);
            calls++;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const l = summarise(latencies);
      const now = new Date();
      const stats = await client.send(
        new GetMetricStatisticsCommand({
          Namespace: `Bench/${protocol}`,
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Caller', Value: '0' }],
          StartTime: new Date(now.getTime() - 3600_000),
          EndTime: new Date(now.getTime() + 60_000),
          Period: 3600,
          Statistics: ['SampleCount'],
        }),
      );
      const counted = stats.Datapoints?.reduce((n, d) => n + (d.SampleCount ?? 0), 0) ?? 0;
      log(
        `cloudwatch ${protocol}: ${calls} PutMetricData calls (${calls * DATUMS} datums) in ${seconds.toFixed(1)} s; p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms; caller 0's SampleCount ${counted}`,
      );
      report.add({
        case: 'cloudwatch',
        metric: `PutMetricData (${protocol})`,
        value: (calls * DATUMS) / seconds,
        unit: 'datums/s',
        note: `${CALLERS} callers, ${DATUMS} datums a call, @aws-sdk/client-cloudwatch over ${protocol === 'json' ? 'AWS JSON 1.0' : 'Smithy RPC v2 CBOR'}, SQLite; ${(calls / seconds).toFixed(0)} calls/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`,
      });
      report.detail(`cloudwatch-${protocol}`, { calls, datums: calls * DATUMS, seconds, latency: l, caller0SampleCount: counted });
    }
  } finally {
    clients.json.destroy();
    clients.cbor.destroy();
    await server.stop();
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
