/**
 * A trail whose bucket lives on an external S3-compatible service (docs/architecture.md#delivery;
 * README "Trails and delivery"): s3rver 3.7.1 stands in for it. startrail is pointed at it by
 * STARTRAIL_TRAIL_S3_*; the same flow delivers there; while the service is down the error shows in
 * GetTrailStatus and delivery is retried with backoff; nothing is dropped; the official
 * validate-logs, reading from s3rver, accepts the chain.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { freePort, PROJECT_ROOT, startServer, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { listKeys, LOG_KEY, DIGEST_KEY, officialValidateLogs, readGzip, s3Client, waitFor } from './helpers/delivery.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'ext-trail-logs';
const TRAIL = 'ext-trail';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;

let server: TestServer;
let s3rver: ChildProcess | undefined;
let s3rverPort: number;
let s3rverEndpoint: string;
let s3: S3Client;
const directory = mkdtempSync(join(tmpdir(), 'trail-s3rver-'));

/**
 * s3rver in its own process (the CLI runs with spawnSync, which would stall an in-process server),
 * accepting startrail's root key too, so the validator reads it with the key it uses for CloudTrail.
 */
const S3RVER_MAIN = `
  const S3rver = require('s3rver');
  require('s3rver/lib/models/account').DUMMY_ACCOUNT.createKeyPair(process.env.EXTRA_KEY_ID, process.env.EXTRA_SECRET);
  new S3rver({ address: '127.0.0.1', port: Number(process.env.PORT), silent: true, directory: process.env.DIR }).run().then(() => console.log('ready'));
`;

async function startS3rver(): Promise<void> {
  const child = spawn(process.execPath, ['-e', S3RVER_MAIN], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(s3rverPort), DIR: directory, EXTRA_KEY_ID: server.root.accessKeyId, EXTRA_SECRET: server.root.secretAccessKey },
  });
  await new Promise<void>((ok, fail) => {
    child.stdout!.once('data', () => ok());
    child.once('exit', (c) => fail(new Error(`s3rver exited ${c}`)));
  });
  s3rver = child;
  s3 = s3Client(s3rverEndpoint, server.root);
}

async function stopS3rver(): Promise<void> {
  s3?.destroy();
  const exited = new Promise((r) => s3rver!.once('exit', r));
  s3rver!.kill('SIGKILL');
  await exited;
  s3rver = undefined;
}

before(async () => {
  s3rverPort = await freePort();
  s3rverEndpoint = `http://127.0.0.1:${s3rverPort}`;
  server = await startServer({
    STARTRAIL_DELIVERY_INTERVAL: '1',
    STARTRAIL_DIGEST_INTERVAL: '4',
    STARTRAIL_TRAIL_S3_ENDPOINT: s3rverEndpoint,
    STARTRAIL_TRAIL_S3_BUCKETS: BUCKET,
    STARTRAIL_TRAIL_S3_ACCESS_KEY_ID: 'S3RVER',
    STARTRAIL_TRAIL_S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  await startS3rver();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

after(async () => {
  await server?.dispose();
  if (s3rver) await stopS3rver();
  rmSync(directory, { recursive: true, force: true });
});

test('a trail on the external service: delivered there, retried while it is down, nothing dropped, validated by the official tool', async () => {
  const cli = (args: string[]) => awsCli(server.endpoint, server.root, args);
  const missing = cli(['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', 'ext-missing-bucket']);
  assert.match(missing.stderr, /S3BucketDoesNotExistException/);
  const created = cli(['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET, '--enable-log-file-validation']);
  assert.equal(created.status, 0, created.stderr);
  // routed by bucket name: a bucket not listed stays on the embedded store, which has none of that name
  assert.match(cli(['cloudtrail', 'create-trail', '--name', 'other-trail', '--s3-bucket-name', 'embedded-only']).stderr, /S3BucketDoesNotExistException/);
  const started = new Date(Date.now() - 60_000);
  assert.equal(cli(['cloudtrail', 'start-logging', '--name', TRAIL]).status, 0);

  const sts = new STSClient(sdkConfig(server.endpoint, server.root));
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  const sent: string[] = [];
  const call = async () => {
    sent.push((await sts.send(new GetCallerIdentityCommand({}))).$metadata.requestId!);
  };
  for (let i = 0; i < 5; i++) await call();
  await waitFor('logs on s3rver', async () => (await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`)).length > 0);

  await stopS3rver();
  for (let i = 0; i < 5; i++) await call();
  const down = await waitFor('the delivery error', async () => {
    const s = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
    return s.LatestDeliveryError ? s : undefined;
  });
  // the service is gone: refused, or — for an upload in flight as it stopped — reset
  assert.ok(['ECONNREFUSED', 'ECONNRESET'].includes(down.LatestDeliveryError ?? ''), down.LatestDeliveryError);
  await startS3rver();
  await waitFor('delivery to resume', async () => !(await ct.send(new GetTrailStatusCommand({ Name: TRAIL }))).LatestDeliveryError, 40_000);

  for (let i = 0; i < 3; i++) await call();
  assert.equal(cli(['cloudtrail', 'stop-logging', '--name', TRAIL]).status, 0);
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
    40_000,
  );

  const seen = new Map<string, number>();
  for (const key of await listKeys(s3, BUCKET)) {
    if (key.includes('/CloudTrail-Digest/')) {
      assert.match(key, DIGEST_KEY);
      continue;
    }
    assert.match(key, LOG_KEY);
    for (const r of JSON.parse(await readGzip(s3, BUCKET, key)).Records as { requestID: string }[]) seen.set(r.requestID, (seen.get(r.requestID) ?? 0) + 1);
  }
  assert.deepEqual(
    sent.filter((id) => seen.get(id) !== 1),
    [],
    'every call exactly once',
  );

  const v = officialValidateLogs(server.endpoint, s3rverEndpoint, server.root, [
    '--trail-arn',
    ARN,
    '--start-time',
    started.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /(\d+)\/\1 digest files valid/);
  assert.match(v.stdout, /(\d+)\/\1 log files valid/);
  process.stdout.write(
    `# official validate-logs on s3rver: ${v.stdout
      .split('\n')
      .filter((l) => / files valid/.test(l))
      .join(' / ')}\n`,
  );
});
