// Role: the SQS case of `npm run bench` (--only sqs): SendMessage -> ReceiveMessage -> DeleteMessage throughput with 16 consumers (long polling, 10 messages a receive) and 4 producers, through @aws-sdk/client-sqs against a served startrail; messages/s and send-to-delete latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Ctx } from './lib/context.ts';
import { startStartrail } from './lib/procs.ts';
import { summarise } from './lib/stats.ts';

const CONSUMERS = 16;
const PRODUCERS = 4;

export async function sqsCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const dir = mkdtempSync(join(ctx.workDir, 'sqs-'));
  const server = await startStartrail({ dataDir: dir, nodeArgs: ctx.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(ctx.profileDir, 'sqs')] : [] });
  const client = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.root!, maxAttempts: 1 });
  try {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'bench' }));
    const durationMs = ctx.durationMs + ctx.warmupMs;
    const end = performance.now() + durationMs;
    let sent = 0;
    let done = 0;
    const latencies: number[] = [];
    const producers = Array.from({ length: PRODUCERS }, async () => {
      while (performance.now() < end) {
        await client.send(new SendMessageCommand({ QueueUrl, MessageBody: String(performance.now()) }));
        sent++;
      }
    });
    const consumers = Array.from({ length: CONSUMERS }, async () => {
      while (performance.now() < end + 1000) {
        const r = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of r.Messages ?? []) {
          await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
          done++;
          latencies.push(performance.now() - Number(m.Body));
        }
        if (!r.Messages?.length && performance.now() >= end) break;
      }
    });
    const t0 = performance.now();
    await Promise.all([...producers, ...consumers]);
    const seconds = (performance.now() - t0) / 1000;
    const l = summarise(latencies);
    log(`sqs: ${sent} sent, ${done} received and deleted in ${seconds.toFixed(1)} s; latency p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms`);
    report.add({
      case: 'sqs',
      metric: 'send -> receive -> delete',
      value: done / seconds,
      unit: 'messages/s',
      note: `${PRODUCERS} producers (SendMessage), ${CONSUMERS} consumers (ReceiveMessage of up to 10, WaitTimeSeconds 1, DeleteMessage each), @aws-sdk/client-sqs, SQLite; ${done} of ${sent} messages in ${seconds.toFixed(1)} s`,
    });
    report.add({ case: 'sqs', metric: 'send-to-delete latency p99', value: l.p99, unit: 'ms', note: `p50 ${l.p50.toFixed(0)} ms over ${l.n} messages` });
    report.detail('sqs', { sent, done, seconds, latency: l });
  } finally {
    client.destroy();
    await server.stop();
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
