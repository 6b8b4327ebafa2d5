/**
 * Trail delivery end to end with the official clients only (docs/architecture.md#delivery; key layout
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html; digests https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html): a bucket and its CloudTrail policy made with /usr/bin/aws, a multi-region
 * trail with log file validation, calls in two regions by two identities, every record delivered
 * exactly once — byte-identical to LookupEvents' CloudTrailEvent — under AWS's key layout; the
 * StopLogging record delivered and nothing after it; then the official `aws cloudtrail validate-logs`
 * accepts the chain in both regions, and flags an altered log file, a deleted one and an altered digest.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CodeStarClient, ListProjectsCommand } from '@aws-sdk/client-codestar';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, PROJECT_ROOT, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cliWithRequestId, sdkLookup } from './helpers/history.ts';
import { cloudTrailBucketPolicy, DIGEST_KEY, listKeys, LOG_KEY, officialValidateLogs, s3Client, startrailValidateLogs, waitFor } from './helpers/delivery.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'org-trail-logs';
const TRAIL = 'org-trail';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;

let server: TestServer;
let alice: Credentials;
let started: Date;
/** request ids of the calls that must be delivered, and of one that must not */
const expected = new Map<string, string>();
let afterStop: string;
let download: string;

function cli(args: string[], c: Credentials = server.root, region = 'us-east-1') {
  const r = awsCli(server.endpoint, c, args, region);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

/** Every delivered log file, downloaded with `aws s3 cp --recursive`: key → uncompressed text. */
function downloadAll(): Map<string, string> {
  download = mkdtempSync(join(tmpdir(), 'trail-download-'));
  cli(['s3', 'cp', '--recursive', '--only-show-errors', `s3://${BUCKET}/AWSLogs/`, join(download, 'AWSLogs')]);
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(download, p), gunzipSync(readFileSync(p)).toString('utf8'));
    }
  };
  walk(join(download, 'AWSLogs'));
  return out;
}

const validate = (region: string) =>
  officialValidateLogs(
    server.endpoint,
    server.endpoint,
    server.root,
    ['--trail-arn', ARN, '--start-time', new Date(started.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), '--verbose'],
    region,
  );

const startrailValidate = (region: string) =>
  startrailValidateLogs(
    server.endpoint,
    server.root,
    ['--trail-arn', ARN, '--start-time', new Date(started.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')],
    region,
  );

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '4' });
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  alice = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
});

after(async () => {
  await server?.dispose();
});

