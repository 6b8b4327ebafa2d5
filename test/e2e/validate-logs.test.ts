/**
 * `startrail validate-logs` against the official `aws cloudtrail validate-logs` (/usr/bin/aws with
 * the aws-cli-local-s3 plugin of src/reference-data.ts), both reading the same generated chain from a real S3-compatible
 * server (s3rver). Same stdout, stderr and exit status on the valid chain and on each tampering.
 * DescribeTrails/ListPublicKeys come from a TEST FIXTURE endpoint (src/verify/testing/services.ts)
 * because startrail's model has no ListPublicKeys yet; switch to a startrail server when it does.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateChain, newSigningKey, type Chain, type FixtureObject } from '../../src/verify/testing/chain.ts';
import {
  CURRENT_CLI,
  currentCliValidateLogs,
  officialValidateLogs,
  putChain,
  startCloudTrailStub,
  startrailValidateLogs,
  startS3rver,
  type S3Fixture,
} from '../../src/verify/testing/services.ts';

const key = newSigningKey();
const main = generateChain({ start: new Date('2026-11-24T00:00:00Z'), digests: 3, logsPerDigest: 3, keyPair: key });
// a trail whose logging stopped for two hours: one digest, then a new chain (starting digest)
const gapEarly = generateChain({ start: new Date('2026-11-24T00:00:00Z'), digests: 1, logsPerDigest: 2, keyPair: key, trailName: 'gap-trail' });
const gapLate = generateChain({ start: new Date('2026-11-24T03:00:00Z'), digests: 2, logsPerDigest: 2, keyPair: key, trailName: 'gap-trail' });
// a trail with backfill digests too: only current CLIs (v1.45 here, when present) have the backfill pass
const bfMain = generateChain({ start: new Date('2026-11-24T00:00:00Z'), digests: 2, logsPerDigest: 2, keyPair: key, trailName: 'bf-trail' });
const bfFill = generateChain({ start: new Date('2026-11-24T02:00:00Z'), digests: 2, logsPerDigest: 2, keyPair: key, trailName: 'bf-trail', backfill: true });

let s3: S3Fixture;
let ct: Awaited<ReturnType<typeof startCloudTrailStub>>;

const args = (c: Chain) => ['--trail-arn', c.trailArn, '--start-time', '2026-11-24T00:00:00Z', '--end-time', '2026-11-24T06:00:00Z', '--verbose'];
const obj = (k: string) => main.objects.find((o) => o.key === k) as FixtureObject;

/** Runs both validators on the bucket as it is; asserts identical output and status; returns ours. */
async function both(c: Chain = main) {
  const [official, ours] = await Promise.all([
    officialValidateLogs(ct.endpoint, s3.endpoint, args(c)),
    startrailValidateLogs(ct.endpoint, s3.endpoint, args(c)),
  ]);
  assert.equal(ours.stderr, official.stderr, 'stderr differs');
  assert.equal(ours.stdout, official.stdout, 'stdout differs');
  assert.equal(ours.status, official.status, 'exit status differs');
  return ours;
}

/** The last paragraph of stdout: the `N/M … files valid` lines. */
const ratios = (stdout: string) => stdout.trimEnd().split('\n\n').at(-1);

