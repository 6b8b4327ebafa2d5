// Role: case 8, EventBridge (docs/eventbridge-delivery.md): a call's record committed → its CloudTrail event received from an SQS target, p50/p99 at a steady call rate, on a served startrail with the official SDKs; and matching throughput of dispatch with 1,000 rules on a bus, in process.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { ACCOUNT, type FakeBuses, queueArn, REGION, recording, rule, withBuses } from '../../src/bus/testing.ts';
import { randomIds } from '../../src/ids.ts';
import { dispatchEvents } from '../../src/services/events/dispatch.ts';
import { splice } from '../../src/services/events/envelope.ts';
import { openTestStore } from '../../src/store/testing.ts';
import type { Ctx } from '../lib/context.ts';
import { startStartrail } from '../lib/procs.ts';
import { summarise } from '../lib/stats.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls at `rate` per second; each call's answer (its record committed) → its event received from the target queue. */
async function callToEvent(endpoint: string, root: { accessKeyId: string; secretAccessKey: string }, probes: number, rate: number) {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const config = { endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 };
  const sqs = new SQSClient(config);
  const eb = new EventBridgeClient(config);
  try {
    const target = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-eb-target' }))).QueueUrl ?? '';
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: target, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn }],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: target, Attributes: { Policy: JSON.stringify(policy) } }));
    const tagged = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-eb-tagged' }))).QueueUrl ?? '';
    await eb.send(new PutRuleCommand({ Name: 'bench-tags', EventPattern: JSON.stringify({ source: ['aws.sqs'], detail: { eventName: ['TagQueue'] } }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'bench-tags', Targets: [{ Id: 'q', Arn: arn }] }));

    const committed = new Map<string, number>();
    const latencies: number[] = [];
    let done = false;
    const receiver = (async () => {
      while (!done || latencies.length < committed.size) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: target, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        const now = performance.now();
        for (const m of r.Messages ?? []) {
          const n = JSON.parse(m.Body ?? '{}').detail?.requestParameters?.tags?.n as string | undefined;
          const t = n === undefined ? undefined : committed.get(n);
          if (t !== undefined) latencies.push(now - t);
        }
        if (r.Messages?.length)
          await sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: target, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
          );
        if (done && r.Messages?.length === 0) break;
      }
    })();
    const gap = 1000 / rate;
    const start = performance.now();
    for (let i = 0; i < probes; i++) {
      const due = start + i * gap;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await sqs.send(new TagQueueCommand({ QueueUrl: tagged, Tags: { n: String(i) } }));
      committed.set(String(i), performance.now());
    }
    done = true;
    await receiver;
    return { summary: summarise(latencies), lost: committed.size - latencies.length };
  } finally {
    sqs.destroy();
    eb.destroy();
  }
}

/** dispatchEvents with `rules` rules on the bus (an event matches at most one), in process on an in-memory store. */
async function matching(rules: number, events: number) {
  const raw = await openTestStore('sqlite');
  try {
    const f: FakeBuses = {
      rules: Array.from({ length: rules }, (_, i) =>
        rule(`r${i}`, {
          eventPattern: JSON.stringify({
            source: [`aws.service${i % 100}`],
            detail: { eventName: [`Call${i % 37}`, `Other${i}`], userIdentity: { type: ['Root', 'IAMUser'] } },
          }),
          targets: [{ id: 't', arn: queueArn(`q${i}`), wire: {} }],
        }),
      ),
    };
    const store = withBuses(raw, f);
    const destinations = recording();
    const batch = Array.from({ length: events }, (_, i) => {
      const detail = { eventName: `Call${i % 37}`, userIdentity: { type: 'Root' }, requestParameters: { n: i } };
      const head = {
        version: '0' as const,
        id: `e${i}`,
        'detail-type': 'AWS API Call via CloudTrail',
        source: `aws.service${i % 100}`,
        account: ACCOUNT,
        time: '2026-01-01T00:00:00Z',
        region: REGION,
        resources: [],
      };
      return { event: { ...head, detail }, json: splice(head, JSON.stringify(detail)) };
    });
    const env = { now: new Date(), ids: randomIds, config: { accountId: ACCOUNT, region: REGION, maxBodyBytes: 1 << 20, publicUrl: '' }, destinations };
    // warm the pattern cache, then measure
    await store.transaction((tx) => dispatchEvents(tx, { accountId: ACCOUNT, region: REGION, name: 'default' }, batch.slice(0, 10), env));
    const t0 = performance.now();
    for (let i = 0; i < batch.length; i += 500)
      await store.transaction((tx) => dispatchEvents(tx, { accountId: ACCOUNT, region: REGION, name: 'default' }, batch.slice(i, i + 500), env));
    const ms = performance.now() - t0;
    return { eventsPerSecond: (events / ms) * 1000, matchesPerSecond: ((events * rules) / ms) * 1000, delivered: destinations.messages.length };
  } finally {
    await raw.close();
  }
}

export async function eventbridgeCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const name = 'eventbridge';
  const dir = mkdtempSync(join(ctx.workDir, 'eventbridge-'));
  const server = await startStartrail({ dataDir: dir });
  try {
    const probes = ctx.quick ? 50 : 400;
    const rate = 20;
    if (!server.root) throw new Error('no root credentials');
    const { summary: s, lost } = await callToEvent(server.endpoint, server.root, probes, rate);
    log(`${name}: record committed -> event in SQS p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms over ${s.n} (${lost} not received)`);
    report.add({
      case: name,
      metric: 'record committed -> event in SQS target p99',
      value: s.p99,
      unit: 'ms',
      note: `p50 ${s.p50.toFixed(1)} ms, max ${s.max.toFixed(1)} ms over ${s.n} TagQueue calls at ${rate}/s; from the call's answer (its record committed) to ReceiveMessage returning the event (long poll); STARTRAIL_EVENTS_INTERVAL_MS default 100`,
    });
    const m = await matching(1000, ctx.quick ? 2000 : 10_000);
    log(
      `${name}: matching with 1,000 rules: ${m.eventsPerSecond.toFixed(0)} events/s (${(m.matchesPerSecond / 1e6).toFixed(2)} M rule matches/s), ${m.delivered} deliveries`,
    );
    report.add({
      case: name,
      metric: 'events matched per second, 1,000 rules',
      value: m.eventsPerSecond,
      unit: 'events/s',
      note: `${(m.matchesPerSecond / 1e6).toFixed(2)} M rule evaluations/s; in process, dispatch in 500-event transactions on in-memory SQLite, each event matching at most one rule, delivered to a recorded SQS target`,
    });
    report.detail(name, { callToEvent: s, lost, rate, matching: m });
  } finally {
    await server.stop();
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
