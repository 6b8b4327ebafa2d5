/**
 * `--workers 2` (src/server/workers.ts, docs/performance.md#workers): two server processes on one
 * port sharing the suite's store (SQLite in the data dir, or PostgreSQL). Calls from 16 SDK clients
 * are answered by both; a worker SIGKILLed while calls stream in is replaced; the trail delivers
 * every answered call's record exactly once and Event history has each once; a long poll on one
 * worker wakes at once for a message sent through the other.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { callerIdentityCalls, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, listKeys, readGzip, s3Client, waitFor } from './helpers/delivery.ts';
import { sdkLookup } from './helpers/history.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'workers-trail-logs';
const TRAIL = 'workers-trail';

let server: TestServer;
before(async () => {
  server = await startServer({ STARTRAIL_WORKERS: '2', STARTRAIL_DELIVERY_INTERVAL: '1' });
});
after(async () => {
  await server?.dispose();
});

/** The worker processes of the server (children of its primary). */
function workers(): number[] {
  const pid = server.pid()!;
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** `n` GetCallerIdentity calls over 16 connections, retried as the SDK does by default (a killed worker drops its connections). */
const calls = (n: number) => callerIdentityCalls(Array(16).fill(server.endpoint), server.root, n, 3);

test('two workers: calls answered by both; a killed worker is replaced; every record delivered once and in Event history once', async (t) => {
  const first = workers();
  assert.equal(first.length, 2, `worker processes: ${first.join(', ')}`);
  const started = new Date(Date.now() - 60_000);
  const s3 = s3Client(server.endpoint, server.root);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, ACCOUNT) }));
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  await ct.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET }));
  await ct.send(new StartLoggingCommand({ Name: TRAIL }));

  // both workers take part: each one's CPU time grows under the calls
  const cpu = (pid: number) =>
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ')
      .slice(11, 13)
      .map(Number)
      .reduce((a, b) => a + b);
  const before = first.map(cpu);
  const sent = await calls(300);
  const grew = first.map((pid, i) => cpu(pid) - before[i]!);
  assert.ok(
    grew.every((ticks) => ticks > 0),
    `CPU ticks of each worker during 300 calls: ${grew.join(', ')}`,
  );

  // SIGKILL one worker while calls stream in: the SDK retries what its connection lost, and a worker answers
  const during = calls(200);
  await new Promise((r) => setTimeout(r, 100));
  process.kill(first[0]!, 'SIGKILL');
  sent.push(...(await during));
  const replaced = await waitFor(
    'a new worker',
    async () => {
      const now = workers();
      return now.length === 2 && !now.includes(first[0]!) ? now : undefined;
    },
    30_000,
  );
  assert.ok(replaced.includes(first[1]!), 'the other worker kept running');
  sent.push(...(await calls(100)));

  await ct.send(new StopLoggingCommand({ Name: TRAIL }));
  const delivered = async () => {
    const seen = new Map<string, number>();
    for (const key of await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`))
      for (const r of JSON.parse(await readGzip(s3, BUCKET, key)).Records as { requestID: string }[]) seen.set(r.requestID, (seen.get(r.requestID) ?? 0) + 1);
    return seen;
  };
  await waitFor(
    'every record delivered',
    async () => {
      const seen = await delivered();
      const status = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
      return sent.every((id) => seen.has(id)) && !status.LatestDeliveryError;
    },
    30_000,
  );
  const seen = await delivered();
  const twice = sent.filter((id) => seen.get(id) !== 1);
  assert.deepEqual(twice, [], `of ${sent.length} answered calls, delivered other than once`);

  const events = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }], { start: started });
  const byRequest = new Map<string, number>();
  for (const e of events) {
    const id = JSON.parse(e.CloudTrailEvent!).requestID as string;
    byRequest.set(id, (byRequest.get(id) ?? 0) + 1);
  }
  assert.deepEqual(
    sent.filter((id) => byRequest.get(id) !== 1),
    [],
    'each answered call once in Event history',
  );
  t.diagnostic(`${sent.length} calls answered; ${events.length} GetCallerIdentity records (a call cut off by the kill may be recorded without an answer)`);
});

test('a long poll on one worker wakes at once for a message sent through the other', async () => {
  // separate clients open separate connections, which node:cluster hands to the workers in turn
  const receivers = Array.from({ length: 4 }, () => new SQSClient(sdkConfig(server.endpoint, server.root)));
  const sender = new SQSClient(sdkConfig(server.endpoint, server.root));
  try {
    const { QueueUrl } = await sender.send(new CreateQueueCommand({ QueueName: 'workers-wakeups' }));
    const delays: number[] = [];
    for (let round = 0; round < 3; round++) {
      const got = receivers.map((c) =>
        c.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).then((r) => ({ at: performance.now(), body: r.Messages?.[0]?.Body })),
      );
      await new Promise((r) => setTimeout(r, 500)); // every receiver is waiting
      const bodies: string[] = [];
      for (let i = 0; i < receivers.length; i++) {
        await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: `r${round}m${i}` }));
        const sentAt = performance.now();
        bodies.push(`r${round}m${i}`);
        // the message wakes one waiting receiver: the earliest to answer after the send
        const answered = await Promise.race(got.map((p) => p.then((x) => (x.body === `r${round}m${i}` ? x : new Promise<never>(() => {})))));
        delays.push(answered.at - sentAt);
      }
      assert.deepEqual((await Promise.all(got)).map((x) => x.body).sort(), bodies.sort());
    }
    // without the relay, a poll on the other worker finds the message only at its next 1 s poll
    assert.ok(Math.max(...delays) < 500, `ms from each send's answer to its receive's answer: ${delays.map((d) => d.toFixed(0)).join(', ')}`);
  } finally {
    for (const c of [...receivers, sender]) c.destroy();
  }
});