describe('validate-logs: startrail and the official CLI on the same chain in s3rver', () => {
  before(async () => {
    s3 = await startS3rver();
    for (const c of [main, gapEarly, gapLate, bfMain, bfFill]) await putChain(s3, c);
    ct = await startCloudTrailStub([main, gapLate, bfMain], [key.publicKey]);
  });
  after(async () => {
    await ct?.close();
    await s3?.close();
  });

  it('all valid: 3/3 digests, 9/9 logs, exit 0', async () => {
    const r = await both();
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(ratios(r.stdout), '3/3 digest files valid\n9/9 log files valid');
    assert.match(
      r.stdout,
      /^Validating log files for trail arn:aws:cloudtrail:us-east-1:123456789012:trail\/my-trail between 2026-11-24T00:00:00Z and 2026-11-24T06:00:00Z\n\n/,
    );
    assert.ok(
      r.stdout.includes(
        '\nResults requested for 2026-11-24T00:00:00Z to 2026-11-24T06:00:00Z\nResults found for 2026-11-24T01:00:00Z to 2026-11-24T03:00:00Z:\n',
      ),
    );
    assert.ok(ct.requests.some((q) => q.startsWith('ListPublicKeys')) && ct.requests.some((q) => q.startsWith('DescribeTrails')));
  });

  it("an altered log file: hash value doesn't match, exit 1", async () => {
    const log = obj(main.logKeys[1]![1]!);
    await s3.put({ ...log, body: gzipSync('{"Records":[]}') });
    try {
      const r = await both();
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `\nLog file\ts3://trail-bucket/${log.key}\tINVALID: hash value doesn't match\n\n`);
      assert.equal(ratios(r.stdout), '3/3 digest files valid\n8/9 log files valid, 1/9 log files INVALID');
    } finally {
      await s3.put(log);
    }
  });

  it('a deleted log file: not found, exit 1', async () => {
    const log = obj(main.logKeys[0]![2]!);
    await s3.remove(log.bucket, log.key);
    try {
      const r = await both();
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `\nLog file\ts3://trail-bucket/${log.key}\tINVALID: not found\n\n`);
      assert.equal(ratios(r.stdout), '3/3 digest files valid\n8/9 log files valid, 1/9 log files INVALID');
    } finally {
      await s3.put(log);
    }
  });

  it('an altered digest: signature verification failed, its logs unchecked, exit 1', async () => {
    const d = obj(main.digestKeys[2]!);
    const json = JSON.parse(gunzipSync(d.body).toString());
    json.logFiles = json.logFiles.slice(1);
    await s3.put({ ...d, body: gzipSync(JSON.stringify(json)) });
    try {
      const r = await both();
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `Digest file\ts3://trail-bucket/${d.key}\tINVALID: signature verification failed\n\n`);
      assert.equal(ratios(r.stdout), '2/3 digest files valid, 1/3 digest files INVALID\n6/6 log files valid');
    } finally {
      await s3.put(d);
    }
  });

  it('a deleted middle digest: not found, the walk resumes, exit 1', async () => {
    const d = obj(main.digestKeys[1]!);
    await s3.remove(d.bucket, d.key);
    try {
      const r = await both();
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `\nDigest file\ts3://trail-bucket/${d.key}\tINVALID: not found\n\n`);
      assert.equal(ratios(r.stdout), '2/3 digest files valid, 1/3 digest files INVALID\n6/6 log files valid');
    } finally {
      await s3.put(d);
    }
  });

  it('a digest moved to another key: has been moved from its original location, exit 1', async () => {
    const d = obj(main.digestKeys[2]!);
    const moved = d.key.replace('T030000Z', 'T031500Z');
    await s3.put({ ...d, key: moved });
    try {
      const r = await both();
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `Digest file\ts3://trail-bucket/${moved}\tINVALID: has been moved from its original location\n\n`);
      assert.equal(ratios(r.stdout), '3/4 digest files valid, 1/4 digest files INVALID\n9/9 log files valid');
    } finally {
      await s3.remove(d.bucket, moved);
    }
  });

  it('a gap between two chains is reported and is not a failure, exit 0', async () => {
    const r = await both(gapLate);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '\nNo log files were delivered by CloudTrail between 2026-11-24T01:00:00Z and 2026-11-24T03:00:00Z\n\n');
    assert.equal(ratios(r.stdout), '3/3 digest files valid\n6/6 log files valid');
  });

  it('backfill digests: the same second pass as a current AWS CLI', {
    skip: !existsSync(CURRENT_CLI) && 'no current AWS CLI (pyenv v1.45) on this machine',
  }, async () => {
    // start before the oldest digest: there CLI 2.9.19 and current CLIs print the same found range
    const a = ['--trail-arn', bfMain.trailArn, '--start-time', '2026-11-23T23:00:00Z', '--end-time', '2026-11-24T06:00:00Z', '--verbose'];
    const [current, ours] = await Promise.all([currentCliValidateLogs(ct.endpoint, s3.endpoint, a), startrailValidateLogs(ct.endpoint, s3.endpoint, a)]);
    assert.deepEqual([ours.stdout, ours.stderr, ours.status], [current.stdout, current.stderr, current.status]);
    assert.equal(ours.status, 0);
    assert.ok(ours.stdout.includes(`(backfill) Digest file\ts3://trail-bucket/${bfFill.digestKeys[1]}\tvalid\n`));
    assert.ok(
      ours.stdout.endsWith(
        'Results found for 2026-11-24T00:00:00Z to 2026-11-24T04:00:00Z:\n\n2/2 digest files valid\n2/2 backfill digest files valid\n8/8 log files valid\n',
      ),
    );
  });
});