test('CreateTrail needs the bucket and a policy that lets CloudTrail write', () => {
  let r = awsCli(server.endpoint, server.root, ['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET]);
  assert.equal(r.status, 254);
  assert.match(r.stderr, /S3BucketDoesNotExistException/);
  cli(['s3', 'mb', `s3://${BUCKET}`]);
  r = awsCli(server.endpoint, server.root, ['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET]);
  assert.equal(
    r.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    `An error occurred (InsufficientS3BucketPolicyException) when calling the CreateTrail operation: Incorrect S3 bucket policy is detected for bucket: ${BUCKET}`,
  );
  cli(['s3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', cloudTrailBucketPolicy(BUCKET, ACCOUNT, ARN)]);
  const created = cli(['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET, '--is-multi-region-trail', '--enable-log-file-validation']);
  assert.equal(created.TrailARN, ARN);
});

test("calls in two regions by two identities are delivered exactly once, byte for byte as LookupEvents shows them, under AWS's keys", async () => {
  started = new Date();
  expected.set(cliWithRequestId(server.endpoint, server.root, ['cloudtrail', 'start-logging', '--name', TRAIL]).requestId, 'StartLogging');
  const ids = async (p: Promise<{ $metadata: { requestId?: string } }>, name: string) => {
    expected.set((await p).$metadata.requestId!, name);
  };
  const rootEast = new CodeStarClient(sdkConfig(server.endpoint, server.root));
  const aliceWest = new CodeStarClient(sdkConfig(server.endpoint, alice, 'eu-west-1'));
  const aliceSts = new STSClient(sdkConfig(server.endpoint, alice, 'eu-west-1'));
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  for (let i = 0; i < 3; i++) {
    // spread the calls over more than one digest period, so the chain links several digests
    if (i === 1) {
      await waitFor('a periodic digest', async () => (await ct.send(new GetTrailStatusCommand({ Name: TRAIL }))).LatestDigestDeliveryTime);
      // rotate the region's signing key mid-chain: older digests must still validate with the retired key
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'rotate-signing-key', '--region', 'us-east-1', '--data-dir', server.dataDir],
        { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, ...server.env } },
      );
      assert.equal(r.status, 0, r.stderr);
    }
    await ids(rootEast.send(new ListProjectsCommand({})), 'ListProjects');
    await ids(aliceWest.send(new ListProjectsCommand({})), 'ListProjects');
    await ids(aliceSts.send(new GetCallerIdentityCommand({})), 'GetCallerIdentity');
  }
  expected.set(cliWithRequestId(server.endpoint, alice, ['codestar', 'list-projects']).requestId, 'ListProjects');
  expected.set(cliWithRequestId(server.endpoint, server.root, ['cloudtrail', 'stop-logging', '--name', TRAIL]).requestId, 'StopLogging');
  afterStop = cliWithRequestId(server.endpoint, server.root, ['sts', 'get-caller-identity']).requestId;

  const s3 = s3Client(server.endpoint, server.root);
  // after StopLogging: the last records, then one final digest per region, then nothing more
  let last = -1;
  await waitFor(
    'the final digests',
    async () => {
      const n = (await listKeys(s3, BUCKET)).length;
      const status = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
      const settled = n === last && status.LatestDigestDeliveryTime! >= status.StopLoggingTime!;
      last = n;
      await new Promise((r) => setTimeout(r, 1200));
      return settled;
    },
    40_000,
  );

  const files = downloadAll();
  // Event history is per Region: the calls' two Regions together
  const history = new Map(
    (await Promise.all(['us-east-1', 'eu-west-1'].map((region) => sdkLookup(server.endpoint, server.root, [], {}, region))))
      .flat()
      .map((e) => [e.EventId!, e.CloudTrailEvent!]),
  );
  const delivered: { id: string; requestID: string; region: string; file: string }[] = [];
  for (const [key, text] of files) {
    if (key.includes('/CloudTrail-Digest/')) {
      assert.match(key, DIGEST_KEY);
      continue;
    }
    assert.match(key, LOG_KEY);
    const records = JSON.parse(text).Records as { eventID: string; requestID: string; awsRegion: string }[];
    assert.equal(text, `{"Records":[${records.map((r) => history.get(r.eventID)).join(',')}]}`, `${key} holds the stored records byte for byte`);
    for (const r of records) {
      assert.equal(key.split('/')[3], r.awsRegion, 'each record under its own region');
      delivered.push({ id: r.eventID, requestID: r.requestID, region: r.awsRegion, file: key });
    }
  }
  assert.equal(new Set(delivered.map((d) => d.id)).size, delivered.length, 'no record twice');
  for (const [requestId, name] of expected) assert.equal(delivered.filter((d) => d.requestID === requestId).length, 1, `${name} ${requestId} delivered once`);
  assert.ok(!delivered.some((d) => d.requestID === afterStop), 'nothing after StopLogging');
  assert.deepEqual([...new Set(delivered.map((d) => d.region))].sort(), ['eu-west-1', 'us-east-1']);
  const fingerprints = new Set(
    [...files].filter(([k]) => k.includes('/CloudTrail-Digest/us-east-1/')).map(([, t]) => JSON.parse(t).digestPublicKeyFingerprint),
  );
  assert.equal(fingerprints.size, 2, 'digests signed before and after the rotation');
  // delivery writes are not API calls: no record of CloudTrail writing the bucket
  assert.ok(![...history.values()].some((r) => r.includes('"invokedBy":"cloudtrail.amazonaws.com"')));
});

test('the official aws cloudtrail validate-logs accepts the chain in both regions (and startrail validate-logs agrees)', () => {
  for (const region of ['us-east-1', 'eu-west-1']) {
    const r = validate(region);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const digests = /(\d+)\/(\d+) digest files valid/.exec(r.stdout);
    const logs = /(\d+)\/(\d+) log files valid/.exec(r.stdout);
    assert.ok(digests && digests[1] === digests[2] && Number(digests[1]) >= 2, r.stdout);
    assert.ok(logs && logs[1] === logs[2] && Number(logs[1]) >= 1, r.stdout);
    process.stdout.write(
      `# official validate-logs (${region}):\n${r.stdout
        .split('\n')
        .filter((l) => /valid$|Results/.test(l) && !/\t/.test(l))
        .map((l) => `#   ${l}`)
        .join('\n')}\n`,
    );
    const own = startrailValidate(region);
    assert.equal(own.status, 0, own.stdout + own.stderr);
  }
});

test('validate-logs flags an altered log file, a deleted one and an altered digest (exit 1)', async () => {
  const s3 = s3Client(server.endpoint, server.root);
  const logKey = (await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`))[0]!;
  const original = join(download, logKey);
  const work = mkdtempSync(join(tmpdir(), 'tamper-'));
  const altered = join(work, 'altered.json.gz');
  writeFileSync(altered, gzipSync(Buffer.from(gunzipSync(readFileSync(original)).toString('utf8').replace('"eventVersion":"1.11"', '"eventVersion":"1.10"'))));

  cli(['s3', 'cp', '--only-show-errors', altered, `s3://${BUCKET}/${logKey}`]);
  let r = validate('us-east-1');
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout + r.stderr, new RegExp(`Log file\\ts3://${BUCKET}/${logKey}\\tINVALID: hash value doesn't match`));
  assert.equal(startrailValidate('us-east-1').status, 1);

  cli(['s3', 'rm', '--only-show-errors', `s3://${BUCKET}/${logKey}`]);
  r = validate('us-east-1');
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout + r.stderr, new RegExp(`Log file\\ts3://${BUCKET}/${logKey}\\tINVALID: not found`));
  assert.equal(startrailValidate('us-east-1').status, 1);

  cli(['s3', 'cp', '--only-show-errors', original, `s3://${BUCKET}/${logKey}`]);
  assert.equal(validate('us-east-1').status, 0, 'valid again once restored');

  const digestKey = (await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/`))[0]!;
  const head = cli(['s3api', 'head-object', '--bucket', BUCKET, '--key', digestKey]);
  const digest = JSON.parse(gunzipSync(readFileSync(join(download, digestKey))).toString('utf8'));
  digest.digestStartTime = '2001-01-01T00:00:00Z';
  writeFileSync(join(work, 'digest.json.gz'), gzipSync(Buffer.from(JSON.stringify(digest))));
  cli([
    's3',
    'cp',
    '--only-show-errors',
    join(work, 'digest.json.gz'),
    `s3://${BUCKET}/${digestKey}`,
    '--metadata',
    `signature=${head.Metadata.signature},signature-algorithm=${head.Metadata['signature-algorithm']}`,
  ]);
  r = validate('us-east-1');
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout + r.stderr, new RegExp(`Digest file\\ts3://${BUCKET}/${digestKey}\\tINVALID: signature verification failed`));
  assert.equal(startrailValidate('us-east-1').status, 1);
});
