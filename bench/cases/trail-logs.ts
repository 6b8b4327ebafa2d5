// Role: case trail-logs (docs/trail-logs.md): a call → its record visible as a log event through FilterLogEvents in the
// trail's CloudWatch Logs log group, p50/p99, on a served startrail with the official SDKs (delivery every second).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import type { Ctx } from '../lib/context.ts';
import { startStartrail } from '../lib/procs.ts';
import { summarise } from '../lib/stats.ts';

const ACCOUNT = '000000000000';
const GROUP = 'bench/trail';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

export async function trailLogsCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const name = 'trail-logs';
  const dir = mkdtempSync(join(ctx.workDir, 'trail-logs-'));
  const server = await startStartrail({ dataDir: dir, env: { STARTRAIL_DELIVERY_INTERVAL: '1' } });
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const config = { endpoint: server.endpoint, region: 'us-east-1', credentials: server.root, maxAttempts: 1 };
  const s3 = new S3Client({ ...config, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const ct = new CloudTrailClient(config);
  const logs = new CloudWatchLogsClient(config);
  const iam = new IAMClient(config);
  try {
    const { cloudTrailPolicy } = await import('../../src/delivery/testing.ts');
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-trail-logs' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'bench-trail-logs', Policy: cloudTrailPolicy('bench-trail-logs') }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'bench-trail-logs',
        AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'bench-trail-logs',
        PolicyName: 'logs',
        PolicyDocument: doc({
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`,
        }),
      }),
    );
    await ct.send(
      new CreateTrailCommand({
        Name: 'bench-logs',
        S3BucketName: 'bench-trail-logs',
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/bench-trail-logs`,
      }),
    );
    await ct.send(new StartLoggingCommand({ Name: 'bench-logs' }));
    const probes = ctx.quick ? 5 : 30;
    const times: number[] = [];
    for (let i = 0; i < probes; i++) {
      await sleep(Math.random() * 1000); // land anywhere in the delivery interval
      const t0 = performance.now();
      const requestId = (await ct.send(new GetTrailStatusCommand({ Name: 'bench-logs' }))).$metadata.requestId ?? '';
      for (;;) {
        const found = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: `{ $.requestID = "${requestId}" }` }));
        if (found.events?.length) break;
        if (performance.now() - t0 > 30_000) throw new Error(`record of ${requestId} not in the log group within 30 s`);
        await sleep(20);
      }
      times.push(performance.now() - t0);
    }
    const s = summarise(times);
    log(`${name}: call -> log event visible p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms over ${s.n}`);
    report.add({
      case: name,
      metric: 'call -> log event in FilterLogEvents p99',
      value: s.p99,
      unit: 'ms',
      note: `p50 ${s.p50.toFixed(0)} ms, max ${s.max.toFixed(0)} ms over ${s.n} calls, each at a random point of the 1 s delivery interval (STARTRAIL_DELIVERY_INTERVAL=1, which dominates); found with a JSON filter pattern on requestID`,
    });
    report.detail(name, { callToLogEvent: s, deliveryIntervalSeconds: 1 });
  } finally {
    for (const c of [s3, ct, logs, iam]) c.destroy();
    await server.stop();
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
