/**
 * Exactly once across crashes (docs/architecture.md#delivery): startrail is killed with SIGKILL
 * while it delivers — several times, at varied moments — and restarted on the same data dir. In the
 * end every call's record is in the delivered files exactly once, and the official validate-logs
 * accepts the chain.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, listKeys, officialValidateLogs, readGzip, s3Client, waitFor } from './helpers/delivery.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'crash-trail-logs';
const TRAIL = 'crash-trail';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;

let server: TestServer;

function cli(args: string[]) {
  const r = awsCli(server.endpoint, server.root, args);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '3' });
  cli(['s3', 'mb', `s3://${BUCKET}`]);
  cli(['s3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', cloudTrailBucketPolicy(BUCKET, ACCOUNT)]);
  cli(['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET, '--enable-log-file-validation']);
});

after(async () => {
  await server?.dispose();
});

test('SIGKILL during delivery, then restart: no record lost, none duplicated, the chain still validates', async () => {
  const started = new Date(Date.now() - 60_000);
  cli(['cloudtrail', 'start-logging', '--name', TRAIL]);
  const sent: string[] = [];
  for (let round = 0; round < 5; round++) {
    const sts = new STSClient(sdkConfig(server.endpoint, server.root));
    for (let batch = 0; batch < 8; batch++) {
      const calls = await Promise.all(Array.from({ length: 25 }, () => sts.send(new GetCallerIdentityCommand({}))));
      sent.push(...calls.map((c) => c.$metadata.requestId!));
    }
    sts.destroy();
    // kill at a different point of the delivery cycle each round (ticks every second)
    await new Promise((r) => setTimeout(r, 150 + round * 330));
    await server.kill();
    await server.restart();
  }
  cli(['cloudtrail', 'stop-logging', '--name', TRAIL]);
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  const s3 = s3Client(server.endpoint, server.root);
  let last = -1;
  await waitFor(
    'the final digest',
    async () => {
      const n = (await listKeys(s3, BUCKET)).length;
      const s = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
      const settled = n === last && !!s.LatestDigestDeliveryTime && s.LatestDigestDeliveryTime >= s.StopLoggingTime!;
      last = n;
      await new Promise((r) => setTimeout(r, 1200));
      return settled;
    },
    60_000,
  );

  const seen = new Map<string, number>();
  const eventIds = new Set<string>();
  let total = 0;
  for (const key of await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`)) {
    for (const r of JSON.parse(await readGzip(s3, BUCKET, key)).Records as { requestID: string; eventID: string }[]) {
      seen.set(r.requestID, (seen.get(r.requestID) ?? 0) + 1);
      eventIds.add(r.eventID);
      total++;
    }
  }
  assert.equal(eventIds.size, total, 'no record delivered twice');
  const missing = sent.filter((id) => !seen.has(id));
  const twice = sent.filter((id) => (seen.get(id) ?? 0) > 1);
  assert.deepEqual([missing.length, twice.length], [0, 0], `of ${sent.length} calls: ${missing.length} missing, ${twice.length} twice`);

  const v = officialValidateLogs(server.endpoint, server.endpoint, server.root, [
    '--trail-arn',
    ARN,
    '--start-time',
    started.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /(\d+)\/\1 digest files valid/);
  assert.match(v.stdout, /(\d+)\/\1 log files valid/);
});
